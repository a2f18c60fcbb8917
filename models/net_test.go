package models_test

import (
	"context"
	"errors"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/internal/modeltest"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// tinyNet is the hand-computed example of TestNetHandComputed:
// V=4, D=2, F=1, H=2, K=2.
func tinyNet(t testing.TB) *models.Net {
	t.Helper()
	meta := models.Meta{Name: "tiny", Heads: []string{"grooming", "sextortion"},
		Dims: models.Dims{V: 4, D: 2, F: 1, H: 2, K: 2}}
	n, err := models.NewNetWeights(meta,
		[]float32{
			9, 9, // row 0: padding, must never be read
			1, 2, // row 1
			3, -2, // row 2
			0.5, 0.5, // row 3
		},
		[]float32{ // W1 [3x2]: input i -> hidden j
			1, -1, // from e0
			0.5, 2, // from e1
			1, 0, // from feat0
		},
		[]float32{0, 1}, // b1
		[]float32{ // W2 [2x2]: hidden j -> head k
			1, -1,
			2, 0.5,
		},
		[]float32{-3, 0}, // b2
	)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNetHandComputed(t *testing.T) {
	n := tinyNet(t)
	// Row 0: ids [1 2 0] -> mean(row1, row2) = ((1+3)/2, (2-2)/2) = (2, 0); feats [1]; x = (2, 0, 1).
	//   h = 2*(1,-1) + 0*(0.5,2) + 1*(1,0) + (0,1) = (3, -1) -> ReLU (3, 0)
	//   z = 3*(1,-1) + 0*(2,0.5) + (-3,0) = (0, -3)
	//   sigmoid(0) = 0.5; sigmoid(-3) = 1/(1+e^3) = 1/21.0855369 = 0.0474258732
	// Row 1: ids [0 0 0] (only padding) -> e = (0, 0); feats [-1]; x = (0, 0, -1).
	//   h = -1*(1,0) + (0,1) = (-1, 1) -> ReLU (0, 1)
	//   z = 1*(2,0.5) + (-3,0) = (-1, 0.5)
	//   sigmoid(-1) = 1/(1+2.7182818) = 0.2689414214; sigmoid(0.5) = 1/(1+0.6065307) = 0.6224593312
	want := []float32{0.5, 0.0474258732, 0.2689414214, 0.6224593312}
	b := &models.Batch{IDs: []int64{1, 2, 0, 0, 0, 0}, Feats: []float32{1, -1}, B: 2, L: 3, F: 1}
	out := make([]float32, 4)
	if err := n.Score(context.Background(), b, out); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if !(math.Abs(float64(out[i]-want[i])) <= 1e-6) {
			t.Errorf("out[%d] = %.7f, want %.7f (all: %v)", i, out[i], want[i], out)
		}
	}

	// Row 0 again with a repeated id and padding in the middle: ids [3 0 3 1] ->
	// mean(row3, row3, row1) = ((0.5+0.5+1)/3, (0.5+0.5+2)/3) = (2/3, 1); feats [0]; x = (2/3, 1, 0).
	//   h = 2/3*(1,-1) + 1*(0.5,2) + (0,1) = (7/6, 7/3) -> ReLU (7/6, 7/3)
	//   z = 7/6*(1,-1) + 7/3*(2,0.5) + (-3,0) = (7/6 + 14/3 - 3, -7/6 + 7/6) = (17/6, 0)
	//   sigmoid(17/6 = 2.8333333) = 1/(1+e^-2.8333333) = 1/(1+0.0588165) = 0.9444507; sigmoid(0) = 0.5
	b = &models.Batch{IDs: []int64{3, 0, 3, 1}, Feats: []float32{0}, B: 1, L: 4, F: 1}
	if err := n.Score(context.Background(), b, out); err != nil {
		t.Fatal(err)
	}
	for i, w := range []float32{0.9444507, 0.5} {
		if !(math.Abs(float64(out[i]-w)) <= 1e-6) {
			t.Errorf("repeated ids: out[%d] = %.7f, want %.7f", i, out[i], w)
		}
	}
}

func TestNetErrors(t *testing.T) {
	n := tinyNet(t)
	ctx := context.Background()
	out := make([]float32, 8)
	tests := []struct {
		name string
		b    models.Batch
		out  []float32
		want error
	}{
		{"id equal to V", models.Batch{IDs: []int64{4}, Feats: []float32{0}, B: 1, L: 1, F: 1}, out, models.ErrID},
		{"negative id", models.Batch{IDs: []int64{-1}, Feats: []float32{0}, B: 1, L: 1, F: 1}, out, models.ErrID},
		{"wrong F", models.Batch{IDs: []int64{1}, Feats: []float32{0, 0}, B: 1, L: 1, F: 2}, out, models.ErrShape},
		{"ids shorter than B*L", models.Batch{IDs: []int64{1}, Feats: []float32{0}, B: 1, L: 2, F: 1}, out, models.ErrShape},
		{"feats shorter than B*F", models.Batch{IDs: []int64{1, 1}, Feats: []float32{0}, B: 2, L: 1, F: 1}, out, models.ErrShape},
		{"output too short", models.Batch{IDs: []int64{1}, Feats: []float32{0}, B: 1, L: 1, F: 1}, out[:1], models.ErrShape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := n.Score(ctx, &tt.b, tt.out)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Score error = %v, want %v", err, tt.want)
			}
		})
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	b := models.Batch{IDs: []int64{1}, Feats: []float32{0}, B: 1, L: 1, F: 1}
	if err := n.Score(cctx, &b, out); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: error = %v, want context.Canceled", err)
	}

	// An empty batch is fine and writes nothing.
	if err := n.Score(ctx, &models.Batch{F: 1}, nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
	// A batch with rows but no ids scores the features alone.
	if err := n.Score(ctx, &models.Batch{Feats: []float32{-1}, B: 1, L: 0, F: 1}, out); err != nil {
		t.Errorf("L=0: %v", err)
	} else if !(math.Abs(float64(out[0]-0.2689414214)) <= 1e-6) {
		t.Errorf("L=0: out[0] = %v, want sigmoid(-1) as for a row of only padding", out[0])
	}
}

