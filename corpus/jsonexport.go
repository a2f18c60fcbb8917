package corpus

// Shared machinery of the JSON export readers (Discord, Telegram, Meta, Snapchat): a token-streaming
// decoder that knows the line of any byte offset it has read, positioned errors, and the small helpers
// that every JSON reader needs (walking keys, skipping values, capping texts).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// lineTracker counts the lines of what a json.Decoder reads, so that an offset reported by the
// decoder can be turned into a line without keeping the whole input. Queries must come in
// increasing offset order (as a streaming reader makes them); the bytes before the last query are
// dropped. When nothing is queried for long (a skipped section), the oldest bytes are dropped once
// more than lineTrackerKeep are held, and queries inside them answer line 0 (unknown).
type lineTracker struct {
	r        io.Reader
	chunks   []ltChunk // bytes read and not yet passed by the cursor
	held     int       // total bytes in chunks
	curOff   int64     // cursor: an offset whose line is known
	curLine  int       // 1-based line of curOff
	readOff  int64     // bytes read from r so far
	spare    [][]byte  // buffers of dropped chunks, for reuse
	lostUpTo int64     // offsets below this were dropped without being counted exactly
	readErr  error     // the first read error other than io.EOF
}

type ltChunk struct {
	start int64
	b     []byte
}

const lineTrackerKeep = 8 << 20

func newLineTracker(r io.Reader) *lineTracker { return &lineTracker{r: r, curLine: 1} }

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.readErr == nil {
		t.readErr = err
	}
	if n > 0 {
		var b []byte
		if k := len(t.spare); k > 0 && cap(t.spare[k-1]) >= n {
			b = t.spare[k-1][:n]
			t.spare = t.spare[:k-1]
		} else {
			b = make([]byte, n)
		}
		copy(b, p[:n])
		t.chunks = append(t.chunks, ltChunk{start: t.readOff, b: b})
		t.readOff += int64(n)
		t.held += n
		for t.held > lineTrackerKeep && len(t.chunks) > 1 {
			c := t.chunks[0]
			end := c.start + int64(len(c.b))
			if end > t.curOff {
				from := int(max(t.curOff-c.start, 0))
				t.curLine += bytes.Count(c.b[from:], []byte{'\n'})
				t.curOff = end
				t.lostUpTo = end
			}
			t.dropFirst()
		}
	}
	return n, err
}

func (t *lineTracker) dropFirst() {
	c := t.chunks[0]
	t.held -= len(c.b)
	if len(t.spare) < 4 {
		t.spare = append(t.spare, c.b[:0])
	}
	t.chunks[0] = ltChunk{}
	t.chunks = t.chunks[1:]
}

// valueStart moves the cursor to off, then past any whitespace and JSON separators (',' ':') that a
// json.Decoder leaves before the next value, and returns the 1-based line and the offset of the first
// byte of that value. The line is 0 when off lies in bytes already dropped or before an earlier query.
func (t *lineTracker) valueStart(off int64) (int, int64) {
	if off < t.curOff || off < t.lostUpTo {
		return 0, off
	}
	// Advance the cursor to off.
	for _, c := range t.chunks {
		end := c.start + int64(len(c.b))
		if end <= t.curOff {
			continue
		}
		if c.start >= off {
			break
		}
		from := max(t.curOff-c.start, 0)
		to := min(off, end) - c.start
		t.curLine += bytes.Count(c.b[from:to], []byte{'\n'})
		t.curOff = c.start + to
	}
	if t.curOff < off { // off beyond what was read: cannot happen with a decoder's offsets
		return 0, off
	}
	// Skip separators, counting newlines.
	pos := t.curOff
	line := t.curLine
scan:
	for _, c := range t.chunks {
		end := c.start + int64(len(c.b))
		if end <= pos {
			continue
		}
		for i := pos - c.start; i < int64(len(c.b)); i++ {
			switch c.b[i] {
			case '\n':
				line++
			case ' ', '\t', '\r', ',', ':':
			default:
				pos = c.start + i
				break scan
			}
		}
		pos = end
	}
	t.curOff, t.curLine = pos, line
	for len(t.chunks) > 0 && t.chunks[0].start+int64(len(t.chunks[0].b)) <= t.curOff {
		t.dropFirst()
	}
	return line, pos
}

