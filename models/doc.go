// Package models holds the vocabulary of Vigie's scoring models: the [Scorer] interface that
// every backend implements, the [Batch] of inputs it scores, the [Meta] that makes a model file
// self-describing, and [Net], the pure-Go network that is both the reference implementation and
// the fallback when ONNX Runtime is not installed.
//
// # Model
//
// The network is a fastText-like classifier over hashed token ids plus dense cue features:
//
//	e   = mean of Emb rows (first D values) over the non-zero ids of a row (zero vector when a row has none)
//	x   = concat(e, feats)                       // D + F
//	h   = ReLU(x·W1 + b1)                        // H
//	out = sigmoid(h·W2 + b2 + w)                 // K, one score per head
//
// where w is zero unless the model has wide columns (Dims.W = K+1): its embedding rows then hold
// D+K+1 values, e is the mean of their first D values, and w_k = Σv_k / sqrt(Σu) over the ids,
// v_k and u being the last K+1 values of the rows: a linear TF-IDF model of the token ids beside
// the hidden layer (a "wide and deep" model; see [Dims.W]).
//
// Id 0 is padding. Ids must lie in [0, V).
//
// # Files
//
// A model is stored as an ONNX file (package models/onnxfile writes and reads it); its
// metadata_props entry "vigie.meta" holds [Meta] as JSON. Package models/onnx scores with
// ONNX Runtime; it is the only package that needs cgo.
//
// # Concurrency
//
// A [Net] is safe for concurrent use once its weights are no longer being written; so is the
// ONNX Runtime scorer of models/onnx.
package models
