package corpus

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJSONLRoundTrip(t *testing.T) {
	in := `{"id":"c1","platform":"p","label":"sextortion","suspects":["A"],"messages":[{"id":"1","author":"A","time":"2026-03-14T21:03:00Z","text":"x <b>&amp;"}],"zz":[1,2],"aa":"keep"}`
	r, err := NewReader("in.jsonl", strings.NewReader(in+"\n"), Options{})
	require.NoError(t, err)
	require.Equal(t, FormatJSONL, r.Format())
	cs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	cs[0].Source = Source{}
	out, err := MarshalConversation(cs[0])
	require.NoError(t, err)
	require.JSONEq(t, in, string(out))
	require.Contains(t, string(out), `<b>&amp;`, "HTML is not escaped in canonical JSONL")
}

func TestJSONLBadLinesAreSkippedNotFatal(t *testing.T) {
	in := "{\"id\":\"a\",\"messages\":[]}\n{broken\n{\"id\":\"b\",\"messages\":[]}\n"
	r, err := NewReader("x.jsonl", strings.NewReader(in), Options{Format: FormatJSONL})
	require.NoError(t, err)
	cs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, cs, 2)
	require.Equal(t, "b", cs[1].ID)
	require.Len(t, r.Problems(), 1)
	require.Equal(t, 2, r.Problems()[0].Line)
	require.Contains(t, r.Problems()[0].Error(), "x.jsonl:2:")
}

func TestJSONLLineCap(t *testing.T) {
	long := `{"id":"big","messages":[{"author":"A","text":"` + strings.Repeat("a", 5000) + `"}]}`
	in := long + "\n" + `{"id":"ok","messages":[]}` + "\n"
	r, err := NewReader("x.jsonl", strings.NewReader(in), Options{Format: FormatJSONL, MaxLineBytes: 1000})
	require.NoError(t, err)
	cs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.Equal(t, "ok", cs[0].ID)
	require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
}

func TestDetectUnknown(t *testing.T) {
	_, err := NewReader("x.bin", bytes.NewReader([]byte{0, 1, 2, 3}), Options{})
	require.ErrorIs(t, err, ErrUnknownFormat)
	require.Contains(t, err.Error(), "x.bin")
	require.Contains(t, err.Error(), "cannot tell the format")
}

func FuzzJSONL(f *testing.F) {
	addSeeds(f, FormatJSONL)
	f.Add([]byte(`{"id":"a","messages":[{"text":"\u00e9","time":1e300}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatJSONL, data) })
}
