package corpus

// Reader of Instagram and Facebook Messenger "Download your information" JSON threads
// (messages/inbox/<thread>/message_1.json, message_2.json, ...). A file:
//
//	{"participants":[{"name"}], "messages":[{"sender_name","timestamp_ms","content","type",
//	  "is_unsent","photos":[{"uri","creation_timestamp"}],"videos","audio_files","gifs","files",
//	  "sticker":{"uri"},"share":{"link","share_text"},"call_duration","users":[{"name"}],"reactions"}],
//	 "title","is_still_participant","thread_type","thread_path":"inbox/<thread>","magic_words",
//	 "image","joinable_mode"}
//
// Messages are newest first within a file, and message_1.json holds the newest ones; the reader
// outputs them oldest first and numbers them "1", "2", ... in that order.
//
// Every string is mojibake: Meta writes each byte of the UTF-8 text as its own \u00XX escape, so
// "é" arrives as "Ã©". [repairMojibake] undoes it.
//
// Platform: "instagram" or "messenger", decided by the first rule that applies:
//  1. the file path names it ("instagram" → instagram; "facebook" or "messenger" → messenger);
//  2. a media uri names it ("your_instagram_activity/..." → instagram; "your_facebook_activity/...",
//     "your_activity_across_facebook/..." → messenger);
//  3. messages carry "type" ("Generic", "Share", ...) or "is_unsent": messenger, since current
//     Instagram exports no longer write these keys and Messenger exports still do (in HTML pages:
//     the classes of Facebook's older pages, "_2lej");
//  4. a shared link to instagram.com: instagram;
//  5. otherwise instagram (the layout without "type" is Instagram's current one).

import (
	"bufio"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const metaReaderVersion = "meta/1"

// repairMojibake undoes Meta's encoding of UTF-8 bytes as \u00XX code points: when every rune of s
// is below U+0100 and those runes, taken as bytes, form valid UTF-8, that decoding is returned.
// Other strings (plain ASCII, text already correct such as "café" or "日本") are returned unchanged.
func repairMojibake(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 0x100 || r == utf8.RuneError {
			return s
		}
		b = append(b, byte(r))
	}
	if !utf8.Valid(b) {
		return s
	}
	return string(b)
}

// sniffMeta recognizes both forms of a Meta thread: message_N.json and message_N.html.
func sniffMeta(name string, head []byte) int {
	if !headIsObject(head) {
		return sniffMetaHTML(name, head)
	}
	switch {
	case headHasKey(head, "sender_name") && headHasKey(head, "timestamp_ms"):
		return 98
	case headHasKey(head, "participants") && headHasKey(head, "thread_path"):
		return 90
	case headHasKey(head, "participants") && headHasKey(head, "messages") && headHasKey(head, "is_still_participant"):
		return 90
	}
	return 0
}

type metaURI struct {
	URI flexString `json:"uri"`
}

type metaMessage struct {
	SenderName  flexString  `json:"sender_name"`
	TimestampMS flexString  `json:"timestamp_ms"`
	Content     *flexString `json:"content"`
	Type        *flexString `json:"type"`
	IsUnsent    *bool       `json:"is_unsent"`
	Photos      []metaURI   `json:"photos"`
	Videos      []metaURI   `json:"videos"`
	AudioFiles  []metaURI   `json:"audio_files"`
	Gifs        []metaURI   `json:"gifs"`
	Files       []metaURI   `json:"files"`
	Sticker     *metaURI    `json:"sticker"`
	Share       *struct {
		Link      flexString `json:"link"`
		ShareText flexString `json:"share_text"`
	} `json:"share"`
	CallDuration *flexString `json:"call_duration"`
	Users        []struct {
		Name flexString `json:"name"`
	} `json:"users"`
}

// metaThread accumulates one thread, possibly over several message_N.json files.
type metaThread struct {
	title, threadPath string
	participants      []string
	msgs              []metaMsg
	// Platform evidence (see the file comment).
	pathSays, uriSays string
	hasType, igLink   bool
}

// metaMsg is a message with its sort key.
type metaMsg struct {
	ms  int64
	seq int // order of reading, to keep ties stable
	m   Message
}

