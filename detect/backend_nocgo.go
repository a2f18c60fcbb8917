//go:build !cgo

package detect

import (
	"errors"

	"github.com/vigie/vigie/models"
)

// newONNXScorer is not available without cgo: the pure-Go network scores instead.
func newONNXScorer([]byte, string) (models.Scorer, string, error) {
	return nil, "", errors.New("this build has no cgo, so no ONNX Runtime; rebuild with CGO_ENABLED=1")
}
