package corpus

// Reader of the txt export of imessage-exporter (github.com/ReagentX/imessage-exporter), the usual
// free tool to get iPhone Messages (iMessage, SMS) out of a Mac's chat.db or an iPhone backup:
// `imessage-exporter -f txt -o DIR`. It writes one file per conversation into DIR, named after the
// chat's name and its row id ("Family Chat - 12.txt"), else after its members' contact names or
// handles joined by ", " ("+15558675309.txt", "Sam, Noa.txt"), else after the chat identifier;
// messages without a chat go to "orphaned.txt"; with -c, attachments are copied under
// "attachments/<chat>/". (imessage-exporter/src/app/runtime.rs: Config::filename, who;
// src/exporters/txt.rs: TXT::new, get_or_create_file.)
//
// Each message, in the order of the database (src/exporters/txt.rs: format_message, get_time,
// add_line, format_announcement; src/exporters/txt/mod.rs in the newer template version):
//
//	May 17, 2022  5:29:42 PM (Read by you after 1 hour, 49 seconds)    time, optional read receipt
//	+15558675309                                                        sender: "Me" for the owner (or
//	Hello world                                                         --custom-name), a contact's
//	Tapbacks:                                                           name, a handle, or "Unknown"
//	    Loved by Me                                                     (older: "Reactions:", no inset)
//	    May 17, 2022  5:31:02 PM                                        a reply in its thread, indented
//	    Me                                                              by four spaces; it comes again
//	    Hi!                                                             at its own place
//	(blank line)
//	May 17, 2022  5:31:00 PM You left the conversation.                 a group announcement
//
// The time is chrono's "%b %d, %Y %l:%M:%S %p" (imessage-database/src/util/dates.rs: format), in
// English and in the local time of the machine that ran the export, without zone: it is read in
// [Options.Location]. Other lines the tool writes and this reader understands:
//
//   - "This message was deleted from the conversation!" (in Recently Deleted): Deleted, text kept;
//   - "This message responded to an earlier message." ends a reply at its own place: the copy
//     shown indented under the parent gives ReplyTo; replies shown only under their parent are
//     kept after it;
//   - edits: "<time> first text" then "Edited 30 seconds later: new text" (every version kept,
//     one per line, Edited set); "They unsent this message part 2 minutes after sending!" or
//     "You unsent this message part!": Deleted;
//   - attachments: the file's path alone on its line ("attachments/12/IMG_0001.jpeg" when copied,
//     else its place in ~/Library/Messages/Attachments or the iPhone backup), "Attachment
//     missing!", a voice message's "Transcription: ..." (kept as text), "Sticker from X: path";
//   - "Sent with Confetti" and other effects, "Unable to format ..." notes: dropped; "Started
//     sharing location!": a location;
//   - app messages (links with their preview, Apple Pay, polls, ...): their lines kept as text.
//
// Tapbacks are not messages: they are dropped with their heading. Announcements (renames, members
// added or removed, "unsent a message!") are system messages without author; the tool writes the
// owner as "You" there. The txt export does not say which messages went by SMS: the platform is
// "imessage". Messages are numbered "1", "2", ... in the file's order.
//
// The html export (-f html) is read by imessage_html.go, into the same conversations: the reader
// of a file, or of each file of an export folder, picks the form by content. The tool's JSON output
// (a "ChatLab" file per chat) is not in its releases (see imessage_html.go); it is not read.

