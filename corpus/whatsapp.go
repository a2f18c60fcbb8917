package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// whatsAppReaderVersion is bumped whenever the reader's output changes for the same input.
const whatsAppReaderVersion = "whatsapp/1"

// waLookahead is how many non-empty lines may come before the first message header. The sniffer
// and the reader share it: text before the first header is reported as a problem, and a file with
// no header in its first waLookahead non-empty lines is not a WhatsApp chat.
const waLookahead = 10

// waHeaderSlack is how many bytes of a line the reader keeps beyond the message cap, for the
// header ("[14/03/2026, 21:03:05] Name: ").
const waHeaderSlack = 1024

// The layout of a WhatsApp "Export chat" text file, as written by the apps and as read by existing
// parsers (Pustur/whatsapp-chat-parser src/parser.ts, joweich/chat-miner chatparsers.py and its
// test/whatsapp/testlog.txt, starkdmi/whats_json lib/src/patterns.dart):
//
//	iOS      [14/03/2026, 21:03:05] Name: text        (seconds, brackets; "‎" U+200E before media lines)
//	iOS DE   [14.03.26, 21:03:05] Name: text
//	Android  14/03/2026, 21:03 - Name: text           (no seconds, " - ")
//	US       3/14/26, 9:03 PM - Name: text            (U+202F before PM on recent phones)
//	FR       14/03/2026 à 21:03 - Name: text
//	ISO      2026-03-14, 21:03 - Name: text
//	NL       14-3-2026 21:03 - Name: text
//
// Android writes system events without "Name: "; iOS writes them after the group's or the
// contact's name, with U+200E before the text. A line that does not start with a header continues
// the previous message.

// waStamp holds a header's date and time fields as written, until the day/month order is known.
type waStamp struct {
	a, b, c        uint16 // date fields in the order written
	aLen, cLen     uint8  // digits of the first and last fields
	hour, min, sec uint8
	ampm           uint8 // 0: 24-hour clock, 1: AM, 2: PM
}

// waItem is a message read, with its header's raw date until the order is known.
type waItem struct {
	m  Message
	st waStamp
}

// waHeader is a parsed message header.
type waHeader struct {
	stamp   waStamp
	bracket bool   // iOS "[...]" form
	rest    []byte // what follows the header: "Name: text" or a system text
}

// waReader reads one WhatsApp chat export (.txt) as one conversation. It reads line by line and
// keeps only the conversation's messages: each message's text is capped, and so is each line.
//
// The day/month order of dates such as 03/04/2026 is decided from the whole file (a first field
// above 12 means day first, a second field above 12 means month first). To do this without
// reading the file twice or holding it, the reader keeps each message's raw date fields (10 bytes
// beside the message, which the conversation holds anyway) and converts them to times at the end
// of the file, once the order is known. The bound is the conversation's own size, as for every
// reader of a one-conversation format.
type waReader struct {
	problems
	name  string
	id    string
	title string
	opts  Options
	media map[string]string // attachment base name -> path inside the archive, when read from one
	lineSource

	done bool
	cur  *Conversation
	err  error

	lineCut bool

	// The messages read so far, in chunks that are copied once into the conversation at the end
	// (growing one slice would copy every message several times over).
	conv    *Conversation
	chunks  [][]waItem
	last    []waItem
	count   int
	inMsg   bool
	text    []byte
	textCut bool
	authors map[string]string
}

func newWhatsAppReader(name string, r io.Reader, o Options) (Reader, error) {
	idName := name
	if strings.EqualFold(filepath.Base(name), "_chat.txt") && filepath.Dir(name) != "." {
		// iOS names every chat "_chat.txt": name it after its folder.
		idName = filepath.Dir(name)
	}
	id, title := waChatName(idName)
	return newWAStream(name, id, title, r, o, nil), nil
}

func newWAStream(name, id, title string, r io.Reader, o Options, media map[string]string) *waReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	keep := o.maxMessageBytes() + waHeaderSlack
	if o.maxLineBytes() < keep {
		keep = o.maxLineBytes()
	}
	return &waReader{name: name, id: id, title: title, opts: o, media: media, lineSource: lineSource{br: br, keep: keep},
		authors: make(map[string]string)}
}

func (r *waReader) Format() Format              { return FormatWhatsApp }
func (r *waReader) Conversation() *Conversation { return r.cur }
func (r *waReader) Err() error                  { return r.err }
func (r *waReader) Close() error                { return nil }

// Next reads the whole chat and returns it as one conversation.
func (r *waReader) Next() bool {
	r.cur = nil
	if r.done || r.err != nil {
		return false
	}
	r.done = true
	c, err := r.read()
	if err != nil {
		r.err = err
		return false
	}
	if c == nil {
		return false
	}
	r.cur = c
	return true
}

func (r *waReader) perr(line int, offset int64, msg string, err error) *ParseError {
	return &ParseError{File: r.name, Line: line, Offset: offset, Format: FormatWhatsApp, Msg: msg, Err: err}
}