// syntaxErrorAt scans the bytes held from off on (a value that failed to decode) with a fresh
// decoder and returns the offset of the syntax error that it meets.
func (t *lineTracker) syntaxErrorAt(off int64) (int64, bool) {
	var buf []byte
	for _, c := range t.chunks {
		end := c.start + int64(len(c.b))
		if end <= off {
			continue
		}
		buf = append(buf, c.b[max(off-c.start, 0):]...)
	}
	dec := json.NewDecoder(bytes.NewReader(buf))
	for {
		_, err := dec.Token()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return off + se.Offset, true
		}
		if err != nil {
			return 0, false
		}
	}
}

// jsonStream is a token-streaming JSON decoder over one export file.
type jsonStream struct {
	name   string
	format Format
	lines  *lineTracker
	dec    *json.Decoder
}

func newJSONStream(name string, r io.Reader, f Format) *jsonStream {
	lt := newLineTracker(r)
	dec := json.NewDecoder(lt)
	dec.UseNumber()
	return &jsonStream{name: name, format: f, lines: lt, dec: dec}
}

// pos returns the line and offset of the value that starts at or after off.
func (s *jsonStream) pos(off int64) (int, int64) { return s.lines.valueStart(off) }

// fatal turns a decoder error into a positioned *ParseError. msg says what was being read.
func (s *jsonStream) fatal(err error, msg string) *ParseError {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	off := s.dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
		if msg == "" {
			msg = "invalid JSON"
		}
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.ErrUnexpectedEOF
		off = s.lines.readOff
		if msg == "" {
			msg = "document cut short"
		}
	}
	line, _ := s.lines.valueStart(off)
	return &ParseError{File: s.name, Line: line, Offset: off, Format: s.format, Msg: msg, Err: err}
}

// errorf returns a positioned *ParseError at the decoder's current offset.
func (s *jsonStream) errorf(format string, args ...any) *ParseError {
	off := s.dec.InputOffset()
	line, off := s.lines.valueStart(off)
	return &ParseError{File: s.name, Line: line, Offset: off, Format: s.format, Msg: fmt.Sprintf(format, args...)}
}

// problem returns a positioned non-fatal *ParseError.
func (s *jsonStream) problem(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: s.name, Line: line, Offset: off, Format: s.format, Msg: msg, Err: err}
}

// begin reads the opening '{' of the document. An empty input or another top-level value is fatal.
func (s *jsonStream) begin() error {
	tok, err := s.dec.Token()
	if err == io.EOF {
		return &ParseError{File: s.name, Offset: 0, Format: s.format, Msg: "empty input"}
	}
	if err != nil {
		return s.fatal(err, "")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return s.errorf("not a %s export: the document is not a JSON object", s.format)
	}
	return nil
}

// openValue reads the opening delimiter of a value that must be an object ('{') or an array ('[').
// When the value is something else it is skipped and ok is false.
func (s *jsonStream) openValue(want json.Delim) (ok bool, err error) {
	tok, err := s.dec.Token()
	if err != nil {
		return false, s.fatal(err, "")
	}
	d, isDelim := tok.(json.Delim)
	if isDelim && d == want {
		return true, nil
	}
	if isDelim && (d == '{' || d == '[') {
		if err := s.skipRest(); err != nil {
			return false, err
		}
	}
	return false, nil
}

