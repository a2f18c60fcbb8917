package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
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

// SubsetThreshold keeps the constraints over every unit and picks the best F-beta of the subset.
func TestSubsetThresholdHandExample(t *testing.T) {
	// Units 0-5 are the subset; 6-9 the others (easy: two positives high, two negatives low).
	scores := []float64{0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.99, 0.98, 0.1, 0.05}
	labels := []bool{true, false, true, true, false, true, true, true, false, false}
	in := []bool{true, true, true, true, true, true, false, false, false, false}
	// Over all units, a false-positive rate of at most 1/4 allows thresholds down to 0.9 only
	// (a second negative, 0.7, would make 2/4).
	c := Calibration{MaxFPR: 0.25}
	thr, at, ok, err := c.SubsetThreshold(scores, labels, in, 0.5)
	require.NoError(t, err)
	require.True(t, ok)
	// Allowed steps: 0.99, 0.98, 0.95, 0.9, 0.85, 0.8 (FPR 1/4 from 0.9 down to 0.8). Subset F0.5:
	// at 0.95 (1 TP, 0 FP, 3 FN) 0.556; at 0.85 (2, 1, 2) 0.667; at 0.8 (3, 1, 1) 0.75: 0.8 wins,
	// placed halfway to 0.7.
	require.InDelta(t, 0.75, thr, 1e-12)
	require.Equal(t, Confusion{TP: 3, FP: 1, FN: 1, TN: 1}, at)

	// A precision floor over all units that only the top steps meet moves the choice up.
	thr, _, ok, err = Calibration{MinPrecision: 0.85, MaxFPR: 0.25}.SubsetThreshold(scores, labels, in, 0.5)
	require.NoError(t, err)
	require.True(t, ok)
	// 0.8: 5 TP, 1 FP overall (0.833 < 0.85); 0.85: 4 TP, 1 FP (0.8); 0.9: 3/4; 0.95: 3/3.
	require.InDelta(t, (0.95+0.9)/2, thr, 1e-12)

	// Nothing meets an impossible floor; a subset of one class is an error, as are bad arguments.
	topNegative := slices.Clone(labels)
	topNegative[6] = false // the highest score overall: no threshold has precision 1
	_, _, ok, err = Calibration{MinPrecision: 1}.SubsetThreshold(scores, topNegative, in, 0.5)
	require.NoError(t, err)
	require.False(t, ok)
	_, _, _, err = c.SubsetThreshold(scores, labels, []bool{true, false, false, false, false, false, false, false, false, false}, 0.5)
	require.ErrorIs(t, err, ErrOneClass)
	_, _, _, err = c.SubsetThreshold(scores, labels, in[:3], 0.5)
	require.Error(t, err)
	for _, beta := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		_, _, _, err = c.SubsetThreshold(scores, labels, in, beta)
		require.Error(t, err, "beta %v", beta)
	}
}

// On random data SubsetThreshold agrees with a brute force over every distinct score.
func TestSubsetThresholdMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		n := 20 + r.IntN(60)
		scores, labels, in := make([]float64, n), make([]bool, n), make([]bool, n)
		for i := range scores {
			labels[i] = r.Float64() < 0.4
			scores[i] = math.Round((r.Float64()*0.6+map[bool]float64{true: 0.3, false: 0}[labels[i]])*40) / 40 // ties
			in[i] = r.Float64() < 0.4
		}
		labels[0], labels[1], in[0], in[1] = true, false, true, true
		c := Calibration{MinPrecision: []float64{0, 0.6, 0.8}[trial%3], MaxFPR: []float64{0, 0.1, 0.3}[trial%3]}
		beta := []float64{0.5, 1, 2}[trial%3]
		got, _, ok, err := c.SubsetThreshold(scores, labels, in, beta)
		require.NoError(t, err)

		distinct := map[float64]bool{}
		for _, s := range scores {
			distinct[s] = true
		}
		var desc []float64
		for s := range distinct {
			desc = append(desc, s)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(desc)))
		neg := 0
		for _, l := range labels {
			if !l {
				neg++
			}
		}
		bestK, bestF := -1, -1.0
		for k, s := range desc {
			all, sub := Confusion{}, Confusion{}
			for i := range scores {
				f := scores[i] >= s
				for _, cc := range []*Confusion{&all, &sub} {
					if cc == &sub && !in[i] {
						continue
					}
					switch {
					case f && labels[i]:
						cc.TP++
					case f:
						cc.FP++
					case labels[i]:
						cc.FN++
					}
				}
			}
			if (c.MinPrecision > 0 && all.Precision() < c.MinPrecision) || (c.MaxFPR > 0 && float64(all.FP)/float64(neg) > c.MaxFPR) {
				continue
			}
			if f := sub.FBeta(beta); f > bestF {
				bestK, bestF = k, f
			}
		}
		require.Equal(t, bestK >= 0, ok, "trial %d", trial)
		if !ok {
			continue
		}
		want := desc[bestK]
		if bestK+1 < len(desc) {
			want = (want + desc[bestK+1]) / 2
		}
		require.Equal(t, want, got, "trial %d", trial)
	}
}
