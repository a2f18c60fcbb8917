package synth

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/vigie/vigie/corpus"
)

// Version names the generator's output. It changes whenever the same Config gives other conversations.
const Version = "synth/5"

// Generator streams synthetic conversations. It is not safe for concurrent use; distinct generators
// are independent.
type Generator struct {
	cfg    Config
	blocks blockSet
	i      int
	err    error
}

// NewGenerator validates cfg and loads the embedded building blocks.
func NewGenerator(cfg Config) (*Generator, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	list, err := LoadBlocks(nil)
	if err != nil {
		return nil, fmt.Errorf("load synth blocks: %w", err)
	}
	return &Generator{cfg: cfg, blocks: indexBlocks(list)}, nil
}

// Next returns the next conversation, or nil after Config.N conversations or on an error (see Err).
func (g *Generator) Next() *corpus.Conversation {
	if g.err != nil || g.i >= g.cfg.N {
		return nil
	}
	c, err := g.conversation(g.i)
	if err != nil {
		g.err = err
		return nil
	}
	g.i++
	return c
}

// Err returns the error that stopped Next, if any. It can only come from a defect in the embedded
// blocks, which the package tests rule out.
func (g *Generator) Err() error { return g.err }

// Generate returns cfg.N synthetic conversations.
func Generate(cfg Config) ([]*corpus.Conversation, error) {
	g, err := NewGenerator(cfg)
	if err != nil {
		return nil, err
	}
	out := make([]*corpus.Conversation, 0, g.cfg.N)
	for c := g.Next(); c != nil; c = g.Next() {
		out = append(out, c)
	}
	return out, g.Err()
}

// Split assigns a conversation id to "train", "dev" or "test" (70/15/15) from an FNV-1a hash of
// the id: stable across runs, versions and machines.
func Split(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	switch x := h.Sum64() % 100; {
	case x < 70:
		return "train"
	case x < 85:
		return "dev"
	}
	return "test"
}

// chooseKind draws the kind of conversation i.
func (g *Generator) chooseKind(r *rand.Rand) Kind {
	var pos, ben []Kind
	kinds := g.cfg.Kinds
	if len(kinds) == 0 {
		kinds = append(append([]Kind(nil), PositiveKinds...), BenignKinds...)
	}
	for _, k := range kinds {
		if k.Label() != corpus.LabelBenign {
			pos = append(pos, k)
		} else {
			ben = append(ben, k)
		}
	}
	positive := len(ben) == 0 || (len(pos) > 0 && r.Float64() < g.cfg.PositiveShare)
	if positive {
		total := 0
		for _, k := range pos {
			total += positiveWeight[k]
		}
		x := r.IntN(total)
		for _, k := range pos {
			if x < positiveWeight[k] {
				return k
			}
			x -= positiveWeight[k]
		}
	}
	return ben[r.IntN(len(ben))]
}

// conv builds one conversation.
type conv struct {
	r      *rand.Rand
	lang   string
	kind   Kind
	blocks map[string]*Block
	v      values
	a, b   *person // offender and victim for positives
	third  *person // the "C: " speaker of dialogue blocks, in group conversations
	// persona is the offender's role in grooming scripts: "peer", "gamer" or "mentor".
	persona string
	styles  map[*person]style
	drafts  []draft
	used    map[string]bool // variants already used, so that a conversation does not repeat itself
	noObf   bool
	heldOut bool // a dev or test conversation: phrase blocks give their held-out variants
	err     error
	family  string // payment rail family: giftcard, transfer, crypto, app
	cur     string // currency symbol, which also sets the time zone
	// marks
	imageAt, demandAt int
}

type draft struct {
	author *person
	text   string
	image  bool
	stages []string
	gap    gap
}

