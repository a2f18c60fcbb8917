package corpus

// Reader of Telegram Desktop HTML exports, the default format of "Export chat history" (written by
// Telegram/SourceFiles/export/output/export_output_html.cpp). One chat is split over pages of 1000
// messages: messages.html, messages2.html, ..., messages10.html in its folder (ChatExport_DATE/ for one
// chat, DataExport_DATE/chats/chat_NNN/ for each chat of a full-account export, beside
// export_results.html and lists/chats.html).
//
// A page holds, inside <div class="page_body chat_page"><div class="history">, one block per message:
//
//	<div class="page_header"> ... <div class="text bold">CHAT NAME</div> ... </div>
//	<div class="message service" id="message-1"><div class="body details">14 March 2026</div></div>
//	<div class="message default clearfix" id="message123">
//	 <div class="pull_left userpic_wrap"> ... initials ... </div>
//	 <div class="body">
//	  <div class="pull_right date details" title="14.03.2026 21:03:05 UTC+01:00">21:03</div>
//	  <div class="from_name">SENDER [via @bot]</div>
//	  <div class="pull_left forwarded userpic_wrap"> ... </div>
//	  <div class="forwarded body">
//	   <div class="from_name">ORIGINAL SENDER<span class="date details" title="..."> DATE</span></div>
//	  <div class="reply_to details">In reply to <a href="#go_to_message120" ...>this message</a></div>
//	  <div class="media_wrap clearfix"> ... photo_wrap, sticker_wrap, media_file, media_call ... </div>
//	  <div class="text">TEXT with <br>, <strong>, <a>, <span class="spoiler hidden">...</div>
//	  [</div> of the forwarded body]
//	 </div>
//	</div>
//	<div class="message default clearfix joined" id="message124"> ... no from_name ... </div>
//
// A "joined" message has the sender of the message above it (the writer joins messages of one sender
// within 15 minutes on the same day; the first message of every page is never joined). Service
// messages (joins, title changes, pins) are plain sentences; those with small negative ids are the
// writer's date separators and are not messages. A phone call is an ordinary message holding a
// media_call block. The date title is "DD.MM.YYYY HH:MM:SS", followed in recent versions by
// " UTC+HH:MM": Qt's name of the exporting machine's standard offset (QTimeZone::StandardTime), which
// is an hour short of the clock in summer time. So when [Options.Location] has that standard offset,
// the time is read in it (summer time included); else at the offset written. Older pages carry no
// zone and are read in [Options.Location]. The writer escapes text with &amp;
// &quot; &apos; &lt; &gt;, writes a line break as <br> and control characters as &#xNN;: the raw
// newlines of a page are its own indentation.
//
// Pages are read with the streaming html.Tokenizer: only the current chat's messages are held.

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

const telegramHTMLReaderVersion = "telegram-html/1"

const (
	// tgMaxDepth bounds the nesting of elements: the writer nests about 12 deep.
	tgMaxDepth = 256
	// tgMaxName caps a sender name, a chat name and a media title.
	tgMaxName = 1024
	// tgSlack is what a text buffer keeps past its cap, for the writer's indentation that is trimmed.
	tgSlack = 1024
)

var (
	// tgPageName is the name of a chat page: messages.html, messages2.html, ...
	tgPageName = regexp.MustCompile(`^messages([0-9]*)\.html$`)
	// tgVia is what the writer appends to a sender's name for a message sent through an inline bot.
	tgVia = regexp.MustCompile(`\s+via @[A-Za-z0-9_]+$`)
	// tgDateSeparator is the text of the writer's date separators ("14 March 2026").
	tgDateSeparator = regexp.MustCompile(`^[0-9]{1,2} (January|February|March|April|May|June|July|August|September|October|November|December|Unknown) [0-9]+$`)
	// tgCallDuration is the duration in the status of a call ("Outgoing (42 seconds)").
	tgCallDuration = regexp.MustCompile(`\(([0-9]+) seconds\)`)
)

