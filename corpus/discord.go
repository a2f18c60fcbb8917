package corpus

// Readers of DiscordChatExporter exports (https://github.com/Tyrrrz/DiscordChatExporter). The format
// "discord" reads the exporter's four forms, chosen by content: JSON (this file), HTML (its GUI's
// default, discord_html.go), plain text (discord_text.go) and CSV (discord_csv.go); what the last
// three share, dates first, is in discord_dates.go. It also reads Discord's own data package
// (discord_package.go), which holds the account owner's messages only.
//
// The JSON export is written by DiscordChatExporter.Core/Exporting/JsonMessageWriter.cs. One file
// holds one channel:
//
//	{"guild": {"id","name","iconUrl"},
//	 "channel": {"id","type","categoryId","category","name","topic"},
//	 "dateRange": {...}, "exportedAt": "...",
//	 "messages": [{"id","type","timestamp","timestampEdited","callEndedTimestamp","isPinned","content",
//	   "author": {"id","name","discriminator","nickname","color","isBot","roles","avatarUrl"},
//	   "attachments": [{"id","url","fileName","fileSizeBytes"}], "embeds": [{"title","url",...}],
//	   "stickers": [{"id","name","format","sourceUrl"}], "reactions", "mentions",
//	   "reference": {"messageId","channelId","guildId"}, ...}],
//	 "messageCount": N}
//
// Direct messages are exported with the guild {"id":"0","name":"Direct Messages"}.
//
// Authors: Message.Author is the account's user name ("name"), followed by "#discriminator" when the
// account still has a legacy discriminator (not "0000"), because only that pair is unique. The
// server nickname ("nickname", the display name) goes in Participant.Name when it differs. Names
// are stable across the servers of one export, nicknames are not.

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
)

const discordReaderVersion = "discord/1"

// sniffDiscord recognizes the four forms of a DiscordChatExporter export: JSON, HTML, plain text
// and CSV, and a lone messages file of a Discord data package (discord_package.go).
func sniffDiscord(name string, head []byte) int {
	if !headIsObject(head) {
		return max(sniffDiscordHTML(head), sniffDiscordText(head), sniffDiscordCSV(head), sniffDiscordPackage(head))
	}
	if !headHasKey(head, "guild") || !headHasKey(head, "channel") {
		return 0
	}
	score := 70
	if headHasKey(head, "messages") {
		score = 90
		if headHasKey(head, "author") || headHasKey(head, "timestampEdited") || headHasKey(head, "exportedAt") {
			score = 98
		}
	}
	return score
}

type discordGuild struct {
	ID   flexString `json:"id"`
	Name flexString `json:"name"`
}

type discordChannel struct {
	ID       flexString `json:"id"`
	Type     flexString `json:"type"`
	Category flexString `json:"category"`
	Name     flexString `json:"name"`
}

type discordUser struct {
	ID            flexString `json:"id"`
	Name          flexString `json:"name"`
	Discriminator flexString `json:"discriminator"`
	Nickname      flexString `json:"nickname"`
}

type discordMessage struct {
	ID              flexString  `json:"id"`
	Type            flexString  `json:"type"`
	Timestamp       flexString  `json:"timestamp"`
	TimestampEdited flexString  `json:"timestampEdited"`
	Content         flexString  `json:"content"`
	Author          discordUser `json:"author"`
	Attachments     []struct {
		URL      flexString `json:"url"`
		FileName flexString `json:"fileName"`
	} `json:"attachments"`
	Embeds []struct {
		Title flexString `json:"title"`
		URL   flexString `json:"url"`
	} `json:"embeds"`
	Stickers []struct {
		Name      flexString `json:"name"`
		SourceURL flexString `json:"sourceUrl"`
	} `json:"stickers"`
	Reference *struct {
		Type      flexString `json:"type"`
		MessageID flexString `json:"messageId"`
		ChannelID flexString `json:"channelId"`
	} `json:"reference"`
}

// discordSystemKinds are the message kinds that DiscordChatExporter treats as system notifications
// (MessageKind values 1 to 18).
var discordSystemKinds = map[string]bool{
	"RecipientAdd": true, "RecipientRemove": true, "Call": true, "ChannelNameChange": true,
	"ChannelIconChange": true, "ChannelPinnedMessage": true, "GuildMemberJoin": true, "ThreadCreated": true,
}

// discordIsSystem reports whether a message kind is a system notification. Unknown kinds are written
// by their number (an undefined C# enum value): 1 to 18 are system kinds in Discord's numbering.
func discordIsSystem(kind string) bool {
	if discordSystemKinds[kind] {
		return true
	}
	if n, err := strconv.Atoi(kind); err == nil {
		return n >= 1 && n <= 18
	}
	return false
}

type discordReader struct {
	jsonReaderBase
}

