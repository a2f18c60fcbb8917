// Package modeltest holds test helpers shared by the models packages: seeded random networks
// and batches, and a naive float64 evaluation of the network that is independent of
// [models.Net]'s optimized loops.
package modeltest

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/vigie/vigie/models"
)

// Meta returns metadata for a network of dims d with heads "h0", "h1", ...
func Meta(d models.Dims) models.Meta {
	m := models.Meta{
		Name:       "random",
		Version:    "0.0.1-test",
		Schema:     "cues-test-v1",
		Dims:       d,
		Thresholds: map[string]float32{},
		Training:   json.RawMessage(`{"seeded":true,"note":"random weights"}`),
		Created:    time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
	}
	for k := range d.K {
		h := "h" + strconv.Itoa(k)
		m.Heads = append(m.Heads, h)
		m.Thresholds[h] = 0.25 + 0.5*float32(k)/float32(d.K)
	}
	return m
}

// RandomNet returns a network of dims d with weights drawn from rng: embeddings in [-1, 1),
// dense weights scaled like a Glorot initialization so that the scores spread over (0, 1).
// It panics on invalid dims (test helper).
func RandomNet(rng *rand.Rand, d models.Dims) *models.Net {
	n, err := models.NewNet(Meta(d))
	if err != nil {
		panic(err)
	}
	fill := func(w []float32, scale float64) {
		for i := range w {
			w[i] = float32((rng.Float64()*2 - 1) * scale)
		}
	}
	fill(n.Emb, 1)
	if d.W > 0 { // the norm column of wide rows (see models.Dims.W) is an idf², positive
		for i := d.D + d.K; i < len(n.Emb); i += d.D + d.W {
			n.Emb[i] = 0.5 + n.Emb[i]*n.Emb[i]
		}
	}
	fill(n.W1, math.Sqrt(6/float64(d.D+d.F+d.H)))
	fill(n.B1, 0.1)
	fill(n.W2, math.Sqrt(6/float64(d.H+d.K)))
	fill(n.B2, 0.1)
	return n
}

// RandomBatch returns B rows of L ids for dims d, ragged: each row holds a random number of
// ids (at least one) followed by padding, except row 1 (when B > 1) which is only padding.
// Features are in [-1, 1), about a third of them zero.
func RandomBatch(rng *rand.Rand, d models.Dims, B, L int) *models.Batch {
	b := &models.Batch{IDs: make([]int64, B*L), Feats: make([]float32, B*d.F), B: B, L: L, F: d.F}
	for r := range B {
		n := 1 + rng.IntN(L)
		if r == 1 {
			n = 0
		}
		for i := range n {
			b.IDs[r*L+i] = 1 + rng.Int64N(int64(d.V-1))
		}
	}
	for i := range b.Feats {
		if rng.IntN(3) > 0 {
			b.Feats[i] = float32(rng.Float64()*2 - 1)
		}
	}
	return b
}

// Naive evaluates the network of n on b in float64 with plain loops, as the package
// documentation of models defines it (wide columns included).
func Naive(n *models.Net, b *models.Batch) []float64 {
	d := n.Info().Dims
	out := make([]float64, b.B*d.K)
	for r := range b.B {
		x := make([]float64, d.D+d.F)
		wide := make([]float64, d.W)
		E := d.D + d.W
		cnt := 0
		for _, id := range b.IDs[r*b.L : (r+1)*b.L] {
			if id == 0 {
				continue
			}
			cnt++
			for j := range d.D {
				x[j] += float64(n.Emb[int(id)*E+j])
			}
			for k := range d.W {
				wide[k] += float64(n.Emb[int(id)*E+d.D+k])
			}
		}
		for j := 0; j < d.D && cnt > 0; j++ {
			x[j] /= float64(cnt)
		}
		if d.W > 0 { // wide[K] is the norm's sum
			s := math.Sqrt(math.Max(wide[d.K], models.WideNormFloor))
			for k := range d.K {
				wide[k] /= s
			}
		}
		for j := range d.F {
			x[d.D+j] = float64(b.Feats[r*d.F+j])
		}
		h := make([]float64, d.H)
		for j := range d.H {
			s := float64(n.B1[j])
			for i := range x {
				s += x[i] * float64(n.W1[i*d.H+j])
			}
			h[j] = math.Max(s, 0)
		}
		for k := range d.K {
			s := float64(n.B2[k])
			for j := range h {
				s += h[j] * float64(n.W2[j*d.K+k])
			}
			if d.W > 0 {
				s += wide[k]
			}
			out[r*d.K+k] = 1 / (1 + math.Exp(-s))
		}
	}
	return out
}
