package models_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/internal/modeltest"
)

// TestScoreSumSlidingWindow slides a window of at most maxIDs ids over a stream, adding the new
// ids and evicting the old ones, and checks at every step that ScoreSum equals Score on the
// window's ids (and the naive float64 evaluation).
func TestScoreSumSlidingWindow(t *testing.T) {
	for _, wide := range []int{0, 3} {
		t.Run(fmt.Sprintf("wide=%d", wide), func(t *testing.T) {
			testScoreSumSlidingWindow(t, models.Dims{V: 97, D: 8, F: 5, H: 6, K: 2, W: wide})
		})
	}
}

func testScoreSumSlidingWindow(t *testing.T, d models.Dims) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := modeltest.RandomNet(rng, d)
	const maxIDs = 40
	var s models.EmbSum
	var stream []int64
	lo := 0
	out, want := make([]float32, d.K), make([]float32, d.K)
	feats := make([]float32, d.F)
	for step := range 300 {
		msg := make([]int64, rng.IntN(12))
		for i := range msg {
			msg[i] = int64(rng.IntN(d.V)) // some zeros: padding must be skipped
		}
		stream = append(stream, msg...)
		if err := n.AddIDs(&s, msg); err != nil {
			t.Fatal(err)
		}
		if ev := len(stream) - lo - maxIDs; ev > 0 {
			if err := n.SubIDs(&s, stream[lo:lo+ev]); err != nil {
				t.Fatal(err)
			}
			lo += ev
		}
		for i := range feats {
			feats[i] = float32(rng.Float64()*2 - 1)
		}
		if err := n.ScoreSum(&s, feats, out); err != nil {
			t.Fatal(err)
		}
		win := stream[lo:]
		L := max(len(win), 1)
		b := &models.Batch{IDs: make([]int64, L), Feats: feats, B: 1, L: L, F: d.F}
		copy(b.IDs, win)
		if err := n.Score(context.Background(), b, want); err != nil {
			t.Fatal(err)
		}
		naive := modeltest.Naive(n, b)
		for k := range out {
			if diff := math.Abs(float64(out[k] - want[k])); diff > 1e-6 {
				t.Fatalf("step %d head %d: ScoreSum %v, Score %v", step, k, out[k], want[k])
			}
			if diff := math.Abs(float64(out[k]) - naive[k]); diff > 1e-5 {
				t.Fatalf("step %d head %d: ScoreSum %v, naive %v", step, k, out[k], naive[k])
			}
		}
	}
}

func TestScoreSumErrors(t *testing.T) {
	d := models.Dims{V: 10, D: 2, F: 3, H: 2, K: 2}
	n := modeltest.RandomNet(rand.New(rand.NewPCG(3, 4)), d)
	var s models.EmbSum
	if err := n.AddIDs(&s, []int64{1, 10}); !errors.Is(err, models.ErrID) {
		t.Fatalf("id 10 of V=10: got %v, want ErrID", err)
	}
	if err := n.ScoreSum(&s, make([]float32, 2), make([]float32, 2)); !errors.Is(err, models.ErrShape) {
		t.Fatalf("2 features for F=3: got %v, want ErrShape", err)
	}
	if err := n.ScoreSum(&s, make([]float32, 3), make([]float32, 1)); !errors.Is(err, models.ErrShape) {
		t.Fatalf("output of 1 for K=2: got %v, want ErrShape", err)
	}
}

func TestScoreSumAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts differ under coverage")
	}
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	d := models.Dims{V: 1000, D: 16, F: 32, H: 16, K: 2}
	n := modeltest.RandomNet(rand.New(rand.NewPCG(5, 6)), d)
	var s models.EmbSum
	ids := []int64{1, 2, 3, 999}
	feats, out := make([]float32, d.F), make([]float32, d.K)
	_ = n.AddIDs(&s, ids)
	_ = n.ScoreSum(&s, feats, out)
	if a := testing.AllocsPerRun(100, func() {
		_ = n.AddIDs(&s, ids)
		_ = n.SubIDs(&s, ids)
		_ = n.ScoreSum(&s, feats, out)
	}); a != 0 {
		t.Fatalf("%v allocations per step, want 0", a)
	}
}