// key returns the next key of the current object, or more=false after consuming its closing '}'.
func (s *jsonStream) key() (k string, more bool, err error) {
	if !s.dec.More() {
		if _, err := s.dec.Token(); err != nil {
			return "", false, s.fatal(err, "")
		}
		return "", false, nil
	}
	tok, err := s.dec.Token()
	if err != nil {
		return "", false, s.fatal(err, "")
	}
	k, ok := tok.(string)
	if !ok {
		return "", false, s.errorf("object key expected")
	}
	return k, true, nil
}

// endArray consumes the closing ']' of the current array once More has reported false.
func (s *jsonStream) endArray() error {
	if _, err := s.dec.Token(); err != nil {
		return s.fatal(err, "")
	}
	return nil
}

// skip skips the next value without holding it in memory.
func (s *jsonStream) skip() error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.fatal(err, "")
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return s.skipRest()
	}
	return nil
}

// skipRest skips to the end of the object or array whose opening delimiter was just read.
func (s *jsonStream) skipRest() error {
	for depth := 1; depth > 0; {
		tok, err := s.dec.Token()
		if err != nil {
			return s.fatal(err, "")
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
	}
	return nil
}

// str decodes the next value as a string; null and non-string scalars give "" (numbers their text).
func (s *jsonStream) str() (string, error) {
	tok, err := s.dec.Token()
	if err != nil {
		return "", s.fatal(err, "")
	}
	switch v := tok.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case json.Delim:
		if v == '{' || v == '[' {
			return "", s.skipRest()
		}
	}
	return "", nil
}

// element decodes the next array element into v. A well-formed element of the wrong shape is a
// problem (bad=true, err=nil) and the stream goes on after it; a syntax error is fatal (err!=nil).
// It returns the line and offset where the element starts.
func (s *jsonStream) element(v any) (line int, off int64, bad *ParseError, err error) {
	start := s.dec.InputOffset()
	derr := s.dec.Decode(v)
	line, off = s.pos(start)
	if derr == nil {
		return line, off, nil, nil
	}
	var se *json.SyntaxError
	// Decode reads the whole value before filling v: any error but a syntax or read error leaves the
	// decoder after the element, ready for the next one.
	if errors.As(derr, &se) {
		// Decode's offsets are not reliable: find the error again by walking the element's tokens.
		if at, ok := s.lines.syntaxErrorAt(off); ok {
			se.Offset = at
		}
		return line, off, nil, s.fatal(se, "")
	}
	if derr == io.EOF || errors.Is(derr, io.ErrUnexpectedEOF) || s.lines.readErr != nil {
		return line, off, nil, s.fatal(derr, "")
	}
	return line, off, s.problem(line, off, "malformed element skipped", derr), nil
}

// fieldError is returned by the flexible field types below when a value has an unusable shape.
type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

// flexString accepts a JSON string, number, boolean or null; objects and arrays are an error.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = ""
		return nil
	}
	switch b[0] {
	case '"':
		s, err := unquoteJSON(b)
		if err != nil {
			return err
		}
		*f = flexString(s)
	case '{', '[':
		return &fieldError{msg: "string expected, found " + string(b[:1])}
	default:
		*f = flexString(b)
	}
	return nil
}

