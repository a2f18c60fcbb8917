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
	"golang.org/x/net/html"
)

// imhHead is the head of a page of the html export, with a style sheet of our own.
const imhHead = "<html>\n<head>\n<meta charset=\"UTF-8\"><style>\n.message .sent.iMessage { color: white; }\n</style>\n</head>\n<body>\n"

// imhMessage writes a message block as html.rs does (format_message, add_line), with the given
// markup after the sender line.
func imhMessage(stamp, who, inner string) string {
	side := "<div class=\"received\">\n"
	if who == "Me" {
		side = "<div class=\"sent iMessage\">\n"
	}
	return "<div class=\"message\">\n" + side + "<p><span class=\"timestamp\">" + stamp + "</span>\n<span class=\"sender\">" + who +
		"</span></p>\n" + inner + "</div>\n</div>\n"
}

// imhPartOf wraps markup in a message part.
func imhPartOf(inner string) string {
	return "<hr><div class=\"message_part\">\n" + inner + "\n</div>\n"
}

// readIMH reads a page of the html export given as text.
func readIMH(t *testing.T, page string, o Options) (*Conversation, Reader) {
	t.Helper()
	o.Format = FormatIMessage
	return readOne(t, "Sam.html", page, o)
}

// TestIMessageHTMLMatchesTxt reads one chat exported both ways (the fixtures follow txt.rs and
// html.rs at the same commit): the conversations are the same but for the lines.
func TestIMessageHTMLMatchesTxt(t *testing.T) {
	read := func(p string) (*Conversation, []*ParseError) {
		r, err := Open(filepath.Join("testdata", "imessage", p), Options{Location: time.UTC})
		require.NoError(t, err)
		defer r.Close()
		cs, err := ReadAll(r)
		require.NoError(t, err)
		require.Len(t, cs, 1)
		return cs[0], r.Problems()
	}
	txt, tp := read("Study Group - 7.txt")
	htm, hp := read("Study Group - 7.html")
	assert.Equal(t, "imessage/1", txt.Source.Reader)
	assert.Equal(t, "imessage-html/1", htm.Source.Reader)
	for _, c := range []*Conversation{txt, htm} {
		c.Source = Source{}
		for i := range c.Messages {
			c.Messages[i].Line = 0
		}
	}
	require.Greater(t, len(txt.Messages), 10)
	assert.Equal(t, txt, htm)
	require.Len(t, hp, len(tp))
	for i := range tp {
		assert.Equal(t, tp[i].Msg, hp[i].Msg)
	}
}

