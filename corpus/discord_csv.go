package corpus

// Reader of DiscordChatExporter CSV exports, written by
// DiscordChatExporter.Core/Exporting/CsvMessageWriter.cs. One file holds one channel: a header,
// then one row per message, every field quoted ("" for a quote inside), a message's newlines kept
// inside its quoted field:
//
//	AuthorID,Author,Date,Content,Attachments,Reactions
//	"402871558993510401","river_blue","2024-04-27T16:02:11.4090000+02:00","TEXT","URL,URL","👍 (1),❤️ (2)"
//
// Author is User.FullName (the user name, with "#discriminator" for accounts that still have one):
// it is Message.Author, as in the JSON reader. Date is FormatDate(message.Timestamp, "o"): ISO 8601
// with the offset, exact; older versions wrote it with their date format setting (see
// discord_dates.go), read in [Options.Location]. A system notification's content is its fallback
// text ("Joined the server.", ...), read as a system message. Attachments are the URLs joined by
// commas. The file names neither the guild nor the channel and has no message ids (messages are
// numbered), replies or edit marks; the channel id is taken from the default file name
// ("... [CHANNEL ID].csv").

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const discordCSVReaderVersion = "discord-csv/1"

// dceCSVHeader is the header the writer puts first.
var dceCSVHeader = []string{"authorid", "author", "date", "content", "attachments", "reactions"}

// dceIsCSVHeader reports whether line (without its line end) is the header of a CSV export, with
// or without quotes.
func dceIsCSVHeader(line []byte) bool {
	line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))
	f := strings.Split(string(line), ",")
	if len(f) != len(dceCSVHeader) {
		return false
	}
	for i, h := range f {
		if strings.ToLower(strings.Trim(strings.TrimSpace(h), `"`)) != dceCSVHeader[i] {
			return false
		}
	}
	return true
}

// sniffDiscordCSV recognizes the header of a CSV export.
func sniffDiscordCSV(head []byte) int {
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if dceIsCSVHeader(line) {
		return 97
	}
	return 0
}

type dceCSVParser struct {
	r     *dceReader
	name  string
	opts  Options
	cr    *csv.Reader
	lim   *capReader
	c     *Conversation
	dates dceDates
}

func newDiscordCSVReader(name string, r io.Reader, o Options) *dceReader {
	dr := &dceReader{}
	lim := &capReader{r: r, max: int64(o.maxLineBytes()) + 64<<10}
	cr := csv.NewReader(lim)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	p := &dceCSVParser{r: dr, name: name, opts: o, cr: cr, lim: lim, c: &Conversation{Platform: "discord"}}
	dr.read = p.run
	return dr
}

func (p *dceCSVParser) perr(line int, msg string, err error) *ParseError {
	return &ParseError{File: p.name, Line: line, Offset: -1, Format: FormatDiscord, Msg: msg, Err: err}
}

func (p *dceCSVParser) run() (*Conversation, error) {
	rec, err := p.cr.Read()
	if err != nil || len(rec) != len(dceCSVHeader) || !dceIsCSVHeader([]byte(strings.Join(rec, ","))) {
		if err == nil || err == io.EOF {
			err = nil
		}
		return nil, p.perr(1, "not a DiscordChatExporter CSV export: want the header "+
			"AuthorID,Author,Date,Content,Attachments,Reactions", err)
	}
	var ferr error
	lastLine := 1
	for {
		p.lim.n = 0
		rec, err := p.cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, ErrTooLarge) {
				p.r.add(p.perr(pe.StartLine, "bad row skipped", pe.Err))
				continue
			}
			if errors.Is(err, ErrTooLarge) {
				err = fmt.Errorf("row longer than %d bytes: %w", p.opts.maxLineBytes(), ErrTooLarge)
			}
			ferr = p.perr(lastLine+1, "read", err)
			break
		}
		line, _ := p.cr.FieldPos(0)
		lastLine = line
		if len(rec) != len(dceCSVHeader) {
			p.r.add(p.perr(line, fmt.Sprintf("bad row skipped: %d fields, the header has %d", len(rec), len(dceCSVHeader)), nil))
			continue
		}
		p.addRow(rec, line)
	}
	c := p.c
	p.dates.place(c, p.opts, func(line int, _ int64, msg string) *ParseError { return p.perr(line, msg, nil) }, p.r.add)
	dceFinish(c, p.name, "", "", discordCSVReaderVersion, p.opts)
	return c, ferr
}

func (p *dceCSVParser) addRow(rec []string, line int) {
	m := Message{ID: strconv.Itoa(len(p.c.Messages) + 1), Line: line, Author: truncateUTF8(strings.ToValidUTF8(rec[1], "\uFFFD"), tgMaxName)}
	perr := func(msg string, err error) *ParseError { return p.perr(line, msg, err) }
	m.Text = dceCap(&p.r.problems, p.opts, strings.ToValidUTF8(rec[3], "\uFFFD"), false, perr, m.ID)
	for _, u := range strings.Split(rec[4], ",") {
		if u = strings.TrimSpace(u); u != "" {
			n := dceFileName(u)
			m.Attachments = append(m.Attachments, Attachment{Kind: attachmentKindFromName(n, ""), Name: n, URL: u})
		}
	}
	m.System = len(m.Attachments) == 0 && dceSystemText.MatchString(m.Text)
	idx := len(p.c.Messages)
	if ts := strings.TrimSpace(rec[2]); ts != "" {
		if d, ok := parseDCEDate(ts); ok {
			p.dates.add(idx, d)
		} else {
			p.dates.unknown(idx, -1)
		}
	}
	p.c.Messages = append(p.c.Messages, m)
}
