package corpus

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseTextLine(t *testing.T) {
	tests := []struct {
		line                string
		ok                  bool
		author, stamp, text string
		header              bool
	}{
		{line: "Sam: hi, how was school?", ok: true, author: "Sam", text: "hi, how was school?"},
		{line: "  Sam Lee : hi", ok: true, author: "Sam Lee", text: "hi"},
		{line: "Sam:", ok: true, author: "Sam"},
		{line: "[21:03] Sam: hi", ok: true, author: "Sam", stamp: "21:03", text: "hi"},
		{line: "[2026-03-14 21:03:05] Sam: hi", ok: true, author: "Sam", stamp: "2026-03-14 21:03:05", text: "hi"},
		{line: "(9:03 PM) Sam: hi", ok: true, author: "Sam", stamp: "9:03 PM", text: "hi"},
		{line: "2026-03-14 21:03 - Sam: hi", ok: true, author: "Sam", stamp: "2026-03-14 21:03", text: "hi"},
		{line: "21:03 Sam: hi", ok: true, author: "Sam", stamp: "21:03", text: "hi"},
		{line: "Sam (9:03:05 PM): hi", ok: true, author: "Sam", stamp: "9:03:05 PM", text: "hi"},
		{line: "Sam [21:03]: hi", ok: true, author: "Sam", stamp: "21:03", text: "hi"},
		{line: "<Sam> hi there", ok: true, author: "Sam", text: "hi there"},
		{line: "[21:03] <Sam> hi", ok: true, author: "Sam", stamp: "21:03", text: "hi"},
		{line: "\u200eSam: hi", ok: true, author: "Sam", text: "hi"},
		{line: "Élodie: salut, ça va ?", ok: true, author: "Élodie", text: "salut, ça va ?"},
		{line: "Sam — Today at 9:03 PM", ok: true, author: "Sam", stamp: "Today at 9:03 PM", header: true},
		{line: "Sam Lee — 08/15/2023 11:10 AM ", ok: true, author: "Sam Lee", stamp: "08/15/2023 11:10 AM", header: true},
		{line: "Élodie — Aujourd’hui à 21:03", ok: true, author: "Élodie", stamp: "Aujourd’hui à 21:03", header: true},
		{line: "Sam, [14.03.26 21:03]", ok: true, author: "Sam", stamp: "14.03.26 21:03", header: true},
		{line: "Léa B, [14/03/2026 21:03]", ok: true, author: "Léa B", stamp: "14/03/2026 21:03", header: true},

		{line: "just some words", ok: false},
		{line: "https://example.org/page", ok: false},
		{line: "Meet at 10:30: ok", ok: false},
		{line: "10:30 works for me", ok: false},
		{line: "21: is a number", ok: false},
		{line: "Sam (later): hi", ok: false},
		{line: "the thing I wanted to tell you about: it rained", ok: false},
		{line: "Sam:hi", ok: false},
		{line: "Paris — a city of light", ok: false},
		{line: "Sam — Today at 9:03 PM and then more words after it", ok: false},
		{line: "Sam, [a note]", ok: false},
		{line: "we met at the park, [10:30]", ok: false},
		{line: "[9:04 PM]", ok: false},
		{line: "", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			l, ok := parseTextLine(tt.line)
			require.Equal(t, tt.ok, ok)
			if ok {
				require.Equal(t, textLine{author: tt.author, stamp: tt.stamp, text: tt.text, header: tt.header}, l)
			}
		})
	}
}

func TestTextStructured(t *testing.T) {
	tests := []struct {
		name, head string
		want       bool
	}{
		{"two speakers", "Sam: hi\nAlex: hello\n", true},
		{"multi-line messages", "Sam: hi\nhow are you\nAlex: fine\nand you\nand more\n", true},
		{"one line", "Sam: hi\n", false},
		{"prose", "It was a long day.\nWe went out.\nThen we came back.\nNote: bring a coat\n", false},
		{"headings that do not repeat", "Note: a\nStep one: b\nTip: c\nWarning: d\n", false},
		{"few named lines", "Sam: hi\n" + strings.Repeat("a line of text\n", 10) + "Alex: yo\n", false},
		{"group chat", "Sam: a\nAlex: b\nKim: c\nSam: d\nAlex: e\nKim: f\nLou: g\n", true},
		{"discord copy", "Sam — Today at 9:03 PM\nhi\nhow are you\nAlex — Today at 9:04 PM\nfine\n", true},
		{"two headers in prose", "Sam — 9:03\n" + strings.Repeat("a line of text\n", 20) + "Sam — 9:05\n", false},
		{"telegram copy", "Sam, [14.03.26 21:03]\nhi\n\nAlex, [14.03.26 21:04]\nfine\nand you\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, textStructured([]byte(tt.head)))
		})
	}
}

