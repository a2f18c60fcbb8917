package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestNoArgsIsUsageError(t *testing.T) {
	_, stderr, code := runCLI(t)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "Usage: vigie COMMAND")
}

func TestUnknownCommand(t *testing.T) {
	_, stderr, code := runCLI(t, "frobnicate")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, `unknown command "frobnicate"`)
}

func TestParseJSONLKeepsIdsAndCountsOnStderr(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	require.NoError(t, os.WriteFile(in, []byte(
		`{"id":"c-1","platform":"test","messages":[{"id":"1","author":"A","text":"salut"}]}`+"\n"+
			`{"id":"c-2","messages":[{"id":"m1","author":"X","text":"hey"},{"id":"m2","author":"Y","text":"yo"}]}`+"\n"), 0o644))
	stdout, stderr, code := runCLI(t, "parse", in)
	require.Equal(t, exitOK, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2)
	var c struct {
		ID       string `json:"id"`
		Messages []struct{ ID, Author, Text string }
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &c))
	require.Equal(t, "c-2", c.ID)
	require.Len(t, c.Messages, 2)
	require.Contains(t, stderr, "2 conversations, 3 messages from 1 file (0 problems, 0 failed)")
}

func TestInputStatsSingular(t *testing.T) {
	s := inputStats{files: 2, conversations: 1, messages: 1, problems: 1, failed: 1}
	require.Equal(t, "1 conversation, 1 message from 2 files (1 problem, 1 failed)", s.String())
}

func TestParseOutputFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	out := filepath.Join(dir, "out.jsonl")
	require.NoError(t, os.WriteFile(in, []byte(`{"id":"a","messages":[]}`+"\n"), 0o644))
	stdout, _, code := runCLI(t, "parse", "-q", "-o", out, in)
	require.Equal(t, exitOK, code)
	require.Empty(t, stdout)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Contains(t, string(b), `"id":"a"`)
}

func TestParseUnreadableInputIsPositionedErrorAndKeepsOthers(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.bin")
	good := filepath.Join(dir, "good.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte{0, 1, 2, 3, 4}, 0o644))
	require.NoError(t, os.WriteFile(good, []byte(`{"id":"g","messages":[]}`+"\n"), 0o644))
	stdout, stderr, code := runCLI(t, "parse", bad, good, filepath.Join(dir, "missing.txt"))
	require.Equal(t, exitError, code)
	require.Contains(t, stdout, `"id":"g"`, "what could be read is still written")
	require.Contains(t, stderr, "bad.bin")
	require.Contains(t, stderr, "missing.txt")
	require.NotContains(t, stderr, "goroutine", "no Go panic output")
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		require.True(t, strings.HasPrefix(l, "vigie"), "every stderr line is a vigie message: %q", l)
	}
}

func TestParseBadJSONLLineIsWarningWithLine(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	require.NoError(t, os.WriteFile(in, []byte("{\"id\":\"a\",\"messages\":[]}\n{oops\n{\"id\":\"b\",\"messages\":[]}\n"), 0o644))
	stdout, stderr, code := runCLI(t, "parse", in)
	require.Equal(t, exitOK, code)
	require.Equal(t, 2, strings.Count(stdout, "\n"))
	require.Contains(t, stderr, "in.jsonl:2:")
}

func TestParseFlagErrors(t *testing.T) {
	_, stderr, code := runCLI(t, "parse", "--format", "nope", "x")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, `unknown format "nope"`)
	_, _, code = runCLI(t, "parse", "--tz", "Mars/Olympus", "x")
	require.Equal(t, exitError, code)
	_, _, code = runCLI(t, "parse")
	require.Equal(t, exitError, code)
	_, _, code = runCLI(t, "parse", "-h")
	require.Equal(t, exitOK, code)
}

func TestFlagsAfterFiles(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	out := filepath.Join(dir, "out.jsonl")
	require.NoError(t, os.WriteFile(in, []byte(`{"id":"a","messages":[]}`+"\n"), 0o644))
	stdout, _, code := runCLI(t, "parse", in, "-q", "-o", out)
	require.Equal(t, exitOK, code)
	require.Empty(t, stdout, "-o after the file name is honoured")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Contains(t, string(b), `"id":"a"`)
	// After "--", a name that looks like a flag is a file.
	_, stderr, code := runCLI(t, "parse", "-q", "--", "-o")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "-o")
}

// TestSynthExcerpts checks `vigie synth --excerpts`: positives come as their excerpts (short, id
// suffixed), benign look-alikes whole, and the output parses back.
func TestSynthExcerpts(t *testing.T) {
	whole, _, code := runCLI(t, "synth", "-n", "60", "-seed", "4")
	require.Equal(t, exitOK, code)
	short, stderr, code := runCLI(t, "synth", "-n", "60", "-seed", "4", "--excerpts")
	require.Equal(t, exitOK, code, stderr)
	type conv struct {
		ID       string            `json:"id"`
		Label    string            `json:"label"`
		Messages []json.RawMessage `json:"messages"`
	}
	read := func(s string) map[string]conv {
		m := map[string]conv{}
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			var c conv
			require.NoError(t, json.Unmarshal([]byte(l), &c))
			m[c.ID] = c
		}
		return m
	}
	w, x := read(whole), read(short)
	excerpts := 0
	for id, c := range w {
		if c.Label == "benign" {
			require.Equal(t, c, x[id], "benign conversations are written whole")
			continue
		}
		e, ok := x[id+"-excerpt"]
		require.True(t, ok, "%s: no excerpt", id)
		excerpts++
		require.Equal(t, c.Label, e.Label)
		require.Less(t, len(e.Messages), len(c.Messages), id)
		require.GreaterOrEqual(t, len(e.Messages), 6, id)
	}
	require.Greater(t, excerpts, 20)
	require.Len(t, x, len(w), "every positive of this set has an excerpt")
}
