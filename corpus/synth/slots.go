package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// slotNames are the slots a template may use. Every conversation fills all of them, so that any block
// can be used in any script.
var slotNames = map[string]bool{
	// people and places
	"victim": true, "offender": true, "fake": true, "fage": true, "vage": true, "city": true, "grade": true,
	"school": true, "friend": true, "friend2": true, "friend3": true, "sibling": true, "other": true,
	"relative": true,
	// platforms
	"from": true, "app": true, "handle": true, "followers": true,
	// money and rails
	"money": true, "money2": true, "partial": true, "rail": true, "giftcard": true, "transfer": true,
	"receiver": true, "country": true, "btc": true, "apptag": true, "appname": true, "code": true,
	"mtcn": true,
	// time
	"minutes": true, "deadline": true, "hour": true, "year": true,
	// benign topics
	"game": true, "lobby": true, "place": true, "artist": true, "share": true, "brand": true,
	// a second-hand sale: the item (French: with its article), its price, a discount and a deposit
	// that fit the price, the platform, a public handover place
	"item": true, "price": true, "discount": true, "deposit": true, "market": true, "pickup": true,
	// grooming: the offender's real age when revealed, game currency, the "mentor" role and the
	// child's talent, a gift, a meeting place and day
	"rage": true, "credit": true, "role": true, "talent": true, "gift": true, "spot": true, "day": true,
}

// person is a participant of a generated conversation.
type person struct {
	display string // display name, used as Message.Author
	first   string // first name used when others address them
	female  bool
}

// rail is a payment channel that an offender names.
type rail struct {
	family string // giftcard, transfer, crypto, app
	label  string // as written in a message: "carte Steam", "Western Union"
	brand  string // "Steam", "Western Union", "PayPal"
	cur    string // forced currency symbol, "" for the conversation's
}

var rails = map[string][]rail{
	"fr": {
		{"giftcard", "carte Steam", "Steam", ""}, {"giftcard", "carte Google Play", "Google Play", ""},
		{"giftcard", "carte Apple", "Apple", ""}, {"giftcard", "carte Amazon", "Amazon", ""},
		{"giftcard", "recharge PCS", "PCS", "€"}, {"giftcard", "recharge Transcash", "Transcash", "€"},
		{"giftcard", "recharge Neosurf", "Neosurf", "€"}, {"giftcard", "Paysafecard", "Paysafecard", "€"},
		{"transfer", "Western Union", "Western Union", ""}, {"transfer", "MoneyGram", "MoneyGram", ""},
		{"transfer", "mandat cash", "mandat cash", "€"},
		{"crypto", "bitcoin", "bitcoin", ""}, {"crypto", "BTC", "bitcoin", ""},
		{"app", "PayPal", "PayPal", ""}, {"app", "Revolut", "Revolut", ""}, {"app", "Lydia", "Lydia", "€"},
	},
	"en": {
		{"giftcard", "Steam card", "Steam", ""}, {"giftcard", "Google Play card", "Google Play", ""},
		{"giftcard", "Apple gift card", "Apple", ""}, {"giftcard", "Amazon gift card", "Amazon", ""},
		{"giftcard", "Paysafecard", "Paysafecard", ""},
		{"transfer", "Western Union", "Western Union", ""}, {"transfer", "MoneyGram", "MoneyGram", ""},
		{"crypto", "bitcoin", "bitcoin", ""}, {"crypto", "BTC", "bitcoin", ""},
		{"app", "CashApp", "CashApp", "$"}, {"app", "PayPal", "PayPal", ""}, {"app", "Revolut", "Revolut", ""},
	},
}

