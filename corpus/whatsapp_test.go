package corpus

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

// readWA reads a WhatsApp chat given as text and returns its one conversation and the problems.
func readWA(t *testing.T, text string, o Options) (*Conversation, []*ParseError) {
	t.Helper()
	o.Format = FormatWhatsApp
	r, err := NewReader("chat.txt", strings.NewReader(text), o)
	require.NoError(t, err)
	defer r.Close()
	require.True(t, r.Next(), "no conversation: %v", r.Err())
	c := r.Conversation()
	require.False(t, r.Next())
	require.NoError(t, r.Err())
	return c, r.Problems()
}

func TestWhatsAppHeader(t *testing.T) {
	const nnbsp, lrm = "\u202f", "\u200e"
	tests := []struct {
		name    string
		line    string
		ok      bool
		a, b, c int
		h, m, s int
		ampm    int
		rest    string
	}{
		{name: "ios", line: "[14/03/2026, 21:03:05] Alex: hi", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, s: 5, rest: "Alex: hi"},
		{name: "ios without comma", line: "[14/03/2026 21:03:05] Alex: hi", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, s: 5, rest: "Alex: hi"},
		{name: "ios de", line: "[14.03.26, 21:03:05] Alex: hi", ok: true, a: 14, b: 3, c: 26, h: 21, m: 3, s: 5, rest: "Alex: hi"},
		{name: "ios us 12h narrow nbsp", line: "[3/14/26, 9:03:05" + nnbsp + "PM] Alex: hi", ok: true, a: 3, b: 14, c: 26, h: 9, m: 3, s: 5, ampm: 2, rest: "Alex: hi"},
		{name: "ios lrm before line", line: lrm + "[14/03/2026, 21:03:05] Alex: " + lrm + "image omitted", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, s: 5, rest: "Alex: " + lrm + "image omitted"},
		{name: "android", line: "14/03/2026, 21:03 - Alex: hi", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, rest: "Alex: hi"},
		{name: "android us", line: "3/14/26, 9:03 PM - Alex: hi", ok: true, a: 3, b: 14, c: 26, h: 9, m: 3, ampm: 2, rest: "Alex: hi"},
		{name: "android fr à", line: "14/03/2026 à 21:03 - Alex: hi", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, rest: "Alex: hi"},
		{name: "iso", line: "2026-03-14, 21:03 - Alex: hi", ok: true, a: 2026, b: 3, c: 14, h: 21, m: 3, rest: "Alex: hi"},
		{name: "nl", line: "14-3-2026 21:03 - Alex: hi", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, rest: "Alex: hi"},
		{name: "es a. m.", line: "14/3/26, 9:03 a. m. - Alex: hi", ok: true, a: 14, b: 3, c: 26, h: 9, m: 3, ampm: 1, rest: "Alex: hi"},
		{name: "es p. m.", line: "14/3/26, 9:03 p. m. - Alex: hi", ok: true, a: 14, b: 3, c: 26, h: 9, m: 3, ampm: 2, rest: "Alex: hi"},
		{name: "p.m. with seconds", line: "09/10/22 10:37:00 p.m. - Alex: hi", ok: true, a: 9, b: 10, c: 22, h: 10, m: 37, ampm: 2, rest: "Alex: hi"},
		{name: "de vorm.", line: "14.03.26, 9:03 vorm. - Alex: hi", ok: true, a: 14, b: 3, c: 26, h: 9, m: 3, ampm: 1, rest: "Alex: hi"},
		{name: "de nachm.", line: "14.03.26, 9:03 nachm. - Alex: hi", ok: true, a: 14, b: 3, c: 26, h: 9, m: 3, ampm: 2, rest: "Alex: hi"},
		{name: "dotted time", line: "[12.3.2022 klo 14.08.18] Alex: hi", ok: true, a: 12, b: 3, c: 2022, h: 14, m: 8, s: 18, rest: "Alex: hi"},
		{name: "system", line: "14/03/2026, 21:03 - Alex added Sam", ok: true, a: 14, b: 3, c: 2026, h: 21, m: 3, rest: "Alex added Sam"},
		{name: "plain text", line: "see you at 21:03"},
		{name: "date only", line: "14/03/2026"},
		{name: "date and time without separator", line: "14/03/2026, 21:03 Alex: hi", ok: false},
		{name: "day and month above 12", line: "14/13/2026, 21:03 - Alex: hi"},
		{name: "hour 25", line: "14/03/2026, 25:03 - Alex: hi"},
		{name: "three-digit year", line: "14/03/202, 21:03 - Alex: hi"},
		{name: "mixed separators", line: "14/03.2026, 21:03 - Alex: hi"},
		{name: "json array", line: "[1, 2, 3]"},
		{name: "csv row", line: "c1,1,Alex,2026-03-14T21:03:00Z,hi"},
		{name: "unclosed bracket", line: "[14/03/2026, 21:03:05 Alex: hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := parseWAHeader([]byte(tt.line))
			require.Equal(t, tt.ok, ok)
			if !ok {
				return
			}
			s := h.stamp
			require.Equal(t, []int{tt.a, tt.b, tt.c, tt.h, tt.m, tt.s, tt.ampm},
				[]int{int(s.a), int(s.b), int(s.c), int(s.hour), int(s.min), int(s.sec), int(s.ampm)})
			require.Equal(t, tt.rest, string(h.rest))
		})
	}
}