// tgUnsupported is the text of the service block that stands for a message the exporting app could
// not read.
const tgUnsupported = "This message is not supported by this version of Telegram Desktop"

// sniffTelegramHTML recognizes a page of a Telegram Desktop HTML export from its markup.
func sniffTelegramHTML(head []byte) int {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return 0
	}
	header := bytes.Contains(t, []byte(`class="page_header"`))
	chat := bytes.Contains(t, []byte(`class="page_body chat_page"`)) || bytes.Contains(t, []byte(`class="history"`))
	msg := bytes.Contains(t, []byte(`class="message default clearfix`)) || bytes.Contains(t, []byte(`class="message service"`))
	switch {
	case header && (chat || msg):
		return 97
	case msg && bytes.Contains(t, []byte(`class="pull_right date details"`)):
		return 90 // a page whose header was cut off
	case header && bytes.Contains(t, []byte(`<title>Exported Data</title>`)):
		return 60 // export_results.html or a list page: the reader says to open the folder
	}
	return 0
}

// tgPageNumber returns the page number of a chat page's base name (messages.html is page 1).
func tgPageNumber(base string) (int, bool) {
	m := tgPageName.FindStringSubmatch(base)
	if m == nil {
		return 0, false
	}
	if m[1] == "" {
		return 1, true
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, false
	}
	return n, true
}

// tgChatID derives a conversation id from the folder that holds a chat's pages and the chat's name:
// the HTML export has no numeric chat id.
func tgChatID(dir, title string) string {
	base := path.Base(filepath.ToSlash(dir))
	if base == "." || base == "/" || base == "" {
		base = "telegram"
	}
	if title == "" {
		return base
	}
	return base + "/" + title
}

// tgPage is one page of a chat, opened when its turn comes.
type tgPage struct {
	name string // for errors: the path as the user would write it
	open func() (io.Reader, io.Closer, error)
}

// tgChat is a chat to read: its pages in order.
type tgChat struct {
	dir   string // the folder holding the pages, for the id
	file  string // Source.File
	pages []tgPage
}

// telegramHTMLReader reads chats of a Telegram Desktop HTML export, one conversation per chat.
type telegramHTMLReader struct {
	problems
	opts  Options
	chats []tgChat
	// alone is true when a page is read without the pages before it.
	alone bool
	cur   *Conversation
	err   error
	// zoneNoted: a date title with an unknown zone was reported.
	zoneNoted bool
	// zones caches the zones of the date titles: a chat has one or two.
	zones map[string]*time.Location
}

// zone returns the zone of a date title's suffix, from the cache.
func (r *telegramHTMLReader) zone(s string) (*time.Location, bool) {
	if z, ok := r.zones[s]; ok {
		return z, z != nil
	}
	z, ok := tgZone(s)
	if r.zones == nil {
		r.zones = map[string]*time.Location{}
	}
	if len(r.zones) < 64 {
		r.zones[s] = z
	}
	return z, ok
}

func newTelegramHTMLReader(name string, r io.Reader, o Options) *telegramHTMLReader {
	page := tgPage{name: name, open: func() (io.Reader, io.Closer, error) { return r, nil, nil }}
	return &telegramHTMLReader{opts: o, alone: true,
		chats: []tgChat{{dir: filepath.Dir(filepath.ToSlash(name)), file: name, pages: []tgPage{page}}}}
}