import (
	"bufio"
	"bytes"
	"errors"
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

// imessageReaderVersion is bumped whenever the reader's output changes for the same input.
const imessageReaderVersion = "imessage/1"

// imLookahead is how many non-empty lines may come before the first message header: the tool
// writes none, so more means another format.
const imLookahead = 10

// imHeaderSlack is how many bytes of a line the reader keeps beyond the message cap.
const imHeaderSlack = 1024

// imReplyIndent is the indentation of a reply shown under its parent message.
const imReplyIndent = "    "

// Lines the tool writes, as it writes them.
const (
	imDeletedNote = "This message was deleted from the conversation!"
	imReplyNote   = "This message responded to an earlier message."
)

var imMonths = map[string]time.Month{"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
	"Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12}

// imStamp is a time as the tool writes it.
type imStamp struct {
	y, d, h, mi, s int
	mo             time.Month
}

// time returns the stamp's time in loc.
func (st imStamp) time(loc *time.Location) time.Time {
	return time.Date(st.y, st.mo, st.d, st.h, st.mi, st.s, 0, loc)
}

// parseIMStamp reads a time such as "May 17, 2022  5:29:42 PM" at the start of s and returns its
// length.
func parseIMStamp(s string) (st imStamp, n int, ok bool) {
	if len(s) < 22 || s[3] != ' ' {
		return st, 0, false
	}
	mo, found := imMonths[s[:3]]
	if !found {
		return st, 0, false
	}
	st.mo = mo
	i := 4
	num := func(min, max int) (int, bool) {
		v, k := 0, 0
		for i < len(s) && isDigit(s[i]) && k < max {
			v = v*10 + int(s[i]-'0')
			i++
			k++
		}
		return v, k >= min && (i >= len(s) || !isDigit(s[i]))
	}
	lit := func(t string) bool {
		if !strings.HasPrefix(s[i:], t) {
			return false
		}
		i += len(t)
		return true
	}
	var good bool
	if st.d, good = num(1, 2); !good || !lit(", ") {
		return st, 0, false
	}
	if st.y, good = num(4, 4); !good || !lit(" ") {
		return st, 0, false
	}
	if i < len(s) && s[i] == ' ' { // %l pads the hour with a space
		i++
	}
	if st.h, good = num(1, 2); !good || !lit(":") {
		return st, 0, false
	}
	if st.mi, good = num(2, 2); !good || !lit(":") {
		return st, 0, false
	}
	if st.s, good = num(2, 2); !good || !lit(" ") {
		return st, 0, false
	}
	switch {
	case lit("AM"):
		if st.h == 12 {
			st.h = 0
		}
	case lit("PM"):
		if st.h != 12 {
			st.h += 12
		}
	default:
		return st, 0, false
	}
	if st.d < 1 || st.d > daysIn(int(st.mo), st.y) || st.h > 23 || st.mi > 59 || st.s > 59 || st.y < 1970 || st.y > 2199 {
		return st, 0, false
	}
	return st, i, true
}

// Kinds of header lines.
const (
	imNoHeader = iota
	imMessageHeader
	imAnnouncement
)

// parseIMHeader recognizes a message header ("<time>" with an optional read receipt) or an
// announcement ("<time> <who> <action>"); rest is the announcement's text.
func parseIMHeader(s string) (st imStamp, kind int, rest string) {
	st, n, ok := parseIMStamp(s)
	if !ok {
		return st, imNoHeader, ""
	}
	r := s[n:]
	switch {
	case r == "" || isIMReadReceipt(r):
		return st, imMessageHeader, ""
	case r[0] == ' ' && isIMAnnouncement(r[1:]):
		return st, imAnnouncement, r[1:]
	}
	return st, imNoHeader, ""
}

// isIMReadReceipt matches " (Read by them after 1 hour, 49 seconds)".
func isIMReadReceipt(r string) bool {
	return len(r) < 512 && strings.HasPrefix(r, " (Read by ") && strings.HasSuffix(r, ")") && strings.Contains(r, " after ")
}

// The announcements of format_announcement, old and new wordings.
var (
	imAnnounceSuffixes = []string{" left the conversation.", " changed the group photo.", " removed the group photo.",
		" changed the chat background.", " removed the chat background.", " changed their phone number.",
		" kept an audio message.", " unsent a message!"}
	imAnnounceInfixes = []string{" renamed the conversation to ", " named the conversation ", " performed unknown action "}
)

func isIMAnnouncement(t string) bool {
	if len(t) > 2048 {
		return false
	}
	for _, s := range imAnnounceSuffixes {
		if strings.HasSuffix(t, s) && len(t) > len(s) {
			return true
		}
	}
	for _, s := range imAnnounceInfixes {
		if strings.Index(t, s) > 0 {
			return true
		}
	}
	return strings.Index(t, " added ") > 0 && strings.HasSuffix(t, " to the conversation.") ||
		strings.Index(t, " removed ") > 0 && strings.HasSuffix(t, " from the conversation.")
}

// sniffIMessage recognizes the export from its first lines: a header, then a sender; or, in the
// html form, from its markup (imessage_html.go).
func sniffIMessage(name string, head []byte) int {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && t[0] == '<' {
		return sniffIMessageHTML(name, t)
	}
	if len(t) == 0 || t[0] < 'A' || t[0] > 'S' {
		return 0
	}
	score, headers, lines := 0, 0, 0
	prevBlank, needSender := true, false
	for len(t) > 0 && lines < 400 {
		line := t
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			line, t = t[:i], t[i+1:]
		} else if len(head) >= sniffBytes {
			break // a line cut by the end of the head
		} else {
			t = nil
		}
		s := string(bytes.TrimRight(line, "\r"))
		lines++
		blank := strings.TrimSpace(s) == ""
		if needSender {
			needSender = false
			if blank || parseIMKind(s) != imNoHeader {
				return 0
			}
			if score == 0 {
				score = 85
			}
		} else if prevBlank && !blank {
			switch parseIMKind(s) {
			case imMessageHeader:
				headers++
				needSender = true
			case imAnnouncement:
				headers++
				if score == 0 {
					score = 80
				}
			default:
				if headers == 0 {
					return 0
				}
			}
		}
		prevBlank = blank
	}
	if score == 0 {
		if needSender && headers == 1 {
			return 60 // one header and nothing after it
		}
		return 0
	}
	if headers >= 2 {
		score += 7
	}
	if strings.EqualFold(filepath.Ext(name), ".txt") {
		score += 3
	}
	return score
}

func parseIMKind(s string) int {
	_, k, _ := parseIMHeader(s)
	return k
}

// imMsg is a message being read: a top-level one, or a reply shown under it.
type imMsg struct {
	m          Message
	stamp      string // the header line, the key of a reply
	text       []byte
	blank      int  // blank lines held back: kept only if text follows
	lastStart  int  // where the last text line starts in text
	lastStamp  int  // length of a time stamp opening the last text line (an edit's first version)
	heading    bool // a "Tapbacks:" line held until the next line says what it heads
	headingTxt string
	tapbacks   bool // in the tapbacks under a heading
	audio      bool // the last line was an attachment: a transcription may follow
	needSender bool
	isReply    bool
	cut        bool
}

// imReply is a reply shown under its parent, until its own copy is met.
type imReply struct {
	parent  int // index of the parent in imThreads.items
	m       Message
	matched bool
}

type imItem struct {
	m     Message
	reply int // index of the parent in items, -1 when none
}

// imThreads orders the messages of a chat file and ties each thread reply to its parent: the
// tool writes a reply twice, under its parent and at its own place, in txt and html alike.
type imThreads struct {
	items   []imItem
	replies map[string][]*imReply // by key (imReplyKey, or a GUID); identical replies share a key
	order   []*imReply            // replies in the order met
}

// addTop keeps a message met at its own place. When it is a reply, the first reply shown under a
// parent with one of its keys, and not yet taken, gives its parent.
func (t *imThreads) addTop(m Message, isReply bool, keys ...string) {
	parent := -1
	if isReply {
	find:
		for _, k := range keys {
			for _, rp := range t.replies[k] {
				if !rp.matched {
					rp.matched = true
					parent = rp.parent
					break find
				}
			}
		}
	}
	t.items = append(t.items, imItem{m: m, reply: parent})
}

// addUnder keeps a reply shown under its parent, the message being read, which addTop keeps next.
func (t *imThreads) addUnder(m Message, keys ...string) {
	rp := &imReply{parent: len(t.items), m: m}
	if t.replies == nil {
		t.replies = make(map[string][]*imReply)
	}
	for _, k := range keys {
		t.replies[k] = append(t.replies[k], rp)
	}
	t.order = append(t.order, rp)
}

// assemble numbers the messages, placing each reply met only under its parent after the parent,
// and returns how many were so placed.
func (t *imThreads) assemble() (out []Message, unmatched int) {
	byParent := make(map[int][]*imReply)
	for _, rp := range t.order {
		if !rp.matched {
			byParent[rp.parent] = append(byParent[rp.parent], rp)
			unmatched++
		}
	}
	out = make([]Message, 0, len(t.items)+unmatched)
	ids := make([]string, len(t.items))
	for i := range t.items {
		it := &t.items[i]
		ids[i] = strconv.Itoa(len(out) + 1)
		it.m.ID = ids[i]
		if it.reply >= 0 && it.reply < i {
			it.m.ReplyTo = ids[it.reply]
		}
		out = append(out, it.m)
		for _, rp := range byParent[i] {
			m := rp.m
			m.ID = strconv.Itoa(len(out) + 1)
			m.ReplyTo = ids[i]
			out = append(out, m)
		}
	}
	// A reply whose parent was never kept (it came last, without one) is kept at the end.
	for _, rp := range byParent[len(t.items)] {
		m := rp.m
		m.ID = strconv.Itoa(len(out) + 1)
		out = append(out, m)
	}
	t.items, t.replies, t.order = nil, nil, nil
	return out, unmatched
}

// imUnmatchedNote is the problem reported for replies shown only under their parent.
func imUnmatchedNote(n int) string {
	return fmt.Sprintf("%d thread repl(ies) shown only under their parent message: kept after it", n)
}

// imNames keeps one shared copy of each author name.
type imNames map[string]string

func (n imNames) intern(s string) string {
	if v, ok := n[s]; ok {
		return v
	}
	if len(n) < 100000 {
		n[s] = s
	}
	return s
}

// imReader reads one conversation file of the txt export (see the file comment).
type imReader struct {
	imState
	id, title string
	opts      Options
	lineSource

	imThreads
	authors imNames
	spare   *imMsg // a finished message, whose text buffer the next one reuses
}

func newIMessageReader(name string, r io.Reader, o Options) (Reader, error) {
	stem := fileStem(name)
	if stem == "" {
		stem = "imessage"
	}
	return openIMStream(name, stem, r, o), nil
}

// openIMStream reads a conversation file in the form its content shows: html (markup first) or txt.
func openIMStream(name, stem string, r io.Reader, o Options) Reader {
	br, markup := startsWithMarkup(r)
	if markup {
		return newIMHTMLReader(name, stem, br, o)
	}
	return newIMStream(name, stem, br, o)
}

func newIMStream(name, stem string, r io.Reader, o Options) *imReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, sniffBytes)
	}
	keep := min(o.maxLineBytes(), o.maxMessageBytes()+imHeaderSlack)
	return &imReader{imState: imState{name: name}, id: stem, title: imChatTitle(stem), opts: o, lineSource: lineSource{br: br, keep: keep},
		authors: make(imNames)}
}

