package features

import (
	"io/fs"
	"time"
)

// Hit is one piece of evidence: a lexicon phrase or a slot pattern matched in a message.
// Start and End are byte offsets in the ORIGINAL message text, so that text[Start:End] quotes
// exactly what was matched, obfuscation included ("n.u.d.e", "s3x", "📸").
type Hit struct {
	Stage Stage
	// Cue identifies what matched: "<lang>/<stage>:<line>" for a lexicon phrase (the line of the
	// phrase in its file, e.g. "fr/secrecy:12"), or a slot name such as [SlotAge] for a pattern.
	Cue string
	// Lang is the language of the lexicon file, "" for language-independent slots.
	Lang string
	// Weight is the strength of the cue, from the lexicon file or the slot: positive, 1 for an
	// ordinary cue, up to 2 for a strong one (at most 5).
	Weight float32
	// Start and End delimit the match in the original text: text[Start:End].
	Start, End int
	// Value is the number a slot carries: the stated age for [SlotAge], the starting number of a
	// countdown, the deadline in minutes, the amount of money. 0 when the cue carries none.
	Value float64
}

// Slot names: the Cue of hits produced by the hand-written pattern detectors.
const (
	SlotAge         = "slot/age"          // stated age ("j'ai 13 ans", "im 14", "14/f", "14yo"); Value = age
	SlotCountdown   = "slot/countdown"    // decreasing numbers ("10, 9, 8"); Value = first number
	SlotDeadline    = "slot/deadline"     // "you have 5 minutes", "t'as 1h"; Value = minutes
	SlotAmount      = "slot/amount"       // "200€", "$500", "100 balles", "0.01 btc"; Value = amount
	SlotPaymentCode = "slot/payment_code" // 16-digit prepaid voucher codes (PCS, Neosurf, Paysafecard, ...)
	SlotGiftCode    = "slot/gift_code"    // gift card codes XXXXX-XXXXX-XXXXX (Steam, Google Play, Apple)
	SlotWalletBTC   = "slot/wallet_btc"   // Bitcoin address, checksum verified (base58check or bech32/bech32m)
	SlotWalletETH   = "slot/wallet_eth"   // Ethereum address, EIP-55 checksum verified when mixed case
	SlotHandle      = "slot/handle"       // "@name", "snap: name", "add me on snap name_12"
	SlotPhone       = "slot/phone"        // international, French and US phone numbers
)

// MessageHit is a [Hit] located in a conversation: which message, who wrote it.
type MessageHit struct {
	Hit
	Index  int    // index of the message in the conversation
	ID     string // corpus.Message.ID
	Author string // corpus.Message.Author
}

// Options configures an [Extractor]. The zero value means the defaults.
type Options struct {
	// Lexicons is the file system holding <lang>/<stage>.txt lexicon files. Nil means the lexicons
	// embedded in the package ([EmbeddedLexicons]).
	Lexicons fs.FS
	// Langs restricts the lexicons loaded to these languages ("fr", "en", ...). Nil loads all of
	// them: chats mix languages, so the default is to match every language at once.
	Langs []string
	// MaxMessageBytes caps the bytes of a message that are normalized and matched; the rest is
	// ignored and [Normalized.Truncated] is set. 0 means [DefaultMaxMessageBytes].
	MaxMessageBytes int
	// NoSlots disables the slot detectors (ages, countdowns, amounts, codes, wallets, handles,
	// phones); only lexicon phrases are matched.
	NoSlots bool
}

// DefaultMaxMessageBytes is the default cap on the bytes of one message that are analyzed.
const DefaultMaxMessageBytes = 64 << 10

// Message is the part of a chat message that feature extraction needs. It mirrors corpus.Message
// without tying the hot path to it.
type Message struct {
	ID     string
	Author string
	Time   time.Time // zero when unknown
	Text   string
}
