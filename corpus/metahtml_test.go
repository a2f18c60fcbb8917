package corpus

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// metaHTMLPage builds a current Instagram page from blocks given oldest first (pages are newest
// first).
func metaHTMLPage(title string, blocks ...string) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8" /><title>` + title + `</title></head><body><div class="_a706" role="main">`)
	for i := len(blocks) - 1; i >= 0; i-- {
		b.WriteString(blocks[i])
	}
	b.WriteString(`</div></body></html>`)
	return b.String()
}

// metaHTMLBlock is one message block of a current Instagram page.
func metaHTMLBlock(sender, content, date string) string {
	return `<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder"><h2 class="_3-95 _2pim _a6-h _a6-i">` + sender +
		`</h2><div class="_3-95 _a6-p"><div><div></div><div>` + content + `</div><div></div><div></div></div></div>` +
		`<div class="_3-94 _a6-o">` + date + `</div></div>`
}

func TestParseMetaHTMLDate(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	tests := []struct {
		name, in string
		want     string // RFC 3339 in UTC; "" when the date must be refused
		reason   string
	}{
		{name: "current instagram", in: "Mar 14, 2026 9:03 pm", want: "2026-03-14T21:03:00Z"},
		{name: "older export", in: "Mar 14, 2026, 9:03 PM", want: "2026-03-14T21:03:00Z", reason: "comma after the year, upper-case PM"},
		{name: "midnight", in: "Mar 14, 2026 12:05 am", want: "2026-03-14T00:05:00Z"},
		{name: "noon", in: "Mar 14, 2026 12:05 pm", want: "2026-03-14T12:05:00Z"},
		{name: "seconds", in: "Sep 02, 2025 6:33:07 am", want: "2025-09-02T06:33:07Z"},
		{name: "full month and at", in: "March 14, 2026 at 9:03 PM", want: "2026-03-14T21:03:00Z"},
		{name: "24-hour clock", in: "Mar 14, 2026 21:03", want: "2026-03-14T21:03:00Z"},
		{name: "french", in: "14 mars 2026 à 21:03", want: "2026-03-14T21:03:00Z"},
		{name: "french abbreviated", in: "2 févr. 2026, 08:15", want: "2026-02-02T08:15:00Z"},
		{name: "french with weekday and h", in: "sam. 14 mars 2026 21h03", want: "2026-03-14T21:03:00Z"},
		{name: "french month in the english order", in: "févr. 02, 2026 8:15 am", want: "2026-02-02T08:15:00Z", reason: "an export in French may keep the English layout"},
		{name: "no such day", in: "Feb 31, 2026 1:00 pm", reason: "the 31st of February is refused, not moved to March"},
		{name: "13 pm", in: "Mar 14, 2026 13:00 pm"},
		{name: "unknown month", in: "Foo 14, 2026 1:00 pm"},
		{name: "not a date", in: "yesterday"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseMetaHTMLDate(tt.in, time.UTC)
			if tt.want == "" {
				assert.False(t, ok, tt.reason)
				return
			}
			require.True(t, ok, tt.reason)
			assert.Equal(t, tt.want, got.UTC().Format(time.RFC3339), tt.reason)
		})
	}
	got, ok := parseMetaHTMLDate("Mar 14, 2026 9:03 pm", paris)
	require.True(t, ok)
	assert.Equal(t, "2026-03-14T20:03:00Z", got.UTC().Format(time.RFC3339), "dates without a zone are read in Options.Location")
}

func TestMetaHTMLDetect(t *testing.T) {
	page := metaHTMLPage("Sam", metaHTMLBlock("Sam", "Salut", "Mar 14, 2026 9:03 pm"))
	tests := []struct {
		name, file, in string
		want           Format
	}{
		{name: "instagram page", file: "message_1.html", in: page, want: FormatMeta},
		{name: "page under another name", file: "chat.html", in: page, want: FormatMeta},
		{name: "older facebook page", file: "message_1.html", in: `<html><body><div class="pam _3-95 _2pi0 _2lej uiBoxWhite noborder"><div class="_3-96 _2pio _2lek _2lel">A</div><div class="_3-96 _2let">hi</div></div></body></html>`, want: FormatMeta},
		{name: "any web page", file: "page.html", in: `<!DOCTYPE html><html><head><title>Club</title></head><body><div class="main"><p>Planning</p></div></body></html>`, want: FormatUnknown},
		{name: "json thread still json", file: "message_1.json", in: `{"participants":[{"name":"A"}],"messages":[{"sender_name":"A","timestamp_ms":1}]}`, want: FormatMeta},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect(tt.file, []byte(tt.in)))
		})
	}
}