// imChatTitle is the name of a named chat, from its file name "Family Chat - 12".
func imChatTitle(stem string) string {
	i := strings.LastIndex(stem, " - ")
	if i <= 0 || !isDigits(stem[i+3:]) {
		return ""
	}
	return stem[:i]
}

// imState is what the file and folder readers share: the problems, the conversation, the error.
type imState struct {
	problems
	name string // the input, for errors
	done bool
	cur  *Conversation
	err  error
}

func (r *imState) Format() Format              { return FormatIMessage }
func (r *imState) Conversation() *Conversation { return r.cur }
func (r *imState) Err() error                  { return r.err }
func (r *imState) Close() error                { return nil }

func (r *imState) perr(line int, offset int64, msg string, err error) *ParseError {
	return &ParseError{File: r.name, Line: line, Offset: offset, Format: FormatIMessage, Msg: msg, Err: err}
}

// readOnce runs read once, the whole input being one conversation. After a read error, the messages
// read before it are returned, and Err reports the error.
func (r *imState) readOnce(read func() (*Conversation, error)) bool {
	r.cur = nil
	if r.done || r.err != nil {
		return false
	}
	r.done = true
	c, err := read()
	r.err = err
	if c == nil || len(c.Messages) == 0 {
		return false
	}
	r.cur = c
	return true
}

