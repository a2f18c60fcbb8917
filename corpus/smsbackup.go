package corpus

// Reader of the XML backups of "SMS Backup & Restore" (SyncTech), the usual way to keep the text
// messages of an Android phone (sms-20260314210300.xml). Its fields, as the app documents them
// (synctech.com.au, "Fields in XML backup files"):
//
//	<smses count="3">
//	  <sms protocol="0" address="+33612345678" date="1773522180000" type="1" subject="null"
//	       body="text" read="1" status="-1" readable_date="14 mars 2026 21:03:00" contact_name="Sam" />
//	  <mms date="1773522240000" msg_box="1" address="+33612345678~+33698765432" contact_name="Sam, Noa" ...>
//	    <parts>
//	      <part seq="-1" ct="application/smil" text="&lt;smil&gt;..." />
//	      <part seq="0" ct="text/plain" name="text_0.txt" text="caption" />
//	      <part seq="1" ct="image/jpeg" name="IMG_1.jpg" cl="IMG_1.jpg" data="base64..." />
//	    </parts>
//	    <addrs><addr address="+33612345678" type="137" charset="106" /> ...</addrs>
//	  </mms>
//	</smses>
//
// An sms's type is 1 received, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued; an mms's msg_box is 1
// received, 2 sent, 3 draft, 4 outbox. Dates are Java milliseconds (some MMS carry seconds). An mms
// addr of type 137 is its sender, 151 a recipient.
//
// The file is the whole phone, every thread mixed: the reader groups messages by the other party's
// number (for a group MMS, the set of numbers in its address), one conversation per thread, each
// sorted by time. Numbers are compared on their digits, and on their last nine digits when they
// have more, so that "+33 6 12 34 56 78" and "06 12 34 56 78" are one thread. Messages received are
// by the contact's name when the backup has it (else the number), those sent by "me" (the backup does
// not name the phone's owner). Drafts, never sent, are left out and counted in one problem. The
// text of an mms is its text/plain parts; its other parts are attachments (the base64 data is not
// kept). Conversations come out when the whole file is read, since a thread's messages may be
// anywhere in it; only texts and metadata are held.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

const smsReaderVersion = "sms/1"

// smsOwner is the author of the messages the phone sent.
const smsOwner = "me"

// sniffSMSBackup recognizes a backup from its root element and its first records.
func sniffSMSBackup(name string, head []byte) int {
	switch {
	case bytes.Contains(head, []byte("<smses")) && (bytes.Contains(head, []byte("<sms ")) || bytes.Contains(head, []byte("<mms "))):
		return 98
	case bytes.Contains(head, []byte("<smses")):
		return 85 // an empty backup, or one whose first record is past the head
	}
	return 0
}

// smsThread accumulates one thread.
type smsThread struct {
	key, address, title string // address: the first one read, as written
	msgs                []smsMsg
}

type smsMsg struct {
	ms int64
	m  Message
}

// smsReader reads a backup; see the file comment.
type smsReader struct {
	problems
	name    string
	r       io.Reader
	opts    Options
	threads []*smsThread
	cur     *Conversation
	err     error
	read    bool
}

func newSMSReader(name string, r io.Reader, o Options) (Reader, error) {
	return &smsReader{name: name, r: transform.NewReader(r, xmlCharRefs{}), opts: o}, nil
}

// xmlCharRefs mends the character references that SMS Backup & Restore writes and XML forbids, so
// that the decoder neither fails nor loses characters: an emoji or any character beyond U+FFFF is
// written as two references to the halves of its UTF-16 surrogate pair ("&#55357;&#56832;"), which
// become one reference to the character; references to other characters XML forbids (control
// characters, a lone half) and raw control characters become U+FFFD.
type xmlCharRefs struct{ transform.NopResetter }

// xmlRefMax bounds the bytes of two adjacent references ("&#x10FFFF;" is 10 bytes).
const xmlRefMax = 32

