package corpus

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDetectJSONExports checks that each JSON export is recognized from its content under a file
// name that points to another format, from a head cut in the middle of the document, and that the
// formats do not claim each other's files.
func TestDetectJSONExports(t *testing.T) {
	tests := []struct {
		name, fixture, as string
		cut               int // bytes of the fixture given to Detect; 0 = all
		want              Format
	}{
		{name: "discord named like telegram", fixture: "testdata/discord/dm.json", as: "result.json", want: FormatDiscord},
		{name: "discord cut mid-message", fixture: "testdata/discord/server_channel.json", as: "x.json", cut: 900, want: FormatDiscord},
		{name: "telegram named like meta", fixture: "testdata/telegram/personal_chat.json", as: "message_1.json", want: FormatTelegram},
		{name: "telegram cut", fixture: "testdata/telegram/group.json", as: "chat.jsonl", cut: 700, want: FormatTelegram},
		{name: "telegram full account named like snapchat", fixture: "testdata/telegram/full_account.json", as: "chat_history.json", want: FormatTelegram},
		{name: "telegram full account cut before the chats", fixture: "testdata/telegram/full_account.json", as: "result.json", cut: 600, want: FormatTelegram},
		{name: "meta named like discord", fixture: "testdata/meta/ig_thread.json", as: "general.json", want: FormatMeta},
		{name: "meta cut", fixture: "testdata/meta/fb_group.json", as: "result.json", cut: 400, want: FormatMeta},
		{name: "snapchat old layout named like meta", fixture: "testdata/snapchat/chat_history_2021.json", as: "message_1.json", want: FormatSnapchat},
		{name: "snapchat new layout named like jsonl", fixture: "testdata/snapchat/chat_history_2024.json", as: "export.jsonl", cut: 500, want: FormatSnapchat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := os.ReadFile(tt.fixture)
			require.NoError(t, err)
			if tt.cut > 0 {
				b = b[:tt.cut]
			}
			require.Equal(t, tt.want, Detect(tt.as, b))
		})
	}
	// One-line (minified) exports must not be taken for canonical JSONL.
	min := `{"guild":{"id":"0","name":"Direct Messages"},"channel":{"id":"1","type":"DirectTextChat","name":"a"},"messages":[{"id":"2","type":"Default","timestamp":"2024-01-01T00:00:00+00:00","content":"x","author":{"id":"3","name":"a"}}]}`
	require.Equal(t, FormatDiscord, Detect("a.json", []byte(min)))
	require.Equal(t, FormatUnknown, Detect("dm.json", []byte(`{"foo": 1}`)))
}

func TestDiscordBadElementRecovery(t *testing.T) {
	doc := `{"guild":{"id":"0","name":"Direct Messages"},"channel":{"id":"9","name":"a"},"messages":[
  {"id":"1","type":"Default","timestamp":"2024-01-01T10:00:00+00:00","content":"first","author":{"id":"5","name":"a"}},
  {"id":"2","type":"Default","timestamp":"2024-01-01T10:01:00+00:00","content":{"bad":true},"author":{"id":"5","name":"a"}},
  17,
  {"id":"3","type":"Default","timestamp":"not a time","content":"third","author":{"id":"6","name":"b"}}
]}`
	r, err := NewReader("d.json", strings.NewReader(doc), Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	require.Len(t, convs[0].Messages, 2)
	require.Equal(t, "first", convs[0].Messages[0].Text)
	require.True(t, convs[0].Messages[1].Time.IsZero())
	ps := r.Problems()
	require.Len(t, ps, 3)
	// Each problem points at the first byte of the element, with its line.
	require.Equal(t, 3, ps[0].Line)
	require.Equal(t, byte('{'), doc[ps[0].Offset])
	require.Equal(t, 4, ps[1].Line)
	require.Equal(t, "17", doc[ps[1].Offset:ps[1].Offset+2])
	require.Contains(t, ps[2].Error(), `message "3": time unknown`)
}

func TestDiscordSyntaxErrorIsFatal(t *testing.T) {
	doc := "{\"guild\":{\"id\":\"0\"},\"channel\":{\"id\":\"9\"},\"messages\":[\n" +
		`{"id":"1","content":"ok","author":{"name":"a"}},` + "\n" +
		`{"id":"2","content":"oops" "author":{}}` + "\n]}"
	r, err := NewReader("d.json", strings.NewReader(doc), Options{Format: FormatDiscord})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.Empty(t, convs)
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	require.Equal(t, 3, pe.Line)
	require.Equal(t, int64(strings.Index(doc, `"author":{}`)), pe.Offset)
	require.False(t, r.Next(), "the error sticks")
}

func TestJSONReadersRejectNonExports(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
		reason  string
	}{
		{in: "", wantErr: true},
		{in: "[]", wantErr: true},
		{in: `"x"`, wantErr: true},
		{in: "{", wantErr: true},
		{in: `{"a":1}`, wantErr: true, reason: "an object without any of the format's keys"},
		{in: "{}\x00", wantErr: false, reason: "only must not panic: an empty Snapchat history is valid"},
	}
	for _, f := range []Format{FormatDiscord, FormatTelegram, FormatMeta, FormatSnapchat} {
		for _, tt := range tests {
			r, err := NewReader("x", strings.NewReader(tt.in), Options{Format: f})
			require.NoError(t, err)
			for r.Next() {
				require.NotNil(t, r.Conversation())
			}
			if !tt.wantErr {
				continue
			}
			if f == FormatDiscord && tt.in == "[]" {
				// The messages.json of an empty channel of a Discord data package: nothing to read.
				require.NoError(t, r.Err())
				continue
			}
			var pe *ParseError
			require.True(t, errors.As(r.Err(), &pe), "%s %q: %v (%s)", f, tt.in, r.Err(), tt.reason)
			require.NotEmpty(t, pe.Error())
		}
	}
	// An empty Snapchat history is valid and empty; the other formats need their keys.
	r, err := NewReader("x", strings.NewReader("{}"), Options{Format: FormatSnapchat})
	require.NoError(t, err)
	require.False(t, r.Next())
	require.NoError(t, r.Err())
}