func (g *Generator) conversation(i int) (*corpus.Conversation, error) {
	r := rand.New(rand.NewPCG(uint64(g.cfg.Seed), uint64(i)))
	lang := g.cfg.Lang
	if lang == "" {
		lang = [2]string{"fr", "en"}[r.IntN(2)]
	}
	kind := g.chooseKind(r)
	id := fmt.Sprintf("syn-s%d-%06d", g.cfg.Seed, i)
	c := &conv{r: r, lang: lang, kind: kind, blocks: g.blocks[lang], styles: map[*person]style{},
		used: map[string]bool{}, noObf: g.cfg.NoObfuscation, heldOut: Split(id) != "train", imageAt: -1, demandAt: -1}
	c.cast()
	c.fill()
	switch kind {
	case KindFinancial:
		c.financial()
	case KindGroomingSextortion:
		c.groomingSextortion()
	case KindGroomingPeer, KindGroomingGamerGifts, KindGroomingMentor, KindGroomingSlow, KindGroomingCutShort:
		c.grooming()
	default:
		c.benign()
	}
	if c.err != nil {
		return nil, fmt.Errorf("synth conversation %d (%s, %s): %w", i, kind, lang, c.err)
	}
	conv := &corpus.Conversation{
		ID:        id,
		Platform:  "synthetic",
		Label:     kind.Label(),
		Synthetic: true,
		Lang:      lang,
		Source:    corpus.Source{Reader: Version},
	}
	c.messages(conv, g.cfg)
	if kind.Label() != corpus.LabelBenign {
		conv.Suspects = []string{c.a.display}
		conv.Participants = []corpus.Participant{{ID: c.a.display, Role: "suspect"}, {ID: c.b.display, Role: "victim"}}
	} else {
		for _, a := range conv.Authors() {
			conv.Participants = append(conv.Participants, corpus.Participant{ID: a})
		}
	}
	stages := map[string][]string{}
	for j, d := range c.drafts {
		if len(d.stages) > 0 {
			stages[conv.Messages[j].ID] = d.stages
		}
	}
	sj, err := json.Marshal(stages)
	if err != nil {
		return nil, err
	}
	kj, _ := json.Marshal(string(kind))
	gj, _ := json.Marshal(struct {
		Version string `json:"version"`
		Seed    int64  `json:"seed"`
		Index   int    `json:"index"`
	}{Version, g.cfg.Seed, i})
	conv.Extra = map[string][]byte{"synthetic_stages": sj, "synthetic_kind": kj, "synthetic_generator": gj}
	if kind.Label() == corpus.LabelGrooming {
		vage, _ := strconv.Atoi(c.v["vage"])
		fage, _ := strconv.Atoi(c.v["fage"])
		xj, err := json.Marshal(struct {
			Persona    string `json:"persona"`
			VictimAge  int    `json:"victim_age"`
			ClaimedAge int    `json:"claimed_age"`
		}{c.persona, vage, fage})
		if err != nil {
			return nil, err
		}
		conv.Extra["synthetic_grooming"] = xj
	}
	return conv, nil
}

// list returns the entries of a list block.
func (c *conv) list(name string) []string {
	b := c.blocks[name]
	if b == nil {
		c.fail(fmt.Errorf("no list %q for %s", name, c.lang))
		return []string{"?"}
	}
	return b.Variants
}

func (c *conv) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// newPerson draws a person of the given gender (random when gender < 0).
func (c *conv) newPerson(gender int, handle bool) *person {
	female := c.r.IntN(2) == 0
	if gender >= 0 {
		female = gender == 1
	}
	names := c.list("names_male")
	if female {
		names = c.list("names_female")
	}
	first := pick(c.r, names)
	p := &person{first: first, display: first, female: female}
	if handle {
		p.display = username(c.r, first)
	}
	return p
}

