package features

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:embed normalize_abbrev.txt
var abbrevFile string

//go:embed normalize_emoji.txt
var emojiFile string

type unitClass uint8

const (
	uSep    unitClass = iota // separator; r is the ASCII character, or 0 for any other
	uLetter                  // letter; r is the folded rune
	uDigit                   // ASCII digit
	uSym                     // '@' or '$', decided by context
	uEmoji                   // emoji with a marker; r is the marker index
)

// unit is one folded character with the span of the original text it comes from.
type unit struct {
	r    rune
	s, e int32
	c    unitClass
}

// word is a run of units [a, b); joined words skip their separator units.
type word struct {
	a, b   int32
	joined bool
}

// Normalized is the output of [Normalizer.Normalize]: the normalized text, the map from its bytes
// back to the original text, and reusable scratch. Reuse one Normalized per goroutine: in steady
// state normalization allocates nothing. The zero value is ready to use.
type Normalized struct {
	// Text is the normalized text: words separated by one space. It is overwritten by the next
	// Normalize call.
	Text []byte
	// Truncated reports that the message was longer than the normalizer's limit and was cut.
	Truncated bool
	// Invalid reports that the message held invalid UTF-8, which was treated as separators.
	Invalid bool

	start, end []int32 // per byte of Text: span of the original text
	tokS, tokE []int32 // word boundaries in Text
	units      []unit
	words      []word
	tmp        []byte
	srcLen     int
}

// Span maps the normalized byte range Text[i:j] (j > i) to the byte range of the original text
// that produced it.
func (n *Normalized) Span(i, j int) (start, end int) {
	if j <= i || i < 0 || j > len(n.Text) {
		return 0, 0
	}
	return int(n.start[i]), int(n.end[j-1])
}

// Words returns the number of words of Text.
func (n *Normalized) Words() int { return len(n.tokS) }

// Word returns the bounds of the i-th word in Text.
func (n *Normalized) Word(i int) (start, end int) { return int(n.tokS[i]), int(n.tokE[i]) }

// Normalizer folds a chat message into a canonical token stream for matching, and keeps for
// every output byte the span of the original text it came from. The rules, in order:
//
//  1. The message is capped at the normalizer's byte limit (cut on a rune boundary, reported by
//     [Normalized.Truncated]). Invalid UTF-8 bytes become separators ([Normalized.Invalid]).
//  2. Each rune is decomposed with NFKD (compatibility forms: ligatures, full-width letters,
//     superscripts), combining marks are dropped (accent folding: é→e, İ→i), the rest is lower-cased
//     (ẞ/ß→ss, final ς→σ, œ→oe, æ→ae, ø→o, ł→l, đ→d, ı→i, þ→th). Control and format characters
//     (zero-width joiners, soft hyphens, bidi marks, NUL) are removed without separating; white
//     space and punctuation separate words. Emoji listed in normalize_emoji.txt become marker words
//     ("📸" → "emophoto"); other emoji separate words.
//  3. Words are maximal runs of letters and digits. '@' between two letters and '$' before a letter
//     or after a letter are letters ("n@ked", "$ex").
//  4. Spaced letters: three or more one-letter words separated by the same single separator
//     character ("n.u.d.e", "n-u-d-e", "s e x") are joined into one word. With a space as the
//     separator the run must not hold more than one of the letters that are words on their own in
//     chats (a, i, u, r, y), so that "u r a star" stays as it is.
//  5. A word mixing letters and digits is first looked up as an abbreviation ("b4", "gr8"). If its
//     digits all come first it is split in a number and a word ("13ans" → "13 ans", "14yo" →
//     "14 yo", "1h" → "1 h"). Otherwise each run of one or two digits touching the letters is read as
//     leetspeak (0→o 1→i 3→e 4→a 5→s 7→t; other digits stay): "s3x" → "sex", "ph0t0" → "photo",
//     "n00d" → "nood"; longer digit runs stay digits ("abc123"). Words made only of digits are
//     numbers and are never folded, so "13 ans" and "10, 9, 8" keep their numbers.
//  6. Letter repeats are capped at two ("plzzzz" → "plzz", "sooo" → "soo"). The matcher also tries
//     the word with every repeat squeezed to one letter ("pleease" matches "please", "nuuude"
//     matches "nude"), see [Matcher].
//  7. Abbreviations listed in normalize_abbrev.txt are replaced by their expansion ("wyd" → "what
//     are you doing", "stp" → "s il te plait", "pic" → "photo"); a capped word is tried as it is
//     and squeezed ("plzzz" → "please").
//
// The output holds the words separated by single spaces, with no leading or trailing space.
//
// A Normalizer is immutable after construction and safe for concurrent use; the per-call state
// lives in the [Normalized] passed to Normalize.
type Normalizer struct {
	max     int
	abbrev  map[string]string // lower-cased abbreviation -> normalized expansion
	abbrevF [9][128]uint64    // filter: [length][first byte] -> bit set of last byte (mod 64)
	abbrevB [1024]uint64      // Bloom filter of the abbreviations' FNV-1a hashes (16 bits)
	slow    bool              // never take the ASCII fast path (tests)
	emoji   map[rune]uint8
	markers []string
}