func TestIMessageHTMLDetect(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		return string(b)
	}
	tests := []struct {
		name, file, head string
		want             Format
		reason           string
	}{
		{name: "newest layout", file: "Study Group - 7.html", head: read(filepath.Join("testdata", "imessage", "Study Group - 7.html")), want: FormatIMessage},
		{name: "older layout", file: "x", head: read(filepath.Join("testdata", "imessage", "Skating - 4.html")), want: FormatIMessage,
			reason: "the content decides, whatever the name"},
		{name: "template layout", file: "Noa.html", head: read(filepath.Join("testdata", "imessage", "imessage_export_html", "Noa.html")), want: FormatIMessage},
		{name: "header only", file: "orphaned.html", head: read(filepath.Join("testdata", "imessage", "imessage_export_html", "orphaned.html")),
			want: FormatIMessage, reason: "an empty chat page is the tool's style sheet alone"},
		{name: "without style sheet", file: "chat.html", head: "<html>\n" + imhMessage("Jul 17, 2022 5:04:04 PM", "Me", imhPartOf("<span class=\"bubble\">hi</span>")),
			want: FormatIMessage, reason: "the structure of example.html, pretty-printed by hand and without the style sheet"},
		{name: "announcements first", file: "Group - 3.html", head: imhHead + "\n<div class =\"announcement\"><p><span class=\"timestamp\">May 17, 2022  5:29:42 PM</span> You left the conversation.</p></div>\n",
			want: FormatIMessage},
		{name: "a blog page", file: "page.html", head: "<html><body><div class=\"message\">Hello</div><span class=\"timestamp\">today</span></body></html>",
			want: FormatUnknown, reason: "a message class alone is no export"},
		{name: "txt still txt", file: "Sam.txt", head: "Mar 14, 2026  9:03:05 PM\nSam\nhi\n\n", want: FormatIMessage},
	}
	// The other HTML exports keep their format.
	for _, dir := range []Format{FormatTelegram, FormatMeta, FormatDiscord} {
		files, err := filepath.Glob(filepath.Join("testdata", string(dir), "*.html"))
		require.NoError(t, err)
		more, _ := filepath.Glob(filepath.Join("testdata", string(dir), "*", "*.html"))
		for _, p := range append(files, more...) {
			tests = append(tests, struct {
				name, file, head string
				want             Format
				reason           string
			}{name: p, file: filepath.Base(p), head: read(p), want: dir})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.head
			if len(head) > sniffBytes {
				head = head[:sniffBytes]
			}
			got := Detect(tt.file, []byte(head))
			if tt.want == FormatUnknown {
				assert.NotEqual(t, FormatIMessage, got, tt.reason)
				return
			}
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestIMessageHTMLTimeZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	c, r := readIMH(t, imhHead+imhMessage("Mar 14, 2026  9:03:05 PM", "Sam", imhPartOf("<span class=\"bubble\">hi</span>")), Options{Location: ny})
	require.NoError(t, r.Err())
	require.NotNil(t, c)
	assert.Equal(t, time.Date(2026, 3, 14, 21, 3, 5, 0, ny), c.Messages[0].Time, "a local time, read in --tz")
	assert.Equal(t, "2026-03-15T01:03:05Z", c.Messages[0].Time.UTC().Format(time.RFC3339))
}

func TestIMessageHTMLBody(t *testing.T) {
	const stamp = `<a title="Reveal in Messages app" href="sms://open?message-guid=G1">Mar 14, 2026  9:03:05 PM</a> (Read by you after 5 seconds)`
	tests := []struct {
		name, inner string
		text        string
		deleted     bool
		edited      bool
		atts        []Attachment
		reason      string
	}{
		{name: "text kept as written", inner: imhPartOf("<span class=\"bubble\">  two spaces,\n\na blank line &amp; &lt;tags&gt; &apos;quoted&apos;&nbsp;x &grave;</span>"),
			text: "  two spaces,\n\na blank line & <tags> 'quoted'\u00a0x `", reason: "the bubble is white-space: pre-wrap; sanitize_html's entities decoded"},
		{name: "styled text", inner: imhPartOf("<span class=\"bubble\"><b>see</b> <i>you</i> <span title=\"+1555\"><b>Sam</b></span> <a href=\"https://x.example\">here</a></span>"),
			text: "see you Sam here"},
		{name: "parts a line each", inner: imhPartOf("<span class=\"bubble\">one</span>") + imhPartOf("<span class=\"bubble jumbo\">😀</span>"), text: "one\n😀"},
		{name: "subject", inner: "<p>Subject: <span class=\"subject\">Trip</span></p>\n" + imhPartOf("<span class=\"bubble\">hi</span>"), text: "Trip\nhi",
			reason: "the txt export writes the subject as a line of text"},
		{name: "tapbacks dropped", inner: imhPartOf("<span class=\"bubble\">hi</span>") +
			"<div class=\"tapbacks\"><hr><p>Tapbacks:</p>\n<div class=\"tapback\"><span class=\"tapback\"><b>Loved</b> by Me</span></div>\n<div class=\"tapback\"><img src=\"attachments/1/s.heic\" loading=\"lazy\"><div class=\"sticker_tapback\">&nbsp;by Sam</div></div>\n\n</div>\n",
			text: "hi"},
		{name: "old reactions dropped", inner: imhPartOf("<span class=\"bubble\">hi</span>") + "<div class=\"reactions\"><hr><p>Reactions:</p>\n<p><span class=\"reaction\"><b>Liked</b> by Me</span></p>\n</div>\n", text: "hi"},
		{name: "effect dropped", inner: imhPartOf("<span class=\"bubble\">hi</span>") + "<span class=\"expressive\">Sent with Lasers</span>\n", text: "hi"},
		{name: "edit history", inner: imhPartOf("<div class=\"edited\"><table><tbody><tr><td><span class=\"timestamp\"></span></td><td>at 5</td></tr></tbody><tbody><tr><td><span class=\"timestamp\">Edited 1 minute later</span></td><td>at 6</td></tr></tbody><tfoot><tr><td><span class=\"timestamp\">Edited later</span></td><td>at 7</td></tr></tfoot></table></div>"),
			text: "at 5\nat 6\nat 7", edited: true, reason: "every version kept, the tool's times dropped"},
		{name: "unsent part", inner: imhPartOf("<span class=\"unsent\"><span class=\"unsent\">Sam unsent this message part!</span></span>"), deleted: true},
		{name: "deleted", inner: "<span class=\"deleted\">This message was deleted from the conversation!</span></p>\n" + imhPartOf("<span class=\"bubble\">still here</span>"),
			text: "still here", deleted: true, reason: "a stray </p> after the note, as the writer leaves it"},
		{name: "image", inner: imhPartOf("<div class=\"attachment\"><img src=\"attachments/3/IMG 1.HEIC\" loading=\"lazy\"></div>"),
			atts: []Attachment{{Kind: AttachmentImage, Name: "IMG 1.HEIC", URL: "attachments/3/IMG 1.HEIC"}}},
		{name: "video", inner: imhPartOf("<div class=\"attachment\"><video controls> <source src=\"attachments/3/clip.mov\" type=\"video/quicktime\"> <source src=\"attachments/3/clip.mov\"> </video></div>"),
			atts: []Attachment{{Kind: AttachmentVideo, Name: "clip.mov", URL: "attachments/3/clip.mov"}}},
		{name: "backup file by its element", inner: imhPartOf("<div class=\"attachment\"><img src=\"/b/33/33c81da8ae3194fc5a0ea993ef6ffe0b048baedb\"></div>"),
			atts:   []Attachment{{Kind: AttachmentImage, Name: "33c81da8ae3194fc5a0ea993ef6ffe0b048baedb", URL: "/b/33/33c81da8ae3194fc5a0ea993ef6ffe0b048baedb"}},
			reason: "an iPhone backup's file has no extension: <img> says image"},
		{name: "voice and transcription", inner: imhPartOf("<div class=\"attachment\"><div><audio controls src=\"attachments/3/Audio Message.caf\" type=\"x-caf; codecs=opus\" </audio></div> <hr><span class=\"transcription\">Transcription: on my way</span></div>"),
			text: "on my way", atts: []Attachment{{Kind: AttachmentAudio, Name: "Audio Message.caf", URL: "attachments/3/Audio Message.caf"}},
			reason: "the writer never closes <audio>"},
		{name: "download link", inner: imhPartOf("<div class=\"attachment\"><a href=\"attachments/3/plan.pdf\">Click to download plan.pdf (2.00 KB)</a></div>"),
			atts: []Attachment{{Kind: AttachmentFile, Name: "plan.pdf", URL: "attachments/3/plan.pdf"}}, reason: "the link's words are the tool's"},
		{name: "unable to embed", inner: imhPartOf("<div class=\"attachment\"><p>Unable to embed model/usdz attachments: attachments/3/room.usdz</p></div>"),
			atts: []Attachment{{Kind: AttachmentFile, Name: "room.usdz", URL: "attachments/3/room.usdz"}}},
		{name: "attachment not found", inner: imhPartOf("<span class=\"attachment_error\">Unable to locate attachment: ~/Library/Messages/Attachments/ab/11/X/IMG_9.jpeg</span>"),
			atts: []Attachment{{Kind: AttachmentImage, Name: "IMG_9.jpeg", URL: "~/Library/Messages/Attachments/ab/11/X/IMG_9.jpeg", Omitted: true}}},
		{name: "attachment without name", inner: imhPartOf("<span class=\"attachment_error\">Unable to locate attachment: Attachment missing name metadata!</span>"),
			atts: []Attachment{{Kind: AttachmentUnknown, Omitted: true}}},
		{name: "attachment row missing", inner: imhPartOf("<span class=\"attachment_error\">Attachment does not exist!</span>"),
			atts: []Attachment{{Kind: AttachmentUnknown, Omitted: true}}},
		{name: "older bare media", inner: imhPartOf("<img src=\"/Users/s/Library/Messages/Attachments/a/b/c/p.png\" loading=\"lazy\">") + imhPartOf("Attachment does not exist!"),
			atts:   []Attachment{{Kind: AttachmentImage, Name: "p.png", URL: "/Users/s/Library/Messages/Attachments/a/b/c/p.png"}, {Kind: AttachmentUnknown, Omitted: true}},
			reason: "versions before the attachment div wrote media and the missing note straight in the part"},
		{name: "sticker", inner: imhPartOf("<div class=\"sticker\"><img src=\"attachments/3/s.heic\" loading=\"lazy\">\n<div class=\"sticker_effect\">Sent with Outline effect</div></div>"),
			atts: []Attachment{{Kind: AttachmentSticker, Name: "s.heic", URL: "attachments/3/s.heic"}}},
		{name: "sticker not found", inner: imhPartOf("<div class=\"sticker\">~/Library/Messages/StickerCache/x/s.heic</div>"),
			atts: []Attachment{{Kind: AttachmentSticker, Name: "s.heic", URL: "~/Library/Messages/StickerCache/x/s.heic", Omitted: true}}},
		{name: "inline sticker", inner: imhPartOf("<span class=\"bubble\">ok <img class=\"inline_sticker\" src=\"attachments/3/g.heic\" alt=\"Genmoji prompt: a cat\" title=\"Genmoji prompt: a cat\"></span>"),
			text: "ok", atts: []Attachment{{Kind: AttachmentSticker, Name: "g.heic", URL: "attachments/3/g.heic"}}, reason: "the alt text is the tool's"},
		{name: "link balloon", inner: imhPartOf("<div class=\"app\"><a href=\"https://www.example.org/t\"><div class=\"app_header\"><img src=\"https://www.example.org/p.png\" loading=\"lazy\", onerror=\"this.style.display='none'\"><div class=\"name\">Example</div></div><div class=\"app_footer\"><div class=\"caption\">Timetable</div><div class=\"subcaption\">Spring   term</div></div></a></div>"),
			text: "Example\nTimetable\nSpring term", atts: []Attachment{{Kind: AttachmentLink, URL: "https://www.example.org/t"}}},
		{name: "app balloon", inner: imhPartOf("<div class=\"app\"><div class=\"app_header\"><div class=\"name\">Apple Cash</div></div><div class=\"app_footer\"><div class=\"caption\">$10 sent</div></div></div>"),
			text: "Apple Cash\n$10 sent"},
		{name: "app error dropped", inner: imhPartOf("<div class=\"app_error\">Unable to format App(URL) message: no payload</div>")},
		{name: "location", inner: "<span class=\"shared_location\"><hr>Started sharing location!</span>\n",
			atts: []Attachment{{Kind: AttachmentLocation}}},
		{name: "reply context dropped", inner: imhPartOf("<span class=\"bubble\">hi</span>") + "<span class=\"reply_context\">This message responded to an earlier message.</span>\n",
			text: "hi", reason: "a reply whose parent is not in the file: its own copy is kept, without ReplyTo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, r := readIMH(t, imhHead+imhMessage(stamp, "Sam", tt.inner), Options{})
			require.NoError(t, r.Err())
			require.NotNil(t, c)
			require.Len(t, c.Messages, 1)
			m := c.Messages[0]
			assert.Equal(t, "Sam", m.Author)
			assert.Equal(t, time.Date(2026, 3, 14, 21, 3, 5, 0, time.UTC), m.Time)
			assert.Equal(t, tt.text, m.Text, tt.reason)
			assert.Equal(t, tt.deleted, m.Deleted, "deleted")
			assert.Equal(t, tt.edited, m.Edited, "edited")
			assert.Equal(t, tt.atts, m.Attachments, tt.reason)
			assert.Empty(t, r.Problems())
		})
	}
}

