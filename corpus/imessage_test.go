package corpus

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readIM reads a conversation file of the txt export given as text.
func readIM(t *testing.T, text string, o Options) (*Conversation, Reader) {
	t.Helper()
	o.Format = FormatIMessage
	return readOne(t, "+15558675309.txt", text, o)
}

func TestIMessageStamp(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
		want     time.Time
		reason   string
	}{
		{name: "padded hour", in: "May 17, 2022  5:29:42 PM", ok: true, want: time.Date(2022, 5, 17, 17, 29, 42, 0, time.UTC),
			reason: "chrono's %l pads the hour with a space"},
		{name: "two-digit hour", in: "May 20, 2020 10:10:11 AM", ok: true, want: time.Date(2020, 5, 20, 10, 10, 11, 0, time.UTC)},
		{name: "midnight", in: "Jan 01, 2026 12:00:00 AM", ok: true, want: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "noon", in: "Dec 31, 2025 12:30:00 PM", ok: true, want: time.Date(2025, 12, 31, 12, 30, 0, 0, time.UTC)},
		{name: "zero-padded day", in: "Mar 04, 2026  9:03:05 PM", ok: true, want: time.Date(2026, 3, 4, 21, 3, 5, 0, time.UTC)},
		{name: "unpadded day and hour", in: "Mar 4, 2026 9:03:05 PM", ok: true, want: time.Date(2026, 3, 4, 21, 3, 5, 0, time.UTC),
			reason: "not what the tool writes, but costs nothing to read"},
		{name: "impossible day", in: "Feb 30, 2026  9:03:05 PM"},
		{name: "hour over 12", in: "Mar 14, 2026 13:03:05 PM"},
		{name: "no AM/PM", in: "Mar 14, 2026 21:03:05   "},
		{name: "french month", in: "Mars 14, 2026  9:03:05 PM", reason: "chrono writes English month names whatever the locale"},
		{name: "three-digit day", in: "Mar 140, 2026  9:03:05 PM"},
		{name: "short", in: "Mar 14, 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, n, ok := parseIMStamp(tt.in)
			require.Equal(t, tt.ok, ok, tt.reason)
			if ok {
				assert.Equal(t, len(tt.in), n)
				assert.Equal(t, tt.want, st.time(time.UTC), tt.reason)
			}
		})
	}
}

func TestIMessageHeader(t *testing.T) {
	tests := []struct {
		name, in string
		kind     int
		rest     string
		reason   string
	}{
		{name: "bare", in: "May 17, 2022  5:29:42 PM", kind: imMessageHeader},
		{name: "read by them", in: "May 17, 2022  5:29:42 PM (Read by them after 1 hour, 49 seconds)", kind: imMessageHeader},
		{name: "read by custom name", in: "May 17, 2022  5:29:42 PM (Read by Name after 3 days)", kind: imMessageHeader},
		{name: "renamed, old wording", in: "May 17, 2022  5:29:42 PM You renamed the conversation to Hello world", kind: imAnnouncement,
			rest: "You renamed the conversation to Hello world"},
		{name: "named, new wording", in: "May 17, 2022  5:29:42 PM Name named the conversation Hello world", kind: imAnnouncement,
			rest: "Name named the conversation Hello world"},
		{name: "removed", in: "May 17, 2022  5:29:42 PM Other removed Second from the conversation.", kind: imAnnouncement,
			rest: "Other removed Second from the conversation."},
		{name: "phone number", in: "May 17, 2022  5:29:42 PM Other changed their phone number.", kind: imAnnouncement,
			rest: "Other changed their phone number."},
		{name: "unsent", in: "May 17, 2022  5:29:42 PM Sam unsent a message!", kind: imAnnouncement, rest: "Sam unsent a message!"},
		{name: "edited first version", in: "May 17, 2022  5:29:42 PM see you at 5", kind: imNoHeader,
			reason: "the first row of an edit history: a time and text, not an announcement"},
		{name: "text", in: "hello", kind: imNoHeader},
		{name: "whatsapp", in: "14/03/2026, 21:03 - Sam: hi", kind: imNoHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, kind, rest := parseIMHeader(tt.in)
			assert.Equal(t, tt.kind, kind, tt.reason)
			assert.Equal(t, tt.rest, rest)
		})
	}
}