// NewNormalizer returns a normalizer with the embedded abbreviation and emoji tables. maxBytes
// caps the bytes of a message that are normalized; 0 means [DefaultMaxMessageBytes].
func NewNormalizer(maxBytes int) (*Normalizer, error) {
	if maxBytes < 0 || maxBytes > 1<<30 {
		return nil, fmt.Errorf("normalizer: max message bytes %d out of range [0, 2^30]", maxBytes)
	}
	if maxBytes == 0 {
		maxBytes = DefaultMaxMessageBytes
	}
	nz := &Normalizer{max: maxBytes, emoji: make(map[rune]uint8)}
	if err := nz.loadEmoji(emojiFile); err != nil {
		return nil, err
	}
	// Expansions are normalized by the normalizer without abbreviations, then installed.
	abbrev, err := nz.parseAbbrev(abbrevFile)
	if err != nil {
		return nil, err
	}
	nz.abbrev = abbrev
	for k := range abbrev {
		if len(k) < len(nz.abbrevF) {
			nz.abbrevF[len(k)][k[0]&0x7f] |= 1 << (k[len(k)-1] & 63)
			h := fnv16([]byte(k))
			nz.abbrevB[h>>6] |= 1 << (h & 63)
		}
	}
	return nz, nil
}

func (nz *Normalizer) loadEmoji(file string) error {
	idx := make(map[string]uint8)
	for i, line := range strings.Split(file, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		e, marker, ok := strings.Cut(line, "\t")
		r, _ := utf8.DecodeRuneInString(e)
		if !ok || r == utf8.RuneError || marker == "" || !isASCIIWord(marker) {
			return fmt.Errorf("normalize_emoji.txt:%d: want <emoji><TAB><marker>", i+1)
		}
		m, seen := idx[marker]
		if !seen {
			m = uint8(len(nz.markers))
			idx[marker] = m
			nz.markers = append(nz.markers, marker)
		}
		nz.emoji[r] = m
	}
	return nil
}

func (nz *Normalizer) parseAbbrev(file string) (map[string]string, error) {
	out := make(map[string]string)
	var n Normalized
	for i, line := range strings.Split(file, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		k = strings.ToLower(k)
		if !ok || k == "" || v == "" || !isASCIIWord(k) || len(k) >= len(nz.abbrevF) {
			return nil, fmt.Errorf("normalize_abbrev.txt:%d: want <abbreviation><TAB><expansion>", i+1)
		}
		nz.Normalize(&n, v)
		if len(n.Text) == 0 {
			return nil, fmt.Errorf("normalize_abbrev.txt:%d: empty expansion", i+1)
		}
		out[k] = string(n.Text)
	}
	return out, nil
}

// withoutAbbrev returns a copy of nz that does not expand abbreviations.
func (nz *Normalizer) withoutAbbrev() *Normalizer {
	raw := *nz
	raw.abbrevF = [9][128]uint64{}
	raw.abbrevB = [1024]uint64{}
	return &raw
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// Normalize folds text into dst (see the package rules above). It never panics and, once dst's
// buffers have grown, allocates nothing.
func (nz *Normalizer) Normalize(dst *Normalized, text string) {
	n := dst
	n.Text = n.Text[:0]
	n.start, n.end = n.start[:0], n.end[:0]
	n.tokS, n.tokE = n.tokS[:0], n.tokE[:0]
	n.units = n.units[:0]
	n.words = n.words[:0]
	n.Truncated, n.Invalid = false, false
	if len(text) > nz.max {
		cut := nz.max
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
		n.Truncated = true
	}
	n.srcLen = len(text)
	if !nz.slow && nz.normalizeASCII(n, text) {
		return
	}
	nz.units(n, text)
	resolveSyms(n.units)
	splitWords(n)
	joinSpaced(n)
	for _, w := range n.words {
		nz.emitWord(n, w)
	}
}

// units decodes and folds text into n.units.
func (nz *Normalizer) units(n *Normalized, text string) {
	us := n.units
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			if t := asciiTab[b]; t.keep {
				us = append(us, unit{r: rune(t.r), s: int32(i), e: int32(i + 1), c: t.c})
			}
			i++
			continue
		}
		n.units = us
		i = nz.nonASCII(n, text, i)
		us = n.units
	}
	n.units = us
}

