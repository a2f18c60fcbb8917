package corpus

// Reader of Google Chat (formerly Hangouts) as Google Takeout exports it: takeout.google.com →
// Google Chat (FR: « Télécharger vos données » → Google Chat), a takeout-<date>-<n>.zip. Layout,
// as the open-source readers of the export parse it (mrwoof/google-chat-takeout-reader,
// abrignoni/RLEAPP scripts/artifacts/googleChat.py, lmazure/chat_converter, and the importers of
// several chat archivers), with one folder per conversation:
//
//	Takeout/Google Chat/Groups/DM <group id>/messages.json      a direct message (no name)
//	Takeout/Google Chat/Groups/Space <group id>/messages.json   a space or group chat
//	                         …/group_info.json                 {"name": "…" (spaces only), "members": [user, …]}
//	                         …/File-<name>.<ext>               attachments, under their export_name
//	Takeout/Google Chat/Users/User <id>/user_info.json         {"user": user, "membership_info": […]}
//
// where a user is {"name", "email", "user_type": "Human"}. The folder name is Google's own group
// id ("DM k6oxHQAAAAE": user_info.json lists it as group_id) and is the conversation's id.
//
// messages.json is {"messages": [message, …]}, oldest first. A message:
//
//	{"creator": user, "created_date": "Tuesday, March 12, 2024 at 9:03:15 PM UTC",
//	 "updated_date": "…" (edited), "text": "…", "topic_id": "LqFDi4ScZAQ",
//	 "message_id": "<group id>/<topic id>/<message id>",
//	 "attached_files": [{"original_name": "IMG_1.jpg", "export_name": "File-IMG_1.jpg"}],
//	 "annotations": [{"start_index", "length", "url_metadata": {"url": {"private_do_not_access_or_else_safe_url_wrapped_value": "https://…"}},
//	                  "drive_metadata": {"id", "title"}, "youtube_metadata": {"id"}, …}],
//	 "quoted_message_metadata": {"creator": user, "text": "…"}, "reactions": […]}
//
// A deleted message keeps "message_state": "DELETED", "deleted_date", "deletion_metadata",
// "topic_id" and "message_id", and may have neither creator nor created_date. Dates are prose in
// the account's language (see googlechat_dates.go). Older exports may lack message_id.
//
// What is kept: the author is the creator's name (else the e-mail address; two members of one
// name are told apart by their addresses); a participant's Name is "name <e-mail>", the address
// being the account's stable handle. A message in a thread (its message id's topic part differs
// from its own part) answers the thread's first message; a quoted message is what a message
// answers when the quote names its id, or else the nearest earlier message with the quote's
// author and text. Attached files are media (of the kind their name tells, the path relative to
// the conversation folder); the web pages, Drive files and YouTube videos that annotations describe
// are links. "Updated room membership.", which Chat writes in the name of whoever changed the
// members, is a system message. Times keep the zone written (UTC). Reactions are left out.
//
// Hangouts' own Takeout format (one Hangouts.json for every conversation, written until Google
// moved Hangouts to Chat in 2022-2023) is not read.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

const googleChatReaderVersion = "googlechat/1"

// googleChatPlatform is Conversation.Platform for this format.
const googleChatPlatform = "google-chat"

// gchatMaxSideFile caps group_info.json, whose members list is read whole.
const gchatMaxSideFile = 8 << 20

// gchatGroupDir matches the name of a conversation folder: "DM <id>" or "Space <id>".
var gchatGroupDir = regexp.MustCompile(`^(DM|Space) [A-Za-z0-9_-]+$`)

// sniffGoogleChat recognizes a lone messages.json: an object whose "messages" hold objects with a
// creator and a created_date, or, when it starts with deleted messages, topic and message ids.
func sniffGoogleChat(name string, head []byte) int {
	if !headIsObject(head) || !headHasKey(head, "messages") {
		return 0
	}
	switch {
	case headHasKey(head, "creator") && headHasKey(head, "created_date"):
		return 97
	case headHasKey(head, "topic_id") && headHasKey(head, "message_id") &&
		(headHasKey(head, "deleted_date") || headHasKey(head, "message_state")):
		return 95
	}
	return 0
}