func (xmlCharRefs) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c != '&' && !xmlRawControl(c) {
			// Copy up to the next byte that may need mending.
			end := nSrc + 1
			for end < len(src) && src[end] != '&' && !xmlRawControl(src[end]) {
				end++
			}
			want := end - nSrc
			n := copy(dst[nDst:], src[nSrc:end])
			nDst += n
			nSrc += n
			if n < want {
				return nDst, nSrc, transform.ErrShortDst
			}
			continue
		}
		if c != '&' { // a raw control character
			if len(dst)-nDst < 3 {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += utf8.EncodeRune(dst[nDst:], utf8.RuneError)
			nSrc++
			continue
		}
		if !atEOF && len(src)-nSrc < xmlRefMax {
			return nDst, nSrc, transform.ErrShortSrc // a reference, or a pair, may go on in the next chunk
		}
		out, n := mendCharRef(src[nSrc:])
		if len(dst)-nDst < len(out) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], out)
		nSrc += n
	}
	return nDst, nSrc, nil
}

// xmlRawControl says whether c is a control character that XML forbids.
func xmlRawControl(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }

// mendCharRef reads b, which starts with '&': it returns what to write for its first n bytes.
func mendCharRef(b []byte) (out []byte, n int) {
	v, n := parseCharRef(b)
	switch {
	case n == 0: // not a numeric reference
		return b[:1], 1
	case v >= 0xD800 && v <= 0xDBFF:
		if lo, m := parseCharRef(b[n:]); m > 0 && lo >= 0xDC00 && lo <= 0xDFFF {
			r := (v-0xD800)<<10 + (lo - 0xDC00) + 0x10000
			return []byte("&#" + strconv.FormatUint(r, 10) + ";"), n + m
		}
		return []byte("\uFFFD"), n
	case v > utf8.MaxRune || !isXMLChar(rune(v)):
		return []byte("\uFFFD"), n
	}
	return b[:n], n
}

// parseCharRef reads a numeric character reference ("&#233;", "&#xE9;") at the start of b: its
// value and length; n is 0 when b does not start with one.
func parseCharRef(b []byte) (v uint64, n int) {
	if len(b) < 4 || b[0] != '&' || b[1] != '#' {
		return 0, 0
	}
	j, base := 2, 10
	if b[j] == 'x' || b[j] == 'X' {
		base = 16
		j++
	}
	start := j
	for j < len(b) && j-start < 8 && isDigitIn(b[j], base) {
		j++
	}
	if j == start || j >= len(b) || b[j] != ';' {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(b[start:j]), base, 64)
	if err != nil {
		return 0, 0
	}
	return v, j + 1
}

func (r *smsReader) Format() Format              { return FormatSMS }
func (r *smsReader) Conversation() *Conversation { return r.cur }
func (r *smsReader) Err() error                  { return r.err }
func (r *smsReader) Close() error                { return nil }

// Next returns the threads one by one once the file is read. A syntax or read error stops the
// reading; the threads read before it are still returned, and Err reports it after them.
func (r *smsReader) Next() bool {
	r.cur = nil
	if !r.read {
		r.read = true
		err := r.readAll()
		if err != nil {
			r.err = err
		}
	}
	if len(r.threads) == 0 {
		return false
	}
	th := r.threads[0]
	r.threads = r.threads[1:]
	r.cur = th.conversation(r.name, r.opts)
	return true
}

func (r *smsReader) perr(line int, msg string, err error) *ParseError {
	return &ParseError{File: r.name, Line: line, Offset: -1, Format: FormatSMS, Msg: msg, Err: err}
}