// asciiTab is addASCII as a table: folded byte, class, and whether the byte is kept.
var asciiTab = func() (t [utf8.RuneSelf]struct {
	r    byte
	c    unitClass
	keep bool
}) {
	var n Normalized
	for b := range t {
		n.units = n.units[:0]
		addASCII(&n, byte(b), 0, 1)
		if len(n.units) == 1 {
			t[b].r, t[b].c, t[b].keep = byte(n.units[0].r), n.units[0].c, true
		}
	}
	return t
}()

// nonASCII folds the rune at text[i] (not ASCII) into units and returns the next index.
func (nz *Normalizer) nonASCII(n *Normalized, text string, i int) int {
	{
		r, size := utf8.DecodeRuneInString(text[i:])
		s, e := int32(i), int32(i+size)
		i += size
		if r == utf8.RuneError && size == 1 {
			n.Invalid = true
			n.units = append(n.units, unit{s: s, e: e, c: uSep})
			return i
		}
		if (r >= 0x2300 && r <= 0x2bff) || (r >= 0x1f000 && r <= 0x1faff) {
			if m, ok := nz.emoji[r]; ok {
				n.units = append(n.units, unit{r: rune(m), s: s, e: e, c: uEmoji})
				return i
			}
		}
		d := norm.NFKD.PropertiesString(text[s:e]).Decomposition()
		if d == nil {
			addRune(n, r, s, e)
			return i
		}
		for len(d) > 0 {
			c, sz := utf8.DecodeRune(d)
			d = d[sz:]
			addRune(n, c, s, e)
		}
		return i
	}
}

func addASCII(n *Normalized, b byte, s, e int32) {
	switch {
	case 'a' <= b && b <= 'z':
		n.units = append(n.units, unit{r: rune(b), s: s, e: e, c: uLetter})
	case 'A' <= b && b <= 'Z':
		n.units = append(n.units, unit{r: rune(b + 'a' - 'A'), s: s, e: e, c: uLetter})
	case '0' <= b && b <= '9':
		n.units = append(n.units, unit{r: rune(b), s: s, e: e, c: uDigit})
	case b == '@' || b == '$':
		n.units = append(n.units, unit{r: rune(b), s: s, e: e, c: uSym})
	case b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f':
		n.units = append(n.units, unit{r: rune(b), s: s, e: e, c: uSep})
	case b < 0x20 || b == 0x7f:
		// control character: removed
	default:
		n.units = append(n.units, unit{r: rune(b), s: s, e: e, c: uSep})
	}
}

// addRune folds one non-ASCII rune (already decomposed) into units.
func addRune(n *Normalized, c rune, s, e int32) {
	if c < utf8.RuneSelf {
		addASCII(n, byte(c), s, e)
		return
	}
	if unicode.In(c, unicode.Mn, unicode.Me) {
		return // accent or other combining mark
	}
	if unicode.IsSpace(c) {
		n.units = append(n.units, unit{r: ' ', s: s, e: e, c: uSep})
		return
	}
	if unicode.In(c, unicode.Cf, unicode.Cc, unicode.Co, unicode.Cs) || c == 0xfeff {
		return // zero-width and format characters: removed without separating
	}
	if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.Is(unicode.Mc, c) {
		n.units = append(n.units, unit{s: s, e: e, c: uSep})
		return
	}
	c = unicode.ToLower(c)
	switch c {
	case 'ß':
		n.units = append(n.units, unit{r: 's', s: s, e: e, c: uLetter}, unit{r: 's', s: s, e: e, c: uLetter})
		return
	case 'œ':
		n.units = append(n.units, unit{r: 'o', s: s, e: e, c: uLetter}, unit{r: 'e', s: s, e: e, c: uLetter})
		return
	case 'æ':
		n.units = append(n.units, unit{r: 'a', s: s, e: e, c: uLetter}, unit{r: 'e', s: s, e: e, c: uLetter})
		return
	case 'þ':
		n.units = append(n.units, unit{r: 't', s: s, e: e, c: uLetter}, unit{r: 'h', s: s, e: e, c: uLetter})
		return
	case 'ø':
		c = 'o'
	case 'ł':
		c = 'l'
	case 'đ':
		c = 'd'
	case 'ı':
		c = 'i'
	case 'ς':
		c = 'σ'
	}
	n.units = append(n.units, unit{r: c, s: s, e: e, c: uLetter})
}

