package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// tgTestPage writes a chat page as Telegram Desktop lays it out, around the given message blocks.
func tgTestPage(chat string, blocks ...string) string {
	return `<!DOCTYPE html>
<html>

 <head>

  <meta charset="utf-8"/>
<title>Exported Data</title>
  <link href="css/style.css" rel="stylesheet"/>

 </head>

 <body onload="CheckLocation();">

  <div class="page_wrap">

   <div class="page_header">

    <div class="content">

     <div class="text bold">
` + chat + `
     </div>

    </div>

   </div>

   <div class="page_body chat_page">

    <div class="history">
` + strings.Join(blocks, "") + `
    </div>

   </div>

  </div>

 </body>

</html>
`
}

// tgTestMsg writes a message block; an empty from makes a joined message.
func tgTestMsg(id int, title, from, text string) string {
	class := "message default clearfix"
	if from == "" {
		class += " joined"
	}
	b := fmt.Sprintf(`
     <div class="%s" id="message%d">

      <div class="body">

       <div class="pull_right date details" title="%s">
21:03
       </div>
`, class, id, title)
	if from != "" {
		b += `
       <div class="from_name">
` + from + `
       </div>
`
	}
	return b + `
       <div class="text">
` + text + `
       </div>

      </div>

     </div>
`
}

func readTelegramHTML(t *testing.T, page string, o Options) ([]*Conversation, *telegramHTMLReader, error) {
	t.Helper()
	r, err := NewReader("ChatExport_2026-03-14/messages.html", strings.NewReader(page), o)
	require.NoError(t, err)
	require.Equal(t, FormatTelegram, r.Format())
	convs, err := ReadAll(r)
	return convs, r.(*telegramHTMLReader), err
}

func TestTelegramHTMLDetect(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "telegram", "personal_chat.html"))
	require.NoError(t, err)
	results, err := os.ReadFile(filepath.Join("testdata", "telegram", "DataExport_2026-03-14", "export_results.html"))
	require.NoError(t, err)
	tests := []struct {
		name, reason string
		file         string
		head         string
		want         Format
	}{
		{name: "chat page", file: "messages.html", head: string(page), want: FormatTelegram},
		{name: "chat page, any name", reason: "content decides, the name is a hint", file: "export.txt", head: string(page), want: FormatTelegram},
		{name: "chat page cut after 600 bytes", reason: "the header and the history block are in the first lines", file: "messages.html", head: string(page[:600]), want: FormatTelegram},
		{name: "summary page", reason: "detected so that the reader can say to pass the folder", file: "export_results.html", head: string(results), want: FormatTelegram},
		{name: "saved web page", reason: "another HTML page is no format: it must not go to telegram nor to text", file: "page.html",
			head: `<!DOCTYPE html><html><head><title>Forum</title></head><body><div class="message">hello</div><div class="history">x</div></body></html>`, want: FormatUnknown},
		{name: "web page without doctype", file: "chat.htm",
			head: `<html><body><p>Sam: hi</p><p>Alex: hello</p></body></html>`, want: FormatUnknown},
		{name: "result.json still JSON", file: "result.json",
			head: `{"name":"A","type":"personal_chat","id":1,"messages":[{"id":1,"type":"message","date_unixtime":"1","from_id":"user1","text":"x"}]}`, want: FormatTelegram},
		{name: "plain text still text", file: "chat.txt", head: "Sam: hi\nAlex: hello\nSam: ok\n", want: FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Detect(tt.file, []byte(tt.head)), tt.reason)
		})
	}
	t.Run("text never claims a page", func(t *testing.T) {
		require.Zero(t, sniffText("messages.txt", page))
		require.Zero(t, sniffText("messages.txt", []byte(tgTestPage("A", tgTestMsg(1, "14.03.2026 21:03:05", "A", "x")))))
	})
	t.Run("JSON sniffer unchanged", func(t *testing.T) {
		require.Zero(t, sniffTelegramHTML([]byte(`{"messages":[]}`)))
		require.Zero(t, sniffTelegramHTML([]byte(`[21:03] <Sam> hi`)))
	})
}

func TestTelegramHTMLTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	tests := []struct {
		name, reason, title string
		want                time.Time
		problem             bool
	}{
		{name: "offset", title: "14.03.2026 21:03:05 UTC+01:00", want: time.Date(2026, 3, 14, 20, 3, 5, 0, time.UTC)},
		{name: "negative offset with minutes", title: "14.03.2026 21:03:05 UTC-03:30", want: time.Date(2026, 3, 15, 0, 33, 5, 0, time.UTC)},
		{name: "UTC", reason: "Qt names a zero offset \"UTC\"", title: "14.03.2026 21:03:05 UTC", want: time.Date(2026, 3, 14, 21, 3, 5, 0, time.UTC)},
		{name: "summer time in --tz", reason: "the writer names the standard offset (+01:00) also in summer: Europe/Paris has it, and knows 14 July is CEST",
			title: "14.07.2026 21:03:05 UTC+01:00", want: time.Date(2026, 7, 14, 19, 3, 5, 0, time.UTC)},
		{name: "summer time, another zone", reason: "the written offset is not the --tz zone's: kept as written",
			title: "14.07.2026 21:03:05 UTC+09:00", want: time.Date(2026, 7, 14, 12, 3, 5, 0, time.UTC)},
		{name: "no zone", reason: "older exports wrote local time without a zone: read in Options.Location",
			title: "14.07.2020 21:03:05", want: time.Date(2020, 7, 14, 19, 3, 5, 0, time.UTC)},
		{name: "unknown zone", reason: "read as local time, reported once", title: "14.03.2026 21:03:05 CET",
			want: time.Date(2026, 3, 14, 20, 3, 5, 0, time.UTC), problem: true},
		{name: "unreadable", title: "yesterday", problem: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			convs, r, err := readTelegramHTML(t, tgTestPage("A", tgTestMsg(7, tt.title, "A", "x")), Options{Location: paris})
			require.NoError(t, err)
			require.True(t, tt.want.Equal(convs[0].Messages[0].Time), "%s: got %v", tt.reason, convs[0].Messages[0].Time)
			require.Equal(t, tt.problem, len(r.Problems()) > 0, tt.reason)
		})
	}
}

func TestTelegramHTMLText(t *testing.T) {
	tests := []struct {
		name, reason, html, want string
	}{
		{name: "entities", html: `a &amp; b, &quot;c&quot;, l&apos;été, l&#39;hiver, &lt;i&gt;, &laquo;x&raquo;`, want: `a & b, "c", l'été, l'hiver, <i>, «x»`},
		{name: "line breaks", reason: "<br> is a line break; raw newlines are the writer's indentation", html: "une<br>deux<br><br>trois", want: "une\ndeux\n\ntrois"},
		{name: "inline entities", html: `<strong>gras</strong> <em>it</em> <code>c</code> <pre>p</pre> <u>u</u> <s>s</s> <blockquote>q</blockquote> <a href="https://example.org/a">lien</a>`,
			want: "gras it c p u s q lien"},
		{name: "spoiler", html: `vu <span class="spoiler hidden" onclick="ShowSpoiler(this)"><span aria-hidden="true">caché</span></span>`, want: "vu caché"},
		{name: "control characters", reason: "the writer escapes them as &#xNN;", html: "a&#x09;b", want: "a\tb"},
		{name: "emoji and accents", html: "Ça va ? 😊👍🏽 über", want: "Ça va ? 😊👍🏽 über"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			convs, _, err := readTelegramHTML(t, tgTestPage("A", tgTestMsg(1, "14.03.2026 21:03:05 UTC+01:00", "A", tt.html)), Options{})
			require.NoError(t, err)
			require.Equal(t, tt.want, convs[0].Messages[0].Text, tt.reason)
		})
	}
	t.Run("invalid UTF-8", func(t *testing.T) {
		// Read directly: NewReader would take a page that is not UTF-8 for Windows-1252.
		r := newTelegramHTMLReader("messages.html", strings.NewReader(tgTestPage("A", tgTestMsg(1, "14.03.2026 21:03:05", "A\xff", "a\xffb"))), Options{})
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Equal(t, "a\uFFFDb", convs[0].Messages[0].Text)
		require.Equal(t, "A\uFFFD", convs[0].Messages[0].Author)
	})
}

