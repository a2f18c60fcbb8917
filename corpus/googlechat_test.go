package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixtures are written by hand in the layout that the open-source readers of Google Chat's
// Takeout parse (see googlechat.go); names, addresses and texts are invented, the addresses at
// example.com, .org and .net.
const (
	gchatEN       = "testdata/googlechat/takeout-en"
	gchatZip      = "testdata/googlechat/takeout-20240315T101500Z-001.zip"
	gchatFR       = "testdata/googlechat/takeout-fr"
	gchatOneDM    = "testdata/googlechat/DM 8pQz3HAAAAE"
	gchatLone     = "testdata/googlechat/messages.json"
	gchatBroken   = "testdata/googlechat/broken"
	gchatChatRoot = gchatEN + "/Takeout/Google Chat"
	gchatSpaceDir = gchatChatRoot + "/Groups/Space AAAAx1y2z3w"
)

// TestGoogleChatZipFixture keeps the Takeout zip equal to the takeout-en folder (the zip's files
// start at Takeout/, as Google's do); -update rewrites it.
func TestGoogleChatZipFixture(t *testing.T) {
	checkZipFixture(t, gchatEN, gchatZip, time.Date(2024, 3, 15, 10, 15, 0, 0, time.UTC), "TestGoogleChatZipFixture")
}

// TestGoogleChatLayouts reads every form that a parent or an investigator may pass.
func TestGoogleChatLayouts(t *testing.T) {
	const dm, space = "DM AbCdEfGhIjk", "Space AAAAx1y2z3w"
	tests := []struct {
		name   string
		path   string
		format Format
		ids    []string
		msgs   int
		other  int // files of other products passed over
		title  string
		reason string
	}{
		{name: "takeout zip", path: gchatZip, ids: []string{dm, space}, msgs: 13, other: 3, title: "Sam Lune",
			reason: "the other products of the Takeout (Chrome, Drive, its index page) are passed over, and counted"},
		{name: "takeout zip forced", path: gchatZip, format: FormatGoogleChat, ids: []string{dm, space}, msgs: 13, other: 3, title: "Sam Lune"},
		{name: "unzipped takeout", path: gchatEN, ids: []string{dm, space}, msgs: 13, other: 3, title: "Sam Lune"},
		{name: "Takeout folder", path: gchatEN + "/Takeout", ids: []string{dm, space}, msgs: 13, other: 3, title: "Sam Lune"},
		{name: "Google Chat folder", path: gchatChatRoot, ids: []string{dm, space}, msgs: 13, title: "Sam Lune",
			reason: "Users/ is beside Groups/: the DM is named after the other member"},
		{name: "Groups folder", path: gchatChatRoot + "/Groups", ids: []string{dm, space}, msgs: 13, title: "Léa Martin, Sam Lune",
			reason: "without Users/, the owner is unknown and the DM is named after both members"},
		{name: "one conversation folder", path: gchatChatRoot + "/Groups/" + dm, ids: []string{dm}, msgs: 3, title: "Léa Martin, Sam Lune"},
		{name: "one conversation folder forced", path: gchatChatRoot + "/Groups/" + dm, format: FormatGoogleChat, ids: []string{dm}, msgs: 3, title: "Léa Martin, Sam Lune"},
		{name: "lone messages.json in its folder", path: gchatChatRoot + "/Groups/" + dm + "/messages.json", ids: []string{dm}, msgs: 3, title: "",
			reason: "the id from the folder; group_info.json is not read when the file is given alone"},
		{name: "lone messages.json forced", path: gchatChatRoot + "/Groups/" + dm + "/messages.json", format: FormatGoogleChat, ids: []string{dm}, msgs: 3},
		{name: "lone messages.json elsewhere", path: gchatLone, ids: []string{"google-chat"}, msgs: 2,
			reason: "an older export without message ids, outside its folder"},
		{name: "french takeout", path: gchatFR, ids: []string{"DM Qw3rTy9UiOp"}, msgs: 5, title: "Tom Garnier"},
		{name: "conversation folder with its attachment", path: gchatOneDM, ids: []string{"DM 8pQz3HAAAAE"}, msgs: 3, title: "Noah Petit, Léa Martin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path, Options{Format: tt.format, Location: time.FixedZone("X", -5*3600)})
			require.NoError(t, err)
			defer r.Close()
			require.Equal(t, FormatGoogleChat, r.Format())
			convs, err := ReadAll(r)
			require.NoError(t, err)
			var ids []string
			msgs := 0
			for _, c := range convs {
				ids = append(ids, c.ID)
				msgs += len(c.Messages)
				require.Equal(t, "google-chat", c.Platform)
				for _, m := range c.Messages {
					if !m.Time.IsZero() {
						_, off := m.Time.Zone()
						require.Zero(t, off, "times as written (UTC), whatever --tz says")
					}
				}
			}
			require.Equal(t, tt.ids, ids, tt.reason)
			require.Equal(t, tt.msgs, msgs)
			if tt.title != "" {
				require.Equal(t, tt.title, convs[0].Title, tt.reason)
			}
			var problems []string
			for _, p := range r.Problems() {
				problems = append(problems, p.Error())
			}
			if tt.other > 0 {
				require.Len(t, problems, 1, tt.reason)
				require.Contains(t, problems[0], fmt.Sprintf("%d file(s) of other Google products passed over", tt.other))
			} else {
				require.Empty(t, problems)
			}
		})
	}
}

