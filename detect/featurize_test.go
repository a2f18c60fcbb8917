package detect

import (
	"testing"

	"github.com/stretchr/testify/require"

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