func TestTelegramHTMLAuthors(t *testing.T) {
	const d = "14.03.2026 21:03:05 UTC+01:00"
	tests := []struct {
		name, reason string
		blocks       []string
		want         []string
		problems     int
	}{
		{name: "joined messages", blocks: []string{tgTestMsg(1, d, "Sam Roux", "a"), tgTestMsg(2, d, "", "b"), tgTestMsg(3, d, "Alex", "c"), tgTestMsg(4, d, "", "d")},
			want: []string{"Sam Roux", "Sam Roux", "Alex", "Alex"}},
		{name: "via bot", reason: `" via @bot" is not part of the name`, blocks: []string{tgTestMsg(1, d, "Sam Roux  via @gif", "a")}, want: []string{"Sam Roux"}},
		{name: "chat as sender", reason: "a chat's name ends with the writer's space before an empty last name", blocks: []string{tgTestMsg(1, d, "Club de lecture ", "a")}, want: []string{"Club de lecture"}},
		{name: "joined first message", reason: "its sender is on the page before, which was not read", blocks: []string{tgTestMsg(1001, d, "", "a"), tgTestMsg(1002, d, "Alex", "b")},
			want: []string{"", "Alex"}, problems: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			convs, r, err := readTelegramHTML(t, tgTestPage("A", tt.blocks...), Options{})
			require.NoError(t, err)
			var got []string
			for _, m := range convs[0].Messages {
				got = append(got, m.Author)
			}
			require.Equal(t, tt.want, got, tt.reason)
			require.Len(t, r.Problems(), tt.problems)
		})
	}
}

// tgTestFS is a chat folder whose pages are listed out of order; page 2 starts with a joined message
// (which the writer never does, but a reader of the folder knows its sender).
func tgTestFS() fstest.MapFS {
	const d = "14.03.2026 21:03:05 UTC+01:00"
	page := func(ids ...int) *fstest.MapFile {
		var blocks []string
		for _, id := range ids {
			from := fmt.Sprintf("user %d", id%3)
			if id == 3 {
				from = ""
			}
			blocks = append(blocks, tgTestMsg(id, d, from, fmt.Sprintf("text %d", id)))
		}
		return &fstest.MapFile{Data: []byte(tgTestPage("Groupe", blocks...))}
	}
	return fstest.MapFS{
		"ChatExport_2026-03-14/messages10.html": page(10),
		"ChatExport_2026-03-14/messages9.html":  page(9),
		"ChatExport_2026-03-14/messages2.html":  page(3, 4),
		"ChatExport_2026-03-14/messages.html":   page(1, 2),
		"ChatExport_2026-03-14/css/style.css":   &fstest.MapFile{Data: []byte("/* */")},
		"ChatExport_2026-03-14/photos/a.jpg":    &fstest.MapFile{Data: []byte{0xff, 0xd8}},
	}
}

func TestTelegramHTMLFolder(t *testing.T) {
	fsys := tgTestFS()
	var names []string
	require.NoError(t, fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}))
	require.Equal(t, FormatTelegram, detectFS(names))
	r, err := openFS(fsys, "export", nil, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, r.Problems())
	require.Len(t, convs, 1, "the pages of a chat are one conversation")
	c := convs[0]
	require.Equal(t, "ChatExport_2026-03-14/Groupe", c.ID)
	var ids []string
	for _, m := range c.Messages {
		ids = append(ids, m.ID)
	}
	require.Equal(t, []string{"1", "2", "3", "4", "9", "10"}, ids, "numeric page order: messages10.html after messages9.html")
	require.Equal(t, "user 2", c.Messages[2].Author, "a joined first message takes the sender of the page before")

	t.Run("both formats", func(t *testing.T) {
		both := tgTestFS()
		both["ChatExport_2026-03-14/result.json"] = &fstest.MapFile{Data: []byte(`{"name":"Groupe","type":"private_group","id":77,` +
			`"messages":[{"id":1,"type":"message","date_unixtime":"1773518585","from":"user 1","from_id":"user1","text":"text 1"}]}`)}
		both["ChatExport_2026-03-14/photos/result.json"] = &fstest.MapFile{Data: []byte(`not the export`)}
		r, err := openFS(both, "export", nil, Options{})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Len(t, convs, 1)
		require.Equal(t, "77", convs[0].ID, "result.json is exact: it is read rather than the pages")
		require.Equal(t, telegramReaderVersion, convs[0].Source.Reader)

		sent := tgTestFS()
		sent["ChatExport_2026-03-14/files/result.json"] = &fstest.MapFile{Data: []byte(`{}`)}
		r, err = openFS(sent, "export", nil, Options{})
		require.NoError(t, err)
		convs, err = ReadAll(r)
		require.NoError(t, err)
		require.Equal(t, "ChatExport_2026-03-14/Groupe", convs[0].ID, "a result.json below the pages is a file someone sent")
	})

	t.Run("page alone", func(t *testing.T) {
		f, err := fsys.Open("ChatExport_2026-03-14/messages2.html")
		require.NoError(t, err)
		defer f.Close()
		r, err := NewReader("ChatExport_2026-03-14/messages2.html", f, Options{})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Equal(t, "ChatExport_2026-03-14/Groupe", convs[0].ID, "a page alone has its folder's id")
		require.Equal(t, "", convs[0].Messages[0].Author)
		require.Len(t, r.Problems(), 1)
		require.Contains(t, r.Problems()[0].Error(), "ChatExport_2026-03-14/messages2.html:")
	})
}