// gchatUser is a creator, a member or the account owner.
type gchatUser struct {
	Name     flexString `json:"name"`
	Email    flexString `json:"email"`
	UserType flexString `json:"user_type"`
}

// lenient decodes a value of type T when it has the expected shape, and leaves the zero value
// otherwise: an odd annotation or attachment list does not cost the message.
type lenient[T any] struct {
	v  T
	ok bool
}

func (l *lenient[T]) UnmarshalJSON(b []byte) error {
	var v T
	if json.Unmarshal(b, &v) == nil {
		l.v, l.ok = v, true
	}
	return nil
}

// lenientList decodes an array of T, keeping the elements of the expected shape.
type lenientList[T any] []T

func (l *lenientList[T]) UnmarshalJSON(b []byte) error {
	*l = nil
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	for _, r := range raw {
		var v T
		if json.Unmarshal(r, &v) == nil {
			*l = append(*l, v)
		}
	}
	return nil
}

type gchatFile struct {
	OriginalName flexString `json:"original_name"`
	ExportName   flexString `json:"export_name"`
}

type gchatAnnotation struct {
	URL lenient[struct {
		Title flexString `json:"title"`
		URL   lenient[struct {
			Value flexString `json:"private_do_not_access_or_else_safe_url_wrapped_value"`
		}] `json:"url"`
	}] `json:"url_metadata"`
	Drive lenient[struct {
		ID    flexString `json:"id"`
		Title flexString `json:"title"`
	}] `json:"drive_metadata"`
	YouTube lenient[struct {
		ID flexString `json:"id"`
	}] `json:"youtube_metadata"`
}

type gchatQuote struct {
	Creator   lenient[gchatUser] `json:"creator"`
	Text      flexString         `json:"text"`
	MessageID flexString         `json:"message_id"`
}

type gchatMessage struct {
	Creator      lenient[gchatUser]           `json:"creator"`
	CreatedDate  flexString                   `json:"created_date"`
	UpdatedDate  flexString                   `json:"updated_date"`
	DeletedDate  flexString                   `json:"deleted_date"`
	MessageState flexString                   `json:"message_state"`
	Text         flexString                   `json:"text"`
	TopicID      flexString                   `json:"topic_id"`
	MessageID    flexString                   `json:"message_id"`
	Files        lenientList[gchatFile]       `json:"attached_files"`
	Annotations  lenientList[gchatAnnotation] `json:"annotations"`
	Quote        lenient[gchatQuote]          `json:"quoted_message_metadata"`
}

// gchatSystemTexts are the texts that Google Chat writes in a person's name for an action of
// theirs (in English whatever the account's language, as a French export shows).
var gchatSystemTexts = map[string]bool{"Updated room membership.": true}

// gchatClean trims a name and makes it valid UTF-8 of bounded length.
func gchatClean(s flexString) string {
	return truncateUTF8(strings.ToValidUTF8(strings.TrimSpace(string(s)), "\uFFFD"), tgMaxName)
}

// gchatPeople names the people of one conversation: the author key of each, and the display
// form of the participants.
type gchatPeople struct {
	byEmail   map[string]string // lower-case e-mail → author
	display   map[string]string // author → "name <e-mail>"
	ambiguous map[string]bool   // names that two members with distinct addresses share
	members   []string          // the members' authors, in the order group_info lists them
	owner     string            // the account owner's lower-case e-mail, "" when unknown
}

