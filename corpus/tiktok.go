package corpus

// Reader of the direct messages in TikTok's "Download your data" JSON (user_data_tiktok.json, or
// user_data.json in older downloads). The file holds the whole account; the messages are under
//
//	{"Activity": {...}, ..., "Direct Message": {"Direct Messages": {"ChatHistory": {
//	    "Chat History with sam.k:": [{"Date": "2026-03-14 21:03:05", "From": "sam.k", "Content": "hi"}, ...],
//	    ...}}}, "Profile": {...}, ...}
//
// One conversation per "Chat History with NAME:" list, yielded as soon as it is read; the other
// sections are skipped without being held. Dates carry no zone: they are read in [Options.Location]
// (default UTC). Messages are output oldest first and numbered "1", "2", ...; a message whose
// content is only a link (a shared video) keeps the link as an attachment.

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

const tiktokReaderVersion = "tiktok/1"

// sniffTikTok recognizes the download from its sections' names.
func sniffTikTok(name string, head []byte) int {
	if !headIsObject(head) {
		return 0
	}
	score := 0
	switch {
	case headHasKey(head, "ChatHistory") || (headHasKey(head, "Direct Messages") && headHasKey(head, "Direct Message")):
		score = 95
	case headHasKey(head, "Activity") && (headHasKey(head, "Video Browsing History") || headHasKey(head, "Favorite Videos") ||
		headHasKey(head, "Login History") || headHasKey(head, "Like List")):
		score = 90 // the messages come later in the file
	}
	if score > 0 && strings.HasPrefix(strings.ToLower(pathBase(name)), "user_data") {
		score += 3
	}
	return score
}

type tiktokMessage struct {
	Date    flexString `json:"Date"`
	From    flexString `json:"From"`
	Content flexString `json:"Content"`
}

type tiktokReader struct {
	jsonReaderBase
	depth    int  // objects entered on the way to the chats, to walk back out after the last one
	inChats  bool // inside the ChatHistory object
	sawChats bool // a ChatHistory object was met
}

func newTikTokReader(name string, r io.Reader, o Options) (Reader, error) {
	return &tiktokReader{jsonReaderBase: jsonReaderBase{s: newJSONStream(name, r, FormatTikTok), opts: o, format: FormatTikTok}}, nil
}

// Next reads up to the next chat list and returns it as a conversation.
func (r *tiktokReader) Next() bool {
	r.cur = nil
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
		if !more { // the end of the current object
			if r.depth == 0 {
				r.end()
				if !r.sawChats {
					r.add(&ParseError{File: s.name, Offset: -1, Format: FormatTikTok,
						Msg: "no direct messages in this TikTok download (Direct Message / ChatHistory)"})
				}
				return false
			}
			r.depth--
			r.inChats = false
			continue
		}
		switch {
		case r.inChats:
			ok, err := s.openValue('[')
			if err != nil {
				return r.fail(err)
			}
			if !ok {
				continue
			}
			c, err := r.readChat(k)
			if err != nil {
				return r.fail(err)
			}
			r.cur = c
			return true
		case k == "ChatHistory" || (r.depth < 3 && strings.Contains(strings.ToLower(k), "direct message")):
			ok, err := s.openValue('{')
			if err != nil {
				return r.fail(err)
			}
			if !ok {
				continue
			}
			r.depth++
			if k == "ChatHistory" {
				r.inChats, r.sawChats = true, true
			}
		default:
			if err := s.skip(); err != nil {
				return r.fail(err)
			}
		}
	}
}

// tiktokPartner is the other person of a chat list key: "Chat History with sam.k:" → "sam.k".
func tiktokPartner(key string) string {
	p := strings.TrimSpace(key)
	p = strings.TrimSuffix(p, ":")
	if rest, ok := strings.CutPrefix(p, "Chat History with "); ok {
		p = rest
	}
	return strings.TrimSpace(p)
}

// readChat reads one chat list, its '[' already read.
func (r *tiktokReader) readChat(key string) (*Conversation, error) {
	s := r.s
	partner := tiktokPartner(key)
	id := "tiktok-" + partner
	type timed struct {
		t  time.Time
		ok bool
		m  Message
	}
	var msgs []timed
	for s.dec.More() {
		var tm tiktokMessage
		line, off, bad, err := s.element(&tm)
		if err != nil {
			return nil, err
		}
		if bad != nil {
			r.add(bad)
			continue
		}
		m := Message{Author: strings.TrimSpace(string(tm.From)), Line: line}
		text := string(tm.Content)
		if u := strings.TrimSpace(text); isWebLink(u) {
			m.Attachments = []Attachment{{Kind: AttachmentLink, URL: u}}
			text = ""
		}
		m.Text = capText(&r.problems, s, r.opts, text, id, strconv.Itoa(len(msgs)+1), line, off)
		t, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(string(tm.Date)), r.opts.location())
		if err != nil && tm.Date != "" {
			r.add(s.problem(line, off, "message time unknown", err))
		}
		if err == nil {
			m.Time = t
		}
		msgs = append(msgs, timed{t: t, ok: err == nil, m: m})
	}
	if err := s.endArray(); err != nil {
		return nil, err
	}
	// Lists are newest first in the downloads seen; whatever the order, sort by time, keeping the
	// order of equal times as written oldest first, and a message without time after its neighbour.
	if n := len(msgs); n > 1 && msgs[0].ok && msgs[n-1].ok && msgs[0].t.After(msgs[n-1].t) {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			msgs[i], msgs[j] = msgs[j], msgs[i]
		}
	}
	var last time.Time
	for i := range msgs {
		if !msgs[i].ok {
			msgs[i].t = last
		}
		last = msgs[i].t
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].t.Before(msgs[j].t) })
	c := &Conversation{ID: id, Platform: "tiktok", Title: partner, Messages: make([]Message, len(msgs))}
	for i := range msgs {
		c.Messages[i] = msgs[i].m
		c.Messages[i].ID = strconv.Itoa(i + 1)
	}
	c.Participants = participantsOf(c, nil)
	finishConversation(c, s.name, FormatTikTok, tiktokReaderVersion, r.opts)
	return c, nil
}

// isWebLink says whether s is a single http(s) address and nothing else.
func isWebLink(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\r\n")
}
