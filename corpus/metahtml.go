package corpus

// Reader of Instagram and Facebook Messenger "Download your information" threads in HTML, the
// format these exports default to (messages/inbox/<thread>/message_1.html, message_2.html, ...;
// your_instagram_activity/messages/inbox/... in current Instagram exports). A page holds the
// thread's title in <title> and one block per message, newest first:
//
//	<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">
//	  <h2 class="_3-95 _2pim _a6-h _a6-i">sender</h2>          (a <div> in older exports)
//	  <div class="_3-95 _a6-p"><div><div></div><div>text</div><div>media</div><div></div></div></div>
//	  <div class="_3-94 _a6-o">Mar 14, 2026 9:03 pm</div>      ("Mar 14, 2026, 9:03 PM" in older ones)
//	</div>
//
// Older Facebook exports name the same parts "pam _3-95 _2pi0 _2lej uiBoxWhite noborder",
// "_3-96 _2pio _2lek _2lel", "_3-96 _2let" and "_3-94 _2lem". The class names are generated and
// change between exports, so the reader takes a block from its class ("_a6-g", or "pam" with
// "uiBoxWhite") and its parts from their order: sender, content, date. In the content, images,
// videos and audio become attachments (their folder names the kind), a link whose text is its
// address becomes a link attachment, and the reactions list (a <ul>) is left out, as the JSON reader
// leaves out "reactions". Dates carry no zone: they are read in [Options.Location]. English dates
// and French ones ("14 mars 2026 à 21:03") are read; a date that cannot be read leaves the
// message's time unknown, and it keeps its place among its neighbours.
//
// Malformed markup is read as a browser would (golang.org/x/net/html's tokenizer); only a read
// error or a token larger than the cap stops a page, and the messages read before stay.

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sniffMetaHTML recognizes a message_N.html page of a Meta export from the classes of its blocks.
func sniffMetaHTML(name string, head []byte) int {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return 0
	}
	switch {
	case bytes.Contains(head, []byte("_a6-g")) && (bytes.Contains(head, []byte("_a6-p")) || bytes.Contains(head, []byte("_a6-h"))):
		return 92
	case bytes.Contains(head, []byte("uiBoxWhite noborder")) && (bytes.Contains(head, []byte("_2lej")) || bytes.Contains(head, []byte("_2let"))):
		return 90
	case bytes.Contains(head, []byte("uiBoxWhite noborder")) && strings.HasPrefix(strings.ToLower(pathBase(name)), "message_"):
		return 80
	}
	return 0
}

