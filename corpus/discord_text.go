package corpus

// Reader of DiscordChatExporter plain-text exports (PlainText, .txt), written by
// DiscordChatExporter.Core/Exporting/PlainTextMessageWriter.cs. One file holds one channel:
//
//	==============================================================   (62 '=')
//	Guild: GUILD NAME                                               ("Direct Messages" for DMs)
//	Channel: CATEGORY / CHANNEL NAME                                (Channel.GetHierarchicalName())
//	[Topic: TOPIC]
//	[After: DATE]
//	[Before: DATE]
//	==============================================================
//
//	[DATE] FULLNAME[ (pinned)]
//	CONTENT (markdown rendered as plain text; several lines when the message has several)
//
//	[{Attachments}
//	URL
//	...
//	]
//	[{Embed}
//	AUTHOR / URL / TITLE / DESCRIPTION / FIELDS / THUMBNAIL / IMAGES / FOOTER, one a line
//	]
//	[{Stickers}
//	URL
//	]
//	[{Reactions}
//	EMOJI[ (COUNT)] EMOJI ...]
//
//	[DATE] FULLNAME
//	...
//	==============================================================
//	Exported N message(s)
//	==============================================================
//
// DATE is FormatDate(message.Timestamp): the "g" format of the export's locale (see
// discord_dates.go). FULLNAME is the user name, with "#discriminator" for accounts that still have
// one: it is Message.Author, as in the JSON reader. A system notification's content is its fallback
// text ("Joined the server.", "Pinned a message.", "Started a call that lasted N minutes.", ...:
// PlainTextMessageExtensions.GetFallbackContent), read as a system message. The file has no
// message ids (messages are numbered), no replies and no edit marks. A message starts at a line
// "[DATE] NAME" whose DATE reads as a date, after a blank line; a line of a message's text that
// looks so after a blank line is taken for a new message. The channel id is taken from the
// default file name ("... [CHANNEL ID].txt").

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

const discordTextReaderVersion = "discord-txt/1"

// dceRule is the start of the '=' rules around the preamble and the postamble (62 of them).
const dceRule = "=========="

// sniffDiscordText recognizes the preamble of a plain-text export.
func sniffDiscordText(head []byte) int {
	t := bytes.TrimLeft(head, " \t\r\n")
	if !bytes.HasPrefix(t, []byte(dceRule)) {
		return 0
	}
	lines := bytes.SplitN(t, []byte("\n"), 4)
	if len(lines) < 3 {
		return 0
	}
	g := bytes.TrimRight(lines[1], "\r")
	c := bytes.TrimRight(lines[2], "\r")
	if bytes.HasPrefix(g, []byte("Guild: ")) && bytes.HasPrefix(c, []byte("Channel: ")) {
		return 97
	}
	return 0
}

type dceTextParser struct {
	r     *dceReader
	name  string
	opts  Options
	src   lineSource
	c     *Conversation
	dates dceDates
	guild string
	chann string
	cur   *dceTextMsg
	blank bool // the line before was blank
}

// dceTextMsg is the message being read: its lines after the header.
type dceTextMsg struct {
	m     Message
	off   int64
	date  dceDate
	lines []string
	size  int
	cut   bool
}

func newDiscordTextReader(name string, r io.Reader, o Options) *dceReader {
	dr := &dceReader{}
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	p := &dceTextParser{r: dr, name: name, opts: o, c: &Conversation{Platform: "discord"},
		src: lineSource{br: br, keep: min(o.maxLineBytes(), o.maxMessageBytes()+tgSlack)}}
	dr.read = p.run
	return dr
}

func (p *dceTextParser) perr(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: p.name, Line: line, Offset: off, Format: FormatDiscord, Msg: msg, Err: err}
}

