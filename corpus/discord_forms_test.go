package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// The fixtures of the HTML, plain-text and CSV forms (the golden test reads them all).
const (
	dceDMHTML  = "testdata/discord/Direct Messages - river_blue [1104217654023389214].html"
	dceDMText  = "testdata/discord/Direct Messages - river_blue [1104217654023389214].txt"
	dceDMCSV   = "testdata/discord/Direct Messages - river_blue [1104217654023389214].csv"
	dceSrvHTML = "testdata/discord/Chess Club - Text Channels - general [873310256112340100].html"
	dceSrvText = "testdata/discord/Chess Club - Text Channels - general [873310256112340100].txt"
)

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// TestDetectDiscordForms checks that each form is recognized from its content under names that point
// elsewhere and from a head cut short, and that the neighbouring formats keep their files.
func TestDetectDiscordForms(t *testing.T) {
	tests := []struct {
		name, fixture, as string
		cut               int
		want              Format
		reason            string
	}{
		{name: "html named like telegram", fixture: dceDMHTML, as: "messages.html", want: FormatDiscord},
		{name: "html named like meta", fixture: dceSrvHTML, as: "message_1.html", want: FormatDiscord},
		{name: "html cut in the style sheet", fixture: dceSrvHTML, as: "x.html", cut: 1500, want: FormatDiscord,
			reason: "the preamble's classes and the chatlog div are not in the head yet: the CSS names them"},
		{name: "html cut after the preamble", fixture: dceDMHTML, as: "page.htm", cut: 3500, want: FormatDiscord},
		{name: "text named like whatsapp", fixture: dceDMText, as: "WhatsApp Chat with Sam.txt", want: FormatDiscord},
		{name: "text cut after the preamble", fixture: dceSrvText, as: "log.txt", cut: 200, want: FormatDiscord},
		{name: "csv named like the canonical csv", fixture: dceDMCSV, as: "transcripts.csv", want: FormatDiscord},
		{name: "csv header only", fixture: dceDMCSV, as: "x", cut: 50, want: FormatDiscord},
		{name: "canonical csv stays csv", fixture: "testdata/csv/minimal.csv", as: "export.csv", want: FormatCSV},
		{name: "telegram html stays telegram", fixture: "testdata/telegram/personal_chat.html", as: "chat.html", want: FormatTelegram},
		{name: "meta html stays meta", fixture: "testdata/meta/ig_thread.html", as: "message_1.html", want: FormatMeta},
		{name: "whatsapp stays whatsapp", fixture: "testdata/whatsapp/ios_fr.txt", as: "chat.txt", want: FormatWhatsApp},
		{name: "text stays text", fixture: "testdata/text/channel.log", as: "channel.log", want: FormatText},
		{name: "discord json stays json", fixture: "testdata/discord/dm.json", as: "dm.json", want: FormatDiscord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := readFixture(t, tt.fixture)
			if tt.cut > 0 {
				b = b[:tt.cut]
			}
			require.Equal(t, tt.want, Detect(tt.as, b), tt.reason)
		})
	}
	// A note that starts with a rule but has no Guild/Channel preamble is not an export.
	require.NotEqual(t, FormatDiscord, Detect("notes.txt", []byte("==========\nTitle: my notes\nsome text\n")))
	// Markup that only mentions chatlog in passing is not an export.
	require.NotEqual(t, FormatDiscord, Detect("a.html", []byte("<html><body><p>chatlog</p></body></html>")))
}

// TestDiscordFormsAgree reads the DM in its four forms and checks that they tell the same story:
// authors, texts, system messages and attachments (the forms differ in ids and time precision).
func TestDiscordFormsAgree(t *testing.T) {
	read := func(path string) *Conversation {
		r, err := Open(path, Options{Location: time.FixedZone("CEST", 2*3600)})
		require.NoError(t, err)
		defer r.Close()
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Len(t, convs, 1)
		require.Equal(t, FormatDiscord, r.Format())
		return convs[0]
	}
	js := read("testdata/discord/dm.json")
	for _, path := range []string{dceDMHTML, dceDMText, dceDMCSV} {
		t.Run(path, func(t *testing.T) {
			c := read(path)
			require.Equal(t, js.ID, c.ID, "the channel id comes from the default file name")
			require.Equal(t, "discord", c.Platform)
			require.Equal(t, js.Authors(), c.Authors())
			// Message 1 and 2: same author, text, minute.
			for i := 0; i < 2; i++ {
				require.Equal(t, js.Messages[i].Author, c.Messages[i].Author)
				require.Equal(t, js.Messages[i].Text, c.Messages[i].Text)
				require.True(t, js.Messages[i].Time.Truncate(time.Minute).Equal(c.Messages[i].Time.Truncate(time.Minute)),
					"%v vs %v", js.Messages[i].Time, c.Messages[i].Time)
			}
			require.Equal(t, AttachmentImage, c.Messages[2].Attachments[0].Kind)
			require.Equal(t, "exercice4.png", c.Messages[2].Attachments[0].Name)
			var sys int
			for _, m := range c.Messages {
				if m.System {
					sys++
					require.Contains(t, strings.ToLower(m.Text), "started a call that lasted 15 minutes")
				}
			}
			require.Equal(t, 1, sys)
		})
	}
}

