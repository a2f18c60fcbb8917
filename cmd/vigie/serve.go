package main

// `vigie serve`: the HTTP JSON API for moderation pipelines.
//
//	POST /v1/analyze                       one conversation in canonical JSON → its report (as `vigie score --json`);
//	                                       concurrent requests are scored together (micro-batching)
//	POST /v1/conversations/{id}/messages   one message, an array, or {"messages": [...]} (canonical message
//	                                       fields: id, author, time, text, system) → {"updates": [...], "alerts": [...]}
//	GET  /v1/conversations/{id}            the session's state (detect.Snapshot)
//	GET  /healthz, /readyz                 liveness, readiness (503 while draining); no token needed
//	GET  /metrics                          Prometheus text format
//
// Every other route needs "Authorization: Bearer <token>" (VIGIE_TOKEN or --token-file; at least 16
// characters). Errors are {"error": "<reason>"} with 400 (malformed input), 401, 404, 413 (body over
// --max-body, or too many messages), 503 (timeout or shutting down). Logs are JSON lines (log/slog) with
// routes, status codes, durations and ids, never message text. Sessions live in memory (LRU bound
// --max-sessions, idle expiry --session-ttl); use `vigie worker` to share them between processes.

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// serveConfig is the configuration of `vigie serve`; the zero value of each field means its default.
type serveConfig struct {
	Token           string        // bearer token; "" only with InsecureLoopback on a loopback address
	MaxBody         int64         // bytes of a request body (default 4 MiB)
	RequestTimeout  time.Duration // per request (default 30s)
	MaxBatch        int           // conversations per model call of /v1/analyze (default 32)
	MaxWait         time.Duration // longest wait for a batch to fill (default 2ms)
	MaxSessions     int           // sessions kept in memory (default 100,000)
	SessionTTL      time.Duration // idle time after which a session is dropped (default 24h)
	MaxPushMessages int           // messages per push request (default 1,000)
}

func (c serveConfig) withDefaults() serveConfig {
	if c.MaxBody <= 0 {
		c.MaxBody = 4 << 20
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = 32
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 2 * time.Millisecond
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = 100_000
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 24 * time.Hour
	}
	if c.MaxPushMessages <= 0 {
		c.MaxPushMessages = 1000
	}
	return c
}

// server is the HTTP API of `vigie serve`.
type server struct {
	cfg      serveConfig
	det      *detect.Detector
	store    *sessionStore
	batch    *batcher
	metrics  *serveMetrics
	log      *slog.Logger
	draining atomic.Bool
}

func newServer(det *detect.Detector, cfg serveConfig, log *slog.Logger) *server {
	cfg = cfg.withDefaults()
	s := &server{cfg: cfg, det: det, metrics: newServeMetrics(), log: log,
		store: newSessionStore(det, cfg.MaxSessions, cfg.SessionTTL)}
	s.batch = newBatcher(det, cfg.MaxBatch, cfg.MaxWait, cfg.RequestTimeout, s.metrics.batch)
	s.metrics.gauges = func() map[string]float64 {
		n, ev := s.store.stats()
		return map[string]float64{"vigie_sessions": float64(n), "vigie_sessions_evicted_total": float64(ev)}
	}
	return s
}

// close stops the batcher; call it after the HTTP server has shut down.
func (s *server) close() { s.batch.close() }

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	route := func(pattern string, auth bool, h func(http.ResponseWriter, *http.Request) (int, error)) {
		mux.Handle(pattern, s.instrument(pattern, auth, h))
	}
	route("POST /v1/analyze", true, s.analyze)
	route("POST /v1/conversations/{id}/messages", true, s.push)
	route("GET /v1/conversations/{id}", true, s.state)
	route("GET /metrics", true, s.metricsHandler)
	route("GET /healthz", false, func(w http.ResponseWriter, r *http.Request) (int, error) {
		return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	route("GET /readyz", false, func(w http.ResponseWriter, r *http.Request) (int, error) {
		if s.draining.Load() {
			return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
		}
		return writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "model": s.det.Model().Name + " " + s.det.Model().Version})
	})
	mux.Handle("/", s.instrument("other", false, func(w http.ResponseWriter, r *http.Request) (int, error) {
		return 0, httpError{http.StatusNotFound, "no such route: see the README for the API"}
	}))
	return mux
}

