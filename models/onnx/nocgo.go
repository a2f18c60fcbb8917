//go:build !cgo

package onnx

import (
	"context"
	"fmt"

	"github.com/vigie/vigie/models"
)

// errNoCgo is returned by every entry point when the binary was built without cgo.
var errNoCgo = fmt.Errorf("%w (this binary was built with CGO_ENABLED=0, so ONNX Runtime cannot be loaded; "+
	"rebuild with cgo, or score with the pure-Go models.Net)", ErrRuntimeNotFound)

// Scorer is a [models.Scorer] backed by ONNX Runtime. In this build (without cgo) it cannot be
// created: [New] and [Open] return an error wrapping [ErrRuntimeNotFound].
type Scorer struct{}

var _ models.Scorer = (*Scorer)(nil)

// Open returns an error wrapping [ErrRuntimeNotFound]: this build has no cgo.
func Open(path string, opts Options) (*Scorer, error) { return nil, errNoCgo }

// New returns an error wrapping [ErrRuntimeNotFound]: this build has no cgo.
func New(modelBytes []byte, opts Options) (*Scorer, error) { return nil, errNoCgo }

// LoadRuntime returns an error wrapping [ErrRuntimeNotFound]: this build has no cgo.
func LoadRuntime(opts Options) (path, version string, err error) { return "", "", errNoCgo }

// Score returns [models.ErrClosed]; a Scorer cannot exist in this build.
func (s *Scorer) Score(ctx context.Context, b *models.Batch, out []float32) error {
	return models.ErrClosed
}

// Info returns the zero Meta.
func (s *Scorer) Info() models.Meta { return models.Meta{} }

// RuntimeVersion returns "".
func (s *Scorer) RuntimeVersion() string { return "" }

// Close does nothing.
func (s *Scorer) Close() error { return nil }
