package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	slackFixtureDir = "testdata/slack/export"
	slackFixtureZip = "testdata/slack/export.zip"
)

// slackFixtureFiles returns the files of the folder fixture, by slash-separated path.
func slackFixtureFiles(t *testing.T) map[string][]byte {
	t.Helper()
	return folderFiles(t, slackFixtureDir)
}

// TestSlackZipFixture keeps testdata/slack/export.zip equal to the folder fixture: with -update it
// rewrites the zip (deterministically, fixed times, sorted names); otherwise it checks that the zip
// holds exactly the folder's files.
func TestSlackZipFixture(t *testing.T) {
	checkZipFixture(t, slackFixtureDir, slackFixtureZip, time.Date(2024, 3, 17, 9, 0, 0, 0, time.UTC), "TestSlackZipFixture")
}

// TestSlackZipEqualsFolder reads the zip and the folder and expects the same conversations, paths
// aside.
func TestSlackZipEqualsFolder(t *testing.T) {
	read := func(p string) []string {
		r, err := Open(p, Options{})
		require.NoError(t, err)
		defer r.Close()
		require.Equal(t, FormatSlack, r.Format())
		var out []string
		for r.Next() {
			c := r.Conversation()
			c.Source.File = ""
			b, err := MarshalConversation(c)
			require.NoError(t, err)
			out = append(out, string(b))
		}
		require.NoError(t, r.Err())
		require.Empty(t, r.Problems())
		return out
	}
	folder := read(slackFixtureDir)
	require.Len(t, folder, 3, "general, homework-help and the DM; random has no folder")
	require.Equal(t, folder, read(slackFixtureZip))
}

func TestSlackExportContent(t *testing.T) {
	r, err := Open(slackFixtureDir, Options{Predators: map[string]bool{"Kim Lee": true}})
	require.NoError(t, err)
	defer r.Close()
	convs, err := ReadAll(r)
	require.NoError(t, err)
	byID := make(map[string]*Conversation)
	for _, c := range convs {
		byID[c.ID] = c
		require.Equal(t, "slack", c.Platform)
	}

	gen := byID["C01GEN0001"]
	require.NotNil(t, gen)
	require.Equal(t, "general", gen.Title)
	require.Len(t, gen.Messages, 8, "two day files, read in time order")
	join := gen.Messages[0]
	require.True(t, join.System)
	require.Equal(t, "Kim Lee", join.Author)
	require.Equal(t, "@Kim Lee has joined the channel", join.Text)
	require.Equal(t, time.Date(2024, 3, 14, 10, 0, 0, 100000, time.UTC), join.Time)
	require.Equal(t, "1710410400.000100", join.ID)
	require.True(t, gen.Messages[1].System, "topic change")
	hello := gen.Messages[2]
	require.False(t, hello.System)
	require.Equal(t, "Hello @Kim Lee, welcome! Training is at 6 & the match is on Saturday.", hello.Text)
	sched := gen.Messages[3]
	require.Equal(t, "Sam", sched.Author, "display name when there is no real name")
	require.True(t, sched.Edited)
	require.Equal(t, "Here is the schedule schedule page (https://example.org/schedule)", sched.Text)
	require.Equal(t, []Attachment{{Kind: AttachmentFile, Name: "schedule.pdf",
		URL: "https://files.slack.com/files-pri/T01TEAM0001-F01FILE0001/schedule.pdf"}}, sched.Attachments)
	require.Empty(t, sched.ReplyTo, "a thread parent answers nothing")
	reply := gen.Messages[4]
	require.Equal(t, sched.ID, reply.ReplyTo)
	bot := gen.Messages[6]
	require.True(t, bot.System)
	require.Equal(t, "schedulebot", bot.Author)
	require.Equal(t, LabelGrooming, gen.Label)
	require.Equal(t, []string{"Kim Lee"}, gen.Suspects)
	require.Equal(t, []Participant{{ID: "Alex Martin"}, {ID: "Sam"}, {ID: "Kim Lee", Role: "suspect"}}, gen.Participants)

	hw := byID["C01HW00002"]
	require.Equal(t, "Jo Durand (U01DDDD04)", hw.Messages[0].Author, "two users share a name: the id tells them apart")
	require.Equal(t, "Jo Durand (U01EEEE05)", hw.Messages[2].Author)
	require.Equal(t, "Can someone explain exercise 3 in #general? It says x < 10", hw.Messages[1].Text)
	require.Equal(t, "Is the deadline still Monday?", hw.Messages[3].Text, "sorted by ts across the file's order")

	dm := byID["D01DM00001"]
	require.Empty(t, dm.Title)
	require.Equal(t, "guest", dm.Messages[2].Author, "unknown user: the name the message carries")
	require.Equal(t, LabelBenign, dm.Label)
}

