//go:build cgo

package onnx

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/internal/modeltest"
	"github.com/vigie/vigie/models/onnxfile"
)

var benchScorer struct {
	once sync.Once
	s    *Scorer
	err  error
}

// benchPair returns the benchmark network and an ONNX Runtime scorer for it, built once.
func benchPair(b *testing.B) (*models.Net, *Scorer) {
	requireRuntime(b)
	n := modeltest.BenchNet()
	benchScorer.once.Do(func() {
		var data []byte
		if data, benchScorer.err = onnxfile.Encode(n); benchScorer.err == nil {
			benchScorer.s, benchScorer.err = New(data, Options{})
		}
	})
	if benchScorer.err != nil {
		b.Fatal(benchScorer.err)
	}
	return n, benchScorer.s
}

// BenchmarkScore compares ONNX Runtime (backend=ort) with the pure-Go network (backend=go) on
// full rows, one goroutine, 1 intra-op thread.
func BenchmarkScore(b *testing.B) {
	n, s := benchPair(b)
	d := n.Info().Dims
	ctx := context.Background()
	for _, L := range []int{32, 128} {
		for _, B := range []int{1, 8, 64, 256} {
			batch := modeltest.FullBatch(rand.New(rand.NewPCG(1, uint64(B*L))), d, B, L)
			for _, be := range []struct {
				name string
				sc   models.Scorer
			}{{"ort", s}, {"go", n}} {
				b.Run(fmt.Sprintf("L=%d/B=%d/backend=%s", L, B, be.name), func(b *testing.B) {
					out := make([]float32, B*d.K)
					b.ReportAllocs()
					cpu0 := modeltest.CPUTime()
					for b.Loop() {
						if err := be.sc.Score(ctx, batch, out); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N*B)/b.Elapsed().Seconds(), "rows/s")
					reportCPU(b, cpu0, B)
				})
			}
		}
	}
}

// BenchmarkScoreParallel measures throughput with concurrent callers sharing one Scorer
// (GOMAXPROCS goroutines), batch 64, L=32.
func BenchmarkScoreParallel(b *testing.B) {
	n, s := benchPair(b)
	d := n.Info().Dims
	const B, L = 64, 32
	for _, be := range []struct {
		name string
		sc   models.Scorer
	}{{"ort", s}, {"go", n}} {
		b.Run("backend="+be.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := modeltest.CPUTime()
			var seed sync.Mutex
			next := uint64(0)
			b.RunParallel(func(pb *testing.PB) {
				seed.Lock()
				next++
				rng := rand.New(rand.NewPCG(next, 7))
				seed.Unlock()
				batch := modeltest.FullBatch(rng, d, B, L)
				out := make([]float32, B*d.K)
				for pb.Next() {
					if err := be.sc.Score(context.Background(), batch, out); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*B)/b.Elapsed().Seconds(), "rows/s")
			reportCPU(b, cpu0, B)
		})
	}
}

// reportCPU reports the process CPU time per operation and the rows scored per CPU-second
// since cpu0: unlike wall time, it does not count time spent waiting for a busy machine.
func reportCPU(b *testing.B, cpu0 time.Duration, rows int) {
	if cpu0 == 0 {
		return
	}
	cpu := (modeltest.CPUTime() - cpu0).Seconds()
	b.ReportMetric(cpu*1e9/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N*rows)/cpu, "rows/cpu-s")
}
