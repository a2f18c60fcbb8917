package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// hostileConversation reads testdata/hostile.jsonl: markup, entities, RTL text, a very long line and
// terminal escapes in ids, authors and texts.
func hostileConversation(t *testing.T) *corpus.Conversation {
	t.Helper()
	r, err := corpus.Open(filepath.Join("testdata", "hostile.jsonl"), corpus.Options{})
	require.NoError(t, err)
	defer r.Close()
	require.True(t, r.Next(), "hostile.jsonl has a conversation")
	c := r.Conversation()
	require.NoError(t, r.Err())
	return c
}

// handReport builds a report by hand (no model needed): one evidence item per (message, quote),
// with byte offsets found in the text, plus the extra items given.
func handReport(t *testing.T, c *corpus.Conversation, cues [][3]string, extra ...detect.Evidence) *detect.Report {
	t.Helper()
	suspect := c.Messages[0].Author
	r := &detect.Report{ID: c.ID, Platform: c.Platform, Lang: "en", Messages: len(c.Messages), Suspect: &suspect,
		Grooming:   detect.HeadScore{Score: 0.42, Threshold: 0.9, Start: 0, End: len(c.Messages)},
		Sextortion: detect.HeadScore{Score: 0.97, Threshold: 0.1, Flagged: true, Start: 2, End: len(c.Messages)},
		Model:      detect.ModelInfo{Name: "hand", Version: "0", Schema: "schema", Engine: "go", Thresholds: map[string]float64{"grooming": 0.9, "sextortion": 0.1}},
		Advice:     detect.AdviceFor("en", false, true), Disclaimer: detect.Disclaimer("en")}
	for _, cue := range cues {
		id, stage, q := cue[0], cue[1], cue[2]
		for i, m := range c.Messages {
			if m.ID != id {
				continue
			}
			k := strings.Index(m.Text, q)
			require.GreaterOrEqual(t, k, 0, "quote %q in message %s", q, id)
			head := detect.HeadGrooming
			if stage == "payment_demand" || stage == "countdown" {
				head = detect.HeadSextortion
			}
			r.Evidence = append(r.Evidence, detect.Evidence{MessageID: id, MessageIndex: i, Author: m.Author, Stage: stage,
				Head: head, Cue: "test", Quote: q, Start: k, End: k + len(q), Weight: 1})
		}
	}
	r.Evidence = append(r.Evidence, extra...)
	r.Timeline = []detect.StageEvent{{Stage: "secrecy", Head: "grooming", MessageID: "1", Author: suspect, Count: 1, Offset: "+0 s"},
		{Stage: "countdown", Head: "sextortion", MessageID: "7", MessageIndex: 6, Author: suspect, Count: 1, Offset: "+6 min"}}
	return r
}

func renderOne(t *testing.T, c *corpus.Conversation, r *detect.Report) string {
	t.Helper()
	in := inputInfo{File: "testdata/hostile.jsonl", SHA256: fileSHA256(filepath.Join("testdata", "hostile.jsonl")), Format: "jsonl", Reader: "jsonl/1"}
	sec := newHTMLSection(1, c, r, in, time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC), "test")
	var buf bytes.Buffer
	require.NoError(t, renderHTML(&buf, &htmlDoc{Lang: "en", L: labelsFor("en"), Generated: "now", Vigie: "test", Sections: []*htmlSection{sec}}))
	return buf.String()
}

func TestHTMLEscapesHostileTranscript(t *testing.T) {
	c := hostileConversation(t)
	r := handReport(t, c, [][3]string{
		{"1", "secrecy", "it's our secret"},
		{"1", "secrecy", "<script>alert(\"pwned\")</script> hey"}, // a span made of markup
		{"3", "image_request", "send me a pic of you"},
		{"4", "risk_check", "where are your parents"},
		{"5", "risk_check", "are you alone right now"},
		{"7", "payment_demand", "pay me $500"},
		{"7", "countdown", "you have 10 minutes"},
	})
	out := renderOne(t, c, r)

	// No active content at all: the report has no script, and none of the transcript's markup survives.
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<img", "<svg onload", "<textarea", "<b>raw", "<!-- comment"} {
		if strings.Contains(lower, bad) {
			t.Fatalf("unescaped %q in the report", bad)
		}
	}
	// No tag carries an event handler or a javascript: URL.
	if m := regexp.MustCompile(`(?i)<[a-z][^>]*\s(on[a-z]+=|href="javascript:)`).FindString(out); m != "" {
		t.Fatalf("active attribute in the report: %.80s", m)
	}
	require.Contains(t, out, `&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;`)
	require.Contains(t, out, `&lt;img src=x onerror=alert(1)&gt;`)
	require.Contains(t, out, `<title>Vigie report — &lt;/title&gt;&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;</title>`)
	// Entities in the transcript are shown as typed, so they are escaped once more.
	require.Contains(t, out, `&amp;amp; &amp;lt;b&amp;gt;not bold`)
	require.Contains(t, out, `&amp;#60;script&amp;#62;`)
	// RTL text is kept verbatim, in a block whose direction follows its content.
	require.Contains(t, out, "مرحبا، كيف حالك؟")
	require.Contains(t, out, "שלום! אני בסדר.")
	require.Regexp(t, `<div class="text" dir="auto">[^<]*<sup`, out)
	// The very long line is there whole (it wraps by CSS, it is not cut).
	require.True(t, strings.Contains(out, strings.Repeat("a", 6000)), "the long line is whole")
	require.Contains(t, out, "overflow-wrap: anywhere")
	// No external asset: nothing is loaded from anywhere.
	require.NotRegexp(t, `(?i)(src|href)="(https?:)?//`, out)
	require.NotContains(t, lower, "@import")
	require.NotContains(t, lower, "url(")

	checkHighlights(t, out, len(r.Evidence))
	require.Contains(t, out, `title="asking for secrecy (secrecy, test)"`)
	require.Contains(t, out, `<svg class="chart"`)
	require.Contains(t, out, fileSHA256(filepath.Join("testdata", "hostile.jsonl")))
	require.Contains(t, out, r.Disclaimer)
	for _, contact := range []string{"NCMEC CyberTipline", "Take It Down", "Child Focus", "PHAROS"} {
		require.Contains(t, out, contact)
	}
}

