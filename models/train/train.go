// Package train fits a [models.Net] on labeled examples: binary cross-entropy per head (with heads
// that an example has no label for masked out), Adam on the dense layers, AdaGrad on the rows of the
// embedding that an example touches, early stopping on a development set, deterministic for a seed.
//
// Training runs on one goroutine so that a seed gives the same weights bit for bit on any machine
// with the same Go version. It is not on the scoring path: scoring uses [models.Net.Score] or ONNX
// Runtime, never this package.
package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"

	"github.com/vigie/vigie/models"
)

// Example is one training row.
type Example struct {
	IDs    []int64   // token ids in [1, V), no padding
	Feats  []float32 // [F] cue features
	Labels []float32 // [K] targets in [0, 1]
	// Mask is 1 for heads whose label is known, 0 for the others; nil means all known.
	Mask []float32
	// Weight scales the example's loss; 0 means 1.
	Weight float32
	// DropIDs, when above 0, replaces Config.DropIDs for this example: a source written from few
	// phrasings (synthetic text) can drop more of its ids, so that the model learns it from the cue
	// features and the words that carry over rather than from its templates.
	DropIDs float32
}

// Config sets the training. The zero value means the defaults, documented field by field.
type Config struct {
	// Seed makes initialization and shuffling reproducible. Default 1.
	Seed uint64
	// Epochs is the maximum number of passes over the training set. Default 12.
	Epochs int
	// Batch is the number of examples per dense-layer update. Default 32.
	Batch int
	// LR is Adam's learning rate for the dense layers. Default 0.003.
	LR float64
	// EmbLR is AdaGrad's learning rate for the embedding. Default 0.1.
	EmbLR float64
	// L2 is the weight decay of the dense weights (not biases). Default 1e-5.
	L2 float64
	// Anneal, when true, scales both learning rates down linearly from 1 at the first example to
	// minAnneal at the last one of the last epoch, as fastText does, so that late epochs refine
	// instead of jumping between minima. Default false (constant rates).
	Anneal bool
	// Patience is how many epochs without a better development loss end training. Default 3.
	Patience int
	// DropIDs is the probability of dropping each token id of an example during training, so that
	// the model cannot lean on a few tokens of one source's style. Default 0 (none).
	DropIDs float64
	// AverageFrom, when above 0, makes the result the mean of the weights sampled AveragePerEpoch
	// times per epoch (evenly, the last sample at the epoch's end) from this epoch to the last one
	// run, instead of the weights of the best epoch: tail averaging, as stochastic weight averaging
	// (Izmailov et al., 2018) does. One run's weights wander around a minimum from step to step;
	// their mean lies nearer its centre, so the result depends less on the seed and on where the
	// last step landed. If training stops before AverageFrom, the best epoch is kept. Default 0
	// (off).
	AverageFrom int
	// AveragePerEpoch is how many samples of the weights each averaged epoch adds. Default 4.
	AveragePerEpoch int
	// Focal, when above 0, trains on the focal loss of Lin et al. (2017) with this gamma instead
	// of the cross-entropy: each head's loss is scaled by (1-p_t)^gamma, p_t being the probability
	// given to the right label, so that examples the model already gets right weigh less and the
	// hard ones (negatives that read like positives) more. The development loss that picks the
	// best epoch stays the cross-entropy. Default 0 (cross-entropy).
	Focal float64
	// Progress, when set, is called after every epoch.
	Progress func(Progress)
}

func (c *Config) defaults() {
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Epochs <= 0 {
		c.Epochs = 12
	}
	if c.Batch <= 0 {
		c.Batch = 32
	}
	if c.LR <= 0 {
		c.LR = 0.003
	}
	if c.EmbLR <= 0 {
		c.EmbLR = 0.1
	}
	if c.L2 < 0 {
		c.L2 = 0
	} else if c.L2 == 0 {
		c.L2 = 1e-5
	}
	if c.Patience <= 0 {
		c.Patience = 3
	}
	if c.AveragePerEpoch <= 0 {
		c.AveragePerEpoch = 4
	}
}

// Progress reports one epoch.
type Progress struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	DevLoss   float64 `json:"dev_loss"`
	Best      bool    `json:"best"`
}