// httpError is an error with a status code and a reason safe to show the client.
type httpError struct {
	code   int
	reason string
}

func (e httpError) Error() string { return e.reason }

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// instrument wraps a handler with authentication, the body limit, the request timeout, error
// rendering, metrics and a log line. Log lines carry the route, status, duration and ids,
// never message text.
func (s *server) instrument(route string, auth bool, h func(http.ResponseWriter, *http.Request) (int, error)) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		var err error
		if auth && !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vigie"`)
			err = httpError{http.StatusUnauthorized, "missing or wrong bearer token"}
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
			ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
			_, err = h(w, r.WithContext(ctx))
			cancel()
		}
		if err != nil {
			code, reason := http.StatusInternalServerError, "internal error"
			var he httpError
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &he):
				code, reason = he.code, he.reason
			case errors.As(err, &mbe):
				code, reason = http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
			case errors.Is(err, context.DeadlineExceeded):
				code, reason = http.StatusServiceUnavailable, "request timed out"
			case errors.Is(err, errDraining):
				code, reason = http.StatusServiceUnavailable, errDraining.Error()
			case errors.Is(err, context.Canceled):
				code, reason = 499, "client closed the request"
			}
			if w.code == 0 {
				writeJSON(w, code, map[string]string{"error": reason})
			}
			if code >= 500 && code != 503 {
				s.log.Error("request failed", "route", route, "status", code, "error", err.Error())
			}
		}
		d := time.Since(start)
		s.metrics.request(route, w.code, d)
		s.log.Debug("request", "route", route, "status", w.code, "duration_ms", float64(d.Microseconds())/1000,
			"bytes_in", r.ContentLength, "conversation", r.PathValue("id"))
	})
}

func (s *server) authorized(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true // allowed only on loopback, checked at start
	}
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.Token)) == 1
}

func writeJSON(w http.ResponseWriter, code int, v any) (int, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, err = w.Write(append(b, '\n'))
	return code, err
}

// readBody reads the whole body; a body over the limit gives the *http.MaxBytesError.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, httpError{http.StatusBadRequest, "cannot read the request body"}
	}
	return b, nil
}

// badJSON turns a JSON syntax or type error into a 400 with the position.
func badJSON(what string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return httpError{http.StatusBadRequest, fmt.Sprintf("malformed JSON in %s at byte %d: %v", what, se.Offset, se)}
	case errors.As(err, &te):
		field := strings.TrimPrefix(te.Field, "apiMessage.")
		return httpError{http.StatusBadRequest, fmt.Sprintf("%s: field %q must be %v, not %s (byte %d)", what, field, te.Type, te.Value, te.Offset)}
	}
	return httpError{http.StatusBadRequest, fmt.Sprintf("%s: %v", what, err)}
}

