package features

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unsafe"
)

func testMatcher(t testing.TB) (*Normalizer, *Matcher) {
	t.Helper()
	nz := newTestNormalizer(t)
	entries, err := LoadLexicons(os.DirFS("testdata/engine/lex"), nz, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(entries)
	if err != nil {
		t.Fatal(err)
	}
	return nz, m
}

type quotedHit struct {
	Cue   string
	Quote string
	Value float64
}

func walkQuotes(nz *Normalizer, m *Matcher, text string) []quotedHit {
	var n Normalized
	nz.Normalize(&n, text)
	var out []quotedHit
	m.Walk(&n, func(h Hit) bool {
		out = append(out, quotedHit{h.Cue, text[h.Start:h.End], h.Value})
		return true
	})
	return out
}

func TestMatcher(t *testing.T) {
	nz, m := testMatcher(t)
	tests := []struct {
		name, text string
		want       []quotedHit
		reason     string
	}{
		{name: "plain", text: "Ne le dis à personne!", want: []quotedHit{{"fr/secrecy:5", "Ne le dis à personne", 0}}},
		{name: "apostrophe", text: "bon, c’est notre secret ok", want: []quotedHit{{"fr/secrecy:6", "c’est notre secret", 0}}},
		{name: "prefixes", text: "Effacez la conversation", want: []quotedHit{{"fr/secrecy:7", "Effacez la conversation", 0}}},
		{name: "any", text: "supprime cette conversation", want: []quotedHit{{"fr/secrecy:8", "supprime cette conversation", 0}}},
		{name: "num value", text: "slt j'ai 13 ans", want: []quotedHit{{"fr/identity_claim:4", "j'ai 13 ans", 13}}},
		{name: "num glued", text: "jai 13ans", want: []quotedHit{{"fr/identity_claim:4", "jai 13ans", 13}}, reason: "jai is an abbreviation of j'ai; 13ans splits"},
		{name: "abbreviation in phrase", text: "send me a pic", want: []quotedHit{{"en/image_request:4", "send me a pic", 0}}},
		{name: "leet and any prefix", text: "s3nd ur ph0t0s", want: []quotedHit{{"en/image_request:5", "s3nd ur ph0t0s", 0}}},
		{name: "spaced letters", text: "send n.u.d.e.s", want: []quotedHit{{"en/image_request:6", "send n.u.d.e.s", 0}}},
		{name: "repeats", text: "seeend nuuuudes plzzz", want: []quotedHit{{"en/image_request:6", "seeend nuuuudes", 0}}},
		{name: "emoji", text: "show me 📸", want: []quotedHit{{"en/image_request:7", "show me 📸", 0}}},
		{name: "overlap", text: "please send nudes", want: []quotedHit{{"en/image_request:8", "please send", 0}, {"en/image_request:6", "send nudes", 0}}},
		{name: "mixed languages", text: "don't tell anyone, c'est notre secret", want: []quotedHit{{"en/secrecy:4", "don't tell anyone", 0}, {"fr/secrecy:6", "c'est notre secret", 0}}},
		{name: "word boundary", text: "our secrets", want: nil, reason: "exact words do not match prefixes of longer words"},
		{name: "num needs digits", text: "j'ai treize ans", want: nil},
		{name: "nothing", text: "on se voit demain au match", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := walkQuotes(nz, m, tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Walk(%q) = %+v, want %+v (%s)", tt.text, got, tt.want, tt.reason)
			}
		})
	}
}

func TestMatcherStop(t *testing.T) {
	nz, m := testMatcher(t)
	var n Normalized
	nz.Normalize(&n, "our secret our secret our secret")
	k := 0
	m.Walk(&n, func(Hit) bool { k++; return false })
	if k != 1 {
		t.Fatalf("Walk went on after fn returned false: %d hits", k)
	}
}

