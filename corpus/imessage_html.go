package corpus

// Reader of the html export of imessage-exporter (`imessage-exporter -f html -o DIR`), the tool's
// other documented format. The files and their names are those of the txt export (see
// imessage.go): one "<chat>.html" per conversation, "orphaned.html", "attachments/<chat>/". Each
// file is a page: a header (<html><head>, a <style> holding the tool's style sheet, </head><body>),
// then, in the order of the database, one block per message or announcement
// (imessage-exporter/src/exporters/html.rs: format_message, format_announcement, format_attachment,
// format_sticker, format_edited, format_tapback, edited_to_html; html/mod.rs and its templates in
// the newer template version, which indents the same blocks):
//
//	<div class="message">                     (id="r-GUID" on a reply's own copy; older: `class="message", id=`)
//	 <div class="sent iMessage">               "sent SMS", or "received"
//	  <p><span class="timestamp"><a href="sms://open?message-guid=GUID">May 17, 2022  5:29:42 PM</a>
//	     (Read by you after 1 hour)</span>     (older: the time without the link)
//	  <span class="reply_anchor"><a href="#GUID">⇱</a></span>    on a reply ("#r-GUID" in a thread)
//	  <span class="sender">Me</span></p>       "Me" (or --custom-name), a contact's name, a handle
//	  <span class="deleted">This message was deleted from the conversation!</span></p>
//	  <p>Subject: <span class="subject">…</span></p>
//	  <span class="shared_location"><hr>Started sharing location!</span>
//	  <hr><div class="message_part"> one per part:
//	   <span class="bubble">TEXT</span>        the text, escaped, its newlines kept (white-space:
//	                                           pre-wrap); <b>, <i>, <u>, <s>, <a> for its styles
//	   <div class="edited"><table><tbody><tr><td><span class="timestamp">Edited 9 seconds later</span>
//	     </td><td>VERSION</td></tr></tbody>…<tfoot>…last version…</tfoot></table></div>
//	   <span class="unsent"><span class="unsent">Sam unsent this message part!</span></span>
//	   <div class="attachment"><img src="PATH"> | <video><source src="PATH"></video> |
//	     <audio src="PATH"> + <span class="transcription">Transcription: …</span> |
//	     <a href="PATH">Click to download NAME (SIZE)</a> | <p>Unable to embed TYPE attachments: PATH</p></div>
//	   <div class="sticker"><img src="PATH"><div class="sticker_effect">…</div></div>
//	   <span class="attachment_error">Unable to locate attachment: NAME</span> or "Attachment does not exist!"
//	   <div class="app"><a href="URL"><div class="app_header"><div class="name">…</div></div>
//	     <div class="app_footer"><div class="caption">…</div>…</div></a></div>   links, Apple Pay, …
//	  </div>
//	  <span class="expressive">Sent with Confetti</span>
//	  <div class="tapbacks"><hr><p>Tapbacks:</p><div class="tapback">…</div></div>  (older: reactions)
//	  <div class="replies"><div class="reply" id="GUID"><div class="message">…</div></div></div>
//	  <span class="reply_context">This message responded to an earlier message.</span>
//	 </div>
//	</div>
//	<div class ="announcement"><p><span class="timestamp">TIME</span> You named the conversation <b>X</b></p></div>
//
// What is read, in the txt reader's terms: the sender as written; the time in [Options.Location]
// (the tool writes the exporting machine's local time without zone); each part's text, one part a
// line, every version of an edited part (Edited); unsent parts and deleted messages (Deleted);
// attachments with their path as the txt export writes it (src or href), sticker images, "Attachment
// does not exist!" and files the tool could not locate as omitted attachments (the latter keep
// their name); voice transcriptions as text; a shared location; app balloons as their lines of
// text, with the link they open. Tapbacks, send effects, the tool's notes, the style sheet and the
// sticker captions are dropped. A thread reply is written under its parent and at its own place:
// it is kept once, at its own place, with ReplyTo, matched by its GUID (newer versions), else by its
// time, sender and text; one shown only under its parent is kept after it. Announcements are system
// messages without author ("You" is the owner there). Older versions wrote attachments without
// their div, the missing one as bare text, "Reactions:" and no GUID: all are read. The newer
// template version's translations (a part with the original and its translation) are read as the
// text of the part, not told apart.
//
// The writer leaves its markup unbalanced in places (a </p> after span.deleted, an <audio> never
// closed, a </div> too many after tapbacks that were all removed): elements close by name, and a
// message ends where the next one begins, so that a stray end tag loses nothing.
//
// The JSON output of imessage-exporter/src/exporters/json.rs (one ChatLab file per chat) is not
// in the tool's releases: its command line (src/app/options.rs, src/app/export_type.rs at the
// newest stored commit) accepts txt and html only, json being refused by its own test, and its
// README lists `-f, --format <txt, html>`. It is not read.
//
// Pages are read with the streaming html.Tokenizer; only the chat's messages are held.

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

