package features

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Lexicon files: features/lexicons/<lang>/<stage>.txt, plain UTF-8 text:
//
//	# stage: secrecy
//	# lang: fr
//	# source: <where the entries come from>
//	# weight: 1.0            (optional default weight for the file)
//	ne le dis a personne
//	c'est notre secret
//	efface* la conv*
//	supprime <any> conversation	0.8
//	j'ai <num> ans
//	t'es {trop|vraiment|tellement||super} mignonne
//
// One phrase per line, written naturally: the loader normalizes each phrase with the same
// [Normalizer] as messages, and phrases match whole words of the normalized text. In a phrase,
// "word*" matches any word that starts with word (the prefix is normalized without abbreviation
// expansion, so "pic*" matches "pictures"; list "pic" itself too, it normalizes to "photo"),
// "<num>" matches one number, "<any>" matches any one word, and "{a|b|c}" stands for each of its
// alternatives in turn (an empty one makes the group optional; groups do not nest; a line expands
// to at most 64 phrases, all with the line's cue; an expansion that compiles to the same words as
// an earlier phrase of the file is dropped, so a cue is not counted twice). An optional TAB and a weight in (0, 5]
// override the file weight (default 1; 1 is an ordinary cue, 2 a strong one). Lines starting with '#' are the header and comments; the
// header must give stage, lang and source, and stage and lang must agree with the file's path.
// Blank lines are ignored. Errors name the file and line.
//
// The file <lang>/benign_context.txt (header "# stage: none") lists benign contexts that weaken a
// nearby cue ("happy new year" next to a countdown, "gift card for mum's birthday"): its hits have
// Stage [StageNone] and count as benign context in the feature vector.

//go:embed lexicons
var embeddedLexicons embed.FS

// EmbeddedLexicons returns the lexicons compiled into the package, laid out as <lang>/<stage>.txt.
func EmbeddedLexicons() fs.FS {
	sub, err := fs.Sub(embeddedLexicons, "lexicons")
	if err != nil { // cannot happen: "lexicons" is a valid path
		return embeddedLexicons
	}
	return sub
}

// ErrLexicon is the error that every lexicon loading error wraps.
var ErrLexicon = errors.New("bad lexicon")

// LexiconError is a problem in a lexicon file, at a line (0 when it concerns the whole file).
type LexiconError struct {
	File string
	Line int
	Msg  string
}

