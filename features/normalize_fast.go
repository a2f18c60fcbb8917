package features

// The ASCII fast path of Normalize: most chat messages are plain ASCII words, digits, spaces and
// punctuation. normalizeASCII handles them in one pass over the bytes, with exactly the rules of
// the general path (FuzzNormalize checks that both agree), and gives up, leaving the work to the
// general path, on anything else: non-ASCII bytes, control characters, '@' and '$' (leetspeak
// candidates), and words that mix letters and digits.

const (
	fSep   = iota // white space or punctuation
	fLower        // a-z
	fUpper        // A-Z
	fDigit        // 0-9
	fBail         // anything the fast path does not handle
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

// normalizeASCII normalizes text into n (already reset) and reports true, or reports false
// (with n reset) when text needs the general path.
func (nz *Normalizer) normalizeASCII(n *Normalized, text string) bool {
	for i := 0; i < len(text); i++ {
		if fastTab[text[i]] == fBail {
			return false
		}
	}
	for i := 0; i < len(text); {
		k := fastTab[text[i]]
		if k == fSep {
			i++
			continue
		}
		j := i + 1
		letters, digits := k != fDigit, k == fDigit
		for j < len(text) && fastTab[text[j]] != fSep {
			if fastTab[text[j]] == fDigit {
				digits = true
			} else {
				letters = true
			}
			j++
		}
		if letters && digits {
			nz.resetOut(n)
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
		nz.emitLetters(n, text, i, 1, j-i)
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
	if fastTab[sep] != fSep {
		return i + 1, 1
	}
	k, count := i+1, 1
	for k+1 < len(text) && text[k] == sep && fastLetter(text[k+1]) && (k+2 == len(text) || fastTab[text[k+2]] == fSep) {
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
	for x := i; x < j; x++ {
		n.start = append(n.start, int32(x))
		n.end = append(n.end, int32(x+1))
	}
	n.tokS = append(n.tokS, int32(p))
	n.tokE = append(n.tokE, int32(len(n.Text)))
}

// emitLetters writes the word made of count letters at text[i], text[i+step], ... (lower-cased,
// repeats capped at two), or its expansion when it is an abbreviation.
func (nz *Normalizer) emitLetters(n *Normalized, text string, i, step, count int) {
	nz.space(n)
	out, start, end := n.Text, n.start, n.end
	p := len(out)
	var prev byte
	run := 0
	hasRun := false
	for x, c := i, 0; c < count; x, c = x+step, c+1 {
		b := text[x] | 0x20
		if b == prev {
			run++
			if run >= 2 {
				end[len(end)-1] = int32(x + 1)
				continue
			}
			hasRun = true
		} else {
			run = 0
		}
		prev = b
		out = append(out, b)
		start = append(start, int32(x))
		end = append(end, int32(x+1))
	}
	n.Text, n.start, n.end = out, start, end
	tok := out[p:]
	exp, ok := nz.lookup(tok)
	if !ok && hasRun {
		n.tmp = squeeze(n.tmp[:0], tok)
		exp, ok = nz.lookup(n.tmp)
	}
	if ok {
		s, e := start[p], end[len(end)-1]
		n.Text, n.start, n.end = out[:p], start[:p], end[:p]
		n.unspace(p)
		nz.emitString(n, exp, s, e)
		return
	}
	n.tokS = append(n.tokS, int32(p))
	n.tokE = append(n.tokE, int32(len(out)))
}