// newTelegramFSReader reads a Telegram Desktop export folder: every folder that holds messages*.html
// is one chat, its pages read in numeric order. An export made in both formats is read from its
// result.json, whose times and reply ids are exact; so is a folder with a result.json and no page.
func newTelegramFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	type page struct {
		n    int
		path string
	}
	dirs := map[string][]page{}
	var jsonPath string
	for _, p := range names {
		base := path.Base(p)
		if n, ok := tgPageNumber(base); ok {
			d := path.Dir(p)
			dirs[d] = append(dirs[d], page{n, p})
		} else if base == "result.json" && (jsonPath == "" || strings.Count(p, "/") < strings.Count(jsonPath, "/")) {
			jsonPath = p
		}
	}
	if len(dirs) == 0 && jsonPath == "" {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatTelegram, Err: ErrUnknownFormat,
			Msg: "no Telegram chat (messages.html or result.json) in this folder or archive"}
	}
	keys := make([]string, 0, len(dirs))
	for d := range dirs {
		keys = append(keys, d)
	}
	sort.Strings(keys)
	if jsonPath != "" && tgJSONCoversPages(path.Dir(jsonPath), keys) {
		f, err := fsys.Open(jsonPath)
		if err != nil {
			return nil, &ParseError{File: filepath.Join(name, jsonPath), Offset: -1, Format: FormatTelegram, Msg: "open", Err: err}
		}
		o.Format = FormatTelegram
		r, err := NewReader(filepath.Join(name, jsonPath), f, o)
		if err != nil {
			_ = f.Close()
			return nil, err
		}
		return &closingReader{Reader: r, c: f}, nil
	}
	r := &telegramHTMLReader{opts: o}
	for _, d := range keys {
		pages := dirs[d]
		sort.Slice(pages, func(i, j int) bool { return pages[i].n < pages[j].n })
		chat := tgChat{dir: d, file: filepath.Join(name, filepath.FromSlash(d))}
		if d == "." {
			chat.dir, chat.file = name, name
		}
		for _, p := range pages {
			chat.pages = append(chat.pages, tgPage{name: filepath.Join(name, filepath.FromSlash(p.path)),
				open: func() (io.Reader, io.Closer, error) {
					f, err := fsys.Open(p.path)
					return f, f, err
				}})
		}
		r.chats = append(r.chats, chat)
	}
	return r, nil
}

// tgJSONCoversPages reports whether a result.json in folder jd stands at the root of the export that
// holds the chat folders of dirs (a result.json deeper down is a file that someone sent).
func tgJSONCoversPages(jd string, dirs []string) bool {
	for _, d := range dirs {
		if jd != "." && d != jd && !strings.HasPrefix(d, jd+"/") {
			return false
		}
	}
	return true
}

func (r *telegramHTMLReader) Format() Format              { return FormatTelegram }
func (r *telegramHTMLReader) Conversation() *Conversation { return r.cur }
func (r *telegramHTMLReader) Err() error                  { return r.err }
func (r *telegramHTMLReader) Close() error                { return nil }

func (r *telegramHTMLReader) Next() bool {
	r.cur = nil
	if r.err != nil || len(r.chats) == 0 {
		return false
	}
	chat := r.chats[0]
	r.chats = r.chats[1:]
	st := &tgChatState{c: &Conversation{Platform: "telegram"}, title: tgBuf{max: tgMaxName}}
	for i, pg := range chat.pages {
		if err := r.readPage(st, pg, r.alone || i == 0); err != nil {
			r.err = err
			r.chats = nil
			break
		}
	}
	c := st.c
	if r.err == nil && !st.history && len(c.Messages) == 0 {
		r.err = &ParseError{File: chat.file, Offset: -1, Format: FormatTelegram,
			Msg: "no chat history in this page (pass the export folder, or a messages.html page)"}
	}
	if r.err != nil && len(c.Messages) == 0 {
		return false
	}
	c.Title = st.title.finish(nil)
	c.ID = tgChatID(chat.dir, c.Title)
	c.Participants = participantsOf(c, nil)
	finishConversation(c, chat.file, FormatTelegram, telegramHTMLReaderVersion, r.opts)
	r.cur = c
	return true
}

