package onnxfile

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/vigie/vigie/models"
)

// Errors returned by the readers; test them with errors.Is.
var (
	// ErrNoMeta reports an ONNX file without the "vigie.meta" metadata entry: not a Vigie model.
	ErrNoMeta = errors.New("onnx model has no " + models.MetaKey + " metadata (not written by vigie)")
	// ErrFormat reports bytes that are not a well-formed ONNX model of the expected layout.
	ErrFormat = errors.New("malformed onnx model")
)

// maxFile caps what [Load] reads: the largest model that [models.Meta.Validate] accepts, plus room.
const maxFile = 1 << 30

// Load reads an ONNX model written by [Encode] from r.
func Load(r io.Reader) (*models.Net, models.Meta, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, models.Meta{}, fmt.Errorf("read onnx model: %w", err)
	}
	if len(b) > maxFile {
		return nil, models.Meta{}, fmt.Errorf("%w: larger than %d bytes", ErrFormat, maxFile)
	}
	return Decode(b)
}

// DecodeMeta returns the [models.Meta] stored in the ONNX model b, without decoding weights.
func DecodeMeta(b []byte) (models.Meta, error) {
	var raw []byte
	found := false
	err := walk(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 14 || typ != protowire.BytesType { // metadata_props
			return nil
		}
		var key string
		var val []byte
		err := walk(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
			if typ == protowire.BytesType {
				switch num {
				case 1:
					key = string(v)
				case 2:
					val = v
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if key == models.MetaKey {
			raw, found = val, true
		}
		return nil
	})
	if err != nil {
		return models.Meta{}, err
	}
	if !found {
		return models.Meta{}, ErrNoMeta
	}
	var m models.Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return models.Meta{}, fmt.Errorf("%w: %s is not valid JSON: %v", ErrFormat, models.MetaKey, err)
	}
	if err := m.Validate(); err != nil {
		return models.Meta{}, err
	}
	return m, nil
}

// tensor is a decoded TensorProto (float or int64 data only).
type tensor struct {
	name  string
	dims  []int64
	dtype int64
	raw   []byte
	f32   []float32 // float_data
}

// Decode parses an ONNX model written by [Encode] and returns its network and metadata.
func Decode(b []byte) (*models.Net, models.Meta, error) {
	meta, err := DecodeMeta(b)
	if err != nil {
		return nil, models.Meta{}, err
	}
	inits := map[string]*tensor{}
	err = walk(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num != 7 || typ != protowire.BytesType { // graph
			return nil
		}
		return walk(v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
			if num != 5 || typ != protowire.BytesType { // initializer
				return nil
			}
			t, err := decodeTensor(v)
			if err != nil {
				return err
			}
			inits[t.name] = t
			return nil
		})
	})
	if err != nil {
		return nil, models.Meta{}, err
	}
	d := meta.Dims
	get := func(name string, dims ...int) ([]float32, error) {
		t := inits[name]
		if t == nil {
			return nil, fmt.Errorf("%w: initializer %q is missing", ErrFormat, name)
		}
		return t.floats(dims)
	}
	var ws [5][]float32
	for i, spec := range []struct {
		name string
		dims []int
	}{
		{nameEmb, []int{d.V, d.E()}},
		{nameW1, []int{d.D + d.F, d.H}},
		{nameB1, []int{d.H}},
		{nameW2, []int{d.H, d.K}},
		{nameB2, []int{d.K}},
	} {
		if ws[i], err = get(spec.name, spec.dims...); err != nil {
			return nil, models.Meta{}, err
		}
	}
	n, err := models.NewNetWeights(meta, ws[0], ws[1], ws[2], ws[3], ws[4])
	if err != nil {
		return nil, models.Meta{}, err
	}
	return n, meta, nil
}

func decodeTensor(b []byte) (*tensor, error) {
	t := &tensor{}
	err := walk(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == 1 && typ == protowire.VarintType: // dims, unpacked
			t.dims = append(t.dims, int64(x))
		case num == 1 && typ == protowire.BytesType: // dims, packed
			for len(v) > 0 {
				d, n := protowire.ConsumeVarint(v)
				if n < 0 {
					return fmt.Errorf("%w: tensor dims: %v", ErrFormat, protowire.ParseError(n))
				}
				t.dims = append(t.dims, int64(d))
				v = v[n:]
			}
		case num == 2 && typ == protowire.VarintType:
			t.dtype = int64(x)
		case num == 8 && typ == protowire.BytesType:
			t.name = string(v)
		case num == 9 && typ == protowire.BytesType:
			t.raw = v
		case num == 4 && typ == protowire.Fixed32Type: // float_data, unpacked
			t.f32 = append(t.f32, math.Float32frombits(uint32(x)))
		case num == 4 && typ == protowire.BytesType: // float_data, packed
			if len(v)%4 != 0 {
				return fmt.Errorf("%w: float_data of %d bytes", ErrFormat, len(v))
			}
			for i := 0; i < len(v); i += 4 {
				t.f32 = append(t.f32, math.Float32frombits(binary.LittleEndian.Uint32(v[i:])))
			}
		case num == 13 || num == 14 && x == 1: // external_data, data_location = EXTERNAL
			return fmt.Errorf("%w: tensors with external data are not supported", ErrFormat)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// floats returns the data of a FLOAT tensor whose dims must equal want.
func (t *tensor) floats(want []int) ([]float32, error) {
	if t.dtype != dtFloat {
		return nil, fmt.Errorf("%w: initializer %q has data type %d, want FLOAT", ErrFormat, t.name, t.dtype)
	}
	ok := len(t.dims) == len(want)
	n := 1
	for i := 0; ok && i < len(want); i++ {
		ok = t.dims[i] == int64(want[i])
		n *= want[i]
	}
	if !ok {
		return nil, fmt.Errorf("%w: initializer %q has dims %v, want %v", ErrFormat, t.name, t.dims, want)
	}
	switch {
	case t.raw != nil:
		if len(t.raw) != 4*n {
			return nil, fmt.Errorf("%w: initializer %q has %d raw bytes, want %d", ErrFormat, t.name, len(t.raw), 4*n)
		}
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.raw[4*i:]))
		}
		return out, nil
	case len(t.f32) == n:
		return t.f32, nil
	}
	return nil, fmt.Errorf("%w: initializer %q has %d values, want %d", ErrFormat, t.name, len(t.f32), n)
}

// walk calls fn for each field of the message b: v holds the payload of length-delimited
// fields, x the value of varint and fixed fields. Groups are skipped.
func walk(b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%w: %v", ErrFormat, protowire.ParseError(n))
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var x32 uint32
			x32, n = protowire.ConsumeFixed32(b)
			x = uint64(x32)
		case protowire.Fixed64Type:
			x, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("%w: field %d: %v", ErrFormat, num, protowire.ParseError(n))
		}
		b = b[n:]
		if err := fn(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}
