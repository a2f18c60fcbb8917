//go:build !cgo

package onnx

import (
	"errors"
	"strings"
	"testing"
)

func TestNoCgo(t *testing.T) {
	_, err := New([]byte{0x08, 0x08}, Options{})
	if !errors.Is(err, ErrRuntimeNotFound) || !strings.Contains(err.Error(), "CGO_ENABLED=0") {
		t.Errorf("New without cgo: %v, want ErrRuntimeNotFound mentioning CGO_ENABLED=0", err)
	}
	if _, _, err := LoadRuntime(Options{}); !errors.Is(err, ErrRuntimeNotFound) {
		t.Errorf("LoadRuntime without cgo: %v", err)
	}
}
