package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// goldenExamples are the committed example chats, one golden pair (text, JSON) each.
var goldenExamples = []struct{ name, path string }{
	{"grooming_fr_whatsapp", "grooming_fr_whatsapp.txt"},
	{"grooming_en_discord", "grooming_en_discord.json"},
	{"sextortion_en_whatsapp", "sextortion_en_whatsapp.txt"},
	{"sextortion_fr_instagram", "sextortion_fr_instagram"},
	{"benign_lookalike", "benign_lookalike.jsonl"},
}

// testModel returns the model the golden tests score with: VIGIE_TEST_MODEL when set, else the
// embedded default model.
func testModel(t *testing.T) string {
	t.Helper()
	if m := os.Getenv("VIGIE_TEST_MODEL"); m != "" {
		return m
	}
	// The embedded default model, by its file, so that the flags under test stay the same.
	return "../../models/embedded/vigie.onnx"
}

// TestGoldenScore checks the summary and the JSON of `vigie score` on the example chats. The JSON
// is compared without its volatile fields (analyzed_at, vigie version, ONNX runtime) and with
// numbers rounded to 4 decimals; the pure-Go backend is used so that the engine is fixed.
func TestGoldenScore(t *testing.T) {
	model := testModel(t)
	t.Setenv("NO_COLOR", "1")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8")
	for _, ex := range goldenExamples {
		t.Run(ex.name, func(t *testing.T) {
			in := filepath.Join("..", "..", "examples", ex.path)
			stdout, stderr, code := runCLI(t, "score", "--backend", "go", "--model", model, "--fail-on", "none", in)
			require.Equal(t, exitOK, code, stderr)
			require.NotContains(t, stdout, "\x1b[", "no colour when not on a terminal")
			golden(t, filepath.Join("testdata", "golden", ex.name+".txt"), []byte(stdout))

			stdout, stderr, code = runCLI(t, "score", "--json", "--backend", "go", "--model", model, "--fail-on", "none", in)
			require.Equal(t, exitOK, code, stderr)
			var norm bytes.Buffer
			for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &v))
				require.NotEmpty(t, v["analyzed_at"])
				require.NotEmpty(t, v["vigie"])
				input := v["input"].(map[string]any)
				require.Regexp(t, `^[0-9a-f]{64}$`, input["sha256"])
				require.NotEmpty(t, input["reader"])
				delete(v, "analyzed_at")
				delete(v, "vigie")
				delete(v["model"].(map[string]any), "runtime")
				b, err := json.MarshalIndent(roundNumbers(v), "", "  ")
				require.NoError(t, err)
				norm.Write(b)
				norm.WriteByte('\n')
			}
			golden(t, filepath.Join("testdata", "golden", ex.name+".json"), norm.Bytes())
		})
	}
}

// TestHTMLHighlightsMatchJSON scores the examples and the hostile transcript into one HTML report
// and checks that each evidence item of the JSON is highlighted once.
func TestHTMLHighlightsMatchJSON(t *testing.T) {
	model := testModel(t)
	out := filepath.Join(t.TempDir(), "r.html")
	args := []string{"--backend", "go", "--model", model, "--fail-on", "none"}
	var inputs []string
	for _, ex := range goldenExamples {
		inputs = append(inputs, filepath.Join("..", "..", "examples", ex.path))
	}
	inputs = append(inputs, filepath.Join("testdata", "hostile.jsonl"))
	stdout, stderr, code := runCLI(t, append(append([]string{"score", "--json"}, args...), inputs...)...)
	require.Equal(t, exitOK, code, stderr)
	n, convs := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var v struct{ Evidence []json.RawMessage }
		require.NoError(t, json.Unmarshal([]byte(line), &v))
		n += len(v.Evidence)
		convs++
	}
	require.Positive(t, n)
	_, stderr, code = runCLI(t, append(append([]string{"score", "--html", out}, args...), inputs...)...)
	require.Equal(t, exitOK, code, stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	checkHighlights(t, string(b), n)
	require.Equal(t, convs, strings.Count(string(b), `<svg class="chart"`))
	// A conversation is named by its title and its id (the Discord example's channel).
	require.Contains(t, string(b), "<bdi>jake_plays (1189998877665544332)</bdi>")
}

// roundNumbers rounds every number to 4 decimals, so that the golden files do not depend on the
// last bits of floating point.
func roundNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = roundNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = roundNumbers(e)
		}
	case float64:
		return math.Round(x*1e4) / 1e4
	}
	return v
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/vigie -run TestGoldenScore -update")
	require.Equal(t, string(want), string(got), "golden %s differs (rerun with -update and review the diff)", path)
}

