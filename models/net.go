package models

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// Net is the network of the package documentation, evaluated in pure Go. It implements
// [Scorer]; it is the reference that the ONNX Runtime scorer is tested against and the
// fallback when ONNX Runtime is not installed.
//
// The weights are exported so that training code can update them in place; they are row-major:
// W1[i*H+j] is the weight from input i (embedding then features) to hidden unit j, and
// W2[j*K+k] the weight from hidden unit j to head k. Do not change their lengths, and do not
// write them while Score runs. A Net must not be copied after first use.
type Net struct {
	Emb []float32 // [V*(D+W)]; row 0 is never read (padding); see [Dims.W] for the last W columns
	W1  []float32 // [(D+F)*H]
	B1  []float32 // [H]
	W2  []float32 // [H*K]
	B2  []float32 // [K]

	meta Meta
	pool sync.Pool // *[]float32 scratch of D+F+H+D+W values
}

var _ Scorer = (*Net)(nil)

// NewNet returns a network with the dims of meta and all weights zero.
func NewNet(meta Meta) (*Net, error) {
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	d := meta.Dims
	return &Net{
		Emb:  make([]float32, d.V*d.E()),
		W1:   make([]float32, (d.D+d.F)*d.H),
		B1:   make([]float32, d.H),
		W2:   make([]float32, d.H*d.K),
		B2:   make([]float32, d.K),
		meta: meta.Clone(),
	}, nil
}

// NewNetWeights returns a network that uses the given weight slices (not copied). Their lengths
// must match meta.Dims. Subnormal weights (nonzero, smaller in magnitude than the smallest normal
// float32, about 1.2e-38) are set to zero in place: they change no score by a measurable amount,
// and on x86 every product with one takes a slow path. Training with weight decay leaves some in
// the first layer (402 of its 13,888 weights in model 2026.12.07.1, which made the pure-Go scorer
// about 25% slower).
func NewNetWeights(meta Meta, emb, w1, b1, w2, b2 []float32) (*Net, error) {
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	n := &Net{Emb: emb, W1: w1, B1: b1, W2: w2, B2: b2, meta: meta.Clone()}
	if err := n.checkWeights(); err != nil {
		return nil, err
	}
	for _, w := range [][]float32{emb, w1, b1, w2, b2} {
		FlushSubnormals(w)
	}
	return n, nil
}

// FlushSubnormals sets the subnormal values of w to zero and returns how many it changed.
func FlushSubnormals(w []float32) int {
	n := 0
	for i, v := range w {
		if Subnormal(v) {
			w[i] = 0
			n++
		}
	}
	return n
}

// Subnormal reports whether v is nonzero and smaller in magnitude than the smallest normal float32.
func Subnormal(v float32) bool { return v != 0 && math.Abs(float64(v)) < minNormal32 }

// minNormal32 is the smallest positive normal float32, 2^-126.
const minNormal32 = 0x1p-126

// Info returns a copy of the model metadata.
func (n *Net) Info() Meta { return n.meta.Clone() }

// Close does nothing; a Net holds only Go memory.
func (n *Net) Close() error { return nil }

// CheckWeights reports an error when the weight slices do not have the lengths of the dims.
func (n *Net) CheckWeights() error { return n.checkWeights() }

func (n *Net) checkWeights() error {
	d := n.meta.Dims
	for _, w := range []struct {
		name string
		got  int
		want int
	}{
		{"emb", len(n.Emb), d.V * d.E()},
		{"W1", len(n.W1), (d.D + d.F) * d.H},
		{"b1", len(n.B1), d.H},
		{"W2", len(n.W2), d.H * d.K},
		{"b2", len(n.B2), d.K},
	} {
		if w.got != w.want {
			return fmt.Errorf("%w: weight %s has %d values, want %d", ErrShape, w.name, w.got, w.want)
		}
	}
	return nil
}

// Score implements [Scorer]. It allocates nothing in the steady state.
func (n *Net) Score(ctx context.Context, b *Batch, out []float32) error {
	d := n.meta.Dims
	if err := n.checkWeights(); err != nil {
		return err
	}
	if b.B < 0 || b.L < 0 || b.F != d.F || len(b.IDs) != b.B*b.L || len(b.Feats) != b.B*b.F {
		// Batch.Check builds the precise message.
		if err := b.Check(d); err != nil {
			return err
		}
	}
	if len(out) < b.B*d.K {
		return fmt.Errorf("%w: output holds %d values, want B*K = %d", ErrShape, len(out), b.B*d.K)
	}
	sp := n.scratch()
	defer n.pool.Put(sp)
	s := *sp
	for r := range b.B {
		if r&63 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ids := b.IDs[r*b.L : (r+1)*b.L]
		if err := n.forward(ids, b.Feats[r*d.F:(r+1)*d.F], s, out[r*d.K:(r+1)*d.K]); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
	}
	return nil
}

