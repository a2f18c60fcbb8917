package onnxfile_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/internal/modeltest"
	"github.com/vigie/vigie/models/onnxfile"
)

var writeModel = flag.String("write-model", "", "also write the round-trip test model to this path (for checking with other tools)")

func TestRoundTrip(t *testing.T) {
	testRoundTrip(t, models.Dims{V: 300, D: 8, F: 5, H: 6, K: 3}, *writeModel)
}

// TestRoundTripWide: a model with wide columns keeps them, and its dims, through a file.
func TestRoundTripWide(t *testing.T) {
	testRoundTrip(t, models.Dims{V: 300, D: 8, F: 5, H: 6, K: 3, W: 4}, "")
}

func testRoundTrip(t *testing.T, d models.Dims, writeTo string) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := modeltest.RandomNet(rng, d)
	var buf bytes.Buffer
	if err := onnxfile.Write(&buf, n); err != nil {
		t.Fatal(err)
	}
	if writeTo != "" {
		if err := os.WriteFile(writeTo, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, meta, err := onnxfile.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := n.Info()
	if !meta.Created.Equal(want.Created) {
		t.Errorf("created = %v, want %v", meta.Created, want.Created)
	}
	meta.Created = want.Created
	if !reflect.DeepEqual(meta, want) {
		t.Errorf("meta = %+v\nwant %+v", meta, want)
	}
	if !reflect.DeepEqual(got.Info().Dims, want.Dims) {
		t.Errorf("net dims = %+v, want %+v", got.Info().Dims, want.Dims)
	}
	for _, w := range []struct {
		name      string
		got, want []float32
	}{{"emb", got.Emb, n.Emb}, {"W1", got.W1, n.W1}, {"b1", got.B1, n.B1}, {"W2", got.W2, n.W2}, {"b2", got.B2, n.B2}} {
		if !slices.Equal(w.got, w.want) {
			t.Errorf("weights %s differ after the round trip", w.name)
		}
	}

	// Same scores, bit for bit, since the weights are equal.
	b := modeltest.RandomBatch(rng, want.Dims, 9, 11)
	o1, o2 := make([]float32, 9*3), make([]float32, 9*3)
	if err := n.Score(context.Background(), b, o1); err != nil {
		t.Fatal(err)
	}
	if err := got.Score(context.Background(), b, o2); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o1, o2) {
		t.Errorf("scores differ after the round trip: %v vs %v", o1, o2)
	}

	// Encoding is deterministic.
	again, err := onnxfile.Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, buf.Bytes()) {
		t.Error("re-encoding the decoded network gives different bytes")
	}

	// DecodeMeta alone.
	m2, err := onnxfile.DecodeMeta(buf.Bytes())
	if err != nil || m2.Name != want.Name || m2.Schema != want.Schema {
		t.Errorf("DecodeMeta = %+v, %v", m2, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n := modeltest.RandomNet(rng, models.Dims{V: 10, D: 2, F: 1, H: 2, K: 1})
	good, err := onnxfile.Encode(n)
	if err != nil {
		t.Fatal(err)
	}
	// A model without metadata_props: an ir_version field and an empty graph.
	bare := []byte{0x08, 0x08, 0x3a, 0x00}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"no vigie.meta", bare, onnxfile.ErrNoMeta},
		{"empty input", nil, onnxfile.ErrNoMeta},
		{"truncated", good[:len(good)/2], onnxfile.ErrFormat},
		{"garbage", []byte("not a model at all"), onnxfile.ErrFormat},
		{"meta not JSON", bytes.Replace(good, []byte(`{"name"`), []byte(`["name"`), 1), onnxfile.ErrFormat},
		{"meta dims disagree with weights", bytes.Replace(good, []byte(`"vocab":10`), []byte(`"vocab":11`), 1), onnxfile.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := onnxfile.Decode(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
	_, _, err = onnxfile.Decode(bare)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("vigie.meta")) {
		t.Errorf("error for a foreign model should name vigie.meta, got %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	rng := rand.New(rand.NewPCG(11, 12))
	good, err := onnxfile.Encode(modeltest.RandomNet(rng, models.Dims{V: 6, D: 2, F: 1, H: 2, K: 2}))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	wide, err := onnxfile.Encode(modeltest.RandomNet(rng, models.Dims{V: 6, D: 2, F: 1, H: 2, K: 2, W: 3}))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wide)
	f.Add([]byte{0x08, 0x08})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, meta, err := onnxfile.Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same network.
		again, err := onnxfile.Encode(n)
		if err != nil {
			t.Fatalf("decoded network does not encode: %v", err)
		}
		n2, meta2, err := onnxfile.Decode(again)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !sameBits(n.Emb, n2.Emb) || !sameBits(n.W2, n2.W2) || meta.Name != meta2.Name || !reflect.DeepEqual(meta.Dims, meta2.Dims) {
			t.Fatal("round trip changed the network")
		}
	})
}

// sameBits compares float slices bit for bit (NaN included).
func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

// TestEncodeWritesSubnormalsAsZero checks that Encode writes subnormal weights as zero, leaves the
// network it encodes unchanged, and writes every other weight exactly.
func TestEncodeWritesSubnormalsAsZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n := modeltest.RandomNet(rng, models.Dims{V: 50, D: 4, F: 3, H: 5, K: 2})
	n.W1[2], n.Emb[7], n.W2[1] = 1e-39, -2e-41, math.SmallestNonzeroFloat32
	before := slices.Concat(n.Emb, n.W1, n.B1, n.W2, n.B2)
	b, err := onnxfile.Encode(n)
	if err != nil {
		t.Fatal(err)
	}
	if after := slices.Concat(n.Emb, n.W1, n.B1, n.W2, n.B2); !slices.Equal(before, after) {
		t.Fatal("Encode changed the network it encodes")
	}
	got, _, err := onnxfile.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	read := slices.Concat(got.Emb, got.W1, got.B1, got.W2, got.B2)
	zeroed := 0
	for i, v := range before {
		switch {
		case models.Subnormal(v) && read[i] != 0:
			t.Errorf("weight %d: subnormal %g written as %g", i, v, read[i])
		case models.Subnormal(v):
			zeroed++
		case read[i] != v:
			t.Errorf("weight %d: %g written as %g", i, v, read[i])
		}
	}
	if zeroed != 3 {
		t.Errorf("%d subnormal weights written as zero, want 3", zeroed)
	}
}
