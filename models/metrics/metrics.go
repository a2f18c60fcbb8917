// Package metrics computes the binary-classification measures that Vigie reports and calibrates
// with: precision, recall, F1, F0.5, ROC-AUC, PR-AUC (average precision), confusion matrices, ROC
// and precision-recall curves, thresholds chosen for a target precision and false-positive rate,
// and 95% confidence intervals (Wilson for proportions, a seeded percentile bootstrap for F0.5).
//
// Scores are probabilities (or any monotone score); labels are true for positives. Ties in score
// are handled as one step of the curves, so results do not depend on input order.
package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Confusion counts decisions at one threshold.
type Confusion struct {
	TP, FP, TN, FN int
}

// At returns the confusion matrix of deciding "positive" when score >= threshold.
func At(scores []float64, labels []bool, threshold float64) Confusion {
	var c Confusion
	for i, s := range scores {
		pos := s >= threshold
		switch {
		case pos && labels[i]:
			c.TP++
		case pos && !labels[i]:
			c.FP++
		case !pos && labels[i]:
			c.FN++
		default:
			c.TN++
		}
	}
	return c
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Precision is TP/(TP+FP), 0 when nothing is predicted positive.
func (c Confusion) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 0 when there are no positives.
func (c Confusion) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// FPR is FP/(FP+TN), the share of negatives flagged.
func (c Confusion) FPR() float64 { return ratio(c.FP, c.FP+c.TN) }

// FBeta is the weighted harmonic mean of precision and recall; beta < 1 favours precision.
func (c Confusion) FBeta(beta float64) float64 {
	p, r := c.Precision(), c.Recall()
	if p == 0 && r == 0 {
		return 0
	}
	b2 := beta * beta
	return (1 + b2) * p * r / (b2*p + r)
}

// F1 is FBeta(1).
func (c Confusion) F1() float64 { return c.FBeta(1) }

// F05 is FBeta(0.5), the PAN 2012 measure.
func (c Confusion) F05() float64 { return c.FBeta(0.5) }

// Point is one point of a curve with the threshold that yields it.
type Point struct {
	Threshold float64 `json:"threshold"`
	X         float64 `json:"x"`
	Y         float64 `json:"y"`
}

// ErrOneClass is returned when a measure needs both positives and negatives.
var ErrOneClass = errors.New("need both positive and negative examples")

// step is a group of equal scores, from the highest down, with the cumulative counts at its end.
type step struct {
	threshold float64
	tp, fp    int
}

func steps(scores []float64, labels []bool) (st []step, pos, neg int, err error) {
	if len(scores) != len(labels) {
		return nil, 0, 0, fmt.Errorf("%d scores for %d labels", len(scores), len(labels))
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
		if math.IsNaN(scores[i]) {
			return nil, 0, 0, fmt.Errorf("score %d is NaN", i)
		}
		if labels[i] {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return nil, pos, neg, ErrOneClass
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	tp, fp := 0, 0
	for k := 0; k < len(idx); {
		s := scores[idx[k]]
		for k < len(idx) && scores[idx[k]] == s {
			if labels[idx[k]] {
				tp++
			} else {
				fp++
			}
			k++
		}
		st = append(st, step{s, tp, fp})
	}
	return st, pos, neg, nil
}

// ROC returns the ROC curve (x = false-positive rate, y = true-positive rate), from (0,0) to (1,1),
// and the area under it (ties count half, as the Mann-Whitney statistic).
func ROC(scores []float64, labels []bool) ([]Point, float64, error) {
	st, pos, neg, err := steps(scores, labels)
	if err != nil {
		return nil, 0, err
	}
	// The first point flags nothing: its threshold is just above the highest score.
	pts := []Point{{Threshold: math.Nextafter(st[0].threshold, math.Inf(1)), X: 0, Y: 0}}
	auc := 0.0
	px, py := 0.0, 0.0
	for _, s := range st {
		x, y := float64(s.fp)/float64(neg), float64(s.tp)/float64(pos)
		auc += (x - px) * (y + py) / 2
		pts = append(pts, Point{Threshold: s.threshold, X: x, Y: y})
		px, py = x, y
	}
	return pts, auc, nil
}

// PR returns the precision-recall curve (x = recall, y = precision) and the average precision
// (the step-wise area, as scikit-learn's average_precision_score).
func PR(scores []float64, labels []bool) ([]Point, float64, error) {
	st, pos, _, err := steps(scores, labels)
	if err != nil {
		return nil, 0, err
	}
	var pts []Point
	ap, prevR := 0.0, 0.0
	for _, s := range st {
		r := float64(s.tp) / float64(pos)
		p := float64(s.tp) / float64(s.tp+s.fp)
		ap += (r - prevR) * p
		prevR = r
		pts = append(pts, Point{Threshold: s.threshold, X: r, Y: p})
	}
	return pts, ap, nil
}

// Calibration asks for a threshold: the one with the highest recall whose precision is at least
// MinPrecision and whose false-positive rate is at most MaxFPR (the highest such threshold when
// several give that recall). Zero fields are not constraints.
type Calibration struct {
	MinPrecision float64
	MaxFPR       float64
}

// Threshold returns the chosen threshold and the confusion matrix there. When no threshold meets
// the constraints, it returns the one just above the highest score (nothing flagged) and ok=false.
func (c Calibration) Threshold(scores []float64, labels []bool) (t float64, at Confusion, ok bool, err error) {
	st, pos, neg, err := steps(scores, labels)
	if err != nil {
		return 0, Confusion{}, false, err
	}
	// The best threshold reaches the highest recall the constraints allow; among thresholds with
	// that recall, the highest one, which flags the fewest negatives.
	best, bestTP := -1, -1
	for i, s := range st {
		if c.allows(s, neg) && s.tp > bestTP {
			best, bestTP = i, s.tp
		}
	}
	if best < 0 {
		t = math.Nextafter(st[0].threshold, math.Inf(1))
		return t, Confusion{FN: pos, TN: neg}, false, nil
	}
	s := st[best]
	return placed(st, best), Confusion{TP: s.tp, FP: s.fp, FN: pos - s.tp, TN: neg - s.fp}, true, nil
}

// allows reports whether step s, over neg negatives, meets c's constraints.
func (c Calibration) allows(s step, neg int) bool {
	prec := float64(s.tp) / float64(s.tp+s.fp)
	fpr := float64(s.fp) / float64(neg)
	return (c.MinPrecision == 0 || prec >= c.MinPrecision) && (c.MaxFPR == 0 || fpr <= c.MaxFPR)
}

// placed returns the threshold chosen at step i: halfway to the next lower score, so that scores a
// little below the lowest flagged one in training are still flagged, and none of the next group is.
func placed(st []step, i int) float64 {
	if i+1 < len(st) {
		return (st[i].threshold + st[i+1].threshold) / 2
	}
	return st[i].threshold
}

// SubsetThreshold returns, among the thresholds that meet c on all the units (scores, labels), the
// one with the best F-beta on the units where in is true (the highest such threshold when several
// tie), placed halfway to the next lower score of all the units as [Calibration.Threshold] places
// its own. It is how a model's thresholds for one form of input are chosen: the constraints hold
// over every dev unit, the F-beta is that of the units of the form. ok is false when no threshold
// meets c; an error reports mismatched lengths, a NaN score, or a subset without positives or
// negatives.
func (c Calibration) SubsetThreshold(scores []float64, labels, in []bool, beta float64) (t float64, at Confusion, ok bool, err error) {
	if len(in) != len(scores) {
		return 0, Confusion{}, false, fmt.Errorf("%d subset flags for %d scores", len(in), len(scores))
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return 0, Confusion{}, false, fmt.Errorf("beta %v: want a positive finite number", beta)
	}
	st, _, neg, err := steps(scores, labels)
	if err != nil {
		return 0, Confusion{}, false, err
	}
	var subPos, subNeg []float64 // the subset's scores, sorted ascending
	for i, s := range scores {
		if !in[i] {
			continue
		}
		if labels[i] {
			subPos = append(subPos, s)
		} else {
			subNeg = append(subNeg, s)
		}
	}
	if len(subPos) == 0 || len(subNeg) == 0 {
		return 0, Confusion{}, false, fmt.Errorf("subset: %w", ErrOneClass)
	}
	sort.Float64s(subPos)
	sort.Float64s(subNeg)
	atOrAbove := func(xs []float64, t float64) int { return len(xs) - sort.SearchFloat64s(xs, t) }
	best, bestF := -1, -1.0
	for i, s := range st {
		if !c.allows(s, neg) {
			continue
		}
		tp, fp := atOrAbove(subPos, s.threshold), atOrAbove(subNeg, s.threshold)
		f := Confusion{TP: tp, FP: fp, FN: len(subPos) - tp}.FBeta(beta)
		// Steps run from the highest threshold down: a strictly better F keeps the highest of ties.
		if f > bestF {
			best, bestF = i, f
		}
	}
	if best < 0 {
		return 0, Confusion{}, false, nil
	}
	t = placed(st, best)
	tp, fp := atOrAbove(subPos, t), atOrAbove(subNeg, t)
	return t, Confusion{TP: tp, FP: fp, FN: len(subPos) - tp, TN: len(subNeg) - fp}, true, nil
}

// Summary holds the measures of one head on one labeled set at one threshold.
type Summary struct {
	N         int       `json:"n"`
	Positives int       `json:"positives"`
	Threshold float64   `json:"threshold"`
	Confusion Confusion `json:"confusion"`
	Precision float64   `json:"precision"`
	Recall    float64   `json:"recall"`
	F1        float64   `json:"f1"`
	F05       float64   `json:"f0_5"`
	FPR       float64   `json:"fpr"`
	// ROCAUC and PRAUC are NaN (omitted in JSON as null) when the set has a single class.
	ROCAUC *float64 `json:"roc_auc"`
	PRAUC  *float64 `json:"pr_auc"`
	// CI holds 95% intervals of the threshold measures ([Intervals]); reports fill it,
	// Summarize does not.
	CI *CI `json:"ci95,omitempty"`
}

// Summarize computes a Summary at threshold.
func Summarize(scores []float64, labels []bool, threshold float64) Summary {
	c := At(scores, labels, threshold)
	s := Summary{N: len(scores), Positives: c.TP + c.FN, Threshold: threshold, Confusion: c,
		Precision: c.Precision(), Recall: c.Recall(), F1: c.F1(), F05: c.F05(), FPR: c.FPR()}
	if _, auc, err := ROC(scores, labels); err == nil {
		s.ROCAUC = &auc
	}
	if _, ap, err := PR(scores, labels); err == nil {
		s.PRAUC = &ap
	}
	return s
}
