package features

import (
	_ "embed"
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Langs lists the languages that [DetectLang] recognizes, as ISO 639-1 codes, in a fixed order.
var Langs = [NumLangs]string{"fr", "en", "es", "de", "nl", "it", "pt"}

// NumLangs is the number of languages in [Langs].
const NumLangs = 7

// Thresholds of the language decision.
const (
	// LangMinEvidence is the least evidence (about one function word) for a language to be named.
	LangMinEvidence = 1.0
	// LangMinShare is the least share of the evidence that the best language must have.
	LangMinShare = 0.4
	// langMessageCap bounds the evidence that one message adds to a [LangCounter].
	langMessageCap = 6.0
)

// Weights of the three kinds of cues, split between the languages that share a cue.
const (
	langWordWeight   = 1.0
	langSuffixWeight = 0.3
	langCharWeight   = 0.4
	langGramWeight   = 0.15
	langGramCap      = 0.45 // per word and language
)

//go:embed lang_profiles.txt
var langProfilesText string

type langMask uint8

type langProfiles struct {
	words     map[string]langMask
	suffixes  map[string]langMask
	chars     map[rune]langMask
	grams     map[string]langMask
	maxSuffix int // bytes
	maxGram   int // bytes
	// The suffixes and grams again, in tables that are faster to probe than maps. gramTab also
	// holds every prefix of a gram and suffixTab every ending of a suffix (with an empty mask),
	// so that a probe that misses proves no longer entry can match and ends the scan.
	suffixTab, gramTab shortTable
	// wordTab holds the words of 1 to 8 bytes; longer words are only in words.
	wordTab shortTable
}

// shortTable is an open-addressing hash set of strings of 1 to 8 non-zero bytes, packed
// little-endian into a uint64 (0 marks an empty slot).
type shortTable struct {
	keys  []uint64
	masks []langMask
	shift uint
}

func packShort(s string) uint64 {
	var k uint64
	for i := len(s) - 1; i >= 0; i-- {
		k = k<<8 | uint64(s[i])
	}
	return k
}

func newShortTable(m map[string]langMask) shortTable {
	bits := uint(1)
	for 1<<bits < 2*len(m) {
		bits++
	}
	t := shortTable{keys: make([]uint64, 1<<bits), masks: make([]langMask, 1<<bits), shift: 64 - bits}
	for s, mask := range m {
		k := packShort(s)
		i := t.slot(k)
		for t.keys[i] != 0 && t.keys[i] != k {
			i = (i + 1) & (len(t.keys) - 1)
		}
		t.keys[i] = k
		t.masks[i] |= mask
	}
	return t
}

func (t *shortTable) slot(k uint64) int { return int((k * 0x9E3779B97F4A7C15) >> t.shift) }

// get returns the mask of an entry; ok is false for a key that is not an entry (a prefix-only
// key included).
func (t *shortTable) get(k uint64) (m langMask, ok bool) {
	m, _ = t.probe(k)
	return m, m != 0
}

// probe returns the mask of k and whether k is in the table at all: an entry, or a prefix (or
// ending) of one, whose mask is 0.
func (t *shortTable) probe(k uint64) (langMask, bool) {
	for i := t.slot(k); ; i = (i + 1) & (len(t.keys) - 1) {
		switch t.keys[i] {
		case k:
			return t.masks[i], true
		case 0:
			return 0, false
		}
	}
}

// withPrefixes returns m plus, with an empty mask, the prefixes (of at least min bytes) of its
// keys when fromStart, else their endings.
func withPrefixes(m map[string]langMask, minLen int, fromStart bool) map[string]langMask {
	out := make(map[string]langMask, 2*len(m))
	for s, mask := range m {
		out[s] |= mask
		for l := minLen; l < len(s); l++ {
			p := s[len(s)-l:]
			if fromStart {
				p = s[:l]
			}
			out[p] |= 0
		}
	}
	return out
}

var langData = sync.OnceValue(func() *langProfiles {
	p, _ := parseLangProfiles(langProfilesText) // the embedded text is checked by a test
	return p
})

// parseLangProfiles reads the format described in lang_profiles.txt. It skips bad lines and
// reports the first of them.
func parseLangProfiles(text string) (*langProfiles, error) {
	p := &langProfiles{words: map[string]langMask{}, suffixes: map[string]langMask{}, chars: map[rune]langMask{},
		grams: map[string]langMask{}}
	var firstErr error
	fail := func(line int, format string, args ...any) {
		if firstErr == nil {
			firstErr = fmt.Errorf("lang_profiles.txt:%d: %s", line, fmt.Sprintf(format, args...))
		}
	}
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) < 3 {
			fail(i+1, "want <lang> <kind> <entries>")
			continue
		}
		lang := -1
		for k, l := range Langs {
			if l == f[0] {
				lang = k
			}
		}
		if lang < 0 {
			fail(i+1, "unknown language %q", f[0])
			continue
		}
		bit := langMask(1) << lang
		for _, e := range f[2:] {
			if e != strings.ToLower(e) {
				fail(i+1, "entry %q is not lower case", e)
				continue
			}
			switch f[1] {
			case "w":
				p.words[e] |= bit
				if folded := foldLatin(e); folded != e {
					p.words[folded] |= bit
				}
			case "s":
				if len(e) < 2 || len(e) > 8 {
					fail(i+1, "ending %q is not 2 to 8 bytes", e)
					continue
				}
				p.suffixes[e] |= bit
				if folded := foldLatin(e); folded != e {
					p.suffixes[folded] |= bit
				}
			case "g":
				if n := utf8.RuneCountInString(e); n < 2 || n > 4 || len(e) > 8 || strings.ContainsRune(e, 0) {
					fail(i+1, "sequence %q is not 2 to 4 characters", e)
					continue
				}
				p.grams[e] |= bit
				if folded := foldLatin(e); folded != e {
					p.grams[folded] |= bit
				}
			case "c":
				r, size := utf8.DecodeRuneInString(e)
				if size != len(e) || r < utf8.RuneSelf {
					fail(i+1, "char entry %q is not one non-ASCII character", e)
					continue
				}
				p.chars[r] |= bit
			default:
				fail(i+1, "unknown kind %q", f[1])
			}
		}
	}
	for s := range p.suffixes {
		p.maxSuffix = max(p.maxSuffix, len(s))
	}
	for g := range p.grams {
		p.maxGram = max(p.maxGram, len(g))
	}
	p.suffixTab = newShortTable(withPrefixes(p.suffixes, 2, false))
	p.gramTab = newShortTable(withPrefixes(p.grams, 2, true))
	short := map[string]langMask{}
	for w, m := range p.words {
		if len(w) <= 8 && m != 0 {
			short[w] = m
		}
	}
	p.wordTab = newShortTable(short)
	return p, firstErr
}

