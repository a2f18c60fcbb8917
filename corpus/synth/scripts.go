package synth

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/corpus"
)

// other returns the participant who is not p.
func (c *conv) other(p *person) *person {
	if p == c.a {
		return c.b
	}
	return c.a
}

// variant draws a variant of block name, avoiding the ones this conversation already used. A
// training conversation draws from the block's seen variants, a dev or test one from its held-out
// variants.
func (c *conv) variant(name string) (*Block, string) {
	b := c.blocks[name]
	if b == nil {
		c.fail(fmt.Errorf("no block %q for %s", name, c.lang))
		return nil, ""
	}
	pool := b.seen
	if c.heldOut {
		pool = b.unseen
	}
	for try := 0; ; try++ {
		s := pick(c.r, pool)
		if !c.used[s] || try >= 8 {
			c.used[s] = true
			return b, s
		}
	}
}

func tone(stages []string) string {
	for _, s := range stages {
		switch s {
		case StageThreatExpose, StageContactLeverage, StageCountdown, StagePaymentDemand, StageMoreContentDemand:
			return "threat"
		case StageVictimDistress, StageVictimBlock:
			return "distress"
		}
	}
	return "friendly"
}

// add appends one rendered segment spoken by p.
func (c *conv) add(p *person, seg string, stages []string, g gap) {
	if seg == "{image}" {
		c.image(p, stages, g)
		return
	}
	text, err := render(seg, c.v, p, c.other(p))
	if err != nil {
		c.fail(err)
		return
	}
	if !c.noObf {
		text = c.obfuscate(p, text, tone(stages))
	}
	c.drafts = append(c.drafts, draft{author: p, text: text, stages: stages, gap: g})
}

// obfuscate types text in p's style, leaving addresses, codes and handles as they are: a bitcoin
// address in lower case would no longer be valid.
func (c *conv) obfuscate(p *person, text, tone string) string {
	var kept []string
	for _, k := range []string{"btc", "code", "lobby", "apptag", "mtcn"} {
		if val := c.v[k]; val != "" && strings.Contains(text, val) {
			text = strings.ReplaceAll(text, val, "\x00"+strconv.Itoa(len(kept))+"\x00")
			kept = append(kept, val)
		}
	}
	text = c.styles[p].apply(c.r, c.lang, text, tone)
	for i, val := range kept {
		text = strings.ReplaceAll(text, "\x00"+strconv.Itoa(i)+"\x00", val)
	}
	return text
}

// image appends an image sent by p: an attachment without text, or the "[photo]" marker that some
// exports write instead.
func (c *conv) image(p *person, stages []string, g gap) {
	d := draft{author: p, image: true, stages: stages, gap: g}
	if c.r.IntN(4) == 0 {
		d.image, d.text = false, "[photo]"
	}
	c.drafts = append(c.drafts, d)
}

// say appends a variant of block name spoken by p; its later segments follow in a burst.
func (c *conv) say(p *person, name string, g gap) {
	b, s := c.variant(name)
	if b == nil {
		return
	}
	for i, seg := range strings.Split(s, segSep) {
		if i > 0 {
			g = gapBurst
		}
		c.add(p, seg, b.Stages, g)
	}
}

// reply is say for the victim, who answers with probability resp (else not at all, or tersely).
func (c *conv) reply(p *person, name string, g gap, resp float64) {
	if c.r.Float64() < resp {
		c.say(p, name, g)
		return
	}
	if c.r.IntN(2) == 0 {
		c.say(p, "v_short", g)
	}
}