// read reads every line and returns the conversation, nil for an input without any text.
func (r *waReader) read() (*Conversation, error) {
	r.conv = &Conversation{ID: r.id, Platform: "whatsapp", Title: r.title,
		Source: Source{File: r.name, Format: FormatWhatsApp, Reader: whatsAppReaderVersion}}
	started := false
	var preamble, firstLine int
	var firstOffset int64
	for {
		start := r.offset
		line, err := r.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if r.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		h, isHeader := parseWAHeader(line)
		if !started {
			if len(bytes.TrimSpace(trimMarks(line))) == 0 {
				continue
			}
			if !isHeader {
				if preamble == 0 {
					firstLine, firstOffset = r.line, start
				}
				preamble++
				if preamble >= waLookahead {
					return nil, r.perr(firstLine, firstOffset, "not a WhatsApp chat: the first lines are not message headers such as \"14/03/2026, 21:03 - Name: text\"", ErrUnknownFormat)
				}
				continue
			}
			started = true
			if preamble > 0 {
				r.add(r.perr(firstLine, firstOffset, fmt.Sprintf("%d line(s) of text before the first message header ignored", preamble), nil))
			}
		}
		if isHeader {
			r.finish()
			r.begin(h)
			continue
		}
		r.appendText(line, true)
	}
	r.finish()
	if !started {
		if preamble > 0 {
			return nil, r.perr(firstLine, firstOffset, "not a WhatsApp chat: no message header such as \"14/03/2026, 21:03 - Name: text\"", ErrUnknownFormat)
		}
		return nil, nil
	}
	r.resolveTimes()
	c := r.conv
	r.conv = nil
	if r.opts.Predators != nil {
		applyPredators(c, r.opts.Predators)
	}
	return c, nil
}

// readLine returns the next line without its line end. At most r.keep bytes of a line are kept;
// a line over the line cap is cut and reported.
func (r *waReader) readLine() ([]byte, error) {
	b, cut, err := r.next(&r.problems, r.opts.maxLineBytes(), r.perr)
	r.lineCut = cut
	return b, err
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if r, _ := utf8.DecodeRune(b[len(b)-i:]); r == utf8.RuneError {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// begin starts a message from its header.
func (r *waReader) begin(h waHeader) {
	r.inMsg = true
	r.text = r.text[:0]
	r.textCut = false
	m := Message{Line: r.line}
	author, text, system, keepAuthor := splitWARest(h.rest, h.bracket)
	if system && !keepAuthor {
		author = nil
	}
	m.Author = r.intern(author)
	m.System = system
	if len(r.last) == cap(r.last) {
		if r.last != nil {
			r.chunks = append(r.chunks, r.last)
		}
		n := 16
		if r.count > n {
			n = min(r.count, 4096)
		}
		r.last = make([]waItem, 0, n)
	}
	r.last = append(r.last, waItem{m: m, st: h.stamp})
	r.count++
	r.appendText(text, false)
}

// intern returns one shared copy of an author name.
func (r *waReader) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := r.authors[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.authors) < 100000 {
		r.authors[s] = s
	}
	return s
}

// appendText adds a line to the current message's text, within the cap.
func (r *waReader) appendText(line []byte, newline bool) {
	if !r.inMsg {
		return
	}
	if r.lineCut {
		r.textCut = true
	}
	max := r.opts.maxMessageBytes()
	need := len(line)
	if newline {
		need++
	}
	if len(r.text)+need > max {
		r.textCut = true
		room := max - len(r.text)
		if room <= 0 {
			return
		}
		if newline {
			r.text = append(r.text, '\n')
			room--
		}
		if room > len(line) {
			room = len(line)
		}
		r.text = append(r.text, line[:room]...)
		r.text = trimPartialRune(r.text)
		return
	}
	if newline {
		r.text = append(r.text, '\n')
	}
	r.text = append(r.text, line...)
}

// finish completes the current message: media placeholders, deleted and edited markers.
func (r *waReader) finish() {
	if !r.inMsg {
		return
	}
	r.inMsg = false
	m := &r.last[len(r.last)-1].m
	s := string(r.text)
	if t, ok := cutWAEdited(s); ok {
		m.Edited = true
		s = t
	}
	first, more := s, ""
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		first, more = s[:i], s[i:]
	}
	orig := first
	first = strings.TrimSpace(removeDirectionMarks(first))
	if !m.System {
		if atts, rest, ok := r.waMedia(first); ok {
			m.Attachments = atts
			first = rest
		} else if more == "" && isWADeleted(first) {
			m.Deleted = true
			first = ""
		}
	}
	switch {
	case more == "":
		s = first
	case first != orig:
		s = first + more
	}
	s = strings.TrimSpace(removeDirectionMarks(s))
	m.Text = s
	m.ID = strconv.Itoa(r.count)
	if r.textCut {
		r.add(r.perr(m.Line, -1, fmt.Sprintf("message %q: text cut to %d bytes", m.ID, r.opts.maxMessageBytes()), ErrTooLarge))
	}
}

// resolveTimes decides the day/month order, sets every message's time and moves the messages into
// the conversation.
func (r *waReader) resolveTimes() {
	if r.last != nil {
		r.chunks = append(r.chunks, r.last)
		r.last = nil
	}
	order := r.opts.DateOrder
	if order == DateAuto {
		order = inferWADateOrder(r.chunks)
	}
	loc := r.opts.location()
	bad := 0
	msgs := make([]Message, 0, r.count)
	for ci, chunk := range r.chunks {
		for i := range chunk {
			it := &chunk[i]
			if t, ok := it.st.time(order, loc); ok {
				it.m.Time = t
			} else {
				if bad < 10 {
					r.add(r.perr(it.m.Line, -1, fmt.Sprintf("message %q: invalid date or time, time left unknown", it.m.ID), nil))
				}
				bad++
			}
			msgs = append(msgs, it.m)
		}
		r.chunks[ci] = nil
	}
	r.chunks = nil
	if bad > 10 {
		r.add(r.perr(0, -1, fmt.Sprintf("%d messages with an invalid date or time in all", bad), nil))
	}
	r.conv.Messages = msgs
}

