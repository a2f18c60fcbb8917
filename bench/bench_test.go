package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/embedded"
	"github.com/vigie/vigie/models/onnxfile"
)

// The size ladder: conversations of 10, 100 and 1,000 messages, 10,000 messages in all per step.
var ladder = []struct {
	name        string
	count, size int
}{
	{"msgs=10", 1000, 10},
	{"msgs=100", 100, 100},
	{"msgs=1k", 10, 1000},
}

var fixtures struct {
	once sync.Once
	f    *Fixtures
	err  error
}

func benchFixtures(tb testing.TB) *Fixtures {
	tb.Helper()
	fixtures.once.Do(func() { fixtures.f, fixtures.err = DefaultFixtures() })
	if fixtures.err != nil {
		tb.Fatal(fixtures.err)
	}
	return fixtures.f
}

// meter reports the throughput of a benchmark on the wall clock and per CPU-second of the process.
type meter struct {
	cpu0            time.Duration
	msgsOp, bytesOp int
}

func startMeter(b *testing.B, msgsPerOp, bytesPerOp int) *meter {
	b.Helper()
	b.ReportAllocs()
	if bytesPerOp > 0 {
		b.SetBytes(int64(bytesPerOp))
	}
	return &meter{cpu0: CPUTime(), msgsOp: msgsPerOp, bytesOp: bytesPerOp}
}

// run calls body once to warm up (lazily built tables, pooled scratch, buffers grown), then
// measures it in the b.Loop loop.
func (m *meter) run(b *testing.B, body func()) {
	b.Helper()
	body()
	m.cpu0 = CPUTime()
	for b.Loop() {
		body()
	}
	m.stop(b)
}

func (m *meter) stop(b *testing.B) {
	b.Helper()
	cpu := (CPUTime() - m.cpu0).Seconds()
	n := float64(b.N) * float64(m.msgsOp)
	b.ReportMetric(n/b.Elapsed().Seconds(), "msgs/s")
	if cpu > 0 {
		b.ReportMetric(n/cpu, "cpu-msgs/s")
		if m.bytesOp > 0 {
			b.ReportMetric(float64(b.N)*float64(m.bytesOp)/cpu/1e6, "cpu-MB/s")
		}
	}
}