// readPage reads one page into the chat. first says that no earlier page of the chat was read.
func (r *telegramHTMLReader) readPage(st *tgChatState, pg tgPage, first bool) error {
	in, closer, err := pg.open()
	if err != nil {
		return &ParseError{File: pg.name, Offset: -1, Format: FormatTelegram, Msg: "open", Err: err}
	}
	if closer != nil {
		defer closer.Close()
	}
	if first {
		st.lastAuthor = ""
	}
	z := html.NewTokenizer(in)
	z.SetMaxBuf(8*r.opts.maxMessageBytes() + 64<<10)
	p := &tgParser{r: r, st: st, name: pg.name, z: z, line: 1, first: first}
	return p.run()
}

// tgChatState is what the pages of one chat share.
type tgChatState struct {
	c          *Conversation
	title      tgBuf
	titleDone  bool
	lastAuthor string // sender of the last ordinary message, for the joined ones
	history    bool   // a history block or a message was met
	seq        int
}

// tgCapture says where the text inside an element goes.
type tgCapture uint8

const (
	tgNone        tgCapture = iota
	tgSkip                  // text that is not the message's: initials, times, scripts
	tgHeader                // inside the page header
	tgChatName              // the chat's name in the page header
	tgAuthor                // a sender's name
	tgText                  // the message text, or a service message's sentence
	tgReply                 // "In reply to this message"
	tgMediaTitle            // a media block's title (file name, "Photo", "Sticker"...)
	tgMediaStatus           // a media block's status (size, duration, "Outgoing (42 seconds)")
)

// tgElem is an open element.
type tgElem struct {
	tag    string
	cap    tgCapture
	msg    int  // sequence number of the message this element opened, 0 if none
	media  int  // sequence number of the message whose media block this element opened, 0 if none
	fwd    bool // a "forwarded body"
	header bool // the page header
}

// tgMsg is the message being read.
type tgMsg struct {
	seq      int
	m        Message
	off      int64
	id       int64
	hasID    bool
	service  bool
	joined   bool
	timeSeen bool
	author   tgBuf
	text     tgBuf
	media    *tgMedia // the media block being read
	call     *tgMedia // a media_call block, read
}

// tgMedia is a media block of a message.
type tgMedia struct {
	class  string // photo_wrap, sticker_wrap, media_photo, media_file, ...
	href   string
	title  tgBuf
	status tgBuf
}

// tgBuf collects a text within a cap.
type tgBuf struct {
	b    []byte
	max  int
	over bool // bytes past the cap and its slack were dropped
}

// writeRaw adds the raw bytes of a text token: raw newlines are the writer's indentation and read as
// spaces, then character references are decoded.
func (b *tgBuf) writeRaw(raw []byte) {
	if b.over {
		return
	}
	if bytes.IndexByte(raw, '&') >= 0 {
		// Newlines first: one written as a character reference is the text's own.
		s := strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, string(raw))
		b.write([]byte(html.UnescapeString(s)))
		return
	}
	n := len(b.b)
	b.write(raw)
	for i := n; i < len(b.b); i++ {
		if c := b.b[i]; c == '\r' || c == '\n' {
			b.b[i] = ' '
		}
	}
}

func (b *tgBuf) write(p []byte) {
	room := b.max + tgSlack - len(b.b)
	if len(p) > room {
		p = p[:max(room, 0)]
		b.over = true
	}
	b.b = append(b.b, p...)
}

// finish returns the text, trimmed, valid UTF-8 and within the cap. cut, when not nil, is called
// when the text was cut.
func (b *tgBuf) finish(cut func()) string {
	raw := b.b
	if b.over {
		raw = trimPartialRune(raw)
	}
	s := strings.TrimSpace(strings.ToValidUTF8(string(raw), "\uFFFD"))
	if b.over || len(s) > b.max {
		s = truncateUTF8(s, b.max)
		if cut != nil {
			cut()
		}
	}
	return s
}

// tgParser reads one page.
type tgParser struct {
	r     *telegramHTMLReader
	st    *tgChatState
	name  string
	z     *html.Tokenizer
	line  int   // line of the next token
	off   int64 // offset of the next token
	stack []tgElem
	cur   *tgMsg
	fwd   int // open "forwarded body" elements
	first bool
	// seen: a message was read on this page.
	seen bool
}