func TestTelegramHTMLBadInput(t *testing.T) {
	const d = "14.03.2026 21:03:05 UTC+01:00"
	full := tgTestPage("A", tgTestMsg(1, d, "A", "secret one"), tgTestMsg(2, d, "B", "secret two"))
	cut := full[:strings.Index(full, "secret two")+3]
	deep := tgTestPage("A", tgTestMsg(1, d, "A", "secret one"), tgTestMsg(2, d, "B", strings.Repeat("<span>", 300)+"secret two"))
	huge := tgTestPage("A", tgTestMsg(1, d, "A", "secret one"), tgTestMsg(2, d, "B", strings.Repeat("x", 200<<10)))
	tests := []struct {
		name, reason string
		page         string
		msgs         int
		problems     int
		err          error // nil: no error; &ParseError{}: a *ParseError; ErrTooLarge: a *ParseError wrapping it
		errLine      int   // 1-based line of the error; 0: not checked
	}{
		{name: "cut short", reason: "what was read is kept, the open message too", page: cut, msgs: 2, problems: 1},
		{name: "nested too deep", reason: "the error stops the page; the messages before it are kept, the open one as read so far",
			page: deep, msgs: 2, err: &ParseError{}, errLine: lineOf(deep, "<span>")},
		{name: "token over the buffer cap", reason: "the text read up to the cap is kept, and its cut reported",
			page: huge, msgs: 2, problems: 1, err: ErrTooLarge, errLine: lineOf(huge, "xxx")},
		{name: "empty", page: " ", err: &ParseError{}},
		{name: "no history", reason: "a list page holds no chat", page: "<html><body><div class=\"page_header\">x</div></body></html>", err: &ParseError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTelegramHTMLReader("messages.html", strings.NewReader(tt.page), Options{MaxMessageBytes: 4096})
			convs, err := ReadAll(r)
			n := 0
			for _, c := range convs {
				n += len(c.Messages)
			}
			require.Equal(t, tt.msgs, n, tt.reason)
			require.Len(t, r.Problems(), tt.problems)
			for _, p := range r.Problems() {
				require.NotContains(t, p.Error(), "secret", "problems never quote message text")
			}
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.NotContains(t, err.Error(), "secret")
			if errors.Is(tt.err, ErrTooLarge) {
				require.ErrorIs(t, err, ErrTooLarge)
			}
			if tt.errLine > 0 {
				require.Equal(t, tt.errLine, pe.Line, err.Error())
			}
		})
	}
}

// lineOf returns the 1-based line of the first occurrence of sub in s.
func lineOf(s, sub string) int {
	return strings.Count(s[:strings.Index(s, sub)], "\n") + 1
}

func TestTelegramHTMLTextCap(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	page := tgTestPage("A", tgTestMsg(1, "14.03.2026 21:03:05 UTC+01:00", "A", long+"<strong>!</strong>"))
	convs, r, err := readTelegramHTML(t, page, Options{MaxMessageBytes: 51})
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("é", 25), convs[0].Messages[0].Text, "cut on a rune boundary")
	require.Len(t, r.Problems(), 1)
	require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
	require.Equal(t, convs[0].Messages[0].Line, r.Problems()[0].Line)
}

