package features

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuMeter reports throughput per CPU second of the process (user + system) beside the wall-clock
// figures: on a shared, loaded machine the wall clock counts time the benchmark spent waiting for
// a CPU, the process CPU time does not.
type cpuMeter struct{ start time.Duration }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuMeter { return cpuMeter{cpuTime()} }

func (c cpuMeter) report(b *testing.B, msgsPerOp, bytesPerOp int) {
	d := (cpuTime() - c.start).Seconds()
	if d <= 0 {
		return
	}
	b.ReportMetric(float64(msgsPerOp*b.N)/d, "cpu-msgs/s")
	if bytesPerOp > 0 {
		b.ReportMetric(float64(bytesPerOp*b.N)/d/1e6, "cpu-MB/s")
	}
}

func engineBenchLines(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile("testdata/engine/bench_lines.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// benchMessages groups the bench lines k at a time: k=1 gives short chat messages.
func benchMessages(tb testing.TB, k int) (msgs []string, bytes int) {
	lines := engineBenchLines(tb)
	for i := 0; i < len(lines); i += k {
		m := strings.Join(lines[i:min(i+k, len(lines))], " ")
		msgs = append(msgs, m)
		bytes += len(m)
	}
	return msgs, bytes
}

func embeddedExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	x, err := New(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return x
}

// TestZeroAllocs asserts that normalization, matching, slot detection and the aggregate update
// allocate nothing per message once their buffers have grown.
func TestZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	x := embeddedExtractor(t)
	msgs, _ := benchMessages(t, 1)
	msgs = append(msgs, "s3x n.u.d.e plzzzz 📸🍆 j'ai 13 ans 10, 9, 8 200€ +33 6 12 34 56 78 snap: lea_2010 İ ß \xff")
	var n Normalized
	var hits []Hit
	var agg Aggregate
	var vec []float32
	authors := [2]string{"a", "b"}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	run := func() {
		for i, m := range msgs {
			x.nz.Normalize(&n, m)
			hits = x.AppendHits(hits[:0], m)
			agg.Add(Message{Author: authors[i%2], Time: t0.Add(time.Duration(i) * time.Minute)}, hits)
		}
		vec = agg.AppendFeatures(vec[:0], "a")
	}
	run()
	if a := testing.AllocsPerRun(20, run); a != 0 {
		t.Fatalf("%v allocations per run of %d messages, want 0", a, len(msgs))
	}
}

func BenchmarkNormalize(b *testing.B) {
	nz := newTestNormalizer(b)
	for _, k := range []int{1, 8} {
		msgs, size := benchMessages(b, k)
		b.Run(fmt.Sprintf("lines=%d", k), func(b *testing.B) {
			var n Normalized
			b.ReportAllocs()
			b.SetBytes(int64(size))
			cpu := startCPU()
			for b.Loop() {
				for _, m := range msgs {
					nz.Normalize(&n, m)
				}
			}
			b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
			cpu.report(b, len(msgs), size)
		})
	}
}

// BenchmarkCues measures normalization + lexicon matching + slot detection with the embedded
// lexicons (all languages), on short chat messages (lines=1) and longer ones (lines=8).
func BenchmarkCues(b *testing.B) {
	x := embeddedExtractor(b)
	b.Logf("%d lexicon entries", len(x.m.Entries()))
	for _, k := range []int{1, 8} {
		msgs, size := benchMessages(b, k)
		b.Run(fmt.Sprintf("lines=%d", k), func(b *testing.B) {
			var hits []Hit
			b.ReportAllocs()
			b.SetBytes(int64(size))
			cpu := startCPU()
			for b.Loop() {
				for _, m := range msgs {
					hits = x.AppendHits(hits[:0], m)
				}
			}
			b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
			cpu.report(b, len(msgs), size)
		})
	}
}

// BenchmarkCuesNoSlots is BenchmarkCues without the slot detectors: normalize + one-pass match.
func BenchmarkCuesNoSlots(b *testing.B) {
	x, err := New(Options{NoSlots: true})
	if err != nil {
		b.Fatal(err)
	}
	msgs, size := benchMessages(b, 1)
	var hits []Hit
	b.ReportAllocs()
	b.SetBytes(int64(size))
	cpu := startCPU()
	for b.Loop() {
		for _, m := range msgs {
			hits = x.AppendHits(hits[:0], m)
		}
	}
	b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
	cpu.report(b, len(msgs), size)
}

func BenchmarkAggregateAdd(b *testing.B) {
	x := embeddedExtractor(b)
	msgs, _ := benchMessages(b, 1)
	hits := make([][]Hit, len(msgs))
	for i, m := range msgs {
		hits[i] = x.AppendHits(nil, m)
	}
	var agg Aggregate
	var vec []float32
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		agg.Reset()
		for i := range msgs {
			agg.Add(Message{Author: "ab"[i%2 : i%2+1], Time: t0.Add(time.Duration(i) * time.Second)}, hits[i])
		}
		vec = agg.AppendFeatures(vec[:0], "")
	}
	b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
	cpu.report(b, len(msgs), 0)
}

// BenchmarkRegexpBaseline is the naive approach: every lexicon phrase as one case-insensitive
// regexp alternation over the raw text (no normalization, no slots), for comparison.
func BenchmarkRegexpBaseline(b *testing.B) {
	x := embeddedExtractor(b)
	var alts []string
	for _, e := range x.m.Entries() {
		var words []string
		for _, f := range strings.Fields(e.Phrase) {
			switch {
			case f == "<num>":
				words = append(words, `\d+`)
			case f == "<any>":
				words = append(words, `\S+`)
			case strings.HasSuffix(f, "*"):
				words = append(words, regexp.QuoteMeta(strings.TrimSuffix(f, "*"))+`\w*`)
			default:
				words = append(words, regexp.QuoteMeta(f))
			}
		}
		alts = append(alts, strings.Join(words, `\s+`))
	}
	re, err := regexp.Compile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
	if err != nil {
		b.Fatal(err)
	}
	msgs, size := benchMessages(b, 1)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	cpu := startCPU()
	for b.Loop() {
		for _, m := range msgs {
			re.FindAllStringIndex(m, -1)
		}
	}
	b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
	cpu.report(b, len(msgs), size)
}

// BenchmarkPipeline is the default model's per-message path: normalize once, hash the normalized
// text into token ids (the default [Hasher]), match the lexicons and detect the slots.
func BenchmarkPipeline(b *testing.B) {
	x := embeddedExtractor(b)
	var h Hasher
	for _, k := range []int{1, 8} {
		msgs, size := benchMessages(b, k)
		b.Run(fmt.Sprintf("lines=%d", k), func(b *testing.B) {
			var n Normalized
			var hits []Hit
			var ids []int64
			b.ReportAllocs()
			b.SetBytes(int64(size))
			cpu := startCPU()
			for b.Loop() {
				for _, m := range msgs {
					hits = x.AppendHitsTo(hits[:0], &n, m)
					ids = h.AppendIDs(ids[:0], n.Text)
				}
			}
			b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msgs/s")
			cpu.report(b, len(msgs), size)
		})
	}
}
