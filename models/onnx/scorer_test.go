//go:build cgo

package onnx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/internal/modeltest"
	"github.com/vigie/vigie/models/onnxfile"
)

// requireRuntime skips the test when ONNX Runtime is not installed, unless VIGIE_REQUIRE_ONNX
// is set (CI sets it), in which case the test fails.
func requireRuntime(t testing.TB) {
	t.Helper()
	_, _, err := LoadRuntime(Options{})
	if err == nil {
		return
	}
	if errors.Is(err, ErrRuntimeNotFound) && os.Getenv("VIGIE_REQUIRE_ONNX") == "" {
		t.Skipf("skipping: ONNX Runtime is not installed (run scripts/install-onnxruntime.sh and set "+
			"ONNXRUNTIME_LIB=$(scripts/install-onnxruntime.sh | tail -1); set VIGIE_REQUIRE_ONNX=1 to fail instead): %v", err)
	}
	t.Fatalf("ONNX Runtime is required (VIGIE_REQUIRE_ONNX=%q): %v", os.Getenv("VIGIE_REQUIRE_ONNX"), err)
}

func newPair(t testing.TB, seed uint64, d models.Dims) (*models.Net, *Scorer) {
	t.Helper()
	net := modeltest.RandomNet(rand.New(rand.NewPCG(seed, seed+1)), d)
	b, err := onnxfile.Encode(net)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return net, s
}

func compare(t *testing.T, what string, got, want []float32) {
	t.Helper()
	worst := 0.0
	for i := range want {
		d := math.Abs(float64(got[i] - want[i]))
		if !(d <= 1e-5) { // NaN included
			t.Errorf("%s: scores[%d] = %v, want %v", what, i, got[i], want[i])
			return
		}
		worst = max(worst, d)
	}
	t.Logf("%s: max abs difference %.3g", what, worst)
}

func TestScorerMatchesNet(t *testing.T) {
	requireRuntime(t)
	for _, wide := range []int{0, 5} {
		t.Run(fmt.Sprintf("wide=%d", wide), func(t *testing.T) {
			testScorerMatchesNet(t, models.Dims{V: 5000, D: 16, F: 12, H: 10, K: 4, W: wide})
		})
	}
}