// Next reads the whole file and returns it as one conversation.
func (r *imReader) Next() bool { return r.readOnce(r.read) }

// read reads every line; it returns the conversation read, nil when there is none.
func (r *imReader) read() (*Conversation, error) {
	var (
		cur, rep        *imMsg
		started         bool
		prevBlank       = true
		preamble, first int
		firstOff        int64
		err             error
	)
	for {
		start := r.offset
		var b []byte
		var cut bool
		b, cut, err = r.next(&r.problems, r.opts.maxLineBytes(), r.perr)
		if err == io.EOF {
			err = nil
			break
		}
		if err != nil {
			break
		}
		s := string(b)
		if r.line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		blank := strings.TrimSpace(s) == ""
		var st imStamp
		kind := imNoHeader
		if prevBlank && !blank {
			st, kind, _ = parseIMHeader(s)
		}
		prevBlank = blank
		switch {
		case !started && kind == imNoHeader:
			if blank {
				continue
			}
			if preamble == 0 {
				first, firstOff = r.line, start
			}
			if preamble++; preamble >= imLookahead {
				return nil, r.perr(first, firstOff, "not an imessage-exporter txt export: the first lines are not message headers such as \"May 17, 2022  5:29:42 PM\"", ErrUnknownFormat)
			}
		case kind != imNoHeader:
			if !started && preamble > 0 {
				r.add(r.perr(first, firstOff, fmt.Sprintf("%d line(s) of text before the first message header ignored", preamble), nil))
			}
			started = true
			rep = r.finishReply(cur, rep)
			r.finish(cur)
			cur = r.begin(s, st, kind)
		case cur.needSender:
			cur.needSender = false
			if blank {
				r.add(r.perr(r.line, start, "message header without a sender line", nil))
				break
			}
			cur.m.Author = r.authors.intern(strings.TrimSpace(s))
		case strings.HasPrefix(s, imReplyIndent) && parseIMKind(s[len(imReplyIndent):]) == imMessageHeader:
			r.finishReply(cur, rep)
			st, _, _ = parseIMHeader(s[len(imReplyIndent):])
			rep = r.begin(s[len(imReplyIndent):], st, imMessageHeader)
		case rep != nil && rep.needSender:
			rep.needSender = false
			rep.m.Author = r.authors.intern(strings.TrimSpace(s))
		case rep != nil && (blank || strings.HasPrefix(s, imReplyIndent)):
			if cut {
				rep.cut = true
			}
			r.body(rep, strings.TrimPrefix(s, imReplyIndent))
		default:
			rep = r.finishReply(cur, rep)
			if cut {
				cur.cut = true
			}
			r.body(cur, s)
		}
	}
	r.finishReply(cur, rep)
	r.finish(cur)
	if !started {
		if preamble > 0 {
			return nil, r.perr(first, firstOff, "not an imessage-exporter txt export: no message header such as \"May 17, 2022  5:29:42 PM\"", ErrUnknownFormat)
		}
		return nil, err
	}
	msgs, unmatched := r.assemble()
	if unmatched > 0 {
		r.add(r.perr(0, -1, imUnmatchedNote(unmatched), nil))
	}
	c := &Conversation{ID: r.id, Platform: "imessage", Title: r.title, Messages: msgs}
	c.Participants = participantsOf(c, nil)
	finishConversation(c, r.name, FormatIMessage, imessageReaderVersion, r.opts)
	return c, err
}

