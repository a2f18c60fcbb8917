// Command vigie detects online child grooming and sextortion in chat transcripts.
//
// Usage:
//
//	vigie parse [flags] FILE...      convert chat exports to canonical JSONL
//	vigie features [flags] FILE...   the cues of each message and the feature vector (JSON Lines)
//	vigie score [flags] FILE...      a verdict per conversation; --json, --html out.html
//	vigie eval [flags] [FILE...]     measure on labeled files and/or --split test; --early replays
//	vigie serve [flags]              HTTP API: analyze, streaming sessions with alerts, metrics
//	vigie worker [flags]             NATS JetStream scale-out of streaming sessions
//	vigie train [flags]              train, calibrate and write a model (ONNX)
//	vigie modelcard [flags]          the model card, from the model and eval reports
//	vigie datasets list|export       the shared corpora and their fixed splits
//	vigie synth [flags]              seeded synthetic conversations (marked synthetic)
//	vigie version                    versions
//
// Flags may come before or after the file names; "vigie COMMAND -h" lists them. Exit codes: 0
// success (nothing flagged), 1 something flagged (score, see --fail-on), 2 usage or input error,
// reported in one line that names the file and the position. Vigie never prints message text in
// its logs or warnings.
package main