func TestLoadLexiconsErrors(t *testing.T) {
	nz := newTestNormalizer(t)
	good := "# stage: secrecy\n# lang: fr\n# source: test\n"
	tests := []struct {
		name, path, data, want string
	}{
		{"unknown stage", "fr/secret.txt", good + "a b\n", `fr/secret.txt: unknown stage "secret" in file name`},
		{"missing source", "fr/secrecy.txt", "# stage: secrecy\n# lang: fr\nnotre secret\n", `fr/secrecy.txt:3: missing header "# source: ..."`},
		{"stage mismatch", "fr/secrecy.txt", "# stage: contact\n# lang: fr\n# source: x\nnotre secret\n", `fr/secrecy.txt:4: header stage "contact" does not match the file name "secrecy"`},
		{"lang mismatch", "fr/secrecy.txt", "# stage: secrecy\n# lang: en\n# source: x\nour secret\n", `fr/secrecy.txt:4: header lang "en" does not match the directory "fr"`},
		{"bad weight", "fr/secrecy.txt", good + "notre secret\t6\n", `fr/secrecy.txt:4: weight "6": want a number in (0, 5]`},
		{"bad file weight", "fr/secrecy.txt", good + "# weight: zero\nnotre secret\n", `fr/secrecy.txt:4: weight "zero": want a number in (0, 5]`},
		{"placeholders only", "fr/secrecy.txt", good + "\n<num> <any>\n", `fr/secrecy.txt:5: phrase "<num> <any>" has no word to match (placeholders alone are not enough)`},
		{"glued placeholder", "fr/secrecy.txt", good + "j'ai<num> ans\n", `fr/secrecy.txt:4: placeholder in "j'ai<num>" must be a word of its own`},
		{"empty prefix", "fr/secrecy.txt", good + "efface *\n", `fr/secrecy.txt:4: prefix "*" has no letters or digits`},
		{"header after phrase", "fr/secrecy.txt", good + "notre secret\n# lang: en\n", `fr/secrecy.txt:5: header lang "en" after the first phrase differs from "fr"`},
		{"benign context needs stage none", "fr/benign_context.txt", good + "bonne annee\n", `fr/benign_context.txt:4: header stage "secrecy" does not match the file name "none"`},
		{"empty file without header", "fr/secrecy.txt", "", `fr/secrecy.txt: missing header "# stage: secrecy"`},
		{"unclosed group", "fr/secrecy.txt", good + "notre {grand|petit secret\n", `fr/secrecy.txt:4: unbalanced braces in "notre {grand|petit secret"`},
		{"close before open", "fr/secrecy.txt", good + "notre } secret {a|b}\n", `fr/secrecy.txt:4: unbalanced braces in "notre } secret {a|b}"`},
		{"nested group", "fr/secrecy.txt", good + "notre {grand|{petit|gros}} secret\n", `fr/secrecy.txt:4: nested braces in "notre {grand|{petit|gros}} secret"`},
		{"one alternative", "fr/secrecy.txt", good + "notre {grand} secret\n", `fr/secrecy.txt:4: group {grand} in "notre {grand} secret" has one alternative: write it without braces`},
		{"too many expansions", "fr/secrecy.txt", good + "{a|b|c|d} {a|b|c|d} {a|b|c|d} {a|b} secret\n", `fr/secrecy.txt:4: "{a|b|c|d} {a|b|c|d} {a|b|c|d} {a|b} secret" expands to more than 64 phrases`},
		{"empty expansion", "fr/secrecy.txt", good + "{<num>|} secret {|<any>}\nok\n{|}\n", `fr/secrecy.txt:6: phrase "" has no word to match (placeholders alone are not enough)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadLexicons(fstest.MapFS{tt.path: {Data: []byte(tt.data)}}, nz, nil)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
			var le *LexiconError
			if !errors.Is(err, ErrLexicon) || !errors.As(err, &le) {
				t.Fatalf("err %v is not a *LexiconError wrapping ErrLexicon", err)
			}
		})
	}
	// A header-only file is valid and empty; a comment is not a header.
	es, err := LoadLexicons(fstest.MapFS{"fr/secrecy.txt": {Data: []byte(good + "# a comment\n")}}, nz, nil)
	if err != nil || len(es) != 0 {
		t.Fatalf("header-only file: %v, %d entries", err, len(es))
	}
}

// TestLexiconAlternatives: a {a|b} group stands for each alternative, an empty one makes it
// optional, every expansion carries the line's cue and weight, and an expansion equal to an
// earlier phrase of the file (after normalization) is dropped so that a message is not counted twice.
func TestLexiconAlternatives(t *testing.T) {
	nz := newTestNormalizer(t)
	data := "# stage: flattery\n# lang: fr\n# source: test\n" +
		"t'es trop belle\n" + // line 4
		"t'es {trop|vraiment|} belle\t0.7\n" + // line 5: "t'es trop belle" is line 4's
		"{tu es|t'es} {si|tellement} {jolie|mignonne}\n" // line 6: 8 phrases
	es, err := LoadLexicons(fstest.MapFS{"fr/flattery.txt": {Data: []byte(data)}}, nz, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Cue+" "+e.Phrase+" "+strconv.FormatFloat(float64(e.Weight), 'g', -1, 32))
	}
	want := []string{
		"fr/flattery:4 t'es trop belle 1",
		"fr/flattery:5 t'es vraiment belle 0.7",
		"fr/flattery:5 t'es belle 0.7",
		"fr/flattery:6 tu es si jolie 1", "fr/flattery:6 tu es si mignonne 1",
		"fr/flattery:6 tu es tellement jolie 1", "fr/flattery:6 tu es tellement mignonne 1",
		"fr/flattery:6 t'es si jolie 1", "fr/flattery:6 t'es si mignonne 1",
		"fr/flattery:6 t'es tellement jolie 1", "fr/flattery:6 t'es tellement mignonne 1",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m, err := NewMatcher(es)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, text string
		cues       []string
	}{
		{"plain line", "T'es trop belle !", []string{"fr/flattery:4"}},
		{"no double count of an expansion equal to a plain line", "t'es trop belle", []string{"fr/flattery:4"}},
		{"intensifier", "t'es vraiment belle", []string{"fr/flattery:5"}},
		{"optional group", "t'es belle", []string{"fr/flattery:5"}},
		{"two groups", "tu es tellement mignonne", []string{"fr/flattery:6"}},
		{"other word in the group's place", "t'es pas belle", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var cues []string
			var n Normalized
			nz.Normalize(&n, tt.text)
			m.Walk(&n, func(h Hit) bool { cues = append(cues, h.Cue); return true })
			if !slices.Equal(cues, tt.cues) {
				t.Fatalf("%q: cues %v, want %v", tt.text, cues, tt.cues)
			}
		})
	}
}

func TestLoadLexiconsLangs(t *testing.T) {
	nz := newTestNormalizer(t)
	es, err := LoadLexicons(os.DirFS("testdata/engine/lex"), nz, []string{"fr"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Lang != "fr" {
			t.Fatalf("entry %s loaded with Langs=[fr]", e.Cue)
		}
	}
	if len(es) != 5 {
		t.Fatalf("got %d fr entries, want 5", len(es))
	}
}

// TestEmbeddedLexiconsLoad checks that whatever lexicons are embedded load and compile.
func TestEmbeddedLexiconsLoad(t *testing.T) {
	nz := newTestNormalizer(t)
	es, err := LoadLexicons(EmbeddedLexicons(), nz, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMatcher(es); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d embedded lexicon entries", len(es))
}

// naiveMatch is the reference: every entry tried at every word position.
func naiveMatch(n *Normalized, entries []Entry) []string {
	var toks [][]byte
	for i := 0; i < n.Words(); i++ {
		s, e := n.Word(i)
		toks = append(toks, n.Text[s:e])
	}
	var out []string
	for ei, e := range entries {
		for st := 0; st+len(e.pats) <= len(toks); st++ {
			ok := true
			for k, p := range e.pats {
				if !naiveWord(p, toks[st+k]) {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, fmt.Sprintf("%d@%d-%d", ei, st, st+len(e.pats)-1))
			}
		}
	}
	slices.Sort(out)
	return out
}

func naiveWord(p pat, tok []byte) bool {
	t := string(tok)
	sq := func(s string) string { return string(squeeze(nil, []byte(s))) }
	runs := hasRuns(tok)
	switch p.kind {
	case patAny:
		return true
	case patNum:
		return isNumber(tok)
	case patExact:
		return t == p.text || runs && sq(t) == sq(p.text)
	default:
		return strings.HasPrefix(t, p.text) || runs && strings.HasPrefix(sq(t), sq(p.text))
	}
}

var (
	fuzzPhrases = []string{"send", "send me", "sen*", "seend", "pic", "photo*", "<num> ans", "<any> secret",
		"j'ai <num>", "please send", "plz", "nude*", "n.u.d.e", "s3x", "a", "a a", "ö*", "snap", "📸", "too", "to"}
	fuzzWords = []string{"send", "seend", "sennnd", "me", "pic", "photos", "12", "7", "ans", "secret", "pleease",
		"plzzz", "a", "nuuudes", "nude", "sex", "s3x", "n.u.d.e", "x", "jai", "öl", "snap", "📸", "tooo", "to"}
)

func FuzzMatcher(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "", "")
	f.Add([]byte{4, 5, 6, 9, 10, 11}, []byte{19, 6, 8, 10, 9, 11, 12, 13}, "j'ai 13 ans", "ans")
	f.Add([]byte{14, 15, 16, 17}, []byte{12, 12, 12, 14, 15, 16, 17, 1, 23}, "a a a a", "a* a")
	nz := newTestNormalizer(f)
	raw := nz.withoutAbbrev()
	sc := new(matchScratch)
	f.Fuzz(func(t *testing.T, lexSel, textSel []byte, text, phrase string) {
		var n Normalized
		var entries []Entry
		add := func(p string) {
			pats, err := compilePhrase(p, nz, raw, &n)
			if err == nil {
				entries = append(entries, Entry{Cue: p, pats: pats})
			}
		}
		for i, b := range lexSel {
			if i == 8 {
				break
			}
			add(fuzzPhrases[int(b)%len(fuzzPhrases)])
		}
		add(phrase)
		var sb strings.Builder
		for i, b := range textSel {
			if i == 64 {
				break
			}
			sb.WriteString(fuzzWords[int(b)%len(fuzzWords)])
			sb.WriteByte(" ,."[int(b)%3])
		}
		sb.WriteString(text)
		m, err := NewMatcher(entries)
		if err != nil {
			t.Fatal(err)
		}
		in := sb.String()
		nz.Normalize(&n, in)
		var got []string
		m.Walk(&n, func(h Hit) bool {
			if h.Start < 0 || h.End > len(in) || h.Start > h.End {
				t.Fatalf("hit span [%d,%d) outside the text (%d bytes)", h.Start, h.End, len(in))
			}
			return true
		})
		// The scratch (and its word cache) is shared across inputs, hence across matchers.
		m.walkIndexed(&n, sc, func(ei, first, last int) bool {
			got = append(got, fmt.Sprintf("%d@%d-%d", ei, first, last))
			return true
		})
		slices.Sort(got)
		want := naiveMatch(&n, entries)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q (normalized %q)\nmatcher %v\nnaive   %v", in, n.Text, got, want)
		}
	})
}

// TestExtractorConcurrent runs one Extractor from several goroutines (run with -race).
func TestExtractorConcurrent(t *testing.T) {
	x, err := New(Options{Lexicons: os.DirFS("testdata/engine/lex")})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"send me a pic", "j'ai 13 ans", "c'est notre secret 200€", "hello"}
	want := make([][]Hit, len(texts))
	for i, s := range texts {
		want[i] = x.AppendHits(nil, s)
	}
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			var hits []Hit
			for k := 0; k < 200; k++ {
				i := (g + k) % len(texts)
				hits = x.AppendHits(hits[:0], texts[i])
				if !slices.Equal(hits, want[i]) {
					done <- fmt.Errorf("%q: got %v, want %v", texts[i], hits, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzExpandAlternatives: any line either fails or expands to 1..maxExpansions phrases without
// braces, each made of the line's text outside the groups and one alternative per group.
func FuzzExpandAlternatives(f *testing.F) {
	for _, s := range []string{"t'es {trop|vraiment|} belle", "a {b|c} d {e|f}", "{|}", "x } {", "{a|{b|c}}", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := expandAlternatives(s)
		if err != nil {
			return
		}
		if len(out) == 0 || len(out) > maxExpansions {
			t.Fatalf("%q: %d expansions", s, len(out))
		}
		for _, v := range out {
			if strings.ContainsAny(v, "{}") {
				t.Fatalf("%q: expansion %q keeps a brace", s, v)
			}
		}
		if !strings.ContainsAny(s, "{}") && (len(out) != 1 || out[0] != s) {
			t.Fatalf("%q without groups changed: %q", s, out)
		}
	})
}

// FuzzWordKey checks that the word cache key with the length tells every two cached words apart.
func FuzzWordKey(f *testing.F) {
	for _, s := range [][2]string{{"a", "b"}, {"abc", "acc"}, {"abcd", "abce"}, {"abcdefgh", "abcdefgi"},
		{"abcdefghijklmnop", "abcdefghXjklmnop"}, {"pleease", "pleasee"}, {"", "\x00"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		a, b = a[:min(len(a), wordCacheKey)], b[:min(len(b), wordCacheKey)]
		ka, kb := makeWordKey([]byte(a)), makeWordKey([]byte(b))
		if same := len(a) == len(b) && ka == kb; same != (a == b) {
			t.Fatalf("%q %q: keys %x %x", a, b, ka, kb)
		}
		if s := ka.slot(len(a)); s >= wordCacheSize {
			t.Fatalf("slot %d out of range", s)
		}
	})
}

func TestWordCacheEntrySize(t *testing.T) {
	if s := unsafe.Sizeof(wordCacheEntry{}); s != 32 {
		t.Errorf("word cache entry of %d bytes, want 32 (two to a cache line)", s)
	}
}
