package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// textReaderVersion is bumped whenever the reader's output changes for the same input.
const textReaderVersion = "text/2"

// The plain-text reader reads what a user has when there is no export: a chat copied from a web or
// desktop client, a transcript typed up or kept by hand, a log. One message per line:
//
//	Sam: hi, how was school?                  name, colon, text
//	[21:03] Sam: hi                           a time stamp first, in brackets or parentheses
//	[2026-03-14 21:03:05] Sam: hi             (kept when it holds an ISO date or a day.month.year
//	                                          date, "14.03.26 21:03"; else unknown)
//	2026-03-14 21:03 - Sam: hi                a bare ISO date-time or clock, an optional dash
//	Sam (9:03:05 PM): hi                      the time after the name (Perverted-Justice logs)
//	<Sam> hi                                  IRC
//
// or a header line, the message on the lines below it, as the desktop apps copy selected messages:
//
//	Sam — Today at 9:03 PM                    Discord (any date or clock after the dash; a lone
//	hi                                        "[9:04 PM]" line starts the same author's next
//	                                          message)
//	Sam, [14.03.26 21:03]                     Telegram Desktop, messages apart by a blank line
//	hi
//
// (A file whose lines open with a bracketed date-time is detected as WhatsApp, whose Swedish and
// Canadian exports write "[2026-03-14 21:03:05] Name: text"; --format text reads it here.)
//
// A line that does not start so continues the message above (a multi-line message). When the first
// 64 KiB hold no such structure (fewer than two "Name: text" lines, or fewer than 30% of the lines,
// or names that do not repeat), the whole text is read as one message without author: the form the
// model has thresholds for (see detect.FlatInput), and in which no suspect can be named.

// textHeaderSlack bounds the bytes of a line's stamp and name (see textStamp, textNamed).
const textHeaderSlack = 512

// textHeadLines is how many non-blank lines of the first 64 KiB decide between the two readings.
const textHeadLines = 500

// textMaxName bounds an author name, in runes; textMaxNameWords in words.
const (
	textMaxName      = 40
	textMaxNameWords = 4
)

var (
	// textStamp is a time stamp opening a line: in brackets or parentheses, or a bare ISO date-time
	// or clock; then an optional dash or bar.
	textStamp = regexp.MustCompile(`^(?:\[([^\[\]]{3,40})\]|\(([^()]{3,40})\)|(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)(?:\s|$))\s*(?:[-–—|]\s+)?`)
	// textIRC is "<name> text".
	textIRC = regexp.MustCompile(`^<([^<>]{1,160})>(?:\s(.*)|$)`)
	// textNamed is "name: text" or "name (time): text" or "name [time]: text".
	textNamed = regexp.MustCompile(`^([^:\[\]()<>]{1,160}?)\s*(?:\(([^()]{3,40})\)|\[([^\[\]]{3,40})\])?\s*:(?:\s(.*)|$)`)
	// textClock is a time of day, the test for a stamp: it must hold one.
	textClock = regexp.MustCompile(`\d{1,2}:\d{2}`)
	// textISO is the ISO date-time a stamp may hold; the rest of the stamp is ignored.
	textISO = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?`)
	// textDotted is a day.month.year date and a 24-hour clock, as Telegram Desktop copies messages
	// ("14.03.26 21:03") and as German or Russian locales write dates: dots put the day first.
	textDotted = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$`)
	// textSlashed is a slashed date with a clock before it (WhatsApp Web's copy, "21:03, 14/03/2026")
	// or after it (Discord's copy, "03/14/2026 9:03 PM"): its day/month order is read from the file.
	textSlashed = regexp.MustCompile(`^(?:(\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])?\.?[Mm]?\.?,? +)?(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,? +(\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])?\.?[Mm]?\.?)?$`)
	// textDashHeader is Discord's copy header, "name — stamp" (an em dash between spaces).
	textDashHeader = regexp.MustCompile(`^(.{1,160}?)\s+—\s+(.{3,40})$`)
	// textCommaHeader is Telegram Desktop's copy header, "name, [stamp]".
	textCommaHeader = regexp.MustCompile(`^(.{1,160}?), \[([^\[\]]{3,40})\]$`)
	// textLoneStamp is a line holding only a bracketed stamp: Discord's mark of the next message of
	// the same author in a copied group.
	textLoneStamp = regexp.MustCompile(`^\[([^\[\]]{3,40})\]$`)
)