func (p *dceTextParser) run() (*Conversation, error) {
	var ferr error
	state := 0 // 0: before the preamble, 1: in it, 2: messages
	for {
		start := p.src.offset
		b, cut, err := p.src.next(&p.r.problems, p.opts.maxLineBytes(), p.perr)
		if err == io.EOF {
			break
		}
		if err != nil {
			ferr = err
			break
		}
		line := string(b)
		switch state {
		case 0:
			if strings.HasPrefix(line, dceRule) {
				state = 1
			} else if strings.TrimSpace(line) != "" {
				p.endMessage()
				return nil, p.perr(p.src.line, start, "not a DiscordChatExporter text export: no '=' rule before the preamble", nil)
			}
			continue
		case 1:
			switch {
			case strings.HasPrefix(line, dceRule):
				state = 2
				p.blank = true
			case strings.HasPrefix(line, "Guild: "):
				p.guild = truncateUTF8(line[len("Guild: "):], tgMaxName)
			case strings.HasPrefix(line, "Channel: "):
				p.chann = truncateUTF8(line[len("Channel: "):], tgMaxName)
			}
			continue
		}
		p.line(line, cut, start)
	}
	p.endMessage()
	if state < 2 && ferr == nil {
		return nil, p.perr(p.src.line, p.src.offset, "not a DiscordChatExporter text export: the preamble is incomplete", nil)
	}
	c := p.c
	p.dates.place(c, p.opts, func(line int, off int64, msg string) *ParseError { return p.perr(line, off, msg, nil) }, p.r.add)
	dceFinish(c, p.name, p.guild, p.chann, discordTextReaderVersion, p.opts)
	return c, ferr
}

// line reads a line after the preamble.
func (p *dceTextParser) line(line string, cut bool, off int64) {
	blank := p.blank
	p.blank = line == ""
	if blank && strings.HasPrefix(line, "[") {
		if i := strings.Index(line, "] "); i > 0 {
			if d, ok := parseDCEDate(line[1:i]); ok {
				p.endMessage()
				author := strings.TrimSuffix(line[i+2:], " (pinned)")
				p.cur = &dceTextMsg{off: off, date: d}
				p.cur.m.Line = p.src.line
				p.cur.m.Author = truncateUTF8(author, tgMaxName)
				return
			}
		}
	}
	if m := p.cur; m != nil {
		if m.size > p.opts.maxMessageBytes()+tgSlack {
			m.cut = true
			return
		}
		m.cut = m.cut || cut
		m.lines = append(m.lines, line)
		m.size += len(line) + 1
	}
}

// dceBlocks are the markers of the blocks that follow a message's text.
var dceBlocks = map[string]bool{"{Attachments}": true, "{Embed}": true, "{Stickers}": true, "{Reactions}": true}

func (p *dceTextParser) endMessage() {
	tm := p.cur
	p.cur = nil
	if tm == nil {
		return
	}
	lines := tm.lines
	// The postamble: a rule, "Exported N message(s)", a rule, after the message's blank lines.
	if n := len(lines); n >= 3 && strings.HasPrefix(lines[n-1], dceRule) && strings.HasPrefix(lines[n-2], "Exported ") &&
		strings.HasPrefix(lines[n-3], dceRule) {
		lines = lines[:n-3]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	text := lines
	for i := 1; i < len(lines); i++ {
		if dceBlocks[lines[i]] && lines[i-1] == "" {
			text = lines[:i-1]
			p.blocks(&tm.m, lines[i:])
			break
		}
	}
	for len(text) > 0 && text[len(text)-1] == "" {
		text = text[:len(text)-1]
	}
	m := tm.m
	m.ID = fmt.Sprint(len(p.c.Messages) + 1)
	perr := func(msg string, err error) *ParseError { return p.perr(m.Line, tm.off, msg, err) }
	m.Text = dceCap(&p.r.problems, p.opts, strings.Join(text, "\n"), tm.cut, perr, m.ID)
	m.System = len(m.Attachments) == 0 && dceSystemText.MatchString(m.Text)
	p.dates.add(len(p.c.Messages), tm.date)
	p.c.Messages = append(p.c.Messages, m)
}

// blocks reads the attachment, embed, sticker and reaction blocks of a message.
func (p *dceTextParser) blocks(m *Message, lines []string) {
	block := ""
	embedDone := false
	for _, l := range lines {
		if dceBlocks[l] {
			block, embedDone = l, false
			continue
		}
		if l == "" {
			block = ""
			continue
		}
		switch block {
		case "{Attachments}":
			m.Attachments = append(m.Attachments, Attachment{Kind: attachmentKindFromName(dceFileName(l), ""), Name: dceFileName(l), URL: l})
		case "{Stickers}":
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentSticker, URL: l})
		case "{Embed}":
			// The embed's URL is its first line that is a link (its author name may come before it).
			if !embedDone && (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) {
				m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentLink, URL: l})
				embedDone = true
			}
		}
	}
}
