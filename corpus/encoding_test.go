package corpus

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/transform"
)

// utf16Bytes encodes s as UTF-16 in the given byte order, with a byte order mark when bom.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// decodeAll reads r through decodeInput.
func decodeAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(decodeInput(bufio.NewReaderSize(r, sniffBytes)))
	require.NoError(t, err)
	return string(b)
}

const encChat = "[14/03/2026, 21:03] Léa: On se voit après les cours ? 🙂\r\n[14/03/2026, 21:04] Sam: Oui, à demain.\r\n"

func TestSniffEncoding(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		want   textEncoding
		reason string
	}{
		{name: "utf-8", in: []byte(encChat), want: encUTF8},
		{name: "utf-8 with bom", in: append([]byte("\xef\xbb\xbf"), encChat...), want: encUTF8},
		{name: "utf-16le with bom", in: utf16Bytes(encChat, false, true), want: encUTF16LE, reason: "Notepad's \"Unicode\""},
		{name: "utf-16be with bom", in: utf16Bytes(encChat, true, true), want: encUTF16BE},
		{name: "utf-16le without bom", in: utf16Bytes(encChat, false, false), want: encUTF16LE, reason: "zeros at odd positions"},
		{name: "utf-16be without bom", in: utf16Bytes(encChat, true, false), want: encUTF16BE},
		{name: "windows-1252", in: []byte("Sam: caf\xe9 \xe0 deux\n"), want: encUTF8, reason: "read as UTF-8 with a Windows-1252 fallback"},
		{name: "binary with zeros at both parities", in: bytes.Repeat([]byte{0, 0, 1, 0, 0, 7, 0, 0}, 64), want: encUTF8},
		{name: "too short to tell", in: []byte{'a', 0, 'b'}, want: encUTF8},
		{name: "empty", in: nil, want: encUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, sniffEncoding(tt.in), tt.reason)
		})
	}
}

func TestDecodeInput(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		want   string
		reason string
	}{
		{name: "utf-8 unchanged", in: []byte(encChat), want: encChat},
		{name: "utf-8 bom kept for the readers", in: []byte("\xef\xbb\xbfa"), want: "\ufeffa", reason: "stripBOM drops it after"},
		{name: "utf-16le with bom", in: utf16Bytes(encChat, false, true), want: encChat, reason: "the mark is dropped"},
		{name: "utf-16be with bom", in: utf16Bytes(encChat, true, true), want: encChat},
		{name: "utf-16le without bom", in: utf16Bytes(encChat, false, false), want: encChat},
		{name: "windows-1252 letters", in: []byte("Sam: caf\xe9, \xe0 l'\xe9cole, \x80 20, \x93ok\x94\n"), want: "Sam: café, à l'école, € 20, “ok”\n"},
		{name: "mixed utf-8 and windows-1252", in: []byte("\xc3\xa9t\xe9"), want: "été", reason: "valid sequences stay UTF-8, stray bytes are Windows-1252"},
		{name: "incomplete sequence at the end", in: []byte("ok \xe2\x82"), want: "ok â‚", reason: "at EOF the cut bytes are Windows-1252 characters"},
		{name: "invalid byte after 64 KiB of ascii", in: append(bytes.Repeat([]byte("a"), sniffBytes+10), 0xe9), want: strings.Repeat("a", sniffBytes+10) + "é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, decodeAll(t, bytes.NewReader(tt.in)), tt.reason)
		})
	}
}

// A small valid input (a request of vigie serve, a short chat) is passed on as it is: no copy, no
// buffers allocated for a conversion that changes nothing.
func TestDecodeInputSmallValidUnchanged(t *testing.T) {
	br := bufio.NewReaderSize(strings.NewReader(encChat), sniffBytes)
	assert.Same(t, br, decodeInput(br))
	if testing.CoverMode() == "" {
		sr := strings.NewReader(encChat)
		allocs := testing.AllocsPerRun(100, func() {
			sr.Reset(encChat)
			br.Reset(sr)
			_ = decodeInput(br)
		})
		assert.Zero(t, allocs)
	}
	bad := bufio.NewReaderSize(strings.NewReader("caf\xe9"), sniffBytes)
	assert.NotSame(t, bad, decodeInput(bad), "invalid bytes are converted")
}

func TestDecodeInputChunks(t *testing.T) {
	// A multi-byte sequence split between two reads must not be taken for stray bytes.
	in := encChat + "\xe9t\xe9 " + encChat
	want := encChat + "été " + encChat
	got, err := io.ReadAll(transform.NewReader(iotest.OneByteReader(strings.NewReader(in)), utf8OrCP1252{}))
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "the transformer fed one byte at a time")
	long := strings.Repeat(in, 2*sniffBytes/len(in)+1)
	assert.Equal(t, strings.Repeat(want, 2*sniffBytes/len(in)+1), decodeAll(t, iotest.OneByteReader(strings.NewReader(long))),
		"past the first 64 KiB, reads cut sequences")
	assert.Equal(t, encChat, decodeAll(t, iotest.HalfReader(bytes.NewReader(utf16Bytes(encChat, false, true)))))
}

func TestDecodeInputKeepsReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("Sam: caf\xe9\n"), iotest.ErrReader(io.ErrUnexpectedEOF))
	b, err := io.ReadAll(decodeInput(bufio.NewReaderSize(r, sniffBytes)))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, "Sam: café\n", string(b), "the bytes before the error are kept")
}

// The readers see decoded text: a UTF-16 or Windows-1252 file reads as its UTF-8 twin.
func TestReadersSeeDecodedText(t *testing.T) {
	text := "Léa: Tu as fini le devoir de français ?\nSam: Presque, et toi ?\nLéa: Oui, à demain.\n"
	csv := "conversation_id,message_id,author,time,text\nc1,1,Léa,,Ça va ?\nc1,2,Sam,,Très bien.\n"
	cp1252 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			switch {
			case r < 0x80:
				b = append(b, byte(r))
			case r <= 0xff:
				b = append(b, byte(r)) // Latin-1 letters have the same code in Windows-1252
			default:
				t.Fatalf("no Windows-1252 byte for %q", r)
			}
		}
		return b
	}
	tests := []struct {
		name, file string
		in         []byte
		utf8       string
		format     Format
	}{
		{name: "text in utf-16le", file: "chat.txt", in: utf16Bytes(strings.ReplaceAll(text, "\n", "\r\n"), false, true), utf8: text, format: FormatText},
		{name: "text in windows-1252", file: "chat.txt", in: cp1252(text), utf8: text, format: FormatText},
		{name: "csv in windows-1252", file: "chat.csv", in: cp1252(csv), utf8: csv, format: FormatCSV},
		{name: "whatsapp in utf-16be", file: "WhatsApp Chat with Léa.txt", in: utf16Bytes(encChat, true, false), utf8: encChat, format: FormatWhatsApp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := readConvs(t, tt.file, []byte(tt.utf8))
			r, err := NewReader(tt.file, bytes.NewReader(tt.in), Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.format, r.Format())
			got, err := ReadAll(r)
			require.NoError(t, err)
			require.NotEmpty(t, got)
			assert.Equal(t, want, got)
		})
	}
}

func readConvs(t *testing.T, name string, in []byte) []*Conversation {
	t.Helper()
	r, err := NewReader(name, bytes.NewReader(in), Options{})
	require.NoError(t, err)
	c, err := ReadAll(r)
	require.NoError(t, err)
	return c
}

// FuzzDecodeInput: the decoded text is valid UTF-8, valid UTF-8 passes unchanged, and how the
// input is cut into reads changes nothing.
func FuzzDecodeInput(f *testing.F) {
	f.Add([]byte(encChat))
	f.Add(utf16Bytes(encChat, false, true))
	f.Add(utf16Bytes(encChat, true, false))
	f.Add([]byte("caf\xe9 \xc3\xa9 \xe2\x82"))
	f.Add([]byte{0xff, 0xfe, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		whole := decodeAll(t, bytes.NewReader(in))
		if !utf8.ValidString(whole) {
			t.Fatalf("decoded text is not UTF-8: %q", whole)
		}
		if sniffEncoding(in) == encUTF8 && utf8.Valid(in) && whole != string(in) {
			t.Fatalf("valid UTF-8 changed: %q -> %q", in, whole)
		}
		if pieces := decodeAll(t, iotest.OneByteReader(bytes.NewReader(in))); pieces != whole {
			t.Fatalf("one byte at a time: %q, whole: %q", pieces, whole)
		}
	})
}

// BenchmarkDecodeInput: the cost that every input pays before its reader, against a plain copy.
func BenchmarkDecodeInput(b *testing.B) {
	chat := strings.Repeat(encChat, (1<<20)/len(encChat))
	for _, in := range []struct {
		name string
		data []byte
	}{
		{"utf-8", []byte(chat)},
		{"windows-1252", bytes.ReplaceAll([]byte(chat), []byte("é"), []byte{0xe9})},
		{"utf-16le", utf16Bytes(chat, false, true)},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				if _, err := io.Copy(io.Discard, decodeInput(bufio.NewReaderSize(bytes.NewReader(in.data), sniffBytes))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("baseline=copy", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(chat)))
		for b.Loop() {
			if _, err := io.Copy(io.Discard, bufio.NewReaderSize(strings.NewReader(chat), sniffBytes)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
