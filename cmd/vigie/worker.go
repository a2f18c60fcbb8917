package main

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// workerConfig names the JetStream resources of `vigie worker`. The zero value means the defaults.
type workerConfig struct {
	Stream        string        // stream of chat messages (default VIGIE_MSG)
	Prefix        string        // message subjects are <Prefix>.<conversation id> (default vigie.msg)
	Consumer      string        // durable pull consumer shared by the workers (default vigie-workers)
	Bucket        string        // key-value bucket of session states (default vigie_sessions)
	AlertsStream  string        // stream of alerts (default VIGIE_ALERTS)
	AlertsSubject string        // subject of alerts (default vigie.alerts)
	Dedup         time.Duration // duplicate window of the alerts stream (default 2h)
	AckWait       time.Duration // redelivery delay of an unacknowledged message (default 30s)
	Concurrency   int           // messages processed at once per worker (default 8)
}

func (c workerConfig) withDefaults() workerConfig {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Stream, "VIGIE_MSG")
	def(&c.Prefix, "vigie.msg")
	def(&c.Consumer, "vigie-workers")
	def(&c.Bucket, "vigie_sessions")
	def(&c.AlertsStream, "VIGIE_ALERTS")
	def(&c.AlertsSubject, "vigie.alerts")
	if c.Dedup <= 0 {
		c.Dedup = 2 * time.Hour
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	return c
}

// wireMessage is a chat message on the stream: the canonical message fields and Seq, the
// message's 0-based position in its conversation. With Seq, workers apply each conversation's
// messages in order whatever the delivery order, and recognize redeliveries exactly; without it,
// messages are applied in delivery order and redeliveries are recognized by message id among the
// conversation's last recentIDs messages.
type wireMessage struct {
	apiMessage
	Seq *int `json:"seq,omitempty"`
}

// recentIDs is how many message ids a state remembers for de-duplication without Seq.
const recentIDs = 64

// workerState is the value of a conversation's key: how many messages were applied, the ids of the
// last ones, the alerts of the last applied message (published again, idempotently, by whoever
// next touches the key, so that a crash between storing the state and publishing loses nothing),
// and the session.
type workerState struct {
	next    int
	recent  []string
	pending [][]byte // alert JSON, with the alert id inside
	pendIDs []string
	session []byte
}

const workerStateMagic = "VWS\x01"

func (st *workerState) encode() []byte {
	b := append([]byte(nil), workerStateMagic...)
	b = binary.AppendUvarint(b, uint64(st.next))
	b = binary.AppendUvarint(b, uint64(len(st.recent)))
	for _, id := range st.recent {
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	}
	b = binary.AppendUvarint(b, uint64(len(st.pending)))
	for i, p := range st.pending {
		b = binary.AppendUvarint(b, uint64(len(st.pendIDs[i])))
		b = append(b, st.pendIDs[i]...)
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	return append(b, st.session...)
}

func decodeWorkerState(b []byte) (*workerState, error) {
	bad := errors.New("corrupt worker state")
	if len(b) < len(workerStateMagic) || string(b[:len(workerStateMagic)]) != workerStateMagic {
		return nil, fmt.Errorf("%w: unknown version", bad)
	}
	b = b[len(workerStateMagic):]
	num := func() (int, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > uint64(len(b))+1<<31 {
			return 0, false
		}
		b = b[n:]
		return int(v), true
	}
	bytesOf := func() ([]byte, bool) {
		n, ok := num()
		if !ok || n > len(b) {
			return nil, false
		}
		s := b[:n]
		b = b[n:]
		return s, true
	}
	st := &workerState{}
	var ok bool
	if st.next, ok = num(); !ok {
		return nil, bad
	}
	n, ok := num()
	if !ok || n > recentIDs {
		return nil, bad
	}
	for range n {
		s, ok := bytesOf()
		if !ok {
			return nil, bad
		}
		st.recent = append(st.recent, string(s))
	}
	if n, ok = num(); !ok || n > len(b) {
		return nil, bad
	}
	for range n {
		id, ok1 := bytesOf()
		p, ok2 := bytesOf()
		if !ok1 || !ok2 {
			return nil, bad
		}
		st.pendIDs = append(st.pendIDs, string(id))
		st.pending = append(st.pending, p)
	}
	st.session = b
	return st, nil
}

// kvKey maps a conversation id to a key-value key (base64url: keys allow only [-/_=.a-zA-Z0-9]).
func kvKey(conv string) string { return "c_" + base64.RawURLEncoding.EncodeToString([]byte(conv)) }

// worker consumes chat messages and keeps their sessions in a key-value bucket.
type worker struct {
	cfg workerConfig
	det *detect.Detector
	js  jetstream.JetStream
	kv  jetstream.KeyValue
	log *slog.Logger

	processed, duplicates, outOfOrder, conflicts, alerts atomic.Int64
}

// setup creates (or checks) the streams, the bucket and the consumer; every worker may call it.
func (w *worker) setup(ctx context.Context) (jetstream.Consumer, error) {
	c := w.cfg
	if _, err := w.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: c.Stream, Subjects: []string{c.Prefix + ".>"},
		Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage}); err != nil {
		return nil, fmt.Errorf("stream %s: %w", c.Stream, err)
	}
	if _, err := w.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: c.AlertsStream, Subjects: []string{c.AlertsSubject},
		Storage: jetstream.FileStorage, Duplicates: c.Dedup}); err != nil {
		return nil, fmt.Errorf("stream %s: %w", c.AlertsStream, err)
	}
	kv, err := w.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: c.Bucket, History: 1, Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", c.Bucket, err)
	}
	w.kv = kv
	cons, err := w.js.CreateOrUpdateConsumer(ctx, c.Stream, jetstream.ConsumerConfig{Durable: c.Consumer,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: c.AckWait, MaxDeliver: -1, MaxAckPending: 4096,
		FilterSubject: c.Prefix + ".>"})
	if err != nil {
		return nil, fmt.Errorf("consumer %s: %w", c.Consumer, err)
	}
	return cons, nil
}