// inferWADateOrder infers the order of numeric dates from every header of a file: a first field
// above 12 means day first, a second field above 12 means month first; when nothing settles it, a
// 12-hour clock (AM/PM) suggests month first (US) and a 24-hour clock day first. Year-first dates
// (2026-03-14) read as YMD whatever the others say. When a file says both (edited by hand, or two
// exports pasted together), the more frequent evidence wins.
func inferWADateOrder(chunks [][]waItem) DateOrder {
	var dmy, mdy, ymd, ampm, n int
	for _, chunk := range chunks {
		for i := range chunk {
			s := &chunk[i].st
			n++
			if s.aLen >= 3 {
				ymd++
				continue
			}
			if s.a > 12 {
				dmy++
			}
			if s.b > 12 {
				mdy++
			}
			if s.ampm != 0 {
				ampm++
			}
		}
	}
	switch {
	case n > 0 && ymd == n:
		return DateYMD
	case dmy > mdy:
		return DateDMY
	case mdy > dmy:
		return DateMDY
	case dmy > 0: // as many of each
		return DateDMY
	case ampm > 0:
		return DateMDY
	}
	return DateDMY
}

// time converts the stamp with a date order; ok is false for an impossible date or time.
func (s *waStamp) time(order DateOrder, loc *time.Location) (time.Time, bool) {
	a, b, c := int(s.a), int(s.b), int(s.c)
	var y, mo, d int
	switch {
	case s.aLen >= 3 || order == DateYMD:
		// 2026-03-14 reads as YMD whatever the order; a forced YMD reads the fields as written.
		y, mo, d = a, b, c
	case order == DateMDY:
		mo, d, y = a, b, c
	default:
		d, mo, y = a, b, c
	}
	if y < 100 && (s.cLen <= 2 || order == DateYMD) {
		y += 2000 // two-digit years are 20xx
	}
	h, mi, sec := int(s.hour), int(s.min), int(s.sec)
	switch s.ampm {
	case 1:
		if h > 12 {
			return time.Time{}, false
		}
		if h == 12 {
			h = 0
		}
	case 2:
		if h > 12 {
			return time.Time{}, false
		}
		if h < 12 {
			h += 12
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || sec > 59 || y < 1970 || y > 2199 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc), true
}

func daysIn(m, y int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseWAHeader parses a message header at the start of line.
func parseWAHeader(line []byte) (waHeader, bool) {
	var h waHeader
	b := trimMarks(line)
	i := 0
	if i < len(b) && b[i] == '[' {
		h.bracket = true
		i++
	}
	// date: d{1,4} sep d{1,2} sep d{1,4}
	a, al, j := waDigits(b, i, 4)
	if al == 0 || j >= len(b) {
		return h, false
	}
	sep := b[j]
	if sep != '/' && sep != '.' && sep != '-' {
		return h, false
	}
	j++
	if j < len(b) && b[j] == ' ' {
		j++
	}
	m, ml, k := waDigits(b, j, 2)
	if ml == 0 || k >= len(b) || b[k] != sep {
		return h, false
	}
	k++
	if k < len(b) && b[k] == ' ' {
		k++
	}
	c, cl, i := waDigits(b, k, 4)
	if cl == 0 {
		return h, false
	}
	if al >= 3 {
		if al != 4 || cl > 2 || m < 1 || m > 12 || c < 1 || c > 31 {
			return h, false
		}
	} else {
		if cl != 2 && cl != 4 || a < 1 || a > 31 || m < 1 || m > 31 || (a > 12 && m > 12) {
			return h, false
		}
	}
	// between date and time: "," and spaces, or a short word ("à", "um", "klo")
	if i < len(b) && b[i] == '.' {
		i++
	}
	if i < len(b) && b[i] == ',' {
		i++
	}
	i0 := i
	i = skipWASpaces(b, i)
	if i < len(b) && !isDigit(b[i]) {
		w := i
		for i < len(b) && i-w <= 8 && b[i] != ' ' && !isDigit(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != ' ' || i == w {
			return h, false
		}
		i = skipWASpaces(b, i)
	}
	if i == i0 && b[i0-1] != ',' {
		return h, false
	}
	// time: h{1,2} [:.] mm ([:.] ss)?
	hh, hl, i := waDigits(b, i, 2)
	if hl == 0 || i >= len(b) || (b[i] != ':' && b[i] != '.') {
		return h, false
	}
	tsep := b[i]
	mm, mml, i := waDigits(b, i+1, 2)
	if mml != 2 {
		return h, false
	}
	ss := 0
	if i+2 < len(b) && b[i] == tsep && isDigit(b[i+1]) {
		var sl int
		ss, sl, i = waDigits(b, i+1, 2)
		if sl != 2 {
			return h, false
		}
	}
	if hh > 23 || mm > 59 || ss > 59 {
		return h, false
	}
	// AM/PM marker
	ampm := 0
	if k := skipWASpaces(b, i); k > i || (k < len(b) && (b[k] == 'a' || b[k] == 'p' || b[k] == 'A' || b[k] == 'P')) {
		if v, n := waAMPM(b[k:]); n > 0 {
			ampm, i = v, k+n
		}
	}
	// end of header
	if h.bracket {
		i = skipWASpaces(b, i)
		if i >= len(b) || b[i] != ']' {
			return h, false
		}
		i++
		if i < len(b) && b[i] == ' ' {
			i++
		} else if i < len(b) && b[i] == ':' && i+1 < len(b) && b[i+1] == ' ' {
			i += 2
		}
	} else {
		i = skipWASpaces(b, i)
		switch {
		case i < len(b) && b[i] == '-':
			i++
		case bytes.HasPrefix(b[i:], []byte("–")):
			i += len("–")
		default:
			return h, false
		}
		if i < len(b) {
			if b[i] != ' ' {
				return h, false
			}
			i++
		}
	}
	h.stamp = waStamp{a: uint16(a), b: uint16(m), c: uint16(c), aLen: uint8(al), cLen: uint8(cl),
		hour: uint8(hh), min: uint8(mm), sec: uint8(ss), ampm: uint8(ampm)}
	h.rest = b[i:]
	return h, true
}

// waDigits reads up to max ASCII digits at b[i:]; it returns the value, the count and the next index.
// More than max digits is no match.
func waDigits(b []byte, i, max int) (int, int, int) {
	v, n := 0, 0
	for i < len(b) && isDigit(b[i]) {
		if n == max {
			return 0, 0, i
		}
		v = v*10 + int(b[i]-'0')
		n++
		i++
	}
	return v, n, i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipWASpaces skips spaces, no-break spaces (U+00A0, U+202F) and direction marks.
func skipWASpaces(b []byte, i int) int {
	for i < len(b) {
		switch {
		case b[i] == ' ' || b[i] == '\t':
			i++
		case b[i] == 0xC2 && i+1 < len(b) && b[i+1] == 0xA0:
			i += 2
		case b[i] == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xAF || b[i+2] == 0x8E || b[i+2] == 0x8F):
			i += 3
		default:
			return i
		}
	}
	return i
}

// waAMPM matches a 12-hour clock marker at the start of b: "AM", "p.m.", "a. m." (ES), "vorm."
// and "nachm." (DE). It returns 1 for AM, 2 for PM, and the bytes matched.
func waAMPM(b []byte) (int, int) {
	for _, mk := range [...]struct {
		s string
		v int
	}{{"a. m.", 1}, {"p. m.", 2}, {"a.m.", 1}, {"p.m.", 2}, {"a. m", 1}, {"p. m", 2}, {"a.m", 1}, {"p.m", 2},
		{"am", 1}, {"pm", 2}, {"vorm.", 1}, {"nachm.", 2}, {"vorm", 1}, {"nachm", 2}} {
		if len(b) >= len(mk.s) && strings.EqualFold(string(b[:len(mk.s)]), mk.s) {
			n := len(mk.s)
			if n < len(b) && isWordByte(b[n]) {
				continue
			}
			return mk.v, n
		}
	}
	return 0, 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c >= 0x80
}

// trimMarks drops a BOM and direction marks (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) at
// the start of b.
func trimMarks(b []byte) []byte {
	for len(b) >= 3 {
		switch {
		case b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		case b[0] == 0xE2 && b[1] == 0x80 && (b[2] == 0x8E || b[2] == 0x8F || b[2] >= 0xAA && b[2] <= 0xAE):
		case b[0] == 0xE2 && b[1] == 0x81 && b[2] >= 0xA6 && b[2] <= 0xA9:
		default:
			return b
		}
		b = b[3:]
	}
	return b
}

func trimMarksString(s string) string {
	for len(s) >= 3 {
		switch {
		case s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF:
		case s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || s[2] >= 0xAA && s[2] <= 0xAE):
		case s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9:
		default:
			return s
		}
		s = s[3:]
	}
	return s
}

// removeDirectionMarks removes the U+200E and U+200F marks that exports put around media lines and
// system texts, and a stray BOM.
func removeDirectionMarks(s string) string {
	if !strings.Contains(s, "\u200e") && !strings.Contains(s, "\u200f") && !strings.Contains(s, "\ufeff") {
		return s
	}
	return strings.NewReplacer("\u200e", "", "\u200f", "", "\ufeff", "").Replace(s)
}

// splitWARest splits what follows a header into author and first-line text, and says whether the
// line is a system message and whether its author is meaningful (the caller of a missed call).
func splitWARest(rest []byte, ios bool) (author, text []byte, system, keepAuthor bool) {
	i := bytes.Index(rest, []byte(": "))
	if i < 0 && bytes.HasSuffix(rest, []byte(":")) {
		i = len(rest) - 1
	}
	if i <= 0 {
		// No "Name: ": a system event (Android, and some iOS notices).
		return nil, rest, true, false
	}
	author = bytes.TrimSpace(trimMarks(rest[:i]))
	text = rest[i+1:]
	if len(text) > 0 && text[0] == ' ' {
		text = text[1:]
	}
	if len(author) == 0 || len(author) > 200 || bytes.ContainsAny(author, "\"“”«»„") {
		// A colon inside a system text, e.g. a new group subject `X changed the subject to "a: b"`.
		return nil, rest, true, false
	}
	if !ios {
		return author, text, false, false
	}
	// iOS writes system events after a name, with U+200E before the text.
	t := trimMarks(text)
	marked := len(t) < len(text)
	switch waSystemKind(t) {
	case waSysStrong:
		return author, t, true, false
	case waSysCall:
		if marked {
			return author, t, true, true
		}
	case waSysEvent:
		if marked {
			return author, t, true, false
		}
	}
	return author, text, false, false
}

const (
	waSysNone   = iota
	waSysStrong // the encryption notice and other texts that no person types
	waSysEvent  // a group event, recognized only where the export marks it (U+200E on iOS)
	waSysCall   // a missed call: the author is the caller
)

// waSystemKind recognizes the system texts of WhatsApp in EN, FR, DE, ES, NL, PT and IT. The
// phrases are lower case.
func waSystemKind(text []byte) int {
	if len(text) > 600 {
		text = text[:600]
	}
	s := strings.ToLower(string(text))
	for _, p := range waSystemStrong {
		if strings.Contains(s, p) {
			return waSysStrong
		}
	}
	for _, p := range waSystemCalls {
		if strings.HasPrefix(s, p) {
			return waSysCall
		}
	}
	for _, p := range waSystemEvents {
		if strings.Contains(s, p) {
			return waSysEvent
		}
	}
	return waSysNone
}

var waSystemStrong = []string{
	// end-to-end encryption notice
	"messages and calls are end-to-end encrypted",
	"messages to this group are now secured with end-to-end encryption",
	"messages you send to this group are now secured with end-to-end encryption",
	"les messages et les appels sont chiffrés de bout en bout",
	"nachrichten und anrufe sind ende-zu-ende-verschlüsselt",
	"los mensajes y las llamadas están cifrados de extremo a extremo",
	"berichten en gesprekken worden end-to-end versleuteld",
	"berichten en oproepen worden end-to-end versleuteld",
	"as mensagens e as chamadas são protegidas com a criptografia de ponta a ponta",
	"as mensagens e chamadas são encriptadas ponto a ponto",
	"i messaggi e le chiamate sono crittografati end-to-end",
	// security code
	"your security code with ",
	"votre code de sécurité avec ",
	"deine sicherheitsnummer für ",
	"cambió tu código de seguridad con ",
	"uw beveiligingscode voor ",
	"seu código de segurança com ",
	"il tuo codice di sicurezza con ",
	// business and community notices
	"this business uses a secure service from meta",
}

var waSystemCalls = []string{
	"missed voice call", "missed video call", "missed group voice call", "missed group video call",
	"appel vocal manqué", "appel vidéo manqué",
	"verpasster sprachanruf", "verpasster videoanruf",
	"llamada perdida", "llamada de voz perdida", "videollamada perdida",
	"gemist spraakgesprek", "gemiste spraakoproep", "gemist videogesprek", "gemiste video-oproep",
	"chamada de voz perdida", "ligação de voz perdida", "chamada de vídeo perdida", "videochamada perdida",
	"chiamata vocale persa", "videochiamata persa",
}

var waSystemEvents = []string{
	// EN
	"created group", "created this group", " added ", "added you", "joined using this group's invite link",
	"joined using this group’s invite link", "joined using your invite", "changed the subject",
	"changed this group's icon", "changed this group’s icon", "deleted this group's icon",
	"deleted this group’s icon", "changed the group description", " left", " removed ", "removed you",
	"disappearing messages", "changed their phone number", "changed to ", "now an admin",
	"no longer an admin", "you were added", "pinned a message", "message timer", "changed the settings",
	"changed this group's settings", "changed this group’s settings",
	// FR
	"a créé le groupe", "avez créé le groupe", "a créé ce groupe", " a ajouté ", "vous a ajouté",
	"avez ajouté", "a rejoint", "lien d'invitation", "lien d’invitation", "a modifié le sujet",
	"a changé le sujet", "a modifié l'icône", "a modifié l’icône", "a changé l'icône", "a changé l’icône",
	"a modifié la description", "est parti", " a quitté", "êtes parti", " a retiré ", "vous a retiré",
	"messages éphémères", "a changé de numéro", "maintenant admin", "a épinglé",
	// DE
	"hat die gruppe", "hast die gruppe", " hinzugefügt", "einladungslink", "beigetreten",
	"hat den betreff", "hast den betreff", "gruppenbild", "gruppenbeschreibung", " verlassen",
	" entfernt", "selbstlöschende nachrichten", "telefonnummer", "jetzt admin",
	// ES
	"creó el grupo", "creaste el grupo", " añadió a ", "te añadió", "añadiste a", "se unió",
	"enlace de invitación", "cambió el asunto", "cambiaste el asunto", "cambió el tema",
	"cambió la imagen", "cambió el ícono", "cambió el icono", "cambió la descripción", " salió",
	"eliminó a ", "te eliminó", "mensajes temporales", "cambió su número", "ahora eres admin",
	// NL
	"heeft de groep", "heeft groep", "hebt de groep", " toegevoegd", "uitnodigingslink",
	"onderwerp gewijzigd", "groepsafbeelding", "groepsbeschrijving", " verlaten",
	"heeft verwijderd", "verdwijnende berichten", "is nu beheerder",
	// PT
	"criou o grupo", "criou este grupo", "criou o grupo", " adicionou ", "adicionou você",
	"link de convite", "mudou o assunto", "alterou o assunto", "mudou a imagem", "alterou a imagem",
	"mudou a descrição", "alterou a descrição", " saiu", " removeu ", "mensagens temporárias",
	"mudou seu número", "agora é admin",
	// IT
	"ha creato il gruppo", "hai creato il gruppo", " ha aggiunto ", "ti ha aggiunto",
	"link d'invito", "link d’invito", "ha cambiato l'oggetto", "ha cambiato l’oggetto",
	"ha modificato l'oggetto", "ha cambiato l'immagine", "ha cambiato l’immagine",
	"ha cambiato la descrizione", " è uscito", " ha abbandonato", " ha rimosso ", "messaggi effimeri",
	"ha cambiato numero", "ora sei un amministratore",
}

// Media placeholders. Android writes "<Media omitted>" when the chat is exported without media;
// iOS writes a typed stub ("image omitted"). Lower case.
var waAndroidOmitted = []string{
	"<media omitted>", "<médias omis>", "<medien ausgeschlossen>", "<medien weggelassen>",
	"<multimedia omitido>", "<archivo omitido>", "<media weggelaten>", "<mídia oculta>", "<mídia omitida>",
	"<arquivo de mídia oculto>", "<media omessi>", "<media omesso>", "<fichier omis>",
}

var waIOSOmitted = []struct {
	s    string
	kind AttachmentKind
}{
	{"image omitted", AttachmentImage}, {"video omitted", AttachmentVideo}, {"audio omitted", AttachmentAudio},
	{"sticker omitted", AttachmentSticker}, {"gif omitted", AttachmentGIF}, {"document omitted", AttachmentFile},
	{"contact card omitted", AttachmentContact}, {"video note omitted", AttachmentVideo},
	// FR
	{"image absente", AttachmentImage}, {"vidéo absente", AttachmentVideo}, {"audio omis", AttachmentAudio},
	{"audio absent", AttachmentAudio}, {"sticker omis", AttachmentSticker}, {"sticker absent", AttachmentSticker},
	{"gif retiré", AttachmentGIF}, {"gif absent", AttachmentGIF}, {"document omis", AttachmentFile},
	{"document manquant", AttachmentFile}, {"fiche contact manquante", AttachmentContact},
	{"fiche contact absente", AttachmentContact},
	// DE
	{"bild weggelassen", AttachmentImage}, {"video weggelassen", AttachmentVideo},
	{"audio weggelassen", AttachmentAudio}, {"sticker weggelassen", AttachmentSticker},
	{"gif weggelassen", AttachmentGIF}, {"dokument weggelassen", AttachmentFile},
	{"kontaktkarte ausgelassen", AttachmentContact}, {"kontaktkarte weggelassen", AttachmentContact},
	// ES
	{"imagen omitida", AttachmentImage}, {"video omitido", AttachmentVideo}, {"audio omitido", AttachmentAudio},
	{"sticker omitido", AttachmentSticker}, {"gif omitido", AttachmentGIF}, {"documento omitido", AttachmentFile},
	{"tarjeta de contacto omitida", AttachmentContact},
	// NL
	{"afbeelding weggelaten", AttachmentImage}, {"video weggelaten", AttachmentVideo},
	{"audio weggelaten", AttachmentAudio}, {"sticker weggelaten", AttachmentSticker},
	{"gif weggelaten", AttachmentGIF}, {"document weggelaten", AttachmentFile},
	{"visitekaartje weggelaten", AttachmentContact},
	// PT
	{"imagem ocultada", AttachmentImage}, {"imagem não revelada", AttachmentImage},
	{"vídeo omitido", AttachmentVideo}, {"vídeo não revelado", AttachmentVideo},
	{"áudio ocultado", AttachmentAudio}, {"figurinha omitida", AttachmentSticker},
	{"sticker não revelado", AttachmentSticker}, {"gif não revelada", AttachmentGIF},
	{"documento ocultado", AttachmentFile}, {"documento não revelado", AttachmentFile},
	{"cartão do contato omitido", AttachmentContact},
	// IT
	{"immagine omessa", AttachmentImage}, {"video omesso", AttachmentVideo}, {"audio omesso", AttachmentAudio},
	{"sticker omesso", AttachmentSticker}, {"sticker non incluso", AttachmentSticker},
	{"gif omesso", AttachmentGIF}, {"gif esclusa", AttachmentGIF}, {"documento omesso", AttachmentFile},
	{"scheda contatto omessa", AttachmentContact},
}

// Labels of attached files: iOS "<attached: NAME>", Android "NAME (file attached)". Lower case.
var waIOSAttachedLabels = []string{"attached", "pièce jointe", "angehängt", "anhang", "adjunto", "anexado",
	"anexo", "allegato", "bijgevoegd", "bijlage"}

var waAndroidAttachedLabels = []string{"file attached", "fichier joint", "datei angehängt", "archivo adjunto",
	"archivo adjuntado", "arquivo anexado", "ficheiro anexado", "file allegato", "bestand bijgevoegd"}

// Deleted-message markers, lower case, compared without a final period.
var waDeleted = []string{
	"this message was deleted", "you deleted this message", "this message was deleted by an admin",
	"ce message a été supprimé", "vous avez supprimé ce message",
	"diese nachricht wurde gelöscht", "du hast diese nachricht gelöscht",
	"se eliminó este mensaje", "eliminaste este mensaje", "este mensaje fue eliminado",
	"dit bericht is verwijderd", "je hebt dit bericht verwijderd", "u hebt dit bericht verwijderd",
	"mensagem apagada", "esta mensagem foi apagada", "você apagou esta mensagem", "apagou esta mensagem",
	"questo messaggio è stato eliminato", "hai eliminato questo messaggio",
}

// Edited-message markers written at the end of the text, lower case.
var waEdited = []string{
	"<this message was edited>", "<ce message a été modifié>", "<diese nachricht wurde bearbeitet>",
	"<se editó este mensaje.>", "<se editó este mensaje>", "<dit bericht is bewerkt>", "<mensagem editada>",
	"<esta mensagem foi editada>", "<questo messaggio è stato modificato>",
}

// waMedia recognizes a media placeholder or an attached file on a message's first line. It returns
// the attachments and what remains of the line (a caption).
func (r *waReader) waMedia(first string) ([]Attachment, string, bool) {
	if first == "" {
		return nil, "", false
	}
	for _, p := range waAndroidOmitted {
		if first[0] == '<' && hasPrefixFold(first, p) {
			return []Attachment{{Kind: AttachmentUnknown, Omitted: true}}, strings.TrimSpace(first[len(p):]), true
		}
	}
	for _, p := range waIOSOmitted {
		if strings.EqualFold(first, p.s) {
			return []Attachment{{Kind: p.kind, Omitted: true}}, "", true
		}
		// "Report.pdf • 2 pages document omitted": the file name before the stub.
		if p.kind == AttachmentFile && len(first) > len(p.s)+1 && strings.EqualFold(first[len(first)-len(p.s)-1:], " "+p.s) {
			name := strings.TrimSpace(trimMarksString(first[:len(first)-len(p.s)-1]))
			if k := strings.Index(name, " • "); k >= 0 {
				name = name[:k]
			}
			return []Attachment{{Kind: AttachmentFile, Name: name, Omitted: true}}, "", true
		}
	}
	// iOS "<attached: 00000012-PHOTO-2026-03-14-21-03-05.jpg>", possibly after a caption or a name.
	if k := strings.LastIndexByte(first, '<'); k >= 0 && strings.HasSuffix(first, ">") {
		tag := first[k+1 : len(first)-1]
		if c := strings.IndexByte(tag, ':'); c > 0 {
			label := strings.ToLower(strings.TrimSpace(tag[:c]))
			name := strings.TrimSpace(tag[c+1:])
			for _, l := range waIOSAttachedLabels {
				if label == l && waLooksLikeFile(name) {
					before := strings.TrimSpace(trimMarksString(strings.TrimSpace(first[:k])))
					before = strings.TrimSpace(strings.TrimSuffix(before, "\u200e"))
					return []Attachment{r.attachment(name)}, before, true
				}
			}
		}
	}
	// Android "IMG-20260314-WA0001.jpg (file attached)"; the caption is on the next lines.
	if strings.HasSuffix(first, ")") {
		if k := strings.LastIndex(first, " ("); k > 0 {
			label := strings.ToLower(first[k+2 : len(first)-1])
			for _, l := range waAndroidAttachedLabels {
				if label == l {
					return []Attachment{r.attachment(strings.TrimSpace(first[:k]))}, "", true
				}
			}
		}
	}
	// Shared location: "location: https://maps.google.com/?q=..."
	if c := strings.Index(first, ": https://maps.google.com/"); c > 0 && c < 20 && !strings.ContainsAny(first[:c], " /") {
		url := first[c+2:]
		if sp := strings.IndexAny(url, " \t"); sp >= 0 {
			url = url[:sp]
		}
		return []Attachment{{Kind: AttachmentLocation, URL: url}}, "", true
	}
	return nil, first, false
}

// attachment describes an attached file by its name; when the archive holds the file, URL is its
// path inside the archive.
func (r *waReader) attachment(name string) Attachment {
	a := Attachment{Kind: waKindOf(name), Name: name}
	if p, ok := r.media[name]; ok {
		a.URL = p
	}
	return a
}

// waKindOf guesses an attachment's kind from WhatsApp's file names and extensions.
func waKindOf(name string) AttachmentKind {
	up := strings.ToUpper(name)
	switch {
	case strings.HasPrefix(up, "STK-") || strings.Contains(up, "-STICKER-"):
		return AttachmentSticker
	case strings.Contains(up, "-GIF-"):
		return AttachmentGIF
	case strings.HasPrefix(up, "PTT-") || strings.HasPrefix(up, "AUD-"):
		return AttachmentAudio
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".heic", ".heif", ".bmp", ".tif", ".tiff":
		return AttachmentImage
	case ".webp":
		return AttachmentSticker
	case ".gif":
		return AttachmentGIF
	case ".mp4", ".mov", ".3gp", ".mkv", ".avi", ".webm", ".m4v":
		return AttachmentVideo
	case ".opus", ".ogg", ".m4a", ".mp3", ".aac", ".amr", ".wav", ".oga":
		return AttachmentAudio
	case ".vcf":
		return AttachmentContact
	}
	return AttachmentFile
}

// isWADeleted reports whether a whole first line is a deleted-message marker.
func isWADeleted(s string) bool {
	if len(s) > 80 {
		return false
	}
	s = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
	for _, d := range waDeleted {
		if s == d {
			return true
		}
	}
	return strings.HasPrefix(s, "this message was deleted by admin")
}

// cutWAEdited removes an edited-message marker at the end of s.
func cutWAEdited(s string) (string, bool) {
	t := strings.TrimRight(s, " \t\n")
	if !strings.HasSuffix(t, ">") {
		return s, false
	}
	k := strings.LastIndexByte(t, '<')
	if k < 0 || len(t)-k > 64 {
		return s, false
	}
	tag := strings.ToLower(t[k:])
	for _, e := range waEdited {
		if tag == e {
			return strings.TrimRight(t[:k], " \u200e"), true
		}
	}
	return s, false
}

// waTitlePrefixes are the export's file names before the contact or group name, per language.
var waTitlePrefixes = []string{
	"whatsapp chat with ", "whatsapp chat - ", "whatsapp chat mit ", "whatsapp-chat mit ",
	"discussion whatsapp avec ", "chat de whatsapp con ", "chat whatsapp con ", "conversa do whatsapp com ",
	"conversa no whatsapp com ", "whatsapp-chat met ", "whatsapp chat met ",
}

// waChatName derives a conversation id (the file's base name without extension) and a title
// ("WhatsApp Chat with X" -> X) from a file name.
func waChatName(name string) (id, title string) {
	base := fileStem(name)
	if base == "" {
		return "whatsapp", ""
	}
	low := strings.ToLower(strings.ReplaceAll(base, "_", " "))
	for _, p := range waTitlePrefixes {
		if strings.HasPrefix(low, p) && len(base) > len(p) {
			title = strings.TrimSpace(strings.ReplaceAll(base[len(p):], "_", " "))
			break
		}
	}
	return base, title
}

func sniffWhatsApp(name string, head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] == '{' || t[0] == '<' {
		return 0
	}
	score, headers, nonEmpty := 0, 0, 0
	for len(t) > 0 && nonEmpty < waLookahead {
		line := t
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			line, t = t[:i], t[i+1:]
		} else {
			t = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(trimMarks(line))) == 0 {
			continue
		}
		nonEmpty++
		if _, ok := parseWAHeader(line); ok {
			headers++
			if score == 0 {
				if nonEmpty == 1 {
					score = 80
				} else {
					score = 50
				}
			}
		}
	}
	if score == 0 {
		return 0
	}
	if headers >= 2 {
		score += 10
	}
	if strings.EqualFold(filepath.Ext(name), ".txt") {
		score += 5
	}
	if strings.Contains(strings.ToLower(name), "whatsapp") || strings.EqualFold(filepath.Base(name), "_chat.txt") {
		score += 5
	}
	if score > 100 {
		score = 100
	}
	return score
}