func TestTelegramFormatForced(t *testing.T) {
	tests := []struct {
		name, reason, input string
		want                string
	}{
		{name: "json", input: `{"name":"A","type":"personal_chat","id":1,"messages":[{"id":1,"type":"message","date_unixtime":"1","from":"A","from_id":"user1","text":"x"}]}`, want: "1"},
		{name: "html", reason: "--format telegram reads either form: '<' starts an HTML page",
			input: "\n  " + tgTestPage("A", tgTestMsg(5, "14.03.2026 21:03:05 UTC+01:00", "A", "x")), want: "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("in", strings.NewReader(tt.input), Options{Format: FormatTelegram})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.NoError(t, err)
			require.Equal(t, tt.want, convs[0].Messages[0].ID, tt.reason)
		})
	}
}

func TestTelegramPageNumber(t *testing.T) {
	tests := []struct {
		name string
		n    int
		ok   bool
	}{
		{"messages.html", 1, true}, {"messages2.html", 2, true}, {"messages10.html", 10, true},
		{"message_1.html", 0, false}, {"messages.json", 0, false}, {"messages2.html.bak", 0, false},
		{"messages99999999999999999999.html", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := tgPageNumber(tt.name)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.n, n)
		})
	}
}

// FuzzTelegramHTML reads arbitrary bytes as an HTML page: no panic, and every message has an id and
// a valid UTF-8 text within the cap.
func FuzzTelegramHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "telegram", "*.html"))
	more, _ := filepath.Glob(filepath.Join("testdata", "telegram", "*", "*.html"))
	deeper, _ := filepath.Glob(filepath.Join("testdata", "telegram", "*", "*", "*", "*.html"))
	for _, p := range append(append(files, more...), deeper...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(tgTestPage("A", tgTestMsg(1, "14.03.2026 21:03:05 UTC+01:00", "", "x<br>y"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 4096
		r := newTelegramHTMLReader("fuzz", strings.NewReader(string(data)), Options{MaxMessageBytes: max})
		for r.Next() {
			c := r.Conversation()
			if c == nil || c.ID == "" {
				t.Fatal("conversation without id")
			}
			for _, m := range c.Messages {
				if m.ID == "" {
					t.Fatal("message without id")
				}
				if len(m.Text) > max || !utf8.ValidString(m.Text) || !utf8.ValidString(m.Author) {
					t.Fatalf("message %s: text of %d bytes, valid %v", m.ID, len(m.Text), utf8.ValidString(m.Text))
				}
			}
			if _, err := MarshalConversation(c); err != nil {
				t.Fatalf("conversation does not marshal: %v", err)
			}
		}
		for _, p := range r.Problems() {
			_ = p.Error()
		}
		if err := r.Err(); err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
		}
		fuzzRead(t, FormatTelegram, data)
	})
}

