package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// jsonlReaderVersion is bumped whenever the reader's output changes for the same input.
const jsonlReaderVersion = "jsonl/1"

// The canonical JSONL schema. Field names are the contract (README, "Canonical JSONL").
type jsonConversation struct {
	ID           string          `json:"id"`
	Platform     string          `json:"platform,omitempty"`
	Title        string          `json:"title,omitempty"`
	Label        Label           `json:"label,omitempty"`
	Suspects     []string        `json:"suspects,omitempty"`
	Synthetic    bool            `json:"synthetic,omitempty"`
	Lang         string          `json:"lang,omitempty"`
	Participants []Participant   `json:"participants,omitempty"`
	Messages     []jsonMessage   `json:"messages"`
	Source       *Source         `json:"source,omitempty"`
	Time         json.RawMessage `json:"-"`
}

type jsonMessage struct {
	ID          string          `json:"id"`
	Author      string          `json:"author"`
	Time        json.RawMessage `json:"time,omitempty"`
	Text        string          `json:"text"`
	System      bool            `json:"system,omitempty"`
	Deleted     bool            `json:"deleted,omitempty"`
	Edited      bool            `json:"edited,omitempty"`
	Attachments []Attachment    `json:"attachments,omitempty"`
	ReplyTo     string          `json:"reply_to,omitempty"`
	Line        int             `json:"line,omitempty"`
}

var knownConversationFields = map[string]bool{"id": true, "platform": true, "title": true, "label": true,
	"suspects": true, "synthetic": true, "lang": true, "participants": true, "messages": true, "source": true}

func sniffJSONL(name string, head []byte) int {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '{' {
		return 0
	}
	line := t
	if i := bytes.IndexByte(t, '\n'); i >= 0 {
		line = t[:i]
	}
	score := 0
	if bytes.Contains(line, []byte(`"messages"`)) && bytes.Contains(line, []byte(`"id"`)) {
		score = 60
		if json.Valid(bytes.TrimSpace(line)) {
			score = 95
		}
	}
	if ext := strings.ToLower(filepath.Ext(name)); score > 0 && (ext == ".jsonl" || ext == ".ndjson") {
		score += 3 // a hint only: content decides (a one-line Discord export named .jsonl stays Discord)
	}
	return min(score, 100)
}

// jsonlReader streams canonical JSONL, one conversation per line. A malformed line is reported as a
// problem and skipped; the lines after it are read as usual.
type jsonlReader struct {
	problems
	name   string
	br     *bufio.Reader
	opts   Options
	line   int
	offset int64
	cur    *Conversation
	err    error
	buf    []byte
}

func newJSONLReader(name string, r io.Reader, opts Options) (Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<20)
	}
	return &jsonlReader{name: name, br: br, opts: opts}, nil
}

func (r *jsonlReader) Format() Format              { return FormatJSONL }
func (r *jsonlReader) Conversation() *Conversation { return r.cur }
func (r *jsonlReader) Err() error                  { return r.err }
func (r *jsonlReader) Close() error                { return nil }