// TestGoogleChatMessages checks the Space of the English Takeout field by field.
func TestGoogleChatMessages(t *testing.T) {
	r, err := Open(gchatSpaceDir, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	c := convs[0]
	require.Equal(t, "Robotics Club", c.Title, "a space's name from group_info.json")
	require.Equal(t, []Participant{
		{ID: "Léa Martin", Name: "Léa Martin <lea.martin@example.com>"},
		{ID: "Sam Lune", Name: "Sam Lune <sam.lune@example.org>"},
		{ID: "Noah Petit", Name: "Noah Petit <noah.petit@example.com>"},
	}, c.Participants, "the members, in group_info.json's order, with their addresses")
	require.Equal(t, Source{File: gchatSpaceDir, Format: FormatGoogleChat, Reader: googleChatReaderVersion}, c.Source)
	m := c.Messages
	require.Len(t, m, 10)
	require.Equal(t, "AAAAx1y2z3w/tA1/tA1", m[0].ID, "the message id as written")
	require.Equal(t, time.Date(2024, 3, 4, 17, 2, 11, 0, time.UTC), m[0].Time)
	require.Equal(t, 3, m[0].Line, "the line where the message object starts")
	require.Equal(t, m[0].ID, m[1].ReplyTo, "a reply in a thread answers the thread's first message")
	require.Equal(t, m[2].ID, m[3].ReplyTo, "a quote without an id answers the earlier message of its author and text")
	require.Equal(t, []Attachment{
		{Kind: AttachmentImage, Name: "robot-arm.jpg", URL: "File-robot-arm.jpg"},
		{Kind: AttachmentLink, Name: "Build notes", URL: "https://drive.google.com/open?id=1aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"},
	}, m[4].Attachments, "the file beside messages.json, and the Drive file of an annotation")
	require.True(t, m[5].Deleted)
	require.Empty(t, m[5].Author, "a deleted message names no creator")
	require.True(t, m[5].Time.IsZero(), "the deletion date is not when it was sent")
	require.True(t, m[6].Edited)
	require.Equal(t, time.Date(2024, 3, 6, 12, 5, 9, 0, time.UTC), m[6].Time, "12:05 PM is noon")
	require.True(t, m[7].System, "Google Chat's own membership notice")
	require.Equal(t, time.Date(2024, 3, 7, 0, 0, 1, 0, time.UTC), m[7].Time, "12:00 AM is midnight")
	require.Equal(t, []Attachment{
		{Kind: AttachmentLink, URL: "https://www.youtube.com/watch?v=abcDEF12345"},
		{Kind: AttachmentLink, Name: "Robot kit", URL: "https://example.com/kit"},
	}, m[8].Attachments, "links from the annotations; the text keeps them too")
	require.Contains(t, m[8].Text, "https://example.com/kit")
	require.Equal(t, m[8].ID, m[9].ReplyTo)
	for i, msg := range m {
		if i != 1 && i != 3 && i != 9 {
			require.Empty(t, msg.ReplyTo, "message %d", i)
		}
		require.False(t, msg.Edited && i != 6, "message %d", i)
	}
}

// TestGoogleChatPeople: two members of one name are told apart by their addresses; a creator who
// left the conversation is still a participant; a creator without a name is their address; a
// quote that names its message's id is kept as written.
func TestGoogleChatPeople(t *testing.T) {
	info := `{"name":"Team","members":[
		{"name":"Sam","email":"sam.a@example.com","user_type":"Human"},
		{"name":"Sam","email":"Sam.B@example.com","user_type":"Human"},
		{"name":"Léa","email":"lea@example.com","user_type":"Human"}]}`
	msgs := `{"messages":[
		{"creator":{"name":"Sam","email":"sam.a@example.com"},"created_date":"Monday, April 1, 2024 at 10:00:00 AM UTC","text":"one","message_id":"G/a/a"},
		{"creator":{"name":"Sam","email":"sam.b@EXAMPLE.com"},"created_date":"Monday, April 1, 2024 at 10:01:00 AM UTC","text":"two","message_id":"G/b/b"},
		{"creator":{"name":"","email":"left@example.com"},"created_date":"Monday, April 1, 2024 at 10:02:00 AM UTC","text":"three","message_id":"G/c/c"},
		{"creator":{"name":"Léa","email":"lea@example.com"},"created_date":"Monday, April 1, 2024 at 10:03:00 AM UTC","text":"four","message_id":"G/d/d",
		 "quoted_message_metadata":{"creator":{"name":"Sam","email":"sam.a@example.com"},"text":"one","message_id":"G/a/a"}},
		{"creator":{"name":"Léa","email":"lea@example.com"},"created_date":"Monday, April 1, 2024 at 10:04:00 AM UTC","text":"five","message_id":"G/e/e",
		 "quoted_message_metadata":{"creator":{"name":"Sam","email":"sam.b@example.com"},"text":"not in the conversation"}}]}`
	fsys := fstest.MapFS{
		"Google Chat/Groups/Space G/group_info.json": {Data: []byte(info)},
		"Google Chat/Groups/Space G/messages.json":   {Data: []byte(msgs)},
		"Google Chat/Users/User 1/user_info.json":    {Data: []byte(`{"user":{"name":"Léa","email":"LEA@example.com"},"membership_info":[]}`)},
	}
	r, err := openFS(fsys, "Takeout", nil, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, r.Problems())
	c := convs[0]
	require.Equal(t, "Space G", c.ID)
	require.Equal(t, "Team", c.Title)
	require.Equal(t, []string{"Sam (sam.a@example.com)", "Sam (Sam.B@example.com)", "left@example.com", "Léa"}, c.Authors(),
		"addresses are matched without regard to case, and written as group_info.json writes them")
	require.Equal(t, []Participant{
		{ID: "Sam (sam.a@example.com)", Name: "Sam <sam.a@example.com>"},
		{ID: "Sam (Sam.B@example.com)", Name: "Sam <Sam.B@example.com>"},
		{ID: "Léa", Name: "Léa <lea@example.com>"},
		{ID: "left@example.com"},
	}, c.Participants)
	require.Equal(t, "G/a/a", c.Messages[3].ReplyTo)
	require.Empty(t, c.Messages[4].ReplyTo, "a quote of a message not in the export answers nothing")

	// The same conversation as a group chat without a name: named after the members but the owner.
	fsys["Google Chat/Groups/Space G/group_info.json"] = &fstest.MapFile{Data: []byte(strings.Replace(info, `"name":"Team",`, "", 1))}
	r, err = openFS(fsys, "Takeout", nil, Options{})
	require.NoError(t, err)
	convs, err = ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, "Sam (sam.a@example.com), Sam (Sam.B@example.com)", convs[0].Title)
}

