package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestProgressSilentWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "train", 10)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); p.Add(3) }()
	}
	wg.Wait()
	p.Clear()
	p.Done()
	require.Empty(t, buf.String())
	var nilp *progress
	nilp.Add(1) // a nil progress is a no-op too
	nilp.Done()
}

// fakeClock drives a progress that draws into a buffer as if it were a terminal.
func fakeProgress(total int) (*progress, *bytes.Buffer, *time.Time) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &progress{w: &buf, label: "eval", total: total, every: 100 * time.Millisecond}
	p.nowFunc = func() time.Time { return now }
	p.start = now
	return p, &buf, &now
}

func TestProgressLine(t *testing.T) {
	p, buf, now := fakeProgress(400)
	*now = now.Add(2 * time.Second)
	p.Add(100)
	require.Equal(t, "\r\x1b[Keval [######..................] 100/400  25% 50.0/s ETA 6s", buf.String())
	buf.Reset()
	*now = now.Add(10 * time.Millisecond)
	p.Add(1)
	require.Empty(t, buf.String(), "redraws at most every 100 ms")
	*now = now.Add(6 * time.Second)
	p.Add(299)
	require.True(t, strings.HasSuffix(buf.String(), "400/400 100% 49.9/s"), buf.String()) // 400 in 8.01 s
	buf.Reset()
	p.Done()
	require.Equal(t, "\r\x1b[K", buf.String(), "Done erases the bar")
}

func TestProgressUnknownTotal(t *testing.T) {
	p, buf, now := fakeProgress(0)
	*now = now.Add(4 * time.Second)
	p.Add(1000)
	require.Equal(t, "\r\x1b[Keval 1000 250/s", buf.String())
}
