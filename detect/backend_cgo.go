//go:build cgo

package detect

import (
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnx"
)

// newONNXScorer returns an ONNX Runtime scorer for the model, and the runtime's version.
func newONNXScorer(model []byte, lib string) (models.Scorer, string, error) {
	s, err := onnx.New(model, onnx.Options{LibraryPath: lib})
	if err != nil {
		return nil, "", err
	}
	return s, s.RuntimeVersion(), nil
}
