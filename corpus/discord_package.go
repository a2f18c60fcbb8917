package corpus

// Reader of Discord's own data package: User Settings → Data & Privacy → Request all of my Data
// (FR: Paramètres utilisateur → Données et confidentialité → Demander toutes mes données), a
// package.zip that Discord mails to the account. It is read as the format "discord", beside the
// DiscordChatExporter forms: a package folder or archive is told by its layout (see
// isDiscordPackageFS), a lone messages.json by its capitalized keys, a lone messages.csv by its
// header.
//
// Layout, as the open-source readers of the package parse it (DiscordChatExporter's
// Discord/Dump/DataDump.cs, aamiaa/Data-Package-Tool, purarue/discord_data, Androz2091 and
// peterhanania's package explorers, the "Discord Schema" notes of the Memoria project), and as
// their issue trackers report its changes:
//
//	account/user.json            {"id","username","discriminator","global_name",...} (can be 100 MB)
//	messages/index.json          {"<channel id>": "Direct Message with name#0" | "general in Server" | null}
//	messages/c<channel id>/channel.json   {"id","type","recipients":[user ids],"name","guild":{"id","name"}}
//	messages/c<channel id>/messages.json  [{"ID":123,"Timestamp":"2023-01-05 18:04:12","Contents":"…","Attachments":"URL URL"}]
//	servers/, activity/, …       not read
//
// The generations differ in these points:
//   - before mid-2021 the channel folders were named <channel id>, then c<channel id>;
//   - messages were messages.csv (header ID,Timestamp,Contents,Attachments; times such as
//     "2020-08-25 22:54:05.726000+00:00"), then messages.json (times "2021-10-13 15:35:46",
//     whole seconds without a zone; ID a JSON number);
//   - channel "type" was Discord's number (1 a DM, 3 a group DM), then a name ("DM", "GROUP_DM",
//     "GUILD_TEXT", "PUBLIC_THREAD");
//   - since mid-2025 the top folders are capitalized (Account/, Messages/) and translated into the
//     account's language (Wiadomości/, メッセージ/); the files inside keep their names.
//
// The layout is therefore found by its files, not by folder names: a folder holding channel.json
// beside messages.json or messages.csv, named c<id> or <id>, is a channel; its parent, with
// index.json, is the messages folder; a user.json in a sibling folder names the account.
//
// Times are UTC: the times of the sample messages in those sources agree, to the second, with the
// creation time that Discord writes into each message id (a snowflake: milliseconds since
// 2015-01-01 UTC, shifted 22 bits). A message whose time is missing or unreadable gets the time of
// its id, and a problem says so.
//
// The package holds the account owner's messages only: what the others wrote is not in it. Every
// message is the owner's (Message.Author is the user name, with "#discriminator" for accounts that
// still have one, as the DiscordChatExporter readers write authors; "me" when no user.json is
// given), one problem per package says that the other side is missing, and [OneSided] lets callers
// tell such conversations apart: silence in them means nothing, and no one can be named a suspect
// from them.

import (
	"bytes"
	"encoding/csv"
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
	"time"
)

const discordPackageReaderVersion = "discord-package/1"

// discordPackageOwner is the author of the messages when the package's user.json is not given.
const discordPackageOwner = "me"

// discordPackageOwnerOnly is the problem that every package reader reports once.
const discordPackageOwnerOnly = "a Discord data package holds only the account owner's messages: " +
	"the other side of each conversation is not in it"

// OneSided reports whether c holds the messages of one side only: a conversation read from a
// Discord data package, which keeps the account owner's messages and none of the others'. The
// missing side is not silence, and no one can be named a suspect from such a conversation. The
// mark survives the canonical JSONL (it is read from Source.Reader).
func OneSided(c *Conversation) bool {
	return strings.HasPrefix(c.Source.Reader, "discord-package/")
}

// dpkgChannelDir matches the name of a channel folder: c<id> (current) or <id> (before mid-2021).
var dpkgChannelDir = regexp.MustCompile(`^c?[0-9]{1,20}$`)

