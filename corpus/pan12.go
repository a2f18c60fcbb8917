package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pan12ReaderVersion is bumped whenever the reader's output changes for the same input.
const pan12ReaderVersion = "pan12/1"

// pan12ClockKey is the [Conversation.Extra] key holding the PAN12 clock texts (see pan12Reader).
const pan12ClockKey = "pan12_clock"

// sniffPAN12 recognizes the PAN 2012 corpus XML from its root and first elements.
func sniffPAN12(name string, head []byte) int {
	score := 0
	switch {
	case bytes.Contains(head, []byte("<conversations")) && (bytes.Contains(head, []byte("<conversation id=")) || bytes.Contains(head, []byte("<message line="))):
		score = 95
	case bytes.Contains(head, []byte("<conversations")):
		score = 60
	case bytes.Contains(head, []byte("<conversation ")) && bytes.Contains(head, []byte("<author>")):
		score = 75
	}
	if score > 0 && strings.EqualFold(filepath.Ext(name), ".xml") {
		score += 4
	}
	return score
}

// pan12Reader streams the PAN 2012 sexual predator identification corpus:
//
//	<conversations>
//	  <conversation id="e621…">
//	    <message line="1"><author>9796…</author><time>03:20</time><text>…</text></message>
//	  </conversation>
//	</conversations>
//
// It cuts the input into <conversation> elements with a byte scanner and decodes each one with its own
// encoding/xml Decoder (Strict off, HTML entities known), so that memory stays bounded by one
// conversation (capped by [Options.MaxLineBytes]) however large the file, and so that a malformed
// conversation is reported as a problem and the next one is still read.
//
// The corpus holds characters that XML forbids (control characters, invalid UTF-8, character
// references such as &#3;): they are replaced by U+FFFD before decoding and counted in one problem
// per conversation. A conversation the decoder still cannot read is a problem positioned at the
// decoder's line; the messages complete before the fault are kept.
//
// Messages: ID is the `line` attribute (messages are kept in `line` order), Author the author hash,
// Text the text with entities resolved and surrounding spaces trimmed. Times: PAN12 gives only a
// clock ("03:20") with no date, so Message.Time stays zero (unknown) — a clock on a made-up date
// would produce wrong durations across midnight and wrong dates everywhere. The clock texts are kept
// in Conversation.Extra["pan12_clock"], a JSON array of strings parallel to Messages ("" where a
// message has no <time>), which the canonical JSONL carries through.
type pan12Reader struct {
	problems
	name string
	br   *bufio.Reader
	opts Options

	line    int   // line of the next unread byte, 1-based
	offset  int64 // offset of the next unread byte
	buf     []byte
	pending bool // a "<conversation" start was consumed while reading the previous fragment
	pendLn  int
	pendOff int64
	sawRoot bool
	sawConv bool
	eof     bool
	// unclosed says why the last fragment has no end tag, "" when it has one.
	unclosed string

	cur *Conversation
	err error
}

func newPAN12Reader(name string, r io.Reader, o Options) (Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 4096 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &pan12Reader{name: name, br: br, opts: o, line: 1}, nil
}

func (r *pan12Reader) Format() Format              { return FormatPAN12 }
func (r *pan12Reader) Conversation() *Conversation { return r.cur }
func (r *pan12Reader) Err() error                  { return r.err }
func (r *pan12Reader) Close() error                { return nil }

func (r *pan12Reader) perr(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: r.name, Line: line, Offset: off, Format: FormatPAN12, Msg: msg, Err: err}
}

func (r *pan12Reader) Next() bool {
	r.cur = nil
	for r.err == nil {
		frag, line, off, ok := r.nextFragment()
		if !ok {
			if r.err == nil && !r.sawConv && !r.sawRoot && r.offset > 0 {
				r.err = r.perr(0, 0, "no <conversations> or <conversation> element found", ErrUnknownFormat)
			}
			return false
		}
		if c := r.parseFragment(frag, line, off); c != nil {
			if r.opts.Predators != nil {
				applyPredators(c, r.opts.Predators)
			}
			r.cur = c
			return true
		}
	}
	return false
}

// readSlice reads up to and including delim, counting lines and offsets. It returns the bytes read
// (valid until the next read) and whether delim was found; at the end of input it returns false.
func (r *pan12Reader) readSlice(delim byte) ([]byte, bool) {
	b, err := r.br.ReadSlice(delim)
	r.offset += int64(len(b))
	r.line += bytes.Count(b, []byte{'\n'})
	switch {
	case err == nil:
		return b, true
	case errors.Is(err, bufio.ErrBufferFull):
		return b, false
	case err == io.EOF:
		r.eof = true
		return b, false
	default:
		r.eof = true
		r.err = r.perr(r.line, r.offset, "read", err)
		return b, false
	}
}

// atConversationStart reports whether the bytes after a consumed '<' open a <conversation> element
// (and not <conversations>).
func (r *pan12Reader) atConversationStart() bool {
	p, _ := r.br.Peek(len("conversation") + 1)
	if len(p) < len("conversation")+1 || string(p[:len("conversation")]) != "conversation" {
		return false
	}
	switch p[len("conversation")] {
	case ' ', '\t', '\n', '\r', '>', '/':
		return true
	}
	return false
}

