package corpus

import (
	"errors"
	"fmt"
	"time"
)

// Format names an input format that a [Reader] understands.
type Format string

// The supported input formats. [Detect] recognizes each of them from content.
const (
	FormatUnknown  Format = ""
	FormatJSONL    Format = "jsonl"    // canonical JSON Lines, one conversation per line
	FormatCSV      Format = "csv"      // conversation_id,message_id,author,time,text
	FormatWhatsApp Format = "whatsapp" // WhatsApp "Export chat" .txt (or the .zip it produces)
	FormatDiscord  Format = "discord"  // DiscordChatExporter JSON, HTML, plain text (.txt) or CSV: one channel per file; or Discord's data package (its owner's messages only)
	FormatTelegram Format = "telegram" // Telegram Desktop result.json, or its HTML export (messages.html pages or their folder)
	FormatMeta     Format = "meta"     // Instagram / Facebook Messenger message_N.json or message_N.html
	FormatSnapchat Format = "snapchat" // Snapchat chat_history.json
	FormatSlack    Format = "slack"    // Slack export .zip (or its unpacked folder)
	FormatPAN12    Format = "pan12"    // PAN 2012 sexual predator identification XML
	FormatSMS      Format = "sms"      // SMS Backup & Restore (Android) XML: every SMS and MMS thread of a phone
	FormatTikTok   Format = "tiktok"   // TikTok "Download your data" JSON: its direct messages
	FormatIMessage Format = "imessage" // iPhone Messages as exported by imessage-exporter -f txt: one .txt per chat (or its folder)
	FormatText     Format = "text"     // plain text: "Name: text" lines, or one block without authors
	// FormatGoogleChat is Google Chat (formerly Hangouts) from Google Takeout: the takeout zip, its
	// Takeout, Google Chat or Groups folder, one conversation folder, or a lone messages.json.
	FormatGoogleChat Format = "googlechat"
)

// Formats lists every supported format in a stable order.
var Formats = []Format{FormatJSONL, FormatCSV, FormatWhatsApp, FormatDiscord, FormatTelegram,
	FormatMeta, FormatSnapchat, FormatSlack, FormatPAN12, FormatSMS, FormatTikTok, FormatIMessage,
	FormatGoogleChat, FormatText}

// Label is the ground-truth class of a conversation, when known.
type Label string

// Labels used by evaluation. The empty label means "unknown".
const (
	LabelNone       Label = ""
	LabelGrooming   Label = "grooming"
	LabelSextortion Label = "sextortion"
	LabelBenign     Label = "benign"
)

// Valid reports whether l is one of the known labels (or empty).
func (l Label) Valid() bool {
	switch l {
	case LabelNone, LabelGrooming, LabelSextortion, LabelBenign:
		return true
	}
	return false
}

// AttachmentKind says what a media marker or attachment holds.
type AttachmentKind string

// Attachment kinds. Exports often say only that a medium was omitted: that is [AttachmentUnknown].
const (
	AttachmentUnknown  AttachmentKind = "media"
	AttachmentImage    AttachmentKind = "image"
	AttachmentVideo    AttachmentKind = "video"
	AttachmentAudio    AttachmentKind = "audio"
	AttachmentSticker  AttachmentKind = "sticker"
	AttachmentGIF      AttachmentKind = "gif"
	AttachmentFile     AttachmentKind = "file"
	AttachmentContact  AttachmentKind = "contact"
	AttachmentLocation AttachmentKind = "location"
	AttachmentLink     AttachmentKind = "link"
	AttachmentCall     AttachmentKind = "call"
)

// Attachment is a medium sent with a message, or a placeholder for one that the export left out.
type Attachment struct {
	Kind AttachmentKind `json:"kind"`
	Name string         `json:"name,omitempty"` // file name, when the export gives one
	URL  string         `json:"url,omitempty"`  // link or relative path, when the export gives one
	// Omitted is true when the export replaced the medium by a placeholder such as "<Media omitted>".
	Omitted bool `json:"omitted,omitempty"`
}