// foldLatin removes the accents of Latin letters as the normalizer's accent folding does.
func foldLatin(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'à', 'á', 'â', 'ã', 'ä', 'å':
			return 'a'
		case 'ç':
			return 'c'
		case 'è', 'é', 'ê', 'ë':
			return 'e'
		case 'ì', 'í', 'î', 'ï':
			return 'i'
		case 'ñ':
			return 'n'
		case 'ò', 'ó', 'ô', 'õ', 'ö':
			return 'o'
		case 'ù', 'ú', 'û', 'ü':
			return 'u'
		case 'ý', 'ÿ':
			return 'y'
		}
		return r
	}, strings.NewReplacer("ß", "ss", "œ", "oe", "æ", "ae").Replace(s))
}

// langScores is the evidence for each language.
type langScores [NumLangs]float32

func (s *langScores) credit(m langMask, w float32) {
	w /= float32(bits.OnesCount8(uint8(m)))
	for m != 0 {
		k := bits.TrailingZeros8(uint8(m))
		s[k] += w
		m &= m - 1
	}
}

// add scores the words, word endings and characters of text.
func (s *langScores) add(p *langProfiles, text string) {
	var buf [34]byte // "_" + the current word, lower-cased, + "_"
	buf[0] = '_'
	n := 1        // bytes in buf
	runes := 0    // runes in the current word
	long := false // the word did not fit buf
	endWord := func() {
		if runes == 0 || long {
			n, runes, long = 1, 0, false
			return
		}
		buf[n] = '_'
		padded := buf[:n+1]
		w := buf[1:n]
		n = len(w)
		var m langMask
		var ok bool
		if n <= 8 {
			m, ok = p.wordTab.get(packShort(unsafe.String(unsafe.SliceData(w), n)))
		} else {
			m, ok = p.words[string(w)]
		}
		if ok {
			s.credit(m, langWordWeight)
			n, runes = 1, 0
			return // a function word says enough
		}
		s.addGrams(p, padded)
		if runes >= 4 {
			k := uint64(w[n-1])
			for l := 2; l <= p.maxSuffix && l < n; l++ {
				k = k<<8 | uint64(w[n-l])
				if !utf8.RuneStart(w[n-l]) {
					continue
				}
				m, ok := p.suffixTab.probe(k)
				if !ok {
					break // no listed ending is this long
				}
				if m != 0 {
					s.credit(m, langSuffixWeight)
				}
			}
		}
		n, runes = 1, 0
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				endWord()
				continue
			}
			if n < len(buf)-1 {
				buf[n] = c
				n++
			} else {
				long = true
			}
			runes++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			if m, ok := p.chars[r]; ok {
				s.credit(m, langCharWeight)
			}
			endWord()
			continue
		}
		r = unicode.ToLower(r)
		if m, ok := p.chars[r]; ok {
			s.credit(m, langCharWeight)
		}
		if n+utf8.RuneLen(r) < len(buf) {
			n += utf8.EncodeRune(buf[n:], r)
		} else {
			long = true
		}
		runes++
	}
	endWord()
}