var (
	platforms = []string{"Instagram", "Snapchat", "TikTok", "Discord", "Facebook", "Snapchat", "Instagram"}
	apps      = []string{"Snapchat", "WhatsApp", "Telegram", "Instagram", "Discord", "Snap", "Telegram"}
	giftBrand = []string{"Steam", "Google Play", "Apple", "Amazon", "Playstation", "Xbox", "Roblox", "Fnac"}
	games     = []string{"Fortnite", "Valorant", "Minecraft", "Rocket League", "Among Us", "Brawl Stars",
		"Apex", "Warzone", "Roblox", "League", "EA FC", "Overwatch"}
	countries = map[string][]string{
		"fr": {"France", "Belgique", "Côte d'Ivoire", "Maroc", "Bénin", "Suisse", "Sénégal", "Cameroun"},
		"en": {"Nigeria", "the Philippines", "Ghana", "the UK", "the US", "Canada", "Ivory Coast", "Kenya"},
	}
	deadlines = map[string][]string{
		"fr": {"minuit", "22h", "23h", "ce soir", "demain matin", "21h30", "la fin de l'heure"},
		"en": {"midnight", "10pm", "11pm", "tonight", "tomorrow morning", "9:30", "the end of the hour"},
	}
	grades = map[string][]string{
		"fr": {"3e", "seconde", "première", "terminale", "4e", "seconde", "1ère"},
		"en": {"9th grade", "10th grade", "year 10", "year 11", "sophomore year", "junior year", "year 9"},
	}
	places = map[string][]string{
		"fr": {"Barcelone", "la Bretagne", "Marseille", "Rome", "Annecy", "Londres", "la montagne", "Biarritz", "Lisbonne"},
		"en": {"Barcelona", "Cornwall", "Florida", "Rome", "the lake", "Edinburgh", "the mountains", "Vegas", "Lisbon"},
	}
	artists = []string{"Aya Nakamura", "Taylor Swift", "Angèle", "Stromae", "Billie Eilish", "Ninho",
		"Coldplay", "Dua Lipa", "Orelsan", "Travis Scott", "Harry Styles", "Jul"}
	// Second-hand items; French ones carry their article and are all masculine, so that "le",
	// "celui" and "vendu" agree in every variant.
	saleItems = map[string][]string{
		"fr": {"le vélo", "le manteau", "le téléphone", "le canapé", "l'appareil photo", "le bureau", "le sac à dos",
			"le casque audio", "le blouson", "le skate", "le siège auto", "le lot de livres", "le jean", "le micro-ondes"},
		"en": {"bike", "coat", "phone", "sofa", "camera", "desk", "backpack", "headset", "jacket", "skateboard",
			"car seat", "box of books", "stroller", "microwave"},
	}
	// Public places where strangers hand over a sold item (never the grooming meeting spots).
	pickups = map[string][]string{
		"fr": {"devant la gare", "sur le parking du Leclerc", "devant la poste", "à la sortie du métro", "devant la mairie",
			"au relais colis", "devant chez moi"},
		"en": {"outside the station", "in the Tesco car park", "outside the post office", "at the subway exit",
			"outside the town hall", "at my place", "in front of the library"},
	}
	markets = map[string][]string{
		"fr": {"Leboncoin", "Leboncoin", "Vinted", "Vinted", "Facebook Marketplace", "eBay"},
		"en": {"eBay", "Facebook Marketplace", "Vinted", "Depop", "Gumtree", "Craigslist"},
	}
	accentFree = strings.NewReplacer("'", "", " ", "", "-", "")
)

// values holds the slot values of one conversation.
type values map[string]string