// resolveSyms decides whether '@' and '$' are letters (leetspeak) or separators.
func resolveSyms(us []unit) {
	for i := range us {
		if us[i].c != uSym {
			continue
		}
		prevL := i > 0 && us[i-1].c == uLetter
		nextL := i+1 < len(us) && us[i+1].c == uLetter
		nextD := i+1 < len(us) && us[i+1].c == uDigit
		switch {
		case us[i].r == '@' && prevL && nextL:
			us[i].r, us[i].c = 'a', uLetter
		case us[i].r == '$' && (nextL || prevL && !nextD):
			us[i].r, us[i].c = 's', uLetter
		default:
			us[i].c = uSep
		}
	}
}

func splitWords(n *Normalized) {
	us := n.units
	for i := 0; i < len(us); {
		switch us[i].c {
		case uEmoji:
			n.words = append(n.words, word{a: int32(i), b: int32(i + 1)})
			i++
		case uLetter, uDigit:
			j := i + 1
			for j < len(us) && (us[j].c == uLetter || us[j].c == uDigit) {
				j++
			}
			n.words = append(n.words, word{a: int32(i), b: int32(j)})
			i = j
		default:
			i++
		}
	}
}

// joinSpaced joins runs of spaced single letters ("n.u.d.e") into one word.
func joinSpaced(n *Normalized) {
	ws, us := n.words, n.units
	out := ws[:0]
	for i := 0; i < len(ws); {
		j, sep := i, rune(-1)
		if single(ws[i], us) {
			for j+1 < len(ws) && single(ws[j+1], us) && ws[j+1].a == ws[j].b+1 {
				g := us[ws[j].b]
				if g.c != uSep || g.r == 0 || (sep >= 0 && g.r != sep) {
					break
				}
				sep = g.r
				j++
			}
		}
		if j-i >= 2 && (sep != ' ' || shortWords(ws[i:j+1], us) <= 1) {
			out = append(out, word{a: ws[i].a, b: ws[j].b, joined: true})
			i = j + 1
			continue
		}
		out = append(out, ws[i])
		i++
	}
	n.words = out
}

func single(w word, us []unit) bool { return w.b-w.a == 1 && us[w.a].c == uLetter }

func shortWords(ws []word, us []unit) int {
	k := 0
	for _, w := range ws {
		switch us[w.a].r {
		case 'a', 'i', 'u', 'r', 'y':
			k++
		}
	}
	return k
}

var leet = [10]rune{'o', 'i', 0, 'e', 'a', 's', 0, 't', 0, 0}

// emitWord writes one word (or its expansion) to n.Text.
func (nz *Normalizer) emitWord(n *Normalized, w word) {
	us := n.units
	if us[w.a].c == uEmoji {
		u := us[w.a]
		nz.emitString(n, nz.markers[u.r], u.s, u.e)
		return
	}
	letters, digits, digitsFirst := 0, 0, true
	for i := w.a; i < w.b; i++ {
		switch us[i].c {
		case uLetter:
			letters++
		case uDigit:
			digits++
			if letters > 0 {
				digitsFirst = false
			}
		}
	}
	if letters > 0 && digits > 0 {
		// Abbreviations with digits ("b4", "gr8") are looked up as typed.
		n.tmp = n.tmp[:0]
		for i := w.a; i < w.b; i++ {
			n.tmp = utf8.AppendRune(n.tmp, us[i].r)
		}
		if exp, ok := nz.lookup(n.tmp); ok {
			nz.emitString(n, exp, us[w.a].s, us[w.b-1].e)
			return
		}
		if digitsFirst {
			k := w.a
			for us[k].c == uDigit {
				k++
			}
			nz.emitPlain(n, word{a: w.a, b: k}, false)
			nz.emitPlain(n, word{a: k, b: w.b}, false)
			return
		}
	}
	nz.emitPlain(n, w, letters > 0 && digits > 0)
}

