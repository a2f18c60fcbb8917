package corpus

// Reader of Telegram Desktop JSON exports (result.json, written by
// Telegram/SourceFiles/export/output/export_output_json.cpp). Two layouts:
//
//   - one chat ("Export chat history"): {"name","type","id","messages":[...]}
//   - the whole account ("Export Telegram data"): {"about","personal_information",...,
//     "chats":{"about","list":[chat,...]}, "left_chats":{"about","list":[chat,...]}, ...}
//
// A message: {"id","type":"message"|"service","date":"2006-01-02T15:04:05" (local time, no zone),
// "date_unixtime":"seconds","edited","edited_unixtime","from","from_id":"user123","reply_to_message_id",
// "photo","file","media_type","sticker_emoji","mime_type","text","text_entities"}. A service message
// carries "actor","actor_id","action" and action fields ("title","members","duration_seconds",...).
// "text" is a string, or an array of strings and entity objects {"type":"bold","text":"..."}.
//
// Chats are yielded one at a time; only the current chat's messages are held.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

const telegramReaderVersion = "telegram/1"

// sniffTelegram recognizes both forms of a Telegram Desktop export: result.json and the HTML pages.
func sniffTelegram(name string, head []byte) int {
	if !headIsObject(head) {
		return sniffTelegramHTML(head)
	}
	score := 0
	switch {
	case headHasKey(head, "messages") && (headHasKey(head, "date_unixtime") || headHasKey(head, "from_id")):
		score = 98
	case headHasKey(head, "personal_information") && headHasKey(head, "about"):
		score = 95 // full-account export; the chats may come after the first 64 KiB
	case headHasKey(head, "chats") && headHasKey(head, "list"):
		score = 80
	case headHasKey(head, "messages") && headHasKey(head, "name") && headHasKey(head, "type") &&
		(bytes.Contains(head, []byte(`"personal_chat"`)) || bytes.Contains(head, []byte(`"private_group"`)) ||
			bytes.Contains(head, []byte(`"private_supergroup"`)) || bytes.Contains(head, []byte(`"public_supergroup"`))):
		score = 90
	}
	return score
}

type telegramMessage struct {
	ID            flexString      `json:"id"`
	Type          flexString      `json:"type"`
	Date          flexString      `json:"date"`
	DateUnix      flexString      `json:"date_unixtime"`
	Edited        flexString      `json:"edited"`
	EditedUnix    flexString      `json:"edited_unixtime"`
	From          flexString      `json:"from"`
	FromID        flexString      `json:"from_id"`
	Actor         flexString      `json:"actor"`
	ActorID       flexString      `json:"actor_id"`
	Action        flexString      `json:"action"`
	Title         flexString      `json:"title"`
	Members       []flexString    `json:"members"`
	Duration      flexString      `json:"duration_seconds"`
	DiscardReason flexString      `json:"discard_reason"`
	MessageID     flexString      `json:"message_id"`
	ReplyTo       flexString      `json:"reply_to_message_id"`
	ReplyToPeer   flexString      `json:"reply_to_peer_id"`
	Photo         flexString      `json:"photo"`
	File          flexString      `json:"file"`
	MediaType     flexString      `json:"media_type"`
	MimeType      flexString      `json:"mime_type"`
	Contact       json.RawMessage `json:"contact_information"`
	Location      json.RawMessage `json:"location_information"`
	PlaceName     flexString      `json:"place_name"`
	Poll          *struct {
		Question flexString `json:"question"`
	} `json:"poll"`
	Text         json.RawMessage `json:"text"`
	TextEntities json.RawMessage `json:"text_entities"`
}

// telegramChat is the chat being read.
type telegramChat struct {
	id, name, typ string
	messages      bool // a "messages" array was seen
	c             *Conversation
}

// States of the account walk.
const (
	tgTop     = iota // in the top-level object
	tgSection        // in "chats" or "left_chats"
	tgList           // in their "list" array
)