func TestDiscordHTMLReplyEditedSystem(t *testing.T) {
	r, err := Open(dceSrvHTML, Options{})
	require.NoError(t, err)
	defer r.Close()
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, r.Problems())
	c := convs[0]
	byID := map[string]Message{}
	for _, m := range c.Messages {
		byID[m.ID] = m
	}
	require.Equal(t, "873310256112350002", byID["873310256112350004"].ReplyTo, "a reply names its message")
	require.Equal(t, "873310256112350002", byID["873310256112350003"].ReplyTo, "a pin names the pinned message, as in the JSON reader")
	require.Empty(t, byID["873310256112350006"].ReplyTo, "the replied message was deleted: no id")
	require.Equal(t, "pion42", byID["873310256112350005"].Author, "a grouped message takes its group's author")
	require.NotContains(t, byID["873310256112350004"].Text, "Welcome", "the quoted reply is not the reply's text")
	require.True(t, byID["873310256112350001"].System)
	require.Equal(t, "oldtimer#0420", byID["873310256112350006"].Author, "a legacy discriminator stays in the name")

	dm := readAllFile(t, dceDMHTML)
	require.True(t, dm.Messages[1].Edited)
	require.False(t, dm.Messages[0].Edited)
	require.Equal(t, "et voilà la correction\nregarde surtout la fin à partir de la question 3", dm.Messages[3].Text,
		"raw newlines are the text's own, entities decoded, markup dropped")
}

func readAllFile(t *testing.T, path string) *Conversation {
	t.Helper()
	r, err := Open(path, Options{})
	require.NoError(t, err)
	defer r.Close()
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	return convs[0]
}

func TestParseDCEDate(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		name, in string
		order    DateOrder
		want     time.Time
		bad      bool
		reason   string
	}{
		{name: "en-US g, .NET 8 ICU", in: "4/27/2024 4:02\u202fPM", order: DateMDY, want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc),
			reason: "ICU 72 puts a narrow no-break space before AM/PM"},
		{name: "en-US g, older ICU", in: "4/27/2024 12:02 AM", order: DateMDY, want: time.Date(2024, 4, 27, 0, 2, 0, 0, utc)},
		{name: "fr-FR g", in: "27/04/2024 16:02", order: DateDMY, want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc)},
		{name: "de-DE g", in: "27.04.2024 16:02", order: DateDMY, want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc)},
		{name: "ja-JP g", in: "2024/04/27 16:02", order: DateMDY, want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc),
			reason: "the year first settles the order whatever the file says"},
		{name: "en-US f", in: "Saturday, April 27, 2024 4:02 PM", order: DateDMY, want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc),
			reason: "a named month is not ambiguous"},
		{name: "fr-FR f", in: "samedi 27 avril 2024 16:02", want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc)},
		{name: "de-DE f", in: "Samstag, 27. April 2024 16:02", want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc)},
		{name: "fr-FR abbreviated", in: "mar. 6 févr. 2024 09:05", want: time.Date(2024, 2, 6, 9, 5, 0, 0, utc),
			reason: "mar. is Tuesday here, not March: the month is the last name"},
		{name: "old default dateformat", in: "27-Apr-24 04:02 PM", want: time.Date(2024, 4, 27, 16, 2, 0, 0, utc),
			reason: "dd-MMM-yy hh:mm tt, the old default date format"},
		{name: "csv o", in: "2024-04-27T16:02:11.4090000+02:00", want: time.Date(2024, 4, 27, 14, 2, 11, 409000000, utc)},
		{name: "seconds", in: "27/04/2024 16:02:59", order: DateDMY, want: time.Date(2024, 4, 27, 16, 2, 59, 0, utc)},
		{name: "no date", in: "16:02", bad: true},
		{name: "invalid date", in: "Invalid date", bad: true},
		{name: "bad clock", in: "27/04/2024 25:02", bad: true},
		{name: "13 PM", in: "4/27/2024 13:02 PM", bad: true},
		{name: "31 April", in: "31/04/2024 10:00", order: DateDMY, bad: true},
		{name: "empty", in: "", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := parseDCEDate(tt.in)
			var got time.Time
			if ok {
				got, ok = d.at(tt.order, utc)
			}
			if tt.bad {
				require.False(t, ok, tt.reason)
				return
			}
			require.True(t, ok, tt.reason)
			require.True(t, tt.want.Equal(got), "got %v (%s)", got, tt.reason)
		})
	}
}