func readText(t *testing.T, name, in string, o Options) (*Conversation, Reader) {
	t.Helper()
	o.Format = FormatText
	r, err := NewReader(name, strings.NewReader(in), o)
	require.NoError(t, err)
	if !r.Next() {
		require.NoError(t, r.Err())
		return nil, r
	}
	c := r.Conversation()
	require.False(t, r.Next(), "one conversation per input")
	require.NoError(t, r.Err())
	return c, r
}

func TestTextReaderTranscript(t *testing.T) {
	in := "\ufeffChat with Sam\r\nsaved on a Monday\r\n\r\n" +
		"[2026-03-14 21:03:05] Sam: hi\r\n" +
		"[2026-03-14 21:04:00] Alex: hello\r\n" +
		"a second line\r\n" +
		"\r\n" +
		"a third after a blank line\r\n" +
		"\r\n" +
		"[2026-03-14 21:05:10] Sam: ok\r\n\r\n"
	c, r := readText(t, "dir/chat with sam.txt", in, Options{Location: time.UTC})
	require.Equal(t, "chat with sam", c.ID)
	require.Equal(t, Source{File: "dir/chat with sam.txt", Format: FormatText, Reader: textReaderVersion}, c.Source)
	require.Len(t, c.Messages, 4)
	require.Equal(t, Message{ID: "1", Text: "Chat with Sam\nsaved on a Monday", System: true, Line: 1}, c.Messages[0])
	require.Equal(t, Message{ID: "2", Author: "Sam", Text: "hi", Line: 4,
		Time: time.Date(2026, 3, 14, 21, 3, 5, 0, time.UTC)}, c.Messages[1])
	require.Equal(t, "a second line", strings.Split(c.Messages[2].Text, "\n")[1])
	require.Equal(t, "hello\na second line\n\na third after a blank line", c.Messages[2].Text,
		"continuation lines join their message; blank lines inside it are kept, trailing ones are not")
	require.Equal(t, 5, c.Messages[2].Line)
	require.Equal(t, Message{ID: "4", Author: "Sam", Text: "ok", Line: 10,
		Time: time.Date(2026, 3, 14, 21, 5, 10, 0, time.UTC)}, c.Messages[3])
	require.Len(t, r.Problems(), 1)
	require.Equal(t, 1, r.Problems()[0].Line)
	require.Contains(t, r.Problems()[0].Error(), "system message")
}

func TestTextReaderStampsAndStyles(t *testing.T) {
	in := "Sam (9:03:05 PM): hi\nAlex (9:03:40 PM): hey\n<Sam> an irc line\n[21:05] Alex: ok\n"
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	c, r := readText(t, "log", in, Options{Location: paris})
	require.Len(t, c.Messages, 4)
	for i, a := range []string{"Sam", "Alex", "Sam", "Alex"} {
		require.Equal(t, a, c.Messages[i].Author)
		require.True(t, c.Messages[i].Time.IsZero(), "a clock without a date is no time")
	}
	require.Len(t, r.Problems(), 1, "the unknown times are said once")
	require.Equal(t, 1, r.Problems()[0].Line)
	require.Contains(t, r.Problems()[0].Error(), "9:03:05 PM")

	c, _ = readText(t, "log", "[2026-03-14 21:03] Sam: hi\n[2026-03-14 21:04] Alex: yo\n", Options{Location: paris})
	require.Equal(t, time.Date(2026, 3, 14, 21, 3, 0, 0, paris), c.Messages[0].Time, "read in Options.Location")
}

func TestTextReaderFlat(t *testing.T) {
	in := "\n\nhi how was school\nfine\n\nyou can tell me anything\n\n\n"
	c, r := readText(t, "-", in, Options{})
	require.Equal(t, "text", c.ID)
	require.Equal(t, []Message{{ID: "1", Text: "hi how was school\nfine\n\nyou can tell me anything", Line: 3}}, c.Messages)
	require.Len(t, r.Problems(), 1)
	require.Contains(t, r.Problems()[0].Error(), "without author")

	c, _ = readText(t, "empty.txt", "\n \n\t\n", Options{})
	require.Nil(t, c, "blank input: no conversation")
}

