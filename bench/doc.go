// Package bench measures Vigie's hot scoring path and compares it with peers. Nothing imports it.
//
// # Benchmarks
//
// `go test ./bench -run '^$' -bench . -benchmem` runs one benchmark per stage of the path that
// `vigie score` takes for each conversation, then the whole path:
//
//   - BenchmarkParse: the canonical JSONL reader (corpus) over conversations of 10, 100 and 1,000
//     messages;
//   - BenchmarkNormalizeTokenize: normalization and the token hasher (features);
//   - BenchmarkCues: lexicon matching and slot detection on normalized text, beside
//     BenchmarkCuesRegexp, the naive baseline (every lexicon phrase in one regexp alternation);
//   - BenchmarkFeatureVector: the conversation aggregate and its feature rows;
//   - BenchmarkScore: model rows scored at batch 1, 8, 64 and 256, by the pure-Go network and by
//     ONNX Runtime when it is installed;
//   - BenchmarkAnalyze and BenchmarkAnalyzeBatch: [detect.Detector.Analyze] and AnalyzeBatch end to end;
//   - BenchmarkLowerFloor: reading the same bytes and lower-casing them, the floor.
//
// Every benchmark reports msgs/s and MB/s (of message text) on the wall clock, and cpu-msgs/s,
// the messages per CPU-second of the process (getrusage user + system): the machine these run on
// is shared and loaded, and the wall clock counts time spent waiting for a CPU. Judge throughput
// on cpu-msgs/s.
//
// The model: the one embedded in Vigie when there is one, else the file named by
// $VIGIE_BENCH_MODEL (see `vigie train`); benchmarks that need a model skip without either.
//
// # Fixtures
//
// [Fixtures] is a deterministic pool of realistic chat messages, French and English mixed, 20 to
// 200 bytes each, cut from corpus/synth conversations and the hand-written lines of the features
// benchmarks. `go run ./bench/cmd/benchtool gen` writes them as canonical JSONL, plain text and
// fastText training files.
//
// # Peers
//
// bench/peers.sh measures, in one run on the same messages, `vigie score --json`, fastText
// predict, the sugarme/tokenizer path, a naive regexp cue matcher and the read-and-lowercase
// floor, in CPU time, and writes bench/BENCHMARKS.md.
package bench