// dpkgCSVColumns are the columns of messages.csv, lower case.
var dpkgCSVColumns = [...]string{"id", "timestamp", "contents", "attachments"}

// dpkgIsCSVHeader reports whether line (without its line end) is the header of a package's
// messages.csv, with or without quotes.
func dpkgIsCSVHeader(line []byte) bool {
	line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))
	f := strings.Split(string(line), ",")
	if len(f) != len(dpkgCSVColumns) {
		return false
	}
	for i, h := range f {
		if !strings.EqualFold(strings.Trim(strings.TrimSpace(h), `"`), dpkgCSVColumns[i]) {
			return false
		}
	}
	return true
}

// sniffDiscordPackage recognizes a lone messages.json (an array whose first object has the
// capitalized keys "ID", "Timestamp" and "Contents" or "Attachments": no other export writes them)
// or messages.csv (its header) of a Discord data package.
func sniffDiscordPackage(head []byte) int {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && t[0] == '[' {
		if headHasKey(t, "ID") && headHasKey(t, "Timestamp") && (headHasKey(t, "Contents") || headHasKey(t, "Attachments")) {
			return 95
		}
		return 0
	}
	line := t
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if dpkgIsCSVHeader(line) {
		return 96
	}
	return 0
}

// parseDiscordPackageTime reads a package time: "2006-01-02 15:04:05" (UTC), optionally with a
// fraction and an offset ("+00:00"), or with 'T' between date and time.
func parseDiscordPackageTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 19 || (s[10] != ' ' && s[10] != 'T') {
		return time.Time{}, false
	}
	layouts := [...]string{"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05Z0700", "2006-01-02 15:04:05"}
	if s[10] == 'T' {
		layouts = [...]string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// snowflakeTime is the creation time that Discord writes into an id.
func snowflakeTime(id string) (time.Time, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(n>>22) + 1420070400000).UTC(), true
}

// dpkgAttachments is the Attachments field: URLs joined by spaces (every known generation), or,
// should a package write it so, an array of URLs or of objects with a "url".
type dpkgAttachments []string

func (a *dpkgAttachments) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*a = nil
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		for _, it := range items {
			var u struct {
				URL flexString `json:"url"`
			}
			var s flexString
			if json.Unmarshal(it, &s) != nil && json.Unmarshal(it, &u) == nil {
				s = u.URL
			}
			if s != "" {
				*a = append(*a, string(s))
			}
		}
		return nil
	}
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*a = strings.Fields(string(s))
	return nil
}

type dpkgMessage struct {
	ID          flexString      `json:"ID"`
	Timestamp   flexString      `json:"Timestamp"`
	Contents    flexString      `json:"Contents"`
	Attachments dpkgAttachments `json:"Attachments"`
}

// dpkgParser reads the messages file of one channel into c.
type dpkgParser struct {
	p     *problems
	opts  Options
	file  string // display name of the messages file, for positions
	owner string
	c     *Conversation
}

func (p *dpkgParser) perr(line int, off int64, msg string, err error) *ParseError {
	return &ParseError{File: p.file, Line: line, Offset: off, Format: FormatDiscord, Msg: msg, Err: err}
}

// add appends one message. ts and atts as the package writes them.
func (p *dpkgParser) add(id, ts, contents string, atts []string, line int, off int64) {
	m := Message{ID: id, Author: p.owner, Line: line}
	if m.ID == "" {
		m.ID = strconv.Itoa(len(p.c.Messages) + 1)
	}
	if t, ok := parseDiscordPackageTime(ts); ok {
		m.Time = t
	} else if t, ok := snowflakeTime(id); ok {
		m.Time = t
		what := "missing"
		if strings.TrimSpace(ts) != "" {
			what = "unreadable"
		}
		p.p.add(p.perr(line, off, fmt.Sprintf("message %q: time %s, taken from the message id", m.ID, what), nil))
	} else if strings.TrimSpace(ts) != "" {
		p.p.add(p.perr(line, off, fmt.Sprintf("message %q: time unknown", m.ID), nil))
	}
	perr := func(msg string, err error) *ParseError { return p.perr(line, off, msg, err) }
	m.Text = dceCap(p.p, p.opts, strings.ToValidUTF8(contents, "\uFFFD"), false, perr, m.ID)
	for _, u := range atts {
		n := dceFileName(u)
		m.Attachments = append(m.Attachments, Attachment{Kind: attachmentKindFromName(n, ""), Name: n, URL: u})
	}
	p.c.Messages = append(p.c.Messages, m)
}