type telegramReader struct {
	jsonReaderBase
	state  int
	single *telegramChat // the top-level object is itself a chat
	// sawChats is true once a "chats" or "left_chats" section was met.
	sawChats bool
}

// newTelegramReader reads result.json, or an HTML page (messages.html) when the input starts with '<'.
func newTelegramReader(name string, r io.Reader, o Options) (Reader, error) {
	br, markup := startsWithMarkup(r)
	if markup {
		return newTelegramHTMLReader(name, br, o), nil
	}
	return &telegramReader{jsonReaderBase: jsonReaderBase{s: newJSONStream(name, br, FormatTelegram), opts: o, format: FormatTelegram}}, nil
}

func (r *telegramReader) Next() bool {
	r.cur = nil
	if r.done {
		return false
	}
	s := r.s
	first, ok := r.beginOnce()
	if !ok {
		return false
	}
	if first {
		r.single = &telegramChat{c: &Conversation{Platform: "telegram"}}
	}
	for {
		switch r.state {
		case tgList:
			if s.dec.More() {
				chat, bad, err := r.readChat()
				if err != nil {
					return r.fail(err)
				}
				if bad != nil {
					r.add(bad)
					continue
				}
				r.cur = r.finish(chat)
				return true
			}
			if err := s.endArray(); err != nil {
				return r.fail(err)
			}
			r.state = tgSection
		case tgSection:
			k, more, err := s.key()
			if err != nil {
				return r.fail(err)
			}
			if !more {
				r.state = tgTop
				continue
			}
			if k != "list" {
				if err := s.skip(); err != nil {
					return r.fail(err)
				}
				continue
			}
			ok, err := s.openValue('[')
			if err != nil {
				return r.fail(err)
			}
			if ok {
				r.state = tgList
			}
		case tgTop:
			k, more, err := s.key()
			if err != nil {
				return r.fail(err)
			}
			if !more {
				r.end()
				if r.single.messages {
					r.cur = r.finish(r.single)
					r.single = nil
					return true
				}
				r.single = nil
				if !r.sawChats {
					return r.fail(&ParseError{File: s.name, Offset: -1, Format: FormatTelegram,
						Msg: `not a Telegram export: no "messages" and no "chats"`})
				}
				return false
			}
			switch k {
			case "chats", "left_chats":
				r.sawChats = true
				ok, err := s.openValue('{')
				if err != nil {
					return r.fail(err)
				}
				if ok {
					r.state = tgSection
				}
			default:
				if err := r.chatField(r.single, k); err != nil {
					return r.fail(err)
				}
			}
		}
	}
}

// readChat reads one chat object of a "list". A list element that is not an object is a problem.
func (r *telegramReader) readChat() (*telegramChat, *ParseError, error) {
	s := r.s
	start := s.dec.InputOffset()
	tok, err := s.dec.Token()
	if err != nil {
		return nil, nil, s.fatal(err, "")
	}
	line, off := s.pos(start)
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		if ok && d == '[' {
			if err := s.skipRest(); err != nil {
				return nil, nil, err
			}
		}
		return nil, s.problem(line, off, "chat list element is not an object, skipped", nil), nil
	}
	chat := &telegramChat{c: &Conversation{Platform: "telegram"}}
	for {
		k, more, err := s.key()
		if err != nil {
			return nil, nil, err
		}
		if !more {
			return chat, nil, nil
		}
		if err := r.chatField(chat, k); err != nil {
			return nil, nil, err
		}
	}
}

// chatField reads the value of key k of a chat object.
func (r *telegramReader) chatField(chat *telegramChat, k string) error {
	s := r.s
	var err error
	switch k {
	case "name":
		chat.name, err = s.str()
	case "type":
		chat.typ, err = s.str()
	case "id":
		chat.id, err = s.str()
	case "messages":
		ok, err := s.openValue('[')
		if err != nil {
			return err
		}
		if !ok {
			r.add(s.errorf(`"messages" is not an array`))
			return nil
		}
		chat.messages = true
		for s.dec.More() {
			var tm telegramMessage
			line, off, bad, err := s.element(&tm)
			if err != nil {
				return err
			}
			if bad != nil {
				r.add(bad)
				continue
			}
			r.addMessage(chat, &tm, line, off)
		}
		return s.endArray()
	default:
		err = s.skip()
	}
	return err
}

