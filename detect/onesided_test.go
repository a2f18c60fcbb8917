package detect

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
)

// TestOneSidedNamesNoSuspect: a conversation that holds one side only (a Discord data package
// keeps its owner's messages) is scored as any other, but its only author, the owner, is never
// named the suspect, and a note says what is missing. The same messages read as an ordinary
// conversation name him.
func TestOneSidedNamesNoSuspect(t *testing.T) {
	r, err := corpus.Open(filepath.Join("..", "examples", "grooming_en_discord.json"), corpus.Options{})
	require.NoError(t, err)
	cs, err := corpus.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	c := cs[0]
	det, err := New(Options{Backend: BackendGo})
	require.NoError(t, err)
	defer det.Close()
	full, err := det.Analyze(context.Background(), c)
	require.NoError(t, err)
	require.True(t, full.Grooming.Flagged)
	require.NotNil(t, full.Suspect)
	suspect := *full.Suspect // the author the ordinary report names

	// The suspect's side alone, as his account's data package would hold it.
	one := *c
	one.Messages = nil
	for _, m := range c.Messages {
		if m.Author == suspect {
			one.Messages = append(one.Messages, m)
		}
	}
	plain, err := det.Analyze(context.Background(), &one)
	require.NoError(t, err)
	require.False(t, plain.OneSided)
	require.NotNil(t, plain.Suspect, "read as an ordinary conversation, its one author is named")

	one.Source.Reader = "discord-package/1"
	require.True(t, corpus.OneSided(&one))
	for _, lang := range []string{"en", "fr"} {
		one.Lang = lang
		rep, err := det.Analyze(context.Background(), &one)
		require.NoError(t, err)
		require.True(t, rep.OneSided)
		require.Equal(t, plain.Grooming.Score, rep.Grooming.Score, "the scores do not change")
		require.Nil(t, rep.Suspect)
		want := "only the account owner's messages"
		if rep.Lang == "fr" {
			want = "ne contient que les messages du titulaire du compte"
		}
		require.True(t, strings.Contains(strings.Join(rep.Notes, "\n"), want), "%s: %q", lang, rep.Notes)
	}
}