// readAll reads every record into its thread.
func (r *smsReader) readAll() error {
	d := xml.NewDecoder(r.r)
	d.Strict = false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) { return in, nil } // decodeInput made it UTF-8
	byKey := map[string]*smsThread{}
	var drafts, badDates, firstBadLine int
	sawRoot := false
	seq := 0
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			r.finish(drafts, badDates, firstBadLine)
			return r.perr(line, "xml", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "smses":
			sawRoot = true
			continue
		case "sms", "mms":
		default:
			if err := d.Skip(); err != nil && !errors.Is(err, io.EOF) {
				r.finish(drafts, badDates, firstBadLine)
				return r.perr(line, "xml", err)
			}
			continue
		}
		var rec smsRecord
		if se.Name.Local == "sms" {
			rec = smsHeader(se.Attr, "type")
			if err := d.Skip(); err != nil && !errors.Is(err, io.EOF) {
				r.finish(drafts, badDates, firstBadLine)
				return r.perr(line, "xml", err)
			}
		} else {
			rec, err = mmsRecord(d, se)
			if err != nil {
				r.finish(drafts, badDates, firstBadLine)
				return r.perr(line, "xml", err)
			}
		}
		if rec.draft {
			drafts++
			continue
		}
		t, okTime := smsTime(rec.date)
		if !okTime {
			if badDates == 0 {
				firstBadLine = line
			}
			badDates++
		}
		key := smsThreadKey(rec.address)
		th := byKey[key]
		if th == nil {
			th = &smsThread{key: key, address: rec.address}
			byKey[key] = th
			r.threads = append(r.threads, th)
		}
		if th.title == "" && rec.contact != "" {
			th.title = rec.contact
		}
		author := smsOwner
		if !rec.sent {
			switch {
			case rec.contact != "" && !smsMultiple(rec.address):
				author = rec.contact
			case rec.from != "":
				author = rec.from // a group: the sender's number
			case rec.address != "":
				author = rec.address
			default:
				author = "?"
			}
		}
		m := Message{Author: author, Text: rec.body, Attachments: rec.attachments, Line: line}
		if okTime {
			m.Time = t
		}
		if len(m.Text) > r.opts.maxMessageBytes() {
			r.add(r.perr(line, fmt.Sprintf("message text cut to %d bytes", r.opts.maxMessageBytes()), ErrTooLarge))
			m.Text = truncateUTF8(m.Text, r.opts.maxMessageBytes())
		}
		var ms int64
		if okTime {
			ms = t.UnixMilli()
		}
		th.msgs = append(th.msgs, smsMsg{ms: ms, m: m})
		seq++
	}
	r.finish(drafts, badDates, firstBadLine)
	if !sawRoot && seq == 0 {
		return r.perr(1, "no <smses> backup of SMS Backup & Restore", ErrUnknownFormat)
	}
	return nil
}

// finish reports the counted problems.
func (r *smsReader) finish(drafts, badDates, firstBadLine int) {
	if drafts > 0 {
		r.add(r.perr(0, fmt.Sprintf("%d draft(s) left out: never sent", drafts), nil))
	}
	if badDates > 0 {
		r.add(r.perr(firstBadLine, fmt.Sprintf("date of %d message(s) not understood: time left unknown", badDates), nil))
	}
}

// smsRecord is what one sms or mms element says.
type smsRecord struct {
	address, contact, date, body, from string
	sent, draft                        bool
	attachments                        []Attachment
}

// smsNull reads the app's "null" as empty.
func smsNull(s string) string {
	if s == "null" {
		return ""
	}
	return s
}

// smsContact is a contact name, empty when the app did not know it.
func smsContact(s string) string {
	s = strings.TrimSpace(smsNull(s))
	if s == "(Unknown)" || s == "(Inconnu)" {
		return ""
	}
	return s
}

// smsHeader reads the attributes that sms and mms elements share. box names the one that says
// received or sent: "type" for an sms, "msg_box" for an mms; both count 1 received, 2 sent, 3 draft,
// 4 outbox, 5 failed, 6 queued.
func smsHeader(attrs []xml.Attr, box string) smsRecord {
	var rec smsRecord
	for _, a := range attrs {
		switch a.Name.Local {
		case "address":
			rec.address = strings.TrimSpace(smsNull(a.Value))
		case "contact_name":
			rec.contact = smsContact(a.Value)
		case "date":
			rec.date = a.Value
		case "body":
			rec.body = smsNull(a.Value)
		case box:
			switch a.Value {
			case "2", "4", "5", "6":
				rec.sent = true
			case "3":
				rec.draft = true
			}
		}
	}
	return rec
}