func TestSummaryColourOnlyWhenAsked(t *testing.T) {
	c := hostileConversation(t)
	r := handReport(t, c, [][3]string{{"7", "countdown", "you have 10 minutes"}, {"1", "secrecy", "it's our secret"}})
	var plain, col bytes.Buffer
	require.NoError(t, writeSummary(&plain, c, r, summaryOptions{}))
	require.NoError(t, writeSummary(&col, c, r, summaryOptions{color: true}))
	require.NotContains(t, plain.String(), "\x1b")
	require.Contains(t, col.String(), "\x1b[1;31m")
	require.Contains(t, plain.String(), "[###################.] 0.97")
	require.Contains(t, plain.String(), "ALERT: signs of sextortion")
	require.Contains(t, plain.String(), "“you have 10 minutes”")
	require.Contains(t, plain.String(), "NCMEC CyberTipline")
	// Terminal escapes from the transcript never reach the terminal.
	r.Evidence[0].Quote = "pay\x1b]0;pwned\x07\x1b[2J now \u202egnp.exe"
	plain.Reset()
	require.NoError(t, writeSummary(&plain, c, r, summaryOptions{}))
	require.NotContains(t, plain.String(), "\x1b")
	require.NotContains(t, plain.String(), "\u202e")
	require.Contains(t, plain.String(), "pay<U+001B>]0;pwned<U+0007><U+001B>[2J now <U+202E>gnp.exe")
}

func TestUseColor(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	var buf bytes.Buffer
	require.False(t, useColor(&buf, env(nil)), "a buffer is not a terminal")
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	require.False(t, useColor(f, env(nil)), "a regular file is not a terminal")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		require.True(t, useColor(tty, env(nil)))
		require.False(t, useColor(tty, env(map[string]string{"NO_COLOR": "1"})))
		require.False(t, useColor(tty, env(map[string]string{"TERM": "dumb"})))
	}
}

func TestReportLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, "en"},
		{"LANG French", map[string]string{"LANG": "fr_FR.UTF-8"}, "fr"},
		{"LANG Belgian French", map[string]string{"LANG": "fr_BE"}, "fr"},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "fr_CA", "LANG": "de_DE"}, "fr"},
		{"C locale", map[string]string{"LANG": "C.UTF-8"}, "en"},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, systemLang(env(tc.env))) })
	}
	require.Equal(t, "en", reportLang("en", "fr"), "the flag wins")
	require.Equal(t, "fr", reportLang("", "fr"), "then the conversation's language")
	t.Setenv("LC_ALL", "fr_FR.UTF-8")
	require.Equal(t, "fr", reportLang("", "es"), "then the locale, for a language without advice")
	require.Equal(t, "fr", reportLang("", ""), "and for an unknown language")
}

func TestLocalize(t *testing.T) {
	r := &detect.Report{Lang: "en", Sextortion: detect.HeadScore{Flagged: true},
		Legal: []detect.LegalRef{{ID: "fr-312-10", Name: "Blackmail (chantage)"}}}
	localize(r, "fr")
	require.Equal(t, "fr", r.Lang)
	require.Equal(t, detect.Disclaimer("fr"), r.Disclaimer)
	require.Contains(t, r.Advice.Title, "sextorsion")
	require.Equal(t, "Chantage", r.Legal[0].Name)
	for stage := range stageNames {
		require.NotEqual(t, stageName(stage, "fr"), stageName(stage, "en"), stage)
	}
	for k := range labelsEN {
		require.Contains(t, labelsFR, k, "French label %q", k)
	}
	for k := range labelsFR {
		require.Contains(t, labelsEN, k, "English label %q", k)
	}
}

func TestStrongestKeepsConversationOrder(t *testing.T) {
	ev := []detect.Evidence{{Cue: "a", Weight: 1}, {Cue: "b", Weight: 3}, {Cue: "c", Weight: 2}, {Cue: "d", Weight: 3}, {Cue: "e", Weight: 0.5}}
	var got []string
	for _, e := range strongest(ev, 3) {
		got = append(got, e.Cue)
	}
	require.Equal(t, []string{"b", "c", "d"}, got)
}

func TestFailOnAndLangFlags(t *testing.T) {
	_, stderr, code := runCLI(t, "score", "--lang", "de", "x.txt")
	require.Equal(t, exitError, code)
	require.Regexp(t, regexp.MustCompile(`^vigie score: --lang "de": want fr or en\n$`), stderr)
	_, stderr, code = runCLI(t, "score", "--fail-on", "maybe", "x.txt")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, `--fail-on "maybe"`)
}

