package features

import (
	"testing"
)

// TestCueTables runs every row of testdata/cues/<lang>.tsv through the embedded lexicons and the
// slot detectors: a "hit" row must produce a cue of its stage, a "nohit" row (a near miss: gamers'
// threats, New Year countdowns, a parent's gift card, classmates' ages...) must produce none of its
// stage. Rows of stage "none" say the text must raise no grooming or sextortion cue at all.
func TestCueTables(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range lexiconLangs {
		for _, r := range readCueTable(t, lang) {
			t.Run(lang+"/"+r.Name, func(t *testing.T) {
				hits := x.AppendHits(nil, r.Text)
				found := false
				var stages []string
				for _, h := range hits {
					stages = append(stages, h.Stage.String())
					if r.Stage == "none" && h.Stage != StageNone {
						found = true
					}
					if r.Stage != "none" && h.Stage.String() == r.Stage {
						found = true
					}
				}
				want := r.Expect == "hit"
				if r.Stage == "none" {
					want = false
				}
				if found != want {
					t.Errorf("testdata/cues/%s.tsv:%d %q (%s): expect %s of %s, got stages %v", lang, r.Line, r.Text, r.Reason, r.Expect, r.Stage, stages)
				}
			})
		}
	}
}
