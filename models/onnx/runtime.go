//go:build cgo

package onnx

import (
	"fmt"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// The ONNX Runtime environment is process-wide state in onnxruntime_go: it is initialized at
// most once, by the first successful [New] or [LoadRuntime], and never destroyed. A failed
// attempt (library not found, or not loadable) is not remembered, so that a later call with a
// correct path can succeed.
var rt struct {
	mu      sync.Mutex
	path    string // the library loaded, "" when onnxruntime_go was initialized by other code
	version string
}

// LoadRuntime loads the ONNX Runtime library (see [Options.LibraryPath] for the lookup order)
// and initializes its environment, once per process. It returns the path of the library and
// the version that the library reports. When the runtime is already loaded, it returns it; an
// explicit opts.LibraryPath that differs from the loaded library is an error.
func LoadRuntime(opts Options) (path, version string, err error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.version != "" || ort.IsInitialized() {
		if rt.version == "" {
			rt.version = ort.GetVersion()
		}
		if opts.LibraryPath != "" && rt.path != "" && !sameFile(opts.LibraryPath, rt.path) {
			return rt.path, rt.version, fmt.Errorf("onnx runtime is already loaded from %s; cannot load %s in the same process",
				rt.path, opts.LibraryPath)
		}
		return rt.path, rt.version, nil
	}
	p, tried := findLibrary(opts, os.Getenv, fileExists)
	if p == "" {
		return "", "", notFoundError(tried)
	}
	ort.SetSharedLibraryPath(p)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return "", "", fmt.Errorf("load onnx runtime %s: %w", p, err)
	}
	rt.path, rt.version = p, ort.GetVersion()
	return rt.path, rt.version, nil
}

func sameFile(a, b string) bool {
	if a == b {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// fileExists reports whether p names a regular file (after following symlinks).
func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
