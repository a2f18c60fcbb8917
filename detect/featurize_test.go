package detect

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/features"
)

func TestMergeOverlapsKeepsHeaviestPerStage(t *testing.T) {
	c, p := features.StageCountdown, features.StagePaymentDemand
	hits := []features.Hit{
		{Stage: c, Start: 0, End: 10, Weight: 1},
		{Stage: c, Start: 4, End: 18, Weight: 2},  // overlaps the first, heavier: replaces it
		{Stage: p, Start: 5, End: 9, Weight: 1},   // other stage: kept
		{Stage: c, Start: 20, End: 25, Weight: 1}, // no overlap: kept
		{Stage: c, Start: 21, End: 23, Weight: 0.5},
	}
	got := mergeOverlaps(hits)
	require.Equal(t, []features.Hit{
		{Stage: c, Start: 4, End: 18, Weight: 2},
		{Stage: p, Start: 5, End: 9, Weight: 1},
		{Stage: c, Start: 20, End: 25, Weight: 1},
	}, got)
}

func TestFeaturizerWithHuggingFaceTokenizer(t *testing.T) {
	tj, err := os.ReadFile("../features/testdata/tokenizer/wordpiece_tiny.json")
	require.NoError(t, err)
	f, err := NewFeaturizer(FeaturizerConfig{TokenizerJSON: tj}, features.Options{})
	require.NoError(t, err)
	require.Contains(t, f.Config().Tokenizer, "hf:")
	require.Contains(t, f.TokenizerName(), "hf-")
	c := &corpus.Conversation{ID: "c", Messages: []corpus.Message{
		{ID: "1", Author: "A", Text: "hello, how are you?"},
		{ID: "2", Author: "B", Text: "fine \xff thanks"},
	}}
	a := f.Analyze(c, true)
	require.NotEmpty(t, a.Rows)
	require.NotEmpty(t, a.Rows[0].IDs)
	for _, id := range a.Rows[0].IDs {
		require.True(t, id >= 1 && id < int64(f.Vocab()), "id %d outside [1, %d)", id, f.Vocab())
	}
	// A model trained with this tokenizer refuses another one, and needs it.
	_, err = NewFeaturizer(FeaturizerConfig{Tokenizer: f.Config().Tokenizer, TokenizerJSON: append([]byte(" "), tj...)}, features.Options{})
	require.ErrorIs(t, err, ErrTokenizer)
	_, err = NewFeaturizer(FeaturizerConfig{Tokenizer: f.Config().Tokenizer}, features.Options{})
	require.ErrorIs(t, err, ErrTokenizer)
}