func (r *telegramReader) finish(chat *telegramChat) *Conversation {
	c := chat.c
	c.ID = chat.id
	if c.ID == "" {
		c.ID = "telegram"
	}
	c.Title = chat.name
	if c.Title == "" && chat.typ == "saved_messages" {
		c.Title = "Saved Messages"
	}
	c.Participants = participantsOf(c, nil)
	finishConversation(c, r.s.name, FormatTelegram, telegramReaderVersion, r.opts)
	return c
}

func (r *telegramReader) addMessage(chat *telegramChat, tm *telegramMessage, line int, off int64) {
	c := chat.c
	m := Message{ID: string(tm.ID), Line: line}
	if m.ID == "" {
		m.ID = strconv.Itoa(len(c.Messages) + 1)
	}
	where := func(what string) string {
		return fmt.Sprintf("chat %q message %q: %s", chat.id, m.ID, what)
	}
	m.Time = r.telegramTime(tm.DateUnix, tm.Date, line, off, where)
	m.Edited = tm.Edited != "" || tm.EditedUnix != ""
	text, err := telegramText(tm.Text)
	if err != nil || (text == "" && len(tm.Text) == 0) {
		if t2, err2 := telegramText(tm.TextEntities); err2 == nil {
			text, err = t2, nil
		}
	}
	if err != nil {
		r.add(r.s.problem(line, off, where("unreadable text"), err))
	}
	switch string(tm.Type) {
	case "service":
		m.System = true
		m.Author = telegramName(tm.Actor, tm.ActorID)
		m.Text = telegramServiceText(tm, m.Author)
		if text != "" && tm.Action == "" {
			m.Text = text
		}
		if a := string(tm.Action); a == "phone_call" || a == "group_call" {
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentCall})
		}
	case "unsupported":
		m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentUnknown, Omitted: true})
	default:
		m.Author = telegramName(tm.From, tm.FromID)
		m.Text = text
		if tm.ReplyTo != "" && tm.ReplyToPeer == "" {
			m.ReplyTo = string(tm.ReplyTo)
		}
		m.Attachments = telegramMedia(tm)
	}
	m.Text = capText(&r.problems, r.s, r.opts, m.Text, chat.id, m.ID, line, off)
	c.Messages = append(c.Messages, m)
}

// telegramTime reads date_unixtime (Unix seconds as a string), else date (local time without a zone,
// read in the Location option).
func (r *telegramReader) telegramTime(unix, local flexString, line int, off int64, where func(string) string) time.Time {
	if unix != "" {
		if sec, err := strconv.ParseInt(string(unix), 10, 64); err == nil {
			return time.Unix(sec, 0).UTC()
		}
	}
	if local != "" {
		if t, err := time.ParseInLocation("2006-01-02T15:04:05", string(local), r.opts.location()); err == nil {
			return t
		}
	}
	if unix != "" || local != "" {
		r.add(r.s.problem(line, off, where("time unknown"), nil))
	}
	return time.Time{}
}

// telegramName returns a sender's name, or its id ("user123") when the name is null or empty
// (deleted accounts).
func telegramName(name, id flexString) string {
	if name != "" {
		return string(name)
	}
	return string(id)
}

// telegramText concatenates a "text" value: a string, or an array of strings and entity objects
// {"type":"bold","text":"..."}. The same function reads "text_entities" (objects only).
func telegramText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		return unquoteJSON(raw)
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range parts {
		if len(p) == 0 {
			continue
		}
		switch p[0] {
		case '"':
			s, err := unquoteJSON(p)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case '{':
			var e struct {
				Text flexString `json:"text"`
			}
			if err := json.Unmarshal(p, &e); err != nil {
				return "", err
			}
			b.WriteString(string(e.Text))
		}
	}
	return b.String(), nil
}