// History is what a training run did.
type History struct {
	Epochs    []Progress `json:"epochs"`
	BestEpoch int        `json:"best_epoch"`
	Stopped   string     `json:"stopped"` // "patience", "epochs" or "cancelled"
	// Averaged is the number of weight samples whose mean is the result (see Config.AverageFrom),
	// 0 when the result is the best epoch's weights.
	Averaged int `json:"averaged,omitempty"`
	// AveragedDevLoss is the development loss of the averaged weights.
	AveragedDevLoss float64 `json:"averaged_dev_loss,omitempty"`
}

// ErrExample reports a malformed example.
var ErrExample = errors.New("malformed example")

// Init fills the weights of n with seeded random values: embedding rows uniform in ±1/D (as
// fastText), dense layers Glorot-uniform, biases zero.
func Init(n *models.Net, seed uint64) {
	d := n.Info().Dims
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	for i := range n.Emb {
		n.Emb[i] = float32((r.Float64()*2 - 1) / float64(d.D))
	}
	glorot := func(w []float32, in, out int) {
		a := math.Sqrt(6 / float64(in+out))
		for i := range w {
			w[i] = float32((r.Float64()*2 - 1) * a)
		}
	}
	glorot(n.W1, d.D+d.F, d.H)
	glorot(n.W2, d.H, d.K)
	clear(n.B1)
	clear(n.B2)
}

func check(d models.Dims, ex []Example) error {
	for i, e := range ex {
		if len(e.Feats) != d.F || len(e.Labels) != d.K || (e.Mask != nil && len(e.Mask) != d.K) {
			return fmt.Errorf("%w %d: %d feats, %d labels, %d mask for dims %+v", ErrExample, i, len(e.Feats), len(e.Labels), len(e.Mask), d)
		}
		for _, id := range e.IDs {
			if id <= 0 || id >= int64(d.V) {
				return fmt.Errorf("%w %d: id %d outside [1, %d)", ErrExample, i, id, d.V)
			}
		}
	}
	return nil
}

// trainer holds the optimizer state.
type trainer struct {
	net  *models.Net
	d    models.Dims
	cfg  Config
	rng  *rand.Rand
	step int
	// scale multiplies both learning rates: 1, or the annealing factor (see Config.Anneal).
	scale float64
	// Adam moments of W1, B1, W2, B2, in that order, as one flat vector per tensor.
	m, v [4][]float64
	g    [4][]float64 // gradient accumulators of the batch
	embG []float32    // AdaGrad accumulators, [V*D]
	// scratch
	x, z1, h, dz1, dh, de []float64
	wide                  []float64 // sums of the wide columns, [W] (see forward)
	ids                   []int64
}

func newTrainer(n *models.Net, cfg Config) *trainer {
	d := n.Info().Dims
	t := &trainer{net: n, d: d, cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x7a1e)), scale: 1}
	sizes := [4]int{len(n.W1), len(n.B1), len(n.W2), len(n.B2)}
	for i, s := range sizes {
		t.m[i] = make([]float64, s)
		t.v[i] = make([]float64, s)
		t.g[i] = make([]float64, s)
	}
	t.embG = make([]float32, len(n.Emb))
	t.x = make([]float64, d.D+d.F)
	t.z1 = make([]float64, d.H)
	t.h = make([]float64, d.H)
	t.dz1 = make([]float64, d.H)
	t.dh = make([]float64, d.H)
	t.de = make([]float64, d.D)
	t.wide = make([]float64, d.W)
	return t
}