// mmsRecord reads an mms element, its start already read.
func mmsRecord(d *xml.Decoder, start xml.StartElement) (smsRecord, error) {
	rec := smsHeader(start.Attr, "msg_box")
	var texts []string
	var to []string
	depth := 1
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return rec, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "part":
				var ct, name, text string
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "ct":
						ct = strings.ToLower(a.Value)
					case "name", "cl", "fn":
						if v := smsNull(a.Value); v != "" && name == "" {
							name = v
						}
					case "text":
						text = smsNull(a.Value)
					}
				}
				switch {
				case ct == "text/plain":
					if strings.TrimSpace(text) != "" {
						texts = append(texts, text)
					}
				case ct == "application/smil" || ct == "":
					// the layout of the slides: not content
				default:
					rec.attachments = append(rec.attachments, Attachment{Kind: attachmentKindFromName(name, ct), Name: name})
				}
			case "addr":
				var addr, typ string
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "address":
						addr = strings.TrimSpace(smsNull(a.Value))
					case "type":
						typ = a.Value
					}
				}
				switch typ {
				case "137":
					rec.from = addr
				case "151", "130", "129":
					to = append(to, addr)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	rec.body = strings.Join(texts, "\n")
	if rec.address == "" {
		// No thread address: the other parties are the sender (received) or the recipients (sent).
		if rec.sent {
			rec.address = strings.Join(to, "~")
		} else {
			rec.address = rec.from
		}
	}
	if !rec.sent && rec.from == "" && !smsMultiple(rec.address) {
		rec.from = rec.address
	}
	if rec.from == "insert-address-token" {
		rec.from = ""
	}
	return rec, nil
}

// smsMultiple says whether an address names several numbers (a group).
func smsMultiple(address string) bool { return strings.Contains(address, "~") }

// smsTime reads a Java date: milliseconds, or seconds when too small to be milliseconds of this
// century.
func smsTime(s string) (time.Time, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v <= 0 {
		return time.Time{}, false
	}
	if v < 100_000_000_000 { // before 1973 in ms: seconds
		v *= 1000
	}
	if v > 32503680000000 { // after year 3000
		return time.Time{}, false
	}
	return time.UnixMilli(v).UTC(), true
}

// smsThreadKey is the thread of an address: each number reduced to its digits (its last nine when
// longer, so that national and international forms meet), sorted for a group; an address that is
// not a number (an alphanumeric sender such as "INFO") is kept as written, lower-cased.
func smsThreadKey(address string) string {
	var keys []string
	for _, a := range strings.Split(address, "~") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		digits := strings.Map(func(r rune) rune {
			switch {
			case r >= '0' && r <= '9':
				return r
			case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '+' || r == '/':
				return -1
			}
			return 'x'
		}, a)
		k := strings.ToLower(a)
		if len(digits) >= 3 && !strings.Contains(digits, "x") {
			k = digits[max(0, len(digits)-9):]
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "unknown"
	}
	sort.Strings(keys)
	return strings.Join(slices.Compact(keys), "~")
}

// conversation builds the thread, oldest first (a message of unknown time keeps its place after
// the one read before it).
func (th *smsThread) conversation(file string, o Options) *Conversation {
	msgs := th.msgs
	last := int64(0)
	for i := range msgs {
		if msgs[i].ms == 0 {
			msgs[i].ms = last
		}
		last = msgs[i].ms
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].ms < msgs[j].ms })
	id := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, th.address)
	if id == "" {
		id = th.key
	}
	c := &Conversation{ID: "sms-" + id, Platform: "sms", Title: th.title, Messages: make([]Message, len(msgs))}
	for i := range msgs {
		c.Messages[i] = msgs[i].m
		c.Messages[i].ID = strconv.Itoa(i + 1)
	}
	seen := map[string]bool{}
	for _, a := range c.Authors() {
		if !seen[a] {
			seen[a] = true
			c.Participants = append(c.Participants, Participant{ID: a})
		}
	}
	finishConversation(c, file, FormatSMS, smsReaderVersion, o)
	return c
}
