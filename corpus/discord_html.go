package corpus

// Reader of DiscordChatExporter HTML exports (HtmlDark, the GUI's default, and HtmlLight), written by
// DiscordChatExporter.Core/Exporting/HtmlMessageWriter.cs from three Razor templates whose output
// WebMarkupMin minifies (whitespace collapsed, quotes dropped around single-word attribute values),
// except the blocks between <!--wmm:ignore--> comments. One file holds one channel:
//
//	PreambleTemplate.cshtml:
//	 <title>GUILD - CHANNEL</title> ... <div class=preamble> ...
//	 <div class=preamble__entry>GUILD NAME</div>            ("Direct Messages" for DMs)
//	 <div class=preamble__entry>CATEGORY / CHANNEL NAME</div>
//	 [<div class="preamble__entry preamble__entry--small">TOPIC | After/Before/Between DATES</div>]
//	 <div class=chatlog>
//	MessageGroupTemplate.cshtml, once per group of messages:
//	 <div class=chatlog__message-group>
//	  <div id=chatlog__message-container-ID class="chatlog__message-container " data-message-id=ID>
//	   <div class=chatlog__message>
//	    <div class=chatlog__message-aside> avatar (first message of the group), or
//	      <div class=chatlog__short-timestamp title="DATE f">TIME t</div> </div>
//	    <div class=chatlog__message-primary>
//	     [<div class=chatlog__reply> ... <div class=chatlog__reply-author title=FULLNAME>NICK</div>
//	       <span class=chatlog__reply-link onclick="scrollToMessage(event, 'REPLIED ID')">QUOTE</span></div>]
//	     <div class=chatlog__header>
//	      <span class=chatlog__author title=FULLNAME data-user-id=USERID>DISPLAY NAME</span>
//	      [<span class=chatlog__author-tag>BOT</span>]
//	      <span class=chatlog__timestamp title="DATE f"><a href=#chatlog__message-container-ID>DATE g</a></span></div>
//	     <div class="chatlog__content chatlog__markdown"><span class=chatlog__markdown-preserve>TEXT</span>
//	      [<span class=chatlog__edited-timestamp title="DATE f">(edited)</span>]</div>
//	     <div class=chatlog__attachment> <a href=URL><img class=chatlog__attachment-media src=URL
//	       title="Image: FILE NAME (SIZE)"></a> | <video>/<audio> <source src=URL title="Video: ..."> |
//	       <div class=chatlog__attachment-generic-name><a href=URL>FILE NAME</a></div> </div>
//	     <div class=chatlog__embed> ... </div>   <div class=chatlog__sticker title=NAME> ... </div>
//	     <div class=chatlog__reactions> ... </div>
//	 A system notification (joins, calls, pins...) has instead, in its message-primary:
//	      <span class=chatlog__system-notification-author title=FULLNAME data-user-id=USERID>NAME</span>
//	      <span class=chatlog__system-notification-content>joined the server. | pinned
//	        <a href=#chatlog__message-container-PINNED ID>a message</a> to this channel. | ...</span>
//	      <span class=chatlog__system-notification-timestamp title="DATE f"><a>DATE g</a></span>
//	PostambleTemplate.cshtml: </div> <div class=postamble><div class=postamble__entry>Exported N message(s)</div></div>
//
// Only the first message of a group has the header: the group's other messages (same author, less
// than 7 minutes apart, not replies) take its author. FULLNAME is the user name, with
// "#discriminator" for accounts that still have one (User.FullName): it is Message.Author, as in
// the JSON reader. The text is HtmlMarkdownVisitor's rendering of the markdown: WebUtility.HtmlEncode'd
// text whose raw newlines are the message's own (the span is white-space: pre-wrap), <strong>, <em>,
// <a>, mentions as <span class=chatlog__markdown-mention>@NAME</span>, and emoji as
// <img class=chatlog__emoji alt=EMOJI>, read as their alt text. Dates: see discord_dates.go; the
// "f" title is read first, then the "g" text. Older versions (Exporting/Writers/Html/) wrote
// chatlog__reference and chatlog__reference-link for the reply block, no title on chatlog__timestamp
// and title="DATE g" on the short timestamp: all are read. The channel id
// is not in the page: it is taken from the default file name ("... [CHANNEL ID].html").
//
// The page is read with the streaming html.Tokenizer; only the channel's messages are held.

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

