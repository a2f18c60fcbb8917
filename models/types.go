package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Scorer scores batches of token ids and cue features, one sigmoid score per head and row.
// Implementations are safe for concurrent use.
type Scorer interface {
	// Score writes the scores of batch into out[:B*K], row-major [B, K], in the order of
	// Info().Heads. out must hold at least B*K values.
	Score(ctx context.Context, batch *Batch, out []float32) error
	// Info describes the model.
	Info() Meta
	// Close releases the resources of the scorer. Score must not be called after Close.
	Close() error
}

// Batch is the input of [Scorer.Score]: B rows of L token ids (padded with 0) and F features.
type Batch struct {
	IDs   []int64   // row-major [B, L]; 0 is padding, other ids lie in [1, V)
	Feats []float32 // row-major [B, F]
	B     int       // rows
	L     int       // ids per row, padding included (pad to the longest row of the batch)
	F     int       // features per row; must equal the model's Dims.F
}

// Errors returned by scorers and by [Meta.Validate]. Callers test them with errors.Is.
var (
	// ErrShape reports a batch, output buffer or weight slice whose size does not fit the model.
	ErrShape = errors.New("shape mismatch")
	// ErrID reports a token id outside [0, V).
	ErrID = errors.New("token id out of range")
	// ErrMeta reports invalid model metadata.
	ErrMeta = errors.New("invalid model metadata")
	// ErrClosed reports a call on a closed scorer.
	ErrClosed = errors.New("scorer is closed")
)

// Dims are the sizes of the network.
type Dims struct {
	V int `json:"vocab"`  // hash buckets (embedding rows); id 0 is padding
	D int `json:"embed"`  // embedding width
	F int `json:"feats"`  // cue features per row
	H int `json:"hidden"` // hidden units
	K int `json:"heads"`  // outputs, one per head
	// W is the number of wide columns: 0, or K+1 for a model with a linear term of the token ids
	// beside the hidden layer (the wide part of a wide-and-deep model). Each embedding row then
	// holds D+K+1 values: D for the hidden layer's input, a weight v_k per head and a norm weight
	// u. Head k's logit gains Σv_k / sqrt(Σu), sums over the row's ids (0 when Σu is 0): with
	// v = w·idf and u = idf², the score w·x of a linear model of the row's TF-IDF vector x
	// (raw counts), normalized as its L2 norm is when no id repeats.
	W int `json:"wide,omitempty"`
}

// WideNormFloor is the floor of Σu under the square root of a wide model (see [Dims.W]); a row
// whose ids all have u = 0 gets no wide term.
const WideNormFloor = 1e-12

// E is the width of an embedding row: D+W.
func (d Dims) E() int { return d.D + d.W }

// Meta describes a model. It is stored in the model file (ONNX metadata_props, key [MetaKey])
// as JSON, so that a file is self-describing.
type Meta struct {
	Name    string `json:"name"`    // model name, e.g. "vigie-fasttext"
	Version string `json:"version"` // model version, e.g. "2026.11.1"
	// Heads names the outputs in order, e.g. ["grooming", "sextortion"]; len(Heads) == Dims.K.
	Heads []string `json:"heads"`
	// Schema identifies the cue-feature schema (id or hash) that the model was trained with;
	// detect refuses a model whose schema differs from the features it computes.
	Schema string `json:"schema"`
	Dims   Dims   `json:"dims"`
	// Thresholds maps a head name to its decision threshold on the sigmoid score.
	Thresholds map[string]float32 `json:"thresholds,omitempty"`
	// FlatThresholds maps a head name to its threshold for flat inputs: one message without an
	// author, as a transcript pasted or stored as a single block of text (PAN12-derived segments
	// come so). Their scores are distributed otherwise than those of conversations with authors,
	// so a head may have its own threshold for them, calibrated on dev units of that form; detect
	// reports a flat input's score mapped onto the scale of Thresholds (see detect.FlatInput). A
	// head without one uses Thresholds.
	FlatThresholds map[string]float32 `json:"flat_thresholds,omitempty"`
	// Training is free-form JSON about the training run (data, epochs, metrics).
	Training json.RawMessage `json:"training,omitempty"`
	Created  time.Time       `json:"created"`
}

