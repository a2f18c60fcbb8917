package features

import "slices"

// The ASCII fast path of Normalize: most chat messages are plain ASCII words, digits, spaces and
// punctuation. normalizeASCII handles them in one pass over the bytes, with exactly the rules of
// the general path (FuzzNormalize and TestFastPathAgrees check that both agree), and gives up,
// leaving the work to the general path, on anything else: non-ASCII bytes other than the Latin-1
// letters that fold to one ASCII letter (é, À, ç, ñ, ...) and the curly quotes, control
// characters, '@' and '$' (leetspeak candidates), words that mix letters and digits, and words
// made of one non-ASCII letter. Single-code-point pictographs (U+1F300..U+1FAFF) are handled:
// they become marker words or separators as on the general path.

const (
	fSep   = iota // white space or punctuation
	fLower        // a-z
	fUpper        // A-Z
	fDigit        // 0-9
	fBail         // anything the fast path does not handle
	fEmoji        // a pictograph U+1F300..U+1FAFF: a marker word or a separator
)

var fastTab = func() (t [256]uint8) {
	for b := range t {
		switch c := byte(b); {
		case 'a' <= c && c <= 'z':
			t[b] = fLower
		case 'A' <= c && c <= 'Z':
			t[b] = fUpper
		case '0' <= c && c <= '9':
			t[b] = fDigit
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			t[b] = fSep
		case c < 0x20 || c >= 0x7f || c == '@' || c == '$':
			t[b] = fBail
		default:
			t[b] = fSep
		}
	}
	return t
}()

func fastLetter(c byte) bool { k := fastTab[c]; return k == fLower || k == fUpper }

// latin1Fold maps the second byte of a two-byte sequence C3 xx (U+00C0..U+00FF) to the ASCII
// letter it folds to, or 0 when the fast path does not handle it (×, ÷, ß, æ, ø, ð, þ and their
// capitals: they do not fold to exactly one ASCII letter by NFKD).
var latin1Fold = func() (t [256]byte) {
	const src = "AAAAAA_CEEEEIIII_NOOOOO__UUUUY__aaaaaa_ceeeeiiii_nooooo__uuuuy_y"
	for i := 0; i < len(src); i++ {
		if c := src[i]; c != '_' {
			t[0x80+i] = c | 0x20
		}
	}
	t[0x85], t[0xa5] = 0, 0 // Å/å: NFKD gives a + ring, handled; keep them on the general path anyway
	return t
}()

// fastAt classifies the character at text[x]: kind (fSep, fLower, fDigit or fBail), its folded
// byte for letters, and its size in bytes.
func fastAt(text string, x int) (kind uint8, folded byte, size int) {
	c := text[x]
	if c < 0x80 {
		k := fastTab[c]
		if k == fUpper {
			return fLower, c | 0x20, 1
		}
		return k, c, 1
	}
	if c == 0xc3 && x+1 < len(text) {
		if f := latin1Fold[text[x+1]]; f != 0 {
			return fLower, f, 2
		}
	}
	if c == 0xf0 && x+3 < len(text) && text[x+1] == 0x9f && text[x+2] >= 0x8c && text[x+2] <= 0xab && text[x+3] >= 0x80 && text[x+3] <= 0xbf {
		return fEmoji, 0, 4 // U+1F300..U+1FAFF: no NFKD decomposition, never a letter
	}
	if c == 0xe2 && x+2 < len(text) && text[x+1] == 0x80 {
		switch text[x+2] {
		case 0x98, 0x99, 0x9c, 0x9d: // ‘ ’ “ ”
			return fSep, 0, 3
		}
	}
	return fBail, 0, 1
}

// sepAt reports whether text[x] starts a separator (or x is the end).
func sepAt(text string, x int) bool {
	if x >= len(text) {
		return true
	}
	k, _, _ := fastAt(text, x)
	return k == fSep || k == fEmoji
}

