package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestServeGracefulShutdown runs `vigie serve` as a subprocess, starts an /v1/analyze request that
// waits in the micro-batcher (--max-wait 1.5s), sends SIGTERM while it is in flight, and checks
// that the request still gets its report, that the server then stops accepting connections, and
// that it exits with status 0.
func TestServeGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	m, err := streamModel()
	require.NoError(t, err)
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--insecure-loopback", "--addr", addr, "--backend", "go", "--max-wait", "1500ms", "--max-batch", "64"}
	if m != nil {
		p := filepath.Join(dir, "model.onnx")
		require.NoError(t, os.WriteFile(p, m, 0o644))
		args = append(args, "--model", p)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, "\x1f"), "VIGIE_TOKEN=")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	url := "http://" + addr
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	body := conversationJSON(t, floorSet(t)[0])
	type result struct {
		code int
		err  error
		took time.Duration
	}
	done := make(chan result, 1)
	wrote := make(chan struct{})
	start := time.Now()
	go func() {
		req, err := http.NewRequest("POST", url+"/v1/analyze", bytes.NewReader(body))
		if err != nil {
			done <- result{err: err}
			return
		}
		req.Header.Set("Content-Type", "application/json")
		var once sync.Once
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(func() { close(wrote) }) },
		}))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		resp.Body.Close()
		done <- result{code: resp.StatusCode, took: time.Since(start)}
	}()
	// The request is sent (on a loaded machine that can take a while), then read by the server: it
	// now waits in the batcher (--max-wait 1500ms).
	select {
	case <-wrote:
	case r := <-done:
		t.Fatalf("the request ended before it was sent: %v\n%s", r.err, logs.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("the request was not sent in 20 s\n%s", logs.String())
	}
	time.Sleep(400 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	r := <-done
	require.NoError(t, r.err, "the in-flight request was cut by the shutdown\n%s", logs.String())
	require.Equal(t, 200, r.code)
	require.Greater(t, r.took, 400*time.Millisecond, "the request did not wait in the batcher: the test proves nothing")
	st, err := cmd.Process.Wait()
	require.NoError(t, err)
	require.True(t, st.Success(), "exit status %v\n%s", st, logs.String())
	_, err = http.Get(url + "/healthz")
	require.Error(t, err, "the server still accepts connections after shutdown")
	require.Contains(t, logs.String(), "shutting down")
	require.Contains(t, logs.String(), `"msg":"stopped"`)
	t.Logf("in-flight request answered %d after %s; server exited 0", r.code, r.took.Round(time.Millisecond))
}
