package corpus

// Reader of Snapchat "My Data" chat history (json/chat_history.json). Two layouts:
//
//   - older: {"Received Saved Chat History":[{"From","Media Type","Created","Text"}],
//     "Sent Saved Chat History":[{"To","Media Type","Created","Text"}], and the same two lists
//     "... Unsaved Chat History"}. Messages are grouped into one conversation per counterpart (the
//     From of received, the To of sent messages). The export owner's name is not in the file: the
//     owner's messages have the author "me" (Snapchat user names have at least 3 characters, so it
//     cannot be a real user). This layout is held whole until the end of the file, since any list
//     can hold any counterpart.
//   - newer: {"<conversation id or counterpart user name>":[{"From","Media Type","Created","Content",
//     "Conversation Title","IsSender","Created(microseconds)","IsSaved","Media IDs"}]}. Each key is one
//     conversation, yielded as soon as it is read. "Created(microseconds)" holds milliseconds in real
//     exports: its unit is inferred from its magnitude.
//
// Times "Created" are "2006-01-02 15:04:05 UTC". Messages are output oldest first and numbered "1",
// "2", ... in that order. Texts are HTML-unescaped ("&#39;" → "'"), as Snapchat writes them escaped.
// Snapchat does not export the text of unsaved messages: such TEXT messages have an empty text.

import (
	"html"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

const snapchatReaderVersion = "snapchat/1"

// snapchatOwner is the author of the owner's messages in the older layout.
const snapchatOwner = "me"

func sniffSnapchat(name string, head []byte) int {
	if !headIsObject(head) {
		return 0
	}
	switch {
	case headHasKey(head, "Received Saved Chat History") || headHasKey(head, "Sent Saved Chat History") ||
		headHasKey(head, "Received Unsaved Chat History") || headHasKey(head, "Sent Unsaved Chat History"):
		return 98
	case headHasKey(head, "Created(microseconds)") || (headHasKey(head, "Media Type") && headHasKey(head, "IsSender")):
		return 98
	case headHasKey(head, "Media Type") && headHasKey(head, "Created") && headHasKey(head, "From"):
		return 85
	}
	return 0
}

type snapMessage struct {
	From      flexString  `json:"From"`
	To        flexString  `json:"To"`
	MediaType flexString  `json:"Media Type"`
	Created   flexString  `json:"Created"`
	CreatedUS flexString  `json:"Created(microseconds)"`
	Text      flexString  `json:"Text"`
	Content   flexString  `json:"Content"`
	Title     flexString  `json:"Conversation Title"`
	IsSender  *bool       `json:"IsSender"`
	MediaIDs  *flexString `json:"Media IDs"`
}

// snapMsg is a message with its sort key.
type snapMsg struct {
	t time.Time
	m Message
}

type snapchatReader struct {
	jsonReaderBase
	old     map[string][]snapMsg // older layout: messages per counterpart
	pending []*Conversation      // older layout conversations, yielded at the end
	ended   bool
	keys    int  // top-level keys met
	sawList bool // a top-level key held a list
}

func newSnapchatReader(name string, r io.Reader, o Options) (Reader, error) {
	return &snapchatReader{jsonReaderBase: jsonReaderBase{s: newJSONStream(name, r, FormatSnapchat), opts: o, format: FormatSnapchat}}, nil
}

// isOldSnapKey reports whether k is one of the older layout's lists.
func isOldSnapKey(k string) (ok, sent bool) {
	if !strings.HasSuffix(k, "Chat History") {
		return false, false
	}
	switch {
	case strings.HasPrefix(k, "Received "):
		return true, false
	case strings.HasPrefix(k, "Sent "):
		return true, true
	}
	return false, false
}

func (r *snapchatReader) Next() bool {
	r.cur = nil
	if r.ended {
		if len(r.pending) > 0 {
			r.cur, r.pending = r.pending[0], r.pending[1:]
			return true
		}
		return false
	}
	if r.done {
		return false
	}
	s := r.s
	if _, ok := r.beginOnce(); !ok {
		return false
	}
	for {
		k, more, err := s.key()
		if err != nil {
			return r.fail(err)
		}
		if !more {
			r.end()
			r.ended = true
			if r.keys > 0 && !r.sawList {
				return r.fail(&ParseError{File: s.name, Offset: -1, Format: FormatSnapchat,
					Msg: "not a Snapchat chat history: no list of messages"})
			}
			r.flushOld()
			return r.Next()
		}
		r.keys++
		ok, err := s.openValue('[')
		if err != nil {
			return r.fail(err)
		}
		if !ok {
			continue // not a list of messages (account fields of some exports)
		}
		r.sawList = true
		if old, sent := isOldSnapKey(k); old {
			if err := r.readOld(sent); err != nil {
				return r.fail(err)
			}
			continue
		}
		c, err := r.readConversation(k)
		if err != nil {
			return r.fail(err)
		}
		r.cur = c
		return true
	}
}

// readConversation reads the list of one conversation of the newer layout.
func (r *snapchatReader) readConversation(key string) (*Conversation, error) {
	s := r.s
	var msgs []snapMsg
	title := ""
	for s.dec.More() {
		var sm snapMessage
		line, off, bad, err := s.element(&sm)
		if err != nil {
			return nil, err
		}
		if bad != nil {
			r.add(bad)
			continue
		}
		if title == "" {
			title = string(sm.Title)
		}
		m := r.message(&sm, key, line, off)
		m.Author = string(sm.From)
		msgs = append(msgs, snapMsg{t: m.Time, m: m})
	}
	if err := s.endArray(); err != nil {
		return nil, err
	}
	c := &Conversation{ID: key, Platform: "snapchat", Title: title}
	snapFinish(c, msgs)
	finishConversation(c, s.name, FormatSnapchat, snapchatReaderVersion, r.opts)
	return c, nil
}

// readOld reads one list of the older layout into r.old.
func (r *snapchatReader) readOld(sent bool) error {
	s := r.s
	if r.old == nil {
		r.old = map[string][]snapMsg{}
	}
	for s.dec.More() {
		var sm snapMessage
		line, off, bad, err := s.element(&sm)
		if err != nil {
			return err
		}
		if bad != nil {
			r.add(bad)
			continue
		}
		who := string(sm.From)
		if sent {
			who = string(sm.To)
		}
		m := r.message(&sm, who, line, off)
		m.Author = string(sm.From)
		if sent {
			m.Author = snapchatOwner
		}
		r.old[who] = append(r.old[who], snapMsg{t: m.Time, m: m})
	}
	return s.endArray()
}

// flushOld turns the older layout's messages into conversations, by counterpart name.
func (r *snapchatReader) flushOld() {
	keys := make([]string, 0, len(r.old))
	for k := range r.old {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		msgs := r.old[k]
		c := &Conversation{ID: k, Platform: "snapchat"}
		if k == "" {
			c.ID = "snapchat"
		}
		snapFinish(c, msgs)
		finishConversation(c, r.s.name, FormatSnapchat, snapchatReaderVersion, r.opts)
		r.pending = append(r.pending, c)
	}
	r.old = nil
}

// snapFinish sorts messages oldest first (they are listed newest first), numbers them and lists the
// participants.
func snapFinish(c *Conversation, msgs []snapMsg) {
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].t.Before(msgs[j].t) })
	c.Messages = make([]Message, len(msgs))
	for i := range msgs {
		c.Messages[i] = msgs[i].m
		c.Messages[i].ID = strconv.Itoa(i + 1)
	}
	c.Participants = participantsOf(c, nil)
}

