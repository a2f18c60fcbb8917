package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEvalFilesCLI evaluates the floor set's files without the shared corpora: the report holds
// both heads, the model's headline, and a note saying that the rule baseline's thresholds were not
// calibrated (so its thresholded rows flag everything and only its AUCs compare).
func TestEvalFilesCLI(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"eval", "--backend", "go", "--out", dir, "--root", filepath.Join(dir, "no-corpora")}, testModelArgs(t, dir)...)
	floor := filepath.Join("..", "..", "detect", "testdata", "floor")
	stdout, stderr, code := runCLI(t, append(args, filepath.Join(floor, "en.jsonl"), filepath.Join(floor, "fr.jsonl"))...)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "grooming head, lang=fr")
	require.NotContains(t, stdout, "VTPAN", "no VTPAN rows in these files")
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	var rep struct {
		Model struct {
			Heads []struct{ Head string } `json:"heads"`
		} `json:"model"`
		Rule struct {
			Notes []string `json:"notes"`
		} `json:"lexicon_rule"`
	}
	require.NoError(t, json.Unmarshal(b, &rep))
	require.Len(t, rep.Model.Heads, 2)
	require.True(t, strings.Contains(strings.Join(rep.Rule.Notes, "\n"), "not calibrated"), rep.Rule.Notes)
}

// testModelArgs returns the --model flag of the test model written into dir, or nothing when
// the build's embedded model is used.
func testModelArgs(t *testing.T, dir string) []string {
	t.Helper()
	m, err := streamModel()
	require.NoError(t, err)
	if m == nil {
		return nil
	}
	p := filepath.Join(dir, "model.onnx")
	require.NoError(t, os.WriteFile(p, m, 0o644))
	return []string{"--model", p}
}