const imessageHTMLReaderVersion = "imessage-html/1"

const (
	// imhMaxDepth bounds the nesting of elements kept: the writer nests about 12 deep.
	imhMaxDepth = 256
	// imhMaxStamp caps a time stamp's text.
	imhMaxStamp = 512
	// imhMaxURL caps an attachment's path or a link.
	imhMaxURL = 4096
)

// sniffIMessageHTML recognizes a page of the html export from its class names and its style sheet.
func sniffIMessageHTML(name string, t []byte) int {
	msg := bytes.Contains(t, []byte(`<div class="message">`)) || bytes.Contains(t, []byte(`<div class="message",`)) ||
		bytes.Contains(t, []byte(`<div class="message" id="r-`))
	sender := bytes.Contains(t, []byte(`<span class="sender">`))
	stamp := bytes.Contains(t, []byte(`<span class="timestamp">`))
	part := bytes.Contains(t, []byte(`<div class="message_part">`))
	ann := bytes.Contains(t, []byte(`<div class ="announcement">`)) || bytes.Contains(t, []byte(`<div class="announcement">`))
	css := bytes.Contains(t, []byte(".sent.iMessage")) || bytes.Contains(t, []byte("span.reply_context"))
	score := 0
	switch {
	case msg && sender && stamp:
		score = 95
	case css && stamp && (ann || msg || part):
		score = 90 // a chat opening with announcements, or cut before a sender
	case css:
		score = 70 // the header and style sheet alone: an empty orphaned.html, or a head cut short
	}
	if score > 0 && strings.EqualFold(pathExt(name), ".html") {
		score += 2
	}
	return score
}

// pathExt is the extension of the last element of a slash- or backslash-separated name.
func pathExt(name string) string {
	base := pathBase(name)
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		return base[i:]
	}
	return ""
}

// imhCapture says where the text at a point of the page goes.
type imhCapture uint8

const (
	imhNone     imhCapture = iota
	imhSkip                // tapbacks, notes, the style sheet
	imhStamp               // a message's time stamp
	imhSender              // its sender
	imhText                // a unit of the message's text (a bubble, an edited version, a subject)
	imhApp                 // an app balloon: a line per block
	imhAnnounce            // an announcement's sentence
	imhAttText             // the text of an attachment block or error
	imhPart                // a part's bare text (older versions wrote some parts without a span)
)

// imhUnit says how a text unit is finished.
type imhUnit uint8

const (
	imhNoUnit       imhUnit = iota
	imhUnitPre              // a bubble: its whitespace is the text's own (pre-wrap), bar line ends
	imhUnitTrim             // an edited version, a subject: trimmed
	imhUnitVoice            // a transcription: trimmed, without "Transcription: "
	imhUnitApp              // an app balloon: one line per block, spaces collapsed
	imhUnitAnnounce         // an announcement: spaces collapsed
)

// imhAttKind says what an attachment block is.
type imhAttKind uint8

const (
	imhAttFile    imhAttKind = iota // div.attachment, or media in a part (older versions)
	imhAttSticker                   // div.sticker
	imhAttError                     // span.attachment_error
)

// imhElem is an open element.
type imhElem struct {
	tag    string
	cap    imhCapture
	owner  *imhMsg // the message the element belongs to, nil outside messages
	gen    uint32  // owner's generation when the element opened (messages are reused)
	msg    bool    // the element opened owner
	unit   imhUnit // owner's text unit ends with the element
	part   bool    // a message part
	att    bool    // owner's attachment block
	app    bool    // an app balloon
	wrap   bool    // div.reply or div.replies: messages inside are thread replies
	edited bool    // inside div.edited
	anchor bool    // span.reply_anchor
	block  bool    // a block inside an app balloon: a line break at its end
}

// imhAtt is an attachment block being read.
type imhAtt struct {
	kind imhAttKind
	url  string
	hint AttachmentKind // from the element that gave the path: img, video, audio
	text tgBuf
}