func TestIMessageDetect(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		return string(b)
	}
	im := read(filepath.Join("testdata", "imessage", "+15558675309.txt"))
	group := read(filepath.Join("testdata", "imessage", "Book Club - 12.txt"))
	tests := []struct {
		name, file, head string
		want             Format
		reason           string
	}{
		{name: "one to one", file: "+15558675309.txt", head: im, want: FormatIMessage},
		{name: "group opening with an announcement", file: "Book Club - 12.txt", head: group, want: FormatIMessage},
		{name: "any name", file: "-", head: im, want: FormatIMessage, reason: "the content decides"},
		{name: "one message", file: "Sam.txt", head: "Mar 14, 2026  9:03:05 PM\nSam\nhi\n\n", want: FormatIMessage},
		{name: "head cut after the first header", file: "Sam.txt", head: "Mar 14, 2026  9:03:05 PM\n", want: FormatIMessage,
			reason: "scored 60, still above the text fallback"},
		{name: "whatsapp stays whatsapp", file: "chat.txt", head: read(filepath.Join("testdata", "whatsapp", "ios_fr.txt")), want: FormatWhatsApp},
		{name: "whatsapp android", file: "chat.txt", head: read(filepath.Join("testdata", "whatsapp", "android_us_12h.txt")), want: FormatWhatsApp},
		{name: "text stays text", file: "copie.txt", head: read(filepath.Join("testdata", "text", "copie-discussion.txt")), want: FormatText},
		{name: "text log stays text", file: "channel.log", head: read(filepath.Join("testdata", "text", "channel.log")), want: FormatText},
		{name: "a date then prose", file: "notes.txt", head: "Mar 14, 2026  9:03:05 PM\n\nDear diary, today...\n", want: FormatText,
			reason: "a header must be followed by a sender line"},
		{name: "a date in prose", file: "notes.txt", head: "Notes\n\nMar 14, 2026  9:03:05 PM\nSam\nhi\n", want: FormatText,
			reason: "the tool writes nothing before the first header"},
		{name: "header then header", file: "x.txt", head: "Mar 14, 2026  9:03:05 PM\nMar 14, 2026  9:03:06 PM\nSam\n", want: FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect(tt.file, []byte(tt.head)), tt.reason)
		})
	}
}

func TestIMessageTimeZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	c, r := readIM(t, "Mar 14, 2026  9:03:05 PM\nSam\nhi\n\n", Options{Location: ny})
	require.NoError(t, r.Err())
	require.NotNil(t, c)
	got := c.Messages[0].Time
	assert.Equal(t, time.Date(2026, 3, 14, 21, 3, 5, 0, ny), got, "a local time, read in --tz")
	assert.Equal(t, "2026-03-15T01:03:05Z", got.UTC().Format(time.RFC3339), "EDT is UTC-4 on 14 March 2026")
}

func TestIMessageBody(t *testing.T) {
	const h = "Mar 14, 2026  9:03:05 PM\nSam\n"
	tests := []struct {
		name, body string
		text       string
		deleted    bool
		edited     bool
		kinds      []AttachmentKind
		reason     string
	}{
		{name: "multi-line with a blank line", body: "one\n\ntwo\n", text: "one\n\ntwo"},
		{name: "old tapbacks", body: "hi\nTapbacks:\nLoved by Me\nLaughed by Noa\n\n", text: "hi"},
		{name: "old reactions", body: "hi\nReactions:\nEmphasized by Me\n\n", text: "hi", reason: "before tapbacks were called so"},
		{name: "new tapbacks", body: "hi\nTapbacks:\n    ☕️ by Sam\n    Sticker from Sam: a/b.heic (App: X) from Sam\n", text: "hi"},
		{name: "a typed heading", body: "My list of Tapbacks:\nTapbacks:\nnot one\n", text: "My list of Tapbacks:\nTapbacks:\nnot one",
			reason: "a \"Tapbacks:\" line that heads no tapback is text"},
		{name: "heading at the end", body: "hi\nTapbacks:\n", text: "hi\nTapbacks:"},
		{name: "effects", body: "hi\nSent with Invisible Ink\ncom.apple.messages.effect.CKNewEffect\n", text: "hi"},
		{name: "unknown effect is text", body: "Sent with love\n", text: "Sent with love"},
		{name: "tool notes", body: "Unable to format app message: no payload\nhi\n", text: "hi"},
		{name: "edit history", body: "Mar 14, 2026  9:03:05 PM see you at 5\nEdited 1 minute, 3 seconds later: see you at 6\nEdited  later: see you at 7\n\n",
			text: "see you at 5\nsee you at 6\nsee you at 7", edited: true, reason: "every version kept; a diff of zero seconds is written empty"},
		{name: "edited is text when not a diff", body: "Edited by hand later: no\n", text: "Edited by hand later: no"},
		{name: "unsent part", body: "You unsent this message part!\n", text: "", deleted: true},
		{name: "deleted note", body: imDeletedNote + "\nstill here\n", text: "still here", deleted: true},
		{name: "attachments", body: "attachments/3/IMG_1.HEIC\nattachments/3/clip.MOV\n~/Library/Messages/Attachments/ab/11/X/doc.pdf\n" +
			"/Users/me/Backup/33/33c81da8ae3194fc5a0ea993ef6ffe0b048baedb\nAttachment missing name metadata!\n",
			kinds: []AttachmentKind{AttachmentImage, AttachmentVideo, AttachmentFile, AttachmentUnknown, AttachmentUnknown}},
		{name: "a path in text", body: "/usr/bin/env is a path\n", text: "/usr/bin/env is a path"},
		{name: "transcription only after audio", body: "Transcription: typed\n", text: "Transcription: typed"},
		{name: "sticker with effect", body: "Outline Sticker from Sam: attachments/3/s.heic\n", kinds: []AttachmentKind{AttachmentSticker}},
		{name: "sticker words in text", body: "Sticker from Sam: so cute\n", text: "Sticker from Sam: so cute"},
		{name: "location", body: "Stopped sharing location!\n", kinds: []AttachmentKind{AttachmentLocation}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, r := readIM(t, h+tt.body+"\n", Options{})
			require.NoError(t, r.Err())
			require.NotNil(t, c)
			require.Len(t, c.Messages, 1)
			m := c.Messages[0]
			assert.Equal(t, tt.text, m.Text, tt.reason)
			assert.Equal(t, tt.deleted, m.Deleted, "deleted")
			assert.Equal(t, tt.edited, m.Edited, "edited")
			var kinds []AttachmentKind
			for _, a := range m.Attachments {
				kinds = append(kinds, a.Kind)
			}
			assert.Equal(t, tt.kinds, kinds)
		})
	}
}