// begin starts a message at its header line s.
func (r *imReader) begin(s string, st imStamp, kind int) *imMsg {
	m := r.spare
	r.spare = nil
	if m == nil {
		m = new(imMsg)
	}
	*m = imMsg{m: Message{Line: r.line, Time: st.time(r.opts.location())}, stamp: s, lastStart: -1, text: m.text[:0]}
	if kind == imAnnouncement {
		_, _, rest := parseIMHeader(s)
		m.m.System = true
		m.m.Deleted = strings.HasSuffix(rest, " unsent a message!")
		r.addText(m, rest)
		return m
	}
	m.needSender = true
	return m
}

// finish completes a top-level message and keeps it.
func (r *imReader) finish(m *imMsg) {
	if m == nil {
		return
	}
	r.flushHeading(m)
	key := ""
	if m.isReply {
		key = imReplyKey(m)
	}
	r.addTop(r.message(m), m.isReply, key)
	r.spare = m
}

// finishReply completes a reply shown under cur, the message being read, and returns nil.
func (r *imReader) finishReply(cur, rep *imMsg) *imMsg {
	if rep == nil {
		return nil
	}
	r.flushHeading(rep)
	r.addUnder(r.message(rep), imReplyKey(rep))
	r.spare = rep
	return nil
}

// imReplyKey identifies a reply by its header, author and text.
func imReplyKey(m *imMsg) string {
	stamp, _, _ := strings.Cut(m.stamp, " (Read by ")
	return stamp + "\x00" + m.m.Author + "\x00" + string(m.text[:min(len(m.text), 256)]) + "\x00" + strconv.Itoa(len(m.m.Attachments))
}