const discordHTMLReaderVersion = "discord-html/1"

// dceMaxAttr caps the attribute values and names that the reader keeps.
const dceMaxAttr = 4096

// dceScrollTo finds the message id in onclick="scrollToMessage(event, '123')".
var dceScrollTo = regexp.MustCompile(`'([0-9]+)'`)

// sniffDiscordHTML recognizes a DiscordChatExporter HTML page from its class names.
func sniffDiscordHTML(head []byte) int {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return 0
	}
	group := bytes.Contains(t, []byte("chatlog__message-group"))
	preamble := bytes.Contains(t, []byte("preamble__entry"))
	chatlog := bytes.Contains(t, []byte(`class=chatlog>`)) || bytes.Contains(t, []byte(`class="chatlog"`)) ||
		bytes.Contains(t, []byte(".chatlog__message"))
	switch {
	case group && (preamble || chatlog):
		return 97
	case group || preamble && chatlog:
		return 90 // cut before the messages, or a page without a preamble
	}
	return 0
}

// dceCapture says what the text at a point of the page is.
type dceCapture uint8

const (
	dceNone dceCapture = iota
	dceSkip
	dceGuild
	dceChannel
	dceAuthor
	dceTime
	dceText
	dceAttName
)

type dceElem struct {
	tag  string
	cap  dceCapture
	msg  bool // a message container
	att  bool // an attachment block
	emb  bool // an embed block
	stk  bool // a sticker block
	grp  bool // a message group
	repl bool // a reply block
}

// dceHTMLMsg is the message being read.
type dceHTMLMsg struct {
	m         Message
	off       int64
	author    string // a system notification's own author
	timeTitle string
	timeText  tgBuf
	text      tgBuf
	att       *Attachment
	attName   tgBuf
	attKind   AttachmentKind
	embURL    string
	embAny    string
	embInvite bool
	sticker   *Attachment
}

type dceHTMLParser struct {
	r       *dceReader
	name    string
	opts    Options
	z       *html.Tokenizer
	line    int
	off     int64
	stack   []dceElem
	entries int // preamble entries seen
	guild   tgBuf
	channel tgBuf
	group   string // the author of the current group
	gAuthor tgBuf  // text of the author element being read
	gTitle  string
	names   map[string]string // display names by author
	cur     *dceHTMLMsg
	c       *Conversation
	dates   dceDates
}

func newDiscordHTMLReader(name string, r io.Reader, o Options) *dceReader {
	dr := &dceReader{}
	p := &dceHTMLParser{r: dr, name: name, opts: o, z: html.NewTokenizer(r), line: 1,
		c: &Conversation{Platform: "discord"}, names: map[string]string{}, guild: tgBuf{max: tgMaxName}, channel: tgBuf{max: tgMaxName}}
	p.z.SetMaxBuf(o.maxLineBytes())
	dr.read = p.run
	return dr
}

func (p *dceHTMLParser) perr(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: p.name, Line: line, Offset: off, Format: FormatDiscord, Msg: msg, Err: err}
}