// textLine is one parsed line that starts a message.
type textLine struct {
	author string
	stamp  string // the time stamp as written, "" when none
	text   string
	header bool // a header line: the message's text is on the lines below
}

// parseTextLine reads a line that starts a message; ok is false for any other line.
func parseTextLine(line string) (l textLine, ok bool) {
	s := strings.TrimLeft(trimMarksString(line), " \t")
	if l, ok := parseTextHeader(strings.TrimRight(s, " \t")); ok {
		return l, true
	}
	if m := textStamp.FindStringSubmatch(s); m != nil {
		st := m[1] + m[2] + m[3]
		if textClock.MatchString(st) {
			l.stamp = strings.TrimSpace(st)
			s = s[len(m[0]):]
		}
	}
	if m := textIRC.FindStringSubmatch(s); m != nil {
		l.author, l.text = strings.TrimSpace(m[1]), m[2]
	} else if m := textNamed.FindStringSubmatch(s); m != nil {
		l.author, l.text = strings.TrimSpace(m[1]), m[4]
		if st := m[2] + m[3]; st != "" {
			if !textClock.MatchString(st) {
				return textLine{}, false // "Name (note): ..." is text, not a header
			}
			if l.stamp == "" {
				l.stamp = strings.TrimSpace(st)
			}
		}
		if strings.HasPrefix(l.text, "//") {
			return textLine{}, false // a URL: "https://..."
		}
	} else {
		return textLine{}, false
	}
	if !textName(l.author) {
		return textLine{}, false
	}
	return l, true
}

// parseTextHeader reads a header line of a copied selection ("Sam — Today at 9:03 PM",
// "Sam, [14.03.26 21:03]"): an author and a stamp that holds a clock, nothing else.
func parseTextHeader(s string) (textLine, bool) {
	var m []string
	switch { // the regexps only where their separators are: most lines have neither
	case strings.Contains(s, "—"):
		m = textDashHeader.FindStringSubmatch(s)
	case strings.HasSuffix(s, "]") && strings.Contains(s, ", ["):
		m = textCommaHeader.FindStringSubmatch(s)
	}
	if m == nil || !textClock.MatchString(m[2]) {
		return textLine{}, false
	}
	author := strings.TrimSpace(m[1])
	if !textName(author) || strings.ContainsAny(author, ":[]<>") {
		return textLine{}, false
	}
	return textLine{author: author, stamp: strings.TrimSpace(m[2]), header: true}, true
}

// textTime reads the date-time a stamp holds: an ISO date-time anywhere in it; or the whole stamp a
// day.month.year date and a clock; or a slashed date and a clock when order (DateDMY or DateMDY)
// says which field is the day. ok is false for a clock alone, a relative day ("Today at 9:03 PM")
// or a slashed date of unknown order.
func textTime(stamp string, loc *time.Location, order DateOrder) (time.Time, bool) {
	if iso := textISO.FindString(stamp); iso != "" {
		t, err := ParseTime(strings.Replace(iso, "T", " ", 1), loc)
		return t, err == nil
	}
	if strings.IndexByte(stamp, '.') >= 0 {
		if m := textDotted.FindStringSubmatch(stamp); m != nil {
			return textDate(m[3], m[2], m[1], m[4], m[5], m[6], "", loc)
		}
	}
	if (order != DateDMY && order != DateMDY) || strings.IndexByte(stamp, '/') < 0 {
		return time.Time{}, false
	}
	m := textSlashed.FindStringSubmatch(textSpaces(stamp))
	if m == nil || (m[1] == "") == (m[8] == "") {
		return time.Time{}, false // no clock, or two
	}
	day, month := m[5], m[6]
	if order == DateMDY {
		day, month = month, day
	}
	if m[1] != "" {
		return textDate(m[7], month, day, m[1], m[2], m[3], m[4], loc)
	}
	return textDate(m[7], month, day, m[8], m[9], m[10], m[11], loc)
}

