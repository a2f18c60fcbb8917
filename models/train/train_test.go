package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/models"
)

func testMeta() models.Meta {
	return models.Meta{Name: "t", Heads: []string{"a", "b"}, Schema: "test",
		Dims: models.Dims{V: 64, D: 4, F: 3, H: 5, K: 2}}
}

// Analytic gradients of the dense layers agree with central finite differences of the loss.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	n, err := models.NewNet(testMeta())
	require.NoError(t, err)
	Init(n, 7)
	for i := range n.B1 {
		n.B1[i] = 0.3 // keep every hidden unit active so the loss is smooth around the point
	}
	e := Example{IDs: []int64{3, 9, 9, 20}, Feats: []float32{0.5, -1, 0.25}, Labels: []float32{1, 0}, Mask: []float32{1, 1}, Weight: 2}
	tr := newTrainer(n, Config{EmbLR: 1e-12})
	z2 := make([]float64, 2)
	dz2 := make([]float64, 2)
	tr.forward(e.IDs, e.Feats, z2)
	loss(z2, &e, dz2, 0)
	tr.backward(e.IDs, dz2)
	lossAt := func() float64 {
		tt := newTrainer(n, Config{})
		z := make([]float64, 2)
		tt.forward(e.IDs, e.Feats, z)
		return loss(z, &e, nil, 0)
	}
	const h = 1e-3
	for p, w := range [][]float32{n.W1, n.B1, n.W2, n.B2} {
		for i := range w {
			orig := w[i]
			w[i] = orig + h
			lp := lossAt()
			w[i] = orig - h
			lm := lossAt()
			w[i] = orig
			num := (lp - lm) / (2 * h)
			require.InDelta(t, num, tr.g[p][i], 2e-3, "param %d index %d", p, i)
		}
	}
}

// A separable toy problem: head a fires on token 5, head b on feature 0. Training learns both,
// is deterministic for a seed, and respects the mask.
func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	mk := func(seed uint64, n int) []Example {
		r := rand.New(rand.NewPCG(seed, 1))
		var ex []Example
		for i := 0; i < n; i++ {
			ids := []int64{int64(10 + r.IntN(50)), int64(10 + r.IntN(50))}
			a := r.IntN(2) == 0
			b := r.IntN(2) == 0
			if a {
				ids = append(ids, 5)
			}
			f := []float32{0, float32(r.Float64()), float32(r.Float64())}
			if b {
				f[0] = 1
			}
			ex = append(ex, Example{IDs: ids, Feats: f, Labels: []float32{b2f(a), b2f(b)}})
		}
		return ex
	}
	trainSet, dev := mk(1, 600), mk(2, 200)
	run := func() (*models.Net, History) {
		n, err := models.NewNet(testMeta())
		require.NoError(t, err)
		Init(n, 3)
		h, err := Train(context.Background(), n, trainSet, dev, Config{Seed: 9, Epochs: 30, Patience: 30})
		require.NoError(t, err)
		return n, h
	}
	n1, h1 := run()
	n2, h2 := run()
	require.Equal(t, h1, h2)
	require.Equal(t, n1.W1, n2.W1)
	require.Equal(t, n1.Emb, n2.Emb)
	require.Less(t, h1.Epochs[h1.BestEpoch-1].DevLoss, 0.25, "dev loss should fall well below log(2)*2=1.39")

	// Accuracy on dev, both heads.
	b := &models.Batch{B: len(dev), L: 3, F: 3}
	for _, e := range dev {
		row := make([]int64, 3)
		copy(row, e.IDs)
		b.IDs = append(b.IDs, row...)
		b.Feats = append(b.Feats, e.Feats...)
	}
	out := make([]float32, 2*len(dev))
	require.NoError(t, n1.Score(context.Background(), b, out))
	correct := 0
	for i, e := range dev {
		for k := 0; k < 2; k++ {
			if (out[2*i+k] >= 0.5) == (e.Labels[k] == 1) {
				correct++
			}
		}
	}
	require.Greater(t, float64(correct)/float64(2*len(dev)), 0.95)
}

func TestMaskedHeadGetsNoGradient(t *testing.T) {
	n, err := models.NewNet(testMeta())
	require.NoError(t, err)
	Init(n, 1)
	before := append([]float32(nil), n.B2...)
	ex := []Example{{IDs: []int64{1}, Feats: []float32{1, 0, 0}, Labels: []float32{1, 1}, Mask: []float32{1, 0}}}
	_, err = Train(context.Background(), n, ex, nil, Config{Epochs: 3, Batch: 1})
	require.NoError(t, err)
	require.Equal(t, before[1], n.B2[1], "head b is masked: its bias must not move")
	require.NotEqual(t, before[0], n.B2[0])
}