// analyze: POST /v1/analyze with one conversation in canonical JSON; the report as JSON.
func (s *server) analyze(w http.ResponseWriter, r *http.Request) (int, error) {
	if s.draining.Load() {
		return 0, errDraining
	}
	body, err := readBody(r)
	if err != nil {
		return 0, err
	}
	c, err := parseConversation(body)
	if err != nil {
		return 0, err
	}
	rep, err := s.batch.analyze(r.Context(), c)
	if err != nil {
		return 0, err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// parseConversation reads one conversation in canonical JSON (one line of canonical JSONL,
// indentation allowed) with the corpus reader, so the API accepts exactly what `vigie parse`
// writes.
func parseConversation(body []byte) (*corpus.Conversation, error) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		return nil, badJSON("conversation", err)
	}
	var probe struct {
		ID       *string          `json:"id"`
		Messages *json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(compact.Bytes(), &probe); err != nil {
		return nil, badJSON("conversation", err)
	}
	if probe.ID == nil || probe.Messages == nil {
		return nil, httpError{http.StatusBadRequest, `conversation: want an object with "id" and "messages" (canonical JSONL, see the README)`}
	}
	rd, err := corpus.NewReader("request.jsonl", bytes.NewReader(compact.Bytes()), corpus.Options{Format: corpus.FormatJSONL})
	if err != nil {
		return nil, httpError{http.StatusBadRequest, "conversation: " + oneLine(err)}
	}
	defer rd.Close()
	if rd.Next() {
		return rd.Conversation(), nil
	}
	reason := "no conversation in the body"
	if p, ok := rd.(interface{ Problems() []*corpus.ParseError }); ok && len(p.Problems()) > 0 {
		reason = oneLine(p.Problems()[0])
	} else if err := rd.Err(); err != nil {
		reason = oneLine(err)
	}
	return nil, httpError{http.StatusBadRequest, "conversation: " + reason}
}

// apiMessage is a message of a push request: the canonical JSONL message fields.
type apiMessage struct {
	ID     string `json:"id"`
	Author string `json:"author"`
	Time   string `json:"time,omitempty"`
	Text   string `json:"text"`
	System bool   `json:"system,omitempty"`
}

type pushResponse struct {
	Session  string          `json:"session"`
	Messages int             `json:"messages"` // messages in the session after the push
	Updates  []detect.Update `json:"updates"`
	Alerts   []detect.Alert  `json:"alerts"`
}

// parseMessages reads a push body: one message object, an array of them, or {"messages": [...]}.
func parseMessages(body []byte, limit int) ([]corpus.Message, error) {
	body = bytes.TrimSpace(body)
	var ms []apiMessage
	switch {
	case len(body) > 0 && body[0] == '[':
		if err := json.Unmarshal(body, &ms); err != nil {
			return nil, badJSON("messages", err)
		}
	case len(body) > 0 && body[0] == '{':
		var obj struct {
			Messages []apiMessage `json:"messages"`
			apiMessage
		}
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, badJSON("message", err)
		}
		if obj.Messages != nil {
			ms = obj.Messages
		} else {
			ms = []apiMessage{obj.apiMessage}
		}
	default:
		if err := json.Unmarshal(body, new(any)); err != nil {
			return nil, badJSON("messages", err)
		}
		return nil, httpError{http.StatusBadRequest, "messages: want a message object, an array of them, or {\"messages\": [...]}"}
	}
	if len(ms) == 0 {
		return nil, httpError{http.StatusBadRequest, "messages: none in the body"}
	}
	if len(ms) > limit {
		return nil, httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("messages: %d in one request, at most %d", len(ms), limit)}
	}
	out := make([]corpus.Message, len(ms))
	for i, m := range ms {
		cm := corpus.Message{ID: m.ID, Author: m.Author, Text: m.Text, System: m.System}
		if m.Time != "" {
			t, err := corpus.ParseTime(m.Time, time.UTC)
			if err != nil {
				return nil, httpError{http.StatusBadRequest, fmt.Sprintf("messages[%d].time: %v", i, oneLine(err))}
			}
			cm.Time = t
		}
		out[i] = cm
	}
	return out, nil
}

// push: POST /v1/conversations/{id}/messages; the updates and alerts of the pushed messages.
func (s *server) push(w http.ResponseWriter, r *http.Request) (int, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 256 {
		return 0, httpError{http.StatusBadRequest, "conversation id: 1 to 256 bytes"}
	}
	body, err := readBody(r)
	if err != nil {
		return 0, err
	}
	msgs, err := parseMessages(body, s.cfg.MaxPushMessages)
	if err != nil {
		return 0, err
	}
	ss := s.store.get(id, true)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	resp := pushResponse{Session: id, Updates: make([]detect.Update, 0, len(msgs)), Alerts: []detect.Alert{}}
	for _, m := range msgs {
		u, err := ss.s.Push(r.Context(), m)
		if err != nil {
			return 0, err
		}
		for _, a := range u.Alerts {
			s.metrics.alert(a.Head, a.Reason)
			s.log.Info("alert", "conversation", id, "head", a.Head, "reason", a.Reason, "score", a.Score,
				"message_id", a.MessageID, "alert_id", a.ID)
		}
		resp.Alerts = append(resp.Alerts, u.Alerts...)
		resp.Updates = append(resp.Updates, u)
	}
	resp.Messages = ss.s.Messages()
	s.metrics.pushed(len(msgs))
	return writeJSON(w, http.StatusOK, resp)
}

