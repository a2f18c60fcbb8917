package detect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAdviceFor(t *testing.T) {
	// Words each advice must carry, by language: the police advice (do not pay, no more images,
	// no meeting, keep the evidence, report) for the heads flagged.
	type want struct {
		lang       string
		grooming   bool
		sextortion bool
		has        []string
		hasNot     []string
	}
	tests := []struct {
		name string
		want
	}{
		{"fr none", want{"fr", false, false, []string{"Aucune alerte", "3018"}, []string{"Ne paie pas"}}},
		{"fr grooming", want{"fr", true, false, []string{"rendez-vous", "Garde les preuves", "PHAROS"}, []string{"Ne paie pas", "THESEE"}}},
		{"fr sextortion", want{"fr", false, true, []string{"Ne paie pas", "Garde les preuves", "THESEE"}, []string{"rendez-vous"}}},
		{"fr both", want{"fr", true, true, []string{"Ne paie pas", "rendez-vous", "secrets", "Garde les preuves", "THESEE", "PHAROS", "Child Focus"}, nil}},
		{"en none", want{"en", false, false, []string{"Nothing flagged"}, []string{"Do not pay"}}},
		{"en grooming", want{"en", true, false, []string{"agree to meet", "Keep the evidence", "CyberTipline"}, []string{"Do not pay"}}},
		{"en sextortion", want{"en", false, true, []string{"Do not pay", "Keep the evidence", "Take It Down"}, []string{"agree to meet"}}},
		{"en both", want{"en", true, true, []string{"Do not pay", "agree to meet", "Secrets", "Keep the evidence", "Take It Down", "Child Focus"}, nil}},
		{"other language gives English", want{"de", true, true, []string{"Do not pay", "agree to meet"}, nil}},
	}
	titles := map[string]string{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := AdviceFor(tc.lang, tc.grooming, tc.sextortion)
			require.NotEmpty(t, a.Title)
			require.NotEmpty(t, a.Contacts)
			require.NotEmpty(t, a.Note)
			text := a.Title + "\n" + strings.Join(a.Steps, "\n")
			for _, s := range a.Steps {
				require.NotEmpty(t, strings.TrimSpace(s))
			}
			low := strings.ToLower(text)
			for _, w := range tc.has {
				require.Contains(t, low, strings.ToLower(w), "advice %q", a.Title)
			}
			for _, w := range tc.hasNot {
				require.NotContains(t, low, strings.ToLower(w), "advice %q", a.Title)
			}
			if tc.lang == "fr" || tc.lang == "en" {
				key := a.Title
				if prev, ok := titles[key]; ok {
					t.Fatalf("%s has the same title as %s: %q", tc.name, prev, key)
				}
				titles[key] = tc.name
			}
		})
	}
}
