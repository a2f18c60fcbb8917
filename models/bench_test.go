package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vigie/vigie/models"
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

// BenchmarkAddIDs2 measures the incremental embedding sum of a streaming session: each message
// adds about 60 token ids to its window's conversation row and to its author's row. Dims are
// the embedded model's (131,073 rows of width 24, a 12.6 MB table: larger than the L2 cache, so
// the sum waits on memory); ids are drawn from a Zipf law over the buckets, as words are.
func BenchmarkAddIDs2(b *testing.B) {
	d := models.Dims{V: 131073, D: 24, F: 8, H: 8, K: 2}
	n := modeltest.RandomNet(rand.New(rand.NewPCG(7, 7)), d)
	rng := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(rng, 1.1, 8, uint64(d.V-2))
	const perMsg, msgs = 60, 4096
	ids := make([]int64, perMsg*msgs)
	perm := rng.Perm(d.V - 1) // spread the frequent ids over the table
	for i := range ids {
		ids[i] = int64(perm[z.Uint64()]) + 1
	}
	var conv, author models.EmbSum
	b.ReportAllocs()
	cpu0 := modeltest.CPUTime()
	m := 0
	for b.Loop() {
		i := m % msgs
		if err := n.AddIDs2(&conv, &author, ids[i*perMsg:(i+1)*perMsg]); err != nil {
			b.Fatal(err)
		}
		m++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	reportCPU(b, cpu0, 1)
}