func TestSlackBrokenExport(t *testing.T) {
	r, err := Open("testdata/slack/broken-export", Options{})
	require.NoError(t, err)
	defer r.Close()
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 2)
	var texts []string
	for _, m := range convs[0].Messages {
		texts = append(texts, m.Text)
	}
	require.Equal(t, []string{"First day file is fine", "This one is read before the break", "Third day is read too",
		"ts of the wrong type", "", "Reply to a deleted parent"}, texts, "a broken day file costs only its own rest")
	require.Equal(t, "unlisted-channel", convs[1].ID)
	var files []string
	for _, p := range r.Problems() {
		files = append(files, filepath.Base(p.File))
	}
	// 2024-01-03.json: the element 42, then the numeric ts.
	require.Equal(t, []string{"mpims.json", "2024-01-02.json", "2024-01-03.json", "2024-01-03.json", "2024-01-04.json"}, files)
}

func TestSlackDayFileAlone(t *testing.T) {
	data, err := os.ReadFile("testdata/slack/export/general/2024-03-14.json")
	require.NoError(t, err)
	// Detected from content although the name says .txt.
	r, err := NewReader("general/notes.txt", bytes.NewReader(data), Options{})
	require.NoError(t, err)
	require.Equal(t, FormatSlack, r.Format())
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	require.Equal(t, "notes", convs[0].ID)
	require.Equal(t, "U01CCCC03", convs[0].Messages[0].Author, "no users.json: the id")
	require.Equal(t, "Alex Martin", convs[0].Messages[2].Author, "user_profile carried by the message")

	r, err = NewReader("exp/general/2024-03-14.json", bytes.NewReader(data), Options{})
	require.NoError(t, err)
	convs, err = ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, "general", convs[0].ID, "a day file is named after its folder")

	r, err = NewReader("x.json", strings.NewReader(`{"type":"message"}`), Options{Format: FormatSlack})
	require.NoError(t, err)
	_, err = ReadAll(r)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
}

func TestSlackNestedRootAndZipFS(t *testing.T) {
	files := slackFixtureFiles(t)
	m := fstest.MapFS{}
	for p, b := range files {
		m["Club Slack export Mar 14 2024 - Mar 17 2024/"+p] = &fstest.MapFile{Data: b}
	}
	r, err := newSlackFSReader(m, "nested.zip", Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 3)
	require.Equal(t, "Kim Lee", convs[0].Messages[0].Author, "users.json found in the nested folder")
}

func TestSlackText(t *testing.T) {
	d := &slackDecoder{users: map[string]string{"U1": "Ana"}}
	tests := []struct{ in, want string }{
		{"hi <@U1>", "hi @Ana"},
		{"hi <@U9>", "hi @U9"},
		{"<!here> <!channel> <!subteam^S1|@coaches>", "@here @channel @coaches"},
		{"<https://example.org>", "https://example.org"},
		{"<https://example.org|example.org>", "example.org"},
		{"<https://example.org/a|the page>", "the page (https://example.org/a)"},
		{"<mailto:a@example.org|a@example.org>", "a@example.org"},
		{"a &lt;b&gt; &amp;lt;", "a <b> &lt;"},
		{"no markup", "no markup"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, d.text(tt.in), tt.in)
	}
}

func TestSlackTime(t *testing.T) {
	got, ok := slackTime("1710450180.000200", time.UTC)
	require.True(t, ok)
	require.Equal(t, time.Date(2024, 3, 14, 21, 3, 0, 200000, time.UTC), got)
	for _, bad := range []string{"", "abc", "1.x", "-5", "1.1234567890"} {
		_, ok := slackTime(bad, time.UTC)
		require.False(t, ok, bad)
	}
}

func TestDetectSlack(t *testing.T) {
	day := []byte("[\n    {\n        \"type\": \"message\",\n        \"text\": \"hi\",\n        \"user\": \"U1\",\n        \"ts\": \"1710450180.000200\"\n    }\n]")
	require.Equal(t, FormatSlack, Detect("messages.txt", day), "content decides")
	require.Equal(t, FormatUnknown, Detect("2024-01-01.json", []byte(`[{"id":1,"name":"x"}]`)), "a day name alone is not enough")
}

func FuzzSlack(f *testing.F) {
	addSeeds(f, FormatSlack)
	f.Add([]byte(`[{"type":"message","ts":"1.5","user":"U1","text":"<@U1|x> <#C|> <!x^y> &amp;","files":[{"mimetype":"image/gif"}],"attachments":[{"from_url":"u"}]},1,"x",{"type":"other"}]`))
	f.Add([]byte(`[{"type":"message","ts":1,"edited":"x","subtype":"tombstone"}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatSlack, data) })
}

func TestSlackChannelFolderAlone(t *testing.T) {
	r, err := Open("testdata/slack/export/homework-help", Options{Format: FormatSlack})
	require.NoError(t, err)
	defer r.Close()
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	require.Equal(t, "homework-help", convs[0].ID)
	require.Len(t, convs[0].Messages, 6, "both day files")
	require.Equal(t, "U01DDDD04", convs[0].Messages[0].Author, "no users.json above a channel folder")
}