// unquoteJSON decodes a JSON string literal, without the cost of json.Unmarshal for the common
// literal that has no escape, no control character and valid UTF-8.
func unquoteJSON(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		in := b[1 : len(b)-1]
		plain := true
		for _, c := range in {
			if c == '\\' || c == '"' || c < 0x20 {
				plain = false
				break
			}
		}
		if plain && utf8.Valid(in) {
			return string(in), nil
		}
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// capText cuts text to the reader's cap and reports the cut as a problem.
func capText(p *problems, s *jsonStream, o Options, text, convID, msgID string, line int, off int64) string {
	if len(text) <= o.maxMessageBytes() {
		return text
	}
	p.add(s.problem(line, off, fmt.Sprintf("conversation %q message %q: text cut to %d bytes", convID, msgID, o.maxMessageBytes()), ErrTooLarge))
	return truncateUTF8(text, o.maxMessageBytes())
}

// attachmentKindFromName guesses an attachment's kind from its file name or URL extension, and
// from a MIME type when one is given.
func attachmentKindFromName(name, mime string) AttachmentKind {
	mime = strings.ToLower(mime)
	switch {
	case mime == "image/gif":
		return AttachmentGIF
	case strings.HasPrefix(mime, "image/"):
		return AttachmentImage
	case strings.HasPrefix(mime, "video/"):
		return AttachmentVideo
	case strings.HasPrefix(mime, "audio/"):
		return AttachmentAudio
	}
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp", ".bmp", ".heic", ".heif", ".tif", ".tiff", ".avif":
		return AttachmentImage
	case ".gif":
		return AttachmentGIF
	case ".mp4", ".mov", ".webm", ".mkv", ".avi", ".m4v", ".3gp":
		return AttachmentVideo
	case ".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".aac", ".flac", ".amr":
		return AttachmentAudio
	case ".vcf":
		return AttachmentContact
	}
	return AttachmentFile
}

// participantsOf lists the distinct authors of c's messages, keeping the display names known in names.
func participantsOf(c *Conversation, names map[string]string) []Participant {
	var out []Participant
	for _, a := range c.Authors() {
		p := Participant{ID: a}
		if n := names[a]; n != "" && n != a {
			p.Name = n
		}
		out = append(out, p)
	}
	return out
}

// finishConversation fills the source and ground truth of a conversation that a JSON reader built.
func finishConversation(c *Conversation, file string, f Format, reader string, o Options) {
	c.Source = Source{File: file, Format: f, Reader: reader}
	if o.Predators != nil {
		applyPredators(c, o.Predators)
	}
}

// jsonReaderBase holds what the JSON export readers share.
type jsonReaderBase struct {
	problems
	started bool // the document's opening '{' was read (see beginOnce)
	s       *jsonStream
	opts    Options
	format  Format
	cur     *Conversation
	err     error
	done    bool
}

func (r *jsonReaderBase) Conversation() *Conversation { return r.cur }
func (r *jsonReaderBase) Err() error                  { return r.err }
func (r *jsonReaderBase) Format() Format              { return r.format }
func (r *jsonReaderBase) Close() error                { return nil }

// beginOnce reads the opening '{' of the document on its first call. first says that this was the
// first call; ok is false after a fatal error, recorded by fail.
func (r *jsonReaderBase) beginOnce() (first, ok bool) {
	if r.started {
		return false, true
	}
	r.started = true
	if err := r.s.begin(); err != nil {
		return true, r.fail(err)
	}
	return true, true
}

// fail records the first fatal error and ends the stream.
func (r *jsonReaderBase) fail(err error) bool {
	if r.err == nil {
		r.err = err
	}
	r.done = true
	r.cur = nil
	return false
}

// end checks that nothing but whitespace follows the document, reporting trailing data as a problem.
func (r *jsonReaderBase) end() {
	r.done = true
	if _, err := r.s.dec.Token(); err != io.EOF {
		off := r.s.dec.InputOffset()
		r.add(r.s.problem(0, off, "data after the end of the document ignored", nil))
	}
}

// headHas reports whether head contains the JSON key k (written as "k" followed by optional spaces and ':').
func headHasKey(head []byte, k string) bool {
	q := `"` + k + `"`
	for rest := head; ; {
		i := bytes.Index(rest, []byte(q))
		if i < 0 {
			return false
		}
		rest = rest[i+len(q):]
		t := bytes.TrimLeft(rest, " \t\r\n")
		if len(t) > 0 && t[0] == ':' {
			return true
		}
		if len(t) == 0 { // cut right after the key: count it
			return true
		}
	}
}

// headIsObject reports whether head starts, after whitespace, with '{'.
func headIsObject(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}