// Message is one message of a conversation.
type Message struct {
	// ID is unique within its conversation. Readers number messages "1", "2", ... when the export has no ids.
	ID string
	// Author is the sender's display name or id as the export gives it; empty for system messages
	// that have no author.
	Author string
	// Time is when the message was sent; the zero Time means unknown. Exports without a time zone
	// (WhatsApp) are read in [Options.Location].
	Time time.Time
	// Text is the full message text, multi-line text included, with export artifacts (direction marks,
	// placeholders) removed. It may be empty for a message that only carries attachments.
	Text string
	// System marks messages written by the platform, not a person: encryption notices, joins,
	// subject changes, calls, pins.
	System bool
	// Deleted marks a message that was deleted ("This message was deleted").
	Deleted bool
	// Edited marks a message that was edited after sending, when the export says so.
	Edited bool
	// Attachments lists media sent with the message or placeholders for omitted media.
	Attachments []Attachment
	// ReplyTo is the id of the message this one answers, when the export says so.
	ReplyTo string
	// Line is the 1-based line (or record) of the source file where the message starts; 0 when unknown.
	Line int
}

// Participant is a person (or account) in a conversation.
type Participant struct {
	ID   string `json:"id"`             // as used in Message.Author
	Name string `json:"name,omitempty"` // display name, when different from ID
	// Role is "suspect", "victim" or "" (unknown), from labels when present.
	Role string `json:"role,omitempty"`
}

// Conversation is one chat thread: a DM, a group or a channel.
type Conversation struct {
	ID           string
	Platform     string // whatsapp, discord, telegram, instagram, messenger, snapchat, slack, pan12, ...
	Title        string // group or channel name, when known
	Participants []Participant
	Messages     []Message

	// Label and Suspects are ground truth for evaluation; empty when unknown.
	Label    Label
	Suspects []string
	// Synthetic marks conversations that a generator wrote rather than people.
	Synthetic bool
	// Lang is a BCP-47 language tag ("fr", "en") when known from the source.
	Lang string
	// Source says where the conversation was read: file name and format. It is not part of the
	// canonical contract and is informative only.
	Source Source
	// Extra keeps fields of the canonical JSONL that Vigie does not know, so that a round trip
	// loses nothing. Keys are field names, values raw JSON.
	Extra map[string][]byte
}

// Source records where a conversation was read from.
type Source struct {
	File   string `json:"file,omitempty"`
	Format Format `json:"format,omitempty"`
	// Reader names the reader and its version, e.g. "whatsapp/1".
	Reader string `json:"reader,omitempty"`
}