func TestIMessageReplies(t *testing.T) {
	in := "Mar 14, 2026  9:00:00 PM\nSam\nparent\n" +
		"    Mar 14, 2026  9:01:00 PM\n    Me\n    first reply\n    \n    second line\n\n" +
		"    Mar 14, 2026  9:02:00 PM\n    Noa\n    only shown here\n    Tapbacks:\n        Loved by Sam\n\n" +
		"part two of the parent\n\n" +
		"Mar 14, 2026  9:01:00 PM\nMe\nfirst reply\n\nsecond line\n" + imReplyNote + "\n\n" +
		"Mar 14, 2026  9:03:00 PM\nSam\nlater\n\n"
	c, r := readIM(t, in, Options{})
	require.NoError(t, r.Err())
	require.NotNil(t, c)
	var got []string
	for _, m := range c.Messages {
		got = append(got, m.ID+"|"+m.Author+"|"+m.ReplyTo+"|"+m.Text)
	}
	assert.Equal(t, []string{
		"1|Sam||parent\npart two of the parent",
		"2|Noa|1|only shown here",
		"3|Me|1|first reply\n\nsecond line",
		"4|Sam||later",
	}, got, "a reply met only under its parent is kept after it; the other keeps its own place")
	require.NotEmpty(t, r.Problems())
	assert.Contains(t, r.Problems()[0].Error(), "1 thread repl(ies) shown only under their parent")
}

func TestIMessageIdenticalReplies(t *testing.T) {
	reply := "    Mar 14, 2026  9:01:00 PM\n    Me\n    ok\n\n"
	in := "Mar 14, 2026  9:00:00 PM\nSam\nA?\n" + reply + "\n" + "Mar 14, 2026  9:00:00 PM\nSam\nB?\n" + reply + "\n" +
		"Mar 14, 2026  9:01:00 PM\nMe\nok\n" + imReplyNote + "\n\n" + "Mar 14, 2026  9:01:00 PM\nMe\nok\n" + imReplyNote + "\n\n"
	c, r := readIM(t, in, Options{})
	require.NoError(t, r.Err())
	require.Len(t, c.Messages, 4, "two replies alike in time, author and text are two messages, not four")
	assert.Equal(t, "1", c.Messages[2].ReplyTo)
	assert.Equal(t, "2", c.Messages[3].ReplyTo, "each copy takes the next parent in order")
	assert.Empty(t, r.Problems())
}

