package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/vigie/vigie/models"
)

// LinearConfig sets [FitLinear]. The zero value means the defaults, documented field by field.
type LinearConfig struct {
	// C is the cost of the L2-loss linear SVM (the inverse of the regularization). Default 0.5,
	// as the TF-IDF + LinearSVC baseline of bench/baselines.
	C float64
	// Eps ends the dual coordinate descent when the projected gradients of a pass spread over
	// less than Eps (LIBLINEAR's criterion). Default 0.1, LIBLINEAR's default.
	Eps float64
	// MaxPasses caps the passes over the rows. Default 1000.
	MaxPasses int
	// Seed orders the rows of each pass. Default 1.
	Seed uint64
}

func (c *LinearConfig) defaults() {
	if c.C <= 0 {
		c.C = 0.5
	}
	if c.Eps <= 0 {
		c.Eps = 0.1
	}
	if c.MaxPasses <= 0 {
		c.MaxPasses = 1000
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
}

// Linear is one linear model per head over the TF-IDF vector of a row's token ids: raw counts
// times the idf of each id, divided by sqrt(Σ count·idf²), which is the vector's L2 norm when
// no id repeats. It is what the wide columns of a model compute (see [models.Dims.W]).
type Linear struct {
	V   int
	IDF []float64   // [V]; 0 for ids no training row has (they weigh in no norm)
	W   [][]float64 // [K][V]
	B   []float64   // [K]
	// Info says how the fit went.
	Info LinearInfo
}

// LinearInfo records a [FitLinear] run.
type LinearInfo struct {
	Rows      int     `json:"rows"`
	IDsSeen   int     `json:"ids_seen"`
	C         float64 `json:"c"`
	Eps       float64 `json:"eps"`
	Passes    []int   `json:"passes"`    // per head
	Converged []bool  `json:"converged"` // per head: the spread of the last pass fell under Eps
}

// sparse holds rows as sorted unique ids with values.
type sparse struct {
	ptr []int
	idx []int32
	val []float32
}

func (s *sparse) row(i int) ([]int32, []float32) {
	return s.idx[s.ptr[i]:s.ptr[i+1]], s.val[s.ptr[i]:s.ptr[i+1]]
}

// counts returns the rows of ex as sorted unique ids with their counts.
func counts(ex []Example) sparse {
	s := sparse{ptr: make([]int, 1, len(ex)+1)}
	var buf []int64
	for i := range ex {
		buf = append(buf[:0], ex[i].IDs...)
		slices.Sort(buf)
		for j := 0; j < len(buf); {
			k := j
			for k < len(buf) && buf[k] == buf[j] {
				k++
			}
			s.idx = append(s.idx, int32(buf[j]))
			s.val = append(s.val, float32(k-j))
			j = k
		}
		s.ptr = append(s.ptr, len(s.idx))
	}
	return s
}

// tfidf turns counts into TF-IDF values with the norm of [Linear] in place; ids of idf 0 get 0.
func tfidf(s *sparse, idf []float64) {
	for i := 0; i+1 < len(s.ptr); i++ {
		idx, val := s.row(i)
		n2 := 0.0
		for j, id := range idx {
			n2 += float64(val[j]) * idf[id] * idf[id]
		}
		norm := math.Sqrt(max(n2, models.WideNormFloor))
		for j, id := range idx {
			val[j] = float32(float64(val[j]) * idf[id] / norm)
		}
	}
}

// FitLinear fits a [Linear] model on the training rows: the idf of each id over the rows
// (smoothed as scikit-learn's: ln((1+n)/(1+df))+1), then per head an L2-regularized L2-loss
// linear SVM with a bias, by dual coordinate descent (Hsieh et al., 2008, as LIBLINEAR), each
// row costing C times its weight, the classes balanced (each class of a head weighs half of the
// rows whose label is known). Rows whose label is masked are left out of that head. It is
// deterministic for a seed.
func FitLinear(ctx context.Context, d models.Dims, trainSet []Example, cfg LinearConfig) (*Linear, error) {
	cfg.defaults()
	if err := check(d, trainSet); err != nil {
		return nil, err
	}
	if len(trainSet) == 0 {
		return nil, fmt.Errorf("%w: no training rows", ErrExample)
	}
	rows := counts(trainSet)
	df := make([]int, d.V)
	for _, id := range rows.idx {
		df[id]++
	}
	l := &Linear{V: d.V, IDF: make([]float64, d.V), Info: LinearInfo{Rows: len(trainSet), C: cfg.C, Eps: cfg.Eps}}
	n := float64(len(trainSet))
	for id, c := range df {
		if c > 0 {
			l.IDF[id] = math.Log((1+n)/(1+float64(c))) + 1
			l.Info.IDsSeen++
		}
	}
	tfidf(&rows, l.IDF)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x11ea))
	for k := range d.K {
		w, b, passes, ok, err := dualCD(ctx, &rows, trainSet, k, d.V, cfg, rng)
		if err != nil {
			return nil, err
		}
		l.W = append(l.W, w)
		l.B = append(l.B, b)
		l.Info.Passes = append(l.Info.Passes, passes)
		l.Info.Converged = append(l.Info.Converged, ok)
	}
	return l, nil
}