func TestIMessageHTMLAnnouncements(t *testing.T) {
	ann := func(s string) string {
		return "\n<div class =\"announcement\"><p><span class=\"timestamp\">May 17, 2022  5:29:42 PM</span> " + s + "</p></div>\n"
	}
	page := imhHead + ann("You named the conversation <b>Hello &amp; welcome</b>") + ann("Sam unsent a message.") +
		"<div class=\"announcement\">\n    <p><span class=\"timestamp\">May 17, 2022  5:30:00 PM</span> They deleted a message.</p>\n</div>\n" +
		"\n<div class =\"announcement\"><p>Unable to format announcement!</p></div>\n"
	c, r := readIMH(t, page, Options{})
	require.NoError(t, r.Err())
	require.Len(t, c.Messages, 3, "the tool's note for an announcement it could not read is dropped")
	assert.Equal(t, "You named the conversation Hello & welcome", c.Messages[0].Text)
	for i, m := range c.Messages {
		assert.True(t, m.System, i)
		assert.Empty(t, m.Author, i)
		assert.Equal(t, i > 0, m.Deleted, "unsent (html wording) and deleted (older versions) messages: %d", i)
	}
	assert.Empty(t, r.Problems())
}

func TestIMessageHTMLReplies(t *testing.T) {
	thread := func(guid, stamp, who, text string) string {
		anchor := ""
		if guid != "" {
			anchor = "<span class=\"reply_anchor\"><a title=\"View in context\" href=\"#r-" + guid + "\">⇲</a></span>\n"
		}
		return "<div class=\"reply\" id=\"" + guid + "\">" +
			strings.Replace(imhMessage(stamp, who, imhPartOf("<span class=\"bubble\">"+text+"</span>")), "<span class=\"sender\">", anchor+"<span class=\"sender\">", 1) + "</div>\n"
	}
	own := func(guid, stamp, who, text string) string {
		m := imhMessage(stamp, who, imhPartOf("<span class=\"bubble\">"+text+"</span>")+"<span class=\"reply_context\">This message responded to an earlier message.</span>\n")
		if guid != "" {
			m = strings.Replace(m, "<div class=\"message\">", "<div class=\"message\", id=\"r-"+guid+"\">", 1)
		}
		return m
	}
	t.Run("by GUID", func(t *testing.T) {
		parent := imhMessage("Mar 14, 2026  9:00:00 PM", "Sam", imhPartOf("<span class=\"bubble\">A?</span>")+
			"<div class=\"replies\">\n"+thread("G1", "Mar 14, 2026  9:01:00 PM", "Me", "ok")+thread("G2", "Mar 14, 2026  9:01:00 PM", "Me", "ok")+"</div>\n")
		page := imhHead + parent + imhMessage("Mar 14, 2026  9:00:30 PM", "Sam", imhPartOf("<span class=\"bubble\">B?</span>")) +
			own("G2", "Mar 14, 2026  9:01:00 PM", "Me", "ok") + own("G1", "Mar 14, 2026  9:01:00 PM", "Me", "ok")
		c, r := readIMH(t, page, Options{})
		require.NoError(t, r.Err())
		require.Len(t, c.Messages, 4, "two replies, once each")
		assert.Equal(t, "1", c.Messages[2].ReplyTo)
		assert.Equal(t, "1", c.Messages[3].ReplyTo)
		assert.Empty(t, r.Problems())
	})
	t.Run("by content without GUID", func(t *testing.T) {
		page := imhHead + imhMessage("Mar 14, 2026  9:00:00 PM", "Sam", imhPartOf("<span class=\"bubble\">A?</span>")+
			"<div class=\"replies\">\n"+thread("", "Mar 14, 2026  9:01:00 PM", "Me", "yes")+thread("", "Mar 14, 2026  9:02:00 PM", "Noa", "only here")+"</div>\n") +
			own("", "Mar 14, 2026  9:01:00 PM", "Me", "yes") + imhMessage("Mar 14, 2026  9:03:00 PM", "Sam", imhPartOf("<span class=\"bubble\">later</span>"))
		c, r := readIMH(t, page, Options{})
		require.NoError(t, r.Err())
		var got []string
		for _, m := range c.Messages {
			got = append(got, m.ID+"|"+m.Author+"|"+m.ReplyTo+"|"+m.Text)
		}
		assert.Equal(t, []string{"1|Sam||A?", "2|Noa|1|only here", "3|Me|1|yes", "4|Sam||later"}, got,
			"the oldest versions write no GUID: the time, sender and text match the copies")
		require.Len(t, r.Problems(), 1)
		assert.Contains(t, r.Problems()[0].Error(), "1 thread repl(ies) shown only under their parent")
	})
	t.Run("anchor alone", func(t *testing.T) {
		anchored := strings.Replace(imhMessage("Mar 14, 2026  9:01:00 PM", "Me", imhPartOf("<span class=\"bubble\">ok</span>")),
			"<span class=\"sender\">", "<span class=\"reply_anchor\"><a title=\"View in thread\" href=\"#G7\">⇱</a></span>\n<span class=\"sender\">", 1)
		page := imhHead + imhMessage("Mar 14, 2026  9:00:00 PM", "Sam", imhPartOf("<span class=\"bubble\">A?</span>")+
			"<div class=\"replies\">\n"+thread("G7", "Mar 14, 2026  9:01:00 PM", "Me", "ok")+"</div>\n") + anchored
		c, r := readIMH(t, page, Options{})
		require.NoError(t, r.Err())
		require.Len(t, c.Messages, 2)
		assert.Equal(t, "1", c.Messages[1].ReplyTo, "the reply anchor marks a reply at its own place, with or without the closing note")
		assert.Empty(t, r.Problems())
	})
}