// imhMsg is a message or announcement being read.
type imhMsg struct {
	m         Message
	off       int64
	guid      string
	stamp     tgBuf
	author    tgBuf
	unit      tgBuf // the text unit being read
	unitKind  imhUnit
	partText  tgBuf
	partMedia bool // the part being read holds media: its bare text is the tool's
	inPart    bool
	att       *imhAtt
	attBuf    imhAtt // storage for att
	appURL    string
	text      []byte // the units read, one a line
	cut       bool
	stampSeen bool
	authSeen  bool
	isReply   bool // its own copy of a thread reply
	under     bool // a thread reply shown under its parent
	system    bool
	done      bool
	gen       uint32
}

// live returns the message e belongs to, nil when there is none or it has ended.
func (e *imhElem) live() *imhMsg {
	if m := e.owner; m != nil && m.gen == e.gen && !m.done {
		return m
	}
	return nil
}

// imHTMLReader reads one conversation file of the html export (see the file comment).
type imHTMLReader struct {
	imState
	imThreads
	id, title string
	opts      Options
	z         *html.Tokenizer
	line      int   // line of the next token
	off       int64 // offset of the next token

	stack       []imhElem
	top         *imhMsg   // the message read at its own place, ended by the next one
	reps        []*imhMsg // thread replies being read
	pendingGUID string    // the id of the div.reply being read
	authors     imNames
	spare       []*imhMsg
	sawExport   bool // a message, an announcement or the tool's style sheet was met
	deepNoted   bool
}

func newIMHTMLReader(name, stem string, r io.Reader, o Options) *imHTMLReader {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(8*o.maxMessageBytes() + 64<<10)
	return &imHTMLReader{imState: imState{name: name}, id: stem, title: imChatTitle(stem), opts: o, z: z, line: 1, authors: make(imNames)}
}

// Next reads the whole page and returns it as one conversation.
func (r *imHTMLReader) Next() bool { return r.readOnce(r.read) }

