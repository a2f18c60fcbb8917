package synth

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/corpus"
)

// Kind is the script a synthetic conversation follows. Its name is written under "synthetic_kind".
type Kind string

// Positive kinds (label sextortion).
const (
	// KindFinancial: financial sextortion. A fake same-age profile, compliments and flirting, a move to
	// another app, the reciprocity bait, the victim's image, then at once threats, contact-list
	// leverage, countdowns and payment demands; about 45 minutes from the image to the first demand
	// (OFMIN 2024). Minutes between messages before the image, seconds after it.
	KindFinancial Kind = "financial_sextortion"
	// KindGroomingSextortion: sextortion after grooming. Days of trust building (its first part looks
	// like grooming), then images, then threats to obtain more images, sometimes of a sister or a friend.
	KindGroomingSextortion Kind = "grooming_sextortion"
)

// Benign kinds (label benign): hard negatives that share surface cues with the positives.
const (
	KindBenignCountdown   Kind = "benign_countdown"    // new year, birthday, game launch countdowns
	KindBenignGiftCard    Kind = "benign_giftcard"     // gift cards between family members
	KindBenignCoupleFlirt Kind = "benign_couple_flirt" // consensual adult couple, non-explicit
	KindBenignPhotos      Kind = "benign_photos"       // friends asking for photos of a trip, a concert
	KindBenignSchoolAges  Kind = "benign_school_ages"  // classmates talking about ages and schools
	KindBenignGamerTrash  Kind = "benign_gamer_trash"  // gamers' insults and mock threats
	KindBenignSplitBill   Kind = "benign_split_bill"   // friends splitting a bill with Lydia, PayPal...
	KindBenignGameCode    Kind = "benign_game_code"    // "send me the code" for a game lobby
	KindBenignParentHome  Kind = "benign_parent_home"  // a parent asking "are you home alone?" for chores
)

// PositiveKinds and BenignKinds list every kind, in a stable order.
var (
	PositiveKinds = []Kind{KindFinancial, KindGroomingSextortion}
	BenignKinds   = []Kind{KindBenignCountdown, KindBenignGiftCard, KindBenignCoupleFlirt, KindBenignPhotos,
		KindBenignSchoolAges, KindBenignGamerTrash, KindBenignSplitBill, KindBenignGameCode, KindBenignParentHome}
)

// Label returns the ground-truth label of conversations of kind k.
func (k Kind) Label() corpus.Label {
	switch k {
	case KindFinancial, KindGroomingSextortion:
		return corpus.LabelSextortion
	}
	return corpus.LabelBenign
}

func (k Kind) valid() bool {
	for _, x := range PositiveKinds {
		if x == k {
			return true
		}
	}
	for _, x := range BenignKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Config configures a generator. The zero value means the defaults, documented field by field.
type Config struct {
	// Seed makes the output reproducible: the same Config gives the same conversations, byte for
	// byte, on every run and platform. Conversation i depends only on Seed and i. Default 0 (a seed
	// like any other).
	Seed int64
	// N is how many conversations [Generate] returns and after how many [Generator.Next] returns nil.
	// Default 1000; negative is an error.
	N int
	// Lang is "fr", "en", or "" for both (each conversation draws its language, half and half).
	Lang string
	// PositiveShare is the probability that a conversation is a positive (label sextortion), in
	// (0, 1]. Default 0.5. To generate benign conversations only, list benign kinds in Kinds.
	PositiveShare float64
	// Kinds restricts the scripts used; empty means all kinds. Positives use KindFinancial three
	// times out of four when both positive kinds are allowed; benign kinds are equally likely.
	// When Kinds holds only positive (or only benign) kinds, PositiveShare is ignored.
	Kinds []Kind
	// Start is the earliest start time of a conversation. Default 2024-01-01 00:00 UTC.
	Start time.Time
	// Days is the span, from Start, over which start times are spread (evenings and nights more
	// likely than mornings). Default 730.
	Days int
	// NoObfuscation turns off the typing styles (SMS abbreviations, typos, missing accents, emoji,
	// leetspeak, spaced letters) that are otherwise drawn per person.
	NoObfuscation bool
}

// ErrConfig is returned (wrapped) for an invalid [Config].
var ErrConfig = errors.New("invalid synth config")

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.N < 0:
		return c, fmt.Errorf("%w: N is %d, want >= 0", ErrConfig, c.N)
	case c.Lang != "" && c.Lang != "fr" && c.Lang != "en":
		return c, fmt.Errorf("%w: lang %q, want \"fr\", \"en\" or \"\"", ErrConfig, c.Lang)
	case c.PositiveShare < 0 || c.PositiveShare > 1:
		return c, fmt.Errorf("%w: positive share %v not in [0, 1]", ErrConfig, c.PositiveShare)
	case c.Days < 0:
		return c, fmt.Errorf("%w: days is %d, want >= 0", ErrConfig, c.Days)
	}
	for _, k := range c.Kinds {
		if !k.valid() {
			return c, fmt.Errorf("%w: unknown kind %q", ErrConfig, k)
		}
	}
	if c.N == 0 {
		c.N = 1000
	}
	if c.PositiveShare == 0 {
		c.PositiveShare = 0.5
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if c.Days == 0 {
		c.Days = 730
	}
	return c, nil
}