// normalizeASCII normalizes text into n (already reset) and reports true, or reports false
// (with n reset) when text needs the general path. It checks the bytes as it goes: every byte is
// read by the main loop, a word's scan or spacedRun (which takes only ASCII letters and one
// separator byte), so a byte it does not handle is always seen, and the output so far dropped.
func (nz *Normalizer) normalizeASCII(n *Normalized, text string) bool {
	for i := 0; i < len(text); {
		k, _, size := fastAt(text, i)
		if k == fSep {
			i += size
			continue
		}
		if k == fBail {
			nz.resetOut(n)
			return false
		}
		if k == fEmoji {
			r := rune(text[i]&0x07)<<18 | rune(text[i+1]&0x3f)<<12 | rune(text[i+2]&0x3f)<<6 | rune(text[i+3]&0x3f)
			if m, ok := nz.emoji[r]; ok {
				nz.emitString(n, nz.markers[m], int32(i), int32(i+4))
			}
			i += 4
			continue
		}
		j := i + size
		// ASCII letters and digits first, with the kinds seen as bits; then the general loop
		// from the first byte that is not one.
		seen := uint8(1) << k
		for j < len(text) {
			k2 := fastTab[text[j]]
			if k2 != fLower && k2 != fUpper && k2 != fDigit {
				break
			}
			seen |= 1 << k2
			j++
		}
		letters, digits := seen&^(1<<fDigit) != 0, seen&(1<<fDigit) != 0
		ascii := size == 1
		for j < len(text) {
			k2, sz := fastTab[text[j]], 1
			if text[j] >= 0x80 {
				k2, _, sz = fastAt(text, j)
			}
			if k2 == fSep || k2 == fEmoji {
				break
			}
			if k2 == fBail {
				nz.resetOut(n)
				return false
			}
			if k2 == fDigit {
				digits = true
			} else {
				letters = true
			}
			ascii = ascii && sz == 1
			j += sz
		}
		if letters && digits {
			if !ascii || !nz.emitDigitsFirst(n, text, i, j) {
				nz.resetOut(n) // leetspeak: general path
				return false
			}
			i = j
			continue
		}
		if j-i == size && size > 1 && (singleBefore(text, i) || singleAfter(text, j)) {
			nz.resetOut(n) // a non-ASCII letter alone, maybe in a run of spaced letters
			return false
		}
		if digits {
			nz.emitDigits(n, text, i, j)
			i = j
			continue
		}
		if j-i == 1 {
			// Spaced letters: L c L c L ... with the same separator c, each letter alone.
			if end, count := spacedRun(text, i); count >= 3 {
				nz.emitLetters(n, text, i, 2, count)
				i = end
				continue
			}
		}
		if ascii {
			nz.emitASCIIWord(n, text, i, j)
		} else {
			nz.emitLatin(n, text, i, j)
		}
		i = j
	}
	return true
}

// spacedRun finds the run of single letters starting at the single letter text[i], separated
// by one same separator byte, applying the rule of joinSpaced. It returns the end of the run
// and its number of letters; count < 3 means no join.
func spacedRun(text string, i int) (end, count int) {
	if i+2 >= len(text) {
		return i + 1, 1
	}
	sep := text[i+1]
	if sep >= 0x80 || fastTab[sep] != fSep {
		return i + 1, 1
	}
	k, count := i+1, 1
	for k+1 < len(text) && text[k] == sep && fastLetter(text[k+1]) && sepAt(text, k+2) {
		count++
		k += 2
	}
	if count < 3 {
		return i + 1, 1
	}
	if sep == ' ' {
		short := 0
		for x := i; x < k; x += 2 {
			switch text[x] | 0x20 {
			case 'a', 'i', 'u', 'r', 'y':
				short++
			}
		}
		if short > 1 {
			return i + 1, 1
		}
	}
	return k, count
}

func (nz *Normalizer) resetOut(n *Normalized) {
	n.Text, n.start, n.end = n.Text[:0], n.start[:0], n.end[:0]
	n.tokS, n.tokE = n.tokS[:0], n.tokE[:0]
}

func (nz *Normalizer) emitDigits(n *Normalized, text string, i, j int) {
	nz.space(n)
	p := len(n.Text)
	n.Text = append(n.Text, text[i:j]...)
	start, end := slices.Grow(n.start, j-i), slices.Grow(n.end, j-i)
	start, end = start[:p+j-i], end[:p+j-i]
	for x := i; x < j; x++ {
		start[p+x-i] = int32(x)
		end[p+x-i] = int32(x + 1)
	}
	n.start, n.end = start, end
	n.tokS = append(n.tokS, int32(p))
	n.tokE = append(n.tokE, int32(len(n.Text)))
}

// emitLetters writes the word made of count letters at text[i], text[i+step], ... (lower-cased,
// repeats capped at two), or its expansion when it is an abbreviation.
func (nz *Normalizer) emitLetters(n *Normalized, text string, i, step, count int) {
	nz.space(n)
	p := len(n.Text)
	out := slices.Grow(n.Text, count)[:p+count]
	start := slices.Grow(n.start, count)[:p+count]
	end := slices.Grow(n.end, count)[:p+count]
	w := p
	var prev byte
	run := 0
	hasRun := false
	for x, c := i, 0; c < count; x, c = x+step, c+1 {
		b := text[x] | lowerBit(text[x])
		if b == prev {
			run++
			if run >= 2 {
				end[w-1] = int32(x + 1)
				continue
			}
			hasRun = true
		} else {
			run = 0
		}
		prev = b
		out[w], start[w], end[w] = b, int32(x), int32(x+1)
		w++
	}
	n.Text, n.start, n.end = out[:w], start[:w], end[:w]
	nz.finishWord(n, p, hasRun)
}