// readJSON streams a messages.json array. A malformed element is a problem and the next one is
// read; a syntax error ends the file with a fatal error, the messages before it kept.
func (p *dpkgParser) readJSON(r io.Reader) error {
	s := newJSONStream(p.file, r, FormatDiscord)
	tok, err := s.dec.Token()
	if err == io.EOF {
		return &ParseError{File: p.file, Offset: 0, Format: FormatDiscord, Msg: "empty messages file"}
	}
	if err != nil {
		return s.fatal(err, "")
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return s.errorf("not a Discord data package messages.json: the document is not a JSON array")
	}
	for s.dec.More() {
		var dm dpkgMessage
		line, off, bad, err := s.element(&dm)
		if err != nil {
			return err
		}
		if bad != nil {
			p.p.add(bad)
			continue
		}
		if dm.ID == "" && dm.Timestamp == "" && dm.Contents == "" && len(dm.Attachments) == 0 {
			p.p.add(p.perr(line, off, "element without ID, Timestamp, Contents or Attachments skipped", nil))
			continue
		}
		p.add(strings.TrimSpace(string(dm.ID)), string(dm.Timestamp), string(dm.Contents), dm.Attachments, line, off)
	}
	if err := s.endArray(); err != nil {
		return err
	}
	if _, err := s.dec.Token(); err != io.EOF {
		p.p.add(s.problem(0, s.dec.InputOffset(), "data after the end of the document ignored", nil))
	}
	return nil
}

// readCSV reads a messages.csv: a header naming the columns, then one record per message, a
// message's newlines kept inside its quoted field. A bad record is a problem and the next one is
// read.
func (p *dpkgParser) readCSV(r io.Reader) error {
	lim := &capReader{r: r, max: int64(p.opts.maxLineBytes()) + 64<<10}
	cr := csv.NewReader(lim)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	var cols [len(dpkgCSVColumns)]int
	for i := range cols {
		cols[i] = -1
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for k, want := range dpkgCSVColumns {
			if h == want && cols[k] < 0 {
				cols[k] = i
			}
		}
	}
	if err != nil || cols[0] < 0 || cols[1] < 0 || cols[2] < 0 {
		if err == io.EOF {
			err = nil
		}
		return p.perr(1, -1, "not a Discord data package messages.csv: want the header ID,Timestamp,Contents,Attachments", err)
	}
	lastLine := 1
	for {
		lim.n = 0
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, ErrTooLarge) {
				p.p.add(p.perr(pe.StartLine, -1, "bad row skipped", pe.Err))
				continue
			}
			if errors.Is(err, ErrTooLarge) {
				err = fmt.Errorf("row longer than %d bytes: %w", p.opts.maxLineBytes(), ErrTooLarge)
			}
			return p.perr(lastLine+1, -1, "read", err)
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if len(rec) != len(header) {
			p.p.add(p.perr(line, -1, fmt.Sprintf("bad row skipped: %d fields, the header has %d", len(rec), len(header)), nil))
			continue
		}
		var atts []string
		if cols[3] >= 0 {
			atts = strings.Fields(rec[cols[3]])
		}
		p.add(strings.TrimSpace(rec[cols[0]]), rec[cols[1]], rec[cols[2]], atts, line, -1)
	}
}