func TestWhatsAppDateOrder(t *testing.T) {
	// Every date here reads both ways: 03/04 is 3 April (DMY) or 4 March (MDY).
	ambiguous24 := "03/04/2026, 21:03 - Alex: hi\n05/04/2026, 08:00 - Sam: hello\n"
	ambiguous12 := "03/04/2026, 9:03 PM - Alex: hi\n05/04/2026, 8:00 AM - Sam: hello\n"
	// The first date is ambiguous; a later one (25/04) settles day first for the whole file.
	settledLate := "03/04/2026, 21:03 - Alex: hi\n" + strings.Repeat("04/04/2026, 10:00 - Sam: filler\n", 50) + "25/04/2026, 08:00 - Sam: hello\n"
	monthFirst := "03/04/2026, 21:03 - Alex: hi\n04/25/2026, 08:00 - Sam: hello\n"
	tests := []struct {
		name   string
		text   string
		order  DateOrder
		want   time.Time // time of the first message
		reason string
	}{
		{name: "ambiguous 24h", text: ambiguous24, want: time.Date(2026, 4, 3, 21, 3, 0, 0, time.UTC),
			reason: "no field above 12 and a 24-hour clock: day first"},
		{name: "ambiguous 12h", text: ambiguous12, want: time.Date(2026, 3, 4, 21, 3, 0, 0, time.UTC),
			reason: "no field above 12 and AM/PM: month first (US)"},
		{name: "settled late", text: settledLate, want: time.Date(2026, 4, 3, 21, 3, 0, 0, time.UTC),
			reason: "a first field above 12 anywhere in the file means day first everywhere"},
		{name: "month first", text: monthFirst, want: time.Date(2026, 3, 4, 21, 3, 0, 0, time.UTC),
			reason: "a second field above 12 means month first"},
		{name: "forced MDY", text: ambiguous24, order: DateMDY, want: time.Date(2026, 3, 4, 21, 3, 0, 0, time.UTC)},
		{name: "forced DMY", text: ambiguous12, order: DateDMY, want: time.Date(2026, 4, 3, 21, 3, 0, 0, time.UTC)},
		{name: "forced DMY on ISO", text: "2026-03-04, 21:03 - Alex: hi\n", order: DateDMY, want: time.Date(2026, 3, 4, 21, 3, 0, 0, time.UTC),
			reason: "a four-digit first field is a year whatever the order"},
		{name: "two-digit year", text: "03/04/26, 21:03 - Alex: hi\n", want: time.Date(2026, 4, 3, 21, 3, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, probs := readWA(t, tt.text, Options{DateOrder: tt.order})
			require.Empty(t, probs)
			require.Equal(t, tt.want, c.Messages[0].Time, tt.reason)
		})
	}

	t.Run("forced order makes a date impossible", func(t *testing.T) {
		c, probs := readWA(t, "25/04/2026, 08:00 - Sam: hello\n", Options{DateOrder: DateMDY})
		require.True(t, c.Messages[0].Time.IsZero())
		require.Len(t, probs, 1)
		require.Equal(t, 1, probs[0].Line)
		require.Contains(t, probs[0].Msg, "invalid date")
	})
}