func (p *dceHTMLParser) run() (*Conversation, error) {
	var ferr error
	sawMarkup := false
loop:
	for {
		tt := p.z.Next()
		raw := p.z.Raw()
		line, off := p.line, p.off
		p.line += bytes.Count(raw, []byte{'\n'})
		p.off += int64(len(raw))
		switch tt {
		case html.ErrorToken:
			err := p.z.Err()
			if p.cur != nil && err == io.EOF {
				p.r.add(p.perr(line, off, "the page ends inside a message (cut short?)", nil))
			}
			p.popTo(0)
			switch {
			case err == io.EOF:
			case err == html.ErrBufferExceeded:
				ferr = p.perr(line, off, "markup token too large", ErrTooLarge)
			default:
				ferr = p.perr(line, off, "read", err)
			}
			break loop
		case html.TextToken:
			if b := p.target(); b != nil {
				b.write(p.z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			sawMarkup = true
			if err := p.start(line, off); err != nil {
				p.popTo(0)
				ferr = err
				break loop
			}
		case html.EndTagToken:
			name, _ := p.z.TagName()
			for i := len(p.stack) - 1; i >= 0; i-- {
				if p.stack[i].tag == string(name) {
					p.popTo(i)
					break
				}
			}
		}
	}
	if ferr == nil && !sawMarkup {
		return nil, p.perr(0, 0, "not a DiscordChatExporter HTML export: no markup", nil)
	}
	c := p.c
	p.dates.place(c, p.opts, func(line int, off int64, msg string) *ParseError { return p.perr(line, off, msg, nil) }, p.r.add)
	dceFinish(c, p.name, p.guild.finish(nil), p.channel.finish(nil), discordHTMLReaderVersion, p.opts)
	c.Participants = participantsOf(c, p.names)
	return c, ferr
}

// target returns the buffer that text at the current point goes to, or nil.
func (p *dceHTMLParser) target() *tgBuf {
	if len(p.stack) == 0 {
		return nil
	}
	switch p.stack[len(p.stack)-1].cap {
	case dceGuild:
		return &p.guild
	case dceChannel:
		return &p.channel
	case dceAuthor:
		return &p.gAuthor
	case dceTime:
		if p.cur != nil {
			return &p.cur.timeText
		}
	case dceText:
		if p.cur != nil {
			return &p.cur.text
		}
	case dceAttName:
		if p.cur != nil && p.cur.att != nil {
			return &p.cur.attName
		}
	}
	return nil
}

// attr returns the value of an attribute, capped.
func dceAttr(v []byte) string {
	if len(v) > dceMaxAttr {
		v = v[:dceMaxAttr]
	}
	return strings.ToValidUTF8(string(v), "\uFFFD")
}

func (p *dceHTMLParser) start(line int, off int64) error {
	t := readTag(p.z) // values valid until the next token
	tag, class, id, title, href := t.name, t.class, t.id, t.title, t.href
	src, alt, onclick, msgID, dataSource := t.src, t.alt, t.onclick, t.dataMessageID, t.dataSource
	has := class.has
	if tag == "img" && has("chatlog__emoji") {
		if len(p.stack) > 0 && p.stack[len(p.stack)-1].cap == dceText && p.cur != nil {
			p.cur.text.write(alt)
		}
	}
	if tag == "br" {
		if b := p.target(); b != nil {
			b.write([]byte{'\n'})
		}
	}
	m := p.cur
	if m != nil {
		p.mediaAttrs(tag, class, title, href, src, dataSource)
	}
	if voidElements[tag] {
		return nil
	}
	if len(p.stack) >= tgMaxDepth {
		return p.perr(line, off, fmt.Sprintf("elements nested deeper than %d", tgMaxDepth), nil)
	}
	e := dceElem{tag: tag}
	if len(p.stack) > 0 {
		e.cap = p.stack[len(p.stack)-1].cap
	}
	switch {
	case e.cap == dceSkip:
	case tag == "script" || tag == "style" || tag == "title" || tag == "svg" || tag == "template" || tag == "textarea":
		e.cap = dceSkip
	case has("chatlog__message-group"):
		e.grp = true
		p.group = ""
	case m == nil && (len(msgID) > 0 || bytes.HasPrefix(id, []byte("chatlog__message-container-"))) &&
		(has("chatlog__message-container") || has("chatlog__message")):
		p.startMessage(msgID, id, line, off)
		e.msg = true
	case m == nil && has("preamble__entry") && !has("preamble__entry--small"):
		switch p.entries {
		case 0:
			e.cap = dceGuild
		case 1:
			e.cap = dceChannel
		}
		p.entries++
	case has("chatlog__author") || has("chatlog__author-name") || has("chatlog__system-notification-author"):
		e.cap = dceAuthor
		p.gTitle = dceAttr(title)
		p.gAuthor = tgBuf{max: tgMaxName}
		if m != nil && has("chatlog__system-notification-author") {
			m.m.System = true
		}
	case m == nil:
	case has("chatlog__reply") || has("chatlog__reference"):
		e.cap, e.repl = dceSkip, true
	case has("chatlog__timestamp") || has("chatlog__short-timestamp") || has("chatlog__system-notification-timestamp"):
		e.cap = dceTime
		if m.timeTitle == "" {
			m.timeTitle = dceAttr(title)
		}
	case has("chatlog__edited-timestamp"):
		e.cap = dceSkip
		m.m.Edited = true
	case has("chatlog__content") || has("chatlog__system-notification-content"):
		e.cap = dceText
		if has("chatlog__system-notification-content") {
			m.m.System = true
		}
	case e.cap == dceText && tag == "a" && m.m.System:
		if ref, ok := bytes.CutPrefix(href, []byte("#chatlog__message-container-")); ok && isDigits(string(ref)) {
			m.m.ReplyTo = string(ref)
		}
	case has("chatlog__attachment") && m.att == nil:
		e.att, e.cap = true, dceSkip
		m.att = &Attachment{}
		m.attName = tgBuf{max: tgMaxName}
		m.attKind = ""
	case has("chatlog__embed") && !e.emb:
		e.emb, e.cap = true, dceSkip
		m.embURL, m.embAny, m.embInvite = "", "", false
	case has("chatlog__sticker") && m.sticker == nil:
		e.stk, e.cap = true, dceSkip
		m.sticker = &Attachment{Kind: AttachmentSticker, Name: dceAttr(title)}
	case has("chatlog__reactions"):
		e.cap = dceSkip
	}
	if m != nil && len(onclick) > 0 && (has("chatlog__reply-link") || has("chatlog__reference-link")) {
		if sm := dceScrollTo.FindSubmatch(onclick); sm != nil {
			m.m.ReplyTo = string(sm[1])
		}
	}
	if p.cur != nil && p.cur.att != nil && has("chatlog__attachment-generic-name") {
		e.cap = dceAttName
	}
	p.stack = append(p.stack, e)
	return nil
}

// mediaAttrs reads the links of the attachment, embed or sticker block being read.
func (p *dceHTMLParser) mediaAttrs(tag string, class tgClasses, title, href, src, dataSource []byte) {
	m := p.cur
	if a := m.att; a != nil {
		if a.URL == "" && len(href) > 0 && tag == "a" {
			a.URL = dceAttr(href)
		}
		if a.URL == "" && len(src) > 0 && (tag == "img" || tag == "source" || tag == "video" || tag == "audio") {
			a.URL = dceAttr(src)
		}
		// title="Image: FILE NAME (SIZE)" on the img or source element.
		if t := dceAttr(title); a.Name == "" && t != "" {
			kind, rest, ok := strings.Cut(t, ": ")
			if i := strings.LastIndex(rest, " ("); ok && i > 0 {
				a.Name = rest[:i]
				switch kind {
				case "Image":
					m.attKind = AttachmentImage
				case "Video":
					m.attKind = AttachmentVideo
				case "Audio":
					m.attKind = AttachmentAudio
				}
			}
		}
		return
	}
	if m.sticker != nil {
		if m.sticker.URL == "" && len(src) > 0 {
			m.sticker.URL = dceAttr(src)
		}
		if m.sticker.URL == "" && len(dataSource) > 0 {
			m.sticker.URL = dceAttr(dataSource)
		}
		return
	}
	if !p.inEmbed() {
		return
	}
	switch {
	case class.has("chatlog__embed-invite-container"):
		m.embInvite = true
	case class.has("chatlog__embed-title-link") && m.embURL == "":
		m.embURL = dceAttr(href)
	case tag == "iframe" && m.embAny == "":
		m.embAny = dceAttr(src)
	case tag == "a" && len(class) == 0 && m.embAny == "":
		m.embAny = dceAttr(href)
	case tag == "source" && m.embAny == "":
		m.embAny = dceAttr(src)
	}
}

func (p *dceHTMLParser) inEmbed() bool {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i].emb {
			return true
		}
		if p.stack[i].msg {
			return false
		}
	}
	return false
}