// TestIMessageHTMLStrayEndTags: the writer closes the tapbacks div even when every tapback was
// removed and none was opened; a message still ends where the next one begins.
func TestIMessageHTMLStrayEndTags(t *testing.T) {
	stray := imhPartOf("<span class=\"bubble\">first</span>") + "</div>\n" + imhPartOf("<span class=\"bubble\">second</span>") + "</div>\n" +
		"<div class=\"replies\">\n<div class=\"reply\" id=\"G9\">" + imhMessage("Mar 14, 2026  9:01:00 PM", "Me", imhPartOf("<span class=\"bubble\">re</span>")) + "</div>\n</div>\n" +
		imhPartOf("<span class=\"bubble\">third</span>")
	page := imhHead + imhMessage("Mar 14, 2026  9:00:00 PM", "Sam", stray) +
		imhMessage("Mar 14, 2026  9:05:00 PM", "Me", imhPartOf("<span class=\"bubble\">next</span>"))
	c, r := readIMH(t, page, Options{})
	require.NoError(t, r.Err())
	var got []string
	for _, m := range c.Messages {
		got = append(got, m.ID+"|"+m.Author+"|"+m.ReplyTo+"|"+m.Text)
	}
	assert.Equal(t, []string{"1|Sam||first\nsecond\nthird", "2|Me|1|re", "3|Me||next"}, got)
}

