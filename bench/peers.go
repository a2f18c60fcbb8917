package bench

import (
	"bufio"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigie/vigie/features"
)

// NaiveCueRegexp compiles the lexicon phrases into one case-insensitive regexp alternation over
// raw text: the naive cue matcher, a baseline for the features matcher. Placeholders become
// `\d+` (<num>) and `\S+` (<any>); a trailing `*` becomes `\w*`.
func NaiveCueRegexp(entries []features.Entry) (*regexp.Regexp, error) {
	alts := make([]string, 0, len(entries))
	for _, e := range entries {
		var words []string
		for _, f := range strings.Fields(e.Phrase) {
			switch {
			case f == "<num>":
				words = append(words, `\d+`)
			case f == "<any>":
				words = append(words, `\S+`)
			case strings.HasSuffix(f, "*"):
				words = append(words, regexp.QuoteMeta(strings.TrimSuffix(f, "*"))+`\w*`)
			default:
				words = append(words, regexp.QuoteMeta(f))
			}
		}
		alts = append(alts, strings.Join(words, `\s+`))
	}
	return regexp.Compile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
}

// LowerLines is the floor of the peer comparison: it reads r line by line and lower-cases every
// line (unicode.ToLower rune by rune, ASCII bytes without decoding) into buf, calling fn with each
// lowered line when fn is not nil. It returns buf, grown, for reuse.
func LowerLines(buf []byte, r io.Reader, fn func([]byte)) []byte {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		line, err := br.ReadSlice('\n')
		buf = appendLower(buf[:0], line)
		for err == bufio.ErrBufferFull {
			line, err = br.ReadSlice('\n')
			buf = appendLower(buf, line)
		}
		if fn != nil && len(buf) > 0 {
			fn(buf)
		}
		if err != nil {
			return buf
		}
	}
}

// appendLower appends b lower-cased to dst.
func appendLower(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst
}