// checkHighlights checks that each evidence item has exactly one stage label and appears in the
// data-ev list of at least one highlight, and that the marks are balanced.
func checkHighlights(t *testing.T, out string, n int) {
	t.Helper()
	require.Equal(t, n, strings.Count(out, `<sup class="evl `), "one stage label per evidence item")
	require.Equal(t, strings.Count(out, "<mark "), strings.Count(out, "</mark>"))
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`data-ev="([a-z0-9 -]+)"`).FindAllStringSubmatch(out, -1) {
		for _, id := range strings.Fields(m[1]) {
			ids[id] = true
		}
	}
	labelled := map[string]bool{}
	for _, m := range regexp.MustCompile(`data-evid="([a-z0-9-]+)"`).FindAllStringSubmatch(out, -1) {
		labelled[m[1]] = true
	}
	require.Len(t, labelled, n)
	for id := range labelled {
		require.True(t, ids[id], "evidence %s is labelled but not highlighted", id)
	}
}

func TestHighlightOverlapsAndBadOffsets(t *testing.T) {
	text := "é you have 10 minutes to pay"
	ev := []detect.Evidence{
		{Stage: "countdown", Head: "sextortion", Cue: "a", Start: 3, End: 22},       // "you have 10 minutes"
		{Stage: "payment_demand", Head: "sextortion", Cue: "b", Start: 12, End: 29}, // overlaps: "10 minutes to pay"
		{Stage: "secrecy", Head: "grooming", Cue: "c", Start: 1, End: 3},            // starts inside "é": moved to 0
		{Stage: "contact", Head: "grooming", Cue: "d", Start: 5, End: 500},          // out of range: label only
	}
	parts := highlight(text, ev, []int{0, 1, 2, 3}, "en", "c1-")
	var rebuilt strings.Builder
	labels := 0
	var both bool
	for _, p := range parts {
		rebuilt.WriteString(p.Text)
		labels += len(p.Labels)
		if p.EvIDs == "c1-0 c1-1" {
			both = true
		}
	}
	require.Equal(t, text, rebuilt.String(), "parts cover the text exactly once")
	require.Equal(t, 4, labels, "every evidence item gets its label")
	require.True(t, both, "the overlap is marked by both items")
	require.Equal(t, "contact", parts[0].Labels[0].Name[len(parts[0].Labels[0].Name)-7:], "the orphan label comes first")
	require.Equal(t, "é ", parts[1].Text, "a span starting mid-rune starts at the rune")
}

func TestHTMLSeveralConversationsHaveContents(t *testing.T) {
	c := hostileConversation(t)
	r := handReport(t, c, [][3]string{{"1", "secrecy", "it's our secret"}})
	in := inputInfo{File: "x"}
	at := time.Unix(0, 0)
	doc := &htmlDoc{Lang: "fr", L: labelsFor("fr"), Vigie: "t", Sections: []*htmlSection{
		newHTMLSection(1, c, r, in, at, "t"), newHTMLSection(2, c, r, in, at, "t")}}
	var buf bytes.Buffer
	require.NoError(t, renderHTML(&buf, doc))
	out := buf.String()
	require.Contains(t, out, `<nav class="toc"><h2>Sommaire</h2>`)
	require.Contains(t, out, `id="c1"`)
	require.Contains(t, out, `id="c2"`)
	require.Equal(t, 2, strings.Count(out, `<svg class="chart"`))
}

func TestHTMLEmptyConversation(t *testing.T) {
	c := &corpus.Conversation{ID: "empty"}
	r := &detect.Report{ID: "empty", Lang: "en", Advice: detect.AdviceFor("en", false, false), Disclaimer: detect.Disclaimer("en")}
	out := renderOne(t, c, r)
	require.Contains(t, out, "Nothing flagged")
	require.NotContains(t, out, `<svg class="chart"`, "no chart without messages")
}

func TestSameFileAsInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "chat.txt")
	require.NoError(t, os.WriteFile(in, []byte("x"), 0o644))
	_, same := sameFileAsInput(in, []string{in})
	require.True(t, same, "the input itself")
	_, same = sameFileAsInput(filepath.Join(dir, "new.html"), []string{dir})
	require.True(t, same, "a new file inside an input folder")
	_, same = sameFileAsInput(filepath.Join(t.TempDir(), "r.html"), []string{in, dir})
	require.False(t, same)
}

func TestScoreRefusesToWriteOverInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	body := []byte(`{"id":"a","messages":[{"id":"1","author":"A","text":"salut"}]}` + "\n")
	require.NoError(t, os.WriteFile(in, body, 0o644))
	_, stderr, code := runCLI(t, "score", "--html", in, in)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "reports never modify inputs")
	got, err := os.ReadFile(in)
	require.NoError(t, err)
	require.Equal(t, body, got)
}