func testScorerMatchesNet(t *testing.T, d models.Dims) {
	net, s := newPair(t, 1, d)
	if got := s.RuntimeVersion(); got != RuntimeVersion {
		t.Logf("ONNX Runtime %s loaded (tested with %s)", got, RuntimeVersion)
	}
	if s.Info().Schema != net.Info().Schema || len(s.Info().Heads) != d.K {
		t.Errorf("Info = %+v, want the metadata of the net", s.Info())
	}
	rng := rand.New(rand.NewPCG(5, 6))
	ctx := context.Background()
	for _, B := range []int{1, 8, 64} {
		for round := range 3 {
			L := 1 + rng.IntN(40)
			b := modeltest.RandomBatch(rng, d, B, L)
			got, want := make([]float32, B*d.K), make([]float32, B*d.K)
			if err := s.Score(ctx, b, got); err != nil {
				t.Fatalf("B=%d L=%d: %v", B, L, err)
			}
			if err := net.Score(ctx, b, want); err != nil {
				t.Fatal(err)
			}
			compare(t, fmt.Sprintf("B=%d L=%d round %d", B, L, round), got, want)
			naive := modeltest.Naive(net, b)
			for i := range naive {
				if !(math.Abs(float64(got[i])-naive[i]) <= 1e-5) {
					t.Fatalf("B=%d L=%d: onnx %v, naive float64 %v at %d", B, L, got[i], naive[i], i)
				}
			}
		}
	}

	// A batch whose rows are all padding, and a batch with L = 0: the features alone.
	for _, L := range []int{0, 5} {
		b := &models.Batch{IDs: make([]int64, 3*L), Feats: make([]float32, 3*d.F), B: 3, L: L, F: d.F}
		for i := range b.Feats {
			b.Feats[i] = float32(i%7) / 7
		}
		got, want := make([]float32, 3*d.K), make([]float32, 3*d.K)
		if err := s.Score(ctx, b, got); err != nil {
			t.Fatalf("L=%d: %v", L, err)
		}
		if err := net.Score(ctx, b, want); err != nil {
			t.Fatal(err)
		}
		compare(t, fmt.Sprintf("only padding, L=%d", L), got, want)
	}
	if err := s.Score(ctx, &models.Batch{F: d.F}, nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func TestScorerConcurrent(t *testing.T) {
	requireRuntime(t)
	d := models.Dims{V: 3000, D: 8, F: 6, H: 8, K: 3}
	net, s := newPair(t, 2, d)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			for range 25 {
				B, L := 1+rng.IntN(20), 1+rng.IntN(30)
				b := modeltest.RandomBatch(rng, d, B, L)
				got, want := make([]float32, B*d.K), make([]float32, B*d.K)
				if err := s.Score(context.Background(), b, got); err != nil {
					errs <- err
					return
				}
				if err := net.Score(context.Background(), b, want); err != nil {
					errs <- err
					return
				}
				for i := range want {
					if !(math.Abs(float64(got[i]-want[i])) <= 1e-5) {
						errs <- fmt.Errorf("goroutine %d B=%d L=%d: %v vs %v", g, B, L, got[i], want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestScorerErrors(t *testing.T) {
	// Metadata is checked before the runtime is needed.
	if _, err := New([]byte{0x08, 0x08}, Options{}); !errors.Is(err, onnxfile.ErrNoMeta) {
		t.Errorf("New on a model without vigie.meta: %v, want ErrNoMeta", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.onnx"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a missing file: %v", err)
	}

	requireRuntime(t)
	d := models.Dims{V: 50, D: 4, F: 2, H: 3, K: 2}
	_, s := newPair(t, 3, d)
	ctx := context.Background()
	out := make([]float32, 8)
	if err := s.Score(ctx, &models.Batch{IDs: []int64{50}, Feats: []float32{0, 0}, B: 1, L: 1, F: 2}, out); !errors.Is(err, models.ErrID) {
		t.Errorf("id = V: %v, want ErrID", err)
	}
	if err := s.Score(ctx, &models.Batch{IDs: []int64{1}, Feats: []float32{0}, B: 1, L: 1, F: 1}, out); !errors.Is(err, models.ErrShape) {
		t.Errorf("wrong F: %v, want ErrShape", err)
	}
	if err := s.Score(ctx, &models.Batch{IDs: []int64{1}, Feats: []float32{0, 0}, B: 1, L: 1, F: 2}, out[:1]); !errors.Is(err, models.ErrShape) {
		t.Errorf("short output: %v, want ErrShape", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Score(ctx, &models.Batch{IDs: []int64{1}, Feats: []float32{0, 0}, B: 1, L: 1, F: 2}, out); !errors.Is(err, models.ErrClosed) {
		t.Errorf("Score after Close: %v, want ErrClosed", err)
	}

	// A second explicit library path differing from the loaded one is refused.
	other := filepath.Join(t.TempDir(), "libonnxruntime.so")
	if err := os.WriteFile(other, []byte("not a library"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadRuntime(Options{LibraryPath: other}); err == nil {
		t.Error("LoadRuntime with another explicit library after the runtime is loaded: no error")
	}
}

func TestOpen(t *testing.T) {
	requireRuntime(t)
	net := modeltest.RandomNet(rand.New(rand.NewPCG(4, 4)), models.Dims{V: 20, D: 3, F: 2, H: 2, K: 1})
	p := filepath.Join(t.TempDir(), "m.onnx")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := onnxfile.Write(f, net); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(p, Options{IntraOpThreads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &models.Batch{IDs: []int64{1, 2, 19, 0}, Feats: []float32{0.5, -0.5, 1, 0}, B: 2, L: 2, F: 2}
	got, want := make([]float32, 2), make([]float32, 2)
	if err := s.Score(context.Background(), b, got); err != nil {
		t.Fatal(err)
	}
	if err := net.Score(context.Background(), b, want); err != nil {
		t.Fatal(err)
	}
	compare(t, "Open", got, want)
}

func TestScorerAllocs(t *testing.T) {
	requireRuntime(t)
	d := models.Dims{V: 100, D: 8, F: 4, H: 4, K: 2}
	_, s := newPair(t, 5, d)
	b := modeltest.RandomBatch(rand.New(rand.NewPCG(1, 1)), d, 8, 16)
	out := make([]float32, 8*d.K)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(200, func() {
		if err := s.Score(ctx, b, out); err != nil {
			t.Fatal(err)
		}
	})
	// The tensors and buffers are reused while the batch shape stays the same. What remains is
	// inside onnxruntime_go's DynamicAdvancedSession.Run: its two argument slices, and one
	// ValueInternalData per input and output (GetInternals returns a pointer): 5.
	if testing.CoverMode() == "" && allocs > 5 {
		t.Errorf("Score allocates %v times per call with a repeated shape, want <= 5", allocs)
	}
	t.Logf("allocations per Score call (same shape): %v", allocs)
}
