package features

import (
	"errors"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Defaults of [Hasher], used when a field is zero.
const (
	DefaultBuckets        = 1 << 18 // hash buckets; ids are in [1, Buckets], 0 is padding
	DefaultWordNgrams     = 2       // words and word bigrams
	DefaultMinN           = 3       // shortest character n-gram, in runes, markers included
	DefaultMaxN           = 5       // longest character n-gram
	DefaultMinCharWordLen = 4       // words shorter than this (in runes) get no character n-grams
	DefaultMaxIDs         = 256     // ids appended per call at most
)

// Limits of [Hasher] fields; [Hasher.Validate] rejects values beyond them.
const (
	MaxBuckets    = 1 << 30
	MaxWordNgrams = 5
	MaxCharNgram  = 8
)

// ErrHasherConfig is returned (wrapped) by [Hasher.Validate] for a field out of range.
var ErrHasherConfig = errors.New("invalid hasher configuration")

// Hasher turns normalized text into hashed token ids for the default fastText-style model: words,
// word n-grams and character n-grams, each hashed with 32-bit FNV-1a into one of Buckets buckets.
// The ids fit the int64 `ids` input tensor of the ONNX model ([batch, seq], 0 = padding): every id
// is in [1, Buckets], so the embedding table has Buckets+1 rows.
//
// The zero value is ready to use and means the defaults (Default* constants). Fields are resolved at
// each call, so a Hasher is a plain value: copy it, compare it, store it beside a model (see
// [Hasher.Spec]). A Hasher is safe for concurrent use.
//
// # Tokens
//
// The input is text that the package normalizer already produced (lower case, folded): AppendIDs
// does no case folding of its own, so "Bonjour" and "bonjour" hash differently. A word is a maximal
// run of letters and digits (combining marks continue a word, they never start one). Everything
// else separates words, apostrophes included: "j'ai" gives "j" and "ai", "l'école" gives "l" and
// "école", "don't" gives "don" and "t". This keeps French elisions from multiplying the vocabulary
// ("l'école", "d'école" and "école" share the id of "école") while the word bigram "j ai" still sees
// the pair. Each rune of category So (emoji and other symbols) is a one-rune word of its own, so
// "😘😘" gives two tokens; variation selectors, zero-width joiners and skin-tone modifiers are
// separators. Invalid UTF-8 bytes are separators.
//
// For each word, in order: the word id, then (if the word has at least MinCharWordLen runes) the ids
// of the character n-grams of "<word>" with MinN..MaxN runes as fastText computes them, then the ids
// of the word n-grams that end with this word (bigram, trigram, ... up to WordNgrams).
//
// # Hashing
//
// A word or n-gram string hashes with FNV-1a 32 over its UTF-8 bytes (offset basis 2166136261,
// prime 16777619). Unlike fastText's C++ code, bytes are not sign-extended, so the values match the
// FNV-1a reference. Word n-grams combine word hashes as fastText does: h = h*116049371 + next, in
// 64 bits. The id is 1 + h mod Buckets.
type Hasher struct {
	// Buckets is the number of hash buckets (0: DefaultBuckets; at most MaxBuckets).
	Buckets uint32
	// WordNgrams is the longest word n-gram (0: DefaultWordNgrams; 1: words only; at most
	// MaxWordNgrams).
	WordNgrams int
	// MinN and MaxN bound the character n-grams, in runes, "<" and ">" markers included (both 0:
	// DefaultMinN and DefaultMaxN; MaxN < 0: no character n-grams; else 1 <= MinN <= MaxN <=
	// MaxCharNgram).
	MinN, MaxN int
	// MinCharWordLen is the rune length from which a word gets character n-grams (0:
	// DefaultMinCharWordLen; 1: every word).
	MinCharWordLen int
	// MaxIDs caps the ids appended by one call, so that a huge message cannot blow up the tensor
	// (0: DefaultMaxIDs). Tokens past the cap are dropped; the first words of the text are kept.
	MaxIDs int
}

// hasherConfig is a Hasher with its defaults resolved and its values clamped to the limits.
type hasherConfig struct {
	buckets          uint64
	wordNgrams       int
	minN, maxN       int // maxN == 0: no character n-grams
	minCharWordLen   int
	maxIDs           int
	charNgramsActive bool
	mask             uint64 // buckets-1 when buckets is a power of two, else 0
}

// Validate reports a field out of range, wrapping [ErrHasherConfig]. AppendIDs never fails: it
// clamps such values to the nearest valid one, but a model should refuse a configuration that
// Validate rejects.
func (h Hasher) Validate() error {
	switch {
	case h.Buckets > MaxBuckets:
		return fmt.Errorf("%w: buckets %d above %d", ErrHasherConfig, h.Buckets, MaxBuckets)
	case h.WordNgrams < 0 || h.WordNgrams > MaxWordNgrams:
		return fmt.Errorf("%w: word n-grams %d not in [0, %d]", ErrHasherConfig, h.WordNgrams, MaxWordNgrams)
	case h.MinCharWordLen < 0:
		return fmt.Errorf("%w: min char word length %d is negative", ErrHasherConfig, h.MinCharWordLen)
	case h.MaxIDs < 0:
		return fmt.Errorf("%w: max ids %d is negative", ErrHasherConfig, h.MaxIDs)
	case h.MaxN < 0 || (h.MinN == 0 && h.MaxN == 0):
		return nil
	case h.MinN < 1 || h.MinN > h.MaxN || h.MaxN > MaxCharNgram:
		return fmt.Errorf("%w: char n-grams %d..%d not within 1..%d", ErrHasherConfig, h.MinN, h.MaxN, MaxCharNgram)
	}
	return nil
}

func (h *Hasher) config() hasherConfig {
	c := hasherConfig{
		buckets:        uint64(h.Buckets),
		wordNgrams:     h.WordNgrams,
		minN:           h.MinN,
		maxN:           h.MaxN,
		minCharWordLen: h.MinCharWordLen,
		maxIDs:         h.MaxIDs,
	}
	if c.buckets == 0 {
		c.buckets = DefaultBuckets
	}
	c.buckets = min(c.buckets, MaxBuckets)
	if c.buckets&(c.buckets-1) == 0 {
		c.mask = c.buckets - 1
	}
	if c.wordNgrams <= 0 {
		c.wordNgrams = DefaultWordNgrams
	}
	c.wordNgrams = min(c.wordNgrams, MaxWordNgrams)
	switch {
	case c.maxN < 0:
		c.minN, c.maxN = 0, 0
	case c.minN == 0 && c.maxN == 0:
		c.minN, c.maxN = DefaultMinN, DefaultMaxN
	default:
		c.maxN = min(c.maxN, MaxCharNgram)
		c.minN = max(c.minN, 1)
		if c.minN > c.maxN {
			c.minN, c.maxN = 0, 0
		}
	}
	c.charNgramsActive = c.maxN > 0
	if c.minCharWordLen <= 0 {
		c.minCharWordLen = DefaultMinCharWordLen
	}
	if c.maxIDs <= 0 {
		c.maxIDs = DefaultMaxIDs
	}
	return c
}

// Spec describes the resolved configuration in one line, for a model's metadata: a model trained
// with one Spec must be fed ids from a Hasher with the same Spec.
func (h Hasher) Spec() string {
	c := h.config()
	chars := "none"
	if c.charNgramsActive {
		chars = fmt.Sprintf("%d-%d/%d", c.minN, c.maxN, c.minCharWordLen)
	}
	return fmt.Sprintf("hash-v1 fnv1a32 buckets=%d wordngrams=%d chars=%s maxids=%d",
		c.buckets, c.wordNgrams, chars, c.maxIDs)
}

// Name implements [Tokenizer]; it returns [Hasher.Spec].
func (h Hasher) Name() string { return h.Spec() }

// Vocab returns the number of rows of the embedding table that the ids index: Buckets+1.
func (h Hasher) Vocab() int { return int(h.config().buckets) + 1 }

// Encode implements [Tokenizer]: it appends the ids of text to dst. It never fails.
func (h Hasher) Encode(text string, dst []int64) ([]int64, error) {
	return h.AppendIDsString(dst, text), nil
}

// AppendIDs appends the ids of the normalized text to dst (at most MaxIDs of them) and returns the
// extended slice. It does not allocate when dst has room.
func (h Hasher) AppendIDs(dst []int64, text []byte) []int64 {
	return h.AppendIDsString(dst, unsafe.String(unsafe.SliceData(text), len(text)))
}

// FNV-1a 32 parameters, and fastText's multiplier for word n-gram hashes.
const (
	fnvOffset32   = 2166136261
	fnvPrime32    = 16777619
	ngramMultiply = 116049371
)

// Rune classes for splitting.
const (
	classSep    = iota // separates words
	classWord          // letter or digit
	classMark          // combining mark: continues a word, never starts one
	classSymbol        // a one-rune token of its own (emoji)
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classWord
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = classWord
		t[c-'a'+'A'] = classWord
	}
	return t
}()