// message returns the message read into m.
func (r *imReader) message(m *imMsg) Message {
	out := m.m
	out.Text = strings.TrimRight(string(m.text), " \t\n")
	if m.cut {
		r.add(r.perr(m.m.Line, -1, fmt.Sprintf("message text cut to %d bytes", r.opts.maxMessageBytes()), ErrTooLarge))
	}
	return out
}

// flushHeading keeps as text a "Tapbacks:" line that headed nothing.
func (r *imReader) flushHeading(m *imMsg) {
	if m.heading {
		m.heading = false
		r.addText(m, m.headingTxt)
	}
}

// body reads a line of a message's body.
func (r *imReader) body(m *imMsg, s string) {
	if strings.TrimSpace(s) == "" {
		r.flushHeading(m)
		m.tapbacks, m.audio = false, false
		if len(m.text) > 0 {
			m.blank++
		}
		return
	}
	if m.heading {
		m.heading = false
		if isIMTapback(s) {
			m.tapbacks = true
			return
		}
		r.addText(m, m.headingTxt)
	}
	if m.tapbacks {
		if isIMTapback(s) {
			return
		}
		m.tapbacks = false
	}
	audio := m.audio
	m.audio = false
	switch {
	case s == "Tapbacks:" || s == "Reactions:":
		m.heading, m.headingTxt = true, s
	case s == imDeletedNote:
		m.m.Deleted = true
	case s == imReplyNote:
		m.isReply = true
	case isIMEffect(s), s == "Unable to format announcement!", strings.HasPrefix(s, "Unable to format app message: "):
		// the tool's own notes: no one wrote them
	case s == "Started sharing location!" || s == "Stopped sharing location!" || s == "Shared location!":
		m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentLocation})
	case isIMUnsent(s):
		m.m.Deleted = true
	case audio && strings.HasPrefix(s, "Transcription: "):
		r.addText(m, strings.TrimPrefix(s, "Transcription: "))
	default:
		if t, ok := cutIMEdited(s); ok {
			m.m.Edited = true
			if m.lastStamp > 0 && !m.cut && m.lastStart >= 0 && m.lastStart+m.lastStamp <= len(m.text) {
				m.text = append(m.text[:m.lastStart], m.text[m.lastStart+m.lastStamp:]...)
			}
			r.addText(m, t)
			return
		}
		if a, ok := imAttachment(s); ok {
			m.m.Attachments = append(m.m.Attachments, a)
			m.audio = a.Kind == AttachmentAudio
			return
		}
		r.addText(m, s)
	}
}

// addText adds a line to a message's text, within the cap.
func (r *imReader) addText(m *imMsg, s string) {
	m.lastStamp = 0
	if m.cut {
		return
	}
	max := r.opts.maxMessageBytes()
	if len(m.text) > 0 {
		for ; m.blank >= 0; m.blank-- {
			if len(m.text) >= max {
				m.cut = true
				return
			}
			m.text = append(m.text, '\n')
		}
	}
	m.blank = 0
	m.lastStart = len(m.text)
	if _, n, ok := parseIMStamp(s); ok && n < len(s) && s[n] == ' ' {
		m.lastStamp = n + 1
	}
	if room := max - len(m.text); len(s) > room {
		m.text = trimPartialRune(append(m.text, s[:room]...))
		m.cut = true
		return
	}
	m.text = append(m.text, s...)
}

// isIMTapback matches a tapback line: "Loved by Me", "☕️ by Sam", "Sticker from Sam: ...", with
// the inset of newer versions.
func isIMTapback(s string) bool {
	t := strings.TrimPrefix(s, imReplyIndent)
	if strings.Contains(t, "Sticker from ") {
		return true
	}
	i := strings.Index(t, " by ")
	if i <= 0 {
		return false
	}
	switch k := t[:i]; k {
	case "Loved", "Liked", "Disliked", "Laughed", "Emphasized", "Questioned", "Emoji", "Sticker":
		return true
	default:
		// A custom emoji tapback: a few symbols, no letters or digits of ASCII.
		if utf8.RuneCountInString(k) > 8 {
			return false
		}
		for j := 0; j < len(k); j++ {
			if k[j] < 0x80 && (isWordByte(k[j]) || k[j] == ' ') {
				return false
			}
		}
		return true
	}
}