// read reads every token; it returns the conversation read, nil when there is none.
func (r *imHTMLReader) read() (*Conversation, error) {
	for {
		tt := r.z.Next()
		raw := r.z.Raw()
		line, off := r.line, r.off
		r.line += bytes.Count(raw, []byte{'\n'})
		r.off += int64(len(raw))
		switch tt {
		case html.ErrorToken:
			var ferr error
			switch err := r.z.Err(); {
			case err == io.EOF:
				if r.inMessage() {
					r.add(r.perr(line, off, "the page ends inside a message (cut short?)", nil))
				}
			case err == html.ErrBufferExceeded:
				ferr = r.perr(line, off, "markup token too large", ErrTooLarge)
			default:
				ferr = r.perr(line, off, "read", err)
			}
			r.popTo(0)
			r.finishTop()
			return r.conversation(ferr)
		case html.TextToken:
			r.text(r.z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			r.start(line, off)
		case html.EndTagToken:
			name, _ := r.z.TagName()
			for i := len(r.stack) - 1; i >= 0; i-- {
				if r.stack[i].tag == string(name) {
					r.popTo(i)
					break
				}
			}
		}
	}
}

// conversation returns what was read; err is the read error, if any.
func (r *imHTMLReader) conversation(err error) (*Conversation, error) {
	msgs, unmatched := r.assemble()
	if unmatched > 0 {
		r.add(r.perr(0, -1, imUnmatchedNote(unmatched), nil))
	}
	if len(msgs) == 0 {
		if err == nil && !r.sawExport {
			err = r.perr(0, 0, "not an imessage-exporter html export: no message block (<div class=\"message\">) and not the tool's style sheet", ErrUnknownFormat)
		}
		return nil, err
	}
	c := &Conversation{ID: r.id, Platform: "imessage", Title: r.title, Messages: msgs}
	c.Participants = participantsOf(c, nil)
	finishConversation(c, r.name, FormatIMessage, imessageHTMLReaderVersion, r.opts)
	return c, err
}

// inMessage says whether an element of a message is open.
func (r *imHTMLReader) inMessage() bool {
	for i := range r.stack {
		if r.stack[i].msg {
			return true
		}
	}
	return false
}

// inWrapper says whether a div.reply or div.replies is open: a message there is a thread reply.
func (r *imHTMLReader) inWrapper() bool {
	for i := range r.stack {
		if r.stack[i].wrap {
			return true
		}
	}
	return false
}

// text routes a text token.
func (r *imHTMLReader) text(t []byte) {
	if len(r.stack) == 0 {
		return
	}
	e := &r.stack[len(r.stack)-1]
	if e.tag == "style" {
		if !r.sawExport && (bytes.Contains(t, []byte(".sent.iMessage")) || bytes.Contains(t, []byte("span.reply_context"))) {
			r.sawExport = true
		}
		return
	}
	m := e.live()
	if m == nil {
		return
	}
	switch e.cap {
	case imhStamp:
		imhWriteFlat(&m.stamp, t)
	case imhSender:
		imhWriteFlat(&m.author, t)
	case imhText:
		m.unit.write(t)
	case imhApp, imhAnnounce:
		imhWriteFlat(&m.unit, t)
	case imhAttText:
		if m.att != nil {
			imhWriteFlat(&m.att.text, t)
		}
	case imhPart:
		imhWriteFlat(&m.partText, t)
	}
}

// imhWriteFlat adds text whose line breaks are the writer's layout: they read as spaces.
func imhWriteFlat(b *tgBuf, t []byte) {
	n := len(b.b)
	b.write(t)
	for i := n; i < len(b.b); i++ {
		if c := b.b[i]; c == '\n' || c == '\r' || c == '\t' {
			b.b[i] = ' '
		}
	}
}

// imhClass is a set of the class names that the writer gives and the reader looks at.
type imhClass uint32

const (
	imcMessage imhClass = 1 << iota
	imcAnnouncement
	imcReply
	imcReplies
	imcDropped // tapbacks (older: reactions), send effects, notes, sticker captions
	imcTimestamp
	imcSender
	imcReplyAnchor
	imcReplyContext
	imcDeleted // "deleted" (Recently Deleted) and "unsent" (an unsent part)
	imcSharedLocation
	imcPart
	imcEdited
	imcBubble
	imcSubject // subject, shareplay: a line of text
	imcTranscription
	imcApp
	imcAttachmentError
	imcSticker
	imcAttachment
	imcInlineSticker
)

// imhClasses reads a class attribute once into a set.
func imhClasses(cl tgClasses) imhClass {
	var set imhClass
	for rest := []byte(cl); len(rest) > 0; {
		tok := rest
		if i := bytes.IndexAny(rest, " \t\n\f\r"); i >= 0 {
			tok, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		switch string(tok) {
		case "message":
			set |= imcMessage
		case "announcement":
			set |= imcAnnouncement
		case "reply":
			set |= imcReply
		case "replies":
			set |= imcReplies
		case "tapbacks", "reactions", "tapback", "reaction", "expressive", "app_error", "sticker_effect", "sticker_name",
			"genmoji_prompt", "sticker_tapback":
			set |= imcDropped
		case "timestamp":
			set |= imcTimestamp
		case "sender":
			set |= imcSender
		case "reply_anchor":
			set |= imcReplyAnchor
		case "reply_context":
			set |= imcReplyContext
		case "deleted", "unsent":
			set |= imcDeleted
		case "shared_location":
			set |= imcSharedLocation
		case "message_part":
			set |= imcPart
		case "edited":
			set |= imcEdited
		case "bubble":
			set |= imcBubble
		case "subject", "shareplay":
			set |= imcSubject
		case "transcription":
			set |= imcTranscription
		case "app":
			set |= imcApp
		case "attachment_error":
			set |= imcAttachmentError
		case "sticker":
			set |= imcSticker
		case "attachment":
			set |= imcAttachment
		case "inline_sticker":
			set |= imcInlineSticker
		}
	}
	return set
}

// Tags whose content is never a message's.
var imhSkipTags = map[string]bool{"script": true, "style": true, "title": true, "template": true, "textarea": true,
	"svg": true, "head": true, "noscript": true}

// Elements that end a line in an app balloon.
var imhBlockTags = map[string]bool{"div": true, "p": true, "tr": true, "li": true, "table": true, "br": true}

// start reads a start tag.
func (r *imHTMLReader) start(line int, off int64) {
	// The attribute values point into the tokenizer's buffer: valid until the next token.
	t := readTag(r.z)
	tag, cls := t.name, imhClasses(t.class)
	has := func(c imhClass) bool { return cls&c != 0 }
	var parent imhElem
	if len(r.stack) > 0 {
		parent = r.stack[len(r.stack)-1]
	}
	owner := parent.live()
	if owner == nil && r.top != nil && !r.top.done {
		owner = r.top // after a stray end tag closed the message early, its content is still its own
	}
	e := imhElem{tag: tag, cap: parent.cap, owner: owner, edited: parent.edited}
	if owner != nil {
		e.gen = owner.gen
	}

	// Links: a message's GUID in its time stamp and reply anchor; an app balloon's link.
	if tag == "a" && owner != nil && len(t.href) > 0 {
		href := string(t.href)
		switch {
		case parent.cap == imhStamp:
			if g, ok := strings.CutPrefix(href, "sms://open?message-guid="); ok && owner.guid == "" {
				owner.guid = imhClip(g)
			}
		case parent.anchor:
			if g, ok := strings.CutPrefix(href, "#"); ok && owner.guid == "" {
				owner.guid = imhClip(strings.TrimPrefix(g, "r-"))
			}
		}
	}

	if voidElements[tag] {
		r.void(tag, t, cls, e)
		return
	}
	if has(imcMessage|imcAnnouncement) && e.cap != imhSkip && !imhSkipTags[tag] && !r.inWrapper() {
		// A message at its own place: whatever is still open above the page's body is the markup of
		// an earlier message left unclosed.
		i := 0
		for i < len(r.stack) && (r.stack[i].tag == "html" || r.stack[i].tag == "body") {
			i++
		}
		r.popTo(i)
	}
	if len(r.stack) >= imhMaxDepth {
		if !r.deepNoted {
			r.deepNoted = true
			r.add(r.perr(line, off, fmt.Sprintf("elements nested deeper than %d: the deeper markup is read as its parent's", imhMaxDepth), nil))
		}
		return
	}

	switch {
	case imhSkipTags[tag]:
		e.cap = imhSkip
	case e.cap == imhSkip:
	case has(imcMessage):
		r.startMessage(&e, t.id, false, line, off)
	case has(imcAnnouncement):
		r.startMessage(&e, nil, true, line, off)
	case has(imcReply | imcReplies):
		e.wrap = true
		if has(imcReply) {
			r.pendingGUID = imhClip(string(t.id))
		}
	case owner == nil:
	case has(imcDropped):
		e.cap = imhSkip
	case has(imcTimestamp):
		if e.edited || owner.stampSeen {
			e.cap = imhSkip
		} else {
			owner.stampSeen = true
			e.cap = imhStamp
		}
	case has(imcSender):
		if owner.authSeen {
			e.cap = imhSkip
		} else {
			owner.authSeen = true
			e.cap = imhSender
		}
	case has(imcReplyAnchor | imcReplyContext):
		owner.isReply = !owner.under // at its own place, a reply has both
		e.cap, e.anchor = imhSkip, has(imcReplyAnchor)
	case has(imcDeleted):
		owner.m.Deleted = true
		e.cap = imhSkip
	case has(imcSharedLocation):
		owner.m.Attachments = append(owner.m.Attachments, Attachment{Kind: AttachmentLocation})
		e.cap = imhSkip
	case has(imcPart):
		r.endPart(owner)
		owner.inPart, owner.partMedia = true, false
		owner.partText.b = owner.partText.b[:0]
		owner.partText.over = false
		e.part, e.cap = true, imhPart
	case has(imcEdited):
		owner.m.Edited = true
		e.edited, e.cap = true, imhNone
	case e.edited && tag == "td":
		r.beginUnit(&e, owner, imhText, imhUnitTrim)
	case has(imcBubble):
		r.beginUnit(&e, owner, imhText, imhUnitPre)
	case has(imcSubject):
		r.beginUnit(&e, owner, imhText, imhUnitTrim)
	case has(imcTranscription):
		r.beginUnit(&e, owner, imhText, imhUnitVoice)
	case has(imcApp) && e.cap != imhApp:
		r.beginUnit(&e, owner, imhApp, imhUnitApp)
		e.app = true
		owner.appURL = ""
	case e.cap == imhApp:
		if imhBlockTags[tag] {
			owner.unit.write([]byte{'\n'})
			e.block = true
		}
		if tag == "a" && owner.appURL == "" {
			owner.appURL = imhClip(string(t.href))
		}
	case has(imcAttachmentError) && owner.att == nil:
		r.beginAtt(&e, owner, imhAttError)
	case has(imcSticker) && owner.att == nil:
		r.beginAtt(&e, owner, imhAttSticker)
	case has(imcAttachment) && owner.att == nil:
		r.beginAtt(&e, owner, imhAttFile)
	case e.cap == imhAttText:
		r.attURL(owner, tag, t)
	case e.cap == imhPart && (tag == "video" || tag == "audio" || tag == "a" && len(t.href) > 0):
		// Older versions wrote a part's media without its div.
		r.beginAtt(&e, owner, imhAttFile)
		owner.partMedia = true
		r.attURL(owner, tag, t)
	}
	r.stack = append(r.stack, e)
}

// void reads an element without content.
func (r *imHTMLReader) void(tag string, t htmlTag, cls imhClass, e imhElem) {
	m := e.live()
	if m == nil || e.cap == imhSkip {
		return
	}
	switch tag {
	case "br":
		switch e.cap {
		case imhText, imhApp:
			m.unit.write([]byte{'\n'})
		}
	case "img", "source":
		switch {
		case tag == "img" && cls&imcInlineSticker != 0:
			url := imhClip(string(t.src))
			m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentSticker, Name: imBase(url), URL: url, Omitted: url == ""})
		case e.cap == imhAttText:
			r.attURL(m, tag, t)
		case e.cap == imhPart && tag == "img" && len(t.src) > 0:
			url := imhClip(string(t.src))
			m.m.Attachments = append(m.m.Attachments, imhFileAttachment(url, AttachmentImage))
			m.partMedia = true
		}
	}
}