// textSpaces turns the no-break spaces that clocks put before AM and PM (U+202F, U+00A0) into spaces.
func textSpaces(s string) string {
	return strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s)
}

// textDate builds a time from the digits of a date and a clock (seconds optional, "" when absent;
// ampm "a", "p" or ""); ok is false for an impossible date or time. Two-digit years are 20xx.
func textDate(year, month, day, hour, minute, sec, ampm string, loc *time.Location) (time.Time, bool) {
	n := make([]int, 6)
	for i, v := range []string{year, month, day, hour, minute, sec} {
		n[i], _ = strconv.Atoi(v) // digits only; "" reads 0
	}
	y, mo, d, h, mi, se := n[0], n[1], n[2], n[3], n[4], n[5]
	if len(year) == 2 {
		y += 2000
	}
	switch strings.ToLower(ampm) {
	case "a", "p":
		if h < 1 || h > 12 {
			return time.Time{}, false
		}
		h %= 12
		if strings.ToLower(ampm) == "p" {
			h += 12
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, loc)
	if t.Day() != d {
		return time.Time{}, false // 31.02: time.Date would roll it into March
	}
	return t, true
}

// textDateOrder tells the day/month order of the slashed dates in the stamps of the first lines: a
// first field above 12 means day first, a second one month first. DateAuto when nothing settles it
// (every field 12 or less) or when the lines say both.
func textDateOrder(head []byte) DateOrder {
	var dmy, mdy bool
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if bytes.IndexByte(line, '/') < 0 {
			continue // no slashed date on this line
		}
		l, ok := parseTextLine(strings.TrimRight(string(line), "\r"))
		if !ok || l.stamp == "" {
			continue
		}
		m := textSlashed.FindStringSubmatch(textSpaces(l.stamp))
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[5])
		b, _ := strconv.Atoi(m[6])
		dmy = dmy || a > 12
		mdy = mdy || b > 12
	}
	switch {
	case dmy && !mdy:
		return DateDMY
	case mdy && !dmy:
		return DateMDY
	}
	return DateAuto
}

// textName reports whether s can be an author name: 1 to textMaxName runes in at most
// textMaxNameWords words, holding a letter, not a bare number (a clock cut at its colon).
func textName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > textMaxName || len(strings.Fields(s)) > textMaxNameWords {
		return false
	}
	letter := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			letter = true
		}
		if unicode.IsControl(r) {
			return false
		}
	}
	return letter
}

// textStructured decides from the first bytes of an input whether it is a transcript with authors.
func textStructured(head []byte) bool {
	lines, named, headers := 0, 0, 0
	names := map[string]int{}
	for len(head) > 0 && lines < textHeadLines {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		s := strings.TrimRight(string(line), "\r")
		if strings.TrimSpace(trimMarksString(s)) == "" {
			continue
		}
		lines++
		if l, ok := parseTextLine(s); ok {
			named++
			names[l.author]++
			if l.header {
				headers++
			}
		}
	}
	// Header lines (a copied selection) head messages of one line or more: a tenth of the lines is
	// enough when they are most of the named lines.
	if named < 2 || (named*10 < lines*3 && (2*headers < named || headers*10 < lines)) {
		return false
	}
	// A transcript's speakers come back; prose whose lines open with "Note:", "Step 1:" does not.
	repeated := 0
	for _, n := range names {
		if n > 1 {
			repeated += n
		}
	}
	return len(names) <= 2 || 2*repeated >= named
}