// MetaKey is the ONNX metadata_props key that holds [Meta] as JSON.
const MetaKey = "vigie.meta"

// maxDim bounds each dimension so that sizes cannot overflow and a corrupt file cannot ask for
// absurd allocations.
const maxDim = 1 << 26

// Validate reports whether m describes a usable network. Errors wrap [ErrMeta].
func (m *Meta) Validate() error {
	d := m.Dims
	for _, c := range []struct {
		name string
		v    int
		min  int
	}{{"vocab", d.V, 2}, {"embed", d.D, 1}, {"feats", d.F, 1}, {"hidden", d.H, 1}, {"heads", d.K, 1}} {
		if c.v < c.min || c.v > maxDim {
			return fmt.Errorf("%w: dims.%s = %d, want %d..%d", ErrMeta, c.name, c.v, c.min, maxDim)
		}
	}
	if d.W != 0 && d.W != d.K+1 {
		return fmt.Errorf("%w: dims.wide = %d, want 0 or heads+1 (%d)", ErrMeta, d.W, d.K+1)
	}
	if int64(d.V)*int64(d.E()) > maxDim*4 || int64(d.D+d.F)*int64(d.H) > maxDim {
		return fmt.Errorf("%w: dims %+v are too large", ErrMeta, d)
	}
	if len(m.Heads) != d.K {
		return fmt.Errorf("%w: %d head names for %d heads", ErrMeta, len(m.Heads), d.K)
	}
	seen := make(map[string]bool, len(m.Heads))
	for _, h := range m.Heads {
		if h == "" || seen[h] {
			return fmt.Errorf("%w: head name %q is empty or repeated", ErrMeta, h)
		}
		seen[h] = true
	}
	for _, set := range []struct {
		name string
		m    map[string]float32
	}{{"threshold", m.Thresholds}, {"flat threshold", m.FlatThresholds}} {
		for h, t := range set.m {
			if !seen[h] {
				return fmt.Errorf("%w: %s for unknown head %q", ErrMeta, set.name, h)
			}
			if !(t >= 0 && t <= 1) {
				return fmt.Errorf("%w: %s of head %q is %v, want 0..1", ErrMeta, set.name, h, t)
			}
		}
	}
	if len(m.Training) > 0 && !json.Valid(m.Training) {
		return fmt.Errorf("%w: training info is not valid JSON", ErrMeta)
	}
	return nil
}

// Clone returns a deep copy of m.
func (m Meta) Clone() Meta {
	m.Heads = slices.Clone(m.Heads)
	m.Thresholds = maps.Clone(m.Thresholds)
	m.FlatThresholds = maps.Clone(m.FlatThresholds)
	m.Training = json.RawMessage(slices.Clone([]byte(m.Training)))
	return m
}

// Head returns the index of the named head, or -1.
func (m *Meta) Head(name string) int {
	for i, h := range m.Heads {
		if h == name {
			return i
		}
	}
	return -1
}

// Check reports whether b is a well-formed batch for a model of dims d: sizes agree and every id
// lies in [0, d.V). Errors wrap [ErrShape] or [ErrID].
func (b *Batch) Check(d Dims) error {
	if b.B < 0 || b.L < 0 {
		return fmt.Errorf("%w: batch has B=%d L=%d", ErrShape, b.B, b.L)
	}
	if b.F != d.F {
		return fmt.Errorf("%w: batch has F=%d, model wants %d", ErrShape, b.F, d.F)
	}
	if len(b.IDs) != b.B*b.L {
		return fmt.Errorf("%w: %d ids for B=%d L=%d", ErrShape, len(b.IDs), b.B, b.L)
	}
	if len(b.Feats) != b.B*b.F {
		return fmt.Errorf("%w: %d features for B=%d F=%d", ErrShape, len(b.Feats), b.B, b.F)
	}
	v := int64(d.V)
	for i, id := range b.IDs {
		if uint64(id) >= uint64(v) {
			return fmt.Errorf("%w: ids[%d] = %d, want 0..%d", ErrID, i, id, v-1)
		}
	}
	return nil
}