func runeClass(r rune) uint8 {
	switch {
	case r == utf8.RuneError:
		return classSep // invalid UTF-8 (a literal U+FFFD separates too)
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return classWord
	case unicode.IsMark(r):
		return classMark
	case unicode.Is(unicode.So, r):
		return classSymbol
	}
	return classSep
}

// defaultHasherConfig is the configuration of the zero Hasher.
var defaultHasherConfig = (&Hasher{}).config()

// AppendIDsString is [Hasher.AppendIDs] for a string.
func (h Hasher) AppendIDsString(dst []int64, text string) []int64 {
	var c hasherConfig
	// Field by field: comparing the structs calls the generated equality function.
	if h.Buckets == 0 && h.WordNgrams == 0 && h.MinN == 0 && h.MaxN == 0 && h.MinCharWordLen == 0 && h.MaxIDs == 0 {
		c = defaultHasherConfig
	} else {
		c = h.config()
	}
	end := len(dst) + c.maxIDs
	var prev [MaxWordNgrams]uint32 // hashes of the previous words, prev[0] the latest
	nprev := 0
	for i := 0; i < len(text); {
		// Find the next word [start, i).
		b := text[i]
		var class uint8
		size := 1
		if b < utf8.RuneSelf {
			class = asciiClass[b]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			class = runeClass(r)
		}
		if class == classSep || class == classMark {
			i += size
			continue
		}
		start := i
		// The word's FNV-1a hash is computed while it is scanned.
		wh := (fnvOffset32 ^ uint32(b)) * fnvPrime32
		for _, b := range []byte(text[i+1 : i+size]) {
			wh = (wh ^ uint32(b)) * fnvPrime32
		}
		i += size
		runes := 1
		ascii := size == 1
		if class == classWord {
			for i < len(text) {
				b := text[i]
				if b < utf8.RuneSelf {
					if asciiClass[b] != classWord {
						break
					}
					wh = (wh ^ uint32(b)) * fnvPrime32
					i++
				} else {
					r, size := utf8.DecodeRuneInString(text[i:])
					if cl := runeClass(r); cl != classWord && cl != classMark {
						break
					}
					for _, b := range []byte(text[i : i+size]) {
						wh = (wh ^ uint32(b)) * fnvPrime32
					}
					i += size
					ascii = false
				}
				runes++
			}
		}
		word := text[start:i]

		if len(dst) >= end {
			return dst
		}
		dst = append(dst, c.id32(wh))
		if c.charNgramsActive && runes >= c.minCharWordLen {
			var full bool
			if dst, full = c.appendCharNgrams(dst, word, ascii, end); full {
				return dst
			}
		}
		// Word n-grams ending with this word.
		if c.wordNgrams == 2 {
			if nprev > 0 {
				if len(dst) >= end {
					return dst
				}
				dst = append(dst, c.id(uint64(prev[0])*ngramMultiply+uint64(wh)))
			}
			prev[0], nprev = wh, 1
			continue
		}
		for k := 1; k < c.wordNgrams && k <= nprev; k++ {
			g := uint64(prev[k-1])
			for m := k - 2; m >= 0; m-- {
				g = g*ngramMultiply + uint64(prev[m])
			}
			g = g*ngramMultiply + uint64(wh)
			if len(dst) >= end {
				return dst
			}
			dst = append(dst, c.id(g))
		}
		copy(prev[1:], prev[:len(prev)-1])
		prev[0] = wh
		nprev = min(nprev+1, len(prev))
	}
	return dst
}