// The send effects of format_expressive.
var imEffects = map[string]bool{"Confetti": true, "Echo": true, "Fireworks": true, "Balloons": true, "Heart": true,
	"Lasers": true, "Shooting Star": true, "Shooting Start": true, "Sparkles": true, "Spotlight": true, "Slam": true,
	"Loud": true, "Gentle": true, "Invisible Ink": true}

func isIMEffect(s string) bool {
	if e, ok := strings.CutPrefix(s, "Sent with "); ok {
		return imEffects[e]
	}
	return strings.HasPrefix(s, "com.apple.messages.effect.") && !strings.Contains(s, " ")
}

// isIMUnsent matches "They unsent this message part 2 minutes after sending!" and "You unsent
// this message part!".
func isIMUnsent(s string) bool {
	return len(s) < 512 && (strings.HasSuffix(s, " unsent this message part!") ||
		strings.Contains(s, " unsent this message part ") && strings.HasSuffix(s, " after sending!"))
}

// cutIMEdited reads "Edited 1 hour, 2 minutes later: text" and returns the text.
func cutIMEdited(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "Edited ")
	if !ok {
		return "", false
	}
	i := strings.Index(rest, " later: ")
	if i < 0 || i > 80 {
		return "", false
	}
	for _, part := range strings.Split(rest[:i], ", ") {
		if i == 0 {
			break // edited within the second: readable_diff wrote nothing
		}
		n, unit, ok := strings.Cut(part, " ")
		if !ok || !isDigits(n) {
			return "", false
		}
		switch unit {
		case "day", "days", "hour", "hours", "minute", "minutes", "second", "seconds":
		default:
			return "", false
		}
	}
	return rest[i+len(" later: "):], true
}

// imAttachment recognizes an attachment line: the file's path, a missing file, a sticker.
func imAttachment(s string) (Attachment, bool) {
	switch s {
	case "Attachment missing!", "Attachment missing name metadata!":
		return Attachment{Kind: AttachmentUnknown, Omitted: true}, true
	}
	if len(s) > 4096 || strings.ContainsAny(s, "\t") {
		return Attachment{}, false
	}
	if k := strings.Index(s, "Sticker from "); k >= 0 && (k == 0 || k < 40 && s[k-1] == ' ' && !strings.Contains(s[:k], ":")) {
		_, p, ok := strings.Cut(s[k:], ": ")
		if !ok || !strings.ContainsAny(p, "/\\.") {
			return Attachment{}, false
		}
		for _, suf := range []string{" (App: ", " (Genmoji prompt: "} {
			if j := strings.Index(p, suf); j > 0 {
				p = p[:j]
			}
		}
		return Attachment{Kind: AttachmentSticker, Name: imBase(p), URL: p}, true
	}
	rel := strings.HasPrefix(s, "attachments/") || strings.HasPrefix(s, "attachments\\")
	abs := strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/") || len(s) > 3 && s[1] == ':' && (s[2] == '\\' || s[2] == '/')
	if !rel && !(abs && (strings.Contains(s, "/Attachments/") || strings.Contains(s, "/attachments/") ||
		strings.Contains(s, "\\Attachments\\") || strings.Contains(s, "\\attachments\\") ||
		strings.Contains(s, "/StickerCache/") || isIMBackupFile(s))) {
		return Attachment{}, false
	}
	name := imBase(s)
	return Attachment{Kind: imKindOf(name), Name: name, URL: s}, true
}

// imBase is the last element of a path, for '/' and '\\' alike.
func imBase(p string) string {
	if i := strings.LastIndexAny(p, "/\\"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// isIMBackupFile matches a file of an iPhone backup: ".../33/33c81da8ae3194fc5a0ea993ef6ffe0b048baedb".
func isIMBackupFile(p string) bool {
	name := imBase(p)
	if len(name) != 40 || len(p) < 44 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isDigit(name[i]) && (name[i] < 'a' || name[i] > 'f') {
			return false
		}
	}
	dir := p[len(p)-44:]
	return (dir[0] == '/' || dir[0] == '\\') && dir[1:3] == name[:2]
}

// imKindOf guesses an attachment's kind from its name; a backup's file, without extension, is
// unknown media.
func imKindOf(name string) AttachmentKind {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case "":
		return AttachmentUnknown
	case ".caf":
		return AttachmentAudio // "Audio Message.caf"
	}
	return attachmentKindFromName(name, "")
}