// sortDiscordPackage puts messages in the order they were sent: by id when every id is a number
// (a snowflake counts milliseconds), else stably by time, whatever order the file lists them in.
func sortDiscordPackage(ms []Message) {
	ids := make([]uint64, len(ms))
	for i := range ms {
		n, err := strconv.ParseUint(ms[i].ID, 10, 64)
		if err != nil {
			sort.SliceStable(ms, func(i, j int) bool { return ms[i].Time.Before(ms[j].Time) })
			return
		}
		ids[i] = n
	}
	sort.Stable(byIDs{ms, ids})
}

type byIDs struct {
	ms  []Message
	ids []uint64
}

func (b byIDs) Len() int           { return len(b.ms) }
func (b byIDs) Less(i, j int) bool { return b.ids[i] < b.ids[j] }
func (b byIDs) Swap(i, j int) {
	b.ms[i], b.ms[j] = b.ms[j], b.ms[i]
	b.ids[i], b.ids[j] = b.ids[j], b.ids[i]
}

// dpkgOwner is the account owner as user.json names them.
type dpkgOwner struct {
	author, display string
}

// participant returns the owner's entry in Participants.
func (o dpkgOwner) participant() Participant {
	p := Participant{ID: o.author}
	if o.display != "" && o.display != o.author {
		p.Name = o.display
	}
	return p
}