// TestDetectGoogleChat: Google Chat's layouts and lone messages.json are recognized, and the
// neighbouring formats keep their files and folders.
func TestDetectGoogleChat(t *testing.T) {
	fsTests := []struct {
		name   string
		names  []string
		want   Format
		reason string
	}{
		{name: "takeout", names: []string{"Takeout/Google Chat/Groups/DM a/group_info.json", "Takeout/Google Chat/Groups/DM a/messages.json",
			"Takeout/Google Chat/Users/User 1/user_info.json", "Takeout/archive_browser.html"}, want: FormatGoogleChat},
		{name: "takeout with a chat.txt in Drive", names: []string{"Takeout/Drive/chat.txt", "Takeout/Google Chat/Groups/DM a/messages.json"},
			want: FormatGoogleChat, reason: "a Drive file would otherwise pass for a WhatsApp chat"},
		{name: "groups folder", names: []string{"DM a/group_info.json", "DM a/messages.json", "Space b/messages.json"}, want: FormatGoogleChat},
		{name: "conversation folder", names: []string{"File-x.jpg", "group_info.json", "messages.json"}, want: FormatGoogleChat},
		{name: "conversation folder without group_info", names: []string{"File-x.jpg", "messages.json"}, want: FormatUnknown,
			reason: "a lone messages.json is told by its content"},
		{name: "group_info alone", names: []string{"Groups/DM a/group_info.json"}, want: FormatUnknown, reason: "nothing to read"},
		{name: "a part of a split takeout", names: []string{"Takeout/Google Chat/Groups/DM a/File-x.jpg"}, want: FormatGoogleChat,
			reason: "read as Google Chat, to say where the messages are"},
		{name: "takeout without Google Chat", names: []string{"Takeout/Chrome/Bookmarks.html", "Takeout/archive_browser.html"}, want: FormatUnknown},
		{name: "discord package", names: []string{"messages/c1/channel.json", "messages/c1/messages.json"}, want: FormatDiscord},
		{name: "slack", names: []string{"channels.json", "general/2024-03-14.json", "users.json"}, want: FormatSlack},
		{name: "meta", names: []string{"messages/inbox/sam_1/message_1.json"}, want: FormatMeta},
		{name: "telegram", names: []string{"ChatExport/messages.html", "ChatExport/messages2.html"}, want: FormatTelegram},
		{name: "whatsapp", names: []string{"_chat.txt", "IMG-1.jpg"}, want: FormatWhatsApp},
	}
	for _, tt := range fsTests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, detectFS(tt.names), tt.reason)
		})
	}
	lone := gchatChatRoot + "/Groups/Space AAAAx1y2z3w/messages.json"
	heads := []struct {
		name, fixture, as string
		cut               int
		head, reason      string
		want              Format
	}{
		{name: "messages.json", fixture: lone, as: "messages.json", want: FormatGoogleChat},
		{name: "messages.json, other name", fixture: lone, as: "x.txt", want: FormatGoogleChat},
		{name: "messages.json cut", fixture: lone, as: "m.json", cut: 200, want: FormatGoogleChat},
		{name: "french", fixture: gchatFR + "/Takeout/Google Chat/Groups/DM Qw3rTy9UiOp/messages.json", as: "messages.json", want: FormatGoogleChat},
		{name: "older export", fixture: gchatLone, as: "messages.json", want: FormatGoogleChat},
		{name: "compact, one line", head: `{"messages":[{"creator":{"name":"A"},"created_date":"x","annotations":[{"drive_metadata":{"id":"1"}}]}]}`,
			as: "messages.json", want: FormatGoogleChat, reason: "a one-line document with an \"id\" key is not canonical JSONL"},
		{name: "starts with a deleted message", head: `{"messages":[{"message_state":"DELETED","deleted_date":"x","topic_id":"t","message_id":"g/t/t"}`,
			as: "messages.json", want: FormatGoogleChat},
		{name: "discord package json", fixture: "testdata/discord/messages.json", as: "messages.json", want: FormatDiscord},
		{name: "discord exporter json", fixture: "testdata/discord/dm.json", as: "messages.json", want: FormatDiscord},
		{name: "meta json", fixture: "testdata/meta/ig_thread.json", as: "messages.json", want: FormatMeta},
		{name: "telegram json", fixture: "testdata/telegram/personal_chat.json", as: "messages.json", want: FormatTelegram},
		{name: "tiktok json", fixture: "testdata/tiktok/user_data_tiktok.json", as: "messages.json", want: FormatTikTok},
		{name: "snapchat json", fixture: "testdata/snapchat/chat_history_2024.json", as: "messages.json", want: FormatSnapchat},
		{name: "jsonl", fixture: "testdata/jsonl/basic.jsonl", as: "messages.json", want: FormatJSONL},
		{name: "group_info.json", fixture: gchatSpaceDir + "/group_info.json", as: "group_info.json", want: FormatUnknown},
		{name: "user_info.json", fixture: gchatChatRoot + "/Users/User 104932718203948572019/user_info.json", as: "user_info.json", want: FormatUnknown},
	}
	for _, tt := range heads {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.head)
			if tt.fixture != "" {
				b = readFixture(t, tt.fixture)
			}
			if tt.cut > 0 {
				b = b[:tt.cut]
			}
			require.Equal(t, tt.want, Detect(tt.as, b), tt.reason)
		})
	}
}

