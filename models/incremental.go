package models

import (
	"fmt"
	"math"
)

// EmbSum is a running sum of embedding rows of a [Net]: the state of an incremental evaluation
// of one row whose token ids change by appending and evicting ids, as in a sliding window. The
// sum is kept in float64 so that adding and later subtracting the same rows leaves no drift
// that matters at float32 precision. The zero value is empty; [Net.AddIDs] sizes it.
type EmbSum struct {
	sum []float64
	n   int // ids counted (non-zero ids)

	touched float32 // the first pass of [Net.addRows] reads rows into it; never used
}

// Count returns the number of non-padding ids in the sum.
func (s *EmbSum) Count() int { return s.n }

// Reset empties the sum, keeping its memory.
func (s *EmbSum) Reset() {
	clear(s.sum)
	s.n = 0
}

func (n *Net) sized(s *EmbSum) {
	if E := n.meta.Dims.E(); len(s.sum) != E {
		s.sum = make([]float64, E)
		s.n = 0
	}
}

// AddIDs adds the embedding rows of ids to s; id 0 (padding) is skipped as in [Net.Score].
// The cost is O(len(ids)·D) and it allocates nothing once s is sized.
func (n *Net) AddIDs(s *EmbSum, ids []int64) error { return n.addRows(s, nil, ids, 1) }

// SubIDs removes the embedding rows of ids, previously added, from s.
func (n *Net) SubIDs(s *EmbSum, ids []int64) error { return n.addRows(s, nil, ids, -1) }

// AddIDs2 adds the embedding rows of ids to both a and b (b may be nil), reading each row once:
// a window's conversation row and its author's row grow by the same message.
func (n *Net) AddIDs2(a, b *EmbSum, ids []int64) error { return n.addRows(a, b, ids, 1) }

// addRows adds sign × the sum of the embedding rows of ids to a and, when b is not nil, to b. An
// invalid id is reported before anything is added.
//
// The table (12.6 MB for the embedded model) is larger than the CPU caches, so the sum waits on
// memory: a first pass checks the ids and touches both cache lines of each row (a row of 24
// float32 is 96 bytes), which puts the loads of many rows in flight at once, instead of one or
// two behind the additions of the previous rows; the second pass sums the rows, now cached, into
// a small float64 accumulator that is added to a and b once. Together about 2x faster than
// summing row by row into a and b (BenchmarkAddIDs2).
func (n *Net) addRows(a, b *EmbSum, ids []int64, sign float64) error {
	n.sized(a)
	if b != nil {
		n.sized(b)
	}
	d := n.meta.Dims
	D, v := d.E(), uint64(d.V) // D: the width of a row
	emb := n.Emb
	var touch float32
	k := 0
	for i, id := range ids {
		if uint64(id) >= v {
			return fmt.Errorf("%w: ids[%d] = %d, want 0..%d", ErrID, i, id, v-1)
		}
		if id != 0 {
			o := int(id) * D
			touch += emb[o] + emb[o+D-1]
			k++
		}
	}
	a.touched = touch // keeps the loads of the first pass
	if k == 0 {
		return nil
	}
	var buf [64]float64
	for j0 := 0; j0 < D; j0 += len(buf) {
		acc := buf[:min(len(buf), D-j0)]
		clear(acc)
		for _, id := range ids {
			if id == 0 {
				continue
			}
			o := int(id)*D + j0
			row := emb[o : o+len(acc)]
			for j, x := range row {
				acc[j] += float64(x)
			}
		}
		for _, s := range [2]*EmbSum{a, b} {
			if s == nil {
				continue
			}
			sum := s.sum[j0 : j0+len(acc)]
			for j, x := range acc {
				sum[j] += sign * x
			}
		}
	}
	a.n += int(sign) * k
	if b != nil {
		b.n += int(sign) * k
	}
	return nil
}

// ScoreSum evaluates the row whose embedding input is the mean of s and whose cue features are
// feats, writing one score per head into out[:K]. It equals [Net.Score] on the same ids and
// features to float32 rounding of the embedding mean. Its cost is O((D+F)·H), independent of the
// number of ids, and it allocates nothing in the steady state.
func (n *Net) ScoreSum(s *EmbSum, feats []float32, out []float32) error {
	d := n.meta.Dims
	if err := n.checkWeights(); err != nil {
		return err
	}
	if len(feats) != d.F {
		return fmt.Errorf("%w: row has %d features, model wants %d", ErrShape, len(feats), d.F)
	}
	if len(out) < d.K {
		return fmt.Errorf("%w: output holds %d values, want K = %d", ErrShape, len(out), d.K)
	}
	n.sized(s)
	sp := n.scratch()
	defer n.pool.Put(sp)
	DFH := d.D + d.F + d.H
	x := (*sp)[:d.D+d.F]
	e := x[:d.D]
	var wide []float32
	if d.W > 0 {
		wide = (*sp)[DFH+d.D : DFH+d.D+d.K]
	}
	if s.n > 0 {
		c := float64(s.n)
		for j, v := range s.sum[:d.D] {
			e[j] = float32(v / c)
		}
		if d.W > 0 {
			norm := math.Sqrt(max(s.sum[d.D+d.K], WideNormFloor))
			for k, v := range s.sum[d.D : d.D+d.K] {
				wide[k] = float32(v / norm)
			}
		}
	} else {
		clear(e)
		clear(wide)
	}
	copy(x[d.D:], feats)
	n.dense(x, (*sp)[d.D+d.F:DFH], wide, out[:d.K])
	return nil
}

// dense evaluates the layers after the embedding mean: out = sigmoid(ReLU(x·W1+b1)·W2+b2+wide),
// where wide holds the K wide terms (empty when the model has none). Both the batch
// forward pass and the incremental scorer call it, so they agree to the last bit on the same x.
func (n *Net) dense(x, h, wide, out []float32) {
	H := n.meta.Dims.H
	copy(h, n.B1)
	i := 0
	for ; i+4 <= len(x); i += 4 {
		x4 := x[i : i+4 : i+4]
		if x4[0] != 0 || x4[1] != 0 || x4[2] != 0 || x4[3] != 0 {
			axpy4(h, x4, n.W1[i*H:(i+4)*H])
		}
	}
	for ; i < len(x); i++ {
		if x[i] != 0 {
			axpy(h, x[i], n.W1[i*H:i*H+H])
		}
	}
	for j, hj := range h {
		if hj < 0 {
			h[j] = 0
		}
	}
	K := len(out)
	copy(out, n.B2)
	for j, hj := range h {
		if hj != 0 {
			axpy(out, hj, n.W2[j*K:j*K+K])
		}
	}
	for k, w := range wide {
		out[k] += w
	}
	for k, z := range out {
		out[k] = sigmoid(z)
	}
}

// Values returns the running sum (nil before the first AddIDs) and the count of ids, so that a
// caller can save the sum exactly. The slice is the sum's own memory: copy it to keep it.
func (s *EmbSum) Values() ([]float64, int) { return s.sum, s.n }

// SetValues restores a sum saved with [EmbSum.Values]; sum is copied.
func (s *EmbSum) SetValues(sum []float64, n int) {
	s.sum = append(s.sum[:0], sum...)
	s.n = n
}