func TestBadExamplesAreRejected(t *testing.T) {
	n, err := models.NewNet(testMeta())
	require.NoError(t, err)
	_, err = Train(context.Background(), n, []Example{{IDs: []int64{64}, Feats: make([]float32, 3), Labels: make([]float32, 2)}}, nil, Config{})
	require.ErrorIs(t, err, ErrExample)
	_, err = Train(context.Background(), n, []Example{{Feats: make([]float32, 2), Labels: make([]float32, 2)}}, nil, Config{})
	require.ErrorIs(t, err, ErrExample)
	_, err = Train(context.Background(), n, nil, nil, Config{})
	require.ErrorIs(t, err, ErrExample)
}

func TestLossIsStableForLargeLogits(t *testing.T) {
	e := Example{Labels: []float32{1, 0}}
	l := loss([]float64{800, -800}, &e, nil, 0)
	require.False(t, math.IsInf(l, 0) || math.IsNaN(l))
	require.InDelta(t, 0, l, 1e-9)
	require.InDelta(t, 1600, loss([]float64{-800, 800}, &e, nil, 0), 1e-6)
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// TestExampleDropIDs checks that an example's own DropIDs replaces Config.DropIDs: with most of
// its ids dropped, the only id that tells its label cannot be learned as well as without dropout.
func TestExampleDropIDs(t *testing.T) {
	mk := func(drop float32) []Example {
		var ex []Example
		for i := 0; i < 400; i++ {
			pos := i%2 == 0
			ids := []int64{int64(20 + i%30), int64(50 + i%7)}
			if pos {
				ids = append(ids, 5) // the id that tells the label
			}
			ex = append(ex, Example{IDs: ids, Feats: []float32{0, 0, 0}, Labels: []float32{b2f(pos), 0}, DropIDs: drop})
		}
		return ex
	}
	tr := &trainer{rng: rand.New(rand.NewPCG(1, 2))}
	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8}
	require.Equal(t, ids, tr.dropIDs(ids, 0), "no dropout keeps every id")
	require.Len(t, tr.dropIDs(ids, 1), 1, "dropping every id keeps one")
	final := func(drop float32) float64 {
		n, err := models.NewNet(testMeta())
		require.NoError(t, err)
		Init(n, 3)
		h, err := Train(context.Background(), n, mk(drop), nil, Config{Seed: 9, Epochs: 8})
		require.NoError(t, err)
		return h.Epochs[len(h.Epochs)-1].TrainLoss
	}
	plain, dropped := final(0), final(0.95)
	require.Less(t, plain, 0.5*dropped, "training loss with 95%% of ids dropped per example (%.3f) should stay well above the loss without (%.3f)", dropped, plain)
}

// toyExamples returns n examples of a one-token task, drawn with seed: head a is positive when
// the example holds token 5, among one random token of 10 to 49; head b is always negative.
func toyExamples(seed uint64, n int) []Example {
	r := rand.New(rand.NewPCG(seed, 1))
	var ex []Example
	for i := 0; i < n; i++ {
		pos := r.IntN(2) == 0
		ids := []int64{int64(10 + r.IntN(40))}
		if pos {
			ids = append(ids, 5)
		}
		ex = append(ex, Example{IDs: ids, Feats: []float32{0, float32(r.Float64()), 0}, Labels: []float32{b2f(pos), 0}})
	}
	return ex
}

// TestAnneal checks that Config.Anneal takes effect (other weights than constant rates, the
// same ones on a rerun) and that an annealed training still learns.
func TestAnneal(t *testing.T) {
	ex := toyExamples(4, 600)
	trainSet, dev := ex[:450], ex[450:]
	run := func(anneal bool) (*models.Net, History) {
		n, err := models.NewNet(testMeta())
		require.NoError(t, err)
		Init(n, 3)
		h, err := Train(context.Background(), n, trainSet, dev, Config{Seed: 9, Epochs: 10, Patience: 10, Anneal: anneal})
		require.NoError(t, err)
		return n, h
	}
	plain, _ := run(false)
	a1, h1 := run(true)
	a2, _ := run(true)
	require.Equal(t, a1.W1, a2.W1, "annealed training is deterministic")
	require.NotEqual(t, plain.W1, a1.W1, "Anneal changes the updates")
	require.Less(t, h1.Epochs[h1.BestEpoch-1].DevLoss, 0.35, "an annealed training still learns the toy task")
}

