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

// TestEvalUnitsFile: --units writes one line per scored unit, and the report's confusion matrix
// can be recomputed from those lines.
func TestEvalUnitsFile(t *testing.T) {
	dir := t.TempDir()
	units := filepath.Join(dir, "units.jsonl")
	floor := filepath.Join("..", "..", "detect", "testdata", "floor")
	args := append([]string{"eval", "--backend", "go", "--out", dir, "--root", filepath.Join(dir, "no-corpora"), "--units", units}, testModelArgs(t, dir)...)
	_, stderr, code := runCLI(t, append(args, filepath.Join(floor, "en.jsonl"), filepath.Join(floor, "fr.jsonl"))...)
	require.Equal(t, exitOK, code, stderr)

	b, err := os.ReadFile(units)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	type line struct {
		ID         string             `json:"id"`
		Groups     map[string]string  `json:"groups"`
		Labels     map[string]bool    `json:"labels"`
		Scores     map[string]float64 `json:"scores"`
		RuleScores map[string]float64 `json:"rule_scores"`
		Flagged    map[string]bool    `json:"flagged"`
	}
	var tp, fp, tn, fn int
	ids := map[string]bool{}
	for _, l := range lines {
		var u line
		require.NoError(t, json.Unmarshal([]byte(l), &u))
		require.NotEmpty(t, u.ID)
		ids[u.ID] = true
		require.Contains(t, []string{"en", "fr"}, u.Groups["lang"])
		require.Contains(t, u.Scores, "sextortion")
		require.Contains(t, u.RuleScores, "sextortion")
		y, ok := u.Labels["grooming"]
		if !ok {
			continue
		}
		switch f := u.Flagged["grooming"]; {
		case f && y:
			tp++
		case f:
			fp++
		case y:
			fn++
		default:
			tn++
		}
	}
	require.Len(t, ids, len(lines), "one line per unit")

	rb, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	var rep struct {
		Model struct {
			Heads []struct {
				Head    string
				Overall struct {
					N         int `json:"n"`
					Confusion struct{ TP, FP, TN, FN int }
				} `json:"overall"`
			} `json:"heads"`
		} `json:"model"`
	}
	require.NoError(t, json.Unmarshal(rb, &rep))
	g := rep.Model.Heads[0]
	require.Equal(t, "grooming", g.Head)
	require.Equal(t, g.Overall.N, tp+fp+tn+fn)
	require.Equal(t, [4]int{g.Overall.Confusion.TP, g.Overall.Confusion.FP, g.Overall.Confusion.TN, g.Overall.Confusion.FN}, [4]int{tp, fp, tn, fn})
}
