package onnx

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// RuntimeVersion is the ONNX Runtime release that scripts/install-onnxruntime.sh installs and
// that this package is tested with.
const RuntimeVersion = "1.30.0"

// EnvLibrary names the environment variable that points at the ONNX Runtime shared library.
const EnvLibrary = "ONNXRUNTIME_LIB"

// ErrRuntimeNotFound reports that no ONNX Runtime shared library was found. The error returned
// by [New] wraps it and lists the paths that were tried.
var ErrRuntimeNotFound = errors.New("onnx runtime library not found: run scripts/install-onnxruntime.sh " +
	"(installs ONNX Runtime " + RuntimeVersion + " into the user cache), or set " + EnvLibrary +
	" to the path of libonnxruntime.so")

// Options configure a [Scorer]. The zero value means the defaults.
type Options struct {
	// LibraryPath is the ONNX Runtime shared library to load. Empty: $ONNXRUNTIME_LIB, then the
	// install script's cache folder, then the system library folders. Only the first Scorer of
	// a process loads the library; later ones reuse it.
	LibraryPath string
	// IntraOpThreads is the number of threads that one Score call may use. 0 means 1, which
	// is the fastest setting for the batch sizes Vigie uses (and leaves parallelism to
	// concurrent callers).
	IntraOpThreads int
	// InterOpThreads is the number of threads that run independent graph nodes in parallel.
	// 0 means 1.
	InterOpThreads int
}

// libNames are the file names tried in each folder, in order.
func libNames() []string {
	if runtime.GOOS == "darwin" {
		return []string{"libonnxruntime.dylib", "libonnxruntime." + RuntimeVersion + ".dylib"}
	}
	return []string{"libonnxruntime.so", "libonnxruntime.so.1"}
}

// cacheDir returns the folder that scripts/install-onnxruntime.sh installs into, following the
// same variables as the script: ${VIGIE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigie}/onnxruntime/<version>.
// It returns "" when none of the variables is set.
func cacheDir(env func(string) string) string {
	root := env("VIGIE_CACHE")
	if root == "" {
		base := env("XDG_CACHE_HOME")
		if base == "" {
			home := env("HOME")
			if home == "" {
				return ""
			}
			base = filepath.Join(home, ".cache")
		}
		root = filepath.Join(base, "vigie")
	}
	return filepath.Join(root, "onnxruntime", RuntimeVersion)
}

// systemDirs are the folders searched after the cache, as the dynamic loader would:
// LD_LIBRARY_PATH entries first, then the usual library folders.
func systemDirs(env func(string) string) []string {
	var dirs []string
	for _, d := range filepath.SplitList(env("LD_LIBRARY_PATH")) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, "/usr/local/lib")
	switch runtime.GOARCH {
	case "amd64":
		dirs = append(dirs, "/usr/lib/x86_64-linux-gnu")
	case "arm64":
		dirs = append(dirs, "/usr/lib/aarch64-linux-gnu")
	}
	return append(dirs, "/usr/lib", "/lib")
}

// findLibrary returns the ONNX Runtime library to load and every path it tried, in order:
//
//  1. opts.LibraryPath, when set;
//  2. $ONNXRUNTIME_LIB, when set;
//  3. the cache folder of scripts/install-onnxruntime.sh;
//  4. LD_LIBRARY_PATH entries, /usr/local/lib, /usr/lib/<multiarch>, /usr/lib, /lib.
//
// An explicit setting (1 or 2) is authoritative: when it names a missing file, the search stops
// there rather than silently loading another library. path is "" when nothing was found.
func findLibrary(opts Options, env func(string) string, exists func(string) bool) (path string, tried []string) {
	for _, p := range []string{opts.LibraryPath, env(EnvLibrary)} {
		if p != "" {
			tried = append(tried, p)
			if exists(p) {
				return p, tried
			}
			return "", tried
		}
	}
	var dirs []string
	if d := cacheDir(env); d != "" {
		dirs = append(dirs, d)
	}
	dirs = append(dirs, systemDirs(env)...)
	for _, d := range dirs {
		for _, name := range libNames() {
			p := filepath.Join(d, name)
			tried = append(tried, p)
			if exists(p) {
				return p, tried
			}
		}
	}
	return "", tried
}

func notFoundError(tried []string) error {
	return fmt.Errorf("%w (tried: %s)", ErrRuntimeNotFound, strings.Join(tried, ", "))
}
