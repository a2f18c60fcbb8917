package corpus

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSnapchatTimeUnits(t *testing.T) {
	want := time.Date(2024, 9, 5, 15, 20, 49, 0, time.UTC)
	tests := []struct {
		name, fields string
		want         time.Time
	}{
		{name: "milliseconds (real exports)", fields: `"Created(microseconds)":1725549649238`, want: want.Add(238 * time.Millisecond)},
		{name: "microseconds", fields: `"Created(microseconds)":1725549649238001`, want: want.Add(238001 * time.Microsecond)},
		{name: "seconds", fields: `"Created(microseconds)":1725549649`, want: want},
		{name: "created string", fields: `"Created":"2024-09-05 15:20:49 UTC"`, want: want},
		{name: "zero number falls back to the string", fields: `"Created(microseconds)":0,"Created":"2024-09-05 15:20:49 UTC"`, want: want},
		{name: "unreadable", fields: `"Created":"yesterday"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"someone":[{"From":"someone","Media Type":"TEXT",` + tt.fields + `,"Content":"x","IsSender":false}]}`
			r, err := NewReader("c.json", strings.NewReader(doc), Options{})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.NoError(t, err)
			require.Len(t, convs, 1)
			require.True(t, tt.want.Equal(convs[0].Messages[0].Time), "got %v", convs[0].Messages[0].Time)
			if tt.want.IsZero() {
				require.Len(t, r.Problems(), 1)
			}
		})
	}
}

func TestSnapchatMediaKinds(t *testing.T) {
	tests := []struct {
		mt     string
		kind   AttachmentKind
		system bool
	}{
		{mt: "TEXT"}, {mt: "MEDIA", kind: AttachmentUnknown}, {mt: "SNAP", kind: AttachmentUnknown},
		{mt: "NOTE", kind: AttachmentAudio}, {mt: "STICKER", kind: AttachmentSticker},
		{mt: "IMAGE", kind: AttachmentImage}, {mt: "VIDEO", kind: AttachmentVideo},
		{mt: "LOCATION", kind: AttachmentLocation}, {mt: "SHARESAVEDSTORY", kind: AttachmentLink},
		{mt: "STATUS", system: true}, {mt: "STATUSCALLMISSEDVIDEO", kind: AttachmentCall, system: true},
	}
	for _, tt := range tests {
		t.Run(tt.mt, func(t *testing.T) {
			doc := `{"Received Saved Chat History":[{"From":"abc","Media Type":"` + tt.mt + `","Created":"2021-03-14 21:03:05 UTC","Text":null}]}`
			r, err := NewReader("c.json", strings.NewReader(doc), Options{})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.NoError(t, err)
			m := convs[0].Messages[0]
			require.Equal(t, tt.system, m.System)
			if tt.kind == "" {
				require.Empty(t, m.Attachments)
			} else {
				require.Equal(t, []Attachment{{Kind: tt.kind}}, m.Attachments)
			}
		})
	}
}

func TestSnapchatYieldsConversationsInOrder(t *testing.T) {
	doc := `{"b":[{"From":"b","Media Type":"TEXT","Created":"2024-01-01 10:00:01 UTC","Content":"2"},
	               {"From":"b","Media Type":"TEXT","Created":"2024-01-01 10:00:00 UTC","Content":"1"}],
	         "Account":{"not":"a list"},
	         "a":[]}`
	r, err := NewReader("c.json", strings.NewReader(doc), Options{})
	require.NoError(t, err)
	require.True(t, r.Next())
	c := r.Conversation()
	require.Equal(t, "b", c.ID)
	require.Equal(t, "1", c.Messages[0].Text, "newest-first lists are output oldest first")
	require.True(t, r.Next())
	require.Equal(t, "a", r.Conversation().ID)
	require.False(t, r.Next())
	require.NoError(t, r.Err())
}

func FuzzSnapchat(f *testing.F) {
	addSeeds(f, FormatSnapchat)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatSnapchat, data) })
}
