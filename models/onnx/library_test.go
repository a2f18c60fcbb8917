package onnx

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFindLibrary(t *testing.T) {
	cache := filepath.Join("/home/u/.cache/vigie/onnxruntime", RuntimeVersion, "libonnxruntime.so")
	cache1 := cache + ".1"
	tests := []struct {
		name   string
		opts   Options
		env    map[string]string
		files  []string
		want   string
		reason string
	}{
		{name: "explicit path beats env var", opts: Options{LibraryPath: "/opt/a.so"},
			env: map[string]string{EnvLibrary: "/opt/b.so", "HOME": "/home/u"}, files: []string{"/opt/a.so", "/opt/b.so", cache},
			want: "/opt/a.so"},
		{name: "missing explicit path stops the search", opts: Options{LibraryPath: "/opt/missing.so"},
			env: map[string]string{EnvLibrary: "/opt/b.so", "HOME": "/home/u"}, files: []string{"/opt/b.so", cache},
			want: "", reason: "an explicit choice must not be replaced silently by another library"},
		{name: "env var beats cache", env: map[string]string{EnvLibrary: "/opt/b.so", "HOME": "/home/u"},
			files: []string{"/opt/b.so", cache}, want: "/opt/b.so"},
		{name: "missing env var path stops the search", env: map[string]string{EnvLibrary: "/opt/b.so", "HOME": "/home/u"},
			files: []string{cache}, want: ""},
		{name: "cache under HOME", env: map[string]string{"HOME": "/home/u"}, files: []string{cache, "/usr/lib/libonnxruntime.so"},
			want: cache},
		{name: "cache soname when the .so is absent", env: map[string]string{"HOME": "/home/u"}, files: []string{cache1},
			want: cache1},
		{name: "XDG_CACHE_HOME beats HOME", env: map[string]string{"HOME": "/home/u", "XDG_CACHE_HOME": "/xdg"},
			files: []string{cache, "/xdg/vigie/onnxruntime/" + RuntimeVersion + "/libonnxruntime.so"},
			want:  "/xdg/vigie/onnxruntime/" + RuntimeVersion + "/libonnxruntime.so"},
		{name: "VIGIE_CACHE beats XDG_CACHE_HOME", env: map[string]string{"XDG_CACHE_HOME": "/xdg", "VIGIE_CACHE": "/vc"},
			files: []string{"/xdg/vigie/onnxruntime/" + RuntimeVersion + "/libonnxruntime.so", "/vc/onnxruntime/" + RuntimeVersion + "/libonnxruntime.so"},
			want:  "/vc/onnxruntime/" + RuntimeVersion + "/libonnxruntime.so"},
		{name: "cache beats LD_LIBRARY_PATH", env: map[string]string{"HOME": "/home/u", "LD_LIBRARY_PATH": "/ld1"},
			files: []string{"/ld1/libonnxruntime.so", cache}, want: cache},
		{name: "LD_LIBRARY_PATH in order, before system folders",
			env:   map[string]string{"LD_LIBRARY_PATH": "/ld1::/ld2"},
			files: []string{"/ld2/libonnxruntime.so.1", "/usr/local/lib/libonnxruntime.so"}, want: "/ld2/libonnxruntime.so.1"},
		{name: "usr/local/lib before usr/lib", files: []string{"/usr/lib/libonnxruntime.so", "/usr/local/lib/libonnxruntime.so"},
			want: "/usr/local/lib/libonnxruntime.so"},
		{name: "soname in usr/lib", files: []string{"/usr/lib/libonnxruntime.so.1"}, want: "/usr/lib/libonnxruntime.so.1"},
		{name: "nothing anywhere", env: map[string]string{"HOME": "/home/u"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := func(k string) string { return tt.env[k] }
			exists := func(p string) bool { return slices.Contains(tt.files, p) }
			got, tried := findLibrary(tt.opts, env, exists)
			if got != tt.want {
				t.Fatalf("findLibrary = %q, want %q (%s); tried %v", got, tt.want, tt.reason, tried)
			}
			if got != "" && tried[len(tried)-1] != got {
				t.Errorf("the found path should be the last one tried: %v", tried)
			}
		})
	}

	// The full order when nothing is found, with every source set.
	env := map[string]string{"HOME": "/home/u", "LD_LIBRARY_PATH": "/ld1"}
	_, tried := findLibrary(Options{}, func(k string) string { return env[k] }, func(string) bool { return false })
	wantPrefix := []string{cache, cache1, "/ld1/libonnxruntime.so", "/ld1/libonnxruntime.so.1",
		"/usr/local/lib/libonnxruntime.so", "/usr/local/lib/libonnxruntime.so.1"}
	if len(tried) < len(wantPrefix) || !slices.Equal(tried[:len(wantPrefix)], wantPrefix) {
		t.Errorf("tried = %v\nwant prefix %v", tried, wantPrefix)
	}
	if !slices.Contains(tried, "/usr/lib/libonnxruntime.so") {
		t.Errorf("tried = %v, want /usr/lib among them", tried)
	}
}

func TestNotFoundError(t *testing.T) {
	err := notFoundError([]string{"/a/libonnxruntime.so", "/b/libonnxruntime.so"})
	if !errors.Is(err, ErrRuntimeNotFound) {
		t.Fatalf("errors.Is(%v, ErrRuntimeNotFound) = false", err)
	}
	msg := err.Error()
	for _, want := range []string{"scripts/install-onnxruntime.sh", "ONNXRUNTIME_LIB", "libonnxruntime.so",
		"/a/libonnxruntime.so, /b/libonnxruntime.so"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if msg != strings.ToLower(msg[:1])+msg[1:] {
		t.Errorf("error should start in lower case: %q", msg)
	}
}