func TestWhatsAppClock(t *testing.T) {
	text := "[14/03/2026, 12:00:00 AM] A: midnight\n" +
		"[14/03/2026, 12:30:00 PM] A: half past noon\n" +
		"[14/03/2026, 1:05:09 PM] A: afternoon\n" +
		"[14/03/2026, 11:59:59 PM] A: late\n" +
		"[14/03/2026, 13:00:00 PM] A: impossible\n" +
		"[14/03/2026, 23:15:00] A: 24-hour\n"
	c, probs := readWA(t, text, Options{})
	want := []string{"2026-03-14T00:00:00Z", "2026-03-14T12:30:00Z", "2026-03-14T13:05:09Z", "2026-03-14T23:59:59Z", "", "2026-03-14T23:15:00Z"}
	for i, w := range want {
		got := ""
		if !c.Messages[i].Time.IsZero() {
			got = c.Messages[i].Time.Format(time.RFC3339)
		}
		require.Equal(t, w, got, "message %d", i+1)
	}
	require.Len(t, probs, 1, "13:00 PM is reported")
	require.Equal(t, 5, probs[0].Line)

	// Times carry no zone: they are read in Options.Location.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	c, _ = readWA(t, "14/03/2026, 21:03 - A: hi\n", Options{Location: paris})
	require.Equal(t, "2026-03-14T21:03:00+01:00", c.Messages[0].Time.Format(time.RFC3339))
}