// nextFragment returns the bytes of the next <conversation> element, with the line and offset where
// it starts.
func (r *pan12Reader) nextFragment() (frag []byte, line int, off int64, ok bool) {
	if !r.pending {
		// Skip to the next "<conversation".
		for {
			if r.eof || r.err != nil {
				return nil, 0, 0, false
			}
			if _, found := r.readSlice('<'); !found {
				continue
			}
			if r.atConversationStart() {
				r.pending, r.pendLn, r.pendOff = true, r.line, r.offset-1
				break
			}
			if p, _ := r.br.Peek(len("conversations")); string(p) == "conversations" {
				r.sawRoot = true
			}
		}
	}
	r.pending = false
	r.sawConv = true
	r.unclosed = ""
	line, off = r.pendLn, r.pendOff
	max := r.opts.maxLineBytes()
	r.buf = append(r.buf[:0], '<')
	tooLarge := false
	appendb := func(b []byte) {
		if tooLarge {
			return
		}
		if len(r.buf)+len(b) > max {
			tooLarge = true
			return
		}
		r.buf = append(r.buf, b...)
	}
	// The start tag, which may close itself.
	for {
		b, found := r.readSlice('>')
		appendb(b)
		if found || r.eof || r.err != nil {
			break
		}
	}
	closed := bytes.HasSuffix(r.buf, []byte("/>"))
	for !closed && !r.eof && r.err == nil {
		// Append before peeking: a Peek may move the bufio buffer under b.
		b, found := r.readSlice('<')
		appendb(b)
		if !found {
			continue
		}
		if r.atConversationStart() {
			// The next conversation begins before this one ended.
			if !tooLarge {
				r.buf = r.buf[:len(r.buf)-1]
			}
			r.pending, r.pendLn, r.pendOff = true, r.line, r.offset-1
			r.unclosed = "not closed before the next <conversation>"
			break
		}
		if p, _ := r.br.Peek(len("/conversation>")); bytes.HasPrefix(p, []byte("/conversation")) &&
			len(p) == len("/conversation>") && (p[len(p)-1] == '>' || p[len(p)-1] == ' ' || p[len(p)-1] == '\n' || p[len(p)-1] == '\t' || p[len(p)-1] == '\r') {
			for {
				b, found := r.readSlice('>')
				appendb(b)
				if found || r.eof || r.err != nil {
					break
				}
			}
			closed = true
		}
	}
	if r.err != nil {
		return nil, 0, 0, false
	}
	if tooLarge {
		r.add(r.perr(line, off, fmt.Sprintf("conversation %s longer than %d bytes skipped", pan12StartID(r.buf), max), ErrTooLarge))
		return r.nextFragment()
	}
	if !closed && r.eof && !r.pending {
		r.unclosed = "input ends inside it"
	}
	return r.buf, line, off, true
}

// pan12StartID returns the quoted id attribute of a fragment's start tag, for messages.
func pan12StartID(frag []byte) string {
	i := bytes.Index(frag, []byte(`id="`))
	if i < 0 || i > 200 {
		return "(no id)"
	}
	rest := frag[i+4:]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || j > 200 {
		return "(no id)"
	}
	return strconv.Quote(string(rest[:j]))
}