// parseMetaFile reads one message_N.json into th. Non-fatal problems go to p; a fatal error is
// returned (what was read before it stays in th).
func parseMetaFile(s *jsonStream, p *problems, o Options, th *metaThread) error {
	if err := s.begin(); err != nil {
		return err
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
		switch k {
		case "participants":
			var ps []struct {
				Name flexString `json:"name"`
			}
			line, off, bad, err := s.element(&ps)
			if err != nil {
				return err
			}
			if bad != nil {
				p.add(s.problem(line, off, "unreadable participants", bad.Err))
			}
			for _, x := range ps {
				if n := repairMojibake(string(x.Name)); n != "" && !containsString(th.participants, n) {
					th.participants = append(th.participants, n)
				}
			}
		case "title", "thread_path":
			v, err := s.str()
			if err != nil {
				return err
			}
			v = repairMojibake(v)
			if k == "title" && th.title == "" {
				th.title = v
			} else if k == "thread_path" && th.threadPath == "" {
				th.threadPath = v
			}
		case "messages":
			ok, err := s.openValue('[')
			if err != nil {
				return err
			}
			if !ok {
				p.add(s.errorf(`"messages" is not an array`))
				continue
			}
			sawMessages = true
			for s.dec.More() {
				var mm metaMessage
				line, off, bad, err := s.element(&mm)
				if err != nil {
					return err
				}
				if bad != nil {
					p.add(bad)
					continue
				}
				th.add(&mm, s, p, o, line, off)
			}
			if err := s.endArray(); err != nil {
				return err
			}
		default:
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
	if _, err := s.dec.Token(); err != io.EOF {
		p.add(s.problem(0, s.dec.InputOffset(), "data after the end of the document ignored", nil))
	}
	if !sawMessages {
		return &ParseError{File: s.name, Offset: -1, Format: FormatMeta, Msg: `not an Instagram or Messenger thread: no "messages" array`}
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (th *metaThread) add(mm *metaMessage, s *jsonStream, p *problems, o Options, line int, off int64) {
	m := Message{Author: repairMojibake(string(mm.SenderName)), Line: line}
	var ms int64
	if mm.TimestampMS != "" {
		v, err := strconv.ParseFloat(string(mm.TimestampMS), 64)
		if err != nil {
			p.add(s.problem(line, off, "message time unknown", err))
		} else {
			ms = int64(v)
			m.Time = time.UnixMilli(ms).UTC()
		}
	}
	if mm.Content != nil {
		m.Text = repairMojibake(string(*mm.Content))
	}
	typ := ""
	if mm.Type != nil {
		th.hasType = true
		typ = string(*mm.Type)
	}
	if mm.IsUnsent != nil {
		th.hasType = true
		m.Deleted = *mm.IsUnsent
	}
	media := func(list []metaURI, kind AttachmentKind) {
		for _, u := range list {
			uri := repairMojibake(string(u.URI))
			th.noteURI(uri)
			m.Attachments = append(m.Attachments, Attachment{Kind: kind, Name: lastPathElem(uri), URL: uri})
		}
	}
	media(mm.Photos, AttachmentImage)
	media(mm.Videos, AttachmentVideo)
	media(mm.AudioFiles, AttachmentAudio)
	media(mm.Gifs, AttachmentGIF)
	media(mm.Files, AttachmentFile)
	if mm.Sticker != nil {
		media([]metaURI{*mm.Sticker}, AttachmentSticker)
	}
	if sh := mm.Share; sh != nil {
		link := repairMojibake(string(sh.Link))
		if strings.Contains(strings.ToLower(link), "instagram.com/") {
			th.igLink = true
		}
		if link != "" {
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentLink, URL: link})
		} else if sh.ShareText != "" {
			// A share without a link is a live location (its share_text says until when).
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentLocation})
		}
	}
	switch typ {
	case "Call":
		m.System = true
		m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentCall})
	case "Subscribe", "Unsubscribe":
		m.System = true
		if m.Text == "" {
			var names []string
			for _, u := range mm.Users {
				names = append(names, repairMojibake(string(u.Name)))
			}
			verb := " added "
			if typ == "Unsubscribe" {
				verb = " removed "
			}
			m.Text = m.Author + verb + strings.Join(names, ", ")
		}
	default:
		switch {
		case mm.CallDuration != nil && typ == "": // Instagram calls carry call_duration without "type"
			m.System = true
			m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentCall})
		case isMetaReactionNotice(m.Text):
			m.System = true
		}
	}
	m.Text = capText(p, s, o, m.Text, th.threadPath, "", line, off)
	th.msgs = append(th.msgs, metaMsg{ms: ms, seq: len(th.msgs), m: m})
}

// isMetaReactionNotice reports whether an Instagram message text is the notice that the export writes
// for a reaction ("Reacted ❤ to your message", "Liked a message"): the reaction is not a message.
func isMetaReactionNotice(text string) bool {
	return text == "Liked a message" ||
		(strings.HasPrefix(text, "Reacted ") && strings.HasSuffix(text, " to your message") && len(text) < 64)
}

func (th *metaThread) noteURI(uri string) {
	if th.uriSays != "" {
		return
	}
	if p := platformFromPath(uri); p != "" {
		th.uriSays = p
	}
}