func TestJSONReadersInvalidUTF8AndPredators(t *testing.T) {
	for _, fixture := range []string{"testdata/discord/dm.json", "testdata/telegram/group.json",
		"testdata/meta/fb_group.json", "testdata/snapchat/chat_history_2024.json"} {
		b, err := os.ReadFile(fixture)
		require.NoError(t, err)
		// Break UTF-8 in every string that holds an é.
		b = bytes.ReplaceAll(b, []byte("é"), []byte("\xc3\x28\xff"))
		r, err := NewReader(fixture, bytes.NewReader(b), Options{Predators: map[string]bool{"sam.k": true, "Malo": true}})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err, fixture)
		require.NotEmpty(t, convs)
		for _, c := range convs {
			require.NotEqual(t, LabelNone, c.Label, "predators given: every conversation is labeled")
			_, err := MarshalConversation(c)
			require.NoError(t, err)
		}
	}
}

func TestDiscordPredatorsLabel(t *testing.T) {
	r, err := Open("testdata/discord/dm.json", Options{Predators: map[string]bool{"sam.k": true}})
	require.NoError(t, err)
	defer r.Close()
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, LabelGrooming, convs[0].Label)
	require.Equal(t, []string{"sam.k"}, convs[0].Suspects)
	require.Equal(t, "suspect", convs[0].Participants[1].Role)
}

func TestLineTrackerDropsOldBytes(t *testing.T) {
	// A long skipped section: no query for 10 MiB, then a value; the tracker keeps at most
	// lineTrackerKeep bytes and still knows lines after the section.
	var sb strings.Builder
	sb.WriteString(`{"skip":"`)
	line := strings.Repeat("a", 1023) + `\n`
	for sb.Len() < 10<<20 {
		sb.WriteString(line)
	}
	sb.WriteString("\",\n\"x\":\n  1}")
	s := newJSONStream("t", strings.NewReader(sb.String()), FormatTelegram)
	require.NoError(t, s.begin())
	k, _, err := s.key()
	require.NoError(t, err)
	require.Equal(t, "skip", k)
	require.NoError(t, s.skip())
	require.LessOrEqual(t, s.lines.held, lineTrackerKeep+(1<<20))
	_, _, err = s.key()
	require.NoError(t, err)
	var v int
	line3, off, bad, err := s.element(&v)
	require.NoError(t, err)
	require.Nil(t, bad)
	require.Equal(t, 3, line3)
	require.Equal(t, byte('1'), sb.String()[off])
	_, err = s.dec.Token()
	require.NoError(t, err)
	_, err = s.dec.Token()
	require.Equal(t, io.EOF, err)
}

func FuzzDiscord(f *testing.F) {
	addSeeds(f, FormatDiscord)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatDiscord, data) })
}
