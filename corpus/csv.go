package corpus

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// csvReaderVersion is bumped whenever the reader's output changes for the same input.
const csvReaderVersion = "csv/1"

// The CSV columns. The header names them, in any order and any case; "timestamp" is accepted for
// "time". Columns with other names are ignored.
const (
	csvConv = iota
	csvMsgID
	csvAuthor
	csvTime
	csvText
	csvLabel
	csvPlatform
	csvNCols
)

// csvClock matches a time of day without a date.
var csvClock = regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2})?$`)

var csvColumnNames = map[string]int{
	"conversation_id": csvConv,
	"message_id":      csvMsgID,
	"author":          csvAuthor,
	"time":            csvTime,
	"timestamp":       csvTime,
	"text":            csvText,
	"label":           csvLabel,
	"platform":        csvPlatform,
}

// sniffCSV recognizes the header line: it must name the conversation_id and text columns, so that
// other CSV files are not taken for transcripts.
func sniffCSV(name string, head []byte) int {
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))
	if len(line) == 0 || line[0] == '{' || line[0] == '[' || line[0] == '<' {
		return 0
	}
	var conv, text bool
	for _, f := range strings.Split(string(line), ",") {
		switch strings.ToLower(strings.Trim(strings.TrimSpace(f), `"`)) {
		case "conversation_id":
			conv = true
		case "text":
			text = true
		}
	}
	if !conv || !text {
		return 0
	}
	score := 85
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		score += 10
	}
	return score
}

// csvReader streams the canonical CSV: a header, then one row per message. Consecutive rows with the
// same conversation_id form one conversation, so a file sorted by conversation is read with one
// conversation in memory at a time.
//
// When a conversation_id comes back after rows of another conversation (interleaved ids), its new
// run of rows is yielded as a separate conversation with the same ID and a problem is reported at
// the first row of that run: the reader streams and does not merge. Sort the file by conversation
// (stably, to keep message order) to get one conversation per id.
//
// A bad row (a bare or unmatched quote, a field count different from the header's) is reported as
// a problem with its line and skipped; the rows after it are read as usual. A missing header or a
// header without the conversation_id and text columns is a fatal error.
type csvReader struct {
	problems
	name  string
	cr    *csv.Reader
	lim   *capReader
	opts  Options
	cols  [csvNCols]int // column index of each known column, -1 when absent
	ncols int
	line  int // line of the last record read

	clockNoted bool // a date-less clock was reported

	cur     *Conversation
	next    *Conversation // conversation started by the row that ended the previous one
	seen    map[string]bool
	err     error
	started bool
	done    bool
}

func newCSVReader(name string, r io.Reader, o Options) (Reader, error) {
	lim := &capReader{r: r, max: int64(o.maxLineBytes()) + 64<<10}
	cr := csv.NewReader(lim)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvReader{name: name, cr: cr, lim: lim, opts: o, seen: make(map[string]bool)}, nil
}

func (r *csvReader) Format() Format              { return FormatCSV }
func (r *csvReader) Conversation() *Conversation { return r.cur }
func (r *csvReader) Err() error                  { return r.err }
func (r *csvReader) Close() error                { return nil }

func (r *csvReader) perr(line int, msg string, err error) *ParseError {
	return &ParseError{File: r.name, Line: line, Offset: -1, Format: FormatCSV, Msg: msg, Err: err}
}

func (r *csvReader) readHeader() bool {
	rec, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			r.err = r.perr(1, "empty input: want a header naming conversation_id and text", nil)
		} else {
			r.err = r.perr(1, "header", err)
		}
		return false
	}
	for i := range r.cols {
		r.cols[i] = -1
	}
	r.ncols = len(rec)
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if c, ok := csvColumnNames[h]; ok && r.cols[c] < 0 {
			r.cols[c] = i
		}
	}
	if r.cols[csvConv] < 0 || r.cols[csvText] < 0 {
		r.err = r.perr(1, "header must name the conversation_id and text columns", nil)
		return false
	}
	return true
}