func newGChatPeople(members []gchatUser, owner string) *gchatPeople {
	p := &gchatPeople{byEmail: map[string]string{}, display: map[string]string{}, ambiguous: map[string]bool{}, owner: owner}
	emailsOf := map[string]map[string]bool{}
	for _, u := range members {
		n, e := gchatClean(u.Name), strings.ToLower(gchatClean(u.Email))
		if n == "" || e == "" {
			continue
		}
		if emailsOf[n] == nil {
			emailsOf[n] = map[string]bool{}
		}
		emailsOf[n][e] = true
		if len(emailsOf[n]) > 1 {
			p.ambiguous[n] = true
		}
	}
	seen := map[string]bool{}
	for _, u := range members {
		if a := p.author(u); a != "" && !seen[a] {
			seen[a] = true
			p.members = append(p.members, a)
		}
	}
	return p
}

// author returns the author key of a user, recording it on first sight.
func (p *gchatPeople) author(u gchatUser) string {
	name, email := gchatClean(u.Name), gchatClean(u.Email)
	key := strings.ToLower(email)
	if a, ok := p.byEmail[key]; ok && key != "" {
		return a
	}
	a := name
	switch {
	case a == "":
		a = email
	case email != "" && p.ambiguous[name]:
		a = name + " (" + email + ")"
	}
	if key != "" {
		p.byEmail[key] = a
		if name != "" {
			p.display[a] = name + " <" + email + ">"
		}
	}
	return a
}

// title names a conversation without a name by its members other than the owner.
func (p *gchatPeople) title() string {
	var names []string
	for _, a := range p.members {
		if p.owner != "" && p.byEmail[p.owner] == a {
			continue
		}
		names = append(names, a)
	}
	return strings.Join(names, ", ")
}

// participants lists the members, then the authors who are not members (people who left).
func (p *gchatPeople) participants(c *Conversation) []Participant {
	var out []Participant
	seen := map[string]bool{}
	add := func(a string) {
		if a == "" || seen[a] {
			return
		}
		seen[a] = true
		out = append(out, Participant{ID: a, Name: p.display[a]})
	}
	for _, a := range p.members {
		add(a)
	}
	for i := range c.Messages {
		add(c.Messages[i].Author)
	}
	return out
}

// gchatPending is a quote to resolve once the conversation is read.
type gchatPending struct {
	msg          int
	author, text string
}

// gchatParser reads one messages.json into c.
type gchatParser struct {
	p       *problems
	opts    Options
	file    string // display name of the file, for positions
	people  *gchatPeople
	c       *Conversation
	ids     map[string]int // message id → index, for thread roots and quotes
	pending []gchatPending
	groupID string // the first segment of the first message id, for a conversation without a folder
}

func (gp *gchatParser) perr(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: gp.file, Line: line, Offset: off, Format: FormatGoogleChat, Msg: msg, Err: err}
}