// A page of Telegram Desktop's HTML export is detected from its markup; a joined message takes the
// sender of the message above it, and the date title's zone is kept.
func ExampleNewReader_telegramHTML() {
	page := `<!DOCTYPE html>
<html>
 <body onload="CheckLocation();">
  <div class="page_wrap">
   <div class="page_header">
    <div class="content">
     <div class="text bold">
Camille
     </div>
    </div>
   </div>
   <div class="page_body chat_page">
    <div class="history">
     <div class="message default clearfix" id="message41">
      <div class="body">
       <div class="pull_right date details" title="09.03.2024 18:41:00 UTC+01:00">
18:41
       </div>
       <div class="from_name">
Jules
       </div>
       <div class="text">
c&apos;était <strong>génial</strong>
       </div>
      </div>
     </div>
     <div class="message default clearfix joined" id="message42">
      <div class="body">
       <div class="pull_right date details" title="09.03.2024 18:42:00 UTC+01:00">
18:42
       </div>
       <div class="text">
à demain<br>bonne soirée
       </div>
      </div>
     </div>
    </div>
   </div>
  </div>
 </body>
</html>
`
	r, err := NewReader("ChatExport_2024-03-10/messages.html", strings.NewReader(page), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for r.Next() {
		c := r.Conversation()
		fmt.Println(r.Format(), c.ID)
		for _, m := range c.Messages {
			fmt.Printf("%s %s %s %q\n", m.ID, m.Time.Format(time.RFC3339), m.Author, m.Text)
		}
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// telegram ChatExport_2024-03-10/Camille
	// 41 2024-03-09T18:41:00+01:00 Jules "c'était génial"
	// 42 2024-03-09T18:42:00+01:00 Jules "à demain\nbonne soirée"
}

// tgTestMedia writes a message block holding a media block, as the writer lays out media_wrap.
func tgTestMedia(media string) string {
	return `
     <div class="message default clearfix" id="message9">
      <div class="body">
       <div class="pull_right date details" title="14.03.2026 21:03:05 UTC+01:00">
21:03
       </div>
       <div class="from_name">
Sam
       </div>
       <div class="media_wrap clearfix">
` + media + `
       </div>
      </div>
     </div>
`
}

// tgTestGeneric writes a generic media block (pushGenericMedia): a link when the file was exported.
func tgTestGeneric(class, href, title, status string) string {
	open, end := `<div class="media clearfix pull_left `+class+`">`, `</div>`
	if href != "" {
		open, end = `<a class="media clearfix pull_left block_link `+class+`" href="`+href+`">`, `</a>`
	}
	return open + `
<div class="fill pull_left"></div>
<div class="body">
<div class="title bold">
` + title + `
</div>
<div class="status details">
` + status + `
</div>
</div>
` + end
}

func TestTelegramHTMLMedia(t *testing.T) {
	tests := []struct {
		name, reason, media string
		want                []Attachment
		system              bool
		text                string
	}{
		{name: "video file", media: `<a class="video_file_wrap clearfix pull_left" href="video_files/v.mp4"><div class="video_play_bg"><div class="video_play"></div></div><div class="video_duration">00:07</div><img class="video_file" src="video_files/v.mp4_thumb.jpg" style="width: 260px; height: 146px"/></a>`,
			want: []Attachment{{Kind: AttachmentVideo, Name: "v.mp4", URL: "video_files/v.mp4"}}},
		{name: "video message not exported", reason: "no link: the file was left out of the export",
			media: tgTestGeneric("media_video", "", "Video message", "00:09, 1.2 MB"), want: []Attachment{{Kind: AttachmentVideo, Omitted: true}}},
		{name: "animation without thumbnail", media: tgTestGeneric("media_video", "animations/a.mp4", "Animation", "120 KB"),
			want: []Attachment{{Kind: AttachmentGIF, Name: "a.mp4", URL: "animations/a.mp4"}}},
		{name: "audio file", media: tgTestGeneric("media_audio_file", "files/song.mp3", "Artist – Title", "03:12"),
			want: []Attachment{{Kind: AttachmentAudio, Name: "song.mp3", URL: "files/song.mp3"}}},
		{name: "photo not exported", media: tgTestGeneric("media_photo", "", "Photo", "1280x960, 120 KB"),
			want: []Attachment{{Kind: AttachmentImage, Omitted: true}}},
		{name: "file named by its title", reason: "without a link the kind comes from the title", media: tgTestGeneric("media_file", "", "notes.jpg", "12 KB"),
			want: []Attachment{{Kind: AttachmentImage, Omitted: true}}},
		{name: "full-account path", reason: "the writer's ../../ back to the export root is dropped, as result.json writes paths",
			media: `<a class="photo_wrap clearfix pull_left" href="../../chats/chat_3/photos/p.jpg"><img class="photo" src="../../chats/chat_3/photos/p_thumb.jpg" style="width: 260px; height: 195px"/></a>`,
			want:  []Attachment{{Kind: AttachmentImage, Name: "p.jpg", URL: "chats/chat_3/photos/p.jpg"}}},
		{name: "contact", media: tgTestGeneric("media_contact", "", "Léa Petit", "+33 6 00 00 00 00"), want: []Attachment{{Kind: AttachmentContact}}},
		{name: "location", media: tgTestGeneric("media_location", "https://maps.google.com/maps?q=48.85,2.35&amp;ll=48.85,2.35&amp;z=16", "Location", "48.85, 2.35"),
			want: []Attachment{{Kind: AttachmentLocation}}},
		{name: "missed call", reason: "a call is read as result.json's phone_call service message",
			media: tgTestGeneric("media_call", "", "Alex", "Missed"), want: []Attachment{{Kind: AttachmentCall}}, system: true, text: "Sam made a phone call (missed)"},
		{name: "poll", reason: "not media: result.json's reader ignores polls too",
			media: `<div class="media_poll"><div class="question bold">Quel jour ?</div><div class="details">Anonymous poll</div><div class="answer">- Lundi</div><div class="total details	">No votes</div></div>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			convs, r, err := readTelegramHTML(t, tgTestPage("A", tgTestMedia(tt.media)), Options{})
			require.NoError(t, err)
			require.Empty(t, r.Problems())
			m := convs[0].Messages[0]
			require.Equal(t, tt.want, m.Attachments, tt.reason)
			require.Equal(t, tt.system, m.System)
			require.Equal(t, tt.text, m.Text, "media titles and statuses are not message text")
			require.Equal(t, "Sam", m.Author)
		})
	}
}

func TestTelegramHTMLService(t *testing.T) {
	svc := func(id, body string) string {
		return `
     <div class="message service" id="message` + id + `">
      <div class="body details">
` + body + `
      </div>
     </div>
`
	}
	tests := []struct {
		name, reason, block string
		want                []Message
	}{
		{name: "date separator", reason: "the writer's, with a small negative id: not a message", block: svc("-3", "14 March 2026")},
		{name: "empty export", block: svc("-1", "No exported messages")},
		{name: "group created", block: svc("1", "Sam created group &laquo;Révisions&raquo; with members Alex and Léa"),
			want: []Message{{ID: "1", System: true, Text: "Sam created group «Révisions» with members Alex and Léa", Line: 1}}},
		{name: "migrated group", reason: "messages of a group migrated to a supergroup have ids shifted by -1e9: kept",
			block: svc("-999999950", "Sam converted a basic group to this supergroup &laquo;Révisions&raquo;"),
			want:  []Message{{ID: "-999999950", System: true, Text: "Sam converted a basic group to this supergroup «Révisions»", Line: 1}}},
		{name: "unsupported", reason: "as result.json's \"unsupported\" message: an omitted medium",
			block: svc("5", "This message is not supported by this version of Telegram Desktop. Please update the application."),
			want:  []Message{{ID: "5", Attachments: []Attachment{{Kind: AttachmentUnknown, Omitted: true}}, Line: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := tgTestPage("A", tt.block)
			convs, _, err := readTelegramHTML(t, page, Options{})
			require.NoError(t, err)
			for i := range tt.want {
				tt.want[i].Line = lineOf(page, `<div class="message service"`)
			}
			require.Equal(t, tt.want, convs[0].Messages, tt.reason)
		})
	}
}

// tgTestBigPage writes a page of n messages, alternating senders, every other one joined.
func tgTestBigPage(n int) string {
	blocks := make([]string, n)
	for i := range blocks {
		from := ""
		if i%2 == 0 {
			from = fmt.Sprintf("user %d", i%3)
		}
		blocks[i] = tgTestMsg(i+1, "14.03.2026 21:03:05 UTC+01:00", from, fmt.Sprintf("message numéro %d<br>avec &quot;une&quot; <strong>suite</strong>", i))
	}
	return tgTestPage("Groupe", blocks...)
}

func BenchmarkTelegramHTMLReader(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		page := tgTestBigPage(n)
		name := fmt.Sprintf("msgs=%dk", n/1000)
		b.Run(name+"/tokenizer", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				r := newTelegramHTMLReader("b.html", strings.NewReader(page), Options{})
				for r.Next() {
				}
				if r.Err() != nil {
					b.Fatal(r.Err())
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
		// Naive baseline: build the whole DOM, then walk it for the message blocks.
		b.Run(name+"/dom", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				doc, err := html.Parse(strings.NewReader(page))
				if err != nil {
					b.Fatal(err)
				}
				count := 0
				for nd := range doc.Descendants() {
					for _, a := range nd.Attr {
						if a.Key == "class" && strings.HasPrefix(a.Val, "message default") {
							count++
						}
					}
				}
				if count != n {
					b.Fatalf("%d message blocks, want %d", count, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
