package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
)

func TestConfusionAndF(t *testing.T) {
	scores := []float64{0.9, 0.8, 0.7, 0.4, 0.3, 0.1}
	labels := []bool{true, false, true, true, false, false}
	c := At(scores, labels, 0.5)
	require.Equal(t, Confusion{TP: 2, FP: 1, TN: 2, FN: 1}, c)
	require.InDelta(t, 2.0/3, c.Precision(), 1e-12)
	require.InDelta(t, 2.0/3, c.Recall(), 1e-12)
	require.InDelta(t, 2.0/3, c.F1(), 1e-12)
	// F0.5 with p=1, r=0.5: 1.25*0.5/(0.25+0.5) = 0.8333…
	require.InDelta(t, 0.8333333333, Confusion{TP: 1, FN: 1}.F05(), 1e-9)
}

// The AUC equals the Mann-Whitney probability that a random positive outscores a random
// negative (ties half), computed here by brute force, and gonum's ROC agrees without ties.
func TestROCAUCMatchesPairCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 50 + r.IntN(100)
		scores := make([]float64, n)
		labels := make([]bool, n)
		for i := range scores {
			labels[i] = r.Float64() < 0.3
			scores[i] = math.Round(r.Float64()*20) / 20 // many ties
			if labels[i] {
				scores[i] = math.Min(1, scores[i]+0.2)
			}
		}
		labels[0], labels[1] = true, false
		_, auc, err := ROC(scores, labels)
		require.NoError(t, err)
		var wins, pairs float64
		for i := range scores {
			for j := range scores {
				if labels[i] && !labels[j] {
					pairs++
					if scores[i] > scores[j] {
						wins++
					} else if scores[i] == scores[j] {
						wins += 0.5
					}
				}
			}
		}
		require.InDelta(t, wins/pairs, auc, 1e-12)
	}
	// Distinct scores: compare with gonum's stat.ROC and trapezoid area.
	scores := []float64{0.95, 0.9, 0.85, 0.6, 0.55, 0.4, 0.3, 0.2}
	labels := []bool{true, true, false, true, false, true, false, false}
	_, auc, err := ROC(scores, labels)
	require.NoError(t, err)
	rev := make([]float64, len(scores)) // gonum wants ascending scores
	cls := make([]bool, len(scores))
	for i := range scores {
		rev[i] = scores[len(scores)-1-i]
		cls[i] = labels[len(scores)-1-i]
	}
	tpr, fpr, _ := stat.ROC(nil, rev, cls, nil)
	var g float64
	for i := 1; i < len(tpr); i++ {
		g += (fpr[i] - fpr[i-1]) * (tpr[i] + tpr[i-1]) / 2
	}
	require.InDelta(t, g, auc, 1e-12)
}

func TestAveragePrecision(t *testing.T) {
	// Ranking P N P N: AP = (1/2)*1 + (1/2)*(2/3) = 0.8333…
	_, ap, err := PR([]float64{0.9, 0.8, 0.7, 0.6}, []bool{true, false, true, false})
	require.NoError(t, err)
	require.InDelta(t, 0.8333333333, ap, 1e-9)
}

func TestCalibrationPicksLowestThresholdMeetingTargets(t *testing.T) {
	scores := []float64{0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4}
	labels := []bool{true, true, true, false, true, false, false, false}
	thr, c, ok, err := Calibration{MinPrecision: 0.75}.Threshold(scores, labels)
	require.NoError(t, err)
	require.True(t, ok)
	// At 0.7: TP 4, FP 1 → precision 0.8 ≥ 0.75; at 0.6 precision 4/6 < 0.75.
	require.Equal(t, Confusion{TP: 4, FP: 1, FN: 0, TN: 3}, c)
	require.InDelta(t, 0.65, thr, 1e-12)
	require.Equal(t, c, At(scores, labels, thr))

	_, c, ok, err = Calibration{MaxFPR: 0.0}.Threshold(scores, labels)
	require.NoError(t, err)
	require.True(t, ok, "MaxFPR 0 means no constraint")
	require.Equal(t, 4, c.TP+c.FN)

	thr, c, ok, err = Calibration{MinPrecision: 1, MaxFPR: 0.01}.Threshold([]float64{0.9, 0.8}, []bool{false, true})
	require.NoError(t, err)
	require.False(t, ok)
	require.Greater(t, thr, 0.9)
	require.Equal(t, 0, c.TP+c.FP)
}

func TestCalibrationPrefersHighestThresholdAtEqualRecall(t *testing.T) {
	// Both positives score above every negative: recall 1 is reached at 0.8 already; the lower
	// steps add only false positives and must not be chosen even though they meet the targets.
	scores := []float64{0.9, 0.8, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01}
	labels := []bool{true, true, false, false, false, false, false, false, false, false}
	thr, c, ok, err := Calibration{MinPrecision: 0.5, MaxFPR: 0.5}.Threshold(scores, labels)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, Confusion{TP: 2, TN: 8}, c)
	require.InDelta(t, 0.55, thr, 1e-12)
}

func TestOneClassIsAnError(t *testing.T) {
	_, _, err := ROC([]float64{0.1, 0.2}, []bool{false, false})
	require.ErrorIs(t, err, ErrOneClass)
	s := Summarize([]float64{0.1, 0.9}, []bool{false, false}, 0.5)
	require.Nil(t, s.ROCAUC)
	require.Equal(t, 1, s.Confusion.FP)
}
