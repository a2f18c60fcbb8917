// Package onnxfile writes a [models.Net] as an ONNX model and reads it back, in pure Go.
//
// The protobuf is written field by field with protowire (no generated code): a ModelProto with
// IR version 8 and opset 13, whose metadata_props entry [models.MetaKey] holds the
// [models.Meta] as JSON, so that a file is self-describing. The graph computes exactly what
// [models.Net.Score] computes:
//
//	ids   int64   [batch, seq]   0 = padding
//	feats float32 [batch, F]
//	g     = Gather(emb, ids)                          [batch, seq, D]
//	mask  = Cast(Greater(ids, 0), float)              [batch, seq]
//	sum   = ReduceSum(g * Unsqueeze(mask, 2), 1)      [batch, D]
//	count = Max(ReduceSum(mask, 1, keepdims), 1)      [batch, 1]
//	x     = Concat(sum / count, feats, axis 1)        [batch, D+F]
//	scores = Sigmoid(Gemm(Relu(Gemm(x, W1, b1)), W2, b2))   [batch, K]
//
// A model with wide columns (Dims.W = K+1) has an embedding table of D+K+1 columns. The sum is
// split with Slice: its first D columns are divided by count and go into x as above; the next K
// are divided by Sqrt(Max(last column, WideNormFloor)) and added to the logits before the Sigmoid.
//
// [Decode] and [Load] read such a file back into a [models.Net]; they reject files without the
// metadata entry ([ErrNoMeta]). They read the files that [Encode] writes (and equivalent files
// from other writers that use the same initializer names), not arbitrary ONNX models.
package onnxfile

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/vigie/vigie/models"
)

// Format constants of the files that [Encode] writes.
const (
	IRVersion = 8  // ONNX IR version (ONNX 1.12)
	Opset     = 13 // default-domain operator set

	InputIDs     = "ids"    // int64 [batch, seq]
	InputFeats   = "feats"  // float32 [batch, F]
	OutputScores = "scores" // float32 [batch, K]
)

// Initializer names.
const (
	nameEmb = "emb"
	nameW1  = "W1"
	nameB1  = "b1"
	nameW2  = "W2"
	nameB2  = "b2"
)

// ONNX enum values (onnx.proto).
const (
	dtFloat = 1 // TensorProto.FLOAT
	dtInt64 = 7 // TensorProto.INT64

	attrInt = 2 // AttributeProto.INT
)

// enc appends protobuf fields.
type enc []byte

func (e enc) bytes(f protowire.Number, b []byte) enc {
	e = protowire.AppendTag(e, f, protowire.BytesType)
	return protowire.AppendBytes(e, b)
}

func (e enc) str(f protowire.Number, s string) enc {
	e = protowire.AppendTag(e, f, protowire.BytesType)
	return protowire.AppendString(e, s)
}

func (e enc) varint(f protowire.Number, v int64) enc {
	e = protowire.AppendTag(e, f, protowire.VarintType)
	return protowire.AppendVarint(e, uint64(v))
}

// attrInt returns an AttributeProto of type INT. The value is always written, 0 included.
func attrInt64(name string, v int64) enc {
	return enc(nil).str(1, name).varint(3, v).varint(20, attrInt)
}

// node returns a NodeProto.
func node(op, name string, in, out []string, attrs ...enc) enc {
	var e enc
	for _, s := range in {
		e = e.str(1, s)
	}
	for _, s := range out {
		e = e.str(2, s)
	}
	e = e.str(3, name).str(4, op)
	for _, a := range attrs {
		e = e.bytes(5, a)
	}
	return e
}

// tensorHeader returns the name, dims and data type of a TensorProto.
func tensorHeader(name string, dt int64, dims ...int64) enc {
	var e enc
	for _, d := range dims {
		e = e.varint(1, d) // repeated int64 dims = 1 (proto2, unpacked)
	}
	return e.varint(2, dt).str(8, name)
}

func floatTensor(name string, v []float32, dims ...int64) enc {
	raw := make([]byte, 4*len(v))
	for i, f := range v {
		if models.Subnormal(f) {
			f = 0
		}
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(f))
	}
	return tensorHeader(name, dtFloat, dims...).bytes(9, raw)
}

func int64Tensor(name string, v []int64, dims ...int64) enc {
	raw := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(x))
	}
	return tensorHeader(name, dtInt64, dims...).bytes(9, raw)
}

// valueInfo returns a ValueInfoProto of a tensor; a dim is either an int64 or a string param.
func valueInfo(name string, elem int64, dims ...any) enc {
	var shape enc
	for _, d := range dims {
		var dim enc
		switch d := d.(type) {
		case int:
			dim = dim.varint(1, int64(d))
		case string:
			dim = dim.str(2, d)
		}
		shape = shape.bytes(1, dim)
	}
	tensor := enc(nil).varint(1, elem).bytes(2, shape)
	typ := enc(nil).bytes(1, tensor)
	return enc(nil).str(1, name).bytes(2, typ)
}