// forward computes x, z1, h and returns the K logits into z2.
func (t *trainer) forward(ids []int64, feats []float32, z2 []float64) {
	d, n := t.d, t.net
	x := t.x
	clear(x[:d.D])
	// A network with wide columns (see models.Dims.W) is never trained here, but Loss and Stack
	// evaluate it: the sums of its wide columns, wide[K] the norm's.
	E := d.E()
	wide := t.wide
	clear(wide)
	if len(ids) > 0 {
		for _, id := range ids {
			row := n.Emb[int(id)*E : int(id+1)*E]
			for j, w := range row[:d.D] {
				x[j] += float64(w)
			}
			for j, w := range row[d.D:] {
				wide[j] += float64(w)
			}
		}
		inv := 1 / float64(len(ids))
		for j := 0; j < d.D; j++ {
			x[j] *= inv
		}
	}
	for j, f := range feats {
		x[d.D+j] = float64(f)
	}
	for j := 0; j < d.H; j++ {
		t.z1[j] = float64(n.B1[j])
	}
	for i, xi := range x {
		if xi == 0 {
			continue
		}
		row := n.W1[i*d.H : (i+1)*d.H]
		for j, w := range row {
			t.z1[j] += xi * float64(w)
		}
	}
	for j, z := range t.z1 {
		t.h[j] = math.Max(0, z)
	}
	for k := 0; k < d.K; k++ {
		z2[k] = float64(n.B2[k])
	}
	for j, hj := range t.h {
		if hj == 0 {
			continue
		}
		row := n.W2[j*d.K : (j+1)*d.K]
		for k, w := range row {
			z2[k] += hj * float64(w)
		}
	}
	if d.W > 0 {
		norm := math.Sqrt(max(wide[d.K], models.WideNormFloor))
		for k := range d.K {
			z2[k] += wide[k] / norm
		}
	}
}

// logLoss is the binary cross-entropy of label y at logit z, log(1+exp(z)) - y*z, computed stably.
func logLoss(z, y float64) float64 {
	return math.Max(z, 0) - y*z + math.Log1p(math.Exp(-math.Abs(z)))
}

// weightOf is an example's weight: Weight, 0 meaning 1.
func weightOf(e *Example) float64 {
	if e.Weight == 0 {
		return 1
	}
	return float64(e.Weight)
}

// known reports whether head k's label of e is known (not masked).
func known(e *Example, k int) bool { return e.Mask == nil || e.Mask[k] != 0 }

// focalLoss is the focal loss of label y in [0, 1] at logit z with exponent gamma,
// -y(1-p)^gamma log p - (1-y) p^gamma log(1-p) with p = sigmoid(z), and its derivative in z.
// With gamma 0 it is logLoss and p - y.
func focalLoss(z, y, gamma float64) (l, dz float64) {
	p, q := 1/(1+math.Exp(-z)), 1/(1+math.Exp(z)) // p and 1-p, each without cancellation
	logP, logQ := -logLoss(z, 1), -logLoss(z, 0)  // log p and log(1-p), stably
	qg, pg := math.Pow(q, gamma), math.Pow(p, gamma)
	l = -y*qg*logP - (1-y)*pg*logQ
	dz = y*(gamma*p*qg*logP-qg*q) + (1-y)*(pg*p-gamma*q*pg*logQ)
	return l, dz
}

// loss returns the weighted, masked binary cross-entropy from logits (the focal loss when gamma is
// above 0), and writes dL/dz2 into dz2 when it is not nil.
func loss(z2 []float64, e *Example, dz2 []float64, gamma float64) float64 {
	w := weightOf(e)
	l := 0.0
	for k, z := range z2 {
		m := 1.0
		if e.Mask != nil {
			m = float64(e.Mask[k])
		}
		y := float64(e.Labels[k])
		if gamma > 0 {
			fl, dz := focalLoss(z, y, gamma)
			l += m * w * fl
			if dz2 != nil {
				dz2[k] = m * w * dz
			}
			continue
		}
		l += m * w * logLoss(z, y)
		if dz2 != nil {
			p := 1 / (1 + math.Exp(-z))
			dz2[k] = m * w * (p - y)
		}
	}
	return l
}

