package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// TestLatencyF1HandComputed checks the latency-weighted F1 on results computed by hand.
func TestLatencyF1HandComputed(t *testing.T) {
	nan := math.NaN()
	rs := []earlyResult{
		{ID: "a", Label: corpus.LabelGrooming, Messages: 10, First: [2]int{1, 0}, Minutes: [2]float64{0, nan}, Alerts: [2]int{1, 0}},
		{ID: "b", Label: corpus.LabelGrooming, Messages: 20, First: [2]int{11, 0}, Minutes: [2]float64{30, nan}, Alerts: [2]int{2, 0}},
		{ID: "c", Label: corpus.LabelGrooming, Messages: 30, Minutes: [2]float64{nan, nan}},
		{ID: "d", Label: corpus.LabelBenign, Messages: 8, First: [2]int{3, 0}, Minutes: [2]float64{nan, nan}, Alerts: [2]int{1, 0}},
		{ID: "e", Label: corpus.LabelBenign, Messages: 8, Minutes: [2]float64{nan, nan}},
		{ID: "f", Label: corpus.LabelSextortion, Messages: 6, First: [2]int{0, 4}, Minutes: [2]float64{nan, 2}, Alerts: [2]int{0, 1}},
	}
	// p = ln 3 / 10: penalty(11) = -1 + 2/(1+1/3) = 0.5 exactly, penalty(1) = 0.
	p := math.Log(3) / 10
	require.InDelta(t, 0.5, latencyPenalty(11, p), 1e-12)
	require.InDelta(t, 0, latencyPenalty(1, p), 1e-12)
	g := scoreEarly(rs, earlyTasks[0], p)
	require.Equal(t, 3, g.Positives)
	require.Equal(t, 2, g.Negatives) // the sextortion conversation is not a grooming negative
	require.Equal(t, [3]int{2, 1, 1}, [3]int{g.TP, g.FP, g.FN})
	require.InDelta(t, 2.0/3, g.F1, 1e-12)      // precision 2/3, recall 2/3
	require.InDelta(t, 0.75, g.Speed, 1e-12)    // 1 - median(0, 0.5)
	require.InDelta(t, 0.5, g.LatencyF1, 1e-12) // 2/3 × 0.75
	require.InDelta(t, 11, g.PenaltyHalfAt, 1e-9)
	require.Equal(t, 6.0, float64(g.MedianMessagesToAlert)) // median(1, 11)
	require.Equal(t, 15.0, float64(g.MedianMinutesToAlert)) // median(0, 30)
	require.Equal(t, 9.0, float64(g.MedianMessagesAfter))   // median(10-1, 20-11)
	// Default p: penalty 0.5 at the median length of the positives (10, 20, 30 → 20).
	gd := scoreEarly(rs, earlyTasks[0], 0)
	require.InDelta(t, math.Log(3)/19, gd.P, 1e-12)
	require.InDelta(t, 0.5, latencyPenalty(20, gd.P), 1e-12)
	// Sextortion: one positive, warned at message 4; negatives are the benign and grooming ones.
	x := scoreEarly(rs, earlyTasks[1], p)
	require.Equal(t, [4]int{1, 5, 1, 0}, [4]int{x.Positives, x.Negatives, x.TP, x.FP})
	require.InDelta(t, 1-latencyPenalty(4, p), x.Speed, 1e-12)
	rep := buildEarlyReport(rs, p, detect.ModelInfo{}, detect.SessionOptions{MinMessages: 1})
	require.Equal(t, 2, rep.Benign)
	require.Equal(t, 1, rep.FalseAlerts)
	require.InDelta(t, 500, rep.FalseAlertsPer1000, 1e-9)
	require.InDelta(t, 0.5, rep.BenignAlerted, 1e-9)
	b, err := json.Marshal(rep)
	require.NoError(t, err, "NaN medians must be written as null")
	require.Contains(t, string(b), `"latency_weighted_f1":0.5`)
}

func TestEarlyArgs(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		ok   bool
	}{
		{[]string{"--early", "a.jsonl"}, []string{"a.jsonl"}, true},
		{[]string{"--model", "m", "-early"}, []string{"--model", "m"}, true},
		{[]string{"a.jsonl"}, []string{"a.jsonl"}, false},
		{[]string{"--", "--early"}, []string{"--", "--early"}, false},
	} {
		got, ok := earlyArgs(tc.in)
		require.Equal(t, tc.ok, ok, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

// TestEvalEarlyCLI replays the floor set through `vigie eval --early` and checks the report
// against a replay done here.
func TestEvalEarlyCLI(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"eval", "--early", "--backend", "go", "--out", dir}, testModelArgs(t, dir)...)
	floor := filepath.Join("..", "..", "detect", "testdata", "floor")
	stdout, stderr, code := runCLI(t, append(args, filepath.Join(floor, "en.jsonl"), filepath.Join(floor, "fr.jsonl"))...)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "any: latency-weighted F1")
	require.Contains(t, stdout, "per 1,000 benign conversations")
	var rep earlyReport
	b, err := os.ReadFile(filepath.Join(dir, "early.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rep))
	md, err := os.ReadFile(filepath.Join(dir, "early.md"))
	require.NoError(t, err)
	require.True(t, strings.Contains(string(md), "latency-weighted F1"))

	// The same replay here.
	d := streamDetector(t)
	var rs []earlyResult
	for _, c := range floorSet(t) {
		r, err := replay(t.Context(), d, c, detect.SessionOptions{})
		require.NoError(t, err)
		rs = append(rs, r)
	}
	want := buildEarlyReport(rs, 0, d.Model(), detect.SessionOptions{MinMessages: detect.DefaultMinMessages})
	require.Equal(t, detect.DefaultMinMessages, rep.MinMessages)
	require.Equal(t, 79, rep.Conversations)
	require.Equal(t, want.FalseAlerts, rep.FalseAlerts)
	for i, task := range want.Tasks {
		got := rep.Tasks[i]
		require.Equal(t, task.TP, got.TP, task.Task)
		require.Equal(t, task.FP, got.FP, task.Task)
		require.InDelta(t, task.LatencyF1, got.LatencyF1, 1e-12, task.Task)
	}
	t.Logf("floor set: %s", strings.TrimSpace(stdout))
}