// dceTextExport builds a plain-text export of messages given as "DATE|AUTHOR|TEXT".
func dceTextExport(msgs ...string) string {
	rule := strings.Repeat("=", 62)
	var b strings.Builder
	b.WriteString(rule + "\nGuild: Direct Messages\nChannel: lou\n" + rule + "\n\n")
	for _, m := range msgs {
		f := strings.SplitN(m, "|", 3)
		fmt.Fprintf(&b, "[%s] %s\n%s\n\n\n", f[0], f[1], f[2])
	}
	fmt.Fprintf(&b, "%s\nExported %d message(s)\n%s\n", rule, len(msgs), rule)
	return b.String()
}

func TestDiscordTextDateOrder(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		opts   Options
		want   time.Month
		reason string
	}{
		{name: "settled by a later date", in: dceTextExport("03/04/2024 10:00|lou|bonjour", "25/04/2024 10:00|lou|re"),
			want: time.April, reason: "25 cannot be a month: the whole file is day first"},
		{name: "settled month first", in: dceTextExport("03/04/2024 10:00 AM|lou|hi", "04/25/2024 10:00 AM|lou|re"), want: time.March},
		{name: "12-hour clock means en-US", in: dceTextExport("03/04/2024 10:00 AM|lou|hi"), want: time.March},
		{name: "24-hour clock means day first", in: dceTextExport("03/04/2024 10:00|lou|salut"), want: time.April},
		{name: "forced", in: dceTextExport("03/04/2024 10:00|lou|hi"), opts: Options{DateOrder: DateMDY}, want: time.March},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("x.txt", strings.NewReader(tt.in), tt.opts)
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.NoError(t, err)
			require.Empty(t, r.Problems())
			require.Equal(t, tt.want, convs[0].Messages[0].Time.Month(), tt.reason)
		})
	}
}

// TestDiscordFormsTimeZone: dates without a zone are read in Options.Location (--tz); the CSV's
// ISO dates carry their offset and do not move.
func TestDiscordFormsTimeZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	for _, path := range []string{dceDMHTML, dceDMText, dceDMCSV} {
		r, err := Open(path, Options{Location: paris})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err)
		_ = r.Close()
		got := convs[0].Messages[0].Time
		require.Equal(t, time.Date(2024, 4, 27, 14, 2, 0, 0, time.UTC), got.UTC().Truncate(time.Minute), path)
	}
}