func (p *tgParser) perr(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: p.name, Line: line, Offset: off, Format: FormatTelegram, Msg: msg, Err: err}
}

func (p *tgParser) run() error {
	for {
		tt := p.z.Next()
		raw := p.z.Raw()
		line, off := p.line, p.off
		p.line += bytes.Count(raw, []byte{'\n'})
		p.off += int64(len(raw))
		switch tt {
		case html.ErrorToken:
			err := p.z.Err()
			cut := p.cur != nil && err == io.EOF
			p.popTo(0)
			if cut {
				p.r.add(p.perr(line, off, "the page ends inside a message (cut short?)", nil))
			}
			switch {
			case err == io.EOF:
				return nil
			case err == html.ErrBufferExceeded:
				return p.perr(line, off, "markup token too large", ErrTooLarge)
			default:
				return p.perr(line, off, "read", err)
			}
		case html.TextToken:
			if b := p.target(); b != nil {
				b.writeRaw(raw)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if err := p.start(tt, line, off); err != nil {
				p.popTo(0)
				return err
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
}

// target returns the buffer that text at the current point goes to, or nil.
func (p *tgParser) target() *tgBuf {
	if len(p.stack) == 0 {
		return nil
	}
	switch p.stack[len(p.stack)-1].cap {
	case tgChatName:
		if !p.st.titleDone {
			return &p.st.title
		}
	case tgAuthor:
		if p.cur != nil {
			return &p.cur.author
		}
	case tgText:
		if p.cur != nil {
			return &p.cur.text
		}
	case tgMediaTitle:
		if p.cur != nil && p.cur.media != nil {
			return &p.cur.media.title
		}
	case tgMediaStatus:
		if p.cur != nil && p.cur.media != nil {
			return &p.cur.media.status
		}
	}
	return nil
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true, "param": true, "source": true,
	"track": true, "wbr": true, "keygen": true}

// tgMediaClasses are the classes that open a media block.
var tgMediaClasses = []string{"photo_wrap", "sticker_wrap", "animated_wrap", "video_file_wrap",
	"media_photo", "media_video", "media_voice_message", "media_audio_file", "media_file",
	"media_contact", "media_location", "media_live_location", "media_venue", "media_call",
	"media_game", "media_invoice", "media_poll"}

func (p *tgParser) start(tt html.TokenType, line int, off int64) error {
	// The attribute values point into the tokenizer's buffer: valid until the next token.
	t := readTag(p.z)
	tag, class, id, title, href := t.name, t.class, t.id, t.title, t.href
	if tag == "br" {
		if b := p.target(); b != nil {
			b.write([]byte{'\n'})
		}
	}
	if voidElements[tag] {
		return nil
	}
	if len(p.stack) >= tgMaxDepth {
		return p.perr(line, off, fmt.Sprintf("elements nested deeper than %d", tgMaxDepth), nil)
	}
	has := class.has // a method value that does not escape: no allocation
	e := tgElem{tag: tag}
	if len(p.stack) > 0 {
		e.cap = p.stack[len(p.stack)-1].cap
	}
	switch {
	case tag == "script" || tag == "style" || tag == "title" || tag == "template" || tag == "textarea":
		e.cap = tgSkip
	case has("message") && (has("default") || has("service")):
		p.startMessage(&e, id, has("service"), has("joined"), line, off)
	case p.cur == nil:
		switch {
		case has("page_header"):
			e.cap, e.header = tgHeader, true
		case e.cap == tgHeader && has("text") && has("bold"):
			e.cap = tgChatName
		case has("history"):
			p.st.history = true
		}
	default:
		p.inMessage(&e, tag, class, title, href)
	}
	p.stack = append(p.stack, e)
	if e.fwd {
		p.fwd++
	}
	return nil
}

// startMessage opens a message block.
func (p *tgParser) startMessage(e *tgElem, id []byte, service, joined bool, line int, off int64) {
	if p.cur != nil {
		p.endMessage() // a message block inside another: the markup is broken, keep both
	}
	p.st.seq++
	p.st.history = true
	m := &tgMsg{seq: p.st.seq, off: off, service: service, joined: joined,
		author: tgBuf{max: tgMaxName}, text: tgBuf{max: p.r.opts.maxMessageBytes()}}
	m.m.Line = line
	if s, ok := bytes.CutPrefix(id, []byte("message")); ok {
		if n, err := strconv.ParseInt(string(s), 10, 64); err == nil {
			m.id, m.hasID = n, true
		}
	}
	p.cur = m
	e.msg = m.seq
	e.cap = tgNone
}

// inMessage sets what an element inside a message block holds.
func (p *tgParser) inMessage(e *tgElem, tag string, class tgClasses, title, href []byte) {
	m := p.cur
	has := class.has
	switch {
	case e.cap == tgSkip:
	case has("userpic_wrap") || has("userpic") || has("initials"):
		e.cap = tgSkip
	case has("from_name"):
		if p.fwd > 0 || m.service {
			e.cap = tgSkip // the original sender of a forwarded message
		} else {
			e.cap = tgAuthor
		}
	case has("date") && has("details"):
		e.cap = tgSkip
		if p.fwd == 0 && !m.timeSeen && len(title) > 0 {
			m.timeSeen = true
			m.m.Time = p.date(string(title))
		}
	case has("reply_to"):
		e.cap = tgReply
	case e.cap == tgReply && tag == "a":
		if _, after, ok := bytes.Cut(href, []byte("go_to_message")); ok {
			if n, err := strconv.ParseInt(string(after), 10, 64); err == nil {
				m.m.ReplyTo = strconv.FormatInt(n, 10)
			}
		}
	case has("forwarded") && has("body"):
		e.fwd = true
	case m.service && has("body") && has("details"):
		e.cap = tgText
	case m.media == nil && tgMediaClass(class) != "":
		m.media = &tgMedia{class: tgMediaClass(class), href: string(href), title: tgBuf{max: tgMaxName}, status: tgBuf{max: tgMaxName}}
		e.media = m.seq
		e.cap = tgNone
	case m.media != nil:
		switch {
		case has("title"):
			e.cap = tgMediaTitle
		case has("status"):
			e.cap = tgMediaStatus
		case has("description") || has("details") || has("answer") || has("question"):
			e.cap = tgSkip
		}
	case has("text"):
		e.cap = tgText
	case has("signature"):
		e.cap = tgSkip
	}
}

// tgClasses is the value of a class attribute.
type tgClasses []byte

// has reports whether the class list holds c.
func (cl tgClasses) has(c string) bool {
	for rest := []byte(cl); len(rest) > 0; {
		i := bytes.IndexAny(rest, " \t\n\f\r")
		if i < 0 {
			return string(rest) == c
		}
		if string(rest[:i]) == c {
			return true
		}
		rest = rest[i+1:]
	}
	return false
}

func tgMediaClass(class tgClasses) string {
	for _, c := range tgMediaClasses {
		if class.has(c) {
			return c
		}
	}
	return ""
}

// popTo closes the elements from the top of the stack down to index i included.
func (p *tgParser) popTo(i int) {
	for len(p.stack) > i {
		e := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		if e.fwd {
			p.fwd--
		}
		if e.header && len(p.st.title.b) > 0 {
			p.st.titleDone = true // the chat's name is the first page header's
		}
		if p.cur == nil {
			continue
		}
		if e.media == p.cur.seq && p.cur.media != nil {
			p.endMedia()
		}
		if e.msg == p.cur.seq {
			p.endMessage()
		}
	}
}

// date reads a date title: "14.03.2026 21:03:05 UTC+01:00", or without the zone (older exports).
func (p *tgParser) date(title string) time.Time {
	const layout = "02.01.2006 15:04:05"
	title = strings.TrimSpace(title)
	if len(title) < len(layout) {
		p.r.add(p.perr(p.cur.m.Line, p.cur.off, fmt.Sprintf("message %s: time unknown", p.msgID()), nil))
		return time.Time{}
	}
	loc := p.r.opts.location()
	zone := strings.TrimSpace(title[len(layout):])
	if zone != "" {
		if z, ok := p.r.zone(zone); ok {
			loc = z
			if o := p.r.opts.Location; o != nil && tgStandardOffset(o, title) == tgOffset(z) {
				loc = o // the written offset is o's standard one: o knows when summer time applied
			}
		} else if !p.r.zoneNoted {
			p.r.zoneNoted = true
			p.r.add(p.perr(p.cur.m.Line, p.cur.off, "unknown time zone in a date title: times read in the --tz zone", nil))
		}
	}
	t, err := time.ParseInLocation(layout, title[:len(layout)], loc)
	if err != nil {
		p.r.add(p.perr(p.cur.m.Line, p.cur.off, fmt.Sprintf("message %s: time unknown", p.msgID()), nil))
		return time.Time{}
	}
	return t
}

// tgOffset returns the fixed offset of a zone made by tgZone, in seconds.
func tgOffset(z *time.Location) int {
	_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, z).Zone()
	return off
}

// tgStandardOffset returns the standard (winter) offset of loc in the year of a date title, in
// seconds: the smaller of its offsets in January and July.
func tgStandardOffset(loc *time.Location, title string) int {
	year, err := strconv.Atoi(title[6:10])
	if err != nil {
		return -1 << 30
	}
	_, jan := time.Date(year, 1, 1, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(year, 7, 1, 12, 0, 0, 0, loc).Zone()
	return min(jan, jul)
}

// tgZone reads the zone the writer appends to a date: "UTC", "UTC+01:00", "UTC-03:30" (Qt's offset
// name), also with GMT and without minutes.
func tgZone(s string) (*time.Location, bool) {
	rest, ok := strings.CutPrefix(s, "UTC")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "GMT"); !ok {
			return nil, false
		}
	}
	if rest == "" {
		return time.UTC, true
	}
	sign := 1
	switch rest[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return nil, false
	}
	hh, mm, _ := strings.Cut(rest[1:], ":")
	h, err := strconv.Atoi(hh)
	if err != nil || len(hh) > 2 || h > 14 {
		return nil, false
	}
	m := 0
	if mm != "" {
		if m, err = strconv.Atoi(mm); err != nil || len(mm) != 2 || m > 59 {
			return nil, false
		}
	}
	return time.FixedZone(s, sign*(h*3600+m*60)), true
}

// msgID returns the id of the message being read, quoted, for problems.
func (p *tgParser) msgID() string {
	if p.cur.hasID {
		return strconv.Quote(strconv.FormatInt(p.cur.id, 10))
	}
	return "(no id)"
}

// endMedia turns the media block read into an attachment, in the JSON reader's terms.
func (p *tgParser) endMedia() {
	m := p.cur
	md := m.media
	m.media = nil
	url := md.href
	for strings.HasPrefix(url, "../") {
		url = url[3:] // the writer's path back to the export root: keep the path from the root, as result.json does
	}
	file := func(kind AttachmentKind) {
		a := Attachment{Kind: kind}
		if url == "" || strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://") {
			a.Omitted = url == "" // "Not included, change data exporting settings to download."
		} else {
			a.Name = lastPathElem(url)
			a.URL = url
		}
		m.m.Attachments = append(m.m.Attachments, a)
	}
	title := md.title.finish(nil)
	switch md.class {
	case "photo_wrap":
		file(AttachmentImage)
	case "sticker_wrap":
		file(AttachmentSticker)
	case "animated_wrap":
		file(AttachmentGIF)
	case "video_file_wrap":
		file(AttachmentVideo)
	case "media_photo":
		if title == "Sticker" {
			file(AttachmentSticker)
		} else {
			file(AttachmentImage)
		}
	case "media_video":
		if title == "Animation" {
			file(AttachmentGIF)
		} else {
			file(AttachmentVideo)
		}
	case "media_voice_message", "media_audio_file":
		file(AttachmentAudio)
	case "media_file":
		n := url
		if n == "" {
			n = title
		}
		file(attachmentKindFromName(n, ""))
	case "media_contact":
		m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentContact})
	case "media_location", "media_live_location":
		m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentLocation})
	case "media_venue":
		m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentLocation, Name: title})
	case "media_call":
		m.call = md
	}
	// media_game, media_invoice and media_poll: not media (result.json's readers ignore them too).
}

