package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnxfile"
)

// streamModel returns the model bytes the streaming tests use: nil (the embedded model) when the
// build has one, the file at $VIGIE_TEST_MODEL, else a model with seeded random weights for the
// current feature schema: these tests check the plumbing, not accuracy.
var streamModel = sync.OnceValues(func() ([]byte, error) {
	if d, err := detect.New(detect.Options{Backend: detect.BackendGo}); err == nil {
		d.Close()
		return nil, nil
	}
	if p := os.Getenv("VIGIE_TEST_MODEL"); p != "" {
		return os.ReadFile(p)
	}
	f, err := detect.NewFeaturizer(detect.FeaturizerConfig{}, features.Options{})
	if err != nil {
		return nil, err
	}
	training, _ := json.Marshal(detect.TrainingInfo{})
	meta := models.Meta{Name: "random-test", Version: "1", Heads: []string{detect.HeadGrooming, detect.HeadSextortion},
		Schema: f.Schema().Hash, Dims: models.Dims{V: f.Vocab(), D: 8, F: f.Schema().Len(), H: 16, K: 2},
		Thresholds: map[string]float32{detect.HeadGrooming: 0.6, detect.HeadSextortion: 0.6}, Training: training}
	n, err := models.NewNet(meta)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, w := range [][]float32{n.Emb, n.W1, n.W2} {
		for i := range w {
			w[i] = float32(rng.Float64()*2-1) * 0.5
		}
	}
	return onnxfile.Encode(n)
})

func streamDetector(t testing.TB) *detect.Detector {
	t.Helper()
	m, err := streamModel()
	require.NoError(t, err)
	d, err := detect.New(detect.Options{Model: m, Backend: detect.BackendGo})
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	return d
}

func floorSet(t testing.TB) []*corpus.Conversation {
	t.Helper()
	var out []*corpus.Conversation
	for _, lang := range []string{"en", "fr"} {
		r, err := corpus.Open(filepath.Join("..", "..", "detect", "testdata", "floor", lang+".jsonl"), corpus.Options{})
		require.NoError(t, err)
		cs, err := corpus.ReadAll(r)
		require.NoError(t, err)
		r.Close()
		out = append(out, cs...)
	}
	require.NotEmpty(t, out)
	return out
}

const testToken = "test-token-0123456789"