// state: GET /v1/conversations/{id}; the session's snapshot.
func (s *server) state(w http.ResponseWriter, r *http.Request) (int, error) {
	ss := s.store.get(r.PathValue("id"), false)
	if ss == nil {
		return 0, httpError{http.StatusNotFound, "no session for this conversation id (expired or never pushed)"}
	}
	ss.mu.Lock()
	snap, err := ss.s.Snapshot()
	ss.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return writeJSON(w, http.StatusOK, snap)
}

func (s *server) metricsHandler(w http.ResponseWriter, r *http.Request) (int, error) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	return http.StatusOK, s.metrics.write(w)
}

// isLoopback reports whether a listen address binds only loopback interfaces.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "", stderr)
	var mf modelFlags
	mf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	tokenFile := fs.String("token-file", "", "file holding the bearer token (default: $VIGIE_TOKEN)")
	insecure := fs.Bool("insecure-loopback", false, "allow requests without a token; only with a loopback --addr")
	var cfg serveConfig
	fs.Int64Var(&cfg.MaxBody, "max-body", 4<<20, "largest request body in bytes (413 above)")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", 30*time.Second, "time limit of a request")
	fs.IntVar(&cfg.MaxBatch, "max-batch", 32, "conversations per model call when /v1/analyze requests are batched")
	fs.DurationVar(&cfg.MaxWait, "max-wait", 2*time.Millisecond, "longest wait for a batch of /v1/analyze requests to fill")
	fs.IntVar(&cfg.MaxSessions, "max-sessions", 100_000, "streaming sessions kept in memory (least recently used dropped)")
	fs.DurationVar(&cfg.SessionTTL, "session-ttl", 24*time.Hour, "idle time after which a session is dropped")
	shutdown := fs.Duration("shutdown-timeout", 30*time.Second, "on SIGTERM, how long in-flight requests may take to finish")
	logLevel := fs.String("log-level", "info", "debug (one line per request), info, warn or error")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "vigie serve: %s\n", oneLine(err))
		return exitError
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fail(fmt.Errorf("--log-level %q: want debug, info, warn or error", *logLevel))
	}
	cfg.Token = os.Getenv("VIGIE_TOKEN")
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fail(fmt.Errorf("--token-file: %w", err))
		}
		cfg.Token = strings.TrimSpace(string(b))
	}
	switch {
	case cfg.Token == "" && !*insecure:
		return fail(errors.New("no bearer token: set VIGIE_TOKEN or --token-file (or --insecure-loopback on a loopback --addr)"))
	case cfg.Token == "" && !isLoopback(*addr):
		return fail(fmt.Errorf("--insecure-loopback needs a loopback --addr, not %q", *addr))
	case cfg.Token != "" && len(cfg.Token) < 16:
		return fail(errors.New("bearer token shorter than 16 characters"))
	}
	det, err := mf.detector("")
	if err != nil {
		return fail(err)
	}
	defer det.Close()
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	srv := newServer(det, cfg, log)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(err)
	}
	hs := &http.Server{Handler: srv.handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: cfg.withDefaults().RequestTimeout,
		WriteTimeout: cfg.withDefaults().RequestTimeout + 5*time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				srv.store.expire()
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "model", det.Model().Name+" "+det.Model().Version, "engine", det.Model().Engine,
		"auth", cfg.Token != "")
	select {
	case err := <-errc:
		return fail(err)
	case <-ctx.Done():
	}
	srv.draining.Store(true)
	log.Info("shutting down: finishing in-flight requests", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	err = hs.Shutdown(sctx)
	srv.close()
	if err != nil {
		return fail(fmt.Errorf("shutdown: %w", err))
	}
	log.Info("stopped")
	return exitOK
}