// TestJSONEvidenceIsAListWithoutCues checks the contract on a conversation where no cue matches:
// evidence is [], not null.
func TestJSONEvidenceIsAListWithoutCues(t *testing.T) {
	model := testModel(t)
	in := filepath.Join(t.TempDir(), "in.jsonl")
	require.NoError(t, os.WriteFile(in, []byte(`{"id":"c","messages":[{"id":"1","author":"X","text":"boring lol"}]}`+"\n"), 0o644))
	stdout, stderr, code := runCLI(t, "score", "--json", "--backend", "go", "--model", model, "--fail-on", "none", in)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, `"evidence":[]`)
	require.Contains(t, stdout, `"timeline":[]`)
}

func TestRecap(t *testing.T) {
	head := func(score float64, flagged bool) detect.HeadScore {
		return detect.HeadScore{Score: score, Threshold: 0.8, Flagged: flagged}
	}
	items := []recapItem{
		{id: "sms-+33600000001", file: "sms.xml", lang: "fr", grooming: head(0.1, false), sextortion: head(0.2, false)},
		{id: "sms-+33600000002", file: "sms.xml", lang: "fr", grooming: head(0.85, true), sextortion: head(0.1, false), suspect: "Max"},
		{id: "sms-+33600000003", file: "sms.xml", lang: "fr", grooming: head(0.3, false), sextortion: head(0.97, true), suspect: "Jess"},
		{id: "sms-+33600000004", file: "sms.xml", lang: "fr", grooming: head(0.0, false), sextortion: head(0.0, false)},
	}
	var b bytes.Buffer
	require.NoError(t, writeRecap(&b, items, "fr", false))
	want := "== 4 conversations analysées, 2 avec alerte\n" +
		"  ! sextorsion 0.97 · sms-+33600000003 · Auteur suspecté : Jess · sms.xml\n" +
		"  ! pédopiégeage 0.85 · sms-+33600000002 · Auteur suspecté : Max · sms.xml\n" +
		"  2 sans alerte\n"
	require.Equal(t, want, b.String(), "flagged ones first, highest risk first; the others counted")

	b.Reset()
	require.NoError(t, writeRecap(&b, []recapItem{items[0], items[3]}, "en", false))
	require.Equal(t, "== 2 conversations scored, 0 flagged\n  No conversation was flagged.\n", b.String())

	env := func(k string) string { return map[string]string{"LANG": "en_GB.UTF-8"}[k] }
	require.Equal(t, "fr", recapLang("", items, env), "the conversations' shared language")
	require.Equal(t, "en", recapLang("", []recapItem{{lang: "fr"}, {lang: "en"}}, env), "mixed: the system's")
	require.Equal(t, "fr", recapLang("fr", []recapItem{{lang: "en"}}, env), "--lang wins")
}

func TestSummaryHeaderCountsOneMessage(t *testing.T) {
	c := hostileConversation(t)
	r := handReport(t, c, nil)
	for _, tc := range []struct {
		n    int
		want string
	}{{1, " · 1 message"}, {2, " · 2 messages"}} {
		r.Messages = tc.n
		var b bytes.Buffer
		require.NoError(t, writeSummary(&b, c, r, summaryOptions{}))
		header, _, _ := strings.Cut(b.String(), "\n")
		require.True(t, strings.HasSuffix(header, tc.want), "%q", header)
	}
}

func TestSummaryHeaderNamesTheFormatWithoutPlatform(t *testing.T) {
	c := hostileConversation(t)
	r := handReport(t, c, nil)
	r.Platform = ""
	c.Source.Format = corpus.FormatText
	var b bytes.Buffer
	require.NoError(t, writeSummary(&b, c, r, summaryOptions{}))
	header, _, _ := strings.Cut(b.String(), "\n")
	require.Contains(t, header, " · text · ")
	c.Source.Format = ""
	b.Reset()
	require.NoError(t, writeSummary(&b, c, r, summaryOptions{}))
	header, _, _ = strings.Cut(b.String(), "\n")
	require.Contains(t, header, " · ? · ")
}

func TestConvLabel(t *testing.T) {
	require.Equal(t, "jake_plays (1189998877665544332)", convLabel("1189998877665544332", "jake_plays"))
	require.Equal(t, "c-1", convLabel("c-1", ""))
	require.Equal(t, "c-1", convLabel("c-1", "  "))
	require.Equal(t, "WhatsApp Chat with Sam", convLabel("WhatsApp Chat with Sam", "Sam"), "the id already says it")
}