func (p *dceHTMLParser) startMessage(msgID, id []byte, line int, off int64) {
	m := &dceHTMLMsg{off: off, timeText: tgBuf{max: 256}, text: tgBuf{max: p.opts.maxMessageBytes()}}
	m.m.Line = line
	switch {
	case isDigits(string(msgID)) && len(msgID) <= 24:
		m.m.ID = string(msgID)
	default:
		if ref, ok := bytes.CutPrefix(id, []byte("chatlog__message-container-")); ok && isDigits(string(ref)) && len(ref) <= 24 {
			m.m.ID = string(ref)
		}
	}
	p.cur = m
}

// popTo closes the elements from the top of the stack down to index i included.
func (p *dceHTMLParser) popTo(i int) {
	for len(p.stack) > i {
		e := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		if e.cap == dceAuthor && (len(p.stack) == 0 || p.stack[len(p.stack)-1].cap != dceAuthor) {
			p.endAuthor()
		}
		if e.grp {
			p.group = ""
		}
		m := p.cur
		if m == nil {
			continue
		}
		switch {
		case e.att && m.att != nil:
			a := *m.att
			m.att = nil
			if a.Name == "" {
				a.Name = m.attName.finish(nil)
			}
			n := a.Name
			if n == "" {
				n = lastPathElem(a.URL)
			}
			a.Kind = attachmentKindFromName(n, "")
			if a.Kind == AttachmentFile && m.attKind != "" {
				a.Kind = m.attKind
			}
			if a.URL != "" || a.Name != "" {
				m.m.Attachments = append(m.m.Attachments, a)
			}
		case e.emb:
			u := m.embURL
			if u == "" {
				u = m.embAny
			}
			if u != "" && !m.embInvite {
				m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentLink, URL: u})
			}
		case e.stk && m.sticker != nil:
			m.m.Attachments = append(m.m.Attachments, *m.sticker)
			m.sticker = nil
		case e.msg:
			p.endMessage()
		}
	}
}

