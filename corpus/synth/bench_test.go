package synth

import "testing"

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		cs, err := Generate(Config{Seed: 1, N: 100})
		if err != nil {
			b.Fatal(err)
		}
		n += len(cs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "convs/s")
}
