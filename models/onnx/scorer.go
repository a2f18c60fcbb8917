//go:build cgo

package onnx

import (
	"context"
	"fmt"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnxfile"
)

// Scorer is a [models.Scorer] backed by ONNX Runtime.
type Scorer struct {
	meta    models.Meta
	version string
	sess    *ort.DynamicAdvancedSession

	mu     sync.RWMutex // Score holds it for reading, Close for writing
	closed bool

	freeMu sync.Mutex
	free   []*runState
	all    []*runState // every state created, destroyed by Close
}

var _ models.Scorer = (*Scorer)(nil)

// Open reads the model file at path and returns a Scorer for it; see [New].
func Open(path string, opts Options) (*Scorer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	s, err := New(b, opts)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	return s, nil
}

// New returns a Scorer for the ONNX model in modelBytes, which must carry Vigie metadata
// (as written by package models/onnxfile). It loads the ONNX Runtime library on first use; the
// error wraps [ErrRuntimeNotFound] when the library is missing.
func New(modelBytes []byte, opts Options) (*Scorer, error) {
	meta, err := onnxfile.DecodeMeta(modelBytes)
	if err != nil {
		return nil, err
	}
	_, version, err := LoadRuntime(opts)
	if err != nil {
		return nil, err
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("onnx session options: %w", err)
	}
	defer so.Destroy()
	intra, inter := max(opts.IntraOpThreads, 1), max(opts.InterOpThreads, 1)
	if err := so.SetIntraOpNumThreads(intra); err != nil {
		return nil, fmt.Errorf("onnx session options: intra-op threads %d: %w", intra, err)
	}
	if err := so.SetInterOpNumThreads(inter); err != nil {
		return nil, fmt.Errorf("onnx session options: inter-op threads %d: %w", inter, err)
	}
	sess, err := ort.NewDynamicAdvancedSessionWithONNXData(modelBytes,
		[]string{onnxfile.InputIDs, onnxfile.InputFeats}, []string{onnxfile.OutputScores}, so)
	if err != nil {
		return nil, fmt.Errorf("onnx session for model %q: %w", meta.Name, err)
	}
	return &Scorer{meta: meta, version: version, sess: sess}, nil
}

// Info returns the model metadata.
func (s *Scorer) Info() models.Meta { return s.meta.Clone() }

// RuntimeVersion returns the version that the loaded ONNX Runtime library reports.
func (s *Scorer) RuntimeVersion() string { return s.version }

// Score implements [models.Scorer]. Rows with no ids (or L = 0) score their features alone.
func (s *Scorer) Score(ctx context.Context, b *models.Batch, out []float32) error {
	d := s.meta.Dims
	if err := b.Check(d); err != nil {
		return err
	}
	if len(out) < b.B*d.K {
		return fmt.Errorf("%w: output holds %d values, want B*K = %d", models.ErrShape, len(out), b.B*d.K)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.B == 0 {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return models.ErrClosed
	}
	st := s.get()
	defer s.put(st)
	L := max(b.L, 1) // ONNX Runtime rejects empty tensors here; one padding id is equivalent
	if err := st.prepare(b.B, L, d.F, d.K); err != nil {
		return err
	}
	ids := st.tIDs.GetData()
	if b.L == 0 {
		clear(ids)
	} else {
		copy(ids, b.IDs)
	}
	copy(st.tFeats.GetData(), b.Feats)
	if err := s.sess.Run(st.inputs[:], st.outputs[:]); err != nil {
		return fmt.Errorf("onnx run: %w", err)
	}
	copy(out[:b.B*d.K], st.tOut.GetData())
	return nil
}

// Close releases the session and the tensors. It waits for calls in flight.
func (s *Scorer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	for _, st := range s.all {
		st.destroy()
	}
	s.all, s.free = nil, nil
	return s.sess.Destroy()
}

func (s *Scorer) get() *runState {
	s.freeMu.Lock()
	defer s.freeMu.Unlock()
	if n := len(s.free); n > 0 {
		st := s.free[n-1]
		s.free = s.free[:n-1]
		return st
	}
	st := &runState{}
	s.all = append(s.all, st)
	return st
}

func (s *Scorer) put(st *runState) {
	s.freeMu.Lock()
	s.free = append(s.free, st)
	s.freeMu.Unlock()
}

// runState holds the Go buffers and the ONNX Runtime tensors over them for one call in flight.
// The tensors are kept while batches keep the same shape, and rebuilt over the same buffers
// (grown when needed) when the shape changes.
type runState struct {
	ids   []int64
	feats []float32
	out   []float32
	b, l  int

	tIDs    *ort.Tensor[int64]
	tFeats  *ort.Tensor[float32]
	tOut    *ort.Tensor[float32]
	inputs  [2]ort.Value
	outputs [1]ort.Value
}

func (st *runState) prepare(B, L, F, K int) error {
	if st.tIDs != nil && st.b == B && st.l == L {
		return nil
	}
	st.destroy()
	st.ids = grow(st.ids, B*L)
	st.feats = grow(st.feats, B*F)
	st.out = grow(st.out, B*K)
	var err error
	if st.tIDs, err = ort.NewTensor(ort.NewShape(int64(B), int64(L)), st.ids[:B*L]); err != nil {
		return fmt.Errorf("onnx ids tensor [%d %d]: %w", B, L, err)
	}
	if st.tFeats, err = ort.NewTensor(ort.NewShape(int64(B), int64(F)), st.feats[:B*F]); err != nil {
		st.destroy()
		return fmt.Errorf("onnx feats tensor [%d %d]: %w", B, F, err)
	}
	if st.tOut, err = ort.NewTensor(ort.NewShape(int64(B), int64(K)), st.out[:B*K]); err != nil {
		st.destroy()
		return fmt.Errorf("onnx scores tensor [%d %d]: %w", B, K, err)
	}
	st.inputs = [2]ort.Value{st.tIDs, st.tFeats}
	st.outputs = [1]ort.Value{st.tOut}
	st.b, st.l = B, L
	return nil
}

func (st *runState) destroy() {
	if st.tIDs != nil {
		st.tIDs.Destroy()
	}
	if st.tFeats != nil {
		st.tFeats.Destroy()
	}
	if st.tOut != nil {
		st.tOut.Destroy()
	}
	st.tIDs, st.tFeats, st.tOut = nil, nil, nil
	st.inputs, st.outputs = [2]ort.Value{}, [1]ort.Value{}
	st.b, st.l = 0, 0
}

// grow returns s with length n, reusing its array when large enough; growth doubles capacity
// so that slowly rising shapes do not reallocate every time.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, max(n, 2*cap(s)))
}