// gchatTexts are the message texts of the broken fixture: none may appear in a problem.
var gchatTexts = []string{"first line", "second line", "third one", "description is broken", "an object",
	"written in German", "zone not read", "good one", "an array"}

// TestGoogleChatBadInput: every bad part is a positioned problem that names no message text, and
// what could be read is read.
func TestGoogleChatBadInput(t *testing.T) {
	r, err := Open(gchatBroken, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err, "an export has no fatal error: each conversation stands alone")
	var ids []string
	for _, c := range convs {
		ids = append(ids, fmt.Sprintf("%s:%d", c.ID, len(c.Messages)))
	}
	require.Equal(t, []string{"DM AAAAbroken1:2", "DM AAAAbroken2:1", "Space AAAAbroken3:3"}, ids,
		"the messages before the cut are kept; broken4 has no messages; broken5 is not an object")
	require.Len(t, r.Problems(), 6)
	for _, p := range r.Problems() {
		require.Positive(t, p.Line, "positioned: %v", p)
		for _, tx := range gchatTexts {
			require.NotContains(t, p.Error(), tx, "no message text in problems")
		}
	}

	// A lone file cut short: a positioned error, and the messages before it.
	b := readFixture(t, gchatSpaceDir+"/messages.json")
	cut := b[:bytes.Index(b, []byte(`"text": "Reminder`))]
	sr, err := NewReader("messages.json", bytes.NewReader(cut), Options{})
	require.NoError(t, err)
	convs, err = ReadAll(sr)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, bytes.Count(cut, []byte("\n"))+1, pe.Line, "where the input ends")
	require.NotContains(t, pe.Error(), "Reminder")
	require.Len(t, convs, 1)
	require.Len(t, convs[0].Messages, 6)

	for _, tc := range []struct{ name, in, msg string }{
		{name: "an array", in: "\n [ {\"text\": \"an array\"} ]", msg: "messages.json:2: googlechat: not a Google Chat messages.json"},
		{name: "no messages", in: `{"other": [1, 2]}`, msg: `no "messages" array`},
		{name: "empty", in: "", msg: "empty messages file"},
		{name: "invalid", in: `{"messages": [{"text": "good one" x}]}`, msg: "messages.json:1: googlechat: invalid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sr, err := NewReader("messages.json", strings.NewReader(tc.in), Options{Format: FormatGoogleChat})
			require.NoError(t, err)
			convs, err := ReadAll(sr)
			require.Empty(t, convs)
			require.ErrorContains(t, err, tc.msg)
			for _, tx := range gchatTexts {
				require.NotContains(t, err.Error(), tx)
			}
		})
	}

	// A message text over the cap is cut, and the problem names the message, not its text.
	long := `{"messages":[{"creator":{"name":"A"},"created_date":"Monday, April 1, 2024 at 10:00:00 AM UTC","text":"` +
		strings.Repeat("good one ", 100) + `","message_id":"g/t/t"}]}`
	sr, err = NewReader("messages.json", strings.NewReader(long), Options{MaxMessageBytes: 64})
	require.NoError(t, err)
	convs, err = ReadAll(sr)
	require.NoError(t, err)
	require.Len(t, convs[0].Messages[0].Text, 64)
	require.Len(t, sr.Problems(), 1)
	require.Contains(t, sr.Problems()[0].Error(), `message "g/t/t": text cut to 64 bytes`)
}