func TestDiscordFormsBadDate(t *testing.T) {
	in := dceTextExport("27/04/2024 16:02|lou|premier", "27/04/2024 16:03|lou|deuxième")
	in = strings.Replace(in, "[27/04/2024 16:03]", "[31/02/2024 16:03]", 1)
	r, err := NewReader("x.txt", strings.NewReader(in), Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs[0].Messages, 2, "the message is kept")
	require.True(t, convs[0].Messages[1].Time.IsZero())
	require.Equal(t, "deuxième", convs[0].Messages[1].Text)
	require.Len(t, r.Problems(), 1)
	require.Contains(t, r.Problems()[0].Error(), `time unknown for 1 message(s), the first "2"`)
	require.NotContains(t, r.Problems()[0].Error(), "deuxième", "problems never quote the text")

	csv := strings.Replace(string(readFixture(t, dceDMCSV)), "2024-04-27T16:02:42.7700000+02:00", "demain", 1)
	csv = strings.Replace(csv, "2024-04-27T16:05:33.9990000+02:00", "", 1)
	csv = strings.Replace(csv, "2024-04-27T16:22:22.3330000+02:00", "30/02/2024 10:00", 1)
	r, err = NewReader("x.csv", strings.NewReader(csv), Options{})
	require.NoError(t, err)
	convs, err = ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs[0].Messages, 6)
	require.Len(t, r.Problems(), 1, "one problem for all the unreadable dates; an empty date is no problem")
	require.Contains(t, r.Problems()[0].Error(), `x.csv:3: discord: time unknown for 2 message(s), the first "2"`)
	require.True(t, convs[0].Messages[5].Time.IsZero())

	page := bytes.Replace(readFixture(t, dceDMHTML), []byte(`title="samedi 27 avril 2024 16:03">16:03`), []byte(`title="bientôt">bientôt`), 1)
	page = bytes.Replace(page, []byte(`title="samedi 27 avril 2024 16:03"><a href=#chatlog__message-container-1104218266475712573>27/04/2024 16:03`),
		[]byte(`title="?"><a href=#chatlog__message-container-1104218266475712573>?`), 1)
	r, err = NewReader("x.html", bytes.NewReader(page), Options{})
	require.NoError(t, err)
	convs, err = ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs[0].Messages, 6)
	require.True(t, convs[0].Messages[2].Time.IsZero())
	require.Len(t, r.Problems(), 1)
	require.Equal(t, 10, r.Problems()[0].Line)
}

func TestDiscordFormsCaps(t *testing.T) {
	const text = "ééééé ceci est long" // 10 bytes of é: a cap of 7 cuts inside the fourth é
	html := bytes.Replace(readFixture(t, dceDMHTML), []byte("salut, tu as fini le devoir de maths ?"), []byte(text), 1)
	txt := strings.Replace(string(readFixture(t, dceDMText)), "salut, tu as fini le devoir de maths ?", text, 1)
	csv := strings.Replace(string(readFixture(t, dceDMCSV)), "salut, tu as fini le devoir de maths ?", text, 1)
	for _, tt := range []struct{ name, in string }{{"html", string(html)}, {"txt", txt}, {"csv", csv}} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("x", strings.NewReader(tt.in), Options{MaxMessageBytes: 7})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.NoError(t, err)
			m := convs[0].Messages[0]
			require.Equal(t, "ééé", m.Text, "cut on a rune boundary")
			var cut int
			for _, p := range r.Problems() {
				require.NotContains(t, p.Error(), "ceci", "problems never quote the text")
				require.NotContains(t, p.Error(), "é")
				if errors.Is(p, ErrTooLarge) {
					cut++
				}
			}
			require.GreaterOrEqual(t, cut, 1)
			for _, m := range convs[0].Messages {
				require.LessOrEqual(t, len(m.Text), 7)
			}
		})
	}
	// A line over MaxLineBytes in the plain text is cut and reported; a markup token over it is fatal.
	long := dceTextExport("27/04/2024 16:02|lou|" + strings.Repeat("a", 5000))
	r, err := NewReader("x.txt", strings.NewReader(long), Options{MaxLineBytes: 1024, MaxMessageBytes: 100})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs[0].Messages[0].Text, 100)
	page := "<div class=chatlog__message-group><div data-message-id=1 class=chatlog__message-container title=\"" + strings.Repeat("x", 5000) + "\"></div></div>"
	r, err = NewReader("x.html", strings.NewReader(page), Options{MaxLineBytes: 1024})
	require.NoError(t, err)
	_, err = ReadAll(r)
	require.ErrorIs(t, err, ErrTooLarge)
}

// TestDiscordFormsReadError: a read error keeps the messages read before it and is positioned.
func TestDiscordFormsReadError(t *testing.T) {
	boom := errors.New("disk unplugged")
	for _, tt := range []struct {
		path string
		at   string // the error comes right before this text
		want int    // messages kept
	}{
		{dceDMHTML, "<div class=chatlog__message-group><div id=chatlog__message-container-1104218751328866344", 4},
		{dceDMText, "[27/04/2024 16:05]", 4},
		{dceDMCSV, `"402871558993510401","river_blue","2024-04-27T16:05`, 4},
	} {
		t.Run(tt.path, func(t *testing.T) {
			b := readFixture(t, tt.path)
			i := bytes.Index(b, []byte(tt.at))
			require.Positive(t, i)
			r, err := NewReader(tt.path, io.MultiReader(bytes.NewReader(b[:i]), errReader{boom}), Options{})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			require.ErrorIs(t, err, boom)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.Positive(t, pe.Line)
			require.Len(t, convs, 1)
			require.Len(t, convs[0].Messages, tt.want)
			require.False(t, r.Next(), "the error sticks")
		})
	}
}