// TestAverage checks Config.AverageFrom: the result is the mean of the weights sampled during
// training (here once per epoch, at its end, where the Progress hook sees them too), the samples
// are counted, the averaged network still learns, and a training that stops before AverageFrom
// keeps its best epoch.
func TestAverage(t *testing.T) {
	ex := toyExamples(5, 500)
	trainSet, dev := ex[:400], ex[400:]
	newNet := func() *models.Net {
		n, err := models.NewNet(testMeta())
		require.NoError(t, err)
		Init(n, 3)
		return n
	}

	// Without averaging, record the weights at the end of epochs 3 to 6.
	plain := newNet()
	var samples []weights
	hp, err := Train(context.Background(), plain, trainSet, dev, Config{Seed: 9, Epochs: 6, Patience: 6,
		Progress: func(p Progress) {
			if p.Epoch >= 3 {
				samples = append(samples, snapshot(plain))
			}
		}})
	require.NoError(t, err)
	require.Len(t, samples, 4)

	avg := newNet()
	h, err := Train(context.Background(), avg, trainSet, dev, Config{Seed: 9, Epochs: 6, Patience: 6, AverageFrom: 3, AveragePerEpoch: 1})
	require.NoError(t, err)
	require.Equal(t, 4, h.Averaged)
	require.Equal(t, hp.Epochs, h.Epochs, "sampling the weights does not change the training")
	got := params(avg)
	for p := range got {
		for i := range got[p] {
			mean := 0.0
			for _, s := range samples {
				mean += float64(s[p][i])
			}
			mean /= float64(len(samples))
			require.InDelta(t, mean, got[p][i], 1e-6, "tensor %d index %d", p, i)
		}
	}
	require.InDelta(t, Loss(avg, dev), h.AveragedDevLoss, 1e-12)
	require.Less(t, h.AveragedDevLoss, 0.45, "the averaged network learns the toy task (log 2 = 0.69 at chance)")
	t.Logf("dev loss: best epoch %.4f, mean of epochs 3-6 %.4f", hp.Epochs[hp.BestEpoch-1].DevLoss, h.AveragedDevLoss)
	require.NotEqual(t, snapshot(plain), snapshot(avg), "the mean differs from the best epoch")

	// The default is four samples per epoch.
	h, err = Train(context.Background(), newNet(), trainSet, dev, Config{Seed: 9, Epochs: 6, Patience: 6, AverageFrom: 5})
	require.NoError(t, err)
	require.Equal(t, 8, h.Averaged)

	// A training that ends before AverageFrom (here after its 6 epochs, before epoch 50) keeps its
	// best epoch, as without averaging.
	best := newNet()
	hb, err := Train(context.Background(), best, trainSet, dev, Config{Seed: 9, Epochs: 6, Patience: 6})
	require.NoError(t, err)
	late := newNet()
	h, err = Train(context.Background(), late, trainSet, dev, Config{Seed: 9, Epochs: 6, Patience: 6, AverageFrom: 50})
	require.NoError(t, err)
	require.Zero(t, h.Averaged)
	require.Equal(t, hb, h)
	require.Equal(t, snapshot(best), snapshot(late))
}

// The focal loss is the cross-entropy at gamma 0, its derivative matches finite differences, and it
// weighs an example the model already gets right less than one it gets wrong.
func TestFocalLoss(t *testing.T) {
	for _, z := range []float64{-30, -4, -0.7, 0, 0.3, 2.5, 30} {
		for _, y := range []float64{0, 1, 0.25} {
			l, dz := focalLoss(z, y, 0)
			require.InDelta(t, logLoss(z, y), l, 1e-12, "z %v y %v", z, y)
			require.InDelta(t, 1/(1+math.Exp(-z))-y, dz, 1e-12, "z %v y %v", z, y)
			for _, g := range []float64{0.5, 1, 2} {
				const h = 1e-5
				lp, _ := focalLoss(z+h, y, g)
				lm, _ := focalLoss(z-h, y, g)
				_, dz := focalLoss(z, y, g)
				require.InDelta(t, (lp-lm)/(2*h), dz, 1e-6, "z %v y %v gamma %v", z, y, g)
			}
		}
	}
	// A negative at p = 0.05 (easy) and one at p = 0.95 (hard): gamma 2 shrinks the easy one's
	// gradient far more than the hard one's.
	_, easy0 := focalLoss(math.Log(0.05/0.95), 0, 0)
	_, hard0 := focalLoss(math.Log(0.95/0.05), 0, 0)
	_, easy2 := focalLoss(math.Log(0.05/0.95), 0, 2)
	_, hard2 := focalLoss(math.Log(0.95/0.05), 0, 2)
	require.Less(t, easy2/easy0, 0.01)
	require.Greater(t, hard2/hard0, 0.8)
	// Far from the line, nothing overflows.
	for _, z := range []float64{-800, 800} {
		for _, y := range []float64{0, 1} {
			l, dz := focalLoss(z, y, 2)
			require.False(t, math.IsNaN(l) || math.IsInf(l, 0) || math.IsNaN(dz), "z %v y %v: %v %v", z, y, l, dz)
		}
	}
}