// dualCD solves head k's SVM: min ½(|w|²+b²) + Σ c_i max(0, 1 - y_i(w·x_i+b))².
func dualCD(ctx context.Context, rows *sparse, ex []Example, k, V int, cfg LinearConfig, rng *rand.Rand) ([]float64, float64, int, bool, error) {
	var order []int
	var y []float64
	var wsum [2]float64 // weight of the negative and positive rows
	for i := range ex {
		if !known(&ex[i], k) {
			continue
		}
		order = append(order, i)
		c := 0
		if ex[i].Labels[k] > 0.5 {
			c = 1
		}
		wsum[c] += weightOf(&ex[i])
	}
	if wsum[0] == 0 || wsum[1] == 0 {
		return nil, 0, 0, false, fmt.Errorf("%w: head %d has no rows of one class", ErrExample, k)
	}
	y = make([]float64, len(ex))
	diag := make([]float64, len(ex)) // D_ii = 1/(2 c_i)
	qd := make([]float64, len(ex))
	for _, i := range order {
		c := 0
		y[i] = -1
		if ex[i].Labels[k] > 0.5 {
			c, y[i] = 1, 1
		}
		ci := cfg.C * weightOf(&ex[i]) * float64(len(order)) / (2 * wsum[c])
		diag[i] = 1 / (2 * ci)
		_, val := rows.row(i)
		q := 1.0 // the bias feature
		for _, v := range val {
			q += float64(v) * float64(v)
		}
		qd[i] = q + diag[i]
	}
	w := make([]float64, V)
	b := 0.0
	alpha := make([]float64, len(ex))
	for pass := 1; pass <= cfg.MaxPasses; pass++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, false, err
		}
		rng.Shuffle(len(order), func(a, c int) { order[a], order[c] = order[c], order[a] })
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for _, i := range order {
			idx, val := rows.row(i)
			s := b
			for j, id := range idx {
				s += w[id] * float64(val[j])
			}
			g := y[i]*s - 1 + diag[i]*alpha[i]
			pg := g
			if alpha[i] == 0 {
				pg = min(g, 0)
			}
			pgMax, pgMin = max(pgMax, pg), min(pgMin, pg)
			if pg == 0 {
				continue
			}
			old := alpha[i]
			alpha[i] = max(old-g/qd[i], 0)
			step := (alpha[i] - old) * y[i]
			for j, id := range idx {
				w[id] += step * float64(val[j])
			}
			b += step
		}
		if pgMax-pgMin <= cfg.Eps {
			return w, b, pass, true, nil
		}
	}
	return w, b, cfg.MaxPasses, false, nil
}

