package detect

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnxfile"
)

func TestFlatInput(t *testing.T) {
	for _, c := range []struct {
		name string
		msgs []corpus.Message
		want bool
	}{
		{"one message without author", []corpus.Message{{Text: "hello there"}}, true},
		{"one system message", []corpus.Message{{Author: "app", Text: "joined", System: true}}, true},
		{"one message with author", []corpus.Message{{Author: "a", Text: "hello"}}, false},
		{"two messages without author", []corpus.Message{{Text: "hello"}, {Text: "there"}}, false},
		{"no message", nil, false},
	} {
		require.Equal(t, c.want, FlatInput(&corpus.Conversation{Messages: c.msgs}), c.name)
	}
}

// A flat input's reported score reaches the model's threshold exactly when its raw score reaches
// the flat threshold, keeps the order of raw scores, and stays in [0, 1].
func TestFlatMapIsExactAtThresholdAndMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		flat := float64(float32(r.Float64()*0.98 + 0.01))
		thr := float64(float32(r.Float64()*0.98 + 0.01))
		m := newFlatMap(flat, thr)
		require.Equal(t, flat != thr, m.on)
		scores := []float64{0, 1, flat, math.Nextafter(flat, 0), math.Nextafter(flat, 1), float64(float32(flat)), 1e-300}
		for range 50 {
			scores = append(scores, r.Float64())
		}
		prev := -1.0
		sortedCopy := append([]float64(nil), scores...)
		slices.Sort(sortedCopy)
		for _, s := range sortedCopy {
			v := m.apply(s)
			require.True(t, v >= 0 && v <= 1, "apply(%v) = %v", s, v)
			require.GreaterOrEqual(t, v, prev, "not monotone at %v", s)
			prev = v
			if m.on {
				require.Equal(t, s >= flat, v >= thr, "flat %v thr %v: raw %v reported %v", flat, thr, s, v)
			}
		}
		require.Equal(t, 0.0, m.apply(0))
		require.Equal(t, 1.0, m.apply(1))
	}
	// Off: the identity.
	for _, m := range []flatMap{newFlatMap(0.5, 0.5), newFlatMap(0, 0.5), newFlatMap(0.7, 1), {}} {
		require.False(t, m.on)
		require.Equal(t, 0.42, m.apply(0.42))
	}
}

// withFlatThresholds returns model file b with the flat thresholds ft.
func withFlatThresholds(t testing.TB, b []byte, ft map[string]float32) []byte {
	t.Helper()
	n, meta, err := onnxfile.Decode(b)
	require.NoError(t, err)
	meta.FlatThresholds = ft
	n2, err := models.NewNetWeights(meta, n.Emb, n.W1, n.B1, n.W2, n.B2)
	require.NoError(t, err)
	out, err := onnxfile.Encode(n2)
	require.NoError(t, err)
	return out
}

// A model's flat thresholds apply to flat inputs only: a flat input is flagged exactly when its raw
// score (the score without flat thresholds) reaches the flat threshold, conversations with authors
// score as before, and a session reports what Analyze reports, also once a second message ends
// the flat form.
func TestFlatThresholdsInReports(t *testing.T) {
	ctx := context.Background()
	base := randomModel(t, FeaturizerConfig{}, 5, 0.5)
	plain, err := New(Options{Model: base, Backend: BackendGo})
	require.NoError(t, err)
	defer plain.Close()

	texts := []string{
		"hi how was school today", "are your parents home right now", "let us keep this between us ok",
		"the match starts at eight, bring the ball", "send me a picture of you", "happy new year everyone",
		"do you want a gift card for your birthday", "we can meet at the park after class", "lol that game was long",
	}
	flatConv := func(i int) *corpus.Conversation {
		return &corpus.Conversation{ID: "flat", Messages: []corpus.Message{{ID: "1", Text: texts[i%len(texts)] + " " + texts[(i+3)%len(texts)]}}}
	}
	// The flat threshold sits at the median raw grooming score of the flat inputs, so that both
	// sides of it are exercised.
	var raw []float64
	for i := range texts {
		r, err := plain.Analyze(ctx, flatConv(i))
		require.NoError(t, err)
		require.True(t, r.FlatInput)
		raw = append(raw, r.Grooming.Score)
	}
	sorted := append([]float64(nil), raw...)
	slices.Sort(sorted)
	ft := float32(sorted[len(sorted)/2])
	model := withFlatThresholds(t, base, map[string]float32{HeadGrooming: ft})
	d, err := New(Options{Model: model, Backend: BackendGo})
	require.NoError(t, err)
	defer d.Close()
	require.Equal(t, map[string]float64{HeadGrooming: float64(ft)}, d.Model().FlatThresholds)

	flagged := 0
	for i := range texts {
		c := flatConv(i)
		r, err := d.Analyze(ctx, c)
		require.NoError(t, err)
		require.Equal(t, 0.5, r.Grooming.Threshold)
		require.Equal(t, raw[i] >= float64(ft), r.Grooming.Flagged, "flat input %d: raw %v, flat threshold %v", i, raw[i], ft)
		if r.Grooming.Flagged {
			flagged++
		}
		p, err := plain.Analyze(ctx, c)
		require.NoError(t, err)
		require.InDelta(t, p.Sextortion.Score, r.Sextortion.Score, 1e-12, "a head without flat threshold is unchanged")

		// The same text with an author is not flat: scored as without flat thresholds.
		ca := &corpus.Conversation{ID: "authored", Messages: []corpus.Message{{ID: "1", Author: "a", Text: c.Messages[0].Text}}}
		ra, err := d.Analyze(ctx, ca)
		require.NoError(t, err)
		pa, err := plain.Analyze(ctx, ca)
		require.NoError(t, err)
		require.False(t, ra.FlatInput)
		require.Equal(t, pa.Grooming.Score, ra.Grooming.Score)
	}
	require.Positive(t, flagged)
	require.Less(t, flagged, len(texts))

	// Streaming: after the single flat message and after a second one, a session reports what
	// Analyze reports on the conversation so far.
	var cs []*corpus.Conversation
	for i := range texts {
		c := flatConv(i)
		cs = append(cs, c)
		two := *c
		two.ID = "two"
		two.Messages = append([]corpus.Message{c.Messages[0]}, corpus.Message{ID: "2", Text: texts[(i+1)%len(texts)]})
		cs = append(cs, &two)
	}
	checkStreamingEqualsBatch(t, d, cs)
	d1, err := New(Options{Model: withFlatThresholds(t, randomModel(t, FeaturizerConfig{Window: 1}, 5, 0.5), map[string]float32{HeadGrooming: ft}), Backend: BackendGo})
	require.NoError(t, err)
	defer d1.Close()
	checkStreamingEqualsBatch(t, d1, cs) // windows of one message: the flat window closes at once
}