// attURL takes the path of an attachment block from its first media element.
func (r *imHTMLReader) attURL(m *imhMsg, tag string, t htmlTag) {
	a := m.att
	if a == nil || a.url != "" {
		return
	}
	v, hint := t.src, AttachmentUnknown
	switch tag {
	case "img":
		hint = AttachmentImage
	case "video":
		hint = AttachmentVideo
	case "audio":
		hint = AttachmentAudio
	case "source":
		hint = AttachmentVideo
		for i := len(r.stack) - 1; i >= 0; i-- {
			if r.stack[i].tag == "audio" {
				hint = AttachmentAudio
				break
			}
		}
	case "a":
		v = t.href
	default:
		return
	}
	if len(v) > 0 {
		a.url, a.hint = imhClip(string(v)), hint
	}
}

// imhClip returns s within the cap on paths and links.
func imhClip(s string) string {
	if len(s) > imhMaxURL {
		return truncateUTF8(s, imhMaxURL)
	}
	return s
}

// startMessage opens a message block, or an announcement.
func (r *imHTMLReader) startMessage(e *imhElem, id []byte, announce bool, line int, off int64) {
	r.sawExport = true
	under := r.inWrapper()
	if !under {
		r.finishTop()
	}
	m := r.newMsg(line, off)
	m.system = announce
	if under {
		m.under = true
		m.guid, r.pendingGUID = r.pendingGUID, ""
		r.reps = append(r.reps, m)
	} else {
		if g, ok := bytes.CutPrefix(id, []byte("r-")); ok {
			m.guid, m.isReply = imhClip(string(g)), true
		}
		r.top = m
	}
	e.owner, e.gen, e.msg, e.cap, e.edited = m, m.gen, true, imhNone, false
	if announce {
		r.beginUnit(e, m, imhAnnounce, imhUnitAnnounce)
	}
}