// Scores returns the decision values w·x+b of every head for every row of ex, [len(ex)][K].
func (l *Linear) Scores(ex []Example) [][]float64 {
	rows := counts(ex)
	tfidf(&rows, l.IDF)
	out := make([][]float64, len(ex))
	for i := range ex {
		idx, val := rows.row(i)
		out[i] = make([]float64, len(l.W))
		for k, w := range l.W {
			s := l.B[k]
			for j, id := range idx {
				s += w[id] * float64(val[j])
			}
			out[i][k] = s
		}
	}
	return out
}

// StackInfo records how [Stack] combined the deep and linear logits of each head:
// logit = Deep·deep + Linear·linear + Bias.
type StackInfo struct {
	Deep   []float64 `json:"deep"`
	Linear []float64 `json:"linear"`
	Bias   []float64 `json:"bias"`
	// DevLoss is the weighted dev loss of the stacked network, DeepDevLoss that of the deep one.
	DevLoss     float64 `json:"dev_loss"`
	DeepDevLoss float64 `json:"deep_dev_loss"`
}

// stackRidge is the weight of the penalty that pulls the stacking towards the deep network alone
// (deep coefficient 1, linear 0), relative to the total dev weight of a head.
const stackRidge = 1e-3

// Stack returns a network with wide columns (see [models.Dims.W]) whose head k computes
// a_k·deep_k + b_k·linear_k + c_k, the deep network's logit and the linear model's decision
// value combined by a weighted logistic regression fitted on dev (Newton's method, with a small
// ridge towards a = 1, b = 0). The deep network is not modified.
func Stack(deep *models.Net, l *Linear, dev []Example) (*models.Net, StackInfo, error) {
	meta := deep.Info()
	d := meta.Dims
	if d.W != 0 {
		return nil, StackInfo{}, fmt.Errorf("%w: the network already has wide columns", ErrExample)
	}
	if l.V != d.V || len(l.W) != d.K {
		return nil, StackInfo{}, fmt.Errorf("%w: linear model of %d ids and %d heads for dims %+v", ErrExample, l.V, len(l.W), d)
	}
	if err := check(d, dev); err != nil {
		return nil, StackInfo{}, fmt.Errorf("dev set: %w", err)
	}
	t := newTrainer(deep, Config{})
	deepZ := make([][]float64, len(dev))
	for i := range dev {
		deepZ[i] = make([]float64, d.K)
		t.forward(dev[i].IDs, dev[i].Feats, deepZ[i])
	}
	linZ := l.Scores(dev)
	info := StackInfo{}
	for k := range d.K {
		a, b, c, err := fitStack(dev, deepZ, linZ, k)
		if err != nil {
			return nil, StackInfo{}, fmt.Errorf("stack head %d: %w", k, err)
		}
		info.Deep, info.Linear, info.Bias = append(info.Deep, a), append(info.Linear, b), append(info.Bias, c)
	}
	meta.Dims.W = d.K + 1
	n, err := models.NewNet(meta)
	if err != nil {
		return nil, StackInfo{}, err
	}
	E := meta.Dims.E()
	for id := 1; id < d.V; id++ {
		copy(n.Emb[id*E:id*E+d.D], deep.Emb[id*d.D:(id+1)*d.D])
		for k := range d.K {
			n.Emb[id*E+d.D+k] = float32(info.Linear[k] * l.W[k][id] * l.IDF[id])
		}
		n.Emb[id*E+d.D+d.K] = float32(l.IDF[id] * l.IDF[id])
	}
	copy(n.W1, deep.W1)
	copy(n.B1, deep.B1)
	for j := range d.H {
		for k := range d.K {
			n.W2[j*d.K+k] = float32(info.Deep[k] * float64(deep.W2[j*d.K+k]))
		}
	}
	for k := range d.K {
		n.B2[k] = float32(info.Deep[k]*float64(deep.B2[k]) + info.Linear[k]*l.B[k] + info.Bias[k])
	}
	// The network alone is the stacking (1, 0, 0): its loss comes from the logits already computed.
	alone := StackInfo{Deep: make([]float64, d.K), Linear: make([]float64, d.K), Bias: make([]float64, d.K)}
	for k := range alone.Deep {
		alone.Deep[k] = 1
	}
	info.DeepDevLoss = stackedLoss(dev, deepZ, linZ, alone)
	info.DevLoss = stackedLoss(dev, deepZ, linZ, info)
	return n, info, nil
}