// sniffText accepts text: valid UTF-8 without NUL bytes that is not JSON, XML or HTML and is not named
// as a structured format (.csv, .json, ...). It is the fallback of detection: every other format
// scores higher when it matches.
func sniffText(name string, head []byte) int {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) == 0 || t[0] == '{' || bytes.HasPrefix(t, []byte("<?xml")) || bytes.HasPrefix(t, []byte("<conversations")) {
		return 0
	}
	if t[0] == '[' && jsonArrayStart(t) {
		// JSON, unless the bracket holds a time stamp: "[20:15] <nick> text".
		first := t[:min(len(t), 64)]
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		if m := textStamp.Find(first); m == nil || !textClock.Match(m) {
			return 0
		}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return 0
	}
	low := bytes.ToLower(t[:min(len(t), 16)])
	if bytes.HasPrefix(low, []byte("<!doctype")) || bytes.HasPrefix(low, []byte("<html")) {
		return 0 // a saved web page: its markup is not the chat
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".xml", ".html", ".htm", ".zip":
		// A file of a structured format that matched none of the readers: say so rather than score
		// its syntax as prose (--format text still reads it).
		return 0
	}
	// The head may end inside a UTF-8 sequence: allow an incomplete last rune.
	body := head
	if len(body) >= sniffBytes {
		for k := 0; k < utf8.UTFMax && len(body) > 0 && !utf8.Valid(body); k++ {
			body = body[:len(body)-1]
		}
	}
	if !utf8.Valid(body) {
		return 0
	}
	score := 10
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".txt" || ext == ".log" || name == "-" {
		score += 5
	}
	return score
}

// jsonArrayStart says whether t, which starts with '[', can start a JSON array: a value follows the
// bracket. "[LINE] Chat history with Sam" cannot.
func jsonArrayStart(t []byte) bool {
	v := bytes.TrimLeft(t[1:], " \t\r\n")
	if len(v) == 0 || strings.IndexByte(`{["]-0123456789`, v[0]) >= 0 {
		return true
	}
	for _, lit := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(v, []byte(lit)) {
			return true
		}
	}
	return false
}

// textReader reads one plain-text transcript (see the comment on textReaderVersion).
type textReader struct {
	problems
	name string
	id   string
	opts Options
	lineSource

	cur   *Conversation
	err   error
	done  bool
	order DateOrder // of slashed dates: forced, or read from the first lines (see textDateOrder)
}

func newTextReader(name string, r io.Reader, o Options) (Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < sniffBytes {
		br = bufio.NewReaderSize(r, sniffBytes)
	}
	base := fileStem(name)
	if base == "" {
		base = "text"
	}
	// A line is kept whole up to the line cap, or far enough past the message cap for the message
	// to be cut (and that reported) with its stamp and name read.
	keep := min(o.maxLineBytes(), o.maxMessageBytes()+textHeaderSlack)
	return &textReader{name: name, id: base, opts: o, lineSource: lineSource{br: br, keep: keep}}, nil
}

func (r *textReader) Format() Format              { return FormatText }
func (r *textReader) Conversation() *Conversation { return r.cur }
func (r *textReader) Err() error                  { return r.err }
func (r *textReader) Close() error                { return nil }

func (r *textReader) perr(line int, offset int64, msg string, err error) *ParseError {
	return &ParseError{File: r.name, Line: line, Offset: offset, Format: FormatText, Msg: msg, Err: err}
}

func (r *textReader) Next() bool {
	r.cur = nil
	if r.done || r.err != nil {
		return false
	}
	r.done = true
	// A read error here comes back to readLine at its position; the bytes peeked are still read.
	head, _ := r.br.Peek(sniffBytes)
	r.order = r.opts.DateOrder
	if r.order == DateAuto {
		r.order = textDateOrder(head)
	}
	c, err := r.read(textStructured(head))
	if err != nil {
		r.err = err
		// What was read before the failure is not lost.
	}
	if c == nil || len(c.Messages) == 0 {
		return false
	}
	if r.opts.Predators != nil {
		applyPredators(c, r.opts.Predators)
	}
	r.cur = c
	return true
}