func TestWhatsAppCaps(t *testing.T) {
	t.Run("message cap", func(t *testing.T) {
		text := "14/03/2026, 21:03 - A: " + strings.Repeat("x", 50) + "\n" + strings.Repeat("é", 40) + "\n14/03/2026, 21:04 - B: short\n"
		c, probs := readWA(t, text, Options{MaxMessageBytes: 64})
		require.LessOrEqual(t, len(c.Messages[0].Text), 64)
		require.True(t, strings.HasPrefix(c.Messages[0].Text, strings.Repeat("x", 50)+"\n"))
		require.True(t, utf8Valid(c.Messages[0].Text), "the cut does not split a rune")
		require.Equal(t, "short", c.Messages[1].Text)
		require.Len(t, probs, 1)
		require.ErrorIs(t, probs[0], ErrTooLarge)
		require.Equal(t, 1, probs[0].Line)
	})
	t.Run("line cap", func(t *testing.T) {
		text := "14/03/2026, 21:03 - A: start\n" + strings.Repeat("y", 5000) + "\n14/03/2026, 21:04 - B: next\n"
		c, probs := readWA(t, text, Options{MaxLineBytes: 1000})
		require.Len(t, c.Messages, 2)
		require.Equal(t, "start\n"+strings.Repeat("y", 1000), c.Messages[0].Text)
		require.Equal(t, "next", c.Messages[1].Text)
		var lines []int
		for _, p := range probs {
			require.ErrorIs(t, p, ErrTooLarge)
			lines = append(lines, p.Line)
		}
		require.Equal(t, []int{2, 1}, lines, "the cut line, then the message it belongs to")
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestWhatsAppNotAChat(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		line       int
	}{
		{name: "no header at all", text: "dear diary\nnothing here\n", line: 1},
		{name: "header too late", text: "\n" + strings.Repeat("notes\n", waLookahead) + "14/03/2026, 21:03 - A: hi\n", line: 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("notes.txt", strings.NewReader(tt.text), Options{Format: FormatWhatsApp})
			require.NoError(t, err)
			require.False(t, r.Next())
			var pe *ParseError
			require.ErrorAs(t, r.Err(), &pe)
			require.ErrorIs(t, r.Err(), ErrUnknownFormat)
			require.Equal(t, tt.line, pe.Line)
			require.Equal(t, "notes.txt", pe.File)
		})
	}
	t.Run("empty input", func(t *testing.T) {
		r, err := NewReader("empty.txt", strings.NewReader("\n\n"), Options{Format: FormatWhatsApp})
		require.NoError(t, err)
		require.False(t, r.Next())
		require.NoError(t, r.Err())
	})
	t.Run("autodetect reads plain text as text, not as WhatsApp", func(t *testing.T) {
		r, err := NewReader("notes.txt", strings.NewReader("dear diary\n"), Options{})
		require.NoError(t, err)
		require.Equal(t, FormatText, r.Format())
	})
}

func TestSniffWhatsApp(t *testing.T) {
	tests := []struct {
		name string
		file string
		head string
		min  int // the score is at least min; 0 means exactly 0
	}{
		{name: "android", file: "chat.txt", head: "14/03/2026, 21:03 - A: hi\n14/03/2026, 21:04 - B: yo\n", min: 90},
		{name: "ios with bom", file: "_chat.txt", head: "\ufeff[14/03/2026, 21:03:05] A: hi\n", min: 80},
		{name: "preamble", file: "x", head: "exported\n14/03/2026, 21:03 - A: hi\n", min: 50},
		{name: "jsonl", file: "x.jsonl", head: `{"id":"c1","messages":[]}` + "\n"},
		{name: "json array", file: "x.json", head: "[\n  {\"id\": 1}\n]\n"},
		{name: "xml", file: "x.xml", head: "<?xml version=\"1.0\"?>\n<conversations>\n"},
		{name: "csv", file: "x.csv", head: "conversation_id,message_id,author,time,text\nc1,1,A,2026-03-14T21:03:00Z,hi\n"},
		{name: "prose", file: "x.txt", head: "Meeting notes\nWe met on 14/03/2026 at 21:03.\n"},
		{name: "empty", file: "x.txt", head: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sniffWhatsApp(tt.file, []byte(tt.head))
			if tt.min == 0 {
				require.Zero(t, got)
			} else {
				require.GreaterOrEqual(t, got, tt.min)
				require.LessOrEqual(t, got, 100)
			}
		})
	}
	// Every text fixture is detected as WhatsApp from its content, whatever its name.
	files, err := filepath.Glob(filepath.Join("testdata", "whatsapp", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.Equal(t, FormatWhatsApp, Detect("input", b), f)
	}
}

func TestWhatsAppSystemAndMarkers(t *testing.T) {
	const lrm = "\u200e"
	text := "14/03/2026, 21:03 - A: I left the keys at home\n" + // "left" typed by a person
		"14/03/2026, 21:04 - A: see <attached: notes>\n" + // not an attachment: no known label
		"[14/03/2026, 21:05:00] B: " + lrm + "B changed the subject to “Plans”\n" +
		"[14/03/2026, 21:06:00] B: B changed the subject, said nobody\n" + // no U+200E: a person typed it
		"[14/03/2026, 21:07:00] B: This message was deleted.\nbut it goes on\n" // a marker followed by text
	c, _ := readWA(t, text, Options{})
	require.Len(t, c.Messages, 5)
	require.False(t, c.Messages[0].System)
	require.Equal(t, "A", c.Messages[0].Author)
	require.Empty(t, c.Messages[1].Attachments)
	require.Equal(t, "see <attached: notes>", c.Messages[1].Text)
	require.True(t, c.Messages[2].System)
	require.Equal(t, "", c.Messages[2].Author, "the iOS group event's author is the group, not a person")
	require.False(t, c.Messages[3].System)
	require.False(t, c.Messages[4].Deleted)
	require.Equal(t, "This message was deleted.\nbut it goes on", c.Messages[4].Text)
}

func TestWhatsAppPredators(t *testing.T) {
	c, _ := readWA(t, "14/03/2026, 21:03 - Alex: hi\n14/03/2026, 21:04 - Sam: hello\n", Options{Predators: map[string]bool{"Sam": true}})
	require.Equal(t, LabelGrooming, c.Label)
	require.Equal(t, []string{"Sam"}, c.Suspects)
	require.Equal(t, []Participant{{ID: "Alex"}, {ID: "Sam", Role: "suspect"}}, c.Participants)

	c, _ = readWA(t, "14/03/2026, 21:03 - Alex: hi\n", Options{Predators: map[string]bool{"Sam": true}})
	require.Equal(t, LabelBenign, c.Label)
}

func TestWhatsAppChatName(t *testing.T) {
	for _, tt := range []struct{ name, id, title string }{
		{"WhatsApp Chat with Alex.txt", "WhatsApp Chat with Alex", "Alex"},
		{"/exports/WhatsApp Chat - Book Club.zip", "WhatsApp Chat - Book Club", "Book Club"},
		{"Discussion WhatsApp avec Camille.txt", "Discussion WhatsApp avec Camille", "Camille"},
		{"WhatsApp_Chat_with_Dr._Lee.txt", "WhatsApp_Chat_with_Dr._Lee", "Dr. Lee"},
		{"WhatsApp Chat - Dr. Lee", "WhatsApp Chat - Dr. Lee", "Dr. Lee"},
		{"_chat.txt", "_chat", ""},
		{"", "whatsapp", ""},
		{"-", "whatsapp", ""},
	} {
		id, title := waChatName(tt.name)
		require.Equal(t, tt.id, id, tt.name)
		require.Equal(t, tt.title, title, tt.name)
	}
}

func TestWhatsAppFS(t *testing.T) {
	t.Run("zip with a folder", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range map[string]string{
			"Trip/_chat.txt": "[14/03/2026, 21:05:00] Sam: \u200e<attached: 00000001-PHOTO-2026-03-14-21-05-00.jpg>\n",
			"Trip/00000001-PHOTO-2026-03-14-21-05-00.jpg": "jpg",
			"__MACOSX/Trip/._chat.txt":                    "junk",
		} {
			w, err := zw.Create(name)
			require.NoError(t, err)
			_, err = w.Write([]byte(body))
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		require.NoError(t, err)
		r, err := openFS(zr, "export.zip", nil, Options{})
		require.NoError(t, err)
		require.Equal(t, FormatWhatsApp, r.Format())
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Len(t, convs, 1)
		c := convs[0]
		require.Equal(t, "Trip", c.ID, "a _chat.txt in a folder is named after the folder")
		require.Equal(t, filepath.Join("export.zip", "Trip/_chat.txt"), c.Source.File)
		require.Equal(t, []Attachment{{Kind: AttachmentImage, Name: "00000001-PHOTO-2026-03-14-21-05-00.jpg",
			URL: "Trip/00000001-PHOTO-2026-03-14-21-05-00.jpg"}}, c.Messages[0].Attachments)
	})
	t.Run("folder with two chats", func(t *testing.T) {
		fsys := fstest.MapFS{
			"WhatsApp Chat with Alex.txt": {Data: []byte("14/03/2026, 21:03 - Alex: hi\n")},
			"WhatsApp Chat with Sam.txt":  {Data: []byte("\ufeff14/03/2026, 21:04 - Sam: hello\n")},
			"IMG-20260314-WA0001.jpg":     {Data: []byte("jpg")},
		}
		r, err := openFS(fsys, "exports", nil, Options{})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Len(t, convs, 2)
		require.Equal(t, "Alex", convs[0].Title)
		require.Equal(t, "Sam", convs[1].Title)
		require.Equal(t, "hello", convs[1].Messages[0].Text)
	})
	t.Run("bad chat inside", func(t *testing.T) {
		fsys := fstest.MapFS{"WhatsApp Chat with Alex.txt": {Data: []byte("not a chat\n")}}
		r, err := newWhatsAppFSReader(fsys, "exports", []string{"WhatsApp Chat with Alex.txt"}, Options{})
		require.NoError(t, err)
		require.False(t, r.Next())
		var pe *ParseError
		require.ErrorAs(t, r.Err(), &pe)
		require.Equal(t, filepath.Join("exports", "WhatsApp Chat with Alex.txt"), pe.File)
		require.Equal(t, 1, pe.Line)
	})
	t.Run("no chat", func(t *testing.T) {
		_, err := newWhatsAppFSReader(fstest.MapFS{}, "exports", []string{"a.jpg", "b.jpg"}, Options{})
		require.ErrorIs(t, err, ErrUnknownFormat)
	})
}

// genChat writes a synthetic Android chat of about size bytes, a line at a time, so that the input
// never exists whole in memory. With oneMessage, every line after the first continues one message.
type genChat struct {
	size, n    int
	i          int
	oneMessage bool
	line       []byte
	pending    []byte
}

func (g *genChat) Read(p []byte) (int, error) {
	if len(g.pending) == 0 {
		if g.n >= g.size {
			return 0, io.EOF
		}
		g.line = g.line[:0]
		if g.oneMessage && g.i > 0 {
			g.line = append(g.line, "and then the walk went on along the river for another hour or so\n"...)
		} else {
			g.line = fmt.Appendf(g.line, "%02d/03/2026, %02d:%02d - %s: message %d about the weekend plans and the weather forecast\n",
				1+g.i%28, g.i/60%24, g.i%60, [...]string{"Alex", "Sam", "Jordan"}[g.i%3], g.i)
		}
		g.i++
		g.pending = g.line
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	g.n += n
	return n, nil
}

// TestWhatsAppStreaming reads a generated ~50 MB chat through an io.Reader and checks that memory
// stays bounded: by the conversation's own size for a chat of many messages, and by the message cap
// (not by the input) for one huge multi-line message.
func TestWhatsAppStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	const size = 50 << 20
	measure := func(g *genChat, o Options) (*Conversation, uint64, uint64) {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		o.Format = FormatWhatsApp
		r, err := NewReader("big.txt", g, o)
		require.NoError(t, err)
		require.True(t, r.Next(), "%v", r.Err())
		c := r.Conversation()
		require.NoError(t, r.Err())
		runtime.GC()
		runtime.ReadMemStats(&after)
		live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		if live < 0 {
			live = 0
		}
		return c, uint64(live), after.TotalAlloc - before.TotalAlloc
	}

	t.Run("many messages", func(t *testing.T) {
		g := &genChat{size: size}
		c, live, total := measure(g, Options{})
		require.Equal(t, g.i, len(c.Messages))
		require.Equal(t, "Sam", c.Messages[1].Author)
		t.Logf("input %d MB, %d messages: live heap %.1f MB (%.2f x input), allocated %.1f MB (%.2f x input)",
			g.n>>20, len(c.Messages), float64(live)/(1<<20), float64(live)/float64(g.n), float64(total)/(1<<20), float64(total)/float64(g.n))
		// What stays is the conversation: its texts (about 0.7 x the input here) and a 128-byte Message
		// per 90-byte line. Measured: live 2.29 x, allocated 4.08 x the input (go test -run
		// TestWhatsAppStreaming -v). Reading the file whole would add 1 x the input to both.
		require.Less(t, float64(live), 3*float64(g.n))
		require.Less(t, float64(total), 6*float64(g.n))
		runtime.KeepAlive(c)
	})
	t.Run("one huge message", func(t *testing.T) {
		g := &genChat{size: size, oneMessage: true}
		c, live, total := measure(g, Options{MaxMessageBytes: 1 << 20})
		require.Len(t, c.Messages, 1)
		require.InDelta(t, 1<<20, len(c.Messages[0].Text), 2, "text cut at the cap")
		t.Logf("input %d MB in one message: live heap %.2f MB, allocated %.2f MB", g.n>>20, float64(live)/(1<<20), float64(total)/(1<<20))
		// Independent of the input's size: the capped text, a line buffer and the reader's buffer.
		require.Less(t, live, uint64(4<<20))
		require.Less(t, total, uint64(8<<20))
		runtime.KeepAlive(c)
	})
}

func FuzzWhatsApp(f *testing.F) {
	addSeeds(f, FormatWhatsApp)
	f.Add([]byte("[3/14/26, 9:03:05\u202fPM] A: \u200e<attached: x.jpg>\r\n"))
	f.Add([]byte("14/03/2026, 21:03 - A: <Media omitted>\n\xff\xfe\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FormatWhatsApp, data)
		// The sniffer and the header parser never panic either.
		_ = sniffWhatsApp("fuzz.txt", data)
		for _, line := range bytes.Split(data, []byte("\n")) {
			if h, ok := parseWAHeader(line); ok {
				for _, o := range []DateOrder{DateDMY, DateMDY, DateYMD} {
					_, _ = h.stamp.time(o, time.UTC)
				}
			}
		}
	})
}

func TestWhatsAppStreamID(t *testing.T) {
	for _, tt := range []struct{ name, id, title string }{
		{"exports/WhatsApp Chat - Trip/_chat.txt", "WhatsApp Chat - Trip", "Trip"},
		{"_chat.txt", "_chat", ""},
		{"WhatsApp Chat with Alex.txt", "WhatsApp Chat with Alex", "Alex"},
	} {
		r, err := newWhatsAppReader(tt.name, strings.NewReader("14/03/2026, 21:03 - A: hi\n"), Options{})
		require.NoError(t, err)
		require.True(t, r.Next())
		c := r.Conversation()
		require.Equal(t, tt.id, c.ID, tt.name)
		require.Equal(t, tt.title, c.Title, tt.name)
		require.Equal(t, Source{File: tt.name, Format: FormatWhatsApp, Reader: "whatsapp/1"}, c.Source)
		require.Equal(t, "whatsapp", c.Platform)
	}
}
