package detect

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/features"
)

// naiveRows is the straightforward construction of a window's rows that Featurizer.rows must
// match: the conversation row holds the last MaxIDs ids of the window, each author row the last
// MaxIDs ids of that author's messages in the window, authors in order of first message.
func naiveRows(t *testing.T, f *Featurizer, c *corpus.Conversation) [][]int64 {
	t.Helper()
	var h features.Hasher = f.cfg.Hasher
	nz := f.x.Normalizer()
	var n features.Normalized
	ids := make([][]int64, len(c.Messages))
	for i := range c.Messages {
		if !c.Messages[i].System {
			nz.Normalize(&n, c.Messages[i].Text)
			ids[i] = h.AppendIDs(nil, n.Text)
		}
	}
	last := func(s []int64) []int64 { return s[max(0, len(s)-f.cfg.MaxIDs):] }
	var out [][]int64
	w := f.cfg.Window
	for start := 0; start < len(c.Messages); start += w {
		end := min(start+w, len(c.Messages))
		var all []int64
		for i := start; i < end; i++ {
			all = append(all, ids[i]...)
		}
		out = append(out, last(all))
		var seen []string
		for i := start; i < end; i++ {
			m := c.Messages[i]
			if m.System || m.Author == "" || slices.Contains(seen, m.Author) {
				continue
			}
			seen = append(seen, m.Author)
			var own []int64
			for j := i; j < end; j++ {
				if c.Messages[j].Author == m.Author {
					own = append(own, ids[j]...)
				}
			}
			out = append(out, last(own))
		}
	}
	return out
}

func TestRowsMatchNaive(t *testing.T) {
	texts := []string{"salut ça va", "tu as quel âge ?", "j'ai 13 ans et toi", "envoie une photo stp",
		"c'est notre secret ok", "", "lol", "on se voit demain après l'école ? je peux venir te chercher"}
	for _, maxIDs := range []int{1, 7, 40, 5000} {
		t.Run(fmt.Sprintf("max_ids=%d", maxIDs), func(t *testing.T) {
			f, err := NewFeaturizer(FeaturizerConfig{Window: 5, MaxIDs: maxIDs}, features.Options{})
			if err != nil {
				t.Fatal(err)
			}
			c := &corpus.Conversation{ID: "c"}
			t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := range 23 {
				m := corpus.Message{ID: fmt.Sprint(i), Author: []string{"a", "b", "c"}[i*7%3], Text: texts[i%len(texts)],
					Time: t0.Add(time.Duration(i) * time.Minute)}
				if i%9 == 4 {
					m.System, m.Author = true, ""
				}
				c.Messages = append(c.Messages, m)
			}
			a := f.Analyze(c, true)
			want := naiveRows(t, f, c)
			if len(a.Rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(a.Rows), len(want))
			}
			for i, r := range a.Rows {
				if !slices.Equal(r.IDs, want[i]) && (len(r.IDs) != 0 || len(want[i]) != 0) {
					t.Fatalf("row %d (%v %q window %d): ids %v, want %v", i, r.Kind, r.Author, r.Window, r.IDs, want[i])
				}
				if len(r.Feats) != f.Schema().Len() {
					t.Fatalf("row %d has %d features, want %d", i, len(r.Feats), f.Schema().Len())
				}
			}
		})
	}
}