// newMsg returns a blank message, reusing a finished one's buffers.
func (r *imHTMLReader) newMsg(line int, off int64) *imhMsg {
	var m *imhMsg
	if n := len(r.spare); n > 0 {
		m, r.spare = r.spare[n-1], r.spare[:n-1]
	} else {
		m = new(imhMsg)
	}
	max := r.opts.maxMessageBytes()
	gen := m.gen + 1
	*m = imhMsg{off: off, text: m.text[:0], gen: gen,
		stamp:    tgBuf{b: m.stamp.b[:0], max: imhMaxStamp},
		author:   tgBuf{b: m.author.b[:0], max: tgMaxName},
		unit:     tgBuf{b: m.unit.b[:0], max: max},
		partText: tgBuf{b: m.partText.b[:0], max: max},
		attBuf:   imhAtt{text: tgBuf{b: m.attBuf.text.b[:0], max: imhMaxURL}}}
	m.m.Line = line
	return m
}

// beginUnit starts a unit of text in m, ended with the element e.
func (r *imHTMLReader) beginUnit(e *imhElem, m *imhMsg, c imhCapture, u imhUnit) {
	r.endUnit(m) // a unit inside another (broken markup): the outer one is ended there
	e.cap, e.unit = c, u
	m.unitKind = u
	m.unit.b, m.unit.over = m.unit.b[:0], false
}

// endUnit adds the unit being read to m's text.
func (r *imHTMLReader) endUnit(m *imhMsg) {
	if m.unitKind == imhNoUnit {
		return
	}
	u := m.unitKind
	m.unitKind = imhNoUnit
	if m.unit.over {
		m.cut = true
	}
	s := strings.ToValidUTF8(string(trimPartialRune(m.unit.b)), "\uFFFD")
	m.unit.b = m.unit.b[:0]
	switch u {
	case imhUnitPre:
		s = strings.TrimRight(strings.TrimLeft(s, "\r\n"), " \t\r\n")
	case imhUnitTrim:
		s = strings.TrimSpace(s)
	case imhUnitVoice:
		s = strings.TrimSpace(s)
		s = strings.TrimSpace(strings.TrimPrefix(s, "Transcription:"))
	case imhUnitAnnounce:
		s = strings.Join(strings.Fields(s), " ")
	case imhUnitApp:
		var lines []string
		for l := range strings.SplitSeq(s, "\n") {
			if l = strings.Join(strings.Fields(l), " "); l != "" && !imhToolNote(l) {
				lines = append(lines, l)
			}
		}
		s = strings.Join(lines, "\n")
	}
	r.addLine(m, s)
}

