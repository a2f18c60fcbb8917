package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writeDiscordPackage writes, under a temporary folder, the Discord data package that the account
// of one author of a DiscordChatExporter export would get: that author's messages only.
func writeDiscordPackage(t *testing.T, export, owner string) string {
	t.Helper()
	b, err := os.ReadFile(export)
	require.NoError(t, err)
	var dce struct {
		Channel  struct{ ID string }
		Messages []struct {
			ID, Timestamp, Content string
			Author                 struct{ Name string }
		}
	}
	require.NoError(t, json.Unmarshal(b, &dce))
	var msgs []map[string]any
	for _, m := range dce.Messages {
		if m.Author.Name == owner {
			ts := strings.Replace(m.Timestamp[:19], "T", " ", 1) // the exporter's times are UTC here
			msgs = append(msgs, map[string]any{"ID": json.Number(m.ID), "Timestamp": ts, "Contents": m.Content, "Attachments": ""})
		}
	}
	require.NotEmpty(t, msgs)
	dir := t.TempDir()
	files := map[string]any{
		"Account/user.json":                              map[string]string{"id": "1", "username": owner},
		"Messages/index.json":                            map[string]string{dce.Channel.ID: "Direct Message with someone#0"},
		"Messages/c" + dce.Channel.ID + "/channel.json":  map[string]any{"id": dce.Channel.ID, "type": "DM"},
		"Messages/c" + dce.Channel.ID + "/messages.json": msgs,
	}
	for name, v := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		b, err := json.Marshal(v)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	return dir
}

// TestScoreOneSided: a Discord data package holds the owner's messages only. On the package of
// the example's groomer, detect still flags grooming from his messages, and would name him, the
// only author, as the suspect: the same rule would name a child whose own replies were flagged.
// vigie score names no suspect from one side of a conversation and says why, flagged or not.
func TestScoreOneSided(t *testing.T) {
	model := testModel(t)
	export := filepath.Join("..", "..", "examples", "grooming_en_discord.json")
	args := []string{"score", "--json", "--backend", "go", "--model", model, "--fail-on", "none"}

	stdout, stderr, code := runCLI(t, append(args, export)...)
	require.Equal(t, exitOK, code, stderr)
	var whole struct {
		Suspect  *string
		Grooming struct{ Flagged bool }
		Notes    []string
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &whole))
	require.True(t, whole.Grooming.Flagged)
	require.NotNil(t, whole.Suspect, "both sides exported: the suspect is named")
	require.Equal(t, "jake_plays", *whole.Suspect)

	for _, owner := range []string{"jake_plays", "mia.k"} {
		t.Run(owner, func(t *testing.T) {
			pkg := writeDiscordPackage(t, export, owner)
			stdout, stderr, code := runCLI(t, append(args, pkg)...)
			require.Equal(t, exitOK, code, stderr)
			require.Equal(t, 1, strings.Count(stderr, "holds only the account owner's messages"), "the warning once: %s", stderr)
			var one struct {
				Suspect  *string
				Grooming struct{ Flagged bool }
				Authors  []struct{ Author string }
				Notes    []string
				Input    struct{ Reader string }
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &one))
			require.Nil(t, one.Suspect, "no suspect from one side")
			require.Len(t, one.Authors, 1)
			require.Equal(t, owner, one.Authors[0].Author)
			require.Equal(t, "discord-package/1", one.Input.Reader)
			require.NotEmpty(t, one.Notes)
			require.Contains(t, one.Notes[len(one.Notes)-1], "only the account owner's messages")
			if owner == "jake_plays" {
				require.True(t, one.Grooming.Flagged, "his messages alone still carry the grooming")
			}
		})
	}
	// In French, and in the summary.
	pkg := writeDiscordPackage(t, export, "jake_plays")
	stdout, _, code = runCLI(t, "score", "--lang", "fr", "--backend", "go", "--model", model, "--fail-on", "none", pkg)
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "ne contient que les messages du titulaire du compte")
	require.NotContains(t, stdout, "Auteur suspecté")
}