// cast draws the two participants and how they type.
func (c *conv) cast() {
	r := c.r
	switch c.kind {
	case KindFinancial, KindGroomingSextortion:
		// Financial sextortion targets boys mostly, sexual sextortion girls (OFMIN 2024, Europol).
		victimFemale := r.IntN(5) == 0
		if c.kind == KindGroomingSextortion {
			victimFemale = r.IntN(20) < 17
		}
		c.b = c.newPerson(b2i(victimFemale), r.IntN(2) == 0)
		fakeFemale := !victimFemale
		if r.IntN(10) == 0 {
			fakeFemale = !fakeFemale
		}
		c.a = c.newPerson(b2i(fakeFemale), true)
		for c.a.display == c.b.display {
			c.a.display += strconv.Itoa(r.IntN(10))
		}
		c.styles[c.a] = newStyle(r, true)
		c.styles[c.b] = newStyle(r, false)
	case KindGroomingPeer, KindGroomingGamerGifts, KindGroomingMentor, KindGroomingSlow, KindGroomingCutShort:
		c.castGrooming()
	case KindBenignCoachPickup:
		// The coach, the child, and a parent who is in the group.
		c.a = c.newPerson(b2i(r.IntN(4) == 0), false)
		c.a.display = "Coach " + c.a.first
		c.b = c.newPerson(-1, r.IntN(3) == 0)
		c.third = c.newPerson(-1, false)
		for c.third.first == c.b.first || c.third.first == c.a.first || c.b.first == c.a.first {
			c.third = c.newPerson(-1, false)
			c.b = c.newPerson(-1, r.IntN(3) == 0)
		}
		c.third.display = c.third.first + " " + pick(r, c.list("surnames"))
		c.styles[c.a] = newStyle(r, false)
		c.styles[c.b] = newStyle(r, false)
		c.styles[c.third] = newStyle(r, false)
	case KindBenignParentHome:
		c.b = c.newPerson(-1, r.IntN(3) == 0)
		parents := map[string][][2]string{"fr": {{"Maman", "f"}, {"Papa", "m"}, {"Maman ❤️", "f"}, {"Papa", "m"}},
			"en": {{"Mom", "f"}, {"Dad", "m"}, {"Mum", "f"}, {"Dad", "m"}}}
		p := pick(r, parents[c.lang])
		c.a = &person{display: p[0], first: strings.TrimSuffix(p[0], " ❤️"), female: p[1] == "f"}
		c.styles[c.a] = newStyle(r, false)
		c.styles[c.b] = newStyle(r, false)
	default:
		c.a = c.newPerson(-1, r.IntN(2) == 0)
		c.b = c.newPerson(-1, r.IntN(2) == 0)
		for c.b.first == c.a.first {
			c.b = c.newPerson(-1, r.IntN(2) == 0)
		}
		for c.a.display == c.b.display {
			c.b.display += strconv.Itoa(r.IntN(10))
		}
		c.styles[c.a] = newStyle(r, false)
		c.styles[c.b] = newStyle(r, false)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fill draws the slot values of the conversation.
func (c *conv) fill() {
	r, lang := c.r, c.lang
	v := values{}
	v["victim"] = c.b.first
	v["offender"] = c.a.display
	v["fake"] = c.a.first
	v["fage"] = strconv.Itoa(15 + r.IntN(5))
	v["vage"] = strconv.Itoa(13 + r.IntN(5))
	v["city"] = pick(r, c.list("cities"))
	v["grade"] = pick(r, grades[lang])
	v["school"] = pick(r, c.list("schools"))
	friends := c.list("names_female")
	friends = append(append([]string(nil), friends...), c.list("names_male")...)
	for _, k := range []string{"friend", "friend2", "friend3", "relative"} {
		for {
			f := pick(r, friends)
			if f != c.b.first && f != c.a.first && f != v["friend"] && f != v["friend2"] {
				v[k] = f
				break
			}
		}
	}
	v["sibling"] = pick(r, c.list("names_female"))
	v["from"] = pick(r, platforms)
	for {
		v["app"] = pick(r, apps)
		if !strings.HasPrefix(v["app"], v["from"][:4]) {
			break
		}
	}
	v["handle"] = username(r, c.a.first)
	v["followers"] = strconv.Itoa(150 + r.IntN(2300))

	cur := "€"
	if lang == "en" {
		cur = pick(r, []string{"$", "$", "$", "£", "£", "€"})
	}
	rl := pick(r, rails[lang])
	if rl.cur != "" {
		cur = rl.cur
	}
	c.v = v
	c.cur = cur
	amounts := []int{50, 100, 100, 150, 200, 200, 250, 300, 300, 400, 500, 500, 600, 800, 1000, 1500, 2000}
	a1 := pick(r, amounts)
	a2 := pick(r, amounts)
	v["money"] = money(r, lang, cur, a1)
	v["money2"] = money(r, lang, cur, a2)
	v["partial"] = money(r, lang, cur, 10+5*r.IntN(7))
	v["share"] = money(r, lang, cur, 8+r.IntN(50))
	v["rail"] = rl.label
	v["appname"] = rl.brand
	v["transfer"] = rl.brand
	v["giftcard"] = rl.brand
	if rl.family != "giftcard" {
		v["giftcard"] = pick(r, []string{"Steam", "Google Play", "Apple", "Amazon"})
	}
	if rl.family != "transfer" {
		v["transfer"] = pick(r, []string{"Western Union", "MoneyGram"})
	}
	v["code"] = voucherCode(r, v["giftcard"])
	v["mtcn"] = digitsN(r, 10)
	v["btc"] = btcAddress(r)
	v["receiver"] = pick(r, friends) + " " + pick(r, c.list("surnames"))
	v["country"] = pick(r, countries[lang])
	tag := username(r, c.a.first)
	switch rl.brand {
	case "CashApp":
		v["apptag"] = "$" + strings.ReplaceAll(tag, ".", "")
	case "Revolut":
		v["apptag"] = "@" + strings.ReplaceAll(tag, ".", "")
	case "Lydia":
		v["apptag"] = "06 " + digitsN(r, 2) + " " + digitsN(r, 2) + " " + digitsN(r, 2) + " " + digitsN(r, 2)
	default:
		v["apptag"] = strings.ReplaceAll(tag, "_", ".") + pick(r, []string{"@gmail.com", "@outlook.com", "@yahoo.com", "@proton.me"})
	}
	if rl.family != "app" {
		v["appname"] = "PayPal"
	}
	v["minutes"] = pick(r, []string{"2", "3", "5", "5", "10", "10", "15", "20", "30"})
	v["deadline"] = pick(r, deadlines[lang])
	if lang == "fr" {
		v["hour"] = pick(r, []string{"18h", "19h", "20h", "21h", "17h30", "22h"})
	} else {
		v["hour"] = pick(r, []string{"6pm", "7pm", "8pm", "9pm", "5:30", "10pm"})
	}
	v["year"] = strconv.Itoa(2025 + r.IntN(3))
	v["game"] = pick(r, games)
	v["lobby"] = voucherCode(r, "")[:4] + strconv.Itoa(10+r.IntN(90))
	v["place"] = pick(r, places[lang])
	v["artist"] = pick(r, artists)
	v["brand"] = pick(r, giftBrand)
	v["item"] = pick(r, saleItems[lang])
	price := 10 + 5*r.IntN(50)
	v["price"] = money(r, lang, cur, price)
	v["discount"] = money(r, lang, cur, max(2, price*(10+r.IntN(21))/100))
	v["deposit"] = money(r, lang, cur, price/2)
	v["pickup"] = pick(r, pickups[lang])
	v["market"] = pick(r, markets[lang])
	c.family = rl.family
	c.fillGrooming()
}
