package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tiktokDownload(chats string) string {
	return `{"Activity": {"Login History": {"LoginHistoryList": []}}, "Direct Message": {"Direct Messages": {"ChatHistory": {` +
		chats + `}}}, "Profile": {"Profile Information": {"ProfileMap": {"userName": "lea_m"}}}}`
}

func TestTikTokDetect(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "tiktok", "user_data_tiktok.json"))
	require.NoError(t, err)
	tests := []struct {
		name, file, head string
		want             Format
		reason           string
	}{
		{name: "download", file: "user_data_tiktok.json", head: string(b), want: FormatTikTok},
		{name: "messages past the head", file: "user_data.json", head: `{"Activity": {"Favorite Videos": {}, "Video Browsing History": {"VideoList": [`, want: FormatTikTok,
			reason: "the Activity section comes first and may fill the first 64 KiB"},
		{name: "snapchat stays snapchat", file: "chat_history.json", head: `{"sam":[{"From":"sam","Media Type":"TEXT","Created":"2026-03-14 21:03:05 UTC","Content":"hi","IsSender":false}]}`, want: FormatSnapchat},
		{name: "meta stays meta", file: "message_1.json", head: `{"participants":[{"name":"A"}],"messages":[{"sender_name":"A","timestamp_ms":1}]}`, want: FormatMeta},
		{name: "any json", file: "data.json", head: `{"Activity": 3}`, want: FormatUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect(tt.file, []byte(tt.head)), tt.reason)
		})
	}
}

func TestTikTokReader(t *testing.T) {
	read := func(t *testing.T, in string, o Options) ([]*Conversation, Reader) {
		t.Helper()
		o.Format = FormatTikTok
		r, err := NewReader("user_data_tiktok.json", strings.NewReader(in), o)
		require.NoError(t, err)
		var cs []*Conversation
		for r.Next() {
			cs = append(cs, r.Conversation())
		}
		return cs, r
	}
	t.Run("oldest first whatever the order", func(t *testing.T) {
		cs, r := read(t, tiktokDownload(`"Chat History with sam.k:": [
			{"Date": "2026-03-14 21:03:00", "From": "sam.k", "Content": "one"},
			{"Date": "2026-03-14 21:04:00", "From": "lea_m", "Content": "two"}]`), Options{})
		require.NoError(t, r.Err())
		require.Len(t, cs, 1)
		assert.Equal(t, "one", cs[0].Messages[0].Text, "a list already oldest first is kept so")
		assert.Equal(t, "tiktok-sam.k", cs[0].ID)
	})
	t.Run("no direct messages", func(t *testing.T) {
		cs, r := read(t, `{"Activity": {"Login History": {}}, "Profile": {}}`, Options{})
		require.NoError(t, r.Err())
		assert.Empty(t, cs)
		require.Len(t, r.Problems(), 1)
		assert.Contains(t, r.Problems()[0].Error(), "no direct messages")
	})
	t.Run("syntax error keeps the chats before it", func(t *testing.T) {
		in := tiktokDownload(`"Chat History with sam.k:": [{"Date": "2026-03-14 21:03:00", "From": "sam.k", "Content": "one"}],
			"Chat History with noa.d:": [{"Date": "2026-03-14 21:03:00", "From": "noa.d", "Content": "two"`)
		cs, r := read(t, in, Options{})
		require.Len(t, cs, 1)
		assert.Equal(t, "one", cs[0].Messages[0].Text)
		var pe *ParseError
		require.ErrorAs(t, r.Err(), &pe)
		assert.NotContains(t, pe.Error(), "two", "errors never quote message text")
	})
	t.Run("text cut at the cap", func(t *testing.T) {
		cs, r := read(t, tiktokDownload(`"Chat History with sam.k:": [{"Date": "2026-03-14 21:03:00", "From": "sam.k", "Content": "`+strings.Repeat("é", 30)+`"}]`),
			Options{MaxMessageBytes: 11})
		require.Len(t, cs, 1)
		assert.Equal(t, strings.Repeat("é", 5), cs[0].Messages[0].Text)
		require.NotEmpty(t, r.Problems())
		assert.ErrorIs(t, r.Problems()[0], ErrTooLarge)
	})
	t.Run("wrong shapes skipped", func(t *testing.T) {
		cs, r := read(t, tiktokDownload(`"Chat History with sam.k:": [{"Date": 5, "From": {"x": 1}, "Content": "one"}, {"Date": "2026-03-14 21:03:00", "From": "sam.k", "Content": "two"}],
			"Chat History with odd:": {"not": "a list"}`), Options{})
		require.NoError(t, r.Err())
		require.Len(t, cs, 1)
		assert.Equal(t, "two", cs[0].Messages[len(cs[0].Messages)-1].Text)
		assert.NotEmpty(t, r.Problems(), "the bad element is reported")
	})
}

func TestTikTokPartner(t *testing.T) {
	assert.Equal(t, "sam.k", tiktokPartner("Chat History with sam.k:"))
	assert.Equal(t, "sam.k", tiktokPartner(" Chat History with sam.k : "))
	assert.Equal(t, "other key", tiktokPartner("other key"))
}

// FuzzTikTok: no panic; texts valid UTF-8 within the cap; every message numbered.
func FuzzTikTok(f *testing.F) {
	addSeeds(f, FormatTikTok)
	f.Add([]byte(tiktokDownload(`"Chat History with a:": [{"Date": "2026-02-30 25:00:00", "From": "a", "Content": "https://x y"}]`)))
	f.Add([]byte(`{"Direct Message": {"ChatHistory": {"x": [[]]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FormatTikTok, data)
		r, err := NewReader("fuzz.json", strings.NewReader(string(data)), Options{Format: FormatTikTok, MaxMessageBytes: 64})
		if err != nil {
			return
		}
		for r.Next() {
			for i, m := range r.Conversation().Messages {
				if m.ID == "" || !utf8.ValidString(m.Text) || len(m.Text) > 64 {
					t.Fatalf("message %d: id %q, text %q", i, m.ID, m.Text)
				}
			}
		}
	})
}