// read streams the {"messages": [...]} document. A malformed message is a problem and the next
// one is read; a syntax error ends the file with a fatal error, the messages before it kept.
func (gp *gchatParser) read(r io.Reader) error {
	s := newJSONStream(gp.file, r, FormatGoogleChat)
	tok, err := s.dec.Token()
	if err == io.EOF {
		return gp.perr(0, 0, "empty messages file", nil)
	}
	if err != nil {
		return s.fatal(err, "")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		line, off := s.pos(0)
		return gp.perr(line, off, "not a Google Chat messages.json: the document is not a JSON object", nil)
	}
	sawMessages := false
	for {
		k, more, err := s.key()
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if k != "messages" {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		ok, err := s.openValue('[')
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		sawMessages = true
		for s.dec.More() {
			var gm gchatMessage
			line, off, bad, err := s.element(&gm)
			if err != nil {
				return err
			}
			if bad != nil {
				gp.p.add(bad)
				continue
			}
			gp.add(&gm, line, off)
		}
		if err := s.endArray(); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != io.EOF {
		gp.p.add(s.problem(0, s.dec.InputOffset(), "data after the end of the document ignored", nil))
	}
	if !sawMessages {
		return gp.perr(0, -1, `not a Google Chat messages.json: no "messages" array`, nil)
	}
	return nil
}

// gchatThreadRoot returns the id of the first message of the thread that id belongs to, when id
// is "<group>/<topic>/<message>" with a topic other than the message.
func gchatThreadRoot(id string) (string, bool) {
	g, rest, ok := strings.Cut(id, "/")
	if !ok {
		return "", false
	}
	topic, msg, ok := strings.Cut(rest, "/")
	if !ok || topic == "" || msg == "" || topic == msg || strings.Contains(msg, "/") {
		return "", false
	}
	return g + "/" + topic + "/" + topic, true
}

// add appends one message.
func (gp *gchatParser) add(gm *gchatMessage, line int, off int64) {
	c := gp.c
	m := Message{ID: strings.TrimSpace(string(gm.MessageID)), Line: line}
	if m.ID == "" {
		m.ID = strconv.Itoa(len(c.Messages) + 1)
	} else if gp.groupID == "" {
		if g, _, ok := strings.Cut(m.ID, "/"); ok {
			gp.groupID = g
		}
	}
	if gm.Creator.ok {
		m.Author = gp.people.author(gm.Creator.v)
	}
	perr := func(msg string, err error) *ParseError { return gp.perr(line, off, msg, err) }
	if d := strings.TrimSpace(string(gm.CreatedDate)); d != "" {
		t, err := parseGChatTime(d, gp.opts.location())
		if err != nil {
			gp.p.add(perr(fmt.Sprintf("message %q: time unknown", m.ID), err))
		} else {
			m.Time = t
		}
	}
	upd := strings.TrimSpace(string(gm.UpdatedDate))
	m.Edited = upd != "" && upd != strings.TrimSpace(string(gm.CreatedDate))
	m.Deleted = strings.EqualFold(strings.TrimSpace(string(gm.MessageState)), "DELETED") || strings.TrimSpace(string(gm.DeletedDate)) != ""
	text := strings.ToValidUTF8(string(gm.Text), "\uFFFD")
	m.Text = dceCap(gp.p, gp.opts, text, false, perr, m.ID)
	m.Attachments = gchatAttachments(gm)
	m.System = gchatSystemTexts[m.Text] && len(m.Attachments) == 0

	if gm.Quote.ok {
		q := gm.Quote.v
		if id := strings.TrimSpace(string(q.MessageID)); id != "" {
			m.ReplyTo = id
		} else if q.Text != "" || q.Creator.ok {
			qa := ""
			if q.Creator.ok {
				qa = gp.people.author(q.Creator.v)
			}
			qt := truncateUTF8(strings.ToValidUTF8(string(q.Text), "\uFFFD"), gp.opts.maxMessageBytes())
			gp.pending = append(gp.pending, gchatPending{msg: len(c.Messages), author: qa, text: qt})
		}
	}
	if m.ReplyTo == "" {
		if root, ok := gchatThreadRoot(m.ID); ok {
			if _, known := gp.ids[root]; known {
				m.ReplyTo = root
			}
		}
	}
	if _, dup := gp.ids[m.ID]; !dup {
		gp.ids[m.ID] = len(c.Messages)
	}
	c.Messages = append(c.Messages, m)
}

// gchatAttachments lists a message's files, then the links its annotations describe, each once.
func gchatAttachments(gm *gchatMessage) []Attachment {
	var out []Attachment
	seen := map[string]bool{}
	for _, f := range gm.Files {
		exp, orig := gchatClean(f.ExportName), gchatClean(f.OriginalName)
		name := orig
		if name == "" {
			name = exp
		}
		if name == "" {
			continue
		}
		out = append(out, Attachment{Kind: attachmentKindFromName(name, ""), Name: name, URL: exp})
	}
	link := func(kind AttachmentKind, name, url string) {
		if url == "" || seen[url] {
			return
		}
		seen[url] = true
		out = append(out, Attachment{Kind: kind, Name: name, URL: url})
	}
	for _, a := range gm.Annotations {
		if a.URL.ok && a.URL.v.URL.ok {
			link(AttachmentLink, gchatClean(a.URL.v.Title), gchatClean(a.URL.v.URL.v.Value))
		}
		if a.Drive.ok {
			if id := gchatClean(a.Drive.v.ID); id != "" {
				link(AttachmentLink, gchatClean(a.Drive.v.Title), "https://drive.google.com/open?id="+id)
			}
		}
		if a.YouTube.ok {
			if id := gchatClean(a.YouTube.v.ID); id != "" {
				link(AttachmentLink, "", "https://www.youtube.com/watch?v="+id)
			}
		}
	}
	return out
}

// finish resolves the quotes that named no id: the nearest earlier message of the quote's author
// (when it names one) and text.
func (gp *gchatParser) finish() {
	if len(gp.pending) == 0 {
		return
	}
	ms := gp.c.Messages
	for _, q := range gp.pending {
		for i := q.msg - 1; i >= 0; i-- {
			if ms[i].Text == q.text && (q.author == "" || ms[i].Author == q.author) && !ms[i].System {
				ms[q.msg].ReplyTo = ms[i].ID
				break
			}
		}
	}
	gp.pending = nil
}

// gchatConvID returns a conversation's id: the folder's name when it is a conversation folder,
// else the group id of the message ids, else the file's stem.
func gchatConvID(dir, groupID, file string) string {
	if gchatGroupDir.MatchString(dir) {
		return dir
	}
	if groupID != "" {
		return groupID
	}
	if s := fileStem(file); s != "" && s != "messages" {
		return s
	}
	return "google-chat"
}

// gchatReader serves the conversation of a lone messages.json, read at the first call to Next. A
// read error keeps the messages read before it.
type gchatReader struct {
	problems
	name string
	r    io.Reader
	opts Options
	cur  *Conversation
	err  error
	done bool
}

func newGoogleChatReader(name string, r io.Reader, o Options) (Reader, error) {
	return &gchatReader{name: name, r: r, opts: o}, nil
}

func (r *gchatReader) Conversation() *Conversation { return r.cur }
func (r *gchatReader) Err() error                  { return r.err }
func (r *gchatReader) Format() Format              { return FormatGoogleChat }
func (r *gchatReader) Close() error                { return nil }

func (r *gchatReader) Next() bool {
	r.cur = nil
	if r.done {
		return false
	}
	r.done = true
	c := &Conversation{Platform: googleChatPlatform}
	gp := &gchatParser{p: &r.problems, opts: r.opts, file: r.name, people: newGChatPeople(nil, ""), c: c, ids: map[string]int{}}
	r.err = gp.read(r.r)
	if len(c.Messages) == 0 {
		return false
	}
	gp.finish()
	dir := path.Base(path.Dir(strings.ReplaceAll(r.name, `\`, "/")))
	c.ID = gchatConvID(dir, gp.groupID, r.name)
	c.Participants = gp.people.participants(c)
	finishConversation(c, r.name, FormatGoogleChat, googleChatReaderVersion, r.opts)
	r.cur = c
	return true
}

// gchatGroup is one conversation folder of an export.
type gchatGroup struct {
	dir      string // path in the file system, "." for the root
	messages string // its messages.json
	info     string // its group_info.json, "" when missing
	users    string // the Users folder beside its Groups folder, "" when none
}

// googleChatGroups finds the conversation folders among a file system's files: folders holding
// messages.json beside group_info.json, or inside a folder named Groups. It also counts the files
// that belong to none of them nor to their Google Chat folder (the parent of Groups): the other
// products of a Takeout.
func googleChatGroups(names []string) (groups []gchatGroup, other int) {
	has := make(map[string]bool, len(names))
	for _, n := range names {
		has[n] = true
	}
	ours := map[string]bool{} // group folders and Google Chat folders
	for _, n := range names {
		if path.Base(n) != "messages.json" {
			continue
		}
		d := path.Dir(n)
		info := path.Join(d, "group_info.json")
		parent := path.Dir(d)
		inGroups := d != "." && strings.EqualFold(path.Base(parent), "Groups")
		if !has[info] && !inGroups {
			continue
		}
		g := gchatGroup{dir: d, messages: n}
		if has[info] {
			g.info = info
		}
		if inGroups {
			root := path.Dir(parent)
			g.users = path.Join(root, "Users")
			ours[root] = true
		}
		ours[d] = true
		groups = append(groups, g)
	}
	if len(groups) == 0 {
		return nil, 0
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].dir < groups[j].dir })
	if ours["."] {
		return groups, 0 // the root is a conversation or Google Chat folder: every file is its
	}
	for _, n := range names {
		d := path.Dir(n)
		for d != "." && !ours[d] {
			d = path.Dir(d)
		}
		if d == "." {
			other++
		}
	}
	return groups, other
}

// isGoogleChatFS reports whether a folder or archive holds Google Chat conversation folders, or
// is a part of a split Takeout that holds only some of their files (see gchatPartOnly).
func isGoogleChatFS(names []string) bool {
	g, _ := googleChatGroups(names)
	return len(g) > 0 || gchatPartOnly(names)
}

// gchatPartOnly reports whether names hold files of Takeout's Google Chat/Groups/ folder: when
// Takeout splits a large export into several zips, a part can hold a conversation's attachments
// while its messages.json is in another part.
func gchatPartOnly(names []string) bool {
	for _, n := range names {
		if strings.Contains("/"+n, "/Google Chat/Groups/") {
			return true
		}
	}
	return false
}

// gchatFSReader reads the conversation folders of an export one at a time. A folder that cannot
// be read is a problem, and the next one is read.
type gchatFSReader struct {
	problems
	exportFS
	names  []string
	opts   Options
	groups []gchatGroup
	owners map[string]string // Users folder → owner's lower-case e-mail
	cur    *Conversation
}

func (r *gchatFSReader) Conversation() *Conversation { return r.cur }
func (r *gchatFSReader) Err() error                  { return nil }
func (r *gchatFSReader) Format() Format              { return FormatGoogleChat }
func (r *gchatFSReader) Close() error                { return nil }

func newGoogleChatFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	groups, other := googleChatGroups(names)
	if len(groups) == 0 && gchatPartOnly(names) {
		r := &gchatFSReader{exportFS: exportFS{fsys: fsys, name: name}, names: names, opts: o}
		r.add(&ParseError{File: name, Offset: -1, Format: FormatGoogleChat,
			Msg: "Google Chat files but no messages.json here: a part of a split Takeout, whose conversations are in another part"})
		return r, nil
	}
	if len(groups) == 0 {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatGoogleChat, Err: ErrUnknownFormat,
			Msg: "no Google Chat conversation here: no folder holding messages.json beside group_info.json or in Groups/"}
	}
	r := &gchatFSReader{exportFS: exportFS{fsys: fsys, name: name}, names: names, opts: o, groups: groups, owners: map[string]string{}}
	if other > 0 {
		r.add(&ParseError{File: name, Offset: -1, Format: FormatGoogleChat,
			Msg: fmt.Sprintf("%d file(s) of other Google products passed over: only Google Chat is read", other)})
	}
	return r, nil
}

// owner returns the account owner's lower-case e-mail from the user_info.json of a Users folder,
// read once; "" when there is none or it names no address.
func (r *gchatFSReader) owner(users string) string {
	if users == "" {
		return ""
	}
	if o, ok := r.owners[users]; ok {
		return o
	}
	r.owners[users] = ""
	prefix := users + "/"
	if users == "." {
		prefix = ""
	}
	for _, n := range r.names {
		if !strings.HasPrefix(n, prefix) || path.Base(n) != "user_info.json" {
			continue
		}
		if e := r.readOwner(n); e != "" {
			r.owners[users] = e
			break
		}
	}
	return r.owners[users]
}

// readOwner reads the "user" of a user_info.json, stopping once it is read (the membership list
// after it can be long).
func (r *gchatFSReader) readOwner(p string) string {
	in, c, err := r.open(p)
	if err != nil {
		r.add(&ParseError{File: r.display(p), Offset: -1, Format: FormatGoogleChat, Msg: "account file unreadable", Err: err})
		return ""
	}
	defer c.Close()
	s := newJSONStream(r.display(p), in, FormatGoogleChat)
	err = s.begin()
	for err == nil {
		var k string
		var more bool
		if k, more, err = s.key(); err != nil || !more {
			break
		}
		if k != "user" {
			err = s.skip()
			continue
		}
		var u lenient[gchatUser]
		if err = s.dec.Decode(&u); err == nil {
			return strings.ToLower(gchatClean(u.v.Email))
		}
	}
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			pe = &ParseError{File: r.display(p), Offset: -1, Format: FormatGoogleChat, Err: err}
		}
		pe.Msg = strings.TrimSuffix("account file unreadable: "+pe.Msg, ": ")
		r.add(pe)
	}
	return ""
}

// gchatInfo is group_info.json.
type gchatInfo struct {
	Name    flexString             `json:"name"`
	Members lenientList[gchatUser] `json:"members"`
}

// readInfo reads a group_info.json; a bad one is a problem and the conversation is read without it.
func (r *gchatFSReader) readInfo(p string) gchatInfo {
	var info gchatInfo
	in, c, err := r.open(p)
	if err == nil {
		defer c.Close()
		var b []byte
		b, err = io.ReadAll(io.LimitReader(in, gchatMaxSideFile+1))
		switch {
		case err != nil:
		case len(b) > gchatMaxSideFile:
			err = fmt.Errorf("file larger than %d MiB: %w", gchatMaxSideFile>>20, ErrTooLarge)
		default:
			if err = json.Unmarshal(b, &info); err == nil {
				return info
			}
			var se *json.SyntaxError
			line, off := 0, int64(-1)
			if errors.As(err, &se) {
				off = se.Offset
				line = newLineCounter(b)(off)
			}
			r.add(&ParseError{File: r.display(p), Line: line, Offset: off, Format: FormatGoogleChat,
				Msg: "conversation description unreadable: the conversation is read without it", Err: err})
			return gchatInfo{}
		}
	}
	r.add(&ParseError{File: r.display(p), Offset: -1, Format: FormatGoogleChat,
		Msg: "conversation description unreadable: the conversation is read without it", Err: err})
	return gchatInfo{}
}

// Next reads the next conversation folder that holds messages.
func (r *gchatFSReader) Next() bool {
	r.cur = nextFrom(&r.groups, r.readGroup)
	return r.cur != nil
}

func (r *gchatFSReader) readGroup(g gchatGroup) *Conversation {
	var info gchatInfo
	if g.info != "" {
		info = r.readInfo(g.info)
	}
	people := newGChatPeople(info.Members, r.owner(g.users))
	c := &Conversation{Platform: googleChatPlatform, Title: gchatClean(info.Name)}
	if c.Title == "" {
		c.Title = people.title()
	}
	file := r.display(g.messages)
	gp := &gchatParser{p: &r.problems, opts: r.opts, file: file, people: people, c: c, ids: map[string]int{}}
	in, closer, err := r.open(g.messages)
	if err != nil {
		r.add(&ParseError{File: file, Offset: -1, Format: FormatGoogleChat, Msg: "conversation skipped", Err: err})
		return nil
	}
	err = gp.read(in)
	_ = closer.Close()
	if err != nil {
		r.addReadErr(err, file, FormatGoogleChat, len(c.Messages) > 0)
	}
	if len(c.Messages) == 0 {
		return nil
	}
	gp.finish()
	dir := path.Base(g.dir)
	if g.dir == "." {
		dir = pathBase(strings.TrimRight(r.name, `/\`))
	}
	c.ID = gchatConvID(dir, gp.groupID, g.messages)
	c.Participants = people.participants(c)
	finishConversation(c, r.display(g.dir), FormatGoogleChat, googleChatReaderVersion, r.opts)
	return c
}
