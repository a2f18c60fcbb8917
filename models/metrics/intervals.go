package metrics

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
)

// Interval is a two-sided confidence interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// CI holds 95% confidence intervals of the threshold measures of a [Summary]: Wilson score
// intervals for the proportions (precision, recall, FPR), which stay meaningful when a count is 0
// (no false positive among n negatives gives an upper bound near 3.84/n, not 0), and a percentile
// bootstrap for F0.5, which is not a proportion.
type CI struct {
	Precision Interval `json:"precision"`
	Recall    Interval `json:"recall"`
	F05       Interval `json:"f0_5"`
	FPR       Interval `json:"fpr"`
	// Resamples is the number of bootstrap resamples the intervals come from.
	Resamples int `json:"resamples"`
}

// BootstrapResamples is the number of resamples of [Intervals] in reports.
const BootstrapResamples = 2000

// Intervals returns the 95% intervals of precision, recall and FPR (Wilson) and of F0.5 (percentile
// bootstrap) at threshold: for F0.5 the units are drawn with replacement resamples times, and the
// 2.5th and 97.5th percentiles are kept. The draws come from a PCG generator seeded by seed, so the
// intervals are reproducible. It returns false when there are no units or resamples < 1.
//
// A unit only matters through its cell of the confusion matrix, so a resample draws cells; the
// cost is resamples × len(scores) draws.
func Intervals(scores []float64, labels []bool, threshold float64, resamples int, seed uint64) (CI, bool) {
	n := len(scores)
	if n == 0 || resamples < 1 || len(labels) != n {
		return CI{}, false
	}
	cells := make([]uint8, n) // 0 TP, 1 FP, 2 TN, 3 FN
	var all [4]int
	for i, s := range scores {
		var cell uint8
		switch flagged := s >= threshold; {
		case flagged && labels[i]:
			cell = 0
		case flagged:
			cell = 1
		case !labels[i]:
			cell = 2
		default:
			cell = 3
		}
		cells[i] = cell
		all[cell]++
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	f := make([]float64, resamples)
	for k := range resamples {
		var cnt [4]int
		for range n {
			cnt[cells[rng.IntN(n)]]++
		}
		f[k] = Confusion{TP: cnt[0], FP: cnt[1], TN: cnt[2], FN: cnt[3]}.F05()
	}
	tp, fp, tn, fn := all[0], all[1], all[2], all[3]
	return CI{Precision: Wilson(tp, tp+fp), Recall: Wilson(tp, tp+fn), FPR: Wilson(fp, fp+tn),
		F05: percentiles(f), Resamples: resamples}, true
}

// Wilson returns the 95% Wilson score interval of the proportion k/n, {0, 0} when n is 0.
func Wilson(k, n int) Interval {
	if n <= 0 {
		return Interval{}
	}
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	d := 1 + z*z/nf
	center := (p + z*z/(2*nf)) / d
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / d
	return Interval{Lo: max(0, center-half), Hi: min(1, center+half)}
}

// percentiles returns the 2.5th and 97.5th percentiles of v (nearest rank), sorting v.
func percentiles(v []float64) Interval {
	slices.Sort(v)
	at := func(q float64) float64 {
		i := int(q*float64(len(v))+0.5) - 1
		return v[min(max(i, 0), len(v)-1)]
	}
	return Interval{Lo: at(0.025), Hi: at(0.975)}
}

// seedFor derives a reproducible seed from the names of a measured set.
func seedFor(names ...string) uint64 {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return h.Sum64()
}