// read reads every line into one conversation: one message per "Name: text" line when structured,
// else the whole text as one message without author.
func (r *textReader) read(structured bool) (*Conversation, error) {
	c := &Conversation{ID: r.id, Source: Source{File: r.name, Format: FormatText, Reader: textReaderVersion}}
	max := r.opts.maxMessageBytes()
	var (
		cur        *Message
		text       []byte
		cut        bool
		blank      int // blank lines held back: kept only if text follows in the same message
		preamble   bool
		stampNoted bool
		headers    bool // the current message began with a header line (its text below it)
	)
	finish := func() {
		if cur == nil {
			return
		}
		cur.Text = string(text)
		c.Messages = append(c.Messages, *cur)
		cur, text, cut, blank = nil, nil, false, 0
	}
	add := func(s string, first bool) {
		if !first {
			if strings.TrimSpace(s) == "" {
				blank++
				return
			}
			if len(text) > 0 {
				for ; blank > 0; blank-- {
					text = append(text, '\n')
				}
				text = append(text, '\n')
			}
			blank = 0
		}
		text = append(text, s...)
		if len(text) > max {
			text = []byte(truncateUTF8(string(text), max))
			if !cut {
				cut = true
				r.add(r.perr(cur.Line, -1, fmt.Sprintf("message %q: text cut to %d bytes", cur.ID, max), ErrTooLarge))
			}
		}
	}
	start := func(line int, author string) {
		finish()
		cur = &Message{ID: strconv.Itoa(len(c.Messages) + 1), Author: author, Line: line}
	}
	for {
		start0 := r.offset
		b, _, err := r.next(&r.problems, r.opts.maxLineBytes(), r.perr)
		if err == io.EOF {
			break
		}
		if err != nil {
			finish()
			return c, err
		}
		s := string(b)
		if r.line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if !structured {
			if cur == nil {
				if strings.TrimSpace(trimMarksString(s)) == "" {
					continue
				}
				start(r.line, "")
				add(s, true)
				continue
			}
			if !cut {
				add(s, false)
			}
			continue
		}
		l, ok := parseTextLine(s)
		if !ok && cur != nil && headers && !cur.System {
			// Discord marks the next message of the same author in a copied group with its time.
			if m := textLoneStamp.FindStringSubmatch(strings.TrimSpace(trimMarksString(s))); m != nil && textClock.MatchString(m[1]) {
				l, ok = textLine{author: cur.Author, stamp: m[1], header: true}, true
			}
		}
		if !ok {
			if cur == nil {
				// Lines before the first message: a title, a date. Kept as a platform message.
				if strings.TrimSpace(trimMarksString(s)) == "" {
					continue
				}
				if !preamble {
					preamble = true
					r.add(r.perr(r.line, start0, "text before the first \"Name: text\" line kept as a system message", nil))
				}
				start(r.line, "")
				cur.System = true
				add(s, true)
				continue
			}
			if !cut {
				add(s, false)
			}
			continue
		}
		start(r.line, l.author)
		headers = l.header
		if l.stamp != "" {
			if t, ok := textTime(l.stamp, r.opts.location(), r.order); ok {
				cur.Time = t
			}
			if cur.Time.IsZero() && !stampNoted {
				stampNoted = true
				msg := fmt.Sprintf("time stamps without a full date (%q): times kept unknown", l.stamp)
				if r.order == DateAuto && textSlashed.MatchString(textSpaces(l.stamp)) {
					msg = fmt.Sprintf("dates whose day/month order the text does not settle (%q): times kept unknown (use --date-order)", l.stamp)
				}
				r.add(r.perr(r.line, start0, msg, nil))
			}
		}
		if !l.header {
			add(l.text, true)
		}
	}
	finish()
	if !structured && len(c.Messages) == 1 {
		r.add(r.perr(c.Messages[0].Line, -1, "no \"Name: text\" lines: the text is read as one message without author (no suspect can be named)", nil))
	}
	return c, nil
}
