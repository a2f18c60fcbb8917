package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vigie/vigie/models/internal/modeltest"
)

// BenchmarkNetScore measures the pure-Go network on full rows (every id real) for the ladder
// of batch sizes and lengths that the ONNX Runtime benchmark in models/onnx also uses.
func BenchmarkNetScore(b *testing.B) {
	n := modeltest.BenchNet()
	d := n.Info().Dims
	ctx := context.Background()
	for _, L := range []int{32, 128} {
		for _, B := range []int{1, 8, 64, 256} {
			b.Run(fmt.Sprintf("L=%d/B=%d", L, B), func(b *testing.B) {
				batch := modeltest.FullBatch(rand.New(rand.NewPCG(1, uint64(B*L))), d, B, L)
				out := make([]float32, B*d.K)
				b.ReportAllocs()
				cpu0 := modeltest.CPUTime()
				for b.Loop() {
					if err := n.Score(ctx, batch, out); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*B)/b.Elapsed().Seconds(), "rows/s")
				reportCPU(b, cpu0, B)
			})
		}
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