func (c *hasherConfig) id(h uint64) int64 {
	if c.mask != 0 {
		return int64(1 + h&c.mask)
	}
	return int64(1 + h%c.buckets)
}

// id32 is id for a 32-bit hash (buckets is at most 2^30, so 32-bit modulo is exact).
func (c *hasherConfig) id32(h uint32) int64 {
	if c.mask != 0 {
		return int64(1 + h&uint32(c.mask))
	}
	return int64(1 + h%uint32(c.buckets))
}

// utf8Len returns the length of the UTF-8 sequence that starts with b (word bytes are valid UTF-8).
func utf8Len(b byte) int {
	switch {
	case b < 0xC0:
		return 1
	case b < 0xE0:
		return 2
	case b < 0xF0:
		return 3
	}
	return 4
}

// appendCharNgrams appends the ids of the character n-grams of "<word>" as fastText's
// computeSubwords does: every run of minN..maxN runes, except the lone markers. It reports whether
// the cap end was reached.
func (c *hasherConfig) appendCharNgrams(dst []int64, word string, ascii bool, end int) ([]int64, bool) {
	var buf [64]byte
	if len(word)+2 > len(buf) {
		return c.appendCharNgramsLong(dst, word, end)
	}
	buf[0] = '<'
	n := 1 + copy(buf[1:], word)
	buf[n] = '>'
	n++
	p := buf[:n]
	if ascii && c.mask != 0 && c.minN >= 2 && len(dst)+n*(c.maxN-c.minN+1) <= end {
		return c.appendASCIINgrams(dst, p), false
	}
	if ascii {
		// One byte per rune: no rune lengths to look up.
		for s := 0; s < n; s++ {
			h := uint32(fnvOffset32)
			for j := s; j < min(s+c.maxN, n); j++ {
				h ^= uint32(p[j])
				h *= fnvPrime32
				ln := j - s + 1
				if ln >= c.minN && (ln > 1 || (s > 0 && j < n-1)) {
					if len(dst) >= end {
						return dst, true
					}
					dst = append(dst, c.id32(h))
				}
			}
		}
		return dst, false
	}
	for s := 0; s < n; {
		h := uint32(fnvOffset32)
		j := s
		for ln := 1; ln <= c.maxN && j < n; ln++ {
			sz := utf8Len(p[j])
			for _, b := range p[j:min(j+sz, n)] {
				h ^= uint32(b)
				h *= fnvPrime32
			}
			j += sz
			if ln >= c.minN && (ln > 1 || (s > 0 && j < n)) {
				if len(dst) >= end {
					return dst, true
				}
				dst = append(dst, c.id32(h))
			}
		}
		s += utf8Len(p[s])
	}
	return dst, false
}