// TestGoogleChatTakeoutOtherProducts: a Takeout of several products, Google Chat among them, is
// read as Google Chat; one without it is not taken for Google Chat.
func TestGoogleChatTakeoutOtherProducts(t *testing.T) {
	msgs := readFixture(t, gchatFR+"/Takeout/Google Chat/Groups/DM Qw3rTy9UiOp/messages.json")
	p := writeZip(t, "takeout-20240401T000000Z-002.zip", map[string][]byte{
		"Takeout/archive_browser.html":                                 []byte("<html></html>"),
		"Takeout/Mail/All mail Including Spam and Trash.mbox":          []byte("From x\n"),
		"Takeout/Google Photos/Photos from 2024/IMG_1.jpg":             {0xff, 0xd8},
		"Takeout/YouTube and YouTube Music/history/watch-history.json": []byte(`[]`),
		"Takeout/Google Chat/Groups/DM Qw3rTy9UiOp/messages.json":      msgs,
	})
	r, err := Open(p, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.Len(t, convs, 1)
	require.Len(t, convs[0].Messages, 5)
	require.Len(t, r.Problems(), 1)
	require.Contains(t, r.Problems()[0].Msg, "4 file(s) of other Google products passed over")

	// A part of a split Takeout that holds a conversation's attachments and not its messages: no
	// conversation, a warning, no error.
	p = writeZip(t, "takeout-20240401T000000Z-002.zip", map[string][]byte{
		"Takeout/Google Chat/Groups/DM Qw3rTy9UiOp/File-photo.jpg": {0xff, 0xd8},
		"Takeout/Google Photos/Photos from 2024/IMG_2.jpg":         {0xff, 0xd8},
	})
	r, err = Open(p, Options{})
	require.NoError(t, err)
	convs, err = ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, convs)
	require.Equal(t, FormatGoogleChat, r.Format())
	require.Len(t, r.Problems(), 1)
	require.Contains(t, r.Problems()[0].Msg, "a part of a split Takeout")

	p = writeZip(t, "takeout-20240401T000000Z-003.zip", map[string][]byte{
		"Takeout/archive_browser.html":  []byte("<html></html>"),
		"Takeout/Drive/notes/notes.txt": []byte("shopping list"),
	})
	_, err = Open(p, Options{Format: FormatGoogleChat})
	require.ErrorContains(t, err, "no googlechat export layout")
}

