package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line progress bar with counts and rate on a terminal. On anything else
// (a file, a pipe, a test buffer) every method is a no-op, so callers need no checks. A progress
// is safe for concurrent use.
//
//	p := newProgress(stderr, "train: epoch 1", len(rows))
//	for ... { p.Add(1) }
//	p.Done()
type progress struct {
	mu      sync.Mutex
	w       io.Writer // nil: disabled
	label   string
	total   int // <= 0: unknown
	n       int
	start   time.Time
	last    time.Time // last draw
	drawn   bool      // a line is on screen
	every   time.Duration
	nowFunc func() time.Time
}

// newProgress returns a progress bar on w for total units (total <= 0 when unknown). It draws
// only when w is a terminal.
func newProgress(w io.Writer, label string, total int) *progress {
	p := &progress{label: label, total: total, every: 100 * time.Millisecond, nowFunc: time.Now}
	if isTerminal(w) {
		p.w = w
	}
	p.start = p.nowFunc()
	return p
}

// Add counts n more units done and redraws at most ten times a second.
func (p *progress) Add(n int) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += n
	now := p.nowFunc()
	if p.drawn && now.Sub(p.last) < p.every && (p.total <= 0 || p.n < p.total) {
		return
	}
	p.last = now
	p.draw(now)
}

// Clear erases the line (before other output goes to the same terminal); the next Add redraws it.
func (p *progress) Clear() {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// Done erases the bar. Call it once, when the work is over (the command prints its own summary).
func (p *progress) Done() {
	p.Clear()
}

// line renders the bar: "label [#####.....] 120/400 30% 52.3/s ETA 5s".
func (p *progress) line(now time.Time) string {
	el := now.Sub(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.n) / el
	}
	var b strings.Builder
	b.WriteString(p.label)
	if p.total > 0 {
		frac := min(1, float64(p.n)/float64(p.total))
		const cells = 24
		k := int(frac * cells)
		fmt.Fprintf(&b, " [%s%s] %d/%d %3.0f%%", strings.Repeat("#", k), strings.Repeat(".", cells-k), p.n, p.total, 100*frac)
	} else {
		fmt.Fprintf(&b, " %d", p.n)
	}
	fmt.Fprintf(&b, " %s/s", fmtRate(rate))
	if p.total > 0 && rate > 0 && p.n < p.total {
		eta := time.Duration(float64(p.total-p.n) / rate * float64(time.Second))
		fmt.Fprintf(&b, " ETA %s", eta.Round(time.Second))
	}
	return b.String()
}

func (p *progress) draw(now time.Time) {
	fmt.Fprint(p.w, "\r\x1b[K"+p.line(now))
	p.drawn = true
}

func fmtRate(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	default:
		return fmt.Sprintf("%.2f", r)
	}
}
