package features

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// benchLines returns the chat lines of testdata/tokenizer/bench_lines.txt (100 French, 100 English).
func benchLines(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/tokenizer/bench_lines.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

func totalBytes(lines []string) (n int) {
	for _, l := range lines {
		n += len(l)
	}
	return n
}

// BenchmarkHasher tokenizes the benchmark lines, lower-cased beforehand as the normalizer would,
// with the default configuration and cheaper ones. One op is the whole set of lines.
func BenchmarkHasher(b *testing.B) {
	lines := benchLines(b)
	for i, l := range lines {
		lines[i] = strings.ToLower(l)
	}
	configs := []struct {
		name string
		h    Hasher
	}{
		{"default", Hasher{}},
		{"chars=3-5/all-words", Hasher{MinCharWordLen: 1}},
		{"chars=3-4", Hasher{MinN: 3, MaxN: 4}},
		{"words+bigrams", Hasher{MaxN: -1}},
	}
	for _, cfg := range configs {
		b.Run(cfg.name, func(b *testing.B) {
			h := cfg.h
			dst := make([]int64, 0, 4096)
			ids := 0
			for _, l := range lines {
				ids += len(h.AppendIDsString(dst[:0], l))
			}
			b.SetBytes(int64(totalBytes(lines)))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					dst = h.AppendIDsString(dst[:0], l)
				}
			}
			b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64(ids)/float64(len(lines)), "ids/msg")
		})
	}
}

// BenchmarkHFTokenizer encodes the same lines (raw: the tokenizer.json normalizes) with the sugarme
// WordPiece path and the 60-token test vocabulary of testdata/tokenizer/wordpiece_tiny.json. A real
// 30k vocabulary is slower still (DEPENDENCY-NOTES: about 130 µs per message); read this as a
// relative anchor beside BenchmarkHasher.
func BenchmarkHFTokenizer(b *testing.B) {
	lines := benchLines(b)
	tk := loadTiny(b, HFOptions{Instances: 1}, nil)
	dst := make([]int64, 0, 1024)
	b.SetBytes(int64(totalBytes(lines)))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			var err error
			if dst, err = tk.Encode(l, dst[:0]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "msgs/s")
}