func FuzzGoogleChat(f *testing.F) {
	addSeeds(f, FormatGoogleChat)
	f.Add(readFixture(f, gchatSpaceDir+"/messages.json"))
	f.Add(readFixture(f, gchatFR+"/Takeout/Google Chat/Groups/DM Qw3rTy9UiOp/messages.json"))
	f.Add(readFixture(f, gchatBroken+"/Groups/Space AAAAbroken3/messages.json"))
	f.Add([]byte(`{"messages":[{"message_id":"a/b/c","quoted_message_metadata":{"text":"x"}},{"message_id":"a/b/b"},{"message_id":"a/b/c"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatGoogleChat, data) })
}

// FuzzGoogleChatFS reads an export built from the fuzzer's files: the account, a conversation's
// description and its messages.
func FuzzGoogleChatFS(f *testing.F) {
	f.Add(readFixture(f, gchatChatRoot+"/Users/User 104932718203948572019/user_info.json"),
		readFixture(f, gchatSpaceDir+"/group_info.json"), readFixture(f, gchatSpaceDir+"/messages.json"))
	f.Add([]byte(`{"user":7}`), readFixture(f, gchatBroken+"/Groups/DM AAAAbroken2/group_info.json"),
		readFixture(f, gchatBroken+"/Groups/DM AAAAbroken1/messages.json"))
	f.Fuzz(func(t *testing.T, user, info, messages []byte) {
		fsys := fstest.MapFS{
			"Takeout/Google Chat/Users/User 1/user_info.json":    {Data: user},
			"Takeout/Google Chat/Groups/Space X/group_info.json": {Data: info},
			"Takeout/Google Chat/Groups/Space X/messages.json":   {Data: messages},
			"Takeout/Google Chat/Groups/DM Y/messages.json":      {Data: messages},
		}
		r, err := openFS(fsys, "t", nil, Options{MaxMessageBytes: 4096, MaxLineBytes: 1 << 16})
		require.NoError(t, err)
		require.Equal(t, FormatGoogleChat, r.Format())
		n := 0
		for r.Next() {
			c := r.Conversation()
			n++
			require.NotEmpty(t, c.Messages)
			for _, m := range c.Messages {
				require.LessOrEqual(t, len(m.Text), 4096)
			}
			_, err := MarshalConversation(c)
			require.NoError(t, err)
		}
		require.LessOrEqual(t, n, 2)
		require.NoError(t, r.Err())
		for _, p := range r.Problems() {
			_ = p.Error()
		}
	})
}

// gchatBenchJSON builds a messages.json of n messages as Takeout writes it: indented, a thread
// reply now and then, an attachment every 20 messages.
func gchatBenchJSON(n int) []byte {
	type user struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		UserType string `json:"user_type"`
	}
	people := []user{{"Léa Martin", "lea.martin@example.com", "Human"}, {"Sam Lune", "sam.lune@example.org", "Human"}}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	msgs := make([]map[string]any, n)
	for i := range msgs {
		t := t0.Add(time.Duration(i) * 37 * time.Second)
		topic := fmt.Sprintf("t%06d", i-i%3)
		m := map[string]any{
			"creator":      people[i%2],
			"created_date": t.Format("Monday, January 2, 2006 at 3:04:05") + "\u202f" + t.Format("PM") + " UTC",
			"text":         fmt.Sprintf("message %d: see you at practice tomorrow after school?", i),
			"topic_id":     topic,
			"message_id":   fmt.Sprintf("AAAAbench/%s/m%06d", topic, i),
		}
		if i%20 == 0 {
			m["attached_files"] = []map[string]string{{"original_name": fmt.Sprintf("IMG_%d.jpg", i), "export_name": fmt.Sprintf("File-IMG_%d.jpg", i)}}
		}
		msgs[i] = m
	}
	b, err := json.MarshalIndent(map[string]any{"messages": msgs}, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

func BenchmarkGoogleChat(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		data := gchatBenchJSON(n)
		b.Run(fmt.Sprintf("msgs=%dk", n/1000), func(b *testing.B) {
			benchRead(b, "messages.json", data, Options{}, n)
		})
	}
	// The naive baseline: the whole document decoded at once with json.Unmarshal, dates unread.
	for _, n := range []int{1000, 100000} {
		data := gchatBenchJSON(n)
		b.Run(fmt.Sprintf("msgs=%dk/naive-unmarshal", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var doc struct{ Messages []map[string]any }
				if err := json.Unmarshal(data, &doc); err != nil || len(doc.Messages) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
