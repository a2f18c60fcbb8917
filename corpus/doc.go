// Package corpus holds Vigie's transcript data model ([Conversation], [Message], [Participant]), the
// readers of chat exports, and labeled datasets.
//
// # Formats
//
// [Open] and [NewReader] detect the format of an input from its content (the file name is only a
// hint): canonical JSONL, CSV, WhatsApp "Export chat" text and zip, DiscordChatExporter JSON, HTML
// (its default), plain text or CSV (one file per channel), Discord's own data package (package.zip,
// its folder or a channel's messages.json or messages.csv: the account owner's messages only, see
// [OneSided]), Telegram Desktop result.json or HTML export (a messages.html page, or the export
// folder whose pages messages.html, messages2.html, ... are read in order as one conversation per
// chat), Instagram and Facebook Messenger message_N.json or message_N.html, Snapchat
// chat_history.json, Slack export zip, SMS Backup & Restore XML (Android), the direct messages of
// TikTok's user_data_tiktok.json, iPhone Messages as exported by imessage-exporter in txt or html
// (one file per chat, or the export folder), Google Chat from Google Takeout (the takeout zip, its
// Takeout, Google Chat or Groups folder, one conversation folder, or a lone messages.json; dates
// read in English, French and the other languages that googlechat_dates.go lists), PAN 2012 XML,
// and plain text ("Name: text" lines, or one block without authors, the fallback for any other
// text). Every reader streams: it holds at most one conversation in memory, plus the format's own
// unavoidable state (an SMS backup mixes the threads of a whole phone: its texts are held until the
// file is read).
//
// # Encodings
//
// Inputs may be UTF-8 or UTF-16 (told by a byte order mark, or by the zero bytes of its ASCII
// characters). In UTF-8 input, each byte outside a valid sequence is read as its Windows-1252
// character, so that files saved in Latin-1 or Windows-1252 keep their accents. The readers see
// UTF-8 only; lines in errors are those of the input, byte offsets those of the decoded text.
//
// # Readers
//
// A [Reader] is used like bufio.Scanner. Malformed input yields a [*ParseError] with the file and
// line (or byte offset). Problems that the format lets a reader step over are kept in Problems and
// do not stop it; nothing read before or after them is lost.
//
// # Canonical JSONL
//
// One conversation per line, written by [JSONLWriter] and read by the "jsonl" reader:
//
//	{"id":"c1","platform":"whatsapp","label":"grooming","suspects":["A"],
//	 "messages":[{"id":"1","author":"A","time":"2026-03-14T21:03:00Z","text":"..."}]}
//
// label and suspects are optional ground truth; unknown fields are kept on a round trip.
//
// Readers are not safe for concurrent use; distinct readers are independent.
package corpus