// message converts the fields shared by both layouts.
func (r *snapchatReader) message(sm *snapMessage, convID string, line int, off int64) Message {
	m := Message{Line: line}
	m.Time = r.snapTime(sm, line, off)
	text := string(sm.Content)
	if text == "" {
		text = string(sm.Text)
	}
	if strings.IndexByte(text, '&') >= 0 {
		text = html.UnescapeString(text)
	}
	m.Text = capText(&r.problems, r.s, r.opts, text, convID, "", line, off)
	mt := strings.ToUpper(strings.TrimSpace(string(sm.MediaType)))
	switch {
	case mt == "" || mt == "TEXT":
	case strings.HasPrefix(mt, "STATUS"):
		m.System = true
		if strings.Contains(mt, "CALL") {
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentCall})
		}
	default:
		m.Attachments = append(m.Attachments, Attachment{Kind: snapKind(mt)})
	}
	return m
}

// snapKind maps a Snapchat "Media Type" to an attachment kind.
func snapKind(mt string) AttachmentKind {
	switch mt {
	case "IMAGE", "PHOTO":
		return AttachmentImage
	case "VIDEO":
		return AttachmentVideo
	case "NOTE", "AUDIO":
		return AttachmentAudio // NOTE is a voice note
	case "STICKER":
		return AttachmentSticker
	case "GIF":
		return AttachmentGIF
	case "ATTACHMENT", "FILE":
		return AttachmentFile
	case "LOCATION":
		return AttachmentLocation
	case "SHARE", "SHARESAVEDSTORY", "LINK":
		return AttachmentLink
	case "CALL":
		return AttachmentCall
	}
	return AttachmentUnknown // MEDIA, SNAP and kinds not known here
}

// snapTime reads "Created(microseconds)" (a number whose unit is inferred: microseconds above 1e14,
// milliseconds above 1e11, else seconds), else "Created".
func (r *snapchatReader) snapTime(sm *snapMessage, line int, off int64) time.Time {
	if sm.CreatedUS != "" {
		if v, err := strconv.ParseFloat(string(sm.CreatedUS), 64); err == nil && v > 0 && v < 1e17 {
			switch {
			case v > 1e14:
				return time.UnixMicro(int64(v)).UTC()
			case v > 1e11:
				return time.UnixMilli(int64(v)).UTC()
			default:
				return time.Unix(int64(v), 0).UTC()
			}
		}
	}
	if c := strings.TrimSpace(string(sm.Created)); c != "" {
		c = strings.TrimSuffix(c, " UTC")
		if t, err := time.ParseInLocation("2006-01-02 15:04:05", c, time.UTC); err == nil {
			return t
		}
		if t, err := ParseTime(c, time.UTC); err == nil {
			return t
		}
		r.add(r.s.problem(line, off, "message time unknown: "+strconv.Quote(truncateUTF8(c, 40)), nil))
	}
	return time.Time{}
}