// imFSReader reads the conversations of an export folder or archive, one .txt or .html file each.
type imFSReader struct {
	imState
	fsys  fs.FS
	name  string
	files []string
	opts  Options
}

// imFSFiles lists the conversation files of an export folder, in order: .txt files (-f txt) and
// .html files (-f html). A chat exported in both forms into one folder is read from its html file,
// which says more (GUIDs, attachments the tool could not find); twins counts the txt files left.
func imFSFiles(names []string) (files []string, twins int) {
	html := make(map[string]bool)
	for _, n := range names {
		if low := strings.ToLower(n); imFSChatFile(n, low) && !strings.HasSuffix(low, ".txt") {
			html[low[:strings.LastIndexByte(low, '.')]] = true
		}
	}
	for _, n := range names {
		low := strings.ToLower(n)
		if !imFSChatFile(n, low) {
			continue
		}
		if stem, ok := strings.CutSuffix(low, ".txt"); ok && html[stem] {
			twins++
			continue
		}
		files = append(files, n)
	}
	return files, twins
}

// imFSChatFile says whether a file of an export folder may be a conversation (low is its name in
// lower case).
func imFSChatFile(n, low string) bool {
	return (strings.HasSuffix(low, ".txt") || strings.HasSuffix(low, ".html") || strings.HasSuffix(low, ".htm")) &&
		!strings.HasPrefix(path.Base(n), ".") && !strings.HasPrefix(n, "__MACOSX/") &&
		!strings.HasPrefix(low, "attachments/") && !strings.Contains(low, "/attachments/")
}

// isIMessageFS says whether a folder or archive is an imessage-exporter export: its text and html
// files (the first few that are not empty) read as such, and none is named as a WhatsApp chat.
func isIMessageFS(fsys fs.FS, names []string) bool {
	checked := 0
	files, _ := imFSFiles(names)
	for _, n := range files {
		low := strings.ToLower(path.Base(n))
		if low == "_chat.txt" || waIsChatName(low) {
			return false
		}
		if checked >= 4 {
			continue
		}
		f, err := fsys.Open(n)
		if err != nil {
			return false
		}
		size := 4096
		if !strings.HasSuffix(low, ".txt") {
			size = sniffBytes // a page opens with the tool's style sheet, several KiB
		}
		head := make([]byte, size)
		k, _ := io.ReadFull(f, head)
		_ = f.Close()
		if len(bytes.TrimSpace(head[:k])) == 0 {
			continue // orphaned.txt is often empty
		}
		if sniffIMessage(n, head[:k]) == 0 {
			return false
		}
		checked++
	}
	return checked > 0
}

func newIMessageFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	files, twins := imFSFiles(names)
	if len(files) == 0 {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatIMessage, Err: ErrUnknownFormat,
			Msg: "no conversation file (.txt or .html) of imessage-exporter in this folder or archive"}
	}
	r := &imFSReader{fsys: fsys, name: name, files: files, opts: o}
	if twins > 0 {
		r.add(&ParseError{File: name, Offset: -1, Format: FormatIMessage,
			Msg: fmt.Sprintf("%d chat(s) exported both as txt and as html: read from the html file", twins)})
	}
	return r, nil
}

// Next reads the next conversation file. A file that is not of the export is reported and
// skipped; a read error stops the reading after the messages read before it.
func (r *imFSReader) Next() bool {
	r.cur = nil
	for r.err == nil && len(r.files) > 0 {
		p := r.files[0]
		r.files = r.files[1:]
		file := filepath.Join(r.name, p)
		f, err := r.fsys.Open(p)
		if err != nil {
			r.err = &ParseError{File: file, Offset: -1, Format: FormatIMessage, Msg: "open", Err: err}
			return false
		}
		ir := openIMStream(file, fileStem(p), stripBOM(decodeInput(bufio.NewReaderSize(f, sniffBytes))), r.opts)
		ok := ir.Next()
		_ = f.Close()
		for _, pe := range ir.Problems() {
			r.add(pe)
		}
		if err := ir.Err(); err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, ErrUnknownFormat) {
				r.add(pe)
			} else {
				r.err = err
			}
		}
		if ok {
			r.cur = ir.Conversation()
			return true
		}
	}
	return false
}