// telegramMedia lists the media of a message.
func telegramMedia(tm *telegramMessage) []Attachment {
	var out []Attachment
	file := func(p flexString, kind AttachmentKind) {
		a := Attachment{Kind: kind}
		if s := string(p); strings.HasPrefix(s, "(") {
			a.Omitted = true // "(File not included. Change data exporting settings to download.)"
		} else {
			a.Name = lastPathElem(s)
			a.URL = s
		}
		out = append(out, a)
	}
	if tm.Photo != "" {
		file(tm.Photo, AttachmentImage)
	}
	if tm.File != "" || tm.MediaType != "" {
		kind := AttachmentFile
		switch string(tm.MediaType) {
		case "sticker":
			kind = AttachmentSticker
		case "voice_message", "audio_file":
			kind = AttachmentAudio
		case "video_message", "video_file":
			kind = AttachmentVideo
		case "animation":
			kind = AttachmentGIF
		case "":
			kind = attachmentKindFromName(string(tm.File), string(tm.MimeType))
		}
		file(tm.File, kind)
	}
	if len(tm.Contact) > 0 && string(tm.Contact) != "null" {
		out = append(out, Attachment{Kind: AttachmentContact})
	}
	if (len(tm.Location) > 0 && string(tm.Location) != "null") || tm.PlaceName != "" {
		out = append(out, Attachment{Kind: AttachmentLocation, Name: string(tm.PlaceName)})
	}
	return out
}

// telegramServiceText renders a service message as a short English sentence naming the actor.
func telegramServiceText(tm *telegramMessage, actor string) string {
	if actor == "" {
		actor = "Someone"
	}
	members := func() string {
		var names []string
		for _, n := range tm.Members {
			if n == "" {
				n = "a deleted account"
			}
			names = append(names, string(n))
		}
		return strings.Join(names, ", ")
	}
	switch a := string(tm.Action); a {
	case "create_group":
		return fmt.Sprintf("%s created the group %q", actor, string(tm.Title))
	case "create_channel":
		return fmt.Sprintf("%s created the channel %q", actor, string(tm.Title))
	case "edit_group_title":
		return fmt.Sprintf("%s changed the group title to %q", actor, string(tm.Title))
	case "edit_group_photo":
		return actor + " changed the group photo"
	case "delete_group_photo":
		return actor + " removed the group photo"
	case "invite_members":
		return actor + " added " + members()
	case "remove_members":
		if len(tm.Members) == 1 && string(tm.Members[0]) == actor {
			return actor + " left the group"
		}
		return actor + " removed " + members()
	case "join_group_by_link":
		return actor + " joined the group via an invite link"
	case "join_group_by_request":
		return actor + " joined the group after a request"
	case "migrate_to_supergroup", "migrate_from_group":
		return actor + " converted the group to a supergroup"
	case "pin_message":
		if tm.MessageID != "" {
			return actor + " pinned message " + string(tm.MessageID)
		}
		return actor + " pinned a message"
	case "clear_history":
		return actor + " cleared the history"
	case "phone_call":
		s := actor + " made a phone call"
		if tm.Duration != "" {
			s += " (" + string(tm.Duration) + " s)"
		}
		if tm.DiscardReason != "" && tm.DiscardReason != "hangup" {
			s += " (" + string(tm.DiscardReason) + ")"
		}
		return s
	case "group_call":
		return actor + " started a group call"
	case "invite_to_group_call":
		return actor + " invited " + members() + " to a group call"
	case "take_screenshot":
		return actor + " took a screenshot"
	case "joined_telegram":
		return actor + " joined Telegram"
	case "set_messages_ttl":
		return actor + " set messages to auto-delete"
	case "":
		return actor + " performed an action"
	default:
		return actor + " " + strings.ReplaceAll(a, "_", " ")
	}
}
