package features

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCueInNamesTheSamePhraseOfAnotherLanguage(t *testing.T) {
	x, err := New(Options{})
	require.NoError(t, err)
	m := x.Matcher()
	var de, en, fr string
	for _, e := range m.Entries() {
		if e.Phrase == "paysafecard" && e.Stage == StagePaymentDemand {
			switch e.Lang {
			case "de":
				de = e.Cue
			case "en":
				en = e.Cue
			case "fr":
				fr = e.Cue
			}
		}
	}
	require.NotEmpty(t, de)
	require.NotEmpty(t, en)
	require.NotEmpty(t, fr)
	require.Equal(t, en, m.CueIn(de, "en"))
	require.Equal(t, fr, m.CueIn(de, "fr"))
	require.Equal(t, de, m.CueIn(en, "de"))
	require.Equal(t, en, m.CueIn(en, "en"))
	require.Equal(t, de, m.CueIn(de, "xx"), "no entry in that language: the cue itself")
	require.Equal(t, "slot/age", m.CueIn("slot/age", "fr"), "not a lexicon cue: unchanged")
	// A phrase of one language only stays as it is.
	for _, e := range m.Entries() {
		if e.Lang == "fr" && e.Phrase == "envoie moi le code" {
			require.Equal(t, e.Cue, m.CueIn(e.Cue, "en"))
		}
	}
}