// handle applies one message: read the conversation's state, apply the message if it is the next
// one, store the state with a compare-and-set on the key's revision (retrying on conflict), publish
// the alerts with their ids as Nats-Msg-Id (the alerts stream drops duplicates), and only then
// acknowledge. A crash at any point leads to a redelivery that finds the same or a later state and
// produces the same alerts, so nothing is lost or duplicated.
func (w *worker) handle(ctx context.Context, msg jetstream.Msg) error {
	conv, ok := strings.CutPrefix(msg.Subject(), w.cfg.Prefix+".")
	if !ok || conv == "" {
		w.log.Warn("message on an unexpected subject; dropped", "subject", msg.Subject())
		return msg.TermWithReason("bad subject")
	}
	var m wireMessage
	if err := json.Unmarshal(msg.Data(), &m); err != nil {
		w.log.Warn("malformed message; dropped", "conversation", conv, "error", badJSON("message", err).Error())
		return msg.TermWithReason("malformed message")
	}
	cm := corpus.Message{ID: m.ID, Author: m.Author, Text: m.Text, System: m.System}
	if m.Time != "" {
		t, err := corpus.ParseTime(m.Time, time.UTC)
		if err != nil {
			w.log.Warn("message with a bad time; dropped", "conversation", conv, "message_id", m.ID)
			return msg.TermWithReason("bad time")
		}
		cm.Time = t
	}
	key := kvKey(conv)
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, rev := &workerState{}, uint64(0)
		e, err := w.kv.Get(ctx, key)
		switch {
		case err == nil:
			if st, err = decodeWorkerState(e.Value()); err != nil {
				return fmt.Errorf("conversation %q: %w", conv, err)
			}
			rev = e.Revision()
		case errors.Is(err, jetstream.ErrKeyNotFound):
		default:
			return err
		}
		// Alerts of the last applied message may be unpublished if its worker died: publish
		// them (idempotent) before anything else.
		if err := w.publish(ctx, st.pendIDs, st.pending); err != nil {
			return err
		}
		dup := false
		if m.Seq != nil {
			switch {
			case *m.Seq < st.next:
				dup = true
			case *m.Seq > st.next:
				// An earlier message of the conversation is not applied yet: come back later.
				w.outOfOrder.Add(1)
				md, _ := msg.Metadata()
				delay := 20 * time.Millisecond
				if md != nil {
					delay = min(time.Duration(md.NumDelivered)*20*time.Millisecond, time.Second)
				}
				return msg.NakWithDelay(delay)
			}
		} else {
			for _, id := range st.recent {
				if id == m.ID && m.ID != "" {
					dup = true
				}
			}
		}
		if dup {
			w.duplicates.Add(1)
			return msg.Ack()
		}
		var s *detect.Session
		if len(st.session) > 0 {
			if s, err = w.det.RestoreSession(st.session); err != nil {
				return fmt.Errorf("conversation %q: %w", conv, err)
			}
		} else {
			s = w.det.NewSession(conv)
		}
		u, err := s.Push(ctx, cm)
		if err != nil {
			return err
		}
		next := &workerState{next: st.next + 1, recent: append(st.recent, m.ID)}
		if len(next.recent) > recentIDs {
			next.recent = next.recent[len(next.recent)-recentIDs:]
		}
		for _, a := range u.Alerts {
			b, err := json.Marshal(a)
			if err != nil {
				return err
			}
			next.pending = append(next.pending, b)
			next.pendIDs = append(next.pendIDs, a.ID)
		}
		if next.session, err = s.MarshalBinary(); err != nil {
			return err
		}
		if rev == 0 {
			_, err = w.kv.Create(ctx, key, next.encode())
		} else {
			_, err = w.kv.Update(ctx, key, next.encode(), rev)
		}
		if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			w.conflicts.Add(1) // another worker stored this conversation first: start over
			continue
		}
		if err != nil {
			return err
		}
		if err := w.publish(ctx, next.pendIDs, next.pending); err != nil {
			return err
		}
		w.processed.Add(1)
		w.alerts.Add(int64(len(u.Alerts)))
		for _, a := range u.Alerts {
			w.log.Info("alert", "conversation", conv, "head", a.Head, "reason", a.Reason, "alert_id", a.ID, "message_id", a.MessageID)
		}
		return msg.Ack()
	}
}