// imhToolNote matches what the tool writes in place of what it could not render.
func imhToolNote(s string) bool {
	return s == "Handwritten messages are not yet supported!" || s == "App messages not yet implemented!" ||
		s == "Unable to format announcement!"
}

// addLine adds a line to m's text, within the cap.
func (r *imHTMLReader) addLine(m *imhMsg, s string) {
	if s == "" {
		return
	}
	if m.cut {
		return
	}
	max := r.opts.maxMessageBytes()
	if len(m.text) > 0 {
		if len(m.text) >= max {
			m.cut = true
			return
		}
		m.text = append(m.text, '\n')
	}
	if room := max - len(m.text); len(s) > room {
		m.text = trimPartialRune(append(m.text, s[:room]...))
		m.cut = true
		return
	}
	m.text = append(m.text, s...)
}

// beginAtt starts an attachment block of m, ended with the element e.
func (r *imHTMLReader) beginAtt(e *imhElem, m *imhMsg, kind imhAttKind) {
	m.attBuf = imhAtt{kind: kind, text: tgBuf{b: m.attBuf.text.b[:0], max: imhMaxURL}}
	m.att = &m.attBuf
	e.att, e.cap = true, imhAttText
	if m.inPart {
		m.partMedia = true
	}
}

// endAtt turns the attachment block read into an attachment.
func (r *imHTMLReader) endAtt(m *imhMsg) {
	a := m.att
	if a == nil {
		return
	}
	m.att = nil
	text := strings.Join(strings.Fields(strings.ToValidUTF8(string(trimPartialRune(a.text.b)), "\uFFFD")), " ")
	var out Attachment
	switch a.kind {
	case imhAttError:
		out = imhMissing(text)
	case imhAttSticker:
		switch {
		case a.url != "":
			out = Attachment{Kind: AttachmentSticker, Name: imBase(a.url), URL: a.url}
		case imhLooksLikePath(text):
			out = Attachment{Kind: AttachmentSticker, Name: imBase(text), URL: text, Omitted: true}
		default:
			out = Attachment{Kind: AttachmentSticker, Omitted: true}
		}
	default:
		switch {
		case a.url != "":
			out = imhFileAttachment(a.url, a.hint)
		default:
			// "Unable to embed TYPE attachments: PATH", "Unknown attachment type: PATH"
			if _, p, ok := strings.Cut(text, " attachments: "); ok && imhLooksLikePath(p) {
				out = imhFileAttachment(p, AttachmentUnknown)
			} else if p, ok := strings.CutPrefix(text, "Unknown attachment type: "); ok && imhLooksLikePath(p) {
				out = imhFileAttachment(p, AttachmentUnknown)
			} else {
				out = Attachment{Kind: AttachmentUnknown, Omitted: true}
			}
		}
	}
	m.m.Attachments = append(m.m.Attachments, out)
}

// imhFileAttachment is an attachment at path: its kind from its name, else from the element that
// embeds it (a file of an iPhone backup has no extension).
func imhFileAttachment(path string, hint AttachmentKind) Attachment {
	name := imBase(path)
	kind := imKindOf(name)
	if kind == AttachmentUnknown && hint != "" {
		kind = hint
	}
	return Attachment{Kind: kind, Name: name, URL: path}
}

// imhMissing reads an attachment error: "Unable to locate attachment: NAME" (the file was not
// found when exporting), "Attachment does not exist!" (no row for it), older "Missing attachment
// filepath: NAME". The attachment is omitted; a name is kept.
func imhMissing(text string) Attachment {
	for _, p := range []string{"Unable to locate attachment:", "Missing attachment filepath:"} {
		if rest, ok := strings.CutPrefix(text, p); ok {
			text = strings.TrimSpace(rest)
			break
		}
	}
	if !imhLooksLikePath(text) || text == "Attachment missing name metadata!" {
		return Attachment{Kind: AttachmentUnknown, Omitted: true}
	}
	name := imBase(text)
	return Attachment{Kind: imKindOf(name), Name: name, URL: text, Omitted: true}
}

// imhLooksLikePath says whether the tool's text is a file's name or path rather than a sentence.
func imhLooksLikePath(s string) bool {
	return s != "" && len(s) <= imhMaxURL && !strings.HasSuffix(s, "!") && strings.ContainsAny(s, "./\\")
}