// pathBase is the last element of a slash- or backslash-separated name.
func pathBase(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// metaHTMLPart says what the text inside an element is.
type metaHTMLPart uint8

const (
	mhNone    metaHTMLPart = iota
	mhTitle                // <title>: the thread's title
	mhBlock                // a message block
	mhSender               // the block's first part
	mhContent              // its second part
	mhDate                 // its third part
	mhSkip                 // reactions, and the "Click for video" text inside media elements
	mhLink                 // an <a> inside the content
)

type metaHTMLElem struct {
	tag  atom.Atom
	name string // for tags without an atom
	part metaHTMLPart
	href string // mhLink: its address
	kids int    // mhBlock: parts seen
}

// metaHTMLMsg is the message being read.
type metaHTMLMsg struct {
	line           int
	sender, date   strings.Builder
	text           strings.Builder
	linkText       strings.Builder // text of the <a> being read
	cut            bool
	attachments    []Attachment
	pendingNewline bool
}

// parseMetaHTMLFile reads one message_N.html page into th. Non-fatal problems go to p; a fatal
// error is returned (what was read before it stays in th).
func parseMetaHTMLFile(name string, r io.Reader, p *problems, o Options, th *metaThread) error {
	maxText := o.maxMessageBytes()
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxText + 1<<20) // a token (a text node, a tag) beyond this stops the page
	var (
		stack     []metaHTMLElem
		msg       *metaHTMLMsg
		title     strings.Builder
		line      = 1
		lastMS    int64
		badDates  int
		firstBad  int
		blockSeen bool
	)
	problem := func(line int, msg string, err error) *ParseError {
		return &ParseError{File: name, Line: line, Offset: -1, Format: FormatMeta, Msg: msg, Err: err}
	}
	inPart := func(part metaHTMLPart) bool {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].part == part {
				return true
			}
		}
		return false
	}
	addText := func(b *strings.Builder, s string) {
		if b.Len()+len(s) > maxText {
			s = truncateUTF8(s, maxText-b.Len())
			if msg != nil {
				msg.cut = true
			}
		}
		b.WriteString(s)
	}
	finish := func() {
		m := Message{Author: collapseSpace(msg.sender.String()), Line: msg.line, Attachments: msg.attachments}
		m.Text = strings.TrimSpace(msg.text.String())
		when := collapseSpace(msg.date.String())
		if t, ok := parseMetaHTMLDate(when, o.location()); ok {
			m.Time = t
			lastMS = t.UnixMilli()
		} else {
			if badDates == 0 {
				firstBad = msg.line
			}
			badDates++
		}
		for _, a := range m.Attachments {
			th.noteURI(a.URL)
		}
		if isMetaReactionNotice(m.Text) {
			m.System = true
		}
		if msg.cut {
			p.add(problem(msg.line, fmt.Sprintf("message text cut to %d bytes", maxText), ErrTooLarge))
		}
		th.msgs = append(th.msgs, metaMsg{ms: lastMS, seq: len(th.msgs), m: m})
		msg = nil
	}
	for {
		tt := z.Next()
		raw := z.Raw()
		tokLine := line
		line += bytes.Count(raw, []byte{'\n'})
		switch tt {
		case html.ErrorToken:
			if msg != nil {
				finish() // a page cut inside a block: keep what it holds
			}
			if th.title == "" {
				th.title = collapseSpace(title.String())
			}
			if badDates > 0 {
				p.add(problem(firstBad, fmt.Sprintf("date of %d message(s) not understood: time left unknown", badDates), nil))
			}
			if err := z.Err(); err != io.EOF {
				return problem(tokLine, "read", err)
			}
			if !blockSeen && len(th.msgs) == 0 && th.title == "" {
				return problem(1, "no message block of an Instagram or Messenger page", ErrUnknownFormat)
			}
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			tn, hasAttr := z.TagName()
			a := atom.Lookup(tn)
			var class, href, src string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "class":
					class = string(v)
				case "href":
					href = string(v)
				case "src":
					src = string(v)
				}
			}
			e := metaHTMLElem{tag: a}
			if a == 0 {
				e.name = string(tn)
			}
			parent := mhNone
			if len(stack) > 0 {
				parent = stack[len(stack)-1].part
			}
			switch {
			case a == atom.Title && msg == nil:
				e.part = mhTitle
			case msg == nil && a == atom.Div && isMetaBlockClass(class):
				msg = &metaHTMLMsg{line: tokLine}
				blockSeen = true
				if strings.Contains(class, "_2lej") {
					th.hasType = true // the older pages are Facebook's: Messenger (see platform in meta.go)
				}
				e.part = mhBlock
			case msg != nil && parent == mhBlock:
				b := &stack[len(stack)-1]
				switch b.kids {
				case 0:
					e.part = mhSender
				case 1:
					e.part = mhContent
				case 2:
					e.part = mhDate
				default:
					e.part = mhSkip
				}
				b.kids++
			case msg != nil && inPart(mhContent) && !inPart(mhSkip):
				switch a {
				case atom.Ul, atom.Ol:
					e.part = mhSkip // reactions
				case atom.Img, atom.Video, atom.Audio, atom.Source:
					if src != "" {
						msg.attachments = append(msg.attachments, Attachment{Kind: metaHTMLMediaKind(a, src), Name: lastPathElem(src), URL: src})
					}
					if a != atom.Img && a != atom.Source {
						e.part = mhSkip
					}
				case atom.A:
					e.part, e.href = mhLink, href
					msg.linkText.Reset()
				case atom.Br:
					addText(&msg.text, "\n")
				case atom.Div, atom.P:
					if msg.text.Len() > 0 {
						msg.pendingNewline = true
					}
				}
			case msg != nil && a == atom.Br && (inPart(mhSender) || inPart(mhDate)):
				// a line break in a name or a date: a space
				if inPart(mhSender) {
					msg.sender.WriteByte(' ')
				} else {
					msg.date.WriteByte(' ')
				}
			}
			if tt == html.SelfClosingTagToken || isVoidElement(a) {
				continue // no end tag follows
			}
			stack = append(stack, e)
		case html.EndTagToken:
			tn, _ := z.TagName()
			a := atom.Lookup(tn)
			// Close up to the matching element; an end tag that matches nothing open is ignored.
			i := len(stack) - 1
			for ; i >= 0; i-- {
				if stack[i].tag == a && (a != 0 || stack[i].name == string(tn)) {
					break
				}
			}
			if i < 0 {
				continue
			}
			for j := len(stack) - 1; j >= i; j-- {
				e := stack[j]
				switch e.part {
				case mhLink:
					if msg != nil {
						closeMetaLink(msg, e.href, addText)
					}
				case mhBlock:
					if msg != nil {
						finish()
					}
				}
			}
			stack = stack[:i]
			if msg != nil && (a == atom.Div || a == atom.P) && msg.text.Len() > 0 {
				msg.pendingNewline = true
			}
		case html.TextToken:
			text := string(z.Text())
			switch {
			case msg == nil:
				if inPart(mhTitle) && title.Len() < 1024 {
					title.WriteString(text)
				}
			case inPart(mhSkip):
			case inPart(mhSender):
				if msg.sender.Len() < 1024 {
					msg.sender.WriteString(text)
				}
			case inPart(mhDate):
				if msg.date.Len() < 256 {
					msg.date.WriteString(text)
				}
			case inPart(mhLink):
				addText(&msg.linkText, text)
			case inPart(mhContent):
				appendMetaText(msg, text, addText)
			}
		}
	}
}