// endAuthor records the author element just read: the group's author, or a system notification's.
func (p *dceHTMLParser) endAuthor() {
	a := p.gTitle
	if a == "" {
		a = p.gAuthor.finish(nil)
	}
	if d := p.gAuthor.finish(nil); a != "" && d != "" && p.names[a] == "" && len(p.names) < 1<<16 {
		p.names[a] = d
	}
	if p.cur != nil && p.cur.m.System {
		p.cur.author = a
		return
	}
	p.group = a
}

func (p *dceHTMLParser) endMessage() {
	tm := p.cur
	p.cur = nil
	c := p.c
	m := tm.m
	if m.ID == "" {
		m.ID = strconv.Itoa(len(c.Messages) + 1)
	}
	perr := func(msg string, err error) *ParseError { return p.perr(m.Line, tm.off, msg, err) }
	cut := false
	m.Text = tm.text.finish(func() { cut = true })
	if m.System {
		// Its sentence is written as spans that the minifier spaced out.
		m.Text = strings.Join(strings.Fields(m.Text), " ")
	}
	m.Text = dceCap(&p.r.problems, p.opts, m.Text, cut, perr, m.ID)
	if m.System {
		m.Author = tm.author
	} else {
		m.Author = p.group
	}
	if m.Author == "" && !m.System {
		p.r.add(perr(fmt.Sprintf("message %q: no author", m.ID), nil))
	}
	idx := len(c.Messages)
	c.Messages = append(c.Messages, m)
	if d, ok := parseDCEDate(tm.timeTitle); ok {
		p.dates.add(idx, d)
	} else if d, ok := parseDCEDate(tm.timeText.finish(nil)); ok {
		p.dates.add(idx, d)
	} else if tm.timeTitle != "" || len(tm.timeText.b) > 0 {
		p.dates.unknown(idx, tm.off)
	}
}
