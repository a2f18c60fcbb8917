package features

import (
	"bufio"
	"math"
	"os"
	"strings"
	"testing"
)

type langLine struct{ lang, text string }

func langLines(tb testing.TB) []langLine {
	tb.Helper()
	f, err := os.Open("testdata/lang/sentences.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var lines []langLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lang, text, ok := strings.Cut(l, "\t")
		if !ok {
			tb.Fatalf("bad line %q", l)
		}
		lines = append(lines, langLine{lang, text})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

func TestLangProfilesParse(t *testing.T) {
	p, err := parseLangProfiles(langProfilesText)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.words) < 7*80 || len(p.suffixes) < 40 || len(p.chars) < 20 {
		t.Errorf("profiles too small: %d words, %d suffixes, %d chars", len(p.words), len(p.suffixes), len(p.chars))
	}
	// Accent-folded variants are added.
	for _, w := range []string{"ete", "tambien", "fur", "gia", "nao", "weiss"} {
		if _, ok := p.words[w]; !ok {
			t.Errorf("folded word %q missing", w)
		}
	}
	bad := []string{"xx w le", "fr w", "fr q le", "fr w Le", "fr c e", "fr c ab", "fr g e", "fr g abcde"}
	for _, b := range bad {
		if _, err := parseLangProfiles(b); err == nil {
			t.Errorf("parseLangProfiles(%q) accepted", b)
		}
	}
}

// TestDetectLangAccuracy measures DetectLang on testdata/lang/sentences.tsv (32 lines per language)
// as written and accent-folded, and fails below the recorded floors.
func TestDetectLangAccuracy(t *testing.T) {
	lines := langLines(t)
	for _, folded := range []bool{false, true} {
		var long, longOK, all, allOK, unsure int
		confusion := map[string]int{}
		for _, l := range lines {
			text := l.text
			if folded {
				text = foldLatin(strings.ToLower(text))
			}
			got, conf := DetectLang(text)
			if got != "" && (conf <= 0 || conf > 1) {
				t.Errorf("DetectLang(%q) confidence %v", text, conf)
			}
			all++
			if got == l.lang {
				allOK++
			} else {
				confusion[l.lang+"->"+got]++
				if got == "" {
					unsure++
				}
				t.Logf("folded=%v %s: %q -> %q %.2f", folded, l.lang, text, got, conf)
			}
			if len(strings.Fields(text)) >= 4 {
				long++
				if got == l.lang {
					longOK++
				}
			}
		}
		accLong := float64(longOK) / float64(long)
		accAll := float64(allOK) / float64(all)
		t.Logf("folded=%v: %d/%d = %.3f on lines of >= 4 words; %d/%d = %.3f on all lines (%d unsure); errors %v",
			folded, longOK, long, accLong, allOK, all, accAll, unsure, confusion)
		floor := 0.9
		if accLong < floor {
			t.Errorf("folded=%v: accuracy %.3f on lines of >= 4 words, floor %.2f", folded, accLong, floor)
		}
	}
}

func TestDetectLangUnsure(t *testing.T) {
	for _, s := range []string{"", "ok", "14", "😘😘", "hmm", "xD", "...", "\xff\xfe", "zzzzzzzz", strings.Repeat("a", 100)} {
		if lang, conf := DetectLang(s); lang != "" || conf != 0 {
			t.Errorf("DetectLang(%q) = %q, %v; want unsure", s, lang, conf)
		}
	}
}

func TestDetectLangCases(t *testing.T) {
	tests := []struct{ in, want string }{
		{"J'AI FINI MES DEVOIRS", "fr"},
		{"Ça Va Très Bien Merci", "fr"},
		{"what are you doing", "en"},
		{"¿Dónde estás ahora?", "es"},
		{"Schöne Grüße aus München", "de"},
		{"ik weet het niet", "nl"},
		{"non lo so perché", "it"},
		{"não sei o que fazer", "pt"},
		{"tkt jsp mdr", "fr"},
		{"wyd lol idk", "en"},
	}
	for _, tt := range tests {
		if got, _ := DetectLang(tt.in); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got, _ := DetectLangBytes([]byte(tt.in)); got != tt.want {
			t.Errorf("DetectLangBytes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLangCounter(t *testing.T) {
	var c LangCounter
	if lang, _ := c.Best(); lang != "" {
		t.Errorf("empty counter: %q", lang)
	}
	// Each line alone is too short to decide; together they are French.
	for _, m := range []string{"ok", "mdr", "tu es là", "😂", "oui", "à demain"} {
		c.Add(m)
	}
	if lang, conf := c.Best(); lang != "fr" || conf < 0.5 {
		t.Errorf("French conversation: %q %.2f", lang, conf)
	}
	if c.Messages() != 6 {
		t.Errorf("Messages() = %d", c.Messages())
	}
	// One long English message does not outweigh many French ones.
	for range 3 {
		c.Add("salut tu fais quoi ce soir")
	}
	c.AddBytes([]byte(strings.Repeat("the cat and the dog are in the house with you and me ", 50)))
	if lang, _ := c.Best(); lang != "fr" {
		t.Errorf("after one long English message: %q", lang)
	}
	c.Reset()
	if lang, _ := c.Best(); lang != "" || c.Messages() != 0 {
		t.Errorf("after Reset: %q, %d", lang, c.Messages())
	}
}

func TestDetectLangZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	lines := []string{"Ça Va Très Bien Merci", "what are you doing", strings.Repeat("Schöne Grüße ", 100), "\xff"}
	b := []byte("non lo so perché")
	var c LangCounter
	allocs := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			DetectLang(l)
			c.Add(l)
		}
		DetectLangBytes(b)
		c.Best()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}

func BenchmarkDetectLang(b *testing.B) {
	lines := benchLines(b)
	langData() // load the profiles outside the timed loop
	b.SetBytes(int64(totalBytes(lines)))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			DetectLang(l)
		}
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "msgs/s")
}