func TestMetaValidate(t *testing.T) {
	ok := models.Meta{Heads: []string{"a", "b"}, Dims: models.Dims{V: 8, D: 2, F: 1, H: 2, K: 2},
		Thresholds: map[string]float32{"a": 0.5}, FlatThresholds: map[string]float32{"a": 0.7}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid meta: %v", err)
	}
	tests := []struct {
		name string
		edit func(m *models.Meta)
	}{
		{"vocab of 1", func(m *models.Meta) { m.Dims.V = 1 }},
		{"zero hidden", func(m *models.Meta) { m.Dims.H = 0 }},
		{"too few head names", func(m *models.Meta) { m.Heads = m.Heads[:1] }},
		{"repeated head", func(m *models.Meta) { m.Heads = []string{"a", "a"} }},
		{"threshold of unknown head", func(m *models.Meta) { m.Thresholds = map[string]float32{"c": 0.5} }},
		{"threshold above 1", func(m *models.Meta) { m.Thresholds = map[string]float32{"a": 1.5} }},
		{"threshold NaN", func(m *models.Meta) { m.Thresholds = map[string]float32{"a": float32(math.NaN())} }},
		{"flat threshold of unknown head", func(m *models.Meta) { m.FlatThresholds = map[string]float32{"c": 0.5} }},
		{"flat threshold below 0", func(m *models.Meta) { m.FlatThresholds = map[string]float32{"a": -0.1} }},
		{"flat threshold NaN", func(m *models.Meta) { m.FlatThresholds = map[string]float32{"b": float32(math.NaN())} }},
		{"training not JSON", func(m *models.Meta) { m.Training = []byte("{") }},
		{"huge", func(m *models.Meta) { m.Dims.D, m.Dims.H = 1<<20, 1<<20 }},
		{"wide columns not one per head", func(m *models.Meta) { m.Dims.W = 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			m.Heads = slices.Clone(ok.Heads)
			m.Thresholds = maps.Clone(ok.Thresholds)
			tt.edit(&m)
			if err := m.Validate(); !errors.Is(err, models.ErrMeta) {
				t.Fatalf("Validate = %v, want ErrMeta", err)
			}
			if _, err := models.NewNet(m); err == nil {
				t.Fatal("NewNet accepted invalid meta")
			}
		})
	}
}

func TestNetMatchesNaive(t *testing.T) {
	for _, wide := range []int{0, 4} {
		rng := rand.New(rand.NewPCG(1, 2))
		n := modeltest.RandomNet(rng, models.Dims{V: 1000, D: 13, F: 7, H: 9, K: 3, W: wide})
		b := modeltest.RandomBatch(rng, n.Info().Dims, 50, 17)
		out := make([]float32, 50*3)
		if err := n.Score(context.Background(), b, out); err != nil {
			t.Fatal(err)
		}
		want := modeltest.Naive(n, b)
		for i := range want {
			if !(math.Abs(float64(out[i])-want[i]) <= 1e-5) {
				t.Fatalf("wide %d: out[%d] = %v, naive %v", wide, i, out[i], want[i])
			}
		}
	}
}