func TestIMessageHTMLCaps(t *testing.T) {
	page := imhHead + imhMessage("Mar 14, 2026  9:03:05 PM", "Sam", imhPartOf("<span class=\"bubble\">"+strings.Repeat("é", 20)+"</span>")+imhPartOf("<span class=\"bubble\">more</span>")) +
		imhMessage("Mar 14, 2026  9:03:06 PM", "Sam", imhPartOf("<span class=\"bubble\">next</span>"))
	c, r := readIMH(t, page, Options{MaxMessageBytes: 11})
	require.NoError(t, r.Err())
	require.Len(t, c.Messages, 2)
	assert.Equal(t, strings.Repeat("é", 5), c.Messages[0].Text)
	assert.Equal(t, "next", c.Messages[1].Text, "the next message is read whole")
	require.Len(t, r.Problems(), 1)
	p := r.Problems()[0]
	assert.ErrorIs(t, p, ErrTooLarge)
	assert.Equal(t, c.Messages[0].Line, p.Line)
	assert.NotContains(t, p.Error(), "é", "problems never quote message text")
}

func TestIMessageHTMLBadInput(t *testing.T) {
	msg := imhMessage("Mar 14, 2026  9:03:05 PM", "Sam", imhPartOf("<span class=\"bubble\">secret words</span>"))
	t.Run("not an export", func(t *testing.T) {
		c, r := readIMH(t, "<html><body><p>secret words</p></body></html>", Options{})
		assert.Nil(t, c)
		var pe *ParseError
		require.ErrorAs(t, r.Err(), &pe)
		assert.ErrorIs(t, pe, ErrUnknownFormat)
		assert.NotContains(t, pe.Error(), "secret")
	})
	t.Run("empty chat page", func(t *testing.T) {
		c, r := readIMH(t, imhHead+"</body></html>", Options{})
		assert.Nil(t, c)
		assert.NoError(t, r.Err(), "orphaned.html without messages holds no conversation")
	})
	t.Run("cut short", func(t *testing.T) {
		page := imhHead + msg + msg[:len(msg)-len("</span>\n</div>\n</div>\n</div>\n")]
		c, r := readIMH(t, page, Options{})
		require.NoError(t, r.Err())
		require.Len(t, c.Messages, 2, "the cut message is kept")
		assert.Equal(t, "secret words", c.Messages[1].Text)
		require.Len(t, r.Problems(), 1)
		assert.Contains(t, r.Problems()[0].Error(), "ends inside a message")
		assert.Positive(t, r.Problems()[0].Line)
	})
	t.Run("unreadable time and no sender", func(t *testing.T) {
		page := imhHead + "<div class=\"message\">\n<div class=\"received\">\n<p><span class=\"timestamp\">secret 14</span></p>\n" + imhPartOf("<span class=\"bubble\">secret words</span>") + "</div>\n</div>\n"
		c, r := readIMH(t, page, Options{})
		require.NoError(t, r.Err())
		require.Len(t, c.Messages, 1)
		assert.True(t, c.Messages[0].Time.IsZero())
		require.Len(t, r.Problems(), 2)
		for _, p := range r.Problems() {
			assert.Equal(t, c.Messages[0].Line, p.Line)
			assert.NotContains(t, p.Error(), "secret")
		}
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("disk gone")
		r, err := NewReader("Sam.html", io.MultiReader(strings.NewReader(imhHead+msg+msg), iotest.ErrReader(boom)), Options{Format: FormatIMessage})
		require.NoError(t, err)
		require.True(t, r.Next(), "what was read before the error is returned")
		assert.Len(t, r.Conversation().Messages, 2)
		assert.False(t, r.Next())
		var pe *ParseError
		require.ErrorAs(t, r.Err(), &pe)
		assert.ErrorIs(t, r.Err(), boom)
		assert.Positive(t, pe.Line)
	})
	t.Run("token too large", func(t *testing.T) {
		page := imhHead + msg + imhMessage("Mar 14, 2026  9:03:06 PM", "Sam", imhPartOf("<span class=\"bubble\">"+strings.Repeat("a", 200000)+"</span>"))
		r, err := NewReader("Sam.html", strings.NewReader(page), Options{Format: FormatIMessage, MaxMessageBytes: 1024})
		require.NoError(t, err)
		require.True(t, r.Next())
		assert.Equal(t, "secret words", r.Conversation().Messages[0].Text)
		assert.ErrorIs(t, r.Err(), ErrTooLarge)
		assert.NotContains(t, r.Err().Error(), "aaaa")
	})
	t.Run("deep nesting", func(t *testing.T) {
		c, r := readIMH(t, imhHead+strings.Repeat("<div>", 1000)+msg+strings.Repeat("<span>", 1000)+msg, Options{})
		require.NoError(t, r.Err())
		assert.Len(t, c.Messages, 2, "a message at its own place closes what was left open above the page's body")
		assert.Len(t, r.Problems(), 1)

		c, r = readIMH(t, imhHead+msg+"<div class=\"replies\">"+strings.Repeat("<div>", 1000)+"</div>", Options{})
		require.NoError(t, r.Err())
		assert.Len(t, c.Messages, 1)
		require.Len(t, r.Problems(), 1)
		assert.Contains(t, r.Problems()[0].Error(), "nested deeper than 256")
	})
}