func TestMetaHTMLReader(t *testing.T) {
	read := func(t *testing.T, in string, o Options) (*Conversation, Reader) {
		t.Helper()
		o.Format = FormatMeta
		r, err := NewReader("message_1.html", strings.NewReader(in), o)
		require.NoError(t, err)
		require.True(t, r.Next(), "err: %v", r.Err())
		return r.Conversation(), r
	}
	t.Run("order, authors and text", func(t *testing.T) {
		c, r := read(t, metaHTMLPage("Sam",
			metaHTMLBlock("Noa", "Coucou", "Mar 14, 2026 9:01 pm"),
			metaHTMLBlock("Sam", "Ça va ? <br>Bien et toi", "Mar 14, 2026 9:01 pm"),
			metaHTMLBlock("Noa", "Oui &amp; toi", "Mar 14, 2026 9:02 pm")), Options{})
		require.Len(t, c.Messages, 3)
		assert.Equal(t, []string{"Noa", "Sam", "Noa"}, []string{c.Messages[0].Author, c.Messages[1].Author, c.Messages[2].Author},
			"messages of the same minute keep their page order")
		assert.Equal(t, "Ça va ?\nBien et toi", c.Messages[1].Text, "<br> is a line break; the space before it goes")
		assert.Equal(t, "Oui & toi", c.Messages[2].Text)
		assert.Equal(t, "Sam", c.Title)
		assert.Empty(t, r.Problems())
	})
	t.Run("malformed markup", func(t *testing.T) {
		// Unclosed parts and stray end tags: read as a browser would, nothing lost.
		in := `<html><title>T</title></span><div class="_a6-g"><h2>Sam<div><div>Salut</div></div><div>Mar 14, 2026 9:01 pm</div></div></td>` +
			`<div class="_a6-g"><h2>Noa</h2><div>Coucou`
		c, _ := read(t, in, Options{})
		require.NotEmpty(t, c.Messages)
		var texts []string
		for _, m := range c.Messages {
			texts = append(texts, m.Text)
		}
		assert.Contains(t, strings.Join(texts, "|"), "Coucou", "the block cut by the end of the page is kept")
	})
	t.Run("text cut at the cap", func(t *testing.T) {
		long := strings.Repeat("é", 100)
		c, r := read(t, metaHTMLPage("T", metaHTMLBlock("Sam", long, "Mar 14, 2026 9:01 pm")), Options{MaxMessageBytes: 51})
		require.Len(t, c.Messages, 1)
		assert.Equal(t, strings.Repeat("é", 25), c.Messages[0].Text, "cut on a rune boundary")
		require.Len(t, r.Problems(), 1)
		assert.ErrorIs(t, r.Problems()[0], ErrTooLarge)
	})
	t.Run("read error keeps what was read", func(t *testing.T) {
		page := metaHTMLPage("T", metaHTMLBlock("Sam", "Salut", "Mar 14, 2026 9:01 pm"), metaHTMLBlock("Noa", "Coucou", "Mar 14, 2026 9:02 pm"))
		cut := strings.Index(page, `<div class="pam`) // the newest block, then the error
		cut += strings.Index(page[cut+1:], `<div class="pam`) + 1
		in := io.MultiReader(strings.NewReader(page[:cut]), iotest.ErrReader(errors.New("disk gone")))
		r, err := NewReader("message_1.html", in, Options{Format: FormatMeta})
		require.NoError(t, err)
		require.True(t, r.Next())
		require.Len(t, r.Conversation().Messages, 1)
		assert.Equal(t, "Coucou", r.Conversation().Messages[0].Text)
		var pe *ParseError
		require.ErrorAs(t, r.Err(), &pe)
		assert.Equal(t, "message_1.html", pe.File)
		assert.Positive(t, pe.Line)
		assert.False(t, r.Next())
	})
	t.Run("not a meta page", func(t *testing.T) {
		r, err := NewReader("page.html", strings.NewReader(`<html><body><p>Planning</p></body></html>`), Options{Format: FormatMeta})
		require.NoError(t, err)
		assert.False(t, r.Next())
		assert.ErrorIs(t, r.Err(), ErrUnknownFormat)
	})
}