func (r *jsonlReader) Next() bool {
	r.cur = nil
	if r.err != nil {
		return false
	}
	for {
		line, start, err := r.readLine()
		if err != nil {
			if err != io.EOF {
				r.err = err
			}
			return false
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		c, perr := r.decode(line, start)
		if perr != nil {
			r.add(perr)
			continue
		}
		r.cur = c
		return true
	}
}

// readLine returns the next line without its newline, with its starting offset. A line over the cap
// is skipped whole and reported.
func (r *jsonlReader) readLine() ([]byte, int64, error) {
	for {
		r.buf = r.buf[:0]
		start := r.offset
		r.line++
		tooLong := false
		for {
			chunk, err := r.br.ReadSlice('\n')
			r.offset += int64(len(chunk))
			if !tooLong {
				if len(r.buf)+len(chunk) > r.opts.maxLineBytes() {
					tooLong = true
					r.buf = r.buf[:0]
				} else {
					r.buf = append(r.buf, chunk...)
				}
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil && err != io.EOF {
				return nil, start, &ParseError{File: r.name, Line: r.line, Offset: start, Format: FormatJSONL, Msg: "read", Err: err}
			}
			if err == io.EOF && len(chunk) == 0 && len(r.buf) == 0 && !tooLong {
				return nil, start, io.EOF
			}
			break
		}
		if tooLong {
			r.add(&ParseError{File: r.name, Line: r.line, Offset: start, Format: FormatJSONL,
				Msg: fmt.Sprintf("line longer than %d bytes skipped", r.opts.maxLineBytes()), Err: ErrTooLarge})
			continue
		}
		return r.buf, start, nil
	}
}

func (r *jsonlReader) decode(line []byte, start int64) (*Conversation, *ParseError) {
	perr := func(msg string, err error) *ParseError {
		return &ParseError{File: r.name, Line: r.line, Offset: start, Format: FormatJSONL, Msg: msg, Err: err}
	}
	var jc jsonConversation
	if err := json.Unmarshal(line, &jc); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			return nil, perr(fmt.Sprintf("invalid JSON at column %d", se.Offset), err)
		}
		return nil, perr("invalid conversation", err)
	}
	if jc.ID == "" {
		return nil, perr(`conversation without "id"`, nil)
	}
	if !jc.Label.Valid() {
		r.add(perr(fmt.Sprintf("conversation %q: unknown label %q ignored", jc.ID, jc.Label), nil))
		jc.Label = LabelNone
	}
	c := &Conversation{ID: jc.ID, Platform: jc.Platform, Title: jc.Title, Label: jc.Label, Suspects: jc.Suspects,
		Synthetic: jc.Synthetic, Lang: jc.Lang, Participants: jc.Participants,
		Messages: make([]Message, 0, len(jc.Messages))}
	c.Source = Source{File: r.name, Format: FormatJSONL, Reader: jsonlReaderVersion}
	if jc.Source != nil && jc.Source.File != "" {
		// Keep the original export's provenance when the JSONL was written by `vigie parse`.
		c.Source = *jc.Source
	}
	for i, jm := range jc.Messages {
		m := Message{ID: jm.ID, Author: jm.Author, Text: jm.Text, System: jm.System, Deleted: jm.Deleted,
			Edited: jm.Edited, Attachments: jm.Attachments, ReplyTo: jm.ReplyTo, Line: jm.Line}
		if m.ID == "" {
			m.ID = strconv.Itoa(i + 1)
		}
		if len(m.Text) > r.opts.maxMessageBytes() {
			m.Text = truncateUTF8(m.Text, r.opts.maxMessageBytes())
			r.add(perr(fmt.Sprintf("conversation %q message %q: text cut to %d bytes", c.ID, m.ID, r.opts.maxMessageBytes()), ErrTooLarge))
		}
		if len(jm.Time) > 0 && string(jm.Time) != "null" {
			t, err := parseJSONTime(jm.Time, r.opts.location())
			if err != nil {
				r.add(perr(fmt.Sprintf("conversation %q message %q: time unknown", c.ID, m.ID), err))
			} else {
				m.Time = t
			}
		}
		c.Messages = append(c.Messages, m)
	}
	var all map[string]json.RawMessage
	if !onlyKnownKeys(line) && json.Unmarshal(line, &all) == nil {
		for k, v := range all {
			if !knownConversationFields[k] {
				if c.Extra == nil {
					c.Extra = make(map[string][]byte)
				}
				c.Extra[k] = append([]byte(nil), v...)
			}
		}
	}
	if r.opts.Predators != nil {
		applyPredators(c, r.opts.Predators)
	}
	return c, nil
}