func TestIMessageHTMLFS(t *testing.T) {
	page := []byte(imhHead + imhMessage("Mar 14, 2026  9:03:05 PM", "Sam", imhPartOf("<span class=\"bubble\">hi</span>")) + "</body></html>")
	empty := []byte(imhHead + "</body></html>")
	txt := []byte("Mar 14, 2026  9:03:05 PM\nSam\nhi\n\n")
	tests := []struct {
		name     string
		files    map[string][]byte
		convs    int
		problems int
		reason   string
	}{
		{name: "html export", files: map[string][]byte{"Sam.html": page, "Family Chat - 12.html": page, "orphaned.html": empty, "attachments/3/a.jpeg": nil}, convs: 2},
		{name: "a chat named like a Telegram page", files: map[string][]byte{"messages.html": page, "Sam.html": page}, convs: 2,
			reason: "messages.html is Telegram's page name, but the content says imessage-exporter"},
		{name: "a chat named like a Meta page", files: map[string][]byte{"message_1.html": page, "Sam.html": page}, convs: 2},
		{name: "both forms", files: map[string][]byte{"Sam.html": page, "Sam.txt": txt, "Noa.txt": txt}, convs: 2, problems: 1,
			reason: "a chat exported both ways is read once, from its html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, b := range tt.files {
				fsys[n] = &fstest.MapFile{Data: b}
			}
			r, err := openFS(fsys, "export", nil, Options{})
			require.NoError(t, err)
			assert.Equal(t, FormatIMessage, r.Format(), tt.reason)
			cs, err := ReadAll(r)
			require.NoError(t, err)
			assert.Len(t, cs, tt.convs, tt.reason)
			assert.Len(t, r.Problems(), tt.problems)
		})
	}
}