func TestDiscordFormsRejectOthers(t *testing.T) {
	tests := []struct {
		name, in string
		reason   string
	}{
		{name: "rule without preamble end", in: "==========\nGuild: x\n", reason: "the preamble never ends"},
		{name: "csv header of another tool", in: "AuthorID,Author,Date,Content,Attachments\n"},
		{name: "markup without messages", in: "<p>hello</p>", reason: "an empty channel: no messages, no error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("x", strings.NewReader(tt.in), Options{Format: FormatDiscord})
			require.NoError(t, err)
			for r.Next() {
				require.NotNil(t, r.Conversation())
			}
			if r.Err() != nil {
				require.NotEmpty(t, r.Err().Error())
			}
		})
	}
	// Forced, an HTML page without DiscordChatExporter's classes yields no message.
	r, err := NewReader("x.html", strings.NewReader("<html><body><p>hi</p></body></html>"), Options{Format: FormatDiscord})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	for _, c := range convs {
		require.Empty(t, c.Messages)
	}
}

func FuzzDiscordHTML(f *testing.F) {
	f.Add(readFixture(f, dceDMHTML))
	f.Add(readFixture(f, dceSrvHTML))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatDiscord, data) })
}

func FuzzDiscordText(f *testing.F) {
	f.Add(readFixture(f, dceDMText))
	f.Add(readFixture(f, dceSrvText))
	f.Add([]byte(dceTextExport("4/27/2024 4:02\u202fPM|a|b", "27-Apr-24 04:02 PM|c|{Attachments}")))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatDiscord, data) })
}

func FuzzDiscordCSV(f *testing.F) {
	f.Add(readFixture(f, dceDMCSV))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatDiscord, data) })
}

// dceBenchPage builds an HTML export of n messages from the DM fixture's message groups.
func dceBenchPage(b *testing.B, n int) []byte {
	page := readFixture(b, dceDMHTML)
	start := bytes.Index(page, []byte("<div class=chatlog__message-group>"))
	end := bytes.Index(page, []byte("\n</div>\n<div class=postamble>"))
	body := page[start:end]
	var out bytes.Buffer
	out.Write(page[:start])
	for out.Len() < start || bytes.Count(out.Bytes(), []byte("data-message-id=")) < n {
		out.Write(body)
	}
	out.Write(page[end:])
	return out.Bytes()
}