func TestTextReaderCaps(t *testing.T) {
	t.Run("message", func(t *testing.T) {
		in := "Sam: " + strings.Repeat("é", 40) + "\nAlex: short\n"
		c, r := readText(t, "a.txt", in, Options{MaxMessageBytes: 21})
		require.Len(t, c.Messages, 2, "the next message is still read")
		require.Equal(t, strings.Repeat("é", 10), c.Messages[0].Text, "cut on a rune boundary")
		require.Equal(t, "short", c.Messages[1].Text)
		require.Len(t, r.Problems(), 1)
		require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
		require.Equal(t, 1, r.Problems()[0].Line)
	})
	t.Run("flat", func(t *testing.T) {
		c, r := readText(t, "a.txt", strings.Repeat("some words here\n", 100), Options{MaxMessageBytes: 50})
		require.Len(t, c.Messages, 1)
		require.Len(t, c.Messages[0].Text, 50)
		require.Len(t, r.Problems(), 2) // the cut, then the reading without authors
		require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
	})
	t.Run("line", func(t *testing.T) {
		in := "Sam: hi\nAlex: " + strings.Repeat("ü", 100) + "\nSam: after\n"
		c, r := readText(t, "a.txt", in, Options{MaxLineBytes: 31})
		require.Len(t, c.Messages, 3)
		require.Equal(t, strings.Repeat("ü", 12), c.Messages[1].Text, "the line is cut on a rune boundary")
		require.Equal(t, "after", c.Messages[2].Text)
		require.Len(t, r.Problems(), 1)
		require.Equal(t, 2, r.Problems()[0].Line)
	})
}

