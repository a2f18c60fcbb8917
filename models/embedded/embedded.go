// Package embedded carries Vigie's default model, trained by `vigie train` (see models/MODEL_CARD.md
// for its data, settings, seed and measured accuracy).
package embedded

import _ "embed"

//go:embed vigie.onnx
var model []byte

// Model returns the bytes of the default model file. The slice is shared: do not modify it.
func Model() []byte { return model }