// onlyKnownKeys reports whether every top-level key of line, a valid JSON object, is a known
// conversation field, so that there are no extra fields to keep. It answers false when unsure (an
// escaped key): the caller then decodes the object in full.
func onlyKnownKeys(line []byte) bool {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return false
	}
	i++
	for {
		i = skipSpace(line, i)
		if i >= len(line) {
			return false
		}
		switch line[i] {
		case '}':
			return true
		case ',':
			i++
			continue
		case '"':
		default:
			return false
		}
		end := i + 1
		for end < len(line) && line[end] != '"' && line[end] != '\\' {
			end++
		}
		if end >= len(line) || line[end] == '\\' || !knownConversationFields[string(line[i+1:end])] {
			return false
		}
		i = skipSpace(line, end+1)
		if i >= len(line) || line[i] != ':' {
			return false
		}
		if i = skipValue(line, skipSpace(line, i+1)); i < 0 {
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value that starts at b[i], -1 if it is cut.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// skipString returns the index just past the JSON string that starts at b[i], -1 if it is cut.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// parseJSONTime reads a time given as an RFC 3339 string, a zone-less "2006-01-02T15:04:05" (read in
// loc), or a number of Unix seconds (or milliseconds, when too large for seconds).
func parseJSONTime(raw json.RawMessage, loc *time.Location) (time.Time, error) {
	if len(raw) > 0 && raw[0] == '"' {
		if s, ok := plainJSONString(raw); ok {
			return ParseTime(s, loc)
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, err
		}
		return ParseTime(s, loc)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %s is neither a string nor a number", raw)
	}
	return unixTime(f), nil
}

// plainJSONString returns the value of a JSON string of printable ASCII without escapes, which
// decodes to its bytes; ok is false for any other string.
func plainJSONString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '"' {
		return "", false
	}
	for _, c := range raw[1 : len(raw)-1] {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(raw[1 : len(raw)-1]), true
}

// unixTime reads Unix seconds, or milliseconds when the value is too large to be seconds.
func unixTime(f float64) time.Time {
	if f > 1e11 || f < -1e11 {
		f /= 1000
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02"}

// ParseTime reads a timestamp in RFC 3339 or a common zone-less ISO form (read in loc), or a number
// of Unix seconds or milliseconds.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if loc == nil {
		loc = time.UTC
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return unixTime(f), nil
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// truncateUTF8 cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// JSONLWriter writes conversations as canonical JSONL, one per line, with a stable field order.
type JSONLWriter struct {
	w *bufio.Writer
}

// NewJSONLWriter returns a writer to w. Call Flush when done.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: bufio.NewWriterSize(w, 1<<16)}
}

// Write writes one conversation as one line.
func (w *JSONLWriter) Write(c *Conversation) error {
	b, err := MarshalConversation(c)
	if err != nil {
		return err
	}
	if _, err := w.w.Write(b); err != nil {
		return err
	}
	return w.w.WriteByte('\n')
}

// Flush writes buffered data to the underlying writer.
func (w *JSONLWriter) Flush() error { return w.w.Flush() }

// MarshalConversation returns the canonical JSON of c on one line (no trailing newline).
func MarshalConversation(c *Conversation) ([]byte, error) {
	jc := jsonConversation{ID: c.ID, Platform: c.Platform, Title: c.Title, Label: c.Label, Suspects: c.Suspects,
		Synthetic: c.Synthetic, Lang: c.Lang, Participants: c.Participants, Messages: make([]jsonMessage, len(c.Messages))}
	if c.Source != (Source{}) {
		s := c.Source
		jc.Source = &s
	}
	for i := range c.Messages {
		m := &c.Messages[i]
		jm := jsonMessage{ID: m.ID, Author: m.Author, Text: m.Text, System: m.System, Deleted: m.Deleted,
			Edited: m.Edited, Attachments: m.Attachments, ReplyTo: m.ReplyTo, Line: m.Line}
		if !m.Time.IsZero() {
			jm.Time = json.RawMessage(strconv.Quote(m.Time.Format(time.RFC3339Nano)))
		}
		jc.Messages[i] = jm
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&jc); err != nil {
		return nil, fmt.Errorf("encode conversation %q: %w", c.ID, err)
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	if len(c.Extra) == 0 {
		return b, nil
	}
	keys := make([]string, 0, len(c.Extra))
	for k := range c.Extra {
		if !knownConversationFields[k] && json.Valid(c.Extra[k]) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	b = b[:len(b)-1] // drop the closing brace
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		b = append(b, ',')
		b = append(b, kb...)
		b = append(b, ':')
		b = append(b, c.Extra[k]...)
	}
	return append(b, '}'), nil
}