// waFSReader reads the chat (or chats) of an export folder or archive: "_chat.txt" (iOS) or
// "WhatsApp Chat with X.txt" (Android), with the attached files beside it.
type waFSReader struct {
	problems
	fsys  fs.FS
	name  string
	chats []string
	media map[string]string
	opts  Options
	cur   *Conversation
	err   error
}

func newWhatsAppFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	var chats, txts []string
	media := make(map[string]string)
	for _, n := range names {
		base := path.Base(n)
		low := strings.ToLower(base)
		switch {
		case strings.HasPrefix(base, ".") || strings.HasPrefix(n, "__MACOSX/"):
		case low == "_chat.txt" || strings.HasSuffix(low, ".txt") && waIsChatName(low):
			chats = append(chats, n)
		case strings.HasSuffix(low, ".txt"):
			txts = append(txts, n)
			media[base] = n
		default:
			media[base] = n
		}
	}
	if len(chats) == 0 && len(txts) == 1 {
		chats = txts
		delete(media, path.Base(txts[0]))
	}
	if len(chats) == 0 {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatWhatsApp, Err: ErrUnknownFormat,
			Msg: "no WhatsApp chat (_chat.txt or \"WhatsApp Chat with ….txt\") in this folder or archive"}
	}
	return &waFSReader{fsys: fsys, name: name, chats: chats, media: media, opts: o}, nil
}