func (e *LexiconError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap makes errors.Is(err, ErrLexicon) true.
func (e *LexiconError) Unwrap() error { return ErrLexicon }

type patKind uint8

const (
	patExact  patKind = iota // the word
	patPrefix                // any word starting with the text
	patNum                   // any number
	patAny                   // any word
)

// pat is one word of a compiled phrase.
type pat struct {
	kind patKind
	text string
}

// Entry is one phrase of a lexicon, compiled.
type Entry struct {
	Stage  Stage
	Lang   string
	Cue    string // "<lang>/<stage>:<line>"
	Weight float32
	Phrase string // as written in the file
	pats   []pat
}

// maxWeight bounds cue weights; 1 is an ordinary cue, 2 a strong one.
const maxWeight = 5.0

// BenignContext is the stage-like name of lexicon files of benign contexts (Stage [StageNone]).
const BenignContext = "benign_context"

// maxPhraseWords bounds the words of one phrase.
const maxPhraseWords = 16

// maxExpansions bounds the phrases that one line's {a|b} groups expand to.
const maxExpansions = 64

// expandAlternatives returns the phrases that the {a|b|c} groups of phrase stand for, in order
// (the first alternative of each group first). A phrase without groups is returned as is.
func expandAlternatives(phrase string) ([]string, error) {
	open := strings.IndexByte(phrase, '{')
	closeAt := strings.IndexByte(phrase, '}')
	switch {
	case open < 0 && closeAt < 0:
		return []string{phrase}, nil
	case open < 0 || closeAt < open:
		return nil, fmt.Errorf("unbalanced braces in %q", strings.TrimSpace(phrase))
	}
	group := phrase[open+1 : closeAt]
	if strings.IndexByte(group, '{') >= 0 {
		return nil, fmt.Errorf("nested braces in %q", strings.TrimSpace(phrase))
	}
	if strings.IndexByte(group, '|') < 0 {
		return nil, fmt.Errorf("group {%s} in %q has one alternative: write it without braces", group, strings.TrimSpace(phrase))
	}
	rest, err := expandAlternatives(phrase[closeAt+1:])
	if err != nil {
		return nil, err
	}
	var out []string
	for _, alt := range strings.Split(group, "|") {
		for _, r := range rest {
			if len(out) == maxExpansions {
				return nil, fmt.Errorf("%q expands to more than %d phrases", strings.TrimSpace(phrase), maxExpansions)
			}
			out = append(out, phrase[:open]+" "+alt+" "+r)
		}
	}
	return out, nil
}

// patsKey is a comparable form of a compiled phrase.
func patsKey(pats []pat) string {
	var b strings.Builder
	for _, p := range pats {
		b.WriteByte(byte('0' + p.kind))
		b.WriteString(p.text)
		b.WriteByte(0)
	}
	return b.String()
}

// LoadLexicons reads every <lang>/<stage>.txt file of fsys (only the languages in langs, when
// langs is not empty), normalizes each phrase with nz and returns the compiled entries in file
// order. Other files (README, ...) are ignored.
func LoadLexicons(fsys fs.FS, nz *Normalizer, langs []string) ([]Entry, error) {
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read lexicons: %w", err)
	}
	raw := nz.withoutAbbrev() // prefixes are normalized without abbreviation expansion
	var out []Entry
	for _, d := range dirs {
		if !d.IsDir() || (len(langs) > 0 && !slices.Contains(langs, d.Name())) {
			continue
		}
		files, err := fs.ReadDir(fsys, d.Name())
		if err != nil {
			return nil, fmt.Errorf("read lexicons: %w", err)
		}
		for _, f := range files {
			if f.IsDir() || !strings.HasSuffix(f.Name(), ".txt") {
				continue
			}
			name := path.Join(d.Name(), f.Name())
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read lexicon %s: %w", name, err)
			}
			out, err = parseLexicon(out, name, d.Name(), strings.TrimSuffix(f.Name(), ".txt"), string(data), nz, raw)
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// parseLexicon parses one file and appends its entries to out.
func parseLexicon(out []Entry, name, lang, stageName, data string, nz, raw *Normalizer) ([]Entry, error) {
	stage, ok := ParseStage(stageName)
	headerStage := stageName
	if stageName == BenignContext {
		stage, ok, headerStage = StageNone, true, "none"
	}
	if !ok {
		return nil, &LexiconError{File: name, Msg: fmt.Sprintf("unknown stage %q in file name", stageName)}
	}
	header := map[string]string{}
	weight := float32(1)
	var n Normalized
	first := len(out)
	seen := map[string]bool{} // compiled phrases of this file, to drop duplicate expansions
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if strings.HasPrefix(text, "#") {
			k, v, ok := strings.Cut(strings.TrimSpace(text[1:]), ":")
			k = strings.ToLower(strings.TrimSpace(k))
			v = strings.TrimSpace(v)
			switch {
			case !ok:
				// comment
			case (k == "stage" || k == "lang") && len(out) > first && header[k] != v:
				return nil, &LexiconError{File: name, Line: line, Msg: fmt.Sprintf("header %s %q after the first phrase differs from %q", k, v, header[k])}
			case (k == "stage" || k == "lang" || k == "source") && len(out) == first:
				header[k] = v
			case k == "weight":
				w, err := parseWeight(v)
				if err != nil {
					return nil, &LexiconError{File: name, Line: line, Msg: err.Error()}
				}
				weight = w
			}
			continue
		}
		if len(out) == first {
			if err := checkHeader(header, lang, headerStage); err != nil {
				return nil, &LexiconError{File: name, Line: line, Msg: err.Error()}
			}
		}
		phrase, ws, hasW := strings.Cut(text, "\t")
		w := weight
		if hasW {
			var err error
			if w, err = parseWeight(strings.TrimSpace(ws)); err != nil {
				return nil, &LexiconError{File: name, Line: line, Msg: err.Error()}
			}
		}
		variants, err := expandAlternatives(phrase)
		if err != nil {
			return nil, &LexiconError{File: name, Line: line, Msg: err.Error()}
		}
		for _, v := range variants {
			pats, err := compilePhrase(v, nz, raw, &n)
			if err != nil {
				return nil, &LexiconError{File: name, Line: line, Msg: err.Error()}
			}
			key := patsKey(pats)
			if len(variants) > 1 && seen[key] {
				continue // "{|so} cute" next to "so cute": one cue, not two
			}
			seen[key] = true
			shown := strings.TrimSpace(phrase)
			if len(variants) > 1 {
				shown = strings.Join(strings.Fields(v), " ")
			}
			out = append(out, Entry{
				Stage: stage, Lang: lang, Weight: w, Phrase: shown, pats: pats,
				Cue: lang + "/" + stageName + ":" + strconv.Itoa(line),
			})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &LexiconError{File: name, Line: line + 1, Msg: err.Error()}
	}
	if len(out) == first {
		if err := checkHeader(header, lang, headerStage); err != nil {
			return nil, &LexiconError{File: name, Msg: err.Error()}
		}
	}
	return out, nil
}

func checkHeader(h map[string]string, lang, stage string) error {
	switch {
	case h["stage"] == "":
		return errors.New("missing header \"# stage: " + stage + "\"")
	case h["stage"] != stage:
		return fmt.Errorf("header stage %q does not match the file name %q", h["stage"], stage)
	case h["lang"] == "":
		return errors.New("missing header \"# lang: " + lang + "\"")
	case h["lang"] != lang:
		return fmt.Errorf("header lang %q does not match the directory %q", h["lang"], lang)
	case h["source"] == "":
		return errors.New("missing header \"# source: ...\"")
	}
	return nil
}

func parseWeight(s string) (float32, error) {
	w, err := strconv.ParseFloat(s, 32)
	if err != nil || math.IsNaN(w) || w <= 0 || w > maxWeight {
		return 0, fmt.Errorf("weight %q: want a number in (0, %g]", s, float64(maxWeight))
	}
	return float32(w), nil
}

// compilePhrase turns a phrase into word patterns.
func compilePhrase(phrase string, nz, raw *Normalizer, n *Normalized) ([]pat, error) {
	var pats []pat
	words := 0
	for _, f := range strings.Fields(phrase) {
		switch {
		case f == "<num>":
			pats = append(pats, pat{kind: patNum})
			continue
		case f == "<any>":
			pats = append(pats, pat{kind: patAny})
			continue
		case strings.ContainsAny(f, "<>") && (strings.Contains(f, "<num>") || strings.Contains(f, "<any>")):
			return nil, fmt.Errorf("placeholder in %q must be a word of its own", f)
		}
		prefix := strings.HasSuffix(f, "*")
		if prefix {
			raw.Normalize(n, strings.TrimSuffix(f, "*"))
			if n.Words() == 0 {
				return nil, fmt.Errorf("prefix %q has no letters or digits", f)
			}
		} else {
			nz.Normalize(n, f)
		}
		for i := 0; i < n.Words(); i++ {
			s, e := n.Word(i)
			k := patExact
			if prefix && i == n.Words()-1 {
				k = patPrefix
			}
			pats = append(pats, pat{kind: k, text: string(n.Text[s:e])})
			words++
		}
	}
	switch {
	case words == 0:
		return nil, fmt.Errorf("phrase %q has no word to match (placeholders alone are not enough)", strings.TrimSpace(phrase))
	case len(pats) > maxPhraseWords:
		return nil, fmt.Errorf("phrase %q has %d words, more than %d", strings.TrimSpace(phrase), len(pats), maxPhraseWords)
	}
	return pats, nil
}
