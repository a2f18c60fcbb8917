//go:build !cgo

package bench

import (
	"errors"

	"github.com/vigie/vigie/models"
)

func newONNX([]byte) (models.Scorer, error) { return nil, errors.New("built without cgo") }