func FuzzDetectLang(f *testing.F) {
	for _, s := range []string{"salut ça va", "what are you doing", "¿Dónde estás?", "zzzz", "\xff\xc3", "ÉCOLE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lang, conf := DetectLang(s)
		if (lang == "") != (conf == 0) || conf < 0 || conf > 1 {
			t.Fatalf("DetectLang(%q) = %q, %v", s, lang, conf)
		}
		var c LangCounter
		c.Add(s)
		// Scaling one message's evidence changes neither the winner nor its share, up to rounding
		// when the share is at the threshold.
		var sc langScores
		sc.add(langData(), s)
		var top, total float32
		for _, v := range sc {
			top, total = max(top, v), total+v
		}
		if total > 0 && math.Abs(float64(top/total-LangMinShare)) < 1e-4 {
			return
		}
		if l2, _ := c.Best(); l2 != lang {
			t.Fatalf("LangCounter says %q, DetectLang %q on %q", l2, lang, s)
		}
	})
}

func TestShortTableMatchesMap(t *testing.T) {
	p := langData()
	for name, tc := range map[string]struct {
		m   map[string]langMask
		tab *shortTable
	}{"suffixes": {p.suffixes, &p.suffixTab}, "grams": {p.grams, &p.gramTab}} {
		for s, want := range tc.m {
			if got, ok := tc.tab.get(packShort(s)); !ok || got != want {
				t.Errorf("%s: %q = %v, %v; want %v", name, s, got, ok, want)
			}
		}
		for _, s := range []string{"zz_q", "qqq", "xy", "é_"} {
			if _, inMap := tc.m[s]; !inMap {
				if _, ok := tc.tab.get(packShort(s)); ok {
					t.Errorf("%s: %q found but not listed", name, s)
				}
			}
		}
	}
}