func (n *Net) scratch() *[]float32 {
	if v, ok := n.pool.Get().(*[]float32); ok {
		return v
	}
	d := n.meta.Dims
	s := make([]float32, d.D+d.F+d.H+d.E())
	return &s
}

// forward evaluates one row into out[:K], using s (len D+F+H+D+W) as scratch.
func (n *Net) forward(ids []int64, feats, s, out []float32) error {
	d := n.meta.Dims
	D, F, H, K, E := d.D, d.F, d.H, d.K, d.E()
	x := s[:D+F]
	h := s[D+F : D+F+H]

	// Masked sum of the embedding rows: straight into x when the rows hold only the D values
	// of the hidden layer's input, else into a buffer that also holds the W wide values.
	e := x[:D]
	if d.W > 0 {
		e = s[D+F+H : D+F+H+E]
	}
	clear(e)
	v := uint64(d.V)
	cnt := 0
	// Rows are added four at a time: a quarter of the passes over e, and four independent
	// streams of loads from the (large, randomly accessed) embedding table.
	var rows [4][]float32
	np := 0
	for i, id := range ids {
		if id == 0 {
			continue
		}
		if uint64(id) >= v {
			return fmt.Errorf("%w: ids[%d] = %d, want 0..%d", ErrID, i, id, v-1)
		}
		rows[np] = n.Emb[int(id)*E : int(id)*E+E]
		np++
		cnt++
		if np == 4 {
			add4(e, rows[0], rows[1], rows[2], rows[3])
			np = 0
		}
	}
	for _, r := range rows[:np] {
		addTo(e, r)
	}
	if cnt > 0 {
		c := float32(cnt)
		for j := range e[:D] {
			e[j] /= c
		}
	}
	var wide []float32
	if d.W > 0 {
		copy(x[:D], e[:D])
		wide = e[D : D+K]
		s := float32(math.Sqrt(float64(max(e[D+K], WideNormFloor))))
		for k := range wide {
			wide[k] /= s
		}
	}
	copy(x[D:], feats)

	n.dense(x, h, wide, out[:K])
	return nil
}

// addTo sets dst[i] += a[i]; len(a) >= len(dst).
func addTo(dst, a []float32) {
	a = a[:len(dst)]
	for i := range dst {
		dst[i] += a[i]
	}
}

// add4 sets dst[i] += a[i] + b[i] + c[i] + d[i]; each source holds at least len(dst) values.
func add4(dst, a, b, c, d []float32) {
	n := len(dst)
	a, b, c, d = a[:n], b[:n], c[:n], d[:n]
	for i := range dst {
		dst[i] += (a[i] + b[i]) + (c[i] + d[i])
	}
}

// axpy4 sets dst[j] += x[0]*w[j] + x[1]*w[H+j] + x[2]*w[2H+j] + x[3]*w[3H+j] where H = len(dst):
// four input rows per pass over dst.
func axpy4(dst []float32, x []float32, w []float32) {
	H := len(dst)
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	w0 := w[0*H : 1*H : 1*H]
	w1 := w[1*H : 2*H : 2*H]
	w2 := w[2*H : 3*H : 3*H]
	w3 := w[3*H : 4*H : 4*H]
	for j := range dst {
		dst[j] += x0*w0[j] + x1*w1[j] + x2*w2[j] + x3*w3[j]
	}
}

// axpy sets dst[i] += a*s[i]; len(s) >= len(dst).
func axpy(dst []float32, a float32, s []float32) {
	s = s[:len(dst)]
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		d4 := dst[i : i+4 : i+4]
		s4 := s[i : i+4 : i+4]
		d4[0] += a * s4[0]
		d4[1] += a * s4[1]
		d4[2] += a * s4[2]
		d4[3] += a * s4[3]
	}
	for ; i < len(dst); i++ {
		dst[i] += a * s[i]
	}
}

func sigmoid(z float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(z))))
}