// newDiscordPackageStream reads a lone messages.json (or messages.csv when csvForm) of a package:
// one conversation, whose id is the channel folder's when the file is in one.
func newDiscordPackageStream(name string, r io.Reader, o Options, csvForm bool) *dceReader {
	dr := &dceReader{}
	dr.add(&ParseError{File: name, Offset: -1, Format: FormatDiscord, Msg: discordPackageOwnerOnly})
	dr.read = func() (*Conversation, error) {
		owner := dpkgOwner{author: discordPackageOwner}
		c := &Conversation{ID: "discord", Platform: "discord"}
		dir := path.Base(path.Dir(strings.ReplaceAll(name, `\`, "/")))
		if dpkgChannelDir.MatchString(dir) {
			c.ID = strings.TrimPrefix(dir, "c")
		}
		p := &dpkgParser{p: &dr.problems, opts: o, file: name, owner: owner.author, c: c}
		var err error
		if csvForm {
			err = p.readCSV(r)
		} else {
			err = p.readJSON(r)
		}
		if len(c.Messages) == 0 {
			return nil, err // an empty channel, as the package reader skips it
		}
		finishDiscordPackage(c, owner, name, o)
		return c, err
	}
	return dr
}

// finishDiscordPackage sorts the messages and fills the participants and source of a channel.
func finishDiscordPackage(c *Conversation, owner dpkgOwner, file string, o Options) {
	sortDiscordPackage(c.Messages)
	if len(c.Messages) > 0 {
		c.Participants = []Participant{owner.participant()}
	}
	finishConversation(c, file, FormatDiscord, discordPackageReaderVersion, o)
}

// dpkgChan is one channel folder of a package.
type dpkgChan struct {
	dir      string // path in the file system
	id       string // from the folder's name
	messages string // messages.json or messages.csv path, "" when missing
	hasMeta  bool   // channel.json is there
	root     int    // index in discordPackageFSReader.roots
}

// dpkgRoot is a messages folder and what its package says about it.
type dpkgRoot struct {
	dir    string
	loaded bool
	index  map[string]string // channel id → name, from index.json
	owner  dpkgOwner
}

// discordPackageChannels finds the channel folders of a package among a file system's files:
// folders named c<id> or <id> (or the root, for one channel folder given alone) holding
// messages.json or messages.csv. withMeta keeps only those that hold channel.json too.
func discordPackageChannels(names []string, withMeta bool) []dpkgChan {
	byDir := map[string]*dpkgChan{}
	var dirs []string
	for _, n := range names {
		base := path.Base(n)
		if base != "channel.json" && base != "messages.json" && base != "messages.csv" {
			continue
		}
		d := path.Dir(n)
		if d != "." && !dpkgChannelDir.MatchString(path.Base(d)) {
			continue
		}
		ch := byDir[d]
		if ch == nil {
			ch = &dpkgChan{dir: d}
			if d != "." {
				ch.id = strings.TrimPrefix(path.Base(d), "c")
			}
			byDir[d] = ch
			dirs = append(dirs, d)
		}
		switch base {
		case "channel.json":
			ch.hasMeta = true
		case "messages.json":
			ch.messages = n
		case "messages.csv":
			if ch.messages == "" {
				ch.messages = n
			}
		}
	}
	var out []dpkgChan
	for _, d := range dirs {
		ch := byDir[d]
		// At the root, only channel.json tells a channel folder from a lone file that a stream
		// reader reads.
		if ch.messages == "" || ((withMeta || d == ".") && !ch.hasMeta) {
			continue
		}
		out = append(out, *ch)
	}
	return out
}

// isDiscordPackageFS reports whether a folder or archive is a Discord data package, its messages
// folder or one of its channel folders: a channel.json beside messages.json or messages.csv, in a
// folder named c<id> or <id> or at the root. No other export writes channel.json.
func isDiscordPackageFS(names []string) bool {
	return len(discordPackageChannels(names, true)) > 0
}

// discordPackageFSReader reads a package one channel at a time, in the order of the channel ids
// (the order they were created), a messages folder after the other when there are several (a
// folder of packages). A channel that cannot be read is a problem; the others are still read.
type discordPackageFSReader struct {
	problems
	exportFS
	names []string
	opts  Options
	roots []dpkgRoot
	chans []dpkgChan
	cur   *Conversation
}

func (r *discordPackageFSReader) Conversation() *Conversation { return r.cur }
func (r *discordPackageFSReader) Err() error                  { return nil }
func (r *discordPackageFSReader) Format() Format              { return FormatDiscord }
func (r *discordPackageFSReader) Close() error                { return nil }

func newDiscordPackageFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	chans := discordPackageChannels(names, false)
	if len(chans) == 0 {
		return nil, &ParseError{File: name, Offset: -1, Format: FormatDiscord, Err: ErrUnknownFormat,
			Msg: "no Discord data package here: no channel folder holding messages.json or messages.csv"}
	}
	r := &discordPackageFSReader{exportFS: exportFS{fsys: fsys, name: name}, names: names, opts: o}
	rootOf := map[string]int{}
	for i := range chans {
		root := "."
		if chans[i].dir != "." {
			root = path.Dir(chans[i].dir)
		}
		k, ok := rootOf[root]
		if !ok {
			k = len(r.roots)
			rootOf[root] = k
			r.roots = append(r.roots, dpkgRoot{dir: root})
		}
		chans[i].root = k
	}
	sort.SliceStable(chans, func(i, j int) bool {
		a, b := chans[i], chans[j]
		if a.root != b.root {
			return r.roots[a.root].dir < r.roots[b.root].dir
		}
		if len(a.id) != len(b.id) {
			return len(a.id) < len(b.id)
		}
		if a.id != b.id {
			return a.id < b.id
		}
		return a.dir < b.dir
	})
	r.chans = chans
	r.add(&ParseError{File: name, Offset: -1, Format: FormatDiscord, Msg: discordPackageOwnerOnly})
	return r, nil
}

// loadRoot reads the index and the owner of a messages folder, once.
func (r *discordPackageFSReader) loadRoot(k int) *dpkgRoot {
	root := &r.roots[k]
	if root.loaded {
		return root
	}
	root.loaded = true
	root.owner = dpkgOwner{author: discordPackageOwner}
	root.index = map[string]string{}
	if root.dir == "." {
		// A messages folder or a channel folder given alone: the account folder is not in it.
		r.readIndex(root, "index.json")
		return root
	}
	r.readIndex(root, path.Join(root.dir, "index.json"))
	// user.json in a folder beside the messages folder: account/ (Account/, or its translation).
	// Deeper user.json files (Activities/…/users/user.json) are other services' profiles.
	parent := path.Dir(root.dir)
	var cands []string
	for _, n := range r.names {
		if path.Base(n) != "user.json" {
			continue
		}
		d := path.Dir(n)
		if d == root.dir || path.Dir(d) != parent || (parent == "." && strings.Contains(d, "/")) {
			continue
		}
		cands = append(cands, n)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		return strings.EqualFold(path.Base(path.Dir(cands[i])), "account") && !strings.EqualFold(path.Base(path.Dir(cands[j])), "account")
	})
	for _, n := range cands {
		if o, ok := r.readOwner(n); ok {
			root.owner = o
			break
		}
	}
	return root
}

// readIndex reads index.json (channel id → name or null); a missing one is not a problem.
func (r *discordPackageFSReader) readIndex(root *dpkgRoot, p string) {
	in, c, err := r.open(p)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.add(&ParseError{File: r.display(p), Offset: -1, Format: FormatDiscord, Msg: "channel names unreadable", Err: err})
		}
		return
	}
	defer c.Close()
	s := newJSONStream(r.display(p), in, FormatDiscord)
	fail := func(err error) {
		var pe *ParseError
		if !errors.As(err, &pe) {
			pe = &ParseError{File: r.display(p), Offset: -1, Format: FormatDiscord, Err: err}
		}
		msg := "channel names unreadable"
		if pe.Msg != "" {
			msg += ": " + pe.Msg
		}
		pe.Msg = msg
		r.add(pe)
	}
	if err := s.begin(); err != nil {
		fail(err)
		return
	}
	for {
		k, more, err := s.key()
		if err != nil {
			fail(err)
			return
		}
		if !more {
			return
		}
		v, err := s.str()
		if err != nil {
			fail(err)
			return
		}
		if v != "" && v != "None" {
			root.index[k] = truncateUTF8(strings.ToValidUTF8(v, "\uFFFD"), tgMaxName)
		}
	}
}

// readOwner reads the account's names from a user.json, which can be large: it stops once they
// are read.
func (r *discordPackageFSReader) readOwner(p string) (dpkgOwner, bool) {
	in, c, err := r.open(p)
	if err != nil {
		r.add(&ParseError{File: r.display(p), Offset: -1, Format: FormatDiscord, Msg: "account file unreadable", Err: err})
		return dpkgOwner{}, false
	}
	defer c.Close()
	s := newJSONStream(r.display(p), in, FormatDiscord)
	var username, disc, global string
	seen := 0
	err = s.begin()
	for err == nil && seen < 3 {
		var k string
		var more bool
		if k, more, err = s.key(); err != nil || !more {
			break
		}
		var v *string
		switch k {
		case "username":
			v = &username
		case "discriminator":
			v = &disc
		case "global_name":
			v = &global
		default:
			err = s.skip()
			continue
		}
		*v, err = s.str()
		seen++
	}
	if err != nil || username == "" {
		pe := &ParseError{File: r.display(p), Offset: -1, Format: FormatDiscord,
			Msg: "account file names no user, the owner's messages are written by \"me\""}
		var se *ParseError
		if errors.As(err, &se) {
			pe.Msg = "account file unreadable, the owner's messages are written by \"me\""
			if se.Msg != "" {
				pe.Msg += ": " + se.Msg
			}
			pe.Line, pe.Offset, pe.Err = se.Line, se.Offset, se.Err
		} else if err != nil {
			pe.Err = err
		}
		r.add(pe)
		return dpkgOwner{}, false
	}
	clean := func(s string) string {
		return truncateUTF8(strings.ToValidUTF8(strings.TrimSpace(s), "\uFFFD"), tgMaxName)
	}
	author := clean(username)
	if n, err := strconv.Atoi(strings.TrimSpace(disc)); err == nil && n > 0 && n <= 9999 {
		author += fmt.Sprintf("#%04d", n)
	}
	return dpkgOwner{author: author, display: clean(global)}, true
}

// dpkgChannelMeta is channel.json.
type dpkgChannelMeta struct {
	ID    flexString `json:"id"`
	Type  flexString `json:"type"`
	Name  flexString `json:"name"`
	Guild *struct {
		ID   flexString `json:"id"`
		Name flexString `json:"name"`
	} `json:"guild"`
}

// readMeta reads a channel.json (a few hundred bytes); a bad one is a problem and the channel is
// still read.
func (r *discordPackageFSReader) readMeta(p string) (dpkgChannelMeta, bool) {
	var m dpkgChannelMeta
	in, c, err := r.open(p)
	if err == nil {
		defer c.Close()
		var b []byte
		b, err = io.ReadAll(io.LimitReader(in, 1<<20+1))
		switch {
		case err != nil:
		case len(b) > 1<<20:
			err = fmt.Errorf("file larger than 1 MiB: %w", ErrTooLarge)
		default:
			if err = json.Unmarshal(b, &m); err != nil {
				var se *json.SyntaxError
				line, off := 0, int64(-1)
				if errors.As(err, &se) {
					off = se.Offset
					line = newLineCounter(b)(off)
				}
				r.add(&ParseError{File: r.display(p), Line: line, Offset: off, Format: FormatDiscord,
					Msg: "channel description unreadable: the channel is read without it", Err: err})
				return dpkgChannelMeta{}, false
			}
			return m, true
		}
	}
	r.add(&ParseError{File: r.display(p), Offset: -1, Format: FormatDiscord, Msg: "channel description unreadable: the channel is read without it", Err: err})
	return dpkgChannelMeta{}, false
}

// Next reads the next channel that has messages.
func (r *discordPackageFSReader) Next() bool {
	r.cur = nextFrom(&r.chans, r.readChannel)
	return r.cur != nil
}

func (r *discordPackageFSReader) readChannel(ch dpkgChan) *Conversation {
	root := r.loadRoot(ch.root)
	var meta dpkgChannelMeta
	if ch.hasMeta {
		meta, _ = r.readMeta(path.Join(ch.dir, "channel.json"))
	} else {
		r.add(&ParseError{File: r.display(ch.dir), Offset: -1, Format: FormatDiscord, Msg: "no channel.json: the channel is read without its description"})
	}
	c := &Conversation{ID: strings.TrimSpace(string(meta.ID)), Platform: "discord"}
	if c.ID == "" {
		c.ID = ch.id
	}
	if c.ID == "" {
		c.ID = fileStem(r.name)
	}
	if c.ID == "" {
		c.ID = "discord"
	}
	c.Title = dpkgTitle(meta, root.index[c.ID])
	file := r.display(ch.messages)
	p := &dpkgParser{p: &r.problems, opts: r.opts, file: file, owner: root.owner.author, c: c}
	in, closer, err := r.open(ch.messages)
	if err != nil {
		r.add(&ParseError{File: file, Offset: -1, Format: FormatDiscord, Msg: "channel skipped", Err: err})
		return nil
	}
	if strings.HasSuffix(ch.messages, ".csv") {
		err = p.readCSV(in)
	} else {
		err = p.readJSON(in)
	}
	_ = closer.Close()
	if err != nil {
		r.addReadErr(err, file, FormatDiscord, len(c.Messages) > 0)
	}
	if len(c.Messages) == 0 {
		return nil
	}
	finishDiscordPackage(c, root.owner, r.display(ch.dir), r.opts)
	return c
}

// dpkgTitle names a channel as the DiscordChatExporter readers do ("Server / channel", a group's
// name), else as the package's index does ("Direct Message with name#0").
func dpkgTitle(m dpkgChannelMeta, indexed string) string {
	clean := func(s flexString) string {
		return truncateUTF8(strings.ToValidUTF8(strings.TrimSpace(string(s)), "\uFFFD"), tgMaxName)
	}
	name := clean(m.Name)
	if m.Guild != nil && clean(m.Guild.Name) != "" && name != "" {
		return clean(m.Guild.Name) + " / " + name
	}
	if name != "" {
		return name
	}
	return indexed
}