// platformFromPath returns "instagram" or "messenger" when a path names one, else "".
func platformFromPath(p string) string {
	p = strings.ToLower(p)
	switch {
	case strings.Contains(p, "instagram"):
		return "instagram"
	case strings.Contains(p, "facebook") || strings.Contains(p, "messenger"):
		return "messenger"
	}
	return ""
}

func (th *metaThread) platform() string {
	switch {
	case th.pathSays != "":
		return th.pathSays
	case th.uriSays != "":
		return th.uriSays
	case th.hasType:
		return "messenger"
	}
	return "instagram"
}

// conversation sorts the thread's messages oldest first and builds the conversation.
func (th *metaThread) conversation(id, file string, o Options) *Conversation {
	msgs := th.msgs
	// Files are newest first: reverse to oldest first, then sort stably by time (which also merges
	// several files in any order).
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].ms < msgs[j].ms })
	c := &Conversation{ID: th.threadPath, Platform: th.platform(), Title: th.title, Messages: make([]Message, len(msgs))}
	if c.ID == "" {
		c.ID = id
	}
	for i := range msgs {
		c.Messages[i] = msgs[i].m
		c.Messages[i].ID = strconv.Itoa(i + 1)
	}
	seen := map[string]bool{}
	for _, n := range th.participants {
		seen[n] = true
		c.Participants = append(c.Participants, Participant{ID: n})
	}
	for _, a := range c.Authors() { // former members are not listed in "participants"
		if !seen[a] {
			seen[a] = true
			c.Participants = append(c.Participants, Participant{ID: a})
		}
	}
	finishConversation(c, file, FormatMeta, metaReaderVersion, o)
	return c
}

// metaReader reads one message_N.json stream: one thread.
type metaReader struct {
	jsonReaderBase
}

// newMetaReader reads message_N.json, or a message_N.html page when the input starts with '<'.
func newMetaReader(name string, r io.Reader, o Options) (Reader, error) {
	br, markup := startsWithMarkup(r)
	if markup {
		return &metaHTMLReader{name: name, r: br, opts: o}, nil
	}
	return &metaReader{jsonReaderBase{s: newJSONStream(name, br, FormatMeta), opts: o, format: FormatMeta}}, nil
}

// metaHTMLReader reads one message_N.html page: one thread.
type metaHTMLReader struct {
	problems
	name string
	r    io.Reader
	opts Options
	cur  *Conversation
	err  error
	done bool
}

func (r *metaHTMLReader) Conversation() *Conversation { return r.cur }
func (r *metaHTMLReader) Err() error                  { return r.err }
func (r *metaHTMLReader) Format() Format              { return FormatMeta }
func (r *metaHTMLReader) Close() error                { return nil }

// Next reads the page. After a read error, the messages read before it are still returned, and
// Err reports the error.
func (r *metaHTMLReader) Next() bool {
	r.cur = nil
	if r.done {
		return false
	}
	r.done = true
	th := &metaThread{pathSays: platformFromPath(r.name)}
	if err := parseMetaHTMLFile(r.name, r.r, &r.problems, r.opts, th); err != nil {
		r.err = err
		if len(th.msgs) == 0 {
			return false
		}
	}
	r.cur = th.conversation(metaThreadFileID(r.name), r.name, r.opts)
	return true
}

// metaThreadFileID is the conversation id of a thread read from one file: the file's name without
// its extension.
func metaThreadFileID(name string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	return strings.TrimSuffix(strings.TrimSuffix(base, ".json"), ".html")
}

func (r *metaReader) Next() bool {
	r.cur = nil
	if r.done {
		return false
	}
	r.done = true
	th := &metaThread{pathSays: platformFromPath(r.s.name)}
	if err := parseMetaFile(r.s, &r.problems, r.opts, th); err != nil {
		return r.fail(err)
	}
	r.cur = th.conversation(metaThreadFileID(r.s.name), r.s.name, r.opts)
	return true
}

// metaFSReader reads the threads of a folder or archive, one thread (folder) at a time, merging its
// message_N.json (or message_N.html) files.
type metaFSReader struct {
	problems
	fsys    fs.FS
	name    string
	opts    Options
	threads [][]string // per thread folder, its message_N.json paths in order
	cur     *Conversation
}

func newMetaFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	byDir := map[string][]string{}
	hasJSON := map[string]bool{}
	var dirs []string
	for _, n := range names {
		if metaFileNumber(path.Base(n)) < 0 {
			continue
		}
		d := path.Dir(n)
		if _, ok := byDir[d]; !ok {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], n)
		if strings.HasSuffix(n, ".json") {
			hasJSON[d] = true
		}
	}
	if len(dirs) == 0 {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatMeta, Err: ErrUnknownFormat, Msg: "no message_N.json or message_N.html file in this folder or archive"}
	}
	sort.Strings(dirs)
	r := &metaFSReader{fsys: fsys, name: name, opts: o}
	for _, d := range dirs {
		files := byDir[d]
		if hasJSON[d] {
			// A thread downloaded in both forms: the JSON one, whose times are exact, alone.
			files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, ".html") })
		}
		sort.SliceStable(files, func(i, j int) bool {
			return metaFileNumber(path.Base(files[i])) < metaFileNumber(path.Base(files[j]))
		})
		r.threads = append(r.threads, files)
	}
	return r, nil
}