func (r *pan12Reader) parseFragment(frag []byte, line int, off int64) *Conversation {
	frag, fixed := sanitizeXML(frag)
	d := xml.NewDecoder(bytes.NewReader(frag))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	c := &Conversation{Platform: "pan12", Source: Source{File: r.name, Format: FormatPAN12, Reader: pan12ReaderVersion}}
	var (
		clocks   []string
		anyClock bool
		msg      *Message
		clock    string
		field    string
		text     strings.Builder
		depth    int
		cut      bool
		seqOK    = true
		prevSeq  = -1 << 62
		maxBytes = r.opts.maxMessageBytes()
	)
	at := func() int { l, _ := d.InputPos(); return line + l - 1 }
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			msg, ln := "unreadable XML", at()
			if errors.As(err, &se) {
				msg = se.Msg
			}
			if r.unclosed != "" && msg == "unexpected EOF" {
				// The fragment was cut short: say why, where it starts.
				msg, ln = r.unclosed, line
			}
			r.add(r.perr(ln, -1, fmt.Sprintf("conversation %s: %s; kept %d complete messages read before it", pan12StartID(frag), msg, len(c.Messages)), nil))
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "conversation":
				if depth == 1 {
					c.ID = pan12Attr(t, "id")
				}
			case "message":
				msg = &Message{ID: pan12Attr(t, "line"), Line: at()}
				clock, cut = "", false
			case "author", "time", "text":
				if msg != nil {
					field = t.Name.Local
					text.Reset()
				}
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "message":
				if msg == nil {
					continue
				}
				if msg.ID == "" {
					msg.ID = strconv.Itoa(len(c.Messages) + 1)
				}
				if n, err := strconv.Atoi(msg.ID); err != nil || n < prevSeq {
					seqOK = false
				} else {
					prevSeq = n
				}
				if cut {
					r.add(r.perr(msg.Line, -1, fmt.Sprintf("conversation %q message %q: text cut to %d bytes", c.ID, msg.ID, maxBytes), ErrTooLarge))
				}
				c.Messages = append(c.Messages, *msg)
				clocks = append(clocks, clock)
				anyClock = anyClock || clock != ""
				msg = nil
			case "author", "time", "text":
				if msg == nil || field != t.Name.Local {
					continue
				}
				s := strings.TrimSpace(text.String())
				if len(s) > maxBytes {
					s = truncateUTF8(s, maxBytes)
					cut = cut || field == "text"
				}
				switch field {
				case "author":
					msg.Author = s
				case "time":
					clock = s
				case "text":
					msg.Text = s
				}
				field = ""
			}
		case xml.CharData:
			if field == "" {
				continue
			}
			// Keep at most one byte over the cap: enough to know the text was cut.
			if room := maxBytes + 1 - text.Len(); room > 0 {
				text.Write(t[:min(len(t), room)])
			}
		}
	}
	if c.ID == "" {
		c.ID = fmt.Sprintf("line-%d", line)
		r.add(r.perr(line, off, fmt.Sprintf("conversation without an id: named %q", c.ID), nil))
	}
	if fixed > 0 {
		r.add(r.perr(line, off, fmt.Sprintf("conversation %q: %d characters invalid in XML replaced by U+FFFD", c.ID, fixed), nil))
	}
	if !seqOK {
		// Keep `line` order when the lines are numbers out of order; ids that are not numbers keep
		// document order.
		idx := make([]int, len(c.Messages))
		keys := make([]int, len(c.Messages))
		allNum := true
		for i := range c.Messages {
			idx[i] = i
			n, err := strconv.Atoi(c.Messages[i].ID)
			keys[i] = n
			allNum = allNum && err == nil
		}
		if allNum {
			sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
			msgs := make([]Message, len(idx))
			cl := make([]string, len(idx))
			for i, j := range idx {
				msgs[i], cl[i] = c.Messages[j], clocks[j]
			}
			c.Messages, clocks = msgs, cl
		}
	}
	if anyClock {
		b, _ := json.Marshal(clocks)
		c.Extra = map[string][]byte{pan12ClockKey: b}
	}
	return c
}

func pan12Attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// sanitizeXML replaces what XML 1.0 forbids and Go's decoder refuses even when not strict: control
// characters other than tab, LF and CR, invalid UTF-8, U+FFFE and U+FFFF, character references to
// those, and "]]>" outside CDATA. It returns b itself when there is nothing to fix, and the number of
// replacements.
func sanitizeXML(b []byte) ([]byte, int) {
	cdata := bytes.Contains(b, []byte("<![CDATA["))
	i := 0
	for i < len(b) {
		if n := badXMLAt(b, i, cdata); n > 0 {
			break
		}
		if b[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(b[i:])
			i += size
		}
	}
	if i == len(b) {
		return b, 0
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	fixed := 0
	for i < len(b) {
		if n := badXMLAt(b, i, cdata); n > 0 {
			if bytes.HasPrefix(b[i:], []byte("]]>")) {
				out = append(out, "]]&gt;"...)
			} else {
				out = utf8.AppendRune(out, utf8.RuneError)
			}
			fixed++
			i += n
			continue
		}
		if b[i] < utf8.RuneSelf {
			out = append(out, b[i])
			i++
		} else {
			_, size := utf8.DecodeRune(b[i:])
			out = append(out, b[i:i+size]...)
			i += size
		}
	}
	return out, fixed
}

// badXMLAt returns the length of a forbidden sequence starting at b[i], or 0. cdata says whether b
// holds a CDATA section, where "]]>" is legal.
func badXMLAt(b []byte, i int, cdata bool) int {
	c := b[i]
	switch {
	case c < 0x20:
		if c == '\t' || c == '\n' || c == '\r' {
			return 0
		}
		return 1
	case c == '&':
		return badCharRef(b[i:])
	case c == ']':
		if !cdata && bytes.HasPrefix(b[i:], []byte("]]>")) {
			return 3
		}
		return 0
	case c < utf8.RuneSelf:
		return 0
	}
	r, size := utf8.DecodeRune(b[i:])
	if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
		return size
	}
	return 0
}

// badCharRef returns the length of a character reference "&#…;" to a character XML forbids, or 0.
func badCharRef(b []byte) int {
	if len(b) < 4 || b[1] != '#' {
		return 0
	}
	j := 2
	base := 10
	if b[j] == 'x' {
		base = 16
		j++
	}
	start := j
	for j < len(b) && j < 16 && isDigitIn(b[j], base) {
		j++
	}
	if j == start || j >= len(b) || b[j] != ';' {
		return 0
	}
	n, err := strconv.ParseUint(string(b[start:j]), base, 64)
	if err == nil && n <= utf8.MaxRune && isXMLChar(rune(n)) {
		return 0
	}
	return j + 1
}

func isDigitIn(c byte, base int) bool {
	return '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
