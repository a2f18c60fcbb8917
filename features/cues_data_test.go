package features

import (
	"bufio"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// lexiconLangs are the languages shipped in lexicons/; fr and en must be complete.
var lexiconLangs = []string{"de", "en", "es", "fr", "it", "nl", "pt"}

// foldForDup approximates the loader's normalization closely enough to find entries that would
// compile to the same phrase: lower case, common Latin accents removed, apostrophes and hyphens
// turned into spaces, spaces collapsed.
func foldForDup(s string) string {
	r := strings.NewReplacer(
		"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a", "ç", "c", "é", "e", "è", "e",
		"ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i", "ñ", "n", "ó", "o", "ò", "o",
		"ô", "o", "ö", "o", "õ", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y",
		"œ", "oe", "æ", "ae", "ß", "ss", "'", " ", "’", " ", "-", " ",
	)
	return strings.Join(strings.Fields(r.Replace(strings.ToLower(s))), " ")
}

func TestLexiconFilesWellFormed(t *testing.T) {
	fsys := EmbeddedLexicons()
	for _, lang := range lexiconLangs {
		names := map[string]bool{BenignContext: true}
		for _, s := range Stages() {
			names[s.String()] = true
		}
		files, err := fs.ReadDir(fsys, lang)
		if err != nil {
			t.Fatalf("read lexicons/%s: %v", lang, err)
		}
		have := map[string]bool{}
		for _, f := range files {
			name := strings.TrimSuffix(f.Name(), ".txt")
			if f.IsDir() || name == f.Name() || !names[name] {
				t.Errorf("lexicons/%s/%s: not a <stage>.txt file", lang, f.Name())
				continue
			}
			have[name] = true
			data, err := fs.ReadFile(fsys, path.Join(lang, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			checkLexiconFile(t, lang, name, string(data))
		}
		for name := range names {
			if !have[name] {
				t.Errorf("lexicons/%s: missing %s.txt", lang, name)
			}
		}
	}
}

func checkLexiconFile(t *testing.T, lang, name, data string) {
	t.Helper()
	file := "lexicons/" + lang + "/" + name + ".txt"
	if !utf8.ValidString(data) {
		t.Errorf("%s: invalid UTF-8", file)
		return
	}
	wantStage := name
	if name == BenignContext {
		wantStage = "none"
	}
	header := map[string]string{}
	seen := map[string]int{}
	entries := 0
	sc := bufio.NewScanner(strings.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		if strings.HasPrefix(text, "#") {
			if k, v, ok := strings.Cut(strings.TrimSpace(text[1:]), ":"); ok && entries == 0 {
				header[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			continue
		}
		entries++
		phrase, w, hasW := strings.Cut(text, "\t")
		if phrase != strings.TrimSpace(phrase) || phrase == "" {
			t.Errorf("%s:%d: phrase %q has surrounding spaces or is empty", file, line, phrase)
		}
		if hasW {
			f, err := strconv.ParseFloat(w, 64)
			if err != nil || f < 0.1 || f > 2 {
				t.Errorf("%s:%d: weight %q not in [0.1, 2]", file, line, w)
			}
			if name == BenignContext {
				t.Errorf("%s:%d: benign context entries carry no weight", file, line)
			}
		}
		if strings.ContainsAny(phrase, "?!.,;\t") {
			t.Errorf("%s:%d: punctuation in %q (the matcher ignores it; write the words)", file, line, phrase)
		}
		key := foldForDup(phrase)
		if prev, dup := seen[key]; dup {
			t.Errorf("%s:%d: %q duplicates line %d after normalization", file, line, phrase, prev)
		}
		seen[key] = line
	}
	if header["stage"] != wantStage {
		t.Errorf("%s: header stage %q, want %q", file, header["stage"], wantStage)
	}
	if wantStage != "none" {
		if _, ok := ParseStage(header["stage"]); !ok {
			t.Errorf("%s: header stage %q is not a Stage", file, header["stage"])
		}
	}
	if header["lang"] != lang {
		t.Errorf("%s: header lang %q, want %q", file, header["lang"], lang)
	}
	if header["source"] == "" {
		t.Errorf("%s: empty source", file)
	}
	min := 10
	if lang == "fr" || lang == "en" {
		min = 40
	}
	if name == BenignContext {
		min = 10
	}
	if entries < min {
		t.Errorf("%s: %d entries, want at least %d", file, entries, min)
	}
}

// cueRow is one row of testdata/cues/<lang>.tsv.
type cueRow struct {
	Name, Stage, Expect, Text, Reason string
	Line                              int
}

func readCueTable(t *testing.T, lang string) []cueRow {
	t.Helper()
	file := "testdata/cues/" + lang + ".tsv"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	var rows []cueRow
	header := false
	for i, text := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 5 {
			t.Errorf("%s:%d: %d columns, want 5", file, i+1, len(f))
			continue
		}
		if !header {
			if strings.Join(f, ",") != "name,stage,expect,text,reason" {
				t.Errorf("%s:%d: header %q", file, i+1, text)
			}
			header = true
			continue
		}
		rows = append(rows, cueRow{f[0], f[1], f[2], f[3], f[4], i + 1})
	}
	return rows
}

func TestCueTablesWellFormed(t *testing.T) {
	for _, lang := range lexiconLangs {
		rows := readCueTable(t, lang)
		file := "testdata/cues/" + lang + ".tsv"
		names := map[string]bool{}
		pos := map[string]int{}
		neg := map[string]int{}
		obf := 0
		for _, r := range rows {
			if r.Name == "" || names[r.Name] {
				t.Errorf("%s:%d: empty or duplicate name %q", file, r.Line, r.Name)
			}
			names[r.Name] = true
			if r.Stage != "none" {
				if _, ok := ParseStage(r.Stage); !ok {
					t.Errorf("%s:%d: unknown stage %q", file, r.Line, r.Stage)
				}
			}
			switch r.Expect {
			case "hit":
				pos[r.Stage]++
			case "nohit":
				neg[r.Stage]++
			default:
				t.Errorf("%s:%d: expect %q, want hit or nohit", file, r.Line, r.Expect)
			}
			if strings.TrimSpace(r.Text) == "" || strings.TrimSpace(r.Reason) == "" {
				t.Errorf("%s:%d: empty text or reason", file, r.Line)
			}
			if r.Reason == "obfuscation" {
				obf++
			}
		}
		if lang != "fr" && lang != "en" {
			if len(rows) == 0 {
				t.Errorf("%s: no rows", file)
			}
			continue
		}
		for _, s := range Stages() {
			if pos[s.String()] < 3 || neg[s.String()] < 2 {
				t.Errorf("%s: stage %s has %d positive and %d negative rows, want >= 3 and >= 2",
					file, s, pos[s.String()], neg[s.String()])
			}
		}
		if obf < 5 {
			t.Errorf("%s: %d obfuscation rows, want >= 5", file, obf)
		}
	}
}