// metaFolderID is the id of a thread read from its folder when its files do not name it (HTML
// pages have no thread_path): the folder's name, after the mailbox it is in as thread_path writes
// it ("inbox/sam_123", "message_requests/x_456": a message request is a first contact from someone
// the account does not follow, which matters to whoever reads the report).
func metaFolderID(dir string) string {
	id := path.Base(dir)
	switch box := path.Base(path.Dir(dir)); box {
	case "inbox", "message_requests", "archived_threads", "filtered_threads", "e2ee_cutover":
		return box + "/" + id
	}
	return id
}

// metaFileNumber returns N for "message_N.json" or "message_N.html", else -1.
func metaFileNumber(base string) int {
	s, ok := strings.CutPrefix(base, "message_")
	if !ok {
		return -1
	}
	if s, ok = strings.CutSuffix(s, ".json"); !ok {
		if s, ok = strings.CutSuffix(s, ".html"); !ok {
			return -1
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func (r *metaFSReader) Conversation() *Conversation { return r.cur }
func (r *metaFSReader) Err() error                  { return nil }
func (r *metaFSReader) Format() Format              { return FormatMeta }
func (r *metaFSReader) Close() error                { return nil }

// Next reads the next thread folder. A file that cannot be read or parsed is reported as a problem
// and the thread is built from what was read; the other threads are not affected.
func (r *metaFSReader) Next() bool {
	r.cur = nil
	for len(r.threads) > 0 {
		files := r.threads[0]
		r.threads = r.threads[1:]
		dir := path.Dir(files[0])
		file := r.name
		if dir != "." {
			file = joinDisplay(r.name, dir)
		}
		th := &metaThread{pathSays: platformFromPath(file)}
		parsed := 0
		for _, f := range files {
			display := joinDisplay(r.name, f)
			fh, err := r.fsys.Open(f)
			if err != nil {
				r.add(&ParseError{File: display, Offset: -1, Format: FormatMeta, Msg: "open", Err: err})
				continue
			}
			if strings.HasSuffix(f, ".html") {
				err = parseMetaHTMLFile(display, decodeInput(bufio.NewReaderSize(fh, sniffBytes)), &r.problems, r.opts, th)
			} else {
				err = parseMetaFile(newJSONStream(display, fh, FormatMeta), &r.problems, r.opts, th)
			}
			_ = fh.Close()
			if err != nil {
				pe, ok := err.(*ParseError)
				if !ok {
					pe = &ParseError{File: display, Offset: -1, Format: FormatMeta, Err: err}
				}
				r.add(pe)
				continue
			}
			parsed++
		}
		if len(th.msgs) == 0 && parsed == 0 {
			continue
		}
		if len(files) > 1 {
			// Lines would point into different files under one Source.File: leave them unknown.
			for i := range th.msgs {
				th.msgs[i].m.Line = 0
			}
		}
		id := metaFolderID(dir)
		if dir == "." {
			id = path.Base(strings.ReplaceAll(r.name, `\`, "/"))
		}
		r.cur = th.conversation(id, file, r.opts)
		return true
	}
	return false
}

// joinDisplay joins a folder or archive name and a slash-separated path inside it, for messages.
// nextFrom takes items off the front of queue until read makes a conversation of one (a folder
// reader's Next: an item that holds no message is passed over); nil when the queue runs out.
func nextFrom[T any](queue *[]T, read func(T) *Conversation) *Conversation {
	for len(*queue) > 0 {
		it := (*queue)[0]
		*queue = (*queue)[1:]
		if c := read(it); c != nil {
			return c
		}
	}
	return nil
}

// exportFS is the folder or archive of an export that a reader reads file by file.
type exportFS struct {
	fsys fs.FS
	name string // the folder or archive as the user named it, for messages
}

// display names a path of the export in messages.
func (e *exportFS) display(p string) string {
	if p == "." {
		return e.name
	}
	return joinDisplay(e.name, p)
}

// open opens a file of the export, decoded as NewReader decodes its input.
func (e *exportFS) open(p string) (io.Reader, io.Closer, error) {
	f, err := e.fsys.Open(p)
	if err != nil {
		return nil, nil, err
	}
	return stripBOM(decodeInput(bufio.NewReaderSize(f, sniffBytes))), f, nil
}

func joinDisplay(root, p string) string {
	if root == "" {
		return p
	}
	return strings.TrimRight(root, `/\`) + "/" + p
}
