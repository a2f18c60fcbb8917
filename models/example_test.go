package models_test

import (
	"context"
	"fmt"

	"github.com/vigie/vigie/models"
)

// A tiny network scored in pure Go: 4 hash buckets of width 2, 1 cue feature, 2 hidden units,
// 2 heads. The second row holds only padding, so it is scored on its feature alone.
func ExampleNet_Score() {
	meta := models.Meta{
		Name:       "tiny",
		Heads:      []string{"grooming", "sextortion"},
		Dims:       models.Dims{V: 4, D: 2, F: 1, H: 2, K: 2},
		Thresholds: map[string]float32{"grooming": 0.5, "sextortion": 0.5},
	}
	net, err := models.NewNetWeights(meta,
		[]float32{0, 0, 1, 2, 3, -2, 0.5, 0.5}, // emb [4x2]
		[]float32{1, -1, 0.5, 2, 1, 0},         // W1 [3x2]
		[]float32{0, 1},                        // b1
		[]float32{1, -1, 2, 0.5},               // W2 [2x2]
		[]float32{-3, 0},                       // b2
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	batch := &models.Batch{
		IDs:   []int64{1, 2, 0, 0, 0, 0}, // [2 rows x 3 ids], 0 = padding
		Feats: []float32{1, -1},          // [2 rows x 1 feature]
		B:     2, L: 3, F: 1,
	}
	out := make([]float32, batch.B*meta.Dims.K)
	if err := net.Score(context.Background(), batch, out); err != nil {
		fmt.Println(err)
		return
	}
	for r := range batch.B {
		for k, head := range meta.Heads {
			fmt.Printf("row %d %s %.4f\n", r, head, out[r*meta.Dims.K+k])
		}
	}
	// Output:
	// row 0 grooming 0.5000
	// row 0 sextortion 0.0474
	// row 1 grooming 0.2689
	// row 1 sextortion 0.6225
}