func newTestServer(t testing.TB, cfg serveConfig) (*server, *httptest.Server) {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	var logs bytes.Buffer
	s := newServer(streamDetector(t), cfg, slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ts := httptest.NewServer(s.handler())
	t.Cleanup(func() {
		ts.Close()
		s.close()
		if tt, ok := t.(*testing.T); ok {
			checkLogsHaveNoText(tt, logs.String())
		}
	})
	return s, ts
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(b)
}

// checkLogsHaveNoText fails when a log line quotes a message text of the floor set.
func checkLogsHaveNoText(t *testing.T, logs string) {
	for _, c := range floorSet(t) {
		for _, m := range c.Messages {
			if len(m.Text) >= 12 && strings.Contains(logs, m.Text) {
				t.Fatalf("the logs contain the text of message %s of %s", m.ID, c.ID)
			}
		}
	}
}

func do(t testing.TB, ts *httptest.Server, method, path, token string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func conversationJSON(t testing.TB, c *corpus.Conversation) []byte {
	b, err := corpus.MarshalConversation(c)
	require.NoError(t, err)
	return b
}

func TestServeAuth(t *testing.T) {
	_, ts := newTestServer(t, serveConfig{})
	body := conversationJSON(t, floorSet(t)[0])
	for _, tc := range []struct {
		name, method, path, token string
		want                      int
	}{
		{"analyze without token", "POST", "/v1/analyze", "", 401},
		{"analyze with a wrong token", "POST", "/v1/analyze", "wrong-token-0123456789", 401},
		{"analyze with the token", "POST", "/v1/analyze", testToken, 200},
		{"push without token", "POST", "/v1/conversations/c1/messages", "", 401},
		{"state without token", "GET", "/v1/conversations/c1", "", 401},
		{"metrics without token", "GET", "/metrics", "", 401},
		{"metrics with the token", "GET", "/metrics", testToken, 200},
		{"healthz is open", "GET", "/healthz", "", 200},
		{"readyz is open", "GET", "/readyz", "", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, b := do(t, ts, tc.method, tc.path, tc.token, body)
			require.Equal(t, tc.want, code, string(b))
			if code == 401 {
				require.Contains(t, string(b), "bearer token")
			}
		})
	}
}

func TestServeLimitsAndErrors(t *testing.T) {
	_, ts := newTestServer(t, serveConfig{MaxBody: 2048, MaxPushMessages: 3})
	big := conversationJSON(t, &corpus.Conversation{ID: "big", Messages: []corpus.Message{{ID: "1", Author: "a", Text: strings.Repeat("word ", 1000)}}})
	for _, tc := range []struct {
		name, path string
		body       string
		want       int
		reason     string
	}{
		{"oversized body", "/v1/analyze", string(big), 413, "larger than 2048 bytes"},
		{"oversized push", "/v1/conversations/c1/messages", `{"id":"1","author":"a","text":"` + strings.Repeat("x", 3000) + `"}`, 413, "larger than 2048 bytes"},
		{"too many messages", "/v1/conversations/c1/messages", `[{"id":"1"},{"id":"2"},{"id":"3"},{"id":"4"}]`, 413, "at most 3"},
		{"malformed JSON", "/v1/analyze", `{"id":"c1","messages":[{"id":"1",}]}`, 400, "malformed JSON in conversation at byte"},
		{"not a conversation", "/v1/analyze", `{"hello":1}`, 400, `"id" and "messages"`},
		{"wrong type", "/v1/analyze", `{"id":"c1","messages":"nope"}`, 400, "conversation"},
		{"empty body", "/v1/analyze", ``, 400, "malformed JSON"},
		{"malformed push", "/v1/conversations/c1/messages", `{"id":"1","text":`, 400, "malformed JSON"},
		{"push of a number", "/v1/conversations/c1/messages", `42`, 400, "want a message object"},
		{"bad time", "/v1/conversations/c1/messages", `{"id":"1","author":"a","text":"hi","time":"yesterday"}`, 400, "messages[0].time"},
		{"wrong field type", "/v1/conversations/c1/messages", `{"id":"1","author":"a","text":5}`, 400, `field "text"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, b := do(t, ts, "POST", tc.path, testToken, []byte(tc.body))
			require.Equal(t, tc.want, code, string(b))
			var e struct{ Error string }
			require.NoError(t, json.Unmarshal(b, &e), string(b))
			require.Contains(t, e.Error, tc.reason)
		})
	}
	code, _ := do(t, ts, "GET", "/v1/conversations/never-pushed", testToken, nil)
	require.Equal(t, 404, code)
}

// TestServeMatchesLibrary: /v1/analyze returns Analyze's report, and pushing a conversation's
// messages (one by one and in groups) ends at the same scores, read back with GET.
func TestServeMatchesLibrary(t *testing.T) {
	s, ts := newTestServer(t, serveConfig{})
	cs := floorSet(t)
	for i, c := range cs[:12] {
		want, err := s.det.Analyze(context.Background(), c)
		require.NoError(t, err)
		code, b := do(t, ts, "POST", "/v1/analyze", testToken, conversationJSON(t, c))
		require.Equal(t, 200, code, string(b))
		var got detect.Report
		require.NoError(t, json.Unmarshal(b, &got))
		require.Equal(t, want.Grooming, got.Grooming, c.ID)
		require.Equal(t, want.Sextortion, got.Sextortion, c.ID)
		require.Equal(t, want.Suspect, got.Suspect, c.ID)
		require.Equal(t, len(want.Evidence), len(got.Evidence), c.ID)

		// Push: one message per request for even conversations, groups of 5 for odd ones.
		step := 1 + 4*(i%2)
		var alerts int
		for lo := 0; lo < len(c.Messages); lo += step {
			var ms []apiMessage
			for _, m := range c.Messages[lo:min(lo+step, len(c.Messages))] {
				am := apiMessage{ID: m.ID, Author: m.Author, Text: m.Text, System: m.System}
				if !m.Time.IsZero() {
					am.Time = m.Time.Format(time.RFC3339Nano)
				}
				ms = append(ms, am)
			}
			body, _ := json.Marshal(map[string]any{"messages": ms})
			code, b := do(t, ts, "POST", "/v1/conversations/"+c.ID+"/messages", testToken, body)
			require.Equal(t, 200, code, string(b))
			var pr pushResponse
			require.NoError(t, json.Unmarshal(b, &pr))
			require.Len(t, pr.Updates, len(ms))
			alerts += len(pr.Alerts)
		}
		code, b = do(t, ts, "GET", "/v1/conversations/"+c.ID, testToken, nil)
		require.Equal(t, 200, code, string(b))
		var snap detect.Snapshot
		require.NoError(t, json.Unmarshal(b, &snap))
		require.Equal(t, len(c.Messages), snap.Messages)
		require.InDelta(t, want.Grooming.Score, snap.Grooming.Score, 1e-5, c.ID)
		require.InDelta(t, want.Sextortion.Score, snap.Sextortion.Score, 1e-5, c.ID)
		require.Equal(t, snap.Alerts[0]+snap.Alerts[1], alerts)
		if want.Grooming.Flagged || want.Sextortion.Flagged {
			require.Positive(t, alerts, "%s is flagged by Analyze but the session never alerted", c.ID)
		}
	}
	code, b := do(t, ts, "GET", "/metrics", testToken, nil)
	require.Equal(t, 200, code)
	for _, want := range []string{`vigie_http_requests_total{route="POST /v1/analyze",code="200"} 12`,
		`vigie_http_request_duration_seconds_bucket{route="POST /v1/analyze",le="+Inf"} 12`,
		"vigie_model_batch_conversations_count", "vigie_session_messages_total", "vigie_sessions 12"} {
		require.Contains(t, string(b), want)
	}
}

// TestServeMicroBatching sends concurrent /v1/analyze requests and checks that they were scored
// in fewer model calls than requests, with the same reports as one by one. The batcher waits up
// to 500 ms for company: on a loaded machine (a CI running other packages' tests), requests
// started together can reach the server tens of milliseconds apart.
func TestServeMicroBatching(t *testing.T) {
	s, ts := newTestServer(t, serveConfig{MaxBatch: 16, MaxWait: 500 * time.Millisecond})
	cs := floorSet(t)[:32]
	var wg sync.WaitGroup
	got := make([]detect.Report, len(cs))
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, b := do(t, ts, "POST", "/v1/analyze", testToken, conversationJSON(t, c))
			if code == 200 {
				_ = json.Unmarshal(b, &got[i])
			}
		}()
	}
	wg.Wait()
	for i, c := range cs {
		want, err := s.det.Analyze(context.Background(), c)
		require.NoError(t, err)
		require.Equal(t, c.ID, got[i].ID)
		require.InDelta(t, want.Grooming.Score, got[i].Grooming.Score, 1e-6)
	}
	s.metrics.mu.Lock()
	batches, convs := s.metrics.batchSize.n, s.metrics.batchSize.sum
	s.metrics.mu.Unlock()
	require.Equal(t, float64(len(cs)), convs)
	require.Less(t, batches, uint64(len(cs)), "no two requests shared a model call")
	t.Logf("%d requests in %d model calls", len(cs), batches)
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "[::1]:80": true, "localhost:1": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "example.com:80": false} {
		require.Equal(t, want, isLoopback(addr), addr)
	}
}

func TestServeRefusesToStartWithoutToken(t *testing.T) {
	t.Setenv("VIGIE_TOKEN", "")
	_, stderr, code := runCLI(t, "serve", "--addr", "127.0.0.1:0")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "no bearer token")
	_, stderr, code = runCLI(t, "serve", "--insecure-loopback", "--addr", "0.0.0.0:0")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "needs a loopback")
}

// TestServeLoad pushes messages into many more conversations than the session bound from
// concurrent clients over loopback, bounded in count and time, and checks that the sessions and
// the heap stay bounded.
func TestServeLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const maxSessions = 300
	s, ts := newTestServer(t, serveConfig{MaxSessions: maxSessions})
	msgs := longMessages(floorSet(t))
	deadline := time.Now().Add(20 * time.Second)
	const clients, perClient = 6, 700
	var heapMid atomic.Uint64
	var sent atomic.Int64
	var wg sync.WaitGroup
	for cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perClient {
				if time.Now().After(deadline) {
					return
				}
				m := msgs[(cl*perClient+i)%len(msgs)]
				body, _ := json.Marshal(apiMessage{ID: fmt.Sprint(i), Author: m.Author, Text: m.Text})
				conv := fmt.Sprintf("load-%d-%d", cl, i%400) // 2,400 conversations for 300 sessions
				code, b := do(t, ts, "POST", "/v1/conversations/"+conv+"/messages", testToken, body)
				if code != 200 {
					t.Errorf("push: %d %s", code, b)
					return
				}
				if sent.Add(1) == clients*perClient/2 {
					heapMid.Store(heapInUse())
				}
			}
		}()
	}
	wg.Wait()
	n, evicted := s.store.stats()
	end := heapInUse()
	t.Logf("%d pushes; %d sessions kept, %d evicted; heap in use %.1f MB at half-time, %.1f MB at the end",
		sent.Load(), n, evicted, float64(heapMid.Load())/1e6, float64(end)/1e6)
	require.LessOrEqual(t, n, maxSessions)
	require.Positive(t, evicted)
	require.Greater(t, sent.Load(), int64(clients*perClient/4), "too few requests in the time bound")
	if mid := heapMid.Load(); mid > 0 {
		require.Less(t, float64(end), 1.5*float64(mid)+32e6, "heap grew from %d to %d bytes", mid, end)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// longMessages returns every message of the floor set, in order.
func longMessages(cs []*corpus.Conversation) []corpus.Message {
	var out []corpus.Message
	for _, c := range cs {
		out = append(out, c.Messages...)
	}
	return out
}

// BenchmarkServePush measures the latency of pushing one message over loopback HTTP from 4
// concurrent clients, reporting p50 and p99 in microseconds.
func BenchmarkServePush(b *testing.B) {
	_, ts := newTestServer(b, serveConfig{})
	msgs := longMessages(floorSet(b))
	bodies := make([][]byte, len(msgs))
	for i, m := range msgs {
		bodies[i], _ = json.Marshal(apiMessage{ID: fmt.Sprint(i), Author: m.Author, Text: m.Text})
	}
	benchLatency(b, ts, func(i int) (string, []byte) {
		return fmt.Sprintf("/v1/conversations/bench-%d/messages", i%200), bodies[i%len(bodies)]
	})
}

// BenchmarkServeAnalyze measures /v1/analyze latency (micro-batched) with 4 concurrent clients.
func BenchmarkServeAnalyze(b *testing.B) {
	_, ts := newTestServer(b, serveConfig{})
	cs := floorSet(b)
	bodies := make([][]byte, len(cs))
	for i, c := range cs {
		bodies[i] = conversationJSON(b, c)
	}
	benchLatency(b, ts, func(i int) (string, []byte) { return "/v1/analyze", bodies[i%len(bodies)] })
}

func benchLatency(b *testing.B, ts *httptest.Server, req func(i int) (string, []byte)) {
	const clients = 4
	var mu sync.Mutex
	var lat []time.Duration
	var next atomic.Int64
	b.ReportAllocs()
	cpu0 := cpuNow()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					break
				}
				path, body := req(i)
				t0 := time.Now()
				code, out := do(b, ts, "POST", path, testToken, body)
				mine = append(mine, time.Since(t0))
				if code != 200 {
					b.Errorf("%s: %d %s", path, code, out)
					return
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[int(math.Min(float64(len(lat)-1), p*float64(len(lat))))].Microseconds())
	}
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "req/s")
	if cpu := cpuNow() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(len(lat)), "cpu-µs/req")
	}
}