// endMessage adds the message read to the chat.
func (p *tgParser) endMessage() {
	tm := p.cur
	p.cur = nil
	c := p.st.c
	m := tm.m
	if tm.hasID {
		m.ID = strconv.FormatInt(tm.id, 10)
	} else {
		m.ID = strconv.Itoa(len(c.Messages) + 1)
	}
	cut := func() {
		p.r.add(p.perr(m.Line, tm.off, fmt.Sprintf("message %q: text cut to %d bytes", m.ID, tm.text.max), ErrTooLarge))
	}
	text := tm.text.finish(cut)
	first := !p.seen
	p.seen = true
	if tm.service {
		if tm.id < 0 && (tgDateSeparator.MatchString(text) || text == "No exported messages") {
			return // the writer's date separator, or the note of an empty export
		}
		if strings.HasPrefix(text, tgUnsupported) {
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentUnknown, Omitted: true})
		} else {
			m.System = true
			m.Text = text
		}
		c.Messages = append(c.Messages, m)
		return
	}
	author := tm.author.finish(func() {
		p.r.add(p.perr(m.Line, tm.off, fmt.Sprintf("message %q: sender name cut to %d bytes", m.ID, tgMaxName), ErrTooLarge))
	})
	if strings.Contains(author, " via @") {
		author = tgVia.ReplaceAllString(author, "")
	}
	switch {
	case author != "":
	case tm.joined && p.st.lastAuthor != "":
		author = p.st.lastAuthor
	case tm.joined && first && p.first:
		p.r.add(p.perr(m.Line, tm.off, fmt.Sprintf("message %q: joined to a message of an earlier page: sender unknown (read the whole export folder)", m.ID), nil))
	default:
		p.r.add(p.perr(m.Line, tm.off, fmt.Sprintf("message %q: no sender name", m.ID), nil))
	}
	m.Author = author
	if author != "" {
		p.st.lastAuthor = author
	}
	m.Text = text
	if tm.call != nil {
		// A call, as result.json's "phone_call" service message reads.
		status := tm.call.status.finish(nil)
		tc := telegramMessage{Action: "phone_call"}
		if d := tgCallDuration.FindStringSubmatch(status); d != nil {
			tc.Duration = flexString(d[1])
		}
		switch {
		case strings.HasPrefix(status, "Missed"), strings.HasPrefix(status, "Cancelled"):
			tc.DiscardReason = "missed"
		case strings.HasPrefix(status, "Declined"):
			tc.DiscardReason = "busy"
		}
		m.System = true
		m.Text = telegramServiceText(&tc, author)
		m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentCall})
	}
	c.Messages = append(c.Messages, m)
}

// tgFSPages reports whether a folder or archive holds pages of a Telegram Desktop HTML export.
func tgFSPages(names []string) bool {
	for _, n := range names {
		if tgPageName.MatchString(path.Base(filepath.ToSlash(n))) {
			return true
		}
	}
	return false
}

// tgFSJSON reports whether a folder or archive holds a Telegram Desktop result.json beside other
// files (the media folders); a folder of that one file is read by content.
func tgFSJSON(names []string) bool {
	if len(names) < 2 {
		return false
	}
	for _, n := range names {
		if path.Base(filepath.ToSlash(n)) == "result.json" {
			return true
		}
	}
	return false
}