// addGrams scores the letter sequences of the word w, "_"-delimited. A word adds at most
// langGramCap to a language, so that "zzzzzz" is not Italian.
func (s *langScores) addGrams(p *langProfiles, w []byte) {
	var g langScores
	for i := range w {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		var k uint64
		for l := 1; l <= p.maxGram && i+l <= len(w); l++ {
			k |= uint64(w[i+l-1]) << (8 * (l - 1))
			if l < 2 || (i+l < len(w) && !utf8.RuneStart(w[i+l])) {
				continue
			}
			m, ok := p.gramTab.probe(k)
			if !ok {
				break // no listed sequence starts with these letters
			}
			if m != 0 {
				g.credit(m, langGramWeight)
			}
		}
	}
	for k, v := range g {
		s[k] += min(v, langGramCap)
	}
}

// best returns the language with the most evidence, or "" if it has too little evidence or too
// small a share, and its share of the evidence.
func (s *langScores) best() (string, float32) {
	var total float32
	bestK, second := 0, float32(0)
	for k, v := range s {
		total += v
		if v > s[bestK] {
			bestK = k
		}
	}
	for k, v := range s {
		if k != bestK && v > second {
			second = v
		}
	}
	top := s[bestK]
	if top < LangMinEvidence || top == second {
		return "", 0
	}
	share := top / total
	if share < LangMinShare {
		return "", 0
	}
	return Langs[bestK], share
}

// DetectLang guesses the language of a chat message among [Langs] from its function words, chat
// abbreviations, word endings and particular letters (listed in lang_profiles.txt). It works on raw
// text and on text whose accents the normalizer folded. It returns "" when unsure: too little
// evidence (fewer than about one function word) or no clear winner. The confidence is the share
// of the evidence that the returned language got, in (0, 1]; 0 when the language is "".
//
// Short messages often carry too little evidence: use a [LangCounter] over a conversation.
// DetectLang does not allocate.
func DetectLang(text string) (lang string, confidence float32) {
	var s langScores
	s.add(langData(), text)
	return s.best()
}

// DetectLangBytes is [DetectLang] for a byte slice.
func DetectLangBytes(text []byte) (lang string, confidence float32) {
	return DetectLang(unsafe.String(unsafe.SliceData(text), len(text)))
}

// LangCounter accumulates language evidence over the messages of a conversation (or of one
// author), each message weighing at most as much as a few function words so that one long message
// cannot decide alone. The zero value is ready to use. A LangCounter is not safe for concurrent use.
type LangCounter struct {
	scores langScores
	n      int
}

// Add adds the evidence of one message.
func (c *LangCounter) Add(text string) {
	var s langScores
	s.add(langData(), text)
	var total float32
	for _, v := range s {
		total += v
	}
	scale := float32(1)
	if total > langMessageCap {
		scale = langMessageCap / total
	}
	for k, v := range s {
		c.scores[k] += v * scale
	}
	c.n++
}

// AddBytes is [LangCounter.Add] for a byte slice.
func (c *LangCounter) AddBytes(text []byte) {
	c.Add(unsafe.String(unsafe.SliceData(text), len(text)))
}

// Best returns the language of the messages added so far and its share of the evidence, or ("", 0)
// as [DetectLang] does.
func (c *LangCounter) Best() (lang string, confidence float32) { return c.scores.best() }

// Messages returns the number of messages added.
func (c *LangCounter) Messages() int { return c.n }

// Reset forgets the messages added.
func (c *LangCounter) Reset() { *c = LangCounter{} }
