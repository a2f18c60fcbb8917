//go:build cgo

package bench

import (
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnx"
)

func newONNX(model []byte) (models.Scorer, error) { return onnx.New(model, onnx.Options{}) }
