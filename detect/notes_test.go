package detect

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vigie/vigie/corpus"
)

func TestNotesFor(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		truncated int
		flat      bool
		sext      bool
		stages    []string
		want      []string // substrings, one per expected note, in order
	}{
		{name: "nothing to say", lang: "en"},
		{name: "cut messages, English", lang: "en", truncated: 2, want: []string{"2 messages were longer"}},
		{name: "cut messages, French", lang: "fr", truncated: 3, want: []string{"3 message(s) dépassaient"}},
		{name: "sextortion flagged without blackmail cues", lang: "en", sext: true,
			stages: []string{"flattery", "image_request", "reciprocity_bait"}, want: []string{"no threat, deadline"},
			// reason: the bait comes before any blackmail, it is not a threat or a demand
		},
		{name: "sextortion flagged without blackmail cues, French", lang: "fr", sext: true, truncated: 1,
			want: []string{"1 message(s)", "aucune menace"}},
		{name: "sextortion flagged with a threat", lang: "en", sext: true, stages: []string{"threat_expose"}},
		{name: "sextortion flagged with a payment demand", lang: "fr", sext: true, stages: []string{"image_request", "payment_demand"}},
		{name: "sextortion not flagged", lang: "en", stages: []string{"flattery"}},
		{name: "flat input", lang: "en", flat: true, want: []string{"one block without authors"}},
		{name: "flat input, French, cut, sextortion without blackmail", lang: "fr", flat: true, truncated: 1, sext: true,
			want: []string{"1 message(s)", "d'un seul bloc", "aucune menace"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Truncated: tc.truncated, FlatInput: tc.flat, Sextortion: HeadScore{Flagged: tc.sext}}
			for _, s := range tc.stages {
				r.Timeline = append(r.Timeline, StageEvent{Stage: s})
			}
			got := NotesFor(tc.lang, r)
			require.Len(t, got, len(tc.want), "%q", got)
			for i, w := range tc.want {
				require.Contains(t, got[i], w)
			}
		})
	}
}

// TestAnalyzeNotes: the notes of a report are in the conversation's language, and the
// sextortion note follows the stages matched in the text.
func TestAnalyzeNotes(t *testing.T) {
	// A threshold of 0 flags sextortion on any conversation, so that the note depends on the
	// stages matched only.
	det, err := New(Options{Backend: BackendGo, Thresholds: map[string]float64{HeadSextortion: 0}})
	require.NoError(t, err)
	long := strings.Repeat("on se voit demain pour le match de foot avec les copains ", 1300) // > 64 KB
	conv := func(texts ...string) *corpus.Conversation {
		c := &corpus.Conversation{ID: "c"}
		for i, s := range texts {
			c.Messages = append(c.Messages, corpus.Message{ID: string(rune('a' + i)), Author: []string{"A", "B"}[i%2], Text: s})
		}
		return c
	}

	r, err := det.Analyze(context.Background(), conv("salut, ça va ?", "oui et toi ? tu viens demain ?", long))
	require.NoError(t, err)
	require.Equal(t, "fr", r.Lang)
	require.Equal(t, 1, r.Truncated)
	require.Len(t, r.Notes, 2, "%q", r.Notes)
	require.Contains(t, r.Notes[0], "1 message(s) dépassaient")
	require.Contains(t, r.Notes[1], "aucune menace")

	r, err = det.Analyze(context.Background(), conv("salut, ça va ?", "oui",
		"envoie 100 euros en carte PCS sinon j'envoie tout à tes amis", "tu as 10 minutes"))
	require.NoError(t, err)
	require.Zero(t, r.Truncated)
	require.Empty(t, r.Notes, "a threat and a payment demand were matched")
}

// TestReportLanguages: a report says the conversation's language (declared, in any case or with a
// region, or detected) and writes its texts in French or English.
func TestReportLanguages(t *testing.T) {
	det, err := New(Options{Backend: BackendGo})
	require.NoError(t, err)
	msgs := func(texts ...string) []corpus.Message {
		var out []corpus.Message
		for i, s := range texts {
			out = append(out, corpus.Message{ID: string(rune('a' + i)), Author: []string{"A", "B"}[i%2], Text: s})
		}
		return out
	}
	for _, tc := range []struct {
		name, declared   string
		texts            []string
		convLang, report string
	}{
		{"declared with a region", "fr-BE", []string{"hello there"}, "fr", "fr"},
		{"declared in upper case", "EN", []string{"salut"}, "en", "en"},
		{"declared, another language", "es", []string{"hola, ¿qué tal?"}, "es", "en"},
		{"detected French", "", []string{"salut, tu fais quoi ce soir ?", "je suis chez moi avec mes parents, et toi ?"}, "fr", "fr"},
		{"detected English", "", []string{"hey, what are you doing tonight?", "staying home with my parents, and you?"}, "en", "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := det.Analyze(context.Background(), &corpus.Conversation{ID: "c", Lang: tc.declared, Messages: msgs(tc.texts...)})
			require.NoError(t, err)
			require.Equal(t, tc.convLang, r.ConvLang)
			require.Equal(t, tc.report, r.Lang)
			require.Equal(t, tc.report, r.Advice.Lang)
		})
	}
}