// dialogue appends a variant of a dialogue block, A being x, B being y and C the conversation's
// third person.
func (c *conv) dialogue(name string, x, y *person, first gap, fast bool) {
	b, s := c.variant(name)
	if b == nil {
		return
	}
	var prev *person
	for i, seg := range strings.Split(s, segSep) {
		p := x
		switch {
		case strings.HasPrefix(seg, "B: "):
			p = y
		case strings.HasPrefix(seg, "C: "):
			if c.third == nil {
				c.fail(fmt.Errorf("block %s: a \"C: \" segment in a conversation of two", b.File))
				return
			}
			p = c.third
		}
		seg = seg[3:]
		g := first
		switch {
		case i == 0:
		case p == prev:
			g = gapBurst
		case fast:
			g = gapFast
		default:
			g = pick(c.r, []gap{gapShort, gapShort, gapChat})
		}
		c.add(p, seg, b.Stages, g)
		prev = p
	}
}

func has(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func (c *conv) chance(p float64) bool { return c.r.Float64() < p }

func (c *conv) markImage() {
	if c.imageAt < 0 {
		c.imageAt = len(c.drafts) - 1
	}
}

func (c *conv) markDemand() {
	if c.demandAt < 0 {
		c.demandAt = len(c.drafts)
	}
}

// responsiveness draws how readily the victim answers: most answer, some say little.
func (c *conv) responsiveness() float64 {
	return pick(c.r, []float64{1, 1, 1, 0.9, 0.8, 0.6, 0.35})
}

// financial writes a financial sextortion: minutes of contact and flirting, the bait, the image,
// then at once threats and, about 45 minutes after the image, the first payment demand.
func (c *conv) financial() {
	o, v := c.a, c.b
	resp := c.responsiveness()
	c.say(o, "opening", gapChat)
	if c.chance(0.3) {
		c.say(o, "compliment", gapBurst)
	}
	c.reply(v, "v_greeting", gapChat, resp)
	if c.chance(0.7) {
		c.say(o, "identity", gapChat)
		c.reply(v, "v_answer", gapChat, resp)
	}
	for n := 1 + c.r.IntN(3); n > 0; n-- {
		c.say(o, "question", gapChat)
		c.reply(v, "v_answer", gapChat, resp)
	}
	c.say(o, "compliment", gapChat)
	c.reply(v, "v_flirt", gapChat, resp)
	if c.chance(0.8) {
		c.say(o, "platform_move", gapChat)
		c.reply(v, pick(c.r, []string{"v_short", "v_short", "v_answer"}), gapChat, resp)
	}
	for n := 1 + c.r.IntN(2); n > 0; n-- {
		c.say(o, "flirt", gapChat)
		c.reply(v, "v_flirt", gapChat, resp)
	}
	if c.chance(0.5) {
		c.say(o, "risk_check", gapChat)
		c.reply(v, "v_answer", gapChat, resp)
	}
	c.say(o, "reciprocity_bait", gapChat)
	if c.chance(0.5) {
		c.say(v, "v_hesitate", gapChat)
		c.say(o, pick(c.r, []string{"flirt", "compliment", "reciprocity_bait"}), gapChat)
	}
	if c.chance(0.7) {
		c.image(o, []string{StageReciprocityBait}, gapChat)
		c.say(o, "bait_push", gapBurst)
	}
	c.image(v, []string{StageVictimImage}, gapChat)
	c.markImage()

	// At once: the threat.
	c.say(o, "threat_expose", gapFast)
	c.reply(v, "v_panic", gapFast, max(resp, 0.7))
	if c.chance(0.75) {
		c.say(o, "contact_leverage", gapFast)
		if c.chance(0.5) {
			c.image(o, []string{StageContactLeverage}, gapBurst)
		}
	}
	c.reply(v, "v_plead", gapFast, resp)
	if c.chance(0.7) {
		c.say(o, "pressure", gapFast)
	}
	if c.chance(0.3) {
		c.say(o, "countdown", gapFast)
	}
	if c.chance(0.5) {
		c.reply(v, pick(c.r, []string{"v_plead", "v_panic", "v_age"}), gapFast, resp)
		c.say(o, "threat_expose", gapFast)
	}
	c.markDemand()
	c.say(o, "payment_demand", gapFast)
	c.say(o, "pay_"+c.family, gapBurst)
	if c.chance(0.6) {
		c.say(o, "countdown", gapFast)
	}
	c.financialEnding(resp)
}

func (c *conv) financialEnding(resp float64) {
	o, v := c.a, c.b
	switch c.r.IntN(6) {
	case 0: // blocks at once
		c.reply(v, pick(c.r, []string{"v_plead", "v_no_money"}), gapFast, resp)
		c.say(v, "v_block", gapFast)
	case 1: // no money; the offender negotiates and threatens again; the victim goes silent
		c.say(v, "v_no_money", gapFast)
		c.say(o, "negotiate", gapFast)
		c.reply(v, pick(c.r, []string{"v_no_money", "v_plead", "v_age"}), gapFast, resp)
		c.say(o, pick(c.r, []string{"pressure", "threat_expose", "contact_leverage"}), gapFast)
		c.say(o, "countdown", gapFast)
		if c.chance(0.5) {
			c.say(o, "pressure", gapChat)
		}
	case 2: // partial payment, then a new demand
		c.say(v, "v_no_money", gapFast)
		c.say(o, "negotiate", gapFast)
		c.say(v, "v_partial", gapFast)
		c.say(o, pick(c.r, []string{"negotiate", "pressure"}), gapFast)
		c.paid()
		c.say(o, "new_demand", gapChat)
		c.reply(v, "v_plead", gapFast, resp)
		if c.chance(0.5) {
			c.say(v, "v_block", gapFast)
		} else {
			c.say(o, "countdown", gapFast)
		}
	case 3: // pays, then a new demand
		if c.chance(0.5) {
			c.say(v, "v_age", gapFast)
			c.say(o, "negotiate", gapFast)
		}
		c.paid()
		c.say(o, "new_demand", gapChat)
		c.reply(v, pick(c.r, []string{"v_panic", "v_plead"}), gapFast, resp)
		c.say(o, pick(c.r, []string{"countdown", "pressure", "threat_expose"}), gapFast)
		if c.chance(0.3) {
			c.say(o, "more_content", gapFast)
		}
	case 4: // pleading, more threats, more content instead of money
		c.say(v, "v_no_money", gapFast)
		c.say(o, "more_content", gapFast)
		c.reply(v, "v_plead", gapFast, resp)
		c.say(o, "countdown", gapFast)
		if c.chance(0.5) {
			c.say(v, "v_block", gapFast)
		}
	default: // the victim stays silent; the offender presses on
		c.say(o, "pressure", gapChat)
		if c.chance(0.6) {
			c.say(o, "contact_leverage", gapFast)
		}
		c.say(o, pick(c.r, []string{"countdown", "threat_expose"}), gapFast)
		c.reply(v, "v_plead", gapChat, resp)
	}
}

// paid writes the victim paying: a message, sometimes the code or the transfer number itself.
func (c *conv) paid() {
	v := c.b
	c.say(v, "v_paid", gapChat)
	switch {
	case c.family == "giftcard" && c.chance(0.6):
		c.drafts = append(c.drafts, draft{author: v, text: c.v["code"], stages: []string{StagePaymentMade}, gap: gapBurst})
	case c.family == "transfer" && c.chance(0.6):
		c.drafts = append(c.drafts, draft{author: v, text: "MTCN " + c.v["mtcn"], stages: []string{StagePaymentMade}, gap: gapBurst})
	}
}

// groomingSextortion writes days of trust building (grooming-like), then images, then threats to
// obtain more images.
func (c *conv) groomingSextortion() {
	o, v := c.a, c.b
	resp := c.responsiveness()
	c.say(o, "opening", gapChat)
	c.reply(v, "v_greeting", gapChat, resp)
	c.say(o, "identity", gapChat)
	c.reply(v, "v_answer", gapChat, resp)
	for n := 1 + c.r.IntN(2); n > 0; n-- {
		c.say(o, "question", gapChat)
		c.reply(v, "v_answer", gapChat, resp)
	}
	c.say(o, "compliment", gapChat)
	c.reply(v, "v_flirt", gapChat, resp)
	sessions := 2 + c.r.IntN(5)
	moved := false
	for s := 0; s < sessions; s++ {
		c.say(o, pick(c.r, []string{"opening_again", "question"}), gapSession)
		c.reply(v, "v_answer", gapChat, resp)
		for n := 1 + c.r.IntN(3); n > 0; n-- {
			switch c.r.IntN(7) {
			case 0, 1:
				c.say(v, "v_confide", gapChat)
				c.say(o, "trust_building", gapChat)
			case 2:
				c.say(o, "trust_building", gapChat)
				c.reply(v, "v_answer", gapChat, resp)
			case 3:
				c.say(o, "compliment", gapChat)
				c.reply(v, "v_flirt", gapChat, resp)
			case 4:
				c.say(o, "secrecy", gapChat)
				c.reply(v, "v_short", gapChat, resp)
			case 5:
				c.say(o, "isolation", gapChat)
				c.reply(v, "v_answer", gapChat, resp)
			default:
				c.say(o, "gift_offer", gapChat)
				c.reply(v, "v_flirt", gapChat, resp)
			}
		}
		if !moved && s >= 1 && c.chance(0.6) {
			c.say(o, "platform_move", gapChat)
			c.reply(v, "v_short", gapChat, resp)
			moved = true
		}
	}
	// The last evening: images.
	c.say(o, "flirt", gapSession)
	c.reply(v, "v_flirt", gapChat, resp)
	if c.chance(0.6) {
		c.say(o, "risk_check", gapChat)
		c.reply(v, "v_answer", gapChat, resp)
	}
	c.say(o, "image_request", gapChat)
	c.say(v, "v_hesitate", gapChat)
	if c.chance(0.5) {
		c.say(o, "secrecy", gapChat)
	} else {
		c.say(o, "reciprocity_bait", gapChat)
	}
	c.image(v, []string{StageVictimImage}, gapChat)
	c.markImage()
	if c.chance(0.5) {
		c.say(o, "compliment", gapFast)
		c.say(o, "image_request", gapBurst)
		c.say(v, "v_hesitate", gapFast)
	}
	c.say(o, "threat_expose", gapFast)
	c.reply(v, "v_panic", gapFast, max(resp, 0.7))
	if c.chance(0.5) {
		c.say(o, "contact_leverage", gapFast)
		c.reply(v, "v_plead", gapFast, resp)
	}
	c.markDemand()
	c.say(o, "more_content", gapFast)
	if c.chance(0.5) {
		c.say(o, "countdown", gapFast)
	}
	c.reply(v, pick(c.r, []string{"v_plead", "v_age", "v_panic"}), gapFast, resp)
	switch c.r.IntN(4) {
	case 0:
		c.say(v, "v_block", gapFast)
	case 1:
		c.say(o, "more_content", gapFast)
		c.say(o, "pressure", gapFast)
	case 2:
		c.say(o, "payment_demand", gapFast)
		c.say(o, "pay_"+c.family, gapBurst)
		c.reply(v, "v_no_money", gapFast, resp)
	default:
		c.say(o, "threat_expose", gapFast)
		c.reply(v, "v_plead", gapFast, resp)
		c.say(o, "more_content", gapFast)
	}
}

var benignBlock = map[Kind]string{
	KindBenignCountdown: "b_countdown", KindBenignGiftCard: "b_giftcard", KindBenignCoupleFlirt: "b_couple",
	KindBenignPhotos: "b_photos", KindBenignSchoolAges: "b_school", KindBenignGamerTrash: "b_gamer",
	KindBenignSplitBill: "b_bill", KindBenignGameCode: "b_gamecode", KindBenignParentHome: "b_parent",
	KindBenignCoachPickup: "b_coach", KindBenignGameGift: "b_gamegift", KindBenignTeenFlirt: "b_teenflirt",
	KindBenignMarketplace: "b_market",
}

// threeWay reports whether the benign kind k uses a "C: " speaker.
func threeWay(k Kind) bool { return k == KindBenignCoachPickup }

// benign writes a look-alike: small talk around one to three exchanges of the kind's topic.
func (c *conv) benign() {
	x, y := c.a, c.b
	// In these kinds A is the adult (parent, coach, relative): the roles are not swapped.
	fixed := c.kind == KindBenignParentHome || c.kind == KindBenignCoachPickup || c.kind == KindBenignGameGift
	if !fixed && c.chance(0.5) {
		x, y = y, x
	}
	fast := c.kind == KindBenignGamerTrash
	first := gapChat
	if !fixed && c.chance(0.6) {
		c.dialogue("b_smalltalk", x, y, gapChat, fast)
	}
	for n := 1 + c.r.IntN(3); n > 0; n-- {
		c.dialogue(benignBlock[c.kind], x, y, first, fast)
		first = gapChat
		if c.chance(0.2) {
			first = gapSession
		}
	}
	if c.chance(0.4) {
		c.dialogue("b_closing", x, y, gapChat, false)
	}
}

// zone returns the time zone of a conversation: France for French, by currency for English.
func (c *conv) zone() *time.Location {
	if c.lang == "fr" {
		return time.FixedZone("", 3600)
	}
	switch c.cur {
	case "£":
		return time.UTC
	case "€":
		return time.FixedZone("", 0)
	}
	return time.FixedZone("", -5*3600)
}

// messages times the drafts and writes them into conv.
func (c *conv) messages(conv *corpus.Conversation, cfg Config) {
	gaps := make([]time.Duration, len(c.drafts))
	t0 := startTime(c.r, cfg.Start, cfg.Days, c.zone())
	sessionAt := map[int]bool{}
	for i, d := range c.drafts {
		if i == 0 {
			continue
		}
		if d.gap == gapSession || d.gap == gapLong {
			sessionAt[i] = true
			continue
		}
		gaps[i] = d.gap.draw(c.r)
	}
	// Stretch the silences between the victim's image and the first demand to the scripted window.
	if c.imageAt >= 0 && c.demandAt > c.imageAt {
		median, lo, hi := financialMedian, financialMin, financialMax
		if c.kind == KindGroomingSextortion {
			median, lo, hi = groomingMedian, groomingMin, groomingMax
		}
		target := logNormal(c.r, median, 0.4, lo, hi)
		threatAt := c.demandAt
		for i := c.imageAt + 1; i < c.demandAt; i++ {
			if has(c.drafts[i].stages, StageThreatExpose) {
				threatAt = i
				break
			}
		}
		// The threat comes at once; the silences that stretch the window come after it.
		var window time.Duration
		var silences []int
		for i := c.imageAt + 1; i <= c.demandAt; i++ {
			window += gaps[i]
			if i > threatAt && c.drafts[i].author == c.a && c.drafts[i].gap != gapBurst {
				silences = append(silences, i)
			}
		}
		if len(silences) == 0 {
			silences = []int{c.demandAt}
		}
		if extra := target - window; extra > 0 {
			k := 1 + c.r.IntN(min(3, len(silences)))
			chosen := make([]int, 0, k)
			for _, j := range c.r.Perm(len(silences))[:k] {
				chosen = append(chosen, silences[j])
			}
			left := extra
			for j, i := range chosen {
				part := left
				if j < len(chosen)-1 {
					part = time.Duration(c.r.Float64() * float64(left))
				}
				part = part.Truncate(time.Second)
				gaps[i] += part
				left -= part
			}
			gaps[chosen[0]] += left // what truncation left over
		}
	}
	t := t0
	for i, d := range c.drafts {
		if sessionAt[i] {
			t = nextSession(c.r, t, d.gap == gapLong)
		} else {
			t = t.Add(gaps[i])
		}
		m := corpus.Message{ID: strconv.Itoa(i + 1), Author: d.author.display, Time: t, Text: d.text}
		if d.image {
			m.Attachments = []corpus.Attachment{{Kind: corpus.AttachmentImage}}
		}
		conv.Messages = append(conv.Messages, m)
	}
}
