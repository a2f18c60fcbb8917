package modeltest

import (
	"math/rand/v2"
	"sync"

	"github.com/vigie/vigie/models"
)

// BenchDims are the dims of the benchmark network: 2^18 hash buckets of width 64, 64 cue
// features, 64 hidden units, 4 heads.
var BenchDims = models.Dims{V: 1 << 18, D: 64, F: 64, H: 64, K: 4}

var bench struct {
	once sync.Once
	net  *models.Net
}

// BenchNet returns a random network of [BenchDims], built once per process (64 MiB of
// embeddings).
func BenchNet() *models.Net {
	bench.once.Do(func() { bench.net = RandomNet(rand.New(rand.NewPCG(42, 42)), BenchDims) })
	return bench.net
}

// FullBatch returns B rows of exactly L real ids each (no padding), the worst case for a given
// padded length.
func FullBatch(rng *rand.Rand, d models.Dims, B, L int) *models.Batch {
	b := RandomBatch(rng, d, B, L)
	for i := range b.IDs {
		b.IDs[i] = 1 + rng.Int64N(int64(d.V-1))
	}
	return b
}