func BenchmarkDiscordHTML(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		page := dceBenchPage(b, n)
		msgs := bytes.Count(page, []byte("data-message-id="))
		b.Run(fmt.Sprintf("msgs=%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				r, err := NewReader("x.html", bytes.NewReader(page), Options{})
				if err != nil {
					b.Fatal(err)
				}
				convs, err := ReadAll(r)
				if err != nil || len(convs[0].Messages) != msgs {
					b.Fatalf("%v, %d messages", err, len(convs[0].Messages))
				}
			}
			b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
		// The naive baseline: building the page's DOM with html.Parse, before any reading.
		b.Run(fmt.Sprintf("msgs=%dk/naive-dom", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, err := html.Parse(bytes.NewReader(page)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

func ExampleNewReader_discordText() {
	export := strings.Join([]string{
		strings.Repeat("=", 62),
		"Guild: Direct Messages",
		"Channel: lou",
		strings.Repeat("=", 62),
		"",
		"[27/04/2024 16:02] lou",
		"salut !",
		"",
		"",
		strings.Repeat("=", 62),
		"Exported 1 message(s)",
		strings.Repeat("=", 62),
	}, "\n")
	r, _ := NewReader("Direct Messages - lou [1104217654023389214].txt", strings.NewReader(export), Options{})
	for r.Next() {
		c := r.Conversation()
		m := c.Messages[0]
		fmt.Println(c.ID, c.Title, m.Time.Format(time.DateTime), m.Author, m.Text)
	}
	// Output: 1104217654023389214 lou 2024-04-27 16:02:00 lou salut !
}

// TestDiscordHTMLOlderLayout reads the markup of older versions (Exporting/Writers/Html/): the reply block was
// chatlog__reference, and the timestamps had no "f" title (the short timestamp's title was "g").
func TestDiscordHTMLOlderLayout(t *testing.T) {
	page := `<!DOCTYPE html><html lang=en><head><title>Direct Messages - lou</title></head><body>` +
		`<div class=preamble><div class=preamble__entries-container><div class=preamble__entry>Direct Messages</div>` +
		`<div class=preamble__entry>Private / lou</div></div></div><div class=chatlog>` + "\n" +
		`<div class=chatlog__message-group><div id=chatlog__message-container-11 class="chatlog__message-container " data-message-id=11>` +
		`<div class=chatlog__message><div class=chatlog__message-aside><img class=chatlog__avatar src=a.png alt=Avatar></div>` +
		`<div class=chatlog__message-primary><div class=chatlog__header><span class=chatlog__author title=lou#1234 data-user-id=5>Lou</span> ` +
		`<span class=chatlog__timestamp><a href=#chatlog__message-container-11>14-Mar-24 09:05 PM</a></span></div>` +
		`<div class="chatlog__content chatlog__markdown"><span class=chatlog__markdown-preserve>t'es là ?</span></div></div></div></div>` +
		`<div id=chatlog__message-container-12 class="chatlog__message-container " data-message-id=12><div class=chatlog__message>` +
		`<div class=chatlog__message-aside><div class=chatlog__short-timestamp title="14-Mar-24 09:06 PM">09:06 PM</div></div>` +
		`<div class=chatlog__message-primary><div class="chatlog__content chatlog__markdown"><span class=chatlog__markdown-preserve>ok</span></div></div></div></div></div>` + "\n" +
		`<div class=chatlog__message-group><div id=chatlog__message-container-13 class="chatlog__message-container " data-message-id=13>` +
		`<div class=chatlog__message><div class=chatlog__message-aside><div class=chatlog__reference-symbol></div></div><div class=chatlog__message-primary>` +
		`<div class=chatlog__reference><div class=chatlog__reference-author title=lou#1234>Lou</div><div class=chatlog__reference-content>` +
		`<span class=chatlog__reference-link onclick="scrollToMessage(event, '11')">t'es là ?</span></div></div>` +
		`<div class=chatlog__header><span class=chatlog__author title=sam data-user-id=6>Sam</span> ` +
		`<span class=chatlog__timestamp><a href=#chatlog__message-container-13>14-Mar-24 09:07 PM</a></span></div>` +
		`<div class="chatlog__content chatlog__markdown"><span class=chatlog__markdown-preserve>oui</span></div></div></div></div></div>` + "\n" +
		`</div><div class=postamble><div class=postamble__entry>Exported 3 message(s)</div></div></body></html>`
	require.Equal(t, FormatDiscord, Detect("x.html", []byte(page)))
	r, err := NewReader("x.html", strings.NewReader(page), Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, r.Problems())
	c := convs[0]
	require.Equal(t, "Direct Messages / Private / lou", c.ID, "no channel id in the name: guild and channel")
	require.Equal(t, "Private / lou", c.Title)
	require.Len(t, c.Messages, 3)
	require.Equal(t, []string{"lou#1234", "lou#1234", "sam"}, []string{c.Messages[0].Author, c.Messages[1].Author, c.Messages[2].Author})
	require.Equal(t, time.Date(2024, 3, 14, 21, 6, 0, 0, time.UTC), c.Messages[1].Time)
	require.Equal(t, "11", c.Messages[2].ReplyTo)
	require.Equal(t, "oui", c.Messages[2].Text)
	require.Equal(t, "Lou", c.Participants[0].Name)
}

// TestDiscordTextCRLF: the exporter writes Environment.NewLine, "\r\n" on Windows; a byte order
// mark may come first.
func TestDiscordTextCRLF(t *testing.T) {
	lf := readFixture(t, dceSrvText)
	crlf := append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))...)
	read := func(b []byte) *Conversation {
		require.Equal(t, FormatDiscord, Detect("x.txt", b))
		r, err := NewReader("x.txt", bytes.NewReader(b), Options{})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err)
		require.Empty(t, r.Problems())
		return convs[0]
	}
	want, got := read(lf), read(crlf)
	require.Equal(t, want.Messages, got.Messages)
	require.Equal(t, want.Title, got.Title)
}