// backward accumulates the dense gradients and updates the embedding rows of ids at once.
func (t *trainer) backward(ids []int64, dz2 []float64) {
	d, n := t.d, t.net
	gW1, gB1, gW2, gB2 := t.g[0], t.g[1], t.g[2], t.g[3]
	for k, g := range dz2 {
		gB2[k] += g
	}
	clear(t.dh)
	for j, hj := range t.h {
		row := n.W2[j*d.K : (j+1)*d.K]
		grow := gW2[j*d.K : (j+1)*d.K]
		for k, g := range dz2 {
			grow[k] += hj * g
			t.dh[j] += float64(row[k]) * g
		}
	}
	for j := range t.dz1 {
		if t.z1[j] > 0 {
			t.dz1[j] = t.dh[j]
		} else {
			t.dz1[j] = 0
		}
		gB1[j] += t.dz1[j]
	}
	clear(t.de)
	for i, xi := range t.x {
		row := n.W1[i*d.H : (i+1)*d.H]
		grow := gW1[i*d.H : (i+1)*d.H]
		if xi != 0 {
			floats.AddScaled(grow, xi, t.dz1)
		}
		if i < d.D {
			for j, w := range row {
				t.de[i] += float64(w) * t.dz1[j]
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	inv := 1 / float64(len(ids))
	lr := t.cfg.EmbLR * t.scale
	for _, id := range ids {
		base := int(id) * d.D
		for j := 0; j < d.D; j++ {
			g := t.de[j] * inv
			acc := t.embG[base+j] + float32(g*g)
			t.embG[base+j] = acc
			n.Emb[base+j] -= float32(lr * g / (math.Sqrt(float64(acc)) + 1e-8))
		}
	}
}

// adam applies one Adam step to the dense layers with the accumulated gradients (averaged over
// size examples) and clears them.
func (t *trainer) adam(size int) {
	t.step++
	const b1, b2, eps = 0.9, 0.999, 1e-8
	c1 := 1 - math.Pow(b1, float64(t.step))
	c2 := 1 - math.Pow(b2, float64(t.step))
	params := [4][]float32{t.net.W1, t.net.B1, t.net.W2, t.net.B2}
	inv := 1 / float64(size)
	for p, w := range params {
		decay := t.cfg.L2
		if p == 1 || p == 3 {
			decay = 0
		}
		m, v, g := t.m[p], t.v[p], t.g[p]
		for i := range w {
			gi := g[i]*inv + decay*float64(w[i])
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			w[i] -= float32(t.cfg.LR * t.scale * (m[i] / c1) / (math.Sqrt(v[i]/c2) + eps))
			g[i] = 0
		}
	}
}

// dropIDs returns ids with each dropped with probability p (at least one kept).
func (t *trainer) dropIDs(ids []int64, p float64) []int64 {
	if p <= 0 || len(ids) == 0 {
		return ids
	}
	t.ids = t.ids[:0]
	for _, id := range ids {
		if t.rng.Float64() >= p {
			t.ids = append(t.ids, id)
		}
	}
	if len(t.ids) == 0 {
		t.ids = append(t.ids, ids[t.rng.IntN(len(ids))])
	}
	return t.ids
}

// Loss returns the mean weighted loss of n on ex.
func Loss(n *models.Net, ex []Example) float64 {
	if len(ex) == 0 {
		return 0
	}
	t := newTrainer(n, Config{})
	z2 := make([]float64, t.d.K)
	sum, wsum := 0.0, 0.0
	for i := range ex {
		t.forward(ex[i].IDs, ex[i].Feats, z2)
		sum += loss(z2, &ex[i], nil, 0)
		wsum += weightOf(&ex[i])
	}
	return sum / wsum
}

// minAnneal is the smallest learning-rate factor of an annealed training.
const minAnneal = 0.01

// Train fits n (initialize it with [Init] first) on train, stopping early when the loss on dev has
// not improved for cfg.Patience epochs, and leaves n with the weights of the best epoch. With an
// empty dev set it trains for cfg.Epochs epochs.
func Train(ctx context.Context, n *models.Net, trainSet, dev []Example, cfg Config) (History, error) {
	cfg.defaults()
	d := n.Info().Dims
	if len(trainSet) == 0 {
		return History{}, fmt.Errorf("%w: empty training set", ErrExample)
	}
	if d.W != 0 {
		return History{}, fmt.Errorf("%w: train the network without wide columns, then add them with FitLinear and Stack", ErrExample)
	}
	if err := check(d, trainSet); err != nil {
		return History{}, err
	}
	if err := check(d, dev); err != nil {
		return History{}, fmt.Errorf("dev set: %w", err)
	}
	t := newTrainer(n, cfg)
	order := make([]int, len(trainSet))
	for i := range order {
		order[i] = i
	}
	z2 := make([]float64, d.K)
	dz2 := make([]float64, d.K)
	var h History
	bestLoss := math.Inf(1)
	best := snapshot(n)
	bad := 0
	h.Stopped = "epochs"
	total := float64(cfg.Epochs) * float64(len(order))
	var avg *average
	if cfg.AverageFrom > 0 {
		avg = newAverage(n)
	}
	// sampleAt reports whether the k-th example (from 0) of an epoch ends one of its
	// cfg.AveragePerEpoch even parts.
	parts := min(cfg.AveragePerEpoch, len(order))
	sampleAt := func(k int) bool { return (k+1)*parts/len(order) != k*parts/len(order) }
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		t.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		sum, inBatch := 0.0, 0
		for k, i := range order {
			if cfg.Anneal {
				done := float64(epoch-1)*float64(len(order)) + float64(k)
				t.scale = max(minAnneal, 1-done/total)
			}
			if k%1024 == 0 && ctx.Err() != nil {
				h.Stopped = "cancelled"
				restore(n, best)
				return h, ctx.Err()
			}
			e := &trainSet[i]
			p := t.cfg.DropIDs
			if e.DropIDs > 0 {
				p = float64(e.DropIDs)
			}
			ids := t.dropIDs(e.IDs, p)
			t.forward(ids, e.Feats, z2)
			sum += loss(z2, e, dz2, cfg.Focal)
			t.backward(ids, dz2)
			inBatch++
			last := k == len(order)-1
			if inBatch == cfg.Batch || last {
				t.adam(inBatch)
				inBatch = 0
			}
			if avg != nil && epoch >= cfg.AverageFrom && sampleAt(k) {
				avg.add(n)
			}
		}
		p := Progress{Epoch: epoch, TrainLoss: sum / float64(len(order))}
		if len(dev) > 0 {
			p.DevLoss = Loss(n, dev)
		} else {
			p.DevLoss = p.TrainLoss
		}
		if p.DevLoss < bestLoss-1e-6 {
			bestLoss, bad, p.Best = p.DevLoss, 0, true
			best = snapshot(n)
			h.BestEpoch = epoch
		} else {
			bad++
		}
		h.Epochs = append(h.Epochs, p)
		if cfg.Progress != nil {
			cfg.Progress(p)
		}
		if bad >= cfg.Patience && len(dev) > 0 {
			h.Stopped = "patience"
			break
		}
	}
	if avg != nil && avg.n > 0 {
		avg.into(n)
		h.Averaged = avg.n
		if len(dev) > 0 {
			h.AveragedDevLoss = Loss(n, dev)
		}
		return h, nil
	}
	restore(n, best)
	return h, nil
}

// average sums samples of a network's weights in float64.
type average struct {
	sum [5][]float64
	n   int
}

// newAverage returns an empty sum shaped like n's weights.
func newAverage(n *models.Net) *average {
	a := &average{}
	for i, w := range params(n) {
		a.sum[i] = make([]float64, len(w))
	}
	return a
}

// add adds one sample: n's current weights.
func (a *average) add(n *models.Net) {
	for i, w := range params(n) {
		s := a.sum[i]
		for j, x := range w {
			s[j] += float64(x)
		}
	}
	a.n++
}

// into writes the mean of the samples into n.
func (a *average) into(n *models.Net) {
	inv := 1 / float64(a.n)
	for i, w := range params(n) {
		for j, x := range a.sum[i] {
			w[j] = float32(x * inv)
		}
	}
}

// params returns n's tensors in a fixed order: embedding, W1, B1, W2, B2.
func params(n *models.Net) [5][]float32 { return [5][]float32{n.Emb, n.W1, n.B1, n.W2, n.B2} }

type weights [5][]float32

func snapshot(n *models.Net) weights {
	var w weights
	for i, p := range params(n) {
		w[i] = clone(p)
	}
	return w
}

func restore(n *models.Net, w weights) {
	for i, p := range params(n) {
		copy(p, w[i])
	}
}

func clone(s []float32) []float32 { return append([]float32(nil), s...) }