// emitASCIIWord is emitLetters(n, text, i, 1, j-i) for the ASCII letters text[i:j].
func (nz *Normalizer) emitASCIIWord(n *Normalized, text string, i, j int) {
	nz.space(n)
	p, count := len(n.Text), j-i
	out := slices.Grow(n.Text, count)[:p+count]
	start := slices.Grow(n.start, count)[:p+count]
	end := slices.Grow(n.end, count)[:p+count]
	src, o, st, en := text[i:j], out[p:], start[p:], end[p:]
	w := 0
	var prev byte
	run := 0
	hasRun := false
	for k := 0; k < len(src); k++ {
		b := asciiLower[src[k]]
		x := int32(i + k)
		if b == prev {
			run++
			if run >= 2 {
				en[w-1] = x + 1
				continue
			}
			hasRun = true
		} else {
			run = 0
		}
		prev = b
		o[w], st[w], en[w] = b, x, x+1
		w++
	}
	n.Text, n.start, n.end = out[:p+w], start[:p+w], end[:p+w]
	nz.finishWord(n, p, hasRun)
}

// asciiLower lower-cases ASCII upper-case letters and leaves every other byte.
var asciiLower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c) | lowerBit(byte(c))
	}
	return t
}()

// finishWord ends the word written at n.Text[p:]: it is replaced by its expansion when it is an
// abbreviation, else recorded as a word.
func (nz *Normalizer) finishWord(n *Normalized, p int, hasRun bool) {
	tok := n.Text[p:]
	exp, ok := nz.lookup(tok)
	if !ok && hasRun {
		n.tmp = squeeze(n.tmp[:0], tok)
		exp, ok = nz.lookup(n.tmp)
	}
	if ok {
		s, e := n.start[p], n.end[len(n.end)-1]
		n.Text, n.start, n.end = n.Text[:p], n.start[:p], n.end[:p]
		n.unspace(p)
		nz.emitString(n, exp, s, e)
		return
	}
	n.tokS = append(n.tokS, int32(p))
	n.tokE = append(n.tokE, int32(len(n.Text)))
}

// emitLatin is emitLetters for a word text[i:j] holding folded Latin-1 letters.
func (nz *Normalizer) emitLatin(n *Normalized, text string, i, j int) {
	nz.space(n)
	out, start, end := n.Text, n.start, n.end
	p := len(out)
	var prev byte
	run := 0
	hasRun := false
	for x := i; x < j; {
		_, b, size := fastAt(text, x)
		if b == prev {
			run++
			if run >= 2 {
				end[len(end)-1] = int32(x + size)
				x += size
				continue
			}
			hasRun = true
		} else {
			run = 0
		}
		prev = b
		out = append(out, b)
		start = append(start, int32(x))
		end = append(end, int32(x+size))
		x += size
	}
	n.Text, n.start, n.end = out, start, end
	nz.finishWord(n, p, hasRun)
}

// emitDigitsFirst handles an ASCII word of digits then letters ("13ans", "2day"): an
// abbreviation, else a number and a word. It reports false for other mixes (leetspeak).
func (nz *Normalizer) emitDigitsFirst(n *Normalized, text string, i, j int) bool {
	k := i
	for k < j && fastTab[text[k]] == fDigit {
		k++
	}
	for x := k; x < j; x++ {
		if fastTab[text[x]] == fDigit {
			return false
		}
	}
	n.tmp = n.tmp[:0]
	for x := i; x < j; x++ {
		n.tmp = append(n.tmp, text[x]|lowerBit(text[x]))
	}
	if exp, ok := nz.lookup(n.tmp); ok {
		nz.emitString(n, exp, int32(i), int32(j))
		return true
	}
	nz.emitDigits(n, text, i, k)
	nz.emitLetters(n, text, k, 1, j-k)
	return true
}

// lowerBit is the bit that lower-cases an ASCII upper-case letter, 0 for other bytes.
func lowerBit(c byte) byte {
	if fastTab[c] == fUpper {
		return 0x20
	}
	return 0
}

// singleBefore reports whether the word before position i (across exactly one ASCII
// separator) may be a one-letter word; it errs on the side of true.
func singleBefore(text string, i int) bool {
	if i < 2 || text[i-1] >= 0x80 || fastTab[text[i-1]] != fSep {
		return false
	}
	x := i - 2 // last byte of the previous character
	switch {
	case text[x] < 0x80:
		if !fastLetter(text[x]) {
			return false
		}
		x--
	case x >= 1 && text[x-1] == 0xc3:
		x -= 2
	default:
		return true
	}
	return x < 0 || text[x] >= 0x80 || fastTab[text[x]] == fSep
}

// singleAfter reports whether the word after position j (across exactly one ASCII separator)
// may be a one-letter word; it errs on the side of true.
func singleAfter(text string, j int) bool {
	if j+1 >= len(text) || text[j] >= 0x80 || fastTab[text[j]] != fSep {
		return false
	}
	k, _, size := fastAt(text, j+1)
	if k != fLower {
		return k == fBail
	}
	return sepAt(text, j+1+size)
}
