package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/models"
)

// linearToy returns rows of random ids from 10..V-1 where head 0 is positive when id 5 is
// present and head 1 when id 7 is, with random weights; a few rows mask head 1.
func linearToy(seed uint64, n int, d models.Dims) []Example {
	r := rand.New(rand.NewPCG(seed, 1))
	ex := make([]Example, n)
	for i := range ex {
		ids := make([]int64, 1+r.IntN(12))
		for j := range ids {
			ids[j] = 10 + r.Int64N(int64(d.V-10))
		}
		lab := []float32{0, 0}
		if r.IntN(3) == 0 {
			ids = append(ids, 5)
			lab[0] = 1
		}
		if r.IntN(4) == 0 {
			ids = append(ids, 7, 7)
			lab[1] = 1
		}
		ex[i] = Example{IDs: ids, Feats: make([]float32, d.F), Labels: lab, Weight: float32(0.5 + r.Float64())}
		if i%17 == 0 {
			ex[i].Mask = []float32{1, 0}
		}
	}
	return ex
}

// primal is the SVM objective that dualCD minimizes, for head k.
func primal(l *Linear, ex []Example, k int, C float64) float64 {
	var wsum [2]float64
	n := 0
	for i := range ex {
		if ex[i].Mask != nil && ex[i].Mask[k] == 0 {
			continue
		}
		n++
		wsum[int(ex[i].Labels[k])] += weightOf(&ex[i])
	}
	obj := l.B[k] * l.B[k] / 2
	for _, w := range l.W[k] {
		obj += w * w / 2
	}
	s := l.Scores(ex)
	for i := range ex {
		if ex[i].Mask != nil && ex[i].Mask[k] == 0 {
			continue
		}
		y := -1.0
		if ex[i].Labels[k] > 0.5 {
			y = 1
		}
		c := C * weightOf(&ex[i]) * float64(n) / (2 * wsum[int(ex[i].Labels[k])])
		m := max(0, 1-y*s[i][k])
		obj += c * m * m
	}
	return obj
}

func TestFitLinear(t *testing.T) {
	d := models.Dims{V: 200, D: 4, F: 2, H: 3, K: 2}
	ex := linearToy(1, 400, d)
	cfg := LinearConfig{C: 2, Eps: 1e-6, MaxPasses: 5000}
	l, err := FitLinear(context.Background(), d, ex, cfg)
	require.NoError(t, err)
	require.Equal(t, []bool{true, true}, l.Info.Converged)
	require.Equal(t, 400, l.Info.Rows)
	require.Zero(t, l.IDF[3], "an id no row has gets idf 0")
	require.Greater(t, l.IDF[5], 1.0)
	require.Less(t, l.IDF[5], l.IDF[50], "an id in many rows weighs less than a rare one")

	// The rule is learned: held-out rows are ranked by it.
	test := linearToy(2, 200, d)
	s := l.Scores(test)
	for k, id := range []int64{5, 7} {
		wrong := 0
		for i := range test {
			if (test[i].Labels[k] > 0.5) != (s[i][k] > 0) {
				wrong++
			}
		}
		require.LessOrEqual(t, wrong, 4, "head %d (id %d): %d of 200 held-out rows on the wrong side", k, id, wrong)
		require.Greater(t, l.W[k][id], 0.5)
	}

	// The solution is the optimum: no small move of the weights lowers the objective.
	r := rand.New(rand.NewPCG(3, 3))
	for k := range 2 {
		best := primal(l, ex, k, cfg.C)
		for range 20 {
			moved := &Linear{V: l.V, IDF: l.IDF, W: [][]float64{append([]float64(nil), l.W[0]...), append([]float64(nil), l.W[1]...)}, B: append([]float64(nil), l.B...)}
			for j := range moved.W[k] {
				moved.W[k][j] += 1e-3 * r.NormFloat64()
			}
			moved.B[k] += 1e-3 * r.NormFloat64()
			require.GreaterOrEqual(t, primal(moved, ex, k, cfg.C), best-1e-9, "head %d", k)
		}
	}

	// A head with rows of one class only is an error, not a silent fit.
	one := linearToy(1, 50, d)
	for i := range one {
		one[i].Labels[1] = 0
	}
	_, err = FitLinear(context.Background(), d, one, cfg)
	require.ErrorIs(t, err, ErrExample)

	// Deterministic.
	l2, err := FitLinear(context.Background(), d, ex, cfg)
	require.NoError(t, err)
	require.Equal(t, l.W, l2.W)
	require.Equal(t, l.B, l2.B)
}