// Encode returns n as an ONNX model (see the package documentation). Subnormal weights are written
// as zero, as [models.NewNetWeights] sets them when the file is read; n itself is not modified.
func Encode(n *models.Net) ([]byte, error) {
	meta := n.Info()
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	if err := n.CheckWeights(); err != nil {
		return nil, err
	}
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode model metadata: %w", err)
	}
	d := meta.Dims
	V, D, F, H, K, E := int64(d.V), int64(d.D), int64(d.F), int64(d.H), int64(d.K), int64(d.E())
	// Names of the embedding sum that is averaged into x and of the logits, which a wide model
	// changes.
	sumD, logitsDeep := "sum", "logits"
	if d.W > 0 {
		sumD, logitsDeep = "sum_deep", "logits_deep"
	}

	var g enc
	nodes := []enc{
		node("Gather", "gather", []string{nameEmb, InputIDs}, []string{"gathered"}, attrInt64("axis", 0)),
		node("Greater", "is_token", []string{InputIDs, "zero_i64"}, []string{"is_token"}),
		node("Cast", "mask", []string{"is_token"}, []string{"mask"}, attrInt64("to", dtFloat)),
		node("Unsqueeze", "mask3", []string{"mask", "axis2"}, []string{"mask3"}),
		node("Mul", "masked", []string{"gathered", "mask3"}, []string{"masked"}),
		node("ReduceSum", "sum", []string{"masked", "axis1"}, []string{"sum"}, attrInt64("keepdims", 0)),
		node("ReduceSum", "count", []string{"mask", "axis1"}, []string{"count"}, attrInt64("keepdims", 1)),
		node("Max", "count1", []string{"count", "one_f32"}, []string{"count1"}),
	}
	if d.W > 0 {
		nodes = append(nodes,
			node("Slice", "sum_deep", []string{"sum", "zero_1", "embed_d", "axis1"}, []string{"sum_deep"}),
			node("Slice", "sum_wide", []string{"sum", "embed_d", "embed_dk", "axis1"}, []string{"sum_wide"}),
			node("Slice", "sum_norm", []string{"sum", "embed_dk", "embed_e", "axis1"}, []string{"sum_norm"}),
			node("Max", "sum_norm_floor", []string{"sum_norm", "wide_floor"}, []string{"sum_norm_floor"}),
			node("Sqrt", "wide_norm", []string{"sum_norm_floor"}, []string{"wide_norm"}),
			node("Div", "wide", []string{"sum_wide", "wide_norm"}, []string{"wide"}))
	}
	nodes = append(nodes,
		node("Div", "mean", []string{sumD, "count1"}, []string{"mean"}),
		node("Concat", "x", []string{"mean", InputFeats}, []string{"x"}, attrInt64("axis", 1)),
		node("Gemm", "hidden_linear", []string{"x", nameW1, nameB1}, []string{"hidden_linear"}),
		node("Relu", "hidden", []string{"hidden_linear"}, []string{"hidden"}),
		node("Gemm", logitsDeep, []string{"hidden", nameW2, nameB2}, []string{logitsDeep}))
	if d.W > 0 {
		nodes = append(nodes, node("Add", "logits", []string{"logits_deep", "wide"}, []string{"logits"}))
	}
	nodes = append(nodes, node("Sigmoid", "scores", []string{"logits"}, []string{OutputScores}))
	for _, nd := range nodes {
		g = g.bytes(1, nd)
	}
	g = g.str(2, "vigie")
	inits := []enc{
		floatTensor(nameEmb, n.Emb, V, E),
		floatTensor(nameW1, n.W1, D+F, H),
		floatTensor(nameB1, n.B1, H),
		floatTensor(nameW2, n.W2, H, K),
		floatTensor(nameB2, n.B2, K),
		int64Tensor("zero_i64", []int64{0}),  // scalar
		int64Tensor("axis1", []int64{1}, 1),  // ReduceSum axes
		int64Tensor("axis2", []int64{2}, 1),  // Unsqueeze axes
		floatTensor("one_f32", []float32{1}), // scalar
	}
	if d.W > 0 { // Slice bounds of the deep and wide columns
		inits = append(inits, int64Tensor("zero_1", []int64{0}, 1), int64Tensor("embed_d", []int64{D}, 1),
			int64Tensor("embed_dk", []int64{D + K}, 1), int64Tensor("embed_e", []int64{E}, 1),
			floatTensor("wide_floor", []float32{models.WideNormFloor})) // scalar
	}
	for _, t := range inits {
		g = g.bytes(5, t)
	}
	g = g.bytes(11, valueInfo(InputIDs, dtInt64, "batch", "seq"))
	g = g.bytes(11, valueInfo(InputFeats, dtFloat, "batch", int(F)))
	g = g.bytes(12, valueInfo(OutputScores, dtFloat, "batch", int(K)))

	var m enc
	m = m.varint(1, IRVersion)
	m = m.str(2, "vigie")
	m = m.str(3, meta.Version)
	m = m.bytes(7, g)
	m = m.bytes(8, enc(nil).str(1, "").varint(2, Opset))
	m = m.bytes(14, enc(nil).str(1, models.MetaKey).str(2, string(metaJSON)))
	return m, nil
}

// Write writes n to w as an ONNX model.
func Write(w io.Writer, n *models.Net) error {
	b, err := Encode(n)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