// TestNetWide checks what the wide columns add: with the deep weights of a network without
// them, head k's logit moves by Σv_k / sqrt(Σu) over the row's ids, and zero wide columns
// change nothing.
func TestNetWide(t *testing.T) {
	deep := modeltest.RandomNet(rand.New(rand.NewPCG(9, 9)), models.Dims{V: 40, D: 5, F: 3, H: 4, K: 2})
	d := deep.Info().Dims
	d.W = d.K + 1
	wide, err := models.NewNet(modeltest.Meta(d))
	if err != nil {
		t.Fatal(err)
	}
	copy(wide.W1, deep.W1)
	copy(wide.B1, deep.B1)
	copy(wide.W2, deep.W2)
	copy(wide.B2, deep.B2)
	const E = 8 // D + K + 1
	for id := range d.V {
		copy(wide.Emb[id*E:id*E+5], deep.Emb[id*5:id*5+5])
	}
	b := &models.Batch{IDs: []int64{3, 8, 8, 0, 21, 0}, Feats: []float32{0.5, -1, 0.25, 0, 0, 1}, B: 2, L: 3, F: 3}
	want, got := make([]float32, 4), make([]float32, 4)
	ctx := context.Background()
	if err := deep.Score(ctx, b, want); err != nil {
		t.Fatal(err)
	}
	if err := wide.Score(ctx, b, got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("zero wide columns: %v, want %v", got, want)
	}
	// Row 0 (ids 3, 8, 8): head 0 sums 0.9+0.3+0.3 = 1.5, u sums 1+4+4 = 9, so +1.5/3 = 0.5.
	// Row 1 (id 21): head 1 gets -2/sqrt(0.25) = -4.
	wide.Emb[3*E+5], wide.Emb[8*E+5], wide.Emb[21*E+6] = 0.9, 0.3, -2
	wide.Emb[3*E+7], wide.Emb[8*E+7], wide.Emb[21*E+7] = 1, 4, 0.25
	if err := wide.Score(ctx, b, got); err != nil {
		t.Fatal(err)
	}
	logit := func(p float32) float64 { return math.Log(float64(p) / (1 - float64(p))) }
	for i, shift := range []float64{0.5, 0, 0, -4} {
		if diff := logit(got[i]) - logit(want[i]); math.Abs(diff-shift) > 1e-4 {
			t.Errorf("score %d: logit moved by %.5f, want %.5f", i, diff, shift)
		}
	}
}

func TestNetScoreAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts are not meaningful under coverage")
	}
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	n := modeltest.RandomNet(rng, models.Dims{V: 500, D: 16, F: 8, H: 8, K: 4})
	b := modeltest.RandomBatch(rng, n.Info().Dims, 8, 32)
	out := make([]float32, 8*4)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		if err := n.Score(ctx, b, out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Net.Score allocates %v times per call, want 0", allocs)
	}
}

// NewNetWeights sets subnormal weights to zero (they slow every product on x86) and leaves every
// other value alone; scores do not move measurably.
func TestNewNetWeightsFlushesSubnormals(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ref := modeltest.RandomNet(rng, models.Dims{V: 200, D: 8, F: 5, H: 6, K: 2})
	tiny := []float32{1e-39, -3e-42, math.SmallestNonzeroFloat32, 0x1p-127}
	normal := []float32{0x1p-126, -0x1p-126, 1e-30, 0}
	for i, v := range tiny {
		ref.W1[3*i] = v
		ref.W1[3*i+1] = normal[i]
	}
	ref.Emb[ref.Info().Dims.D+1] = -1e-40
	ref.W2[1] = 2e-39
	clone := func(w []float32) []float32 { return slices.Clone(w) }
	n, err := models.NewNetWeights(ref.Info(), clone(ref.Emb), clone(ref.W1), clone(ref.B1), clone(ref.W2), clone(ref.B2))
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, p := range [][2][]float32{{ref.Emb, n.Emb}, {ref.W1, n.W1}, {ref.W2, n.W2}, {ref.B1, n.B1}, {ref.B2, n.B2}} {
		for i, v := range p[0] {
			sub := v != 0 && math.Abs(float64(v)) < 0x1p-126
			switch {
			case sub && p[1][i] != 0:
				t.Errorf("subnormal %g kept", v)
			case sub:
				changed++
			case p[1][i] != v:
				t.Errorf("normal value %g changed to %g", v, p[1][i])
			}
		}
	}
	if changed != len(tiny)+2 {
		t.Errorf("flushed %d subnormals, want %d", changed, len(tiny)+2)
	}
	if got := models.FlushSubnormals(n.W1); got != 0 {
		t.Errorf("second flush changed %d values", got)
	}
	b := modeltest.RandomBatch(rng, ref.Info().Dims, 20, 9)
	want, got := make([]float32, 40), make([]float32, 40)
	if err := ref.Score(context.Background(), b, want); err != nil {
		t.Fatal(err)
	}
	if err := n.Score(context.Background(), b, got); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-7 {
			t.Fatalf("score %d: %v after flushing, %v before", i, got[i], want[i])
		}
	}
}