// FuzzIMessageHTML: no panic; texts valid UTF-8 within the cap; ids numbered; replies point
// backwards; problems positioned.
func FuzzIMessageHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "imessage", "*.html"))
	more, _ := filepath.Glob(filepath.Join("testdata", "imessage", "*", "*.html"))
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(imhHead + imhMessage("Mar 14, 2026  9:03:05 PM", "Sam", imhPartOf("<span class=\"bubble\">a</span>")+"</div>\n</div>\n<div class=\"reply\" id=\"G\">"+
		imhMessage("Feb 29, 2024 12:00:00 AM", "Me", "<span class=\"reply_context\">x</span>"))))
	f.Add([]byte("<div class=\"message\", id=\"r-G\"><div class=\"app\"><a href=\"https://e\"><div class=\"sticker\"><audio src=x></div><span class=\"attachment_error\">Unable to locate attachment: a/b.png"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FormatIMessage, data)
		r, err := NewReader("fuzz.html", bytes.NewReader(data), Options{Format: FormatIMessage, MaxMessageBytes: 64})
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
				for _, a := range m.Attachments {
					if len(a.URL) > imhMaxURL || !utf8.ValidString(a.Name) {
						t.Fatalf("message %d: attachment path of %d bytes", i+1, len(a.URL))
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

// imhBenchChat writes a page of n messages in the layout of html.rs: texts in French and English,
// every tenth with an attachment, every twentieth with tapbacks.
func imhBenchChat(n int) []byte {
	var b strings.Builder
	b.WriteString(imhHead)
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	for i := range n {
		stamp := `<a title="Reveal in Messages app" href="sms://open?message-guid=G` + strconv.Itoa(i) + `">` +
			t0.Add(time.Duration(i)*37*time.Second).Format("Jan 02, 2006  3:04:05 PM") + "</a> "
		inner := ""
		who := "Me"
		if i%2 == 0 {
			inner = imhPartOf("<span class=\"bubble\">Tu as fini le devoir de français ? On se voit demain à 18 h 😀</span>")
		} else {
			who = "+15558675309"
			inner = imhPartOf("<span class=\"bubble\">Yes, almost done, see you tomorrow at the library</span>")
		}
		if i%10 == 0 {
			inner += imhPartOf("<div class=\"attachment\"><img src=\"attachments/3/IMG_" + strconv.Itoa(i) + ".jpeg\" loading=\"lazy\"></div>")
		}
		if i%20 == 0 {
			inner += "<div class=\"tapbacks\"><hr><p>Tapbacks:</p>\n<div class=\"tapback\"><span class=\"tapback\"><b>Loved</b> by +15558675309</span></div>\n\n</div>\n"
		}
		b.WriteString(imhMessage(stamp, who, inner))
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

// BenchmarkIMessageHTML reads pages of 1,000 and 10,000 messages, beside a naive baseline that
// only runs the tokenizer over the same bytes.
func BenchmarkIMessageHTML(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := imhBenchChat(n)
		name := "msgs=" + strconv.Itoa(n/1000) + "k"
		b.Run(name, func(b *testing.B) {
			benchRead(b, "+15558675309.html", data, Options{Format: FormatIMessage}, 0)
		})
		b.Run(name+"/baseline=tokenizer", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				z := html.NewTokenizer(bytes.NewReader(data))
				tokens := 0
				for z.Next() != html.ErrorToken {
					tokens++
				}
				if tokens == 0 {
					b.Fatal("no tokens")
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