// failingReader serves data, then fails.
type failingReader struct {
	data string
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestTextReaderReadErrorKeepsWhatWasRead(t *testing.T) {
	boom := errors.New("disk gone")
	r, err := NewReader("a.txt", &failingReader{data: "Sam: hi\nAlex: hello\n", err: boom}, Options{Format: FormatText})
	require.NoError(t, err)
	require.True(t, r.Next())
	require.Len(t, r.Conversation().Messages, 2)
	require.False(t, r.Next())
	require.ErrorIs(t, r.Err(), boom)
	var pe *ParseError
	require.ErrorAs(t, r.Err(), &pe)
	require.Equal(t, 3, pe.Line)
}

// The same with the format detected: the bytes before the error decide the format and are read.
func TestReadErrorWhileDetectingKeepsWhatWasRead(t *testing.T) {
	boom := errors.New("disk gone")
	r, err := NewReader("a.txt", &failingReader{data: "Sam: hi\nAlex: hello\n", err: boom}, Options{})
	require.NoError(t, err)
	require.Equal(t, FormatText, r.Format())
	require.True(t, r.Next())
	require.Len(t, r.Conversation().Messages, 2)
	require.False(t, r.Next())
	require.ErrorIs(t, r.Err(), boom)
	_, err = NewReader("b.txt", &failingReader{err: boom}, Options{})
	require.ErrorIs(t, err, boom, "nothing read: the error at once")
}

func TestSniffText(t *testing.T) {
	require.Positive(t, sniffText("notes.txt", []byte("dear diary\n")))
	require.Positive(t, sniffText("", []byte("<Sam> hi\n<Alex> yo\n")), "an IRC log is not XML")
	require.Positive(t, sniffText("", []byte("[20:15] <Sam> hi\n")), "nor is it JSON")
	for name, head := range map[string]string{
		"nul":      "a\x00b",
		"invalid":  "caf\xe9 au lait",
		"json":     "  {\"a\":1}",
		"array":    "[1, 2]",
		"objects":  "[\n  {\"a\": \"12:30\"}]",
		"xml":      "<?xml version=\"1.0\"?><a/>",
		"pan12":    "<conversations>",
		"html":     "<!DOCTYPE html><html>",
		"empty":    " \n\t",
		"data.csv": "id,name\n1,a\n",
	} {
		require.Zero(t, sniffText(name, []byte(head)), name)
	}
	// A head cut inside a UTF-8 sequence is still text.
	head := []byte(strings.Repeat("é", sniffBytes/2))
	require.Zero(t, sniffText("a.txt", head[:sniffBytes-1]), "an incomplete rune at the end of a whole short input is invalid")
	full := append([]byte(strings.Repeat("a", sniffBytes-1)), "é"...)
	require.Positive(t, sniffText("a.txt", full[:sniffBytes]), "a 64 KiB head may end inside a rune")

	// Every other format wins over text.
	require.Equal(t, FormatWhatsApp, Detect("chat.txt", []byte("14/03/2026, 21:03 - Sam: hi\n")))
	require.Equal(t, FormatCSV, Detect("chat.txt", []byte("conversation_id,text\na,b\n")))
	require.Equal(t, FormatJSONL, Detect("chat.txt", []byte("{\"id\":\"c1\",\"messages\":[]}\n")))
	require.Equal(t, FormatText, Detect("chat.txt", []byte("Sam: hi\nAlex: yo\n")))
	require.Equal(t, FormatUnknown, Detect("data.csv", []byte("id,name,value\n1,a,2\n")))
}

func TestTextReaderNamesFromFile(t *testing.T) {
	for name, want := range map[string]string{"chat.txt": "chat", `C:\x\notes.log`: "notes", "-": "text", "a.b.txt": "a.b"} {
		c, _ := readText(t, name, "hi\n", Options{})
		require.Equal(t, want, c.ID, name)
	}
}

func FuzzText(f *testing.F) {
	addSeeds(f, FormatText)
	f.Add([]byte("Sam: hi\nAlex: yo\nmore\n"))
	f.Add([]byte("[2026-03-14 21:03] <Sam> hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatText, data) })
}

func TestTextTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	tests := []struct {
		stamp string
		want  string // RFC 3339 in Europe/Paris, "" when no time is read
	}{
		{"2026-03-14 21:03:05", "2026-03-14T21:03:05+01:00"},
		{"Sat 2026-03-14T21:03", "2026-03-14T21:03:00+01:00"},
		{"14.03.26 21:03", "2026-03-14T21:03:00+01:00"},
		{"14.03.2026, 21:03:07", "2026-03-14T21:03:07+01:00"},
		{"1.7.2026 9:05", "2026-07-01T09:05:00+02:00"},
		{"31.02.26 21:03", ""}, // no 31 February
		{"14.13.26 21:03", ""},
		{"14.03.26 24:03", ""},
		{"14/03/2026 21:03", ""}, // slashes: day and month order unknown
		{"Today at 9:03 PM", ""},
		{"21:03", ""},
	}
	for _, tt := range tests {
		t.Run(tt.stamp, func(t *testing.T) {
			got, ok := textTime(tt.stamp, paris, DateAuto)
			require.Equal(t, tt.want != "", ok)
			if ok {
				require.Equal(t, tt.want, got.Format(time.RFC3339))
			}
		})
	}
}

func TestTextCopiedSelections(t *testing.T) {
	// Discord: header lines, a lone "[time]" for the same author's next message, a link preview.
	c, _ := readText(t, "copie.txt", "Sam — Aujourd’hui à 21:03\nsalut\nça va ?\nLéa — Aujourd’hui à 21:04\nbien\n[21:05]\net toi ?\nSam — Aujourd’hui à 21:06\nregarde\nWebsite\nUn titre de page\n", Options{})
	require.Len(t, c.Messages, 4)
	for i, want := range []struct{ author, text string }{
		{"Sam", "salut\nça va ?"}, {"Léa", "bien"}, {"Léa", "et toi ?"}, {"Sam", "regarde\nWebsite\nUn titre de page"},
	} {
		require.Equal(t, want.author, c.Messages[i].Author, i)
		require.Equal(t, want.text, c.Messages[i].Text, i)
		require.True(t, c.Messages[i].Time.IsZero(), "relative days are not dated")
	}
	require.Equal(t, 6, c.Messages[2].Line)

	// Telegram Desktop: dotted dates read in --tz, messages apart by a blank line kept apart.
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	c, _ = readText(t, "tg.txt", "Sam, [14.03.26 21:03]\nsalut\n\nLéa, [14.03.26 21:04]\nbien\n\net toi ?\n\nSam, [14.03.26 21:06]\n[21:07] une ligne\n", Options{Location: paris})
	require.Len(t, c.Messages, 3)
	require.Equal(t, "bien\n\net toi ?", c.Messages[1].Text)
	require.Equal(t, "2026-03-14T21:04:00+01:00", c.Messages[1].Time.Format(time.RFC3339))
	require.Equal(t, "[21:07] une ligne", c.Messages[2].Text, "a lone stamp starts a message only after a Discord-style header")
}

func TestTextStartingWithABracketedWord(t *testing.T) {
	// "[LINE] ..." or "[Note] ..." cannot open a JSON array: it is text; "[1, 2]" and "[{" are JSON.
	require.Equal(t, FormatText, Detect("chat.txt", []byte("[Note] copied from the app\nSam: hi\nAlex: hello\n")))
	for _, in := range []string{"[1, 2]", "[{\"a\":1}]", "[ \"x\" ]", "[true]", "[]"} {
		require.Zero(t, sniffText("x.txt", []byte(in)), in)
	}
}

func TestTextSlashedDates(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		stamp string
		order DateOrder
		want  string // RFC 3339, "" when no time is read
	}{
		{"21:03, 14/03/2026", DateDMY, "2026-03-14T21:03:00Z"},       // WhatsApp Web, French
		{"9:03 PM, 3/14/2026", DateMDY, "2026-03-14T21:03:00Z"},      // WhatsApp Web, US
		{"9:03\u202fPM, 3/14/2026", DateMDY, "2026-03-14T21:03:00Z"}, // with its narrow no-break space
		{"03/14/2026 9:03 AM", DateMDY, "2026-03-14T09:03:00Z"},      // Discord, US
		{"12/03/2026 12:05 AM", DateMDY, "2026-12-03T00:05:00Z"},
		{"14/03/26 21:03:07", DateDMY, "2026-03-14T21:03:07Z"},
		{"03/04/2026 21:03", DateDMY, "2026-04-03T21:03:00Z"},
		{"03/04/2026 21:03", DateMDY, "2026-03-04T21:03:00Z"},
		{"03/04/2026 21:03", DateAuto, ""}, // order unknown
		{"03/04/2026 21:03", DateYMD, ""},
		{"14/03/2026 21:03", DateMDY, ""}, // no month 14
		{"31/02/2026 21:03", DateDMY, ""},
		{"14/03/2026 13:03 PM", DateDMY, ""},
		{"21:03, 14/03/2026 21:04", DateDMY, ""}, // two clocks
		{"14/03/2026", DateDMY, ""},              // no clock
	}
	for _, tt := range tests {
		t.Run(tt.stamp, func(t *testing.T) {
			got, ok := textTime(tt.stamp, utc, tt.order)
			require.Equal(t, tt.want != "", ok)
			if ok {
				require.Equal(t, tt.want, got.Format(time.RFC3339))
			}
		})
	}

	require.Equal(t, DateDMY, textDateOrder([]byte("[21:03, 03/02/2026] Sam: hi\n[21:04, 14/02/2026] Alex: yo\n")))
	require.Equal(t, DateMDY, textDateOrder([]byte("Sam — 02/03/2026 9:03 PM\nhi\nAlex — 02/14/2026 9:04 PM\nyo\n")))
	require.Equal(t, DateAuto, textDateOrder([]byte("[21:03, 03/02/2026] Sam: hi\n[21:04, 04/02/2026] Alex: yo\n")))
	require.Equal(t, DateAuto, textDateOrder([]byte("[21:03, 13/02/2026] Sam: hi\n[21:04, 02/14/2026] Alex: yo\n")), "both: unsettled")

	// A WhatsApp Web copy: the order comes from the file, or from --date-order.
	in := "[21:03, 03/02/2026] Sam: hi\n[21:04, 14/02/2026] Alex: yo\n"
	c, _ := readText(t, "web.txt", in, Options{})
	require.Equal(t, "2026-02-03T21:03:00Z", c.Messages[0].Time.Format(time.RFC3339))
	in = "[21:03, 03/02/2026] Sam: hi\n[21:04, 04/02/2026] Alex: yo\n"
	c, r := readText(t, "web.txt", in, Options{})
	require.True(t, c.Messages[0].Time.IsZero())
	require.Contains(t, r.(*textReader).Problems()[0].Msg, "use --date-order")
	c, _ = readText(t, "web.txt", in, Options{DateOrder: DateMDY})
	require.Equal(t, "2026-03-02T21:03:00Z", c.Messages[0].Time.Format(time.RFC3339))
}

// BenchmarkTextReader reads a transcript of "[21:03] Name: text" lines, 10,000 messages, one in
// five continued on a second line.
func BenchmarkTextReader(b *testing.B) {
	var sb strings.Builder
	names := []string{"Sam", "Alex Martin", "Léa"}
	const n = 10000
	for i := range n {
		fmt.Fprintf(&sb, "[%02d:%02d] %s: message %d, see you at practice after school?\n", i/60%24, i%60, names[i%3], i)
		if i%5 == 0 {
			sb.WriteString("and bring the ball\n")
		}
	}
	benchRead(b, "chat.txt", []byte(sb.String()), Options{Format: FormatText}, n)
}