func (r *csvReader) Next() bool {
	r.cur = nil
	if r.err != nil {
		return false
	}
	if !r.started {
		r.started = true
		if !r.readHeader() {
			return false
		}
	}
	conv := r.next
	r.next = nil
	for !r.done {
		r.lim.n = 0
		rec, err := r.cr.Read()
		if err == io.EOF {
			r.done = true
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != ErrTooLarge {
				r.add(r.perr(pe.StartLine, "bad row skipped", pe.Err))
				continue
			}
			if errors.Is(err, ErrTooLarge) {
				err = fmt.Errorf("row longer than %d bytes: %w", r.opts.maxLineBytes(), ErrTooLarge)
			}
			r.err = r.perr(r.line+1, "read", err)
			r.done = true
			break
		}
		line, _ := r.cr.FieldPos(0)
		r.line = line
		if len(rec) != r.ncols {
			r.add(r.perr(line, fmt.Sprintf("bad row skipped: %d fields, the header has %d", len(rec), r.ncols), nil))
			continue
		}
		id := rec[r.cols[csvConv]]
		if id == "" {
			r.add(r.perr(line, "row without conversation_id skipped", nil))
			continue
		}
		if conv != nil && id != conv.ID {
			r.next = r.startConversation(id, line)
			r.addRow(r.next, rec, line)
			break
		}
		if conv == nil {
			conv = r.startConversation(id, line)
		}
		r.addRow(conv, rec, line)
	}
	if conv == nil {
		return false
	}
	if r.opts.Predators != nil {
		applyPredators(conv, r.opts.Predators)
	}
	r.cur = conv
	return true
}

func (r *csvReader) startConversation(id string, line int) *Conversation {
	if r.seen[id] {
		r.add(r.perr(line, fmt.Sprintf("conversation %q appears again after other conversations: read as a separate conversation with the same id (sort the file by conversation_id)", id), nil))
	}
	r.seen[id] = true
	return &Conversation{ID: id, Source: Source{File: r.name, Format: FormatCSV, Reader: csvReaderVersion}}
}

func (r *csvReader) col(rec []string, c int) string {
	if i := r.cols[c]; i >= 0 {
		return rec[i]
	}
	return ""
}

func (r *csvReader) addRow(c *Conversation, rec []string, line int) {
	m := Message{ID: r.col(rec, csvMsgID), Author: r.col(rec, csvAuthor), Text: r.col(rec, csvText), Line: line}
	if m.ID == "" {
		m.ID = strconv.Itoa(len(c.Messages) + 1)
	}
	if max := r.opts.maxMessageBytes(); len(m.Text) > max {
		m.Text = truncateUTF8(m.Text, max)
		r.add(r.perr(line, fmt.Sprintf("conversation %q message %q: text cut to %d bytes", c.ID, m.ID, max), ErrTooLarge))
	}
	if ts := strings.TrimSpace(r.col(rec, csvTime)); ts != "" {
		t, err := ParseTime(ts, r.opts.location())
		switch {
		case err != nil && csvClock.MatchString(ts):
			// A clock without a date (CSV exports of PAN12 carry "03:20"): the time is unknown, as in
			// the PAN12 reader. Said once per file rather than once per row.
			if !r.clockNoted {
				r.clockNoted = true
				r.add(r.perr(line, fmt.Sprintf("times are clocks without a date (%q): kept unknown", ts), nil))
			}
		case err != nil:
			r.add(r.perr(line, fmt.Sprintf("conversation %q message %q: time unknown", c.ID, m.ID), err))
		default:
			m.Time = t
		}
	}
	if l := strings.ToLower(strings.TrimSpace(r.col(rec, csvLabel))); l != "" {
		switch lb := Label(l); {
		case !lb.Valid():
			r.add(r.perr(line, fmt.Sprintf("conversation %q: unknown label %q ignored", c.ID, l), nil))
		case c.Label == LabelNone:
			c.Label = lb
		case c.Label != lb:
			r.add(r.perr(line, fmt.Sprintf("conversation %q: label %q differs from %q given earlier; kept %q", c.ID, lb, c.Label, c.Label), nil))
		}
	}
	if p := strings.TrimSpace(r.col(rec, csvPlatform)); p != "" && c.Platform == "" {
		c.Platform = p
	}
	// ReuseRecord reuses the slice, not the strings: they are safe to keep.
	c.Messages = append(c.Messages, m)
}

// capReader fails with ErrTooLarge once more than max bytes were read since n was last reset, so
// that a runaway quoted field cannot pull a whole file into memory.
type capReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		return 0, ErrTooLarge
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