// emitPlain writes the folded word, leet-folding digits when leet is set, capping letter runs at
// two, then replaces it by its expansion when it is an abbreviation.
func (nz *Normalizer) emitPlain(n *Normalized, w word, leetFold bool) {
	us := n.units[w.a:w.b]
	nz.space(n)
	text, start, end := n.Text, n.start, n.end
	p := len(text)
	var prev rune = -1
	run := 0
	hasRun := false
	for i := range us {
		u := &us[i]
		if u.c == uSep {
			continue // joined spaced letters
		}
		r := u.r
		if u.c == uDigit && leetFold {
			// Length of this digit run.
			a, b := i, i+1
			for a > 0 && us[a-1].c == uDigit {
				a--
			}
			for b < len(us) && us[b].c == uDigit {
				b++
			}
			if b-a <= 2 && leet[r-'0'] != 0 {
				r = leet[r-'0']
			}
		}
		if r == prev && (r > '9' || r < '0') {
			run++
			if run >= 2 {
				end[len(end)-1] = u.e // keep the whole run in the quoted span
				continue
			}
			hasRun = true
		} else {
			run = 0
		}
		prev = r
		if r < utf8.RuneSelf {
			text = append(text, byte(r))
			start = append(start, u.s)
			end = append(end, u.e)
		} else {
			k := len(text)
			text = utf8.AppendRune(text, r)
			for ; k < len(text); k++ {
				start = append(start, u.s)
				end = append(end, u.e)
			}
		}
	}
	n.Text, n.start, n.end = text, start, end
	if len(text) == p {
		n.unspace(p)
		return
	}
	tok := text[p:]
	exp, ok := nz.lookup(tok)
	if !ok && hasRun {
		n.tmp = squeeze(n.tmp[:0], tok)
		exp, ok = nz.lookup(n.tmp)
	}
	if ok {
		s, e := start[p], end[len(end)-1]
		n.Text, n.start, n.end = text[:p], start[:p], end[:p]
		n.unspace(p)
		nz.emitString(n, exp, s, e)
		return
	}
	n.tokS = append(n.tokS, int32(p))
	n.tokE = append(n.tokE, int32(len(text)))
}

// space writes the separator before a new word.
func (nz *Normalizer) space(n *Normalized) {
	if len(n.Text) == 0 {
		return
	}
	// The separator maps to the span of the character before it, which keeps both maps monotone
	// even when one decomposed character feeds two words ("1⁄3" from "⅓").
	n.Text = append(n.Text, ' ')
	n.start = append(n.start, n.start[len(n.start)-1])
	n.end = append(n.end, n.end[len(n.end)-1])
}

// unspace removes the separator written before position p when no word followed.
func (n *Normalized) unspace(p int) {
	if p > 0 && n.Text[p-1] == ' ' {
		p--
	}
	n.Text, n.start, n.end = n.Text[:p], n.start[:p], n.end[:p]
}

// emitString writes normalized words s (space separated) all mapped to the original span [a, b).
func (nz *Normalizer) emitString(n *Normalized, s string, a, b int32) {
	nz.space(n)
	w := len(n.Text)
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			n.tokS = append(n.tokS, int32(w))
			n.tokE = append(n.tokE, int32(len(n.Text)))
			w = len(n.Text) + 1
		}
		n.Text = append(n.Text, s[i])
		n.start = append(n.start, a)
		n.end = append(n.end, b)
	}
	n.tokS = append(n.tokS, int32(w))
	n.tokE = append(n.tokE, int32(len(n.Text)))
}

func (nz *Normalizer) lookup(tok []byte) (string, bool) {
	if len(tok) == 0 || len(tok) >= len(nz.abbrevF) || tok[0] >= utf8.RuneSelf ||
		nz.abbrevF[len(tok)][tok[0]]&(1<<(tok[len(tok)-1]&63)) == 0 {
		return "", false
	}
	if h := fnv16(tok); nz.abbrevB[h>>6]&(1<<(h&63)) == 0 {
		return "", false
	}
	exp, ok := nz.abbrev[string(tok)]
	return exp, ok
}

// fnv16 is FNV-1a folded to 16 bits.
func fnv16(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return (h ^ h>>16) & 0xffff
}

// squeeze appends to dst the word with every run of a repeated ASCII letter reduced to one.
func squeeze(dst, w []byte) []byte {
	for i, c := range w {
		if i > 0 && c == w[i-1] && 'a' <= c && c <= 'z' {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// hasRuns reports whether w holds two equal adjacent ASCII letters.
func hasRuns(w []byte) bool {
	for i := 1; i < len(w); i++ {
		if w[i] == w[i-1] && 'a' <= w[i] && w[i] <= 'z' {
			return true
		}
	}
	return false
}
