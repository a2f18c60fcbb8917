package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// slackReaderVersion is bumped whenever the reader's output changes for the same input.
const slackReaderVersion = "slack/1"

// A Slack workspace export ("Export your workspace data", a .zip) holds, at its root:
//
//	users.json      members: [{"id":"U…","name":"…","real_name":"…","profile":{"display_name":"…"}}]
//	                (org_users.json in Enterprise Grid exports)
//	channels.json   public channels: [{"id":"C…","name":"general","members":[…],"topic":{…}}]
//	groups.json     private channels, same shape
//	mpims.json      group DMs, same shape, named "mpdm-a--b--c-1"
//	dms.json        DMs: [{"id":"D…","members":["U…","U…"]}] (no name)
//	<folder>/YYYY-MM-DD.json   one file per conversation and day: a JSON array of messages
//
// Channel, private channel and group DM folders are named after the conversation's name, DM folders
// after its id. A message looks like
//
//	{"type":"message","subtype":"channel_join","ts":"1710450180.000200","user":"U…","text":"…",
//	 "edited":{"user":"U…","ts":"…"},"thread_ts":"…","parent_user_id":"U…","files":[{…}]}

var (
	slackDayName = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\.json$`)
	slackSniffTS = regexp.MustCompile(`"ts"\s*:\s*"\d+(\.\d+)?"`)
	slackSniffTy = regexp.MustCompile(`"type"\s*:\s*"message"`)
)

// sniffSlack recognizes one channel-day file of a Slack export: a JSON array of objects with
// "type":"message" and a string "ts".
func sniffSlack(name string, head []byte) int {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '[' {
		return 0
	}
	if !slackSniffTy.Match(head) || !slackSniffTS.Match(head) {
		return 0
	}
	score := 85
	if slackDayName.MatchString(filepath.Base(name)) {
		score += 10
	}
	return score
}

// slackSystemSubtypes are the message subtypes written by Slack itself rather than typed by a person.
// Messages with other subtypes (file_share, thread_broadcast, me_message, …) are a person's.
var slackSystemSubtypes = map[string]bool{
	"channel_join": true, "channel_leave": true, "channel_topic": true, "channel_purpose": true,
	"channel_name": true, "channel_archive": true, "channel_unarchive": true,
	"channel_convert_to_private": true, "channel_convert_to_public": true, "channel_posting_permissions": true,
	"group_join": true, "group_leave": true, "group_topic": true, "group_purpose": true, "group_name": true,
	"group_archive": true, "group_unarchive": true,
	"pinned_item": true, "unpinned_item": true, "bot_add": true, "bot_remove": true, "bot_enable": true,
	"bot_disable": true, "bot_message": true, "reminder_add": true, "slackbot_response": true,
	"sh_room_created": true, "huddle_thread": true, "tombstone": true, "joiner_notification": true,
}

type slackFile struct {
	Name       string `json:"name"`
	Title      string `json:"title"`
	Mimetype   string `json:"mimetype"`
	URLPrivate string `json:"url_private"`
	Permalink  string `json:"permalink"`
	Mode       string `json:"mode"` // "tombstone" (deleted), "hidden_by_limit", "external", …
}

type slackLink struct {
	FromURL     string `json:"from_url"`
	OriginalURL string `json:"original_url"`
	TitleLink   string `json:"title_link"`
	Title       string `json:"title"`
}

type slackProfile struct {
	RealName    string `json:"real_name"`
	DisplayName string `json:"display_name"`
	Name        string `json:"name"`
}

type slackMessage struct {
	Type         string        `json:"type"`
	Subtype      string        `json:"subtype"`
	Ts           string        `json:"ts"`
	User         string        `json:"user"`
	Username     string        `json:"username"`
	BotID        string        `json:"bot_id"`
	Text         string        `json:"text"`
	ThreadTs     string        `json:"thread_ts"`
	ParentUserID string        `json:"parent_user_id"`
	Edited       *struct{}     `json:"edited"`
	Files        []slackFile   `json:"files"`
	Attachments  []slackLink   `json:"attachments"`
	UserProfile  *slackProfile `json:"user_profile"`
	BotProfile   *struct {
		Name string `json:"name"`
	} `json:"bot_profile"`
}

type slackUser struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	RealName string       `json:"real_name"`
	Profile  slackProfile `json:"profile"`
}

type slackChannel struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
	dir     string
	dm      bool
}

// slackDecoder turns day files into messages. users maps user ids to display names.
type slackDecoder struct {
	users map[string]string
	opts  Options
	add   func(*ParseError)
}

// author returns the name shown for a message's author.
func (d *slackDecoder) author(sm *slackMessage) string {
	if sm.Subtype == "bot_message" || (sm.User == "" && sm.BotID != "") {
		switch {
		case sm.Username != "":
			return sm.Username
		case sm.BotProfile != nil && sm.BotProfile.Name != "":
			return sm.BotProfile.Name
		case sm.BotID != "":
			return sm.BotID
		}
	}
	if n, ok := d.users[sm.User]; ok {
		return n
	}
	if p := sm.UserProfile; p != nil {
		for _, n := range []string{p.RealName, p.DisplayName, p.Name} {
			if n != "" {
				return n
			}
		}
	}
	if sm.User == "" {
		return sm.Username
	}
	return sm.User
}

// slackMention matches Slack's markup: <@U123>, <@U123|name>, <#C123|general>, <!here>,
// <!subteam^S1|@team>, <https://url|label>, <mailto:a@b|a@b>.
var slackMention = regexp.MustCompile(`<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>`)

// text renders Slack's message markup as plain text: mentions become "@Name", channel links
// "#name", links their label followed by the URL in parentheses when the label hides it, and the
// escapes &lt; &gt; &amp; are undone.
func (d *slackDecoder) text(s string) string {
	if strings.IndexByte(s, '<') >= 0 {
		s = slackMention.ReplaceAllStringFunc(s, func(m string) string {
			sub := slackMention.FindStringSubmatch(m)
			kind, target, label := sub[1], sub[2], sub[3]
			switch kind {
			case "@":
				if label != "" {
					return "@" + strings.TrimPrefix(label, "@")
				}
				if n, ok := d.users[target]; ok {
					return "@" + n
				}
				return "@" + target
			case "#":
				if label != "" {
					return "#" + label
				}
				return "#" + target
			case "!":
				if label != "" {
					return label
				}
				if i := strings.IndexByte(target, '^'); i >= 0 {
					target = target[:i]
				}
				return "@" + target
			}
			if label == "" {
				return strings.TrimPrefix(target, "mailto:")
			}
			bare := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(target, "mailto:"), "https://"), "http://")
			if label == target || label == bare {
				return label
			}
			return label + " (" + target + ")"
		})
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
	}
	return s
}

// slackTime reads a ts such as "1710450180.000200" (Unix seconds and microseconds).
func slackTime(ts string, loc *time.Location) (time.Time, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s < 0 || s > 1<<40 || len(frac) > 9 {
		return time.Time{}, false
	}
	var ns int64
	if frac != "" {
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return time.Time{}, false
		}
		for i := len(frac); i < 9; i++ {
			f *= 10
		}
		ns = f
	}
	return time.Unix(s, ns).In(loc), true
}

func slackAttachmentKind(mime string) AttachmentKind {
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
	return AttachmentFile
}

// message converts one Slack message.
func (d *slackDecoder) message(sm *slackMessage, file string, line int) Message {
	m := Message{ID: sm.Ts, Author: d.author(sm), Text: d.text(sm.Text), Line: line,
		System: slackSystemSubtypes[sm.Subtype], Edited: sm.Edited != nil}
	if m.ID == "" {
		m.ID = fmt.Sprintf("%s:%d", path.Base(file), line)
	}
	if t, ok := slackTime(sm.Ts, d.opts.location()); ok {
		m.Time = t
	} else if sm.Ts != "" {
		d.add(&ParseError{File: file, Line: line, Offset: -1, Format: FormatSlack, Msg: fmt.Sprintf("message ts %q: time unknown", sm.Ts)})
	}
	if sm.ThreadTs != "" && sm.ThreadTs != sm.Ts {
		m.ReplyTo = sm.ThreadTs
	}
	switch sm.Subtype {
	case "tombstone":
		// The placeholder left for a deleted thread parent.
		m.Deleted, m.Text = true, ""
	case "huddle_thread":
		m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentCall})
	}
	for _, f := range sm.Files {
		a := Attachment{Kind: slackAttachmentKind(f.Mimetype), Name: f.Name, URL: f.URLPrivate}
		if a.Name == "" {
			a.Name = f.Title
		}
		if a.URL == "" {
			a.URL = f.Permalink
		}
		if f.Mode == "tombstone" || f.Mode == "hidden_by_limit" {
			a.Omitted = true
		}
		m.Attachments = append(m.Attachments, a)
	}
	for _, l := range sm.Attachments {
		u := l.FromURL
		if u == "" {
			u = l.OriginalURL
		}
		if u == "" {
			u = l.TitleLink
		}
		if u != "" {
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentLink, Name: l.Title, URL: u})
		}
	}
	if max := d.opts.maxMessageBytes(); len(m.Text) > max {
		m.Text = truncateUTF8(m.Text, max)
		d.add(&ParseError{File: file, Line: line, Offset: -1, Format: FormatSlack,
			Msg: fmt.Sprintf("message %q: text cut to %d bytes", m.ID, max), Err: ErrTooLarge})
	}
	return m
}

// day decodes one day file, a JSON array of messages, element by element. Messages that decode
// are returned even when the file breaks off later; the break is reported as a problem. When the
// file is not a JSON array at all, it returns that error and reports nothing.
func (d *slackDecoder) day(data []byte, file string) ([]Message, *ParseError) {
	lineAt := newLineCounter(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	perr := func(off int64, msg string, err error) *ParseError {
		return &ParseError{File: file, Line: lineAt(off), Offset: off, Format: FormatSlack, Msg: msg, Err: err}
	}
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		if err == nil {
			err = fmt.Errorf("found %v", tok)
		}
		return nil, perr(0, "day file is not a JSON array of messages", err)
	}
	var out []Message
	for dec.More() {
		start := dec.InputOffset()
		for start < int64(len(data)) && (data[start] == ',' || data[start] == ' ' || data[start] == '\n' || data[start] == '\r' || data[start] == '\t') {
			start++
		}
		var sm slackMessage
		err := dec.Decode(&sm)
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field == "":
			d.add(perr(start, "array element is not a message object; skipped", nil))
			continue
		case errors.As(err, &te):
			// The value was read whole; the fields of the wrong type are left empty.
			d.add(perr(start, fmt.Sprintf("message field %q has the wrong type; kept the rest", te.Field), nil))
		case err != nil:
			d.add(perr(dec.InputOffset(), fmt.Sprintf("invalid JSON; kept the %d messages before it", len(out)), err))
			return out, nil
		}
		if sm.Type != "message" && sm.Type != "" {
			continue
		}
		out = append(out, d.message(&sm, file, lineAt(start)))
	}
	if _, err := dec.Token(); err != nil {
		d.add(perr(dec.InputOffset(), "day file ends before its closing ]", err))
	}
	return out, nil
}

// newLineCounter returns a function giving the 1-based line of a byte offset of data. Offsets
// must not decrease between calls (they may repeat).
func newLineCounter(data []byte) func(int64) int {
	var last int64
	line := 1
	return func(off int64) int {
		off = min(max(off, 0), int64(len(data)))
		if off < last {
			last, line = 0, 1
		}
		line += bytes.Count(data[last:off], []byte{'\n'})
		last = off
		return line
	}
}

// sortSlackMessages orders messages by time, keeping file order for equal times; a message with an
// unknown time keeps its place after the message read before it.
func sortSlackMessages(ms []Message) {
	keys := make([]time.Time, len(ms))
	var prev time.Time
	for i := range ms {
		if !ms[i].Time.IsZero() {
			prev = ms[i].Time
		}
		keys[i] = prev
	}
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]].Before(keys[idx[b]]) })
	out := make([]Message, len(ms))
	for i, j := range idx {
		out[i] = ms[j]
	}
	copy(ms, out)
}

// newSlackReader reads one channel-day file alone (for instance general/2024-03-14.json). Without
// users.json, authors are the user ids, or the names that messages carry in "user_profile". The
// conversation is named after the file's folder when the file has a day name, else after the file.
func newSlackReader(name string, r io.Reader, o Options) (Reader, error) {
	limit := int64(o.maxLineBytes())
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatSlack, Msg: "read", Err: err}
	}
	sr := &sliceReader{format: FormatSlack}
	if int64(len(data)) > limit {
		sr.err = &ParseError{File: name, Offset: limit, Format: FormatSlack,
			Msg: fmt.Sprintf("day file larger than %d bytes", limit), Err: ErrTooLarge}
		return sr, nil
	}
	d := &slackDecoder{opts: o, add: sr.add}
	msgs, perr := d.day(data, name)
	if perr != nil {
		sr.err = perr
		return sr, nil
	}
	id := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if dir := filepath.Base(filepath.Dir(name)); slackDayName.MatchString(filepath.Base(name)) && dir != "." && dir != string(filepath.Separator) {
		id = dir
	}
	sortSlackMessages(msgs)
	c := &Conversation{ID: id, Platform: "slack", Title: id, Messages: msgs,
		Source: Source{File: name, Format: FormatSlack, Reader: slackReaderVersion}}
	if o.Predators != nil {
		applyPredators(c, o.Predators)
	}
	sr.convs = []*Conversation{c}
	return sr, nil
}

// slackFSReader reads a Slack export folder or zip, one conversation per channel, private channel,
// group DM and DM, reading that conversation's day files one at a time when Next reaches it.
// A malformed day file or metadata file is a problem naming it; the other files are still read.
type slackFSReader struct {
	problems
	fsys  fs.FS
	name  string
	root  string
	opts  Options
	dec   *slackDecoder
	chans []slackChannel
	cur   *Conversation
	err   error
}

func (r *slackFSReader) Format() Format              { return FormatSlack }
func (r *slackFSReader) Conversation() *Conversation { return r.cur }
func (r *slackFSReader) Err() error                  { return r.err }
func (r *slackFSReader) Close() error                { return nil }

func newSlackFSReader(fsys fs.FS, name string, o Options) (Reader, error) {
	r := &slackFSReader{fsys: fsys, name: name, opts: o}
	r.dec = &slackDecoder{opts: o, add: r.add, users: make(map[string]string)}
	r.root = slackRoot(fsys)
	r.readUsers()

	claimed := make(map[string]bool)
	for _, meta := range []string{"channels.json", "groups.json", "mpims.json", "dms.json"} {
		var chans []slackChannel
		if !r.readJSON(meta, &chans) {
			continue
		}
		for _, c := range chans {
			c.dm = meta == "dms.json"
			// Folders are named after the name, DM folders after the id; try both.
			for _, dir := range []string{c.Name, c.ID} {
				if dir != "" && !claimed[dir] && r.isDir(dir) {
					c.dir = dir
					break
				}
			}
			if c.dir == "" {
				continue // no messages exported for it
			}
			claimed[c.dir] = true
			if c.ID == "" {
				c.ID = c.dir
			}
			r.chans = append(r.chans, c)
		}
	}
	// Folders of day files that no metadata file lists are still conversations.
	entries, err := fs.ReadDir(fsys, r.root)
	if err != nil {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatSlack, Msg: "list export", Err: err}
	}
	for _, e := range entries {
		if e.IsDir() && !claimed[e.Name()] && len(r.dayFiles(e.Name())) > 0 {
			r.chans = append(r.chans, slackChannel{ID: e.Name(), Name: e.Name(), dir: e.Name()})
		}
	}
	if len(r.chans) == 0 && len(r.dayFiles(".")) > 0 {
		// The folder of one channel rather than a whole export.
		id := filepath.Base(name)
		r.chans = append(r.chans, slackChannel{ID: id, Name: id, dir: "."})
	}
	return r, nil
}

// slackRoot returns the folder holding the export's metadata files: the root, or a single folder
// below it when the archive was made from a folder.
func slackRoot(fsys fs.FS) string {
	for _, meta := range []string{"users.json", "channels.json", "org_users.json", "dms.json", "groups.json", "mpims.json"} {
		if _, err := fs.Stat(fsys, meta); err == nil {
			return "."
		}
	}
	for _, meta := range []string{"users.json", "channels.json", "org_users.json", "dms.json", "groups.json", "mpims.json"} {
		if m, _ := fs.Glob(fsys, "*/"+meta); len(m) > 0 {
			return path.Dir(m[0])
		}
	}
	return "."
}

func (r *slackFSReader) file(p string) string { return filepath.Join(r.name, filepath.FromSlash(p)) }

func (r *slackFSReader) isDir(dir string) bool {
	st, err := fs.Stat(r.fsys, path.Join(r.root, dir))
	return err == nil && st.IsDir()
}

// readJSON decodes the metadata file p of the export root into v; a missing file is not a problem.
func (r *slackFSReader) readJSON(p string, v any) bool {
	full := path.Join(r.root, p)
	data, err := r.readFile(full)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.add(&ParseError{File: r.file(full), Offset: -1, Format: FormatSlack, Msg: "read", Err: err})
		}
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		var off int64 = -1
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		line := 0
		if off >= 0 {
			line = newLineCounter(data)(off)
		}
		r.add(&ParseError{File: r.file(full), Line: line, Offset: off, Format: FormatSlack, Msg: "unreadable metadata file ignored", Err: err})
		return false
	}
	return true
}

// readFile reads a file of the export, refusing one larger than the line cap.
func (r *slackFSReader) readFile(p string) ([]byte, error) {
	f, err := r.fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := int64(r.opts.maxLineBytes())
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file larger than %d bytes: %w", limit, ErrTooLarge)
	}
	return data, nil
}

// readUsers fills the id -> name map from users.json (org_users.json in Enterprise Grid exports).
// A name is the user's real name, else display name, else user name; two users with the same name
// get their id appended so that they stay apart.
func (r *slackFSReader) readUsers() {
	var users []slackUser
	if !r.readJSON("users.json", &users) && !r.readJSON("org_users.json", &users) {
		return
	}
	count := make(map[string]int)
	names := make([]string, len(users))
	for i, u := range users {
		for _, n := range []string{u.RealName, u.Profile.RealName, u.Profile.DisplayName, u.Name, u.ID} {
			if n = strings.TrimSpace(n); n != "" {
				names[i] = n
				break
			}
		}
		count[names[i]]++
	}
	for i, u := range users {
		if u.ID == "" {
			continue
		}
		n := names[i]
		if count[n] > 1 && n != u.ID {
			n += " (" + u.ID + ")"
		}
		r.dec.users[u.ID] = n
	}
}

// dayFiles lists the YYYY-MM-DD.json files of a conversation folder, in date order.
func (r *slackFSReader) dayFiles(dir string) []string {
	entries, err := fs.ReadDir(r.fsys, path.Join(r.root, dir))
	if err != nil {
		r.add(&ParseError{File: r.file(path.Join(r.root, dir)), Offset: -1, Format: FormatSlack, Msg: "list folder", Err: err})
		return nil
	}
	var days []string
	for _, e := range entries {
		if !e.IsDir() && slackDayName.MatchString(e.Name()) {
			days = append(days, e.Name())
		}
	}
	sort.Strings(days)
	return days
}

func (r *slackFSReader) Next() bool {
	r.cur = nil
	for r.err == nil && len(r.chans) > 0 {
		ch := r.chans[0]
		r.chans = r.chans[1:]
		var msgs []Message
		days := r.dayFiles(ch.dir)
		for _, day := range days {
			p := path.Join(r.root, ch.dir, day)
			data, err := r.readFile(p)
			if err != nil {
				r.add(&ParseError{File: r.file(p), Offset: -1, Format: FormatSlack, Msg: "day file skipped", Err: err})
				continue
			}
			ms, perr := r.dec.day(data, r.file(p))
			if perr != nil {
				r.add(perr)
			}
			msgs = append(msgs, ms...)
		}
		if len(days) == 0 {
			continue
		}
		sortSlackMessages(msgs)
		c := &Conversation{ID: ch.ID, Platform: "slack", Messages: msgs,
			Source: Source{File: r.file(path.Join(r.root, ch.dir)), Format: FormatSlack, Reader: slackReaderVersion}}
		if !ch.dm {
			c.Title = ch.Name
		}
		r.participants(c, ch.Members)
		if r.opts.Predators != nil {
			applyPredators(c, r.opts.Predators)
		}
		r.cur = c
		return true
	}
	return false
}

// participants lists the channel's members, then the authors of non-system messages who are not
// members (people who left, bots), each once.
func (r *slackFSReader) participants(c *Conversation, members []string) {
	seen := make(map[string]bool)
	addP := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			c.Participants = append(c.Participants, Participant{ID: id})
		}
	}
	for _, m := range members {
		if n, ok := r.dec.users[m]; ok {
			addP(n)
		} else {
			addP(m)
		}
	}
	for i := range c.Messages {
		if !c.Messages[i].System {
			addP(c.Messages[i].Author)
		}
	}
}