// endPart ends the part being read: its bare text, which older versions wrote without a span, is
// text, unless the part holds media (the text is then the tool's, "Click to download ...").
func (r *imHTMLReader) endPart(m *imhMsg) {
	if !m.inPart {
		return
	}
	m.inPart = false
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(trimPartialRune(m.partText.b)), "\uFFFD")), " ")
	m.partText.b = m.partText.b[:0]
	switch {
	case s == "" || m.partMedia:
	case s == "Attachment does not exist!" || s == "Attachment missing!":
		m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentUnknown, Omitted: true})
	case imhToolNote(s):
	default:
		r.addLine(m, s)
	}
}

// popTo closes the elements from the top of the stack down to index i included.
func (r *imHTMLReader) popTo(i int) {
	for len(r.stack) > i {
		e := r.stack[len(r.stack)-1]
		r.stack = r.stack[:len(r.stack)-1]
		m := e.live()
		if m == nil {
			continue
		}
		if e.block {
			m.unit.write([]byte{'\n'})
		}
		if e.unit != imhNoUnit && m.unitKind == e.unit {
			r.endUnit(m)
		}
		if e.app && m.appURL != "" {
			if u := m.appURL; strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
				m.m.Attachments = append(m.m.Attachments, Attachment{Kind: AttachmentLink, URL: u})
			}
			m.appURL = ""
		}
		if e.att {
			r.endAtt(m)
		}
		if e.part {
			r.endPart(m)
		}
		if e.msg && m.under {
			r.finishReply(m)
		}
	}
}

// finishReply ends a thread reply.
func (r *imHTMLReader) finishReply(m *imhMsg) {
	for i := len(r.reps) - 1; i >= 0; i-- {
		if r.reps[i] == m {
			r.reps = append(r.reps[:i], r.reps[i+1:]...)
			break
		}
	}
	r.finish(m)
}

// finishTop ends the message read at its own place, and the replies still open under it.
func (r *imHTMLReader) finishTop() {
	for len(r.reps) > 0 {
		r.finishReply(r.reps[len(r.reps)-1])
	}
	if r.top != nil {
		r.finish(r.top)
		r.top = nil
	}
}

// finish ends a message and keeps it.
func (r *imHTMLReader) finish(m *imhMsg) {
	if m.done {
		return
	}
	r.endUnit(m)
	r.endAtt(m)
	r.endPart(m)
	m.done = true
	defer func() { r.spare = append(r.spare, m) }()

	out := m.m
	if m.system && !m.stampSeen {
		return // "Unable to format announcement!": nothing to keep
	}
	stamp := strings.TrimSpace(string(m.stamp.b))
	stampKey := ""
	if st, n, ok := parseIMStamp(stamp); ok {
		out.Time = st.time(r.opts.location())
		stampKey = stamp[:n]
	} else if m.stampSeen {
		r.add(r.perr(out.Line, m.off, "message time not read (want a time such as \"May 17, 2022  5:29:42 PM\")", nil))
	} else {
		r.add(r.perr(out.Line, m.off, "message without a time", nil))
	}
	out.Text = string(m.text)
	if m.cut {
		r.add(r.perr(out.Line, m.off, fmt.Sprintf("message text cut to %d bytes", r.opts.maxMessageBytes()), ErrTooLarge))
	}
	if m.system {
		if out.Text == "" {
			return
		}
		out.System = true
		out.Deleted = strings.HasSuffix(out.Text, " unsent a message.") || strings.HasSuffix(out.Text, " unsent a message!") ||
			strings.HasSuffix(out.Text, " deleted a message.")
	} else {
		author := strings.TrimSpace(string(m.author.b))
		if author == "" {
			r.add(r.perr(out.Line, m.off, "message without a sender", nil))
		}
		out.Author = r.authors.intern(author)
	}
	if !m.under && !m.isReply {
		r.addTop(out, false)
		return
	}
	var keys [2]string
	k := keys[:0]
	if m.guid != "" {
		k = append(k, "g:"+m.guid)
	}
	k = append(k, "c:"+stampKey+"\x00"+out.Author+"\x00"+out.Text[:min(len(out.Text), 256)]+"\x00"+strconv.Itoa(len(out.Attachments)))
	switch {
	case m.under && r.top != nil && !r.top.done:
		r.addUnder(out, k...)
	case m.under:
		r.addTop(out, false) // a reply block outside any message: kept where it is
	default:
		r.addTop(out, true, k...)
	}
}
