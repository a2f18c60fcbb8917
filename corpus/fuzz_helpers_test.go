package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// addSeeds adds every fixture file of testdata/<format>/ (not folders, not golden files) to f's corpus.
func addSeeds(f *testing.F, format Format) {
	files, _ := filepath.Glob(filepath.Join("testdata", string(format), "*"))
	for _, p := range files {
		if filepath.Ext(p) == ".golden" || filepath.Ext(p) == ".zip" {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Size() < 1<<20 {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

// fuzzRead reads data as format with small caps and checks the reader's invariants: no panic, a
// bounded number of conversations, and every problem and error positioned and printable.
func fuzzRead(t *testing.T, format Format, data []byte) {
	r, err := NewReader("fuzz", bytes.NewReader(data), Options{Format: format, MaxMessageBytes: 4096, MaxLineBytes: 1 << 16})
	if err != nil {
		_ = err.Error()
		return
	}
	defer r.Close()
	n := 0
	for r.Next() {
		c := r.Conversation()
		if c == nil {
			t.Fatal("Next returned true with a nil conversation")
		}
		for i := range c.Messages {
			if len(c.Messages[i].Text) > 4096 {
				t.Fatalf("message text over the cap: %d bytes", len(c.Messages[i].Text))
			}
		}
		if _, err := MarshalConversation(c); err != nil {
			t.Fatalf("conversation does not marshal: %v", err)
		}
		n++
		if n > len(data)+1 {
			t.Fatalf("more conversations (%d) than input bytes (%d)", n, len(data))
		}
	}
	for _, p := range r.Problems() {
		_ = p.Error()
	}
	if err := r.Err(); err != nil {
		_ = err.Error()
	}
}

// benchRead reads data as an input named name, b.N times, and reports its msgs/s (with allocations
// and bytes/s). want, when above 0, is the number of messages each read must give.
func benchRead(b *testing.B, name string, data []byte, o Options, want int) {
	b.Helper()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	msgs := 0
	for b.Loop() {
		r, err := NewReader(name, bytes.NewReader(data), o)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for r.Next() {
			n += len(r.Conversation().Messages)
		}
		if err := r.Err(); err != nil {
			b.Fatal(err)
		}
		if want > 0 && n != want {
			b.Fatalf("%d messages, want %d", n, want)
		}
		msgs += n
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}

// readOne reads text as the input name with o: its one conversation (nil when it gives none) and
// the reader, closed at the end of the test.
func readOne(t *testing.T, name, text string, o Options) (*Conversation, Reader) {
	t.Helper()
	r, err := NewReader(name, strings.NewReader(text), o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	if !r.Next() {
		return nil, r
	}
	c := r.Conversation()
	require.False(t, r.Next(), "one conversation per input")
	return c, r
}