func TestStack(t *testing.T) {
	d := models.Dims{V: 200, D: 4, F: 2, H: 3, K: 2}
	ex := linearToy(4, 300, d)
	dev := linearToy(5, 150, d)
	l, err := FitLinear(context.Background(), d, ex, LinearConfig{})
	require.NoError(t, err)
	deep, err := models.NewNet(models.Meta{Name: "t", Heads: []string{"a", "b"}, Schema: "test", Dims: d})
	require.NoError(t, err)
	Init(deep, 3) // an untrained deep part: the linear one carries the signal
	n, info, err := Stack(deep, l, dev)
	require.NoError(t, err)
	require.Equal(t, d.K+1, n.Info().Dims.W)
	require.Zero(t, deep.Info().Dims.W, "the deep network is not modified")
	for k := range d.K {
		require.Greater(t, info.Linear[k], 0.5, "head %d leans on the linear model", k)
	}
	require.Less(t, info.DevLoss, info.DeepDevLoss/2)

	// The stacked network scores what its parts say, through the wide columns.
	deepZ := make([]float64, d.K)
	linZ := l.Scores(dev)
	tr := newTrainer(deep, Config{})
	out := make([]float32, d.K)
	for i := range dev {
		tr.forward(dev[i].IDs, dev[i].Feats, deepZ)
		b := &models.Batch{IDs: dev[i].IDs, Feats: dev[i].Feats, B: 1, L: len(dev[i].IDs), F: d.F}
		require.NoError(t, n.Score(context.Background(), b, out))
		for k := range d.K {
			z := info.Deep[k]*deepZ[k] + info.Linear[k]*linZ[i][k] + info.Bias[k]
			require.InDelta(t, 1/(1+math.Exp(-z)), float64(out[k]), 1e-5, "row %d head %d", i, k)
		}
	}
	require.InDelta(t, Loss(n, dev), info.DevLoss, 1e-4)

	_, _, err = Stack(n, l, dev)
	require.ErrorIs(t, err, ErrExample, "a network with wide columns is not stacked again")
	_, err = Train(context.Background(), n, ex, dev, Config{Epochs: 1})
	require.ErrorIs(t, err, ErrExample, "nor trained by SGD")
}

// TestFitStackSeparable: when dev is separated by the network's logits (as the sextortion head's
// synthetic dev set nearly is), the stacking stays finite and does not raise the loss.
func TestFitStackSeparable(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	var dev []Example
	var deepZ, linZ [][]float64
	for i := range 3000 {
		y := float32(0)
		z := -15 - 10*r.Float64()
		switch {
		case i%20 == 0:
			y, z = 1, 12+10*r.Float64()
		case i%20 == 1:
			y, z = 1, 30+r.Float64() // far on the right side: tiny curvature, steep loss beyond
		case i%97 == 2:
			z = 25 + r.Float64() // a few confident errors
		}
		dev = append(dev, Example{Labels: []float32{y}, Weight: float32(0.2 + r.Float64())})
		deepZ = append(deepZ, []float64{z})
		linZ = append(linZ, []float64{float64(2*y-1) + r.NormFloat64()})
	}
	a, b, c, err := fitStack(dev, deepZ, linZ, 0)
	require.NoError(t, err)
	for _, v := range []float64{a, b, c} {
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0))
		require.Less(t, math.Abs(v), 100.0)
	}
	s := StackInfo{Deep: []float64{a}, Linear: []float64{b}, Bias: []float64{c}}
	alone := StackInfo{Deep: []float64{1}, Linear: []float64{0}, Bias: []float64{0}}
	require.LessOrEqual(t, stackedLoss(dev, deepZ, linZ, s), stackedLoss(dev, deepZ, linZ, alone))
}
