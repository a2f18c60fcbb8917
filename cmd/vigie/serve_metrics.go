package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"
)

// serveMetrics are the Prometheus metrics of `vigie serve`, written in the text exposition format
// (version 0.0.4) by hand: no client library needed for a handful of counters and histograms.
type serveMetrics struct {
	mu        sync.Mutex
	requests  map[[2]string]uint64  // route, code
	latency   map[string]*histogram // route
	alerts    map[[2]string]uint64  // head, reason
	batchSize histogram             // conversations per model call of /v1/analyze
	messages  uint64                // messages pushed into sessions
	gauges    func() map[string]float64
	started   time.Time
}

// Buckets: request latency in seconds, batch sizes in conversations.
var (
	latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	batchBuckets   = []float64{1, 2, 4, 8, 16, 32, 64, 128}
)

type histogram struct {
	bounds []float64
	counts []uint64 // per bound, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v) // first bound >= v: le semantics
	h.counts[i]++
	h.sum += v
	h.n++
}

func newServeMetrics() *serveMetrics {
	return &serveMetrics{requests: map[[2]string]uint64{}, latency: map[string]*histogram{},
		alerts: map[[2]string]uint64{}, batchSize: *newHistogram(batchBuckets), started: time.Now()}
}

func (m *serveMetrics) request(route string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(code)}]++
	h := m.latency[route]
	if h == nil {
		h = newHistogram(latencyBuckets)
		m.latency[route] = h
	}
	h.observe(d.Seconds())
}

func (m *serveMetrics) alert(head, reason string) {
	m.mu.Lock()
	m.alerts[[2]string{head, reason}]++
	m.mu.Unlock()
}

func (m *serveMetrics) batch(n int) {
	m.mu.Lock()
	m.batchSize.observe(float64(n))
	m.mu.Unlock()
}

func (m *serveMetrics) pushed(n int) {
	m.mu.Lock()
	m.messages += uint64(n)
	m.mu.Unlock()
}

// write writes every metric in the text exposition format, in a stable order.
func (m *serveMetrics) write(w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var err error
	p := func(format string, a ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, a...)
		}
	}
	p("# HELP vigie_http_requests_total HTTP requests by route and status code.\n# TYPE vigie_http_requests_total counter\n")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+" "+keys[i][1] < keys[j][0]+" "+keys[j][1] })
	for _, k := range keys {
		p("vigie_http_requests_total{route=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}
	p("# HELP vigie_http_request_duration_seconds HTTP request latency by route.\n# TYPE vigie_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		writeHistogram(p, "vigie_http_request_duration_seconds", fmt.Sprintf("route=%q", r), m.latency[r])
	}
	p("# HELP vigie_alerts_total Alerts raised by streaming sessions, by head and reason.\n# TYPE vigie_alerts_total counter\n")
	akeys := make([][2]string, 0, len(m.alerts))
	for k := range m.alerts {
		akeys = append(akeys, k)
	}
	sort.Slice(akeys, func(i, j int) bool { return akeys[i][0]+" "+akeys[i][1] < akeys[j][0]+" "+akeys[j][1] })
	for _, k := range akeys {
		p("vigie_alerts_total{head=%q,reason=%q} %d\n", k[0], k[1], m.alerts[k])
	}
	p("# HELP vigie_model_batch_conversations Conversations scored per model call of /v1/analyze (micro-batching).\n# TYPE vigie_model_batch_conversations histogram\n")
	writeHistogram(p, "vigie_model_batch_conversations", "", &m.batchSize)
	p("# HELP vigie_session_messages_total Messages pushed into streaming sessions.\n# TYPE vigie_session_messages_total counter\n")
	p("vigie_session_messages_total %d\n", m.messages)
	if m.gauges != nil {
		g := m.gauges()
		names := make([]string, 0, len(g))
		for n := range g {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p("# TYPE %s gauge\n%s %s\n", n, n, formatFloat(g[n]))
		}
	}
	p("# TYPE vigie_uptime_seconds gauge\nvigie_uptime_seconds %s\n", formatFloat(time.Since(m.started).Seconds()))
	return err
}

func writeHistogram(p func(string, ...any), name, labels string, h *histogram) {
	sep := ""
	if labels != "" {
		sep = ","
	}
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i]
		p("%s_bucket{%s%sle=%q} %d\n", name, labels, sep, formatFloat(b), cum)
	}
	cum += h.counts[len(h.bounds)]
	p("%s_bucket{%s%sle=\"+Inf\"} %d\n", name, labels, sep, cum)
	if labels != "" {
		labels = "{" + labels + "}"
	}
	p("%s_sum%s %s\n%s_count%s %d\n", name, labels, formatFloat(h.sum), name, labels, h.n)
}

func formatFloat(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