// TestAddIDs2 checks that adding to two sums at once equals adding to each.
func TestAddIDs2(t *testing.T) {
	d := models.Dims{V: 50, D: 6, F: 2, H: 3, K: 2}
	n := modeltest.RandomNet(rand.New(rand.NewPCG(9, 9)), d)
	var a, b, a1, b1 models.EmbSum
	_ = n.AddIDs(&b, []int64{3}) // b starts elsewhere than a
	_ = n.AddIDs(&b1, []int64{3})
	ids := []int64{1, 0, 49, 7, 7}
	if err := n.AddIDs2(&a, &b, ids); err != nil {
		t.Fatal(err)
	}
	_ = n.AddIDs(&a1, ids)
	_ = n.AddIDs(&b1, ids)
	for _, p := range [][2]*models.EmbSum{{&a, &a1}, {&b, &b1}} {
		got, gn := p[0].Values()
		want, wn := p[1].Values()
		if gn != wn || len(got) != len(want) {
			t.Fatalf("counts %d/%d, lengths %d/%d", gn, wn, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("sum[%d] = %v, want %v", i, got[i], want[i])
			}
		}
	}
	if err := n.AddIDs2(&a, &b, []int64{50}); !errors.Is(err, models.ErrID) {
		t.Fatalf("id 50 of V=50: got %v, want ErrID", err)
	}
	if err := n.AddIDs2(&a, nil, []int64{2}); err != nil {
		t.Fatalf("nil second sum: %v", err)
	}
}

// TestEmbSumNaive checks the running sums against a plain float64 sum of the rows, for widths
// below, at and above the 64 values that the summation handles at a time, and that an invalid
// id leaves both sums as they were.
func TestEmbSumNaive(t *testing.T) {
	for _, D := range []int{1, 5, 64, 150} {
		d := models.Dims{V: 40, D: D, F: 2, H: 3, K: 2}
		n := modeltest.RandomNet(rand.New(rand.NewPCG(uint64(D), 1)), d)
		rng := rand.New(rand.NewPCG(2, uint64(D)))
		var a, b models.EmbSum
		want := make([]float64, D)
		cnt := 0
		var added [][]int64
		for step := range 30 {
			ids := make([]int64, rng.IntN(9))
			for i := range ids {
				ids[i] = rng.Int64N(int64(d.V)) // 0 is padding, skipped
			}
			sign := 1.0
			if step%3 == 2 && len(added) > 0 { // remove an earlier message
				ids, added = added[0], added[1:]
				sign = -1
				if err := n.SubIDs(&a, ids); err != nil {
					t.Fatal(err)
				}
				if err := n.SubIDs(&b, ids); err != nil {
					t.Fatal(err)
				}
			} else {
				added = append(added, ids)
				if err := n.AddIDs2(&a, &b, ids); err != nil {
					t.Fatal(err)
				}
			}
			for _, id := range ids {
				if id == 0 {
					continue
				}
				cnt += int(sign)
				for j := range D {
					want[j] += sign * float64(n.Emb[int(id)*D+j])
				}
			}
		}
		for _, s := range []*models.EmbSum{&a, &b} {
			got, gn := s.Values()
			if gn != cnt {
				t.Fatalf("D=%d: count %d, want %d", D, gn, cnt)
			}
			for j := range want {
				if math.Abs(got[j]-want[j]) > 1e-9 {
					t.Fatalf("D=%d: sum[%d] = %v, want %v", D, j, got[j], want[j])
				}
			}
		}
		before, bn := a.Values()
		before = append([]float64(nil), before...)
		if err := n.AddIDs2(&a, &b, []int64{1, 2, 40}); !errors.Is(err, models.ErrID) {
			t.Fatalf("D=%d: id 40 of V=40: got %v, want ErrID", D, err)
		}
		after, an := a.Values()
		if an != bn || !slices.Equal(after, before) {
			t.Fatalf("D=%d: a failed AddIDs2 changed the sum", D)
		}
	}
}
