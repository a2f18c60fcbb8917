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

// Grooming kinds (label grooming): an adult wins a child's trust to obtain images or a meeting,
// without threats or demands for money. The child is 11 to 15 and says so; the offender lies about
// their age (a same-age or 15 to 17 year old profile) or is an adult who flatters the child's
// maturity or talent. Every script goes, in order, through contact, flattery or trust building,
// then risk checks or secrecy, then image requests or a meeting proposal (seeds/004: the
// cybergrooming fact sheet; seeds/000: the elements of art. 433bis/1 of the Belgian Criminal Code:
// a lie about identity or age, insistence on discretion, gifts or advantages promised).
const (
	// KindGroomingPeer: a fake profile of the child's age met in a game or on a social network;
	// compliments, listening to problems, confidences, risk checks ("are your parents home?"),
	// secrecy, a move to another app, image requests, sometimes a meeting proposal.
	KindGroomingPeer Kind = "grooming_peer"
	// KindGroomingGamerGifts: an online gaming "friend" who offers game currency (Robux, V-Bucks,
	// gems) or skins, then asks for secrecy, pictures or a cam call, on Discord or Snapchat.
	KindGroomingGamerGifts Kind = "grooming_gamer_gifts"
	// KindGroomingMentor: an adult "coach", "photographer", "modelling agent" or "producer" who
	// flatters the child's maturity or talent, isolates them from their parents, offers clothes,
	// phone credit or a train ticket, asks personal then sexual questions (non-explicit wording) and
	// proposes a meeting.
	KindGroomingMentor Kind = "grooming_mentor"
	// KindGroomingSlow: one of the three personas above over weeks, with many ordinary messages
	// between sessions, so that the cues are sparse.
	KindGroomingSlow Kind = "grooming_slow"
	// KindGroomingCutShort: one of the three personas above, cut short when the child refuses the
	// request and says they will tell a parent, or stops answering; the offender writes on alone.
	KindGroomingCutShort Kind = "grooming_cut_short"
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
	// A real coach, the child and a parent in one group, organizing a pickup for a match.
	KindBenignCoachPickup Kind = "benign_coach_pickup"
	KindBenignGameGift    Kind = "benign_game_gift"  // a cousin or an aunt sending game credit for a birthday
	KindBenignTeenFlirt   Kind = "benign_teen_flirt" // teens of the same age flirting innocently
	// A second-hand sale between strangers (eBay, Vinted, Leboncoin...): photos of the item, a price,
	// a payment, sometimes a deadline ("pay by tonight or I sell it") and a pickup place.
	KindBenignMarketplace Kind = "benign_marketplace"
)

// PositiveKinds and BenignKinds list every kind, in a stable order. SextortionKinds and
// GroomingKinds split PositiveKinds by label.
var (
	PositiveKinds = []Kind{KindFinancial, KindGroomingSextortion, KindGroomingPeer, KindGroomingGamerGifts,
		KindGroomingMentor, KindGroomingSlow, KindGroomingCutShort}
	SextortionKinds = []Kind{KindFinancial, KindGroomingSextortion}
	GroomingKinds   = []Kind{KindGroomingPeer, KindGroomingGamerGifts, KindGroomingMentor, KindGroomingSlow,
		KindGroomingCutShort}
	BenignKinds = []Kind{KindBenignCountdown, KindBenignGiftCard, KindBenignCoupleFlirt, KindBenignPhotos,
		KindBenignSchoolAges, KindBenignGamerTrash, KindBenignSplitBill, KindBenignGameCode, KindBenignParentHome,
		KindBenignCoachPickup, KindBenignGameGift, KindBenignTeenFlirt, KindBenignMarketplace}
)

// positiveWeight is the relative frequency of each positive kind among the positive kinds allowed:
// by default half the positives are sextortion (financial three times out of four) and half are
// grooming.
var positiveWeight = map[Kind]int{
	KindFinancial: 6, KindGroomingSextortion: 2,
	KindGroomingPeer: 2, KindGroomingGamerGifts: 2, KindGroomingMentor: 2, KindGroomingSlow: 1, KindGroomingCutShort: 1,
}

// Label returns the ground-truth label of conversations of kind k.
func (k Kind) Label() corpus.Label {
	switch k {
	case KindFinancial, KindGroomingSextortion:
		return corpus.LabelSextortion
	case KindGroomingPeer, KindGroomingGamerGifts, KindGroomingMentor, KindGroomingSlow, KindGroomingCutShort:
		return corpus.LabelGrooming
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
	// PositiveShare is the probability that a conversation is a positive (label sextortion or
	// grooming), in (0, 1]. Default 0.5. To generate benign conversations only, list benign kinds in
	// Kinds.
	PositiveShare float64
	// Kinds restricts the scripts used; empty means all kinds. Positive kinds are drawn with the
	// weights 6 (KindFinancial), 2 (KindGroomingSextortion), 2 (KindGroomingPeer),
	// 2 (KindGroomingGamerGifts), 2 (KindGroomingMentor), 1 (KindGroomingSlow) and
	// 1 (KindGroomingCutShort) among those allowed: by default half the positives are sextortion and
	// half grooming. Benign kinds are equally likely. When Kinds holds only positive (or only
	// benign) kinds, PositiveShare is ignored.
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