// appendASCIINgrams is appendCharNgrams for an ASCII "<word>" p when the buckets are a power of
// two, minN >= 2 (so no lone marker to skip) and the cap cannot be reached: no checks per n-gram.
func (c *hasherConfig) appendASCIINgrams(dst []int64, p []byte) []int64 {
	n := len(p)
	w := len(dst)
	dst = slices.Grow(dst, n*(c.maxN-c.minN+1))
	out := dst[w : w+n*(c.maxN-c.minN+1)]
	mask := uint32(c.mask)
	k := 0
	if c.minN == 3 && c.maxN == 5 {
		// The default, unrolled: for each start the 3-, 4- and 5-gram.
		const h0 = fnvOffset32
		s := 0
		for ; s+5 <= n; s++ {
			g := p[s : s+5]
			h3 := (((h0^uint32(g[0]))*fnvPrime32^uint32(g[1]))*fnvPrime32 ^ uint32(g[2])) * fnvPrime32
			h4 := (h3 ^ uint32(g[3])) * fnvPrime32
			h5 := (h4 ^ uint32(g[4])) * fnvPrime32
			o := out[k : k+3]
			o[0], o[1], o[2] = int64(1+h3&mask), int64(1+h4&mask), int64(1+h5&mask)
			k += 3
		}
		if s+4 <= n { // the last 4 bytes: a 3-gram and a 4-gram
			g := p[s : s+4]
			h3 := (((h0^uint32(g[0]))*fnvPrime32^uint32(g[1]))*fnvPrime32 ^ uint32(g[2])) * fnvPrime32
			h4 := (h3 ^ uint32(g[3])) * fnvPrime32
			out[k], out[k+1] = int64(1+h3&mask), int64(1+h4&mask)
			k += 2
			s++
		}
		if s+3 <= n { // the last 3-gram
			g := p[s : s+3]
			h3 := (((h0^uint32(g[0]))*fnvPrime32^uint32(g[1]))*fnvPrime32 ^ uint32(g[2])) * fnvPrime32
			out[k] = int64(1 + h3&mask)
			k++
		}
		return dst[:w+k]
	}
	for s := 0; s+c.minN <= n; s++ {
		h := uint32(fnvOffset32)
		for _, b := range p[s : s+c.minN-1] {
			h = (h ^ uint32(b)) * fnvPrime32
		}
		for _, b := range p[s+c.minN-1 : min(s+c.maxN, n)] {
			h = (h ^ uint32(b)) * fnvPrime32
			out[k] = int64(1 + h&mask)
			k++
		}
	}
	return dst[:w+k]
}

// appendCharNgramsLong is appendCharNgrams for words that do not fit its buffer.
func (c *hasherConfig) appendCharNgramsLong(dst []int64, word string, end int) ([]int64, bool) {
	n := len(word) + 2 // length of "<word>"
	at := func(k int) byte {
		switch k {
		case 0:
			return '<'
		case n - 1:
			return '>'
		}
		return word[k-1]
	}
	for s := 0; s < n; {
		h := uint32(fnvOffset32)
		j := s
		for ln := 1; ln <= c.maxN && j < n; ln++ {
			sz := utf8Len(at(j))
			for k := j; k < min(j+sz, n); k++ {
				h ^= uint32(at(k))
				h *= fnvPrime32
			}
			j += sz
			if ln >= c.minN && (ln > 1 || (s > 0 && j < n)) {
				if len(dst) >= end {
					return dst, true
				}
				dst = append(dst, c.id32(h))
			}
		}
		s += utf8Len(at(s))
	}
	return dst, false
}