func newFeaturizer(tb testing.TB) *detect.Featurizer {
	tb.Helper()
	f, err := detect.NewFeaturizer(detect.FeaturizerConfig{}, features.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// modelBytes returns the model embedded in Vigie, else the file named by $VIGIE_BENCH_MODEL, else
// nil.
func modelBytes(tb testing.TB) []byte {
	tb.Helper()
	if m := embedded.Model(); m != nil {
		return m
	}
	p := os.Getenv("VIGIE_BENCH_MODEL")
	if p == "" {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatalf("VIGIE_BENCH_MODEL: %v", err)
	}
	return b
}

// newDetector returns a detector on the embedded model, else on $VIGIE_BENCH_MODEL; it skips the
// benchmark when there is neither, or when the backend is not available.
func newDetector(tb testing.TB, backend string) *detect.Detector {
	tb.Helper()
	m := modelBytes(tb)
	if m == nil {
		tb.Skip("no embedded model in this build and VIGIE_BENCH_MODEL is not set (vigie train -o FILE)")
	}
	d, err := detect.New(detect.Options{Model: m, Backend: backend})
	if errors.Is(err, detect.ErrBackend) {
		tb.Skipf("backend %s: %v", backend, err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// BenchmarkParse reads canonical JSONL (corpus.FormatJSONL) from memory.
func BenchmarkParse(b *testing.B) {
	fx := benchFixtures(b)
	for _, st := range ladder {
		cs := fx.Conversations(st.count, st.size)
		data, err := JSONL(cs)
		if err != nil {
			b.Fatal(err)
		}
		msgs, _ := Count(cs)
		b.Run(st.name, func(b *testing.B) {
			m := startMeter(b, msgs, len(data))
			m.run(b, func() {
				r, err := corpus.NewReader("bench.jsonl", bytes.NewReader(data), corpus.Options{Format: corpus.FormatJSONL})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for r.Next() {
					n += len(r.Conversation().Messages)
				}
				if r.Err() != nil || n != msgs {
					b.Fatalf("read %d messages of %d: %v", n, msgs, r.Err())
				}
			})
		})
	}
}

// BenchmarkNormalizeTokenize normalizes each message once and hashes the normalized text into
// token ids with the featurizer's default hasher, as detect does per message. MB/s counts the
// original message bytes.
func BenchmarkNormalizeTokenize(b *testing.B) {
	fx := benchFixtures(b)
	f := newFeaturizer(b)
	x, err := features.New(features.Options{})
	if err != nil {
		b.Fatal(err)
	}
	h := f.Config().Hasher
	msgs := fx.Messages(10000)
	size := totalBytes(msgs)
	b.Run("normalize", func(b *testing.B) {
		var n features.Normalized
		m := startMeter(b, len(msgs), size)
		m.run(b, func() {
			for _, t := range msgs {
				x.Normalizer().Normalize(&n, t)
			}
		})
	})
	b.Run("normalize+tokenize", func(b *testing.B) {
		var n features.Normalized
		ids := make([]int64, 0, 1024)
		m := startMeter(b, len(msgs), size)
		m.run(b, func() {
			for _, t := range msgs {
				x.Normalizer().Normalize(&n, t)
				ids = h.AppendIDs(ids[:0], n.Text)
			}
		})
	})
}

// BenchmarkCues matches the lexicons and detects the slots on text normalized beforehand (the
// normalization is measured by BenchmarkNormalizeTokenize).
func BenchmarkCues(b *testing.B) {
	fx := benchFixtures(b)
	x, err := features.New(features.Options{})
	if err != nil {
		b.Fatal(err)
	}
	msgs := fx.Messages(10000)
	norm := make([]features.Normalized, len(msgs))
	for i, t := range msgs {
		x.Normalizer().Normalize(&norm[i], t)
	}
	var hits []features.Hit
	add := func(h features.Hit) bool { hits = append(hits, h); return true }
	b.Run("lexicons", func(b *testing.B) {
		m := startMeter(b, len(msgs), totalBytes(msgs))
		m.run(b, func() {
			for i := range norm {
				hits = hits[:0]
				x.Matcher().Walk(&norm[i], add)
			}
		})
	})
	b.Run("lexicons+slots", func(b *testing.B) {
		m := startMeter(b, len(msgs), totalBytes(msgs))
		m.run(b, func() {
			for i, t := range msgs {
				hits = hits[:0]
				x.Matcher().Walk(&norm[i], add)
				features.WalkSlots(t, &norm[i], add)
			}
		})
	})
}

// BenchmarkCuesRegexp is the naive baseline of BenchmarkCues: every lexicon phrase of the
// embedded lexicons in one case-insensitive regexp alternation over the raw text (no
// normalization, no slots, so it finds less).
func BenchmarkCuesRegexp(b *testing.B) {
	fx := benchFixtures(b)
	x, err := features.New(features.Options{})
	if err != nil {
		b.Fatal(err)
	}
	re, err := NaiveCueRegexp(x.Matcher().Entries())
	if err != nil {
		b.Fatal(err)
	}
	msgs := fx.Messages(200) // about 2 ms a message: a few hundred are enough
	m := startMeter(b, len(msgs), totalBytes(msgs))
	m.run(b, func() {
		for _, t := range msgs {
			re.FindAllStringIndex(t, -1)
		}
	})
}

// BenchmarkFeatureVector updates the conversation aggregate with each message's cues and writes
// a conversation row and one row per author every 24 messages (the default window), as detect
// does; the cues are found beforehand.
func BenchmarkFeatureVector(b *testing.B) {
	fx := benchFixtures(b)
	x, err := features.New(features.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, st := range ladder {
		cs := fx.Conversations(st.count, st.size)
		msgs, size := Count(cs)
		hits := make([][][]features.Hit, len(cs))
		for ci, c := range cs {
			hits[ci] = make([][]features.Hit, len(c.Messages))
			for i := range c.Messages {
				hits[ci][i] = x.AppendHits(nil, c.Messages[i].Text)
			}
		}
		b.Run(st.name, func(b *testing.B) {
			var agg features.Aggregate
			vec := make([]float32, 0, 3*features.FeatureSchema().Len())
			m := startMeter(b, msgs, size)
			m.run(b, func() {
				for ci, c := range cs {
					agg.Reset()
					for i := range c.Messages {
						msg := &c.Messages[i]
						agg.Add(features.Message{ID: msg.ID, Author: msg.Author, Time: msg.Time}, hits[ci][i])
						if (i+1)%detect.DefaultWindow == 0 || i == len(c.Messages)-1 {
							vec = agg.AppendFeatures(vec[:0], "")
							vec = agg.AppendFeatures(vec, c.Participants[0].ID)
							vec = agg.AppendFeatures(vec, c.Participants[1].ID)
						}
					}
				}
			})
		})
	}
}

// BenchmarkLangCounter is the language identification that detect runs on the first 200
// messages of a conversation whose source does not say its language.
func BenchmarkLangCounter(b *testing.B) {
	msgs := benchFixtures(b).Messages(10000)
	var c features.LangCounter
	m := startMeter(b, len(msgs), totalBytes(msgs))
	m.run(b, func() {
		for _, t := range msgs {
			c.Add(t)
		}
	})
}

// BenchmarkFeaturize is detect.Featurizer.Analyze: every stage but the parse and the model.
func BenchmarkFeaturize(b *testing.B) {
	fx := benchFixtures(b)
	f := newFeaturizer(b)
	for _, st := range ladder {
		cs := fx.Conversations(st.count, st.size)
		msgs, size := Count(cs)
		b.Run(st.name, func(b *testing.B) {
			m := startMeter(b, msgs, size)
			m.run(b, func() {
				for _, c := range cs {
					f.Analyze(c, true)
				}
			})
		})
	}
}

// scorers returns the pure-Go network and, when ONNX Runtime is installed, its scorer, for the
// embedded model (else $VIGIE_BENCH_MODEL).
func scorers(b *testing.B) []struct {
	name string
	s    models.Scorer
} {
	data := modelBytes(b)
	if data == nil {
		b.Skip("no embedded model in this build and VIGIE_BENCH_MODEL is not set (vigie train -o FILE)")
	}
	net, _, err := onnxfile.Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	out := []struct {
		name string
		s    models.Scorer
	}{{"go", net}}
	if s, err := newONNX(data); err == nil {
		b.Cleanup(func() { s.Close() })
		out = append(out, struct {
			name string
			s    models.Scorer
		}{"onnx", s})
	} else {
		b.Logf("onnx backend skipped: %v", err)
	}
	return out
}

// BenchmarkScore scores the model rows of 40 conversations of 100 messages (conversation and
// author rows, one window of 24 messages each) at batch sizes 1 to 256. msgs/s counts the
// messages that the conversation rows cover.
func BenchmarkScore(b *testing.B) {
	fx := benchFixtures(b)
	ss := scorers(b)
	f := newFeaturizer(b)
	cs := fx.Conversations(40, 100)
	msgs, size := Count(cs)
	var rows []*detect.Row
	ids := 0
	for _, c := range cs {
		a := f.Analyze(c, true)
		for i := range a.Rows {
			rows = append(rows, &a.Rows[i])
			ids += len(a.Rows[i].IDs)
		}
	}
	b.Logf("%d rows, %.0f ids per row on average", len(rows), float64(ids)/float64(len(rows)))
	ctx := context.Background()
	for _, sc := range ss {
		for _, batch := range []int{1, 8, 64, 256} {
			b.Run(fmt.Sprintf("backend=%s/B=%d", sc.name, batch), func(b *testing.B) {
				m := startMeter(b, msgs, size)
				m.run(b, func() {
					if _, err := detect.ScoreRows(ctx, sc.s, rows, batch); err != nil {
						b.Fatal(err)
					}
				})
				b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// BenchmarkAnalyze is detect.Detector.Analyze end to end, one conversation per call, on each
// backend.
func BenchmarkAnalyze(b *testing.B) {
	fx := benchFixtures(b)
	ctx := context.Background()
	for _, be := range []string{detect.BackendGo, detect.BackendONNX} {
		b.Run("backend="+be, func(b *testing.B) {
			d := newDetector(b, be)
			for _, st := range ladder {
				cs := fx.Conversations(st.count, st.size)
				msgs, size := Count(cs)
				b.Run(st.name, func(b *testing.B) {
					m := startMeter(b, msgs, size)
					m.run(b, func() {
						for _, c := range cs {
							if _, err := d.Analyze(ctx, c); err != nil {
								b.Fatal(err)
							}
						}
					})
				})
			}
		})
	}
}

// BenchmarkAnalyzeBatch is detect.Detector.AnalyzeBatch end to end, all the conversations of a
// ladder step in one call.
func BenchmarkAnalyzeBatch(b *testing.B) {
	fx := benchFixtures(b)
	ctx := context.Background()
	for _, be := range []string{detect.BackendGo, detect.BackendONNX} {
		b.Run("backend="+be, func(b *testing.B) {
			d := newDetector(b, be)
			for _, st := range ladder {
				cs := fx.Conversations(st.count, st.size)
				msgs, size := Count(cs)
				b.Run(st.name, func(b *testing.B) {
					m := startMeter(b, msgs, size)
					m.run(b, func() {
						if _, err := d.AnalyzeBatch(ctx, cs); err != nil {
							b.Fatal(err)
						}
					})
				})
			}
		})
	}
}

// BenchmarkLowerFloor is the floor: read the same canonical JSONL bytes line by line and
// lower-case them, nothing else.
func BenchmarkLowerFloor(b *testing.B) {
	fx := benchFixtures(b)
	cs := fx.Conversations(100, 100)
	data, err := JSONL(cs)
	if err != nil {
		b.Fatal(err)
	}
	msgs, _ := Count(cs)
	b.Run("jsonl", func(b *testing.B) {
		buf := make([]byte, 0, 1<<16)
		m := startMeter(b, msgs, len(data))
		m.run(b, func() {
			buf = LowerLines(buf, bytes.NewReader(data), nil)
		})
	})
	b.Run("strings.ToLower", func(b *testing.B) {
		texts := fx.Messages(msgs)
		m := startMeter(b, len(texts), totalBytes(texts))
		m.run(b, func() {
			for _, t := range texts {
				_ = strings.ToLower(t)
			}
		})
	})
}

// TestZeroAllocsPerMessage asserts that tokenize + cue matching + feature vector, the per-message
// steady state of detect, allocate nothing once their buffers have grown.
func TestZeroAllocsPerMessage(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	fx := benchFixtures(t)
	x, err := features.New(features.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newFeaturizer(t).Config().Hasher
	c := fx.Conversations(1, 500)[0]
	var (
		n    features.Normalized
		hits []features.Hit
		ids  = make([]int64, 0, 4096)
		agg  features.Aggregate
		vec  []float32
	)
	add := func(h features.Hit) bool { hits = append(hits, h); return true }
	run := func() {
		agg.Reset()
		for i := range c.Messages {
			msg := &c.Messages[i]
			x.Normalizer().Normalize(&n, msg.Text)
			ids = h.AppendIDs(ids[:0], n.Text)
			hits = hits[:0]
			x.Matcher().Walk(&n, add)
			features.WalkSlots(msg.Text, &n, add)
			agg.Add(features.Message{ID: msg.ID, Author: msg.Author, Time: msg.Time}, hits)
			if (i+1)%detect.DefaultWindow == 0 {
				vec = agg.AppendFeatures(vec[:0], "")
				vec = agg.AppendFeatures(vec, msg.Author)
			}
		}
	}
	run()
	if a := testing.AllocsPerRun(5, run); a != 0 {
		t.Fatalf("%v allocations per run of %d messages, want 0", a, len(c.Messages))
	}
}

// TestFixtures checks the fixture contract: deterministic, 20-200 byte messages, French and English.
func TestFixtures(t *testing.T) {
	a, b := benchFixtures(t), func() *Fixtures { f, err := DefaultFixtures(); must(t, err); return f }()
	if len(a.Pool()) < 1000 {
		t.Fatalf("pool of %d messages, want at least 1000", len(a.Pool()))
	}
	fr, en := 0, 0
	for i, m := range a.Pool() {
		if m != b.Pool()[i] {
			t.Fatalf("message %d differs between two runs", i)
		}
		if len(m) < MinMessageBytes || len(m) > MaxMessageBytes {
			t.Fatalf("message %d has %d bytes, want %d..%d", i, len(m), MinMessageBytes, MaxMessageBytes)
		}
		switch l, _ := features.DetectLang(m); l {
		case "fr":
			fr++
		case "en":
			en++
		}
	}
	if fr < len(a.Pool())/5 || en < len(a.Pool())/5 {
		t.Fatalf("%d French and %d English messages of %d, want both above a fifth", fr, en, len(a.Pool()))
	}
	cs := a.Conversations(3, 1000)
	if msgs, _ := Count(cs); msgs != 3000 || len(cs[2].Messages) != 1000 {
		t.Fatalf("got %d messages", msgs)
	}
	data, err := JSONL(cs)
	must(t, err)
	r, err := corpus.NewReader("x.jsonl", bytes.NewReader(data), corpus.Options{})
	must(t, err)
	got, err := corpus.ReadAll(r)
	must(t, err)
	if len(got) != 3 || got[1].Messages[5].Text != cs[1].Messages[5].Text || !got[1].Messages[5].Time.Equal(cs[1].Messages[5].Time) {
		t.Fatal("the JSONL does not read back as the conversations")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func totalBytes(msgs []string) (n int) {
	for _, m := range msgs {
		n += len(m)
	}
	return n
}
