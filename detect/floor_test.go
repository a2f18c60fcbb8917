package detect

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
)

var updateFloor = flag.Bool("update-floor", false, "rewrite testdata/floor/FLOOR.json from the measured scores (review the diff)")

// floorScores are the measures the accuracy floor guards, per language.
type floorScores struct {
	GroomingRecall   float64 `json:"grooming_recall"`   // flagged grooming / grooming conversations
	SextortionRecall float64 `json:"sextortion_recall"` // flagged sextortion / sextortion conversations
	BenignFlagged    float64 `json:"benign_flagged"`    // benign conversations flagged by any head / benign
	SuspectRight     float64 `json:"suspect_right"`     // flagged positives whose suspect is a labeled suspect
}

type floorFile struct {
	Model  string                 `json:"model"`
	Note   string                 `json:"note"`
	Floors map[string]floorScores `json:"floors"`
}

func measureFloor(t *testing.T, det *Detector, path string) floorScores {
	r, err := corpus.Open(path, corpus.Options{})
	require.NoError(t, err)
	defer r.Close()
	var g, gf, s, sf, b, bf, pf, pr int
	for r.Next() {
		c := r.Conversation()
		rep, err := det.Analyze(context.Background(), c)
		require.NoError(t, err)
		flagged := rep.Grooming.Flagged || rep.Sextortion.Flagged
		switch c.Label {
		case corpus.LabelGrooming:
			g++
			if rep.Grooming.Flagged {
				gf++
			}
		case corpus.LabelSextortion:
			s++
			if rep.Sextortion.Flagged {
				sf++
			}
		case corpus.LabelBenign:
			b++
			if flagged {
				bf++
			}
		}
		if flagged && c.Label != corpus.LabelBenign {
			pf++
			for _, sus := range c.Suspects {
				if rep.Suspect != nil && *rep.Suspect == sus {
					pr++
				}
			}
		}
	}
	require.NoError(t, r.Err())
	require.Positive(t, g*s*b, "the floor set needs every label")
	fs := floorScores{GroomingRecall: frac(gf, g), SextortionRecall: frac(sf, s), BenignFlagged: frac(bf, b), SuspectRight: frac(pr, pf)}
	t.Logf("%s: grooming %d/%d, sextortion %d/%d, benign flagged %d/%d, suspect right %d/%d", filepath.Base(path), gf, g, sf, s, bf, b, pr, pf)
	return fs
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestAccuracyFloor scores the hand-written floor set (testdata/floor) and the hand-written
// development set of hard look-alikes (testdata/devset) with the embedded model and fails when a
// measure falls below the floor recorded in each set's FLOOR.json (or, for benign conversations,
// rises above it). The floor is the score measured when the model was committed; regenerate it
// with -update-floor only together with a new model, and review the diff. Neither set is trained
// on; their READMEs record how their errors inform design choices.
func TestAccuracyFloor(t *testing.T) {
	det, err := New(Options{Backend: BackendGo})
	require.NoError(t, err)
	defer det.Close()
	for _, set := range []string{"floor", "devset"} {
		t.Run(set, func(t *testing.T) { checkFloor(t, det, set) })
	}
}

// checkFloor measures testdata/<set> and compares it with its FLOOR.json, or rewrites the file
// under -update-floor.
func checkFloor(t *testing.T, det *Detector, set string) {
	got := floorFile{Model: det.Model().Name + " " + det.Model().Version, Floors: map[string]floorScores{},
		Note: "measured by TestAccuracyFloor -update-floor on detect/testdata/" + set + "; the test fails below these"}
	for _, lang := range []string{"en", "fr"} {
		got.Floors[lang] = measureFloor(t, det, filepath.Join("testdata", set, lang+".jsonl"))
	}
	path := filepath.Join("testdata", set, "FLOOR.json")
	if *updateFloor {
		b, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
		return
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err, "no FLOOR.json: run go test ./detect -run TestAccuracyFloor -update-floor")
	var want floorFile
	require.NoError(t, json.Unmarshal(b, &want))
	require.Len(t, want.Floors, 2, "a floor per language")
	for lang, w := range want.Floors {
		g := got.Floors[lang]
		const eps = 1e-9
		msg := fmt.Sprintf("%s %s: got %+v, floor %+v", set, lang, g, w)
		require.GreaterOrEqual(t, g.GroomingRecall+eps, w.GroomingRecall, msg)
		require.GreaterOrEqual(t, g.SextortionRecall+eps, w.SextortionRecall, msg)
		require.LessOrEqual(t, g.BenignFlagged-eps, w.BenignFlagged, msg)
		require.GreaterOrEqual(t, g.SuspectRight+eps, w.SuspectRight, msg)
	}
}

// TestHoldoutSet scores the held-out hand-written set (testdata/holdout) and only logs the
// aggregates: a pass/fail floor on it would invite iterating models until it passes, and reading
// its failing conversations, which would make it one more development set (see its README). It
// fails only when the set cannot be read or lacks a label.
func TestHoldoutSet(t *testing.T) {
	det, err := New(Options{Backend: BackendGo})
	require.NoError(t, err)
	defer det.Close()
	for _, lang := range []string{"en", "fr"} {
		measureFloor(t, det, filepath.Join("testdata", "holdout", lang+".jsonl"))
	}
}