func TestIMessageCaps(t *testing.T) {
	t.Run("message cut on a rune boundary", func(t *testing.T) {
		c, r := readIM(t, "Mar 14, 2026  9:03:05 PM\nSam\n"+strings.Repeat("é", 20)+"\nmore\n\nMar 14, 2026  9:03:06 PM\nSam\nnext\n\n",
			Options{MaxMessageBytes: 11})
		require.NoError(t, r.Err())
		require.Len(t, c.Messages, 2)
		assert.Equal(t, strings.Repeat("é", 5), c.Messages[0].Text)
		assert.Equal(t, "next", c.Messages[1].Text, "the next message is read whole")
		require.Len(t, r.Problems(), 1)
		p := r.Problems()[0]
		assert.ErrorIs(t, p, ErrTooLarge)
		assert.Equal(t, 1, p.Line)
		assert.NotContains(t, p.Error(), "é", "problems never quote message text")
	})
	t.Run("long line", func(t *testing.T) {
		c, r := readIM(t, "Mar 14, 2026  9:03:05 PM\nSam\n"+strings.Repeat("a", 5000)+"\n\n", Options{MaxLineBytes: 1024, MaxMessageBytes: 4096})
		require.NoError(t, r.Err())
		require.Len(t, c.Messages, 1)
		assert.LessOrEqual(t, len(c.Messages[0].Text), 1024)
		var lineCut bool
		for _, p := range r.Problems() {
			if errors.Is(p, ErrTooLarge) && p.Line == 3 {
				lineCut = true
			}
		}
		assert.True(t, lineCut, "the line cut is reported at its line: %v", r.Problems())
	})
	t.Run("many blank lines", func(t *testing.T) {
		c, r := readIM(t, "Mar 14, 2026  9:03:05 PM\nSam\na\n"+strings.Repeat("\n", 100)+"b\n\n", Options{MaxMessageBytes: 16})
		require.NoError(t, r.Err())
		assert.LessOrEqual(t, len(c.Messages[0].Text), 16)
	})
}

func TestIMessageReadError(t *testing.T) {
	in := "Mar 14, 2026  9:03:05 PM\nSam\nhello\n\nMar 14, 2026  9:03:06 PM\nMe\nhi\n\n"
	boom := errors.New("disk gone")
	r, err := NewReader("+15558675309.txt", io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom)), Options{Format: FormatIMessage})
	require.NoError(t, err)
	require.True(t, r.Next(), "what was read before the error is returned")
	assert.Len(t, r.Conversation().Messages, 2)
	assert.False(t, r.Next())
	var pe *ParseError
	require.ErrorAs(t, r.Err(), &pe)
	assert.ErrorIs(t, r.Err(), boom)
	assert.Equal(t, 9, pe.Line, "positioned at the line that could not be read")
}

func TestIMessageNotAnExport(t *testing.T) {
	wa, err := os.ReadFile(filepath.Join("testdata", "whatsapp", "ios_fr.txt"))
	require.NoError(t, err)
	c, r := readIM(t, string(wa), Options{})
	assert.Nil(t, c)
	var pe *ParseError
	require.ErrorAs(t, r.Err(), &pe)
	assert.ErrorIs(t, pe, ErrUnknownFormat)
	assert.Equal(t, 1, pe.Line)

	c, r = readIM(t, "\n\n", Options{})
	assert.Nil(t, c)
	assert.NoError(t, r.Err(), "an empty file (orphaned.txt) holds no conversation")

	c, r = readIM(t, "a title\n\nMar 14, 2026  9:03:05 PM\nSam\nhi\n\n", Options{})
	require.NotNil(t, c)
	require.NoError(t, r.Err())
	assert.Equal(t, "hi", c.Messages[0].Text)
	require.Len(t, r.Problems(), 1)
	assert.Contains(t, r.Problems()[0].Error(), "1 line(s) of text before the first message header ignored")
}

func TestIMessageChatNames(t *testing.T) {
	tests := []struct{ name, file, id, title string }{
		{name: "handle", file: "out/+15558675309.txt", id: "+15558675309"},
		{name: "named chat", file: "Family Chat - 12.txt", id: "Family Chat - 12", title: "Family Chat"},
		{name: "members", file: "Sam, Noa.txt", id: "Sam, Noa"},
		{name: "orphaned", file: "orphaned.txt", id: "orphaned"},
		{name: "stdin", file: "-", id: "imessage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(tt.file, strings.NewReader("Mar 14, 2026  9:03:05 PM\nSam\nhi\n\n"), Options{})
			require.NoError(t, err)
			require.Equal(t, FormatIMessage, r.Format())
			require.True(t, r.Next())
			assert.Equal(t, tt.id, r.Conversation().ID)
			assert.Equal(t, tt.title, r.Conversation().Title)
		})
	}
}