// stackedLoss is the weighted dev loss of the stacked logits, computed from the parts.
func stackedLoss(dev []Example, deepZ, linZ [][]float64, s StackInfo) float64 {
	z := make([]float64, len(s.Deep))
	sum, wsum := 0.0, 0.0
	for i := range dev {
		for k := range z {
			z[k] = s.Deep[k]*deepZ[i][k] + s.Linear[k]*linZ[i][k] + s.Bias[k]
		}
		sum += loss(z, &dev[i], nil, 0)
		wsum += weightOf(&dev[i])
	}
	return sum / wsum
}

// fitStack fits head k's (a, b, c) by Newton's method on the weighted logistic loss plus
// stackRidge·W/2·((a-1)² + b²), W the head's total dev weight.
func fitStack(dev []Example, deepZ, linZ [][]float64, k int) (a, b, c float64, err error) {
	beta := []float64{1, 0, 0}
	total := 0.0
	for i := range dev {
		if known(&dev[i], k) {
			total += weightOf(&dev[i])
		}
	}
	if total == 0 {
		return 1, 0, 0, nil
	}
	lam := stackRidge * total
	// objective is the penalized weighted loss at (a, b, c); Newton's steps are halved until it
	// falls, since a full step can overshoot far from the optimum (a head that dev nearly
	// separates).
	objective := func(p []float64) float64 {
		f := lam / 2 * ((p[0]-1)*(p[0]-1) + p[1]*p[1])
		for i := range dev {
			if !known(&dev[i], k) {
				continue
			}
			z := p[0]*deepZ[i][k] + p[1]*linZ[i][k] + p[2]
			f += weightOf(&dev[i]) * logLoss(z, float64(dev[i].Labels[k]))
		}
		return f
	}
	f0 := objective(beta)
	for range 100 {
		g := []float64{lam * (beta[0] - 1), lam * beta[1], 0}
		h := mat.NewSymDense(3, []float64{lam, 0, 0, 0, lam, 0, 0, 0, 1e-9 * total})
		for i := range dev {
			if !known(&dev[i], k) {
				continue
			}
			x := [3]float64{deepZ[i][k], linZ[i][k], 1}
			z := beta[0]*x[0] + beta[1]*x[1] + beta[2]
			p := 1 / (1 + math.Exp(-z))
			w := weightOf(&dev[i])
			r := w * (p - float64(dev[i].Labels[k]))
			s := w * p * (1 - p)
			for u := range 3 {
				g[u] += r * x[u]
				for v := u; v < 3; v++ {
					h.SetSym(u, v, h.At(u, v)+s*x[u]*x[v])
				}
			}
		}
		var step mat.VecDense
		if err := step.SolveVec(h, mat.NewVecDense(3, g)); err != nil {
			return 0, 0, 0, fmt.Errorf("newton step: %w", err)
		}
		next := make([]float64, 3)
		f1, scale := 0.0, 1.0
		for range 50 {
			for u := range 3 {
				next[u] = beta[u] - scale*step.AtVec(u)
			}
			if f1 = objective(next); f1 <= f0 {
				break
			}
			scale /= 2
		}
		if f1 > f0 { // no step lowers the objective: at the optimum to rounding
			break
		}
		moved := 0.0
		for u := range 3 {
			moved = max(moved, math.Abs(next[u]-beta[u]))
		}
		copy(beta, next)
		f0 = f1
		if moved < 1e-9 {
			break
		}
	}
	for _, v := range beta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, 0, fmt.Errorf("stacking diverged: %v", beta)
		}
	}
	return beta[0], beta[1], beta[2], nil
}
