package corpus

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRepairMojibake(t *testing.T) {
	tests := []struct {
		name, in, want, reason string
	}{
		{name: "ascii", in: "hello", want: "hello"},
		{name: "empty", in: "", want: ""},
		{name: "french accent", in: "arriv\u00c3\u00a9e", want: "arrivée"},
		{name: "cedilla capital", in: "\u00c3\u0087a va", want: "Ça va"},
		{name: "emoji", in: "\u00f0\u009f\u0098\u008a", want: "😊"},
		{name: "heart with variation selector", in: "\u00e2\u009d\u00a4\u00ef\u00b8\u008f", want: "❤️"},
		{name: "cyrillic", in: "\u00d0\u0094\u00d0\u00be", want: "До"},
		{name: "correct latin-1 range text unchanged", in: "café", want: "café",
			reason: "é alone is byte E9, not valid UTF-8: the string was not mojibake"},
		{name: "correct accents unchanged", in: "naïve à Noël", want: "naïve à Noël"},
		{name: "runes above U+00FF unchanged", in: "日本", want: "日本"},
		{name: "euro sign unchanged", in: "5 €", want: "5 €", reason: "U+20AC is above U+00FF"},
		{name: "mixed mojibake and real rune unchanged", in: "\u00c3\u00a9 日", want: "\u00c3\u00a9 日",
			reason: "a rune above U+00FF means the string is not byte-per-rune"},
		{name: "lone lead byte unchanged", in: "\u00c3", want: "\u00c3", reason: "C3 alone is not valid UTF-8"},
		{name: "invalid utf-8 input unchanged", in: "a\xffb", want: "a\xffb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, repairMojibake(tt.in), tt.reason)
		})
	}
}

func TestMetaPlatform(t *testing.T) {
	doc := func(msg string) string {
		return `{"participants":[{"name":"A"}],"messages":[` + msg + `],"title":"A","thread_path":"inbox/a_1"}`
	}
	tests := []struct {
		name, file, msg, want string
	}{
		{name: "path says instagram", file: "your_instagram_activity/messages/inbox/a_1/message_1.json",
			msg: `{"sender_name":"A","timestamp_ms":1,"content":"x","type":"Generic"}`, want: "instagram"},
		{name: "path says facebook", file: "your_facebook_activity/messages/inbox/a_1/message_1.json",
			msg: `{"sender_name":"A","timestamp_ms":1,"content":"x"}`, want: "messenger"},
		{name: "uri says instagram", file: "m.json",
			msg: `{"sender_name":"A","timestamp_ms":1,"photos":[{"uri":"your_instagram_activity/messages/inbox/a_1/photos/1.jpg"}],"type":"Generic"}`, want: "instagram"},
		{name: "type key means messenger", file: "m.json",
			msg: `{"sender_name":"A","timestamp_ms":1,"content":"x","type":"Generic","is_unsent":false}`, want: "messenger"},
		{name: "no type key means instagram", file: "m.json",
			msg: `{"sender_name":"A","timestamp_ms":1,"content":"x","is_geoblocked_for_viewer":false}`, want: "instagram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(tt.file, strings.NewReader(doc(tt.msg)), Options{Format: FormatMeta})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.NoError(t, err)
			require.Len(t, convs, 1)
			require.Equal(t, tt.want, convs[0].Platform)
		})
	}
}

func TestMetaFSMergesThreads(t *testing.T) {
	file := func(msgs string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"participants":[{"name":"A"},{"name":"B"}],"messages":[` + msgs +
			`],"title":"T","is_still_participant":true,"thread_path":"inbox/t"}`)}
	}
	m := func(who string, ms int, text string) string {
		return `{"sender_name":"` + who + `","timestamp_ms":` + strconv.Itoa(ms) + `,"content":"` + text + `"}`
	}
	fsys := fstest.MapFS{
		// Thread t1 over three files; message_10 must sort after message_2.
		"messages/inbox/t1/message_1.json":  file(m("A", 9000, "nine") + "," + m("B", 8000, "eight")),
		"messages/inbox/t1/message_2.json":  file(m("A", 5000, "five") + "," + m("B", 4000, "four")),
		"messages/inbox/t1/message_10.json": file(m("A", 1000, "one")),
		"messages/inbox/t2/message_1.json":  file(m("C", 3000, "former member")),
		"messages/inbox/t3/message_1.json":  {Data: []byte(`{"participants":[`)}, // broken: reported, skipped
		"messages/inbox/t1/photos/1.jpg":    {Data: []byte("jpeg")},
	}
	var names []string
	for n := range fsys {
		names = append(names, n)
	}
	r, err := newMetaFSReader(fsys, "export.zip", names, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 2, "a thread whose only file is broken yields no conversation")
	var texts []string
	for _, m := range convs[0].Messages {
		texts = append(texts, m.ID+":"+m.Text)
	}
	require.Equal(t, []string{"1:one", "2:four", "3:five", "4:eight", "5:nine"}, texts)
	require.Equal(t, "export.zip/messages/inbox/t1", convs[0].Source.File)
	require.Equal(t, []Participant{{ID: "A"}, {ID: "B"}, {ID: "C"}}, convs[1].Participants, "authors missing from participants are added")
	require.Len(t, r.Problems(), 1)
	require.Contains(t, r.Problems()[0].Error(), "export.zip/messages/inbox/t3/message_1.json")
}

func TestMetaInvalidUTF8(t *testing.T) {
	b, err := os.ReadFile("testdata/meta/ig_thread.json")
	require.NoError(t, err)
	b = bytes.ReplaceAll(b, []byte("Audio call"), []byte("Audio\xff\xfe call"))
	r, err := NewReader("x.json", bytes.NewReader(b), Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	require.Equal(t, time.UnixMilli(1717261100000).UTC(), convs[0].Messages[0].Time)
}

func TestMetaZipThroughOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "instagram-export.zip")
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for _, name := range []string{"message_1.json", "message_2.json"} {
		src, err := os.ReadFile("testdata/meta/lea_17841401234567890/" + name)
		require.NoError(t, err)
		w, err := zw.Create("your_instagram_activity/messages/inbox/lea_17841401234567890/" + name)
		require.NoError(t, err)
		_, err = w.Write(src)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())

	r, err := Open(path, Options{})
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, FormatMeta, r.Format())
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	c := convs[0]
	require.Equal(t, "instagram", c.Platform)
	require.Equal(t, path+"/your_instagram_activity/messages/inbox/lea_17841401234567890", c.Source.File)
	require.Len(t, c.Messages, 4)
	require.Equal(t, "Salut, ça va ?", c.Messages[0].Text)
	require.Equal(t, "À demain alors 👋", c.Messages[3].Text)
}

func FuzzMeta(f *testing.F) {
	addSeeds(f, FormatMeta)
	f.Add([]byte(`{"participants":[{"name":"\u00c3\u00a9"}],"messages":[{"sender_name":"\u00f0\u009f","timestamp_ms":-1e300}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatMeta, data) })
}