// A thread downloaded in both forms is read once, from its JSON.
func TestMetaFolderPrefersJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sam_123")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "message_1.json"),
		[]byte(`{"participants":[{"name":"Sam"}],"messages":[{"sender_name":"Sam","timestamp_ms":1773522180000,"content":"Salut"}],"title":"Sam"}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "message_1.html"),
		[]byte(metaHTMLPage("Sam", metaHTMLBlock("Sam", "Salut", "Mar 14, 2026 9:03 pm"))), 0o644))
	r, err := Open(dir, Options{})
	require.NoError(t, err)
	defer r.Close()
	cs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.Len(t, cs[0].Messages, 1)
}

// The whole download, as the .zip Meta sends: every thread of the inbox, the other pages ignored.
func TestMetaHTMLDownloadZip(t *testing.T) {
	zpath := filepath.Join(t.TempDir(), "instagram-lea-2026-03-15.zip")
	f, err := os.Create(zpath)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for name, body := range map[string]string{
		"your_instagram_activity/messages/inbox/sam_123/message_1.html":          metaHTMLPage("sam", metaHTMLBlock("sam", "Salut", "Mar 14, 2026 9:03 pm")),
		"your_instagram_activity/messages/inbox/noa_456/message_1.html":          metaHTMLPage("Noa", metaHTMLBlock("Noa", "Coucou", "Mar 14, 2026 9:04 pm")),
		"your_instagram_activity/messages/message_requests/x_789/message_1.html": metaHTMLPage("x", metaHTMLBlock("x", "Salut", "Mar 14, 2026 9:05 pm")),
		"your_instagram_activity/messages/inbox/sam_123/photos/1.jpg":            "\xff\xd8",
		"your_instagram_activity/messages/chats.html":                            "<html><body>index</body></html>",
		"your_instagram_activity/messages/secret_conversations.html":             "<html><body>devices</body></html>",
		"personal_information/personal_information/personal_information.html":    "<html><body>profile</body></html>",
	} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	r, err := Open(zpath, Options{})
	require.NoError(t, err)
	defer r.Close()
	assert.Equal(t, FormatMeta, r.Format())
	cs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, cs, 3)
	assert.Equal(t, "message_requests/x_789", cs[2].ID, "a message request says so")
	assert.Equal(t, []string{"inbox/noa_456", "inbox/sam_123"}, []string{cs[0].ID, cs[1].ID}, "ids as the JSON's thread_path")
	assert.Equal(t, "instagram", cs[0].Platform, "the path names Instagram")
}

// FuzzMetaHTML reads pages as the meta format: no panic, texts within the cap and valid UTF-8,
// every message numbered.
func FuzzMetaHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "meta", "*.html"))
	more, _ := filepath.Glob(filepath.Join("testdata", "meta", "*", "*.html"))
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(metaHTMLPage("T", metaHTMLBlock("A", "x<br><a href=\"https://e.org\">https://e.org</a><ul><li>r</li></ul>", "Feb 29, 2024 12:00 am"))))
	f.Add([]byte(`<div class="_a6-g"><h2>A</h2><div><video src="v/videos/1.mp4"><a>Click</a></video>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("<")) {
			data = append([]byte("<"), data...)
		}
		fuzzRead(t, FormatMeta, data)
		r, err := NewReader("fuzz.html", bytes.NewReader(data), Options{Format: FormatMeta, MaxMessageBytes: 64})
		if err != nil {
			return
		}
		for r.Next() {
			for i, m := range r.Conversation().Messages {
				if m.ID == "" || !utf8.ValidString(m.Text) || !utf8.ValidString(m.Author) || len(m.Text) > 64 {
					t.Fatalf("message %d: id %q, text %q, author %q", i, m.ID, m.Text, m.Author)
				}
			}
		}
	})
}

// BenchmarkMetaHTML reads a thread page of 2,000 messages (Meta writes up to 10,000 a page).
func BenchmarkMetaHTML(b *testing.B) {
	blocks := make([]string, 2000)
	for i := range blocks {
		blocks[i] = metaHTMLBlock([]string{"Léa Martin", "sam.k"}[i%2], "Tu as fini le devoir de français ? On se voit demain à 18 h 🙂",
			"Mar 14, 2026 9:03 pm")
	}
	data := []byte(metaHTMLPage("Léa Martin", blocks...))
	benchRead(b, "message_1.html", data, Options{Format: FormatMeta}, 0)
}
