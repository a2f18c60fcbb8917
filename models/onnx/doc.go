// Package onnx scores Vigie models with ONNX Runtime, through github.com/yalue/onnxruntime_go.
// It is the only package of Vigie that needs cgo; everything else, including the pure-Go
// fallback [models.Net], builds without it.
//
// # Runtime library
//
// ONNX Runtime is loaded at run time from a shared library, looked up in this order: the
// explicit [Options.LibraryPath]; the ONNXRUNTIME_LIB environment variable; the user cache
// folder that scripts/install-onnxruntime.sh installs into
// (${VIGIE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigie}/onnxruntime/1.30.0); then the
// LD_LIBRARY_PATH entries and the system library folders. When none is found, [New] returns an
// error wrapping [ErrRuntimeNotFound] that says how to install it; callers may fall back to
// [models.Net].
//
// Built without cgo (CGO_ENABLED=0), the package still compiles: [New], [Open] and
// [LoadRuntime] then return an error wrapping [ErrRuntimeNotFound], so that programs importing
// it can fall back to [models.Net].
//
// # Concurrency
//
// A [Scorer] is safe for concurrent use. All calls share one ONNX Runtime session (ONNX
// Runtime's Run is thread-safe); each call in flight takes its own set of input and output
// tensors from a free list, so concurrent calls run in parallel, each on its caller's thread
// with [Options.IntraOpThreads] threads (1 by default).
package onnx