// Authors returns the distinct non-empty authors of c's messages, in order of first appearance.
func (c *Conversation) Authors() []string {
	seen := make(map[string]bool)
	var out []string
	for i := range c.Messages {
		a := c.Messages[i].Author
		if a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// EnsureParticipants fills c.Participants from the message authors when it is empty, and marks the
// suspects' role.
func (c *Conversation) EnsureParticipants() {
	if len(c.Participants) == 0 {
		for _, a := range c.Authors() {
			c.Participants = append(c.Participants, Participant{ID: a})
		}
	}
	if len(c.Suspects) == 0 {
		return
	}
	sus := make(map[string]bool, len(c.Suspects))
	for _, s := range c.Suspects {
		sus[s] = true
	}
	for i := range c.Participants {
		if sus[c.Participants[i].ID] && c.Participants[i].Role == "" {
			c.Participants[i].Role = "suspect"
		}
	}
}

// Reader reads conversations one at a time, like [bufio.Scanner]:
//
//	for r.Next() {
//		c := r.Conversation()
//	}
//	if err := r.Err(); err != nil { ... }
//
// The first fatal error sticks and ends the stream; conversations returned before it stay valid.
// Problems that a format lets a reader step over (a bad JSONL line, a malformed record) do not stop
// it: they are collected and returned by Problems, and nothing else is lost.
type Reader interface {
	// Next advances to the next conversation. It returns false at the end of input or on a fatal error.
	Next() bool
	// Conversation returns the conversation read by the last call to Next. The reader does not reuse it.
	Conversation() *Conversation
	// Err returns the first fatal error, nil at a clean end of input. It is a *ParseError when the
	// input was malformed.
	Err() error
	// Problems returns the non-fatal problems met so far (at most [MaxProblems]).
	Problems() []*ParseError
	// Format returns the format being read.
	Format() Format
	// Close releases the files the reader opened. It does not close an io.Reader passed by the caller.
	Close() error
}

// MaxProblems is how many non-fatal problems a reader keeps; later ones are counted but not kept.
const MaxProblems = 1000

// Limits on what readers accept, so that hostile input cannot exhaust memory.
const (
	// DefaultMaxMessageBytes caps one message's text; longer texts are cut and a problem is reported.
	DefaultMaxMessageBytes = 1 << 20
	// DefaultMaxLineBytes caps one line of a line-based format (JSONL lines hold whole conversations).
	DefaultMaxLineBytes = 256 << 20
)

// DateOrder says how to read numeric dates such as 03/04/2026.
type DateOrder int

// Date orders. The zero value, DateAuto, infers the order from the whole file (a day above 12 settles it)
// and falls back to the locale implied by the export's language.
const (
	DateAuto DateOrder = iota
	DateDMY
	DateMDY
	DateYMD
)

// Options configure readers. The zero value means the defaults, documented field by field.
type Options struct {
	// Format forces a format; the zero value detects it from content (and the file name as a hint).
	Format Format
	// Location is the time zone of exports whose times carry none (WhatsApp, some CSV, Telegram
	// exports from older versions). Default: UTC.
	Location *time.Location
	// DateOrder forces the day/month order of numeric dates (WhatsApp exports, slashed dates of
	// plain-text transcripts). Default: inferred.
	DateOrder DateOrder
	// MaxMessageBytes caps a message's text. Default: [DefaultMaxMessageBytes].
	MaxMessageBytes int
	// MaxLineBytes caps a line of line-based formats. Default: [DefaultMaxLineBytes].
	MaxLineBytes int
	// Predators lists author ids known to be predators (PAN12 ground truth). When set, readers fill
	// Label and Suspects of the conversations these authors appear in, and label the others benign.
	Predators map[string]bool
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

func (o Options) maxMessageBytes() int {
	if o.MaxMessageBytes <= 0 {
		return DefaultMaxMessageBytes
	}
	return o.MaxMessageBytes
}

func (o Options) maxLineBytes() int {
	if o.MaxLineBytes <= 0 {
		return DefaultMaxLineBytes
	}
	return o.MaxLineBytes
}

// ParseError is malformed input at a position, in the manner of go/scanner.Error.
type ParseError struct {
	File   string // file name as given by the caller; may be empty
	Line   int    // 1-based line, 0 when the format has no lines
	Offset int64  // byte offset from the start of the input, -1 when unknown
	Format Format
	Msg    string
	Err    error // underlying error, if any
}

func (e *ParseError) Error() string {
	pos := e.File
	if pos == "" {
		pos = "<input>"
	}
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Line)
	} else if e.Offset >= 0 {
		pos = fmt.Sprintf("%s:@%d", pos, e.Offset)
	}
	var f string
	if e.Format != "" {
		f = string(e.Format) + ": "
	}
	if e.Err != nil && e.Msg == "" {
		return fmt.Sprintf("%s: %s%v", pos, f, e.Err)
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s%s: %v", pos, f, e.Msg, e.Err)
	}
	return fmt.Sprintf("%s: %s%s", pos, f, e.Msg)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Sentinel errors, testable with errors.Is.
var (
	// ErrUnknownFormat: the content matches no supported format.
	ErrUnknownFormat = errors.New("unknown input format")
	// ErrTooLarge: a line or record exceeds the configured cap.
	ErrTooLarge = errors.New("input exceeds size limit")
)
