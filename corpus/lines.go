package corpus

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// fileStem is the base name of a file without a short alphanumeric extension (".txt", ".log"),
// for '/' and '\\' separators alike; "" for a name that has none ("", "-", a bare separator).
func fileStem(name string) string {
	base := filepath.Base(filepath.ToSlash(name))
	base = path.Base(strings.ReplaceAll(base, "\\", "/"))
	if ext := path.Ext(base); len(ext) > 1 && len(ext) <= 5 && isAlnum(ext[1:]) {
		base = strings.TrimSuffix(base, ext)
	}
	if base == "" || base == "." || base == "/" || base == "-" {
		return ""
	}
	return base
}

// lineSource reads the lines of a line-based export (WhatsApp, plain text) within a cap.
type lineSource struct {
	br     *bufio.Reader
	buf    []byte
	keep   int   // bytes of a line kept
	line   int   // lines read
	offset int64 // bytes read
}

// next returns the next line without its line end ("\n" or "\r\n"), at most keep bytes of it. cut
// says the line was longer: an incomplete UTF-8 sequence at the cut is then dropped. Invalid UTF-8
// becomes U+FFFD. A line over maxLine bytes is reported to p. At the end of the input next returns
// io.EOF; a read error comes back positioned by perr.
func (l *lineSource) next(p *problems, maxLine int, perr func(line int, off int64, msg string, err error) *ParseError) (b []byte, cut bool, err error) {
	buf := l.buf[:0]
	start := l.offset
	total := 0
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.offset += int64(len(chunk))
		total += len(chunk)
		if room := l.keep - len(buf); room > 0 {
			buf = append(buf, chunk[:min(len(chunk), room)]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && total == 0 {
			l.buf = buf
			return nil, false, io.EOF
		}
		if err != nil && err != io.EOF {
			l.buf = buf
			return nil, false, perr(l.line+1, start, "read", err)
		}
		break
	}
	l.line++
	b, n := buf, total
	if len(b) > 0 && b[len(b)-1] == '\n' {
		b, n = b[:len(b)-1], n-1
	}
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b, n = b[:len(b)-1], n-1
	}
	if n > len(b) {
		b, cut = trimPartialRune(b), true
		if n > maxLine {
			p.add(perr(l.line, start, fmt.Sprintf("line longer than %d bytes cut", maxLine), ErrTooLarge))
		}
	}
	if !utf8.Valid(b) {
		buf = append(buf[:0], strings.ToValidUTF8(string(b), "\uFFFD")...)
		b = buf
	}
	l.buf = buf
	return b, cut, nil
}
