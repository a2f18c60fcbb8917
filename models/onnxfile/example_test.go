package onnxfile_test

import (
	"bytes"
	"fmt"

	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnxfile"
)

// Write a network as an ONNX model and load it back; the metadata travels inside the file.
func ExampleEncode() {
	net, err := models.NewNet(models.Meta{
		Name:    "demo",
		Version: "1",
		Heads:   []string{"grooming", "sextortion"},
		Schema:  "cues-v1",
		Dims:    models.Dims{V: 16, D: 4, F: 3, H: 5, K: 2},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := onnxfile.Encode(net)
	if err != nil {
		fmt.Println(err)
		return
	}
	back, meta, err := onnxfile.Load(bytes.NewReader(b))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(meta.Name, meta.Version, meta.Schema, meta.Heads, len(back.Emb))
	// Output: demo 1 cues-v1 [grooming sextortion] 64
}