// publish publishes alerts with their ids as Nats-Msg-Id and waits for the stream's
// acknowledgement (a duplicate within the stream's window is acknowledged and dropped).
func (w *worker) publish(ctx context.Context, ids []string, alerts [][]byte) error {
	for i, b := range alerts {
		if _, err := w.js.Publish(ctx, w.cfg.AlertsSubject, b, jetstream.WithMsgID(ids[i])); err != nil {
			return fmt.Errorf("publish alert %s: %w", ids[i], err)
		}
	}
	return nil
}

// run consumes until ctx ends, then finishes the messages in progress.
func (w *worker) run(ctx context.Context, cons jetstream.Consumer) error {
	jobs := make(chan jetstream.Msg)
	var wg sync.WaitGroup
	for range w.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for msg := range jobs {
				// Each message gets its own deadline; shutdown does not cut it short.
				mctx, cancel := context.WithTimeout(context.Background(), w.cfg.AckWait)
				if err := w.handle(mctx, msg); err != nil {
					w.log.Warn("message not processed; it will be redelivered", "subject_prefix", w.cfg.Prefix, "error", err.Error())
					_ = msg.NakWithDelay(time.Second)
				}
				cancel()
			}
		}()
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) { jobs <- msg }, jetstream.PullMaxMessages(2*w.cfg.Concurrency),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			w.log.Debug("consume", "error", err.Error())
		}))
	if err != nil {
		close(jobs)
		wg.Wait()
		return err
	}
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-t.C:
			w.logStats("progress")
		}
	}
	cc.Drain()
	<-cc.Closed()
	close(jobs)
	wg.Wait()
	w.logStats("stopped")
	return nil
}

func (w *worker) logStats(msg string) {
	w.log.Info(msg, "processed", w.processed.Load(), "duplicates", w.duplicates.Load(), "out_of_order", w.outOfOrder.Load(),
		"conflicts", w.conflicts.Load(), "alerts", w.alerts.Load())
}

func runWorker(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("worker", "", stderr)
	var mf modelFlags
	mf.register(fs)
	url := fs.String("nats", nats.DefaultURL, "NATS server URL(s), comma separated")
	credsFile := fs.String("creds", "", "NATS credentials file (default: none)")
	var cfg workerConfig
	fs.StringVar(&cfg.Stream, "stream", "VIGIE_MSG", "JetStream stream of chat messages")
	fs.StringVar(&cfg.Prefix, "subject-prefix", "vigie.msg", "messages are published on <prefix>.<conversation id>")
	fs.StringVar(&cfg.Consumer, "consumer", "vigie-workers", "durable pull consumer shared by the workers")
	fs.StringVar(&cfg.Bucket, "bucket", "vigie_sessions", "key-value bucket of session states")
	fs.StringVar(&cfg.AlertsStream, "alerts-stream", "VIGIE_ALERTS", "stream of alerts")
	fs.StringVar(&cfg.AlertsSubject, "alerts-subject", "vigie.alerts", "subject alerts are published on")
	fs.DurationVar(&cfg.AckWait, "ack-wait", 30*time.Second, "redelivery delay of a message whose worker died")
	fs.IntVar(&cfg.Concurrency, "concurrency", 8, "messages processed at once")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "vigie worker: %s\n", oneLine(err))
		return exitError
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fail(fmt.Errorf("--log-level %q: want debug, info, warn or error", *logLevel))
	}
	cfg = cfg.withDefaults()
	det, err := mf.detector("")
	if err != nil {
		return fail(err)
	}
	defer det.Close()
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts := []nats.Option{nats.Name("vigie-worker"), nats.MaxReconnects(-1)}
	if *credsFile != "" {
		opts = append(opts, nats.UserCredentials(*credsFile))
	}
	nc, err := nats.Connect(*url, opts...)
	if err != nil {
		return fail(fmt.Errorf("connect %s: %w", *url, err))
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	w := &worker{cfg: cfg, det: det, js: js, log: log}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	cons, err := w.setup(sctx)
	cancel()
	if err != nil {
		return fail(err)
	}
	log.Info("consuming", "stream", cfg.Stream, "consumer", cfg.Consumer, "bucket", cfg.Bucket, "concurrency", cfg.Concurrency,
		"model", det.Model().Name+" "+det.Model().Version)
	if err := w.run(ctx, cons); err != nil {
		return fail(err)
	}
	if err := nc.Drain(); err != nil {
		return fail(err)
	}
	return exitOK
}