// money formats an amount in the conversation's currency, in one of the ways people write it.
func money(r *rand.Rand, lang, cur string, amount int) string {
	a := strconv.Itoa(amount)
	if lang == "fr" {
		switch cur {
		case "$":
			return pick(r, []string{a + "$", a + " dollars"})
		default:
			return pick(r, []string{a + "€", a + " €", a + " euros", a + "€", a + " balles"})
		}
	}
	switch cur {
	case "£":
		return pick(r, []string{"£" + a, a + " pounds", "£" + a, a + " quid"})
	case "€":
		return pick(r, []string{"€" + a, a + " euros"})
	default:
		return pick(r, []string{"$" + a, "$" + a, a + " dollars", a + " bucks", a + "$"})
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// stripAccents removes the accents of French letters: "Inès" -> "Ines", "à" -> "a", as people
// typing fast do.
func stripAccents(s string) string { return accents.Replace(s) }

var accents = strings.NewReplacer("à", "a", "â", "a", "ä", "a", "á", "a", "ç", "c", "é", "e", "è", "e",
	"ê", "e", "ë", "e", "î", "i", "ï", "i", "í", "i", "ô", "o", "ö", "o", "ó", "o", "ù", "u", "û", "u",
	"ü", "u", "ú", "u", "ÿ", "y", "œ", "oe", "æ", "ae", "À", "A", "Â", "A", "Ç", "C", "É", "E", "È", "E",
	"Ê", "E", "Î", "I", "Ô", "O", "Ù", "U", "Û", "U", "Œ", "OE")

// username makes an anonymous-looking handle from a first name.
func username(r *rand.Rand, first string) string {
	n := strings.ToLower(accentFree.Replace(stripAccents(first)))
	const letters = "abcdefghijklmnoprstuvwxyz"
	suffix := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	switch r.IntN(8) {
	case 0:
		return n + "." + suffix(2+r.IntN(3))
	case 1:
		return n + "_" + strconv.Itoa(r.IntN(100))
	case 2:
		return "xx_" + n + "_xx"
	case 3:
		return n + strconv.Itoa(2005+r.IntN(8))
	case 4:
		return "its" + n
	case 5:
		return n + ".off"
	case 6:
		return n + "_" + suffix(3) + strconv.Itoa(r.IntN(10))
	default:
		return n + "." + suffix(1) + strconv.Itoa(10+r.IntN(90))
	}
}

// code returns a gift card or voucher code shaped like the brand's.
func voucherCode(r *rand.Rand, brand string) string {
	const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	const digits = "0123456789"
	gen := func(set string, groups ...int) string {
		var parts []string
		for _, g := range groups {
			b := make([]byte, g)
			for i := range b {
				b[i] = set[r.IntN(len(set))]
			}
			parts = append(parts, string(b))
		}
		return strings.Join(parts, "-")
	}
	switch brand {
	case "Steam":
		return gen(alnum, 5, 5, 5)
	case "Amazon":
		return gen(alnum, 4, 6, 4)
	case "Google Play", "Apple":
		return gen(alnum, 4, 4, 4, 4)
	case "PCS", "Transcash", "Neosurf":
		return gen(digits, 4, 4, 4, 4)
	case "Paysafecard":
		return gen(digits, 4, 4, 4, 4)
	}
	return gen(alnum, 4, 4, 4)
}

func digitsN(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// render fills the slots of one template segment.
func render(seg string, v values, speaker, addressee *person) (string, error) {
	if !strings.Contains(seg, "{") {
		return seg, nil
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(seg, '{')
		if i < 0 {
			b.WriteString(seg)
			return b.String(), nil
		}
		j := strings.IndexByte(seg[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("unclosed slot in %q", seg)
		}
		b.WriteString(seg[:i])
		name := seg[i+1 : i+j]
		seg = seg[i+j+1:]
		switch {
		case strings.HasPrefix(name, "g:"), strings.HasPrefix(name, "s:"):
			fem, masc, _ := strings.Cut(name[2:], "|")
			who := addressee
			if name[0] == 's' {
				who = speaker
			}
			if who != nil && who.female {
				b.WriteString(fem)
			} else {
				b.WriteString(masc)
			}
		case name == "other":
			if addressee != nil {
				b.WriteString(addressee.first)
			}
		default:
			val, ok := v[name]
			if !ok {
				return "", fmt.Errorf("no value for slot {%s}", name)
			}
			b.WriteString(val)
		}
	}
}