func TestIMessageFS(t *testing.T) {
	chat := []byte("Mar 14, 2026  9:03:05 PM\nSam\nhi\n\n")
	tests := []struct {
		name   string
		files  map[string][]byte
		want   Format
		convs  int
		reason string
	}{
		{name: "chat in a name", files: map[string][]byte{"Family Chat - 12.txt": chat, "Sam.txt": chat, "orphaned.txt": nil},
			want: FormatIMessage, convs: 2, reason: "\"chat\" in a name is no WhatsApp export when the content says otherwise"},
		{name: "with attachments", files: map[string][]byte{"Sam.txt": chat, "attachments/3/notes.txt": []byte("not a chat")},
			want: FormatIMessage, convs: 1, reason: "text files under attachments/ are media"},
		{name: "whatsapp named", files: map[string][]byte{"WhatsApp Chat with Sam.txt": []byte("14/03/2026, 21:03 - Sam: hi\n")}, want: FormatWhatsApp, convs: 1},
		{name: "a foreign text file", files: map[string][]byte{"Sam.txt": chat, "notes.txt": []byte("hello\n")}, want: FormatIMessage, convs: 2,
			reason: "not the export's layout (every text file must read as the export), so each file is read on its own: the chat, and the note as text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, b := range tt.files {
				fsys[n] = &fstest.MapFile{Data: b}
			}
			r, err := openFS(fsys, "export", nil, Options{})
			if tt.want == FormatUnknown {
				require.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Format(), tt.reason)
			cs, err := ReadAll(r)
			require.NoError(t, err)
			assert.Len(t, cs, tt.convs)
		})
	}
}

// FuzzIMessage: no panic; texts valid UTF-8 within the cap; ids numbered; replies point backwards.
func FuzzIMessage(f *testing.F) {
	addSeeds(f, FormatIMessage)
	for _, p := range []string{"Camille.txt", "Family Chat - 12.txt"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "imessage", "imessage_export", p)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Mar 14, 2026  9:03:05 PM\nSam\n    Mar 14, 2026  9:03:05 PM\n    Sam\n\nMar 14, 2026  9:03:05 PM\nSam\n" + imReplyNote + "\n"))
	f.Add([]byte("Feb 29, 2024 12:00:00 AM\n\nTapbacks:\nEdited  later: x\nMar 14, 2026  9:03:05 PM y\nEdited 1 day later: z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FormatIMessage, data)
		r, err := NewReader("fuzz.txt", bytes.NewReader(data), Options{Format: FormatIMessage, MaxMessageBytes: 64})
		if err != nil {
			return
		}
		for r.Next() {
			for i, m := range r.Conversation().Messages {
				if m.ID != strconv.Itoa(i+1) || !utf8.ValidString(m.Text) || len(m.Text) > 64 {
					t.Fatalf("message %d: id %q, %d bytes", i, m.ID, len(m.Text))
				}
				if m.ReplyTo != "" {
					if n, err := strconv.Atoi(m.ReplyTo); err != nil || n < 1 || n > i {
						t.Fatalf("message %d replies to %q", i+1, m.ReplyTo)
					}
				}
			}
		}
		for _, p := range r.Problems() {
			if p.Line < 0 {
				t.Fatalf("problem without a position: %v", p)
			}
		}
	})
}

// imBenchChat writes a conversation of n messages in the tool's layout: texts in French and
// English, every tenth with an attachment, every twentieth with tapbacks.
func imBenchChat(n int) []byte {
	var b strings.Builder
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	for i := range n {
		b.WriteString(t0.Add(time.Duration(i) * 37 * time.Second).Format("Jan 02, 2006  3:04:05 PM"))
		b.WriteString("\n")
		if i%2 == 0 {
			b.WriteString("Me\nTu as fini le devoir de français ? On se voit demain à 18 h 😀\n")
		} else {
			b.WriteString("+15558675309\nYes, almost done, see you tomorrow at the library\n")
		}
		if i%10 == 0 {
			b.WriteString("attachments/3/IMG_" + strconv.Itoa(i) + ".jpeg\n")
		}
		if i%20 == 0 {
			b.WriteString("Tapbacks:\n    Loved by +15558675309\n")
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// BenchmarkIMessage reads conversations of 1,000 and 10,000 messages, beside a naive baseline that
// only splits the same bytes into lines.
func BenchmarkIMessage(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := imBenchChat(n)
		name := "msgs=" + strconv.Itoa(n/1000) + "k"
		b.Run(name, func(b *testing.B) {
			benchRead(b, "+15558675309.txt", data, Options{Format: FormatIMessage}, 0)
		})
		b.Run(name+"/baseline=lines", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				lines := 0
				for range bytes.Lines(data) {
					lines++
				}
				if lines == 0 {
					b.Fatal("no lines")
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