// closeMetaLink ends an <a> of the content: a link whose text is its address (or empty) is an
// attachment; other link text is message text.
func closeMetaLink(msg *metaHTMLMsg, href string, addText func(*strings.Builder, string)) {
	text := strings.TrimSpace(msg.linkText.String())
	msg.linkText.Reset()
	isWeb := strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")
	switch {
	case isWeb && (text == "" || text == href || strings.TrimSuffix(text, "/") == strings.TrimSuffix(href, "/")):
		msg.attachments = append(msg.attachments, Attachment{Kind: AttachmentLink, URL: href})
	case !isWeb && href != "" && (text == "" || strings.HasSuffix(href, text)):
		// A link to a file of the export (a photo wrapped in <a>): the <img> inside names it.
		if !hasAttachmentURL(msg.attachments, href) {
			msg.attachments = append(msg.attachments, Attachment{Kind: attachmentKindFromName(href, ""), Name: lastPathElem(href), URL: href})
		}
	default:
		appendMetaText(msg, text, addText)
	}
}

func hasAttachmentURL(list []Attachment, url string) bool {
	for _, a := range list {
		if a.URL == url {
			return true
		}
	}
	return false
}

// appendMetaText adds a text node of the content. Pages are written on one line or indented:
// blank nodes are indentation, and a node's outer white space becomes at most one space. Line
// breaks inside a node are the message's own.
func appendMetaText(msg *metaHTMLMsg, text string, addText func(*strings.Builder, string)) {
	t := strings.TrimFunc(text, unicode.IsSpace)
	if t == "" {
		return
	}
	if msg.pendingNewline {
		addText(&msg.text, "\n")
		msg.pendingNewline = false
	} else if msg.text.Len() > 0 && text[0] != t[0] {
		if r, _ := utf8.DecodeLastRuneInString(msg.text.String()); !unicode.IsSpace(r) {
			addText(&msg.text, " ")
		}
	}
	addText(&msg.text, t)
}