// waIsChatName reports whether a lower-case .txt base name is an exported chat.
func waIsChatName(low string) bool {
	l := strings.ReplaceAll(low, "_", " ")
	for _, p := range waTitlePrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return strings.Contains(l, "whatsapp")
}

func (r *waFSReader) Format() Format              { return FormatWhatsApp }
func (r *waFSReader) Conversation() *Conversation { return r.cur }
func (r *waFSReader) Err() error                  { return r.err }
func (r *waFSReader) Close() error                { return nil }

func (r *waFSReader) Next() bool {
	r.cur = nil
	for r.err == nil && len(r.chats) > 0 {
		p := r.chats[0]
		r.chats = r.chats[1:]
		f, err := r.fsys.Open(p)
		if err != nil {
			r.err = &ParseError{File: filepath.Join(r.name, p), Offset: -1, Format: FormatWhatsApp, Msg: "open", Err: err}
			return false
		}
		// "_chat.txt" says nothing: name the chat after its folder, or after the archive.
		idName := p
		if strings.EqualFold(path.Base(p), "_chat.txt") {
			if d := path.Dir(p); d != "." {
				idName = d
			} else {
				idName = r.name
			}
		}
		id, title := waChatName(idName)
		br := stripBOM(decodeInput(bufio.NewReaderSize(f, sniffBytes)))
		wr := newWAStream(filepath.Join(r.name, p), id, title, br, r.opts, r.media)
		ok := wr.Next()
		_ = f.Close()
		for _, pe := range wr.Problems() {
			r.add(pe)
		}
		if err := wr.Err(); err != nil {
			r.err = err
			return false
		}
		if ok {
			r.cur = wr.Conversation()
			return true
		}
	}
	return false
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// waLooksLikeFile reports whether an iOS attachment name is a file name: iOS names attachments
// "00000012-PHOTO-2026-03-14-21-03-05.jpg", always with an extension or the numbered prefix.
func waLooksLikeFile(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	if ext := path.Ext(name); len(ext) > 1 && len(ext) <= 6 && isAlnum(ext[1:]) {
		return true
	}
	return len(name) > 9 && name[8] == '-' && isDigits(name[:8])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
