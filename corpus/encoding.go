package corpus

// Character encodings of the inputs. Exports are UTF-8, but files that people save or convert by
// hand are not always: Windows Notepad's "Unicode" and Excel's "Unicode text" write UTF-16 LE, and a
// transcript typed or saved on an older system (or a CSV saved by Excel on a French Windows) is in
// Windows-1252. Every input goes through [decodeInput] before its format is detected, so that all
// readers see UTF-8.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEncoding is the encoding of an input as [sniffEncoding] tells it.
type textEncoding int

const (
	encUTF8    textEncoding = iota // UTF-8 (or ASCII); invalid bytes are read as Windows-1252
	encUTF16LE                     // UTF-16, little-endian
	encUTF16BE                     // UTF-16, big-endian
)

func (e textEncoding) String() string {
	switch e {
	case encUTF16LE:
		return "UTF-16LE"
	case encUTF16BE:
		return "UTF-16BE"
	}
	return "UTF-8"
}

// sniffEncoding tells the encoding of an input from its first bytes: UTF-16 from its byte order
// mark, or without one from the zero bytes that ASCII characters leave at every other position;
// UTF-8 otherwise.
func sniffEncoding(head []byte) textEncoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return encUTF16LE
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return encUTF16BE
	}
	// Without a mark: a text of mostly ASCII characters in UTF-16 has a zero at one parity and
	// almost none at the other. Binary files have zeros at both.
	n := min(len(head), 4096) &^ 1
	if n < 8 {
		return encUTF8
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*6 && even*50 <= pairs:
		return encUTF16LE
	case even*10 >= pairs*6 && odd*50 <= pairs:
		return encUTF16BE
	}
	return encUTF8
}

// decodeInput returns a reader of br's bytes as UTF-8: UTF-16 is converted (its byte order mark
// dropped); in UTF-8 input, every byte that does not belong to a valid UTF-8 sequence is read as a
// Windows-1252 character (a superset of Latin-1's printable characters), so that "é" saved as the
// single byte 0xE9 stays "é" instead of becoming U+FFFD. Valid UTF-8 passes unchanged. Positions in
// errors are those of the decoded text: lines are the same, byte offsets may differ from the
// file's in converted inputs. A read error met while looking at the first bytes comes back from
// the returned reader after the bytes read before it, as the underlying reader would give it.
func decodeInput(br *bufio.Reader) *bufio.Reader {
	var src io.Reader = br
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		// bufio hands a read error out once: keep it after the bytes already read.
		src = io.MultiReader(bytes.NewReader(bytes.Clone(head)), errReader{err})
	}
	enc := sniffEncoding(head)
	var t transform.Transformer
	switch enc {
	case encUTF16LE:
		t = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case encUTF16BE:
		t = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	default:
		if err == io.EOF && utf8.Valid(head) {
			return br // the whole input is buffered and valid: nothing to convert, nothing to allocate
		}
		t = utf8OrCP1252{}
	}
	return bufio.NewReaderSize(transform.NewReader(src, t), sniffBytes)
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// utf8OrCP1252 copies valid UTF-8 and turns each byte outside a valid sequence into the UTF-8 of
// its Windows-1252 character.
type utf8OrCP1252 struct{ transform.NopResetter }

func (utf8OrCP1252) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		// Copy the run of valid UTF-8 that starts here in one go.
		n := validRun(src[nSrc:])
		if n > 0 {
			if n > len(dst)-nDst {
				if n = validRun(src[nSrc : nSrc+len(dst)-nDst]); n == 0 {
					return nDst, nSrc, transform.ErrShortDst
				}
			}
			copy(dst[nDst:], src[nSrc:nSrc+n])
			nDst += n
			nSrc += n
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc // the rest of the sequence is in the next chunk
		}
		// A byte outside a valid sequence: its Windows-1252 character.
		r := charmap.Windows1252.DecodeByte(src[nSrc])
		if utf8.RuneLen(r) > len(dst)-nDst {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc++
	}
	return nDst, nSrc, nil
}

// validRun is the length of the longest prefix of b made of valid UTF-8 sequences; a sequence cut
// at the end of b is left out.
func validRun(b []byte) int {
	i := 0
	for i < len(b) {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8 // eight ASCII bytes
			continue
		}
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return i
}