// isMetaBlockClass says whether a class attribute is that of a message block.
func isMetaBlockClass(class string) bool {
	var a6g, pam, box bool
	for _, c := range strings.Fields(class) {
		switch c {
		case "_a6-g":
			a6g = true
		case "pam":
			pam = true
		case "uiBoxWhite":
			box = true
		}
	}
	return a6g || (pam && box)
}

// isVoidElement says whether an element never has an end tag.
func isVoidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// metaHTMLMediaKind is the kind of a media element of a page, from the folder its file is in.
func metaHTMLMediaKind(a atom.Atom, src string) AttachmentKind {
	s := strings.ToLower(src)
	switch {
	case strings.Contains(s, "/audio/"):
		return AttachmentAudio
	case strings.Contains(s, "/gifs/"):
		return AttachmentGIF
	case strings.Contains(s, "/stickers"):
		return AttachmentSticker
	case strings.Contains(s, "/videos/"), a == atom.Video:
		return AttachmentVideo
	case strings.Contains(s, "/files/"):
		return AttachmentFile
	case a == atom.Audio:
		return AttachmentAudio
	}
	return AttachmentImage
}

// collapseSpace trims s and turns each run of white space into one space.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// Dates of Meta's HTML pages: "Mar 14, 2026 9:03 pm", "Mar 14, 2026, 9:03 PM", "March 14, 2026
// at 9:03 PM", with or without seconds; French "14 mars 2026 à 21:03" or "14 mars 2026, 21:03".
var (
	metaDateEN = regexp.MustCompile(`^(\p{L}+)\.? (\d{1,2}),? (\d{4}),?(?: at| à)? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])?$`)
	metaDateFR = regexp.MustCompile(`^(?:[a-zéû]+\.? )?(\d{1,2}) ([a-zéû]+)\.? (\d{4}),?(?: à)? (\d{1,2})[:h](\d{2})(?::(\d{2}))?$`)
)

var frMonths = map[string]time.Month{
	"janv": 1, "janvier": 1, "févr": 2, "février": 2, "fevr": 2, "fevrier": 2, "mars": 3, "avr": 4, "avril": 4,
	"mai": 5, "juin": 6, "juil": 7, "juillet": 7, "août": 8, "aout": 8, "sept": 9, "septembre": 9,
	"oct": 10, "octobre": 10, "nov": 11, "novembre": 11, "déc": 12, "décembre": 12, "dec": 12, "decembre": 12,
}

// parseMetaHTMLDate reads a date of a page in loc.
func parseMetaHTMLDate(s string, loc *time.Location) (time.Time, bool) {
	var (
		mon                     time.Month
		day, year, hh, mm, secs int
	)
	if m := metaDateEN.FindStringSubmatch(s); m != nil {
		mon = enMonth(m[1])
		if mon == 0 {
			mon = frMonths[strings.ToLower(m[1])] // "mars 14, 2026 9:03 pm"
		}
		day, year, hh, mm = atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5])
		secs = atoi(m[6])
		switch strings.ToLower(m[7]) {
		case "am", "pm":
			if hh < 1 || hh > 12 {
				return time.Time{}, false
			}
			hh %= 12
			if strings.EqualFold(m[7], "pm") {
				hh += 12
			}
		}
	} else if m := metaDateFR.FindStringSubmatch(strings.ToLower(s)); m != nil {
		mon = frMonths[m[2]]
		day, year, hh, mm = atoi(m[1]), atoi(m[3]), atoi(m[4]), atoi(m[5])
		secs = atoi(m[6])
	} else {
		return time.Time{}, false
	}
	if mon == 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || secs > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, mon, day, hh, mm, secs, 0, loc)
	if t.Day() != day { // 31 Feb and the like
		return time.Time{}, false
	}
	return t, true
}

// enMonth reads an English month name or its first three letters.
func enMonth(s string) time.Month {
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if s == name || (len(s) >= 3 && strings.HasPrefix(name, s)) {
			return m
		}
	}
	return 0
}

// atoi reads digits that a pattern matched; "" is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
