package metrics

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// labeledSet returns n units, a share pos of them positives, of which a share hit are scored above 0.5,
// and a share fp of the negatives scored above 0.5.
func labeledSet(n int, pos, hit, fp float64) ([]float64, []bool) {
	scores := make([]float64, n)
	labels := make([]bool, n)
	np := int(float64(n) * pos)
	for i := range n {
		if i < np {
			labels[i] = true
			if i < int(float64(np)*hit) {
				scores[i] = 0.9
			}
		} else if i-np < int(float64(n-np)*fp) {
			scores[i] = 0.9
		}
	}
	return scores, labels
}

func TestIntervals(t *testing.T) {
	t.Run("reproducible from its seed", func(t *testing.T) {
		s, l := labeledSet(500, 0.2, 0.7, 0.05)
		a, ok := Intervals(s, l, 0.5, 500, 7)
		require.True(t, ok)
		b, _ := Intervals(s, l, 0.5, 500, 7)
		require.Equal(t, a, b)
		c, _ := Intervals(s, l, 0.5, 500, 8)
		require.NotEqual(t, a, c)
	})
	t.Run("contains the point estimate and narrows with more units", func(t *testing.T) {
		s, l := labeledSet(200, 0.3, 0.8, 0.1)
		point := Summarize(s, l, 0.5)
		small, _ := Intervals(s, l, 0.5, BootstrapResamples, 1)
		for _, c := range []struct {
			name string
			v    float64
			iv   Interval
		}{{"precision", point.Precision, small.Precision}, {"recall", point.Recall, small.Recall},
			{"F0.5", point.F05, small.F05}, {"FPR", point.FPR, small.FPR}} {
			require.True(t, c.iv.Lo < c.v && c.v < c.iv.Hi, "%s %v not inside %v", c.name, c.v, c.iv)
		}
		s, l = labeledSet(20000, 0.3, 0.8, 0.1)
		large, _ := Intervals(s, l, 0.5, BootstrapResamples, 1)
		require.Less(t, large.F05.Hi-large.F05.Lo, (small.F05.Hi-small.F05.Lo)/5)
	})
	t.Run("recall interval matches the binomial width", func(t *testing.T) {
		// 400 positives, recall 0.75: the bootstrap spread of recall is close to the binomial
		// standard error sqrt(p(1-p)/n) (the number of positives also varies, which adds little).
		s, l := labeledSet(2000, 0.2, 0.75, 0.02)
		ci, _ := Intervals(s, l, 0.5, BootstrapResamples, 3)
		want := 2 * 1.96 * math.Sqrt(0.75*0.25/400)
		got := ci.Recall.Hi - ci.Recall.Lo
		require.InDelta(t, want, got, 0.2*want, "95%% width %.4f, binomial %.4f", got, want)
	})
	t.Run("a perfect detector has no spread", func(t *testing.T) {
		s, l := labeledSet(300, 0.5, 1, 0)
		ci, _ := Intervals(s, l, 0.5, 200, 1)
		require.Equal(t, Interval{1, 1}, ci.F05)
		// No false positive among 150 negatives: Wilson's upper bound z²/(n+z²), not 0.
		require.Equal(t, 0.0, ci.FPR.Lo)
		require.InDelta(t, 3.8415/(150+3.8415), ci.FPR.Hi, 1e-4)
	})
	t.Run("Wilson against published values", func(t *testing.T) {
		// Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 -> 0.2553-0.3662,
		// 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718.
		for _, c := range []struct {
			k, n   int
			lo, hi float64
		}{{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0, 0.1611}, {1, 29, 0.0061, 0.1718}} {
			iv := Wilson(c.k, c.n)
			require.InDelta(t, c.lo, iv.Lo, 1e-4, "%d/%d", c.k, c.n)
			require.InDelta(t, c.hi, iv.Hi, 1e-4, "%d/%d", c.k, c.n)
		}
		require.Equal(t, Interval{}, Wilson(0, 0))
	})
	t.Run("nothing to resample", func(t *testing.T) {
		_, ok := Intervals(nil, nil, 0.5, 100, 1)
		require.False(t, ok)
		_, ok = Intervals([]float64{1}, []bool{true}, 0.5, 0, 1)
		require.False(t, ok)
	})
}

func TestBuildReportHasIntervals(t *testing.T) {
	var items []Item
	s, l := labeledSet(400, 0.25, 0.8, 0.05)
	for i := range s {
		g := "a"
		if i%2 == 1 {
			g = "b"
		}
		items = append(items, Item{ID: string(rune(i)), Groups: map[string]string{"g": g},
			Labels: map[string]bool{"h": l[i]}, Scores: map[string]float64{"h": s[i]}})
	}
	r := BuildReport("t", items, []string{"h"}, map[string]float64{"h": 0.5})
	require.NotNil(t, r.Heads[0].Overall.CI)
	require.Equal(t, BootstrapResamples, r.Heads[0].Overall.CI.Resamples)
	require.NotNil(t, r.Heads[0].Breakdown["g"]["a"].CI)
	again := BuildReport("t", items, []string{"h"}, map[string]float64{"h": 0.5})
	require.Equal(t, r.Heads[0].Breakdown["g"]["b"].CI, again.Heads[0].Breakdown["g"]["b"].CI, "reproducible")
}