// newDiscordReader reads the JSON export, or the HTML, plain-text or CSV one, chosen by content:
// markup is HTML, the CSV header is CSV, a '=' rule is plain text, anything else JSON. A data
// package's messages file is told by its CSV header or, for messages.json, by its opening '['
// (the exporter's JSON is an object).
func newDiscordReader(name string, r io.Reader, o Options) (Reader, error) {
	br, markup := startsWithMarkup(r)
	if markup {
		return newDiscordHTMLReader(name, br, o), nil
	}
	head, _ := br.Peek(min(br.Size(), 4096))
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	switch {
	case dceIsCSVHeader(line):
		return newDiscordCSVReader(name, stripBOM(br), o), nil
	case bytes.HasPrefix(head, []byte(dceRule)):
		return newDiscordTextReader(name, stripBOM(br), o), nil
	case dpkgIsCSVHeader(line):
		return newDiscordPackageStream(name, stripBOM(br), o, true), nil
	case len(head) > 0 && head[0] == '[':
		return newDiscordPackageStream(name, br, o, false), nil
	}
	return &discordReader{jsonReaderBase{s: newJSONStream(name, br, FormatDiscord), opts: o, format: FormatDiscord}}, nil
}

// Next reads the file's one channel, holding only its messages.
func (r *discordReader) Next() bool {
	r.cur = nil
	if r.done {
		return false
	}
	s := r.s
	if err := s.begin(); err != nil {
		return r.fail(err)
	}
	var guild discordGuild
	var channel discordChannel
	c := &Conversation{Platform: "discord"}
	names := map[string]string{}
	sawMessages := false
	for {
		k, more, err := s.key()
		if err != nil {
			return r.fail(err)
		}
		if !more {
			break
		}
		switch k {
		case "guild", "channel":
			var v any = &guild
			if k == "channel" {
				v = &channel
			}
			line, off, bad, err := s.element(v)
			if err != nil {
				return r.fail(err)
			}
			if bad != nil {
				r.add(s.problem(line, off, "unreadable "+k, bad.Err))
			}
		case "messages":
			ok, err := s.openValue('[')
			if err != nil {
				return r.fail(err)
			}
			if !ok {
				r.add(s.errorf(`"messages" is not an array`))
				continue
			}
			sawMessages = true
			for s.dec.More() {
				var dm discordMessage
				line, off, bad, err := s.element(&dm)
				if err != nil {
					return r.fail(err)
				}
				if bad != nil {
					r.add(bad)
					continue
				}
				r.addMessage(c, &dm, string(channel.ID), names, line, off)
			}
			if err := s.endArray(); err != nil {
				return r.fail(err)
			}
		default:
			if err := s.skip(); err != nil {
				return r.fail(err)
			}
		}
	}
	r.end()
	if !sawMessages {
		return r.fail(&ParseError{File: s.name, Offset: -1, Format: FormatDiscord, Msg: `not a DiscordChatExporter export: no "messages" array`})
	}
	c.ID = string(channel.ID)
	if c.ID == "" {
		c.ID = "discord"
	}
	c.Title = string(channel.Name)
	if g := string(guild.Name); g != "" && string(guild.ID) != "0" && g != "Direct Messages" {
		c.Title = g + " / " + c.Title
	}
	c.Participants = participantsOf(c, names)
	finishConversation(c, s.name, FormatDiscord, discordReaderVersion, r.opts)
	r.cur = c
	return true
}

// discordAuthor returns the author key of a user (see the file comment) and its display name.
func discordAuthor(u *discordUser) (id, display string) {
	id = string(u.Name)
	if d := string(u.Discriminator); d != "" && strings.Trim(d, "0") != "" {
		id += "#" + d
	}
	if id == "" {
		id = string(u.ID)
	}
	return id, string(u.Nickname)
}

func (r *discordReader) addMessage(c *Conversation, dm *discordMessage, channelID string, names map[string]string, line int, off int64) {
	m := Message{ID: string(dm.ID), Line: line}
	if m.ID == "" {
		m.ID = strconv.Itoa(len(c.Messages) + 1)
	}
	author, display := discordAuthor(&dm.Author)
	m.Author = author
	if author != "" && names[author] == "" {
		names[author] = display
	}
	if ts := string(dm.Timestamp); ts != "" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			r.add(r.s.problem(line, off, "message "+strconv.Quote(m.ID)+": time unknown", err))
		} else {
			m.Time = t
		}
	}
	m.Edited = dm.TimestampEdited != ""
	m.System = discordIsSystem(string(dm.Type))
	m.Text = capText(&r.problems, r.s, r.opts, string(dm.Content), channelID, m.ID, line, off)
	for _, a := range dm.Attachments {
		name := string(a.FileName)
		if name == "" {
			name = lastPathElem(string(a.URL))
		}
		m.Attachments = append(m.Attachments, Attachment{Kind: attachmentKindFromName(name, ""), Name: string(a.FileName), URL: string(a.URL)})
	}
	for _, e := range dm.Embeds {
		if e.URL == "" {
			continue
		}
		m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentLink, URL: string(e.URL)})
	}
	for _, st := range dm.Stickers {
		m.Attachments = append(m.Attachments, Attachment{Kind: AttachmentSticker, Name: string(st.Name), URL: string(st.SourceURL)})
	}
	if ref := dm.Reference; ref != nil && ref.MessageID != "" && ref.Type != "Forward" &&
		(ref.ChannelID == "" || string(ref.ChannelID) == channelID) {
		m.ReplyTo = string(ref.MessageID)
	}
	c.Messages = append(c.Messages, m)
}

// lastPathElem returns what follows the last '/' of a path or URL, without a query.
func lastPathElem(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexAny(u, `/\`); i >= 0 {
		u = u[i+1:]
	}
	return u
}
