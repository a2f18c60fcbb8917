package synth

import (
	"strconv"
	"strings"

	"github.com/vigie/vigie/corpus"
)

// Personas of the grooming scripts.
const (
	personaPeer   = "peer"   // a fake profile of the child's age
	personaGamer  = "gamer"  // an online gaming "friend" who gives game currency
	personaMentor = "mentor" // an adult coach, photographer, agent or producer
)

// castGrooming draws the persona, the child and the offender of a grooming script.
func (c *conv) castGrooming() {
	r := c.r
	switch c.kind {
	case KindGroomingPeer:
		c.persona = personaPeer
	case KindGroomingGamerGifts:
		c.persona = personaGamer
	case KindGroomingMentor:
		c.persona = personaMentor
	default: // slow and cut-short scripts take any persona
		c.persona = pick(r, []string{personaPeer, personaPeer, personaGamer, personaMentor})
	}
	victimFemale := r.IntN(10) < 7
	if c.persona == personaGamer {
		victimFemale = r.IntN(10) < 4
	}
	c.b = c.newPerson(b2i(victimFemale), r.IntN(2) == 0)
	var offFemale bool
	switch c.persona {
	case personaPeer: // a fake profile of the other gender mostly, sometimes a "friend" of the same
		offFemale = !victimFemale
		if r.IntN(4) == 0 {
			offFemale = victimFemale
		}
	case personaGamer:
		offFemale = r.IntN(10) == 0
	default:
		offFemale = r.IntN(8) == 0
	}
	c.a = c.newPerson(b2i(offFemale), true)
	for c.a.display == c.b.display || c.a.first == c.b.first {
		c.a = c.newPerson(b2i(offFemale), true)
	}
	c.styles[c.a] = newStyle(r, true)
	c.styles[c.b] = newStyle(r, false)
}

// mentorRole is a role that an adult "mentor" claims, and the child's talent that goes with it.
type mentorRole struct{ role, talent string }

var (
	mentorRoles = map[string][]mentorRole{
		"fr": {{"photographe", "la photo"}, {"coach de foot", "le foot"}, {"agent de mannequins", "le mannequinat"},
			{"recruteur pour un club de foot", "le foot"}, {"prof de danse", "la danse"},
			{"producteur de musique", "le chant"}, {"coach de basket", "le basket"},
			{"directeur de casting", "la comédie"}, {"manager de streamers", "le stream"}, {"coach de gym", "la gym"}},
		"en": {{"a photographer", "photography"}, {"a football coach", "football"}, {"a modelling agent", "modelling"},
			{"a scout for a football academy", "football"}, {"a dance teacher", "dancing"},
			{"a music producer", "singing"}, {"a basketball coach", "basketball"},
			{"a casting director", "acting"}, {"a manager for streamers", "streaming"}, {"a gymnastics coach", "gymnastics"}},
	}
	// gameCredit names each game's currency, in French and English.
	gameCredit = map[string][2]string{
		"Fortnite": {"V-Bucks", "V-Bucks"}, "Roblox": {"Robux", "Robux"}, "Brawl Stars": {"gemmes", "gems"},
		"Valorant": {"VP", "VP"}, "Minecraft": {"Minecoins", "Minecoins"}, "Rocket League": {"crédits", "credits"},
		"Among Us": {"étoiles", "stars"}, "Apex": {"Apex Coins", "Apex Coins"}, "Warzone": {"COD Points", "COD Points"},
		"League": {"RP", "RP"}, "EA FC": {"points FC", "FC Points"}, "Overwatch": {"pièces", "coins"},
	}
	kidGames = []string{"Roblox", "Fortnite", "Minecraft", "Brawl Stars", "Roblox", "Fortnite", "Among Us", "EA FC"}
	gifts    = map[string][]string{
		"fr": {"des AirPods", "un sweat Nike", "une paire de Jordan", "un nouveau téléphone", "une montre", "un sac Lacoste",
			"une coque de tel", "une enceinte", "un maillot du PSG"},
		"en": {"AirPods", "a Nike hoodie", "a pair of Jordans", "a new phone", "a watch", "a nice bag", "a phone case",
			"a speaker", "a football shirt"},
	}
	spots = map[string][]string{
		"fr": {"à la gare", "devant le McDo", "au parc", "au centre commercial", "devant ton collège", "à l'arrêt de bus",
			"au skatepark", "derrière le gymnase"},
		"en": {"at the station", "outside McDonald's", "at the park", "at the mall", "outside your school",
			"at the bus stop", "at the skatepark", "behind the sports hall"},
	}
	days = map[string][]string{
		"fr": {"samedi", "mercredi après-midi", "dimanche", "vendredi après les cours", "samedi matin", "pendant les vacances"},
		"en": {"Saturday", "Wednesday afternoon", "Sunday", "Friday after school", "Saturday morning", "over the holidays"},
	}
	// youngGrades gives, for a child's age, the school years they may be in.
	youngGrades = map[string]map[int][]string{
		"fr": {10: {"CM2", "6e"}, 11: {"6e", "6ème", "sixième"}, 12: {"5e", "6e", "5ème", "cinquième"},
			13: {"4e", "4ème", "5e", "quatrième"}, 14: {"3e", "4e", "3ème", "troisième"}, 15: {"3e", "seconde", "2nde"},
			16: {"seconde", "première"}},
		"en": {10: {"5th grade", "year 6"}, 11: {"6th grade", "year 7"}, 12: {"7th grade", "year 7", "year 8"},
			13: {"8th grade", "year 8", "year 9"}, 14: {"9th grade", "8th grade", "year 9", "year 10"},
			15: {"9th grade", "10th grade", "year 10", "year 11"}, 16: {"10th grade", "year 11"}},
	}
)

// fillGrooming draws the slots of the grooming scripts (for every conversation, so that every
// block can be used in any script), then the ages of the kinds that need young people.
func (c *conv) fillGrooming() {
	r, v, lang := c.r, c.v, c.lang
	li := 0
	if lang == "en" {
		li = 1
	}
	v["rage"] = strconv.Itoa(19 + r.IntN(20))
	mr := pick(r, mentorRoles[lang])
	v["role"], v["talent"] = mr.role, mr.talent
	v["gift"] = pick(r, gifts[lang])
	v["spot"] = pick(r, spots[lang])
	v["day"] = pick(r, days[lang])
	if c.kind.Label() == corpus.LabelGrooming || c.kind == KindBenignGameGift {
		v["game"] = pick(r, kidGames)
	}
	v["credit"] = pick(r, []string{"400", "800", "1000", "1000", "1500", "2000", "2800"}) + " " + gameCredit[v["game"]][li]

	age := -1
	switch {
	case c.kind.Label() == corpus.LabelGrooming:
		age = 11 + r.IntN(5)
		switch c.persona {
		case personaPeer: // the child's age or a little more
			v["fage"] = strconv.Itoa(min(age+r.IntN(3), 17))
		case personaGamer: // 15 to 17, never younger than the child
			v["fage"] = strconv.Itoa(max(15+r.IntN(3), age))
			v["from"] = v["game"]
			v["app"] = pick(r, []string{"Discord", "Snapchat", "Discord", "Snap"})
		default: // an adult who gives their age, or not
			v["fage"] = strconv.Itoa(22 + r.IntN(24))
		}
	case c.kind == KindBenignTeenFlirt:
		age = 12 + r.IntN(5)
		v["fage"] = strconv.Itoa(age - 1 + r.IntN(3))
	case c.kind == KindBenignGameGift, c.kind == KindBenignCoachPickup:
		age = 10 + r.IntN(6)
	}
	if age < 0 {
		return
	}
	v["vage"] = strconv.Itoa(age)
	v["grade"] = pick(r, youngGrades[lang][age])
	if lang == "fr" {
		want := "collège"
		if v["grade"] == "seconde" || v["grade"] == "2nde" || v["grade"] == "première" {
			want = "lycée"
		}
		var ok []string
		for _, s := range c.list("schools") {
			if strings.HasPrefix(s, want) {
				ok = append(ok, s)
			}
		}
		if len(ok) > 0 {
			v["school"] = pick(r, ok)
		}
	}
}

// grooming writes a grooming script: contact, identity and age, flattery; sessions of trust building
// over days (weeks for KindGroomingSlow) with gifts, isolation, risk checks and secrecy; then image
// requests or a meeting proposal, which the child answers, or, in KindGroomingCutShort, refuses.
func (c *conv) grooming() {
	resp := pick(c.r, []float64{1, 1, 0.95, 0.9, 0.8, 0.7})
	c.groomOpen()
	sessions := 2 + c.r.IntN(4)
	switch c.kind {
	case KindGroomingSlow:
		sessions = 6 + c.r.IntN(7)
	case KindGroomingCutShort:
		sessions = 1 + c.r.IntN(3)
	}
	c.groomSessions(sessions, resp)
	c.groomClose(resp)
}

// sessionGap is the gap before a new session of the script.
func (c *conv) sessionGap() gap {
	if c.kind == KindGroomingSlow {
		return gapLong
	}
	return gapSession
}

// flatter says a compliment fitting the persona, which the child may answer.
func (c *conv) flatter(g gap) {
	if c.persona == personaMentor && c.chance(0.7) {
		c.say(c.a, "g_mentor_flattery", g)
	} else {
		c.say(c.a, "compliment", g)
	}
}

// gift offers a gift fitting the persona.
func (c *conv) gift(g gap) {
	switch {
	case c.persona == personaGamer && c.chance(0.8):
		c.say(c.a, "g_gift_game", g)
	case c.persona == personaMentor && c.chance(0.8):
		c.say(c.a, "g_gift_mentor", g)
	default:
		c.say(c.a, "gift_offer", g)
	}
}

// groomOpen writes the first contact: the opening, the offender's identity, the child's age and a
// first compliment.
func (c *conv) groomOpen() {
	o, v := c.a, c.b
	switch c.persona {
	case personaGamer:
		c.say(o, "g_gamer_opening", gapChat)
		c.say(v, pick(c.r, []string{"v_greeting", "v_short", "v_answer"}), gapChat)
		if c.chance(0.5) {
			c.dialogue("g_chat", o, v, gapChat, false)
		}
		c.say(o, "g_peer_identity", gapChat)
	case personaMentor:
		c.say(o, "g_mentor_identity", gapChat)
		c.say(v, "v_greeting", gapChat)
		c.flatter(gapChat)
		c.say(v, "v_thanks", gapChat)
	default:
		c.say(o, "opening", gapChat)
		if c.chance(0.3) {
			c.say(o, "compliment", gapBurst)
		}
		c.say(v, "v_greeting", gapChat)
		c.say(o, "g_peer_identity", gapChat)
	}
	// The child states their age, always.
	c.say(o, "g_age_ask", gapChat)
	c.say(v, "v_age_tell", gapChat)
	if c.chance(0.6) {
		c.say(o, "g_age_ok", gapChat)
	}
	if c.persona == personaGamer && c.chance(0.6) {
		c.gift(gapChat)
		c.say(v, "v_thanks", gapChat)
	} else if c.persona != personaMentor {
		c.flatter(gapChat)
		c.say(v, "v_thanks", gapChat)
	}
}

// groomSessions writes n sessions of trust building. The cues of the second phase (risk checks,
// secrecy, isolation) come from the second session on; KindGroomingSlow sessions are mostly
// ordinary talk with one cue now and then.
func (c *conv) groomSessions(n int, resp float64) {
	o, v := c.a, c.b
	moved, revealed := false, false
	for s := 0; s < n; s++ {
		first := c.sessionGap()
		if c.chance(0.5) {
			c.say(o, "opening_again", first)
			c.reply(v, pick(c.r, []string{"v_greeting", "v_greeting", "v_short"}), gapChat, resp)
		} else {
			c.chat(first)
		}
		moves := 1 + c.r.IntN(3)
		if c.kind == KindGroomingSlow {
			moves = 0
			for k := 1 + c.r.IntN(3); k > 0; k-- {
				c.chat(gapChat)
			}
			if c.chance(0.45) {
				moves = 1
			}
		}
		for ; moves > 0; moves-- {
			c.groomMove(s, resp)
		}
		if !moved && s >= 1 && c.chance(0.5) {
			c.say(o, "platform_move", gapChat)
			c.reply(v, "v_short", gapChat, resp)
			moved = true
		}
		if !revealed && c.persona != personaMentor && s >= 1 && c.chance(0.15) {
			c.say(o, "g_age_reveal", gapChat)
			c.say(v, pick(c.r, []string{"v_hesitate", "v_short", "v_short"}), gapChat)
			c.say(o, "g_age_ok", gapChat)
			revealed = true
		}
		if c.kind == KindGroomingSlow && c.chance(0.5) {
			c.chat(gapChat)
		}
	}
}

// chat writes an exchange of ordinary talk, without cues: between peers either may start it; an
// adult "mentor" asks about the child's day.
func (c *conv) chat(first gap) {
	if c.persona == personaMentor {
		c.dialogue("g_chat_adult", c.a, c.b, first, false)
		return
	}
	x, y := c.a, c.b
	if c.chance(0.4) {
		x, y = y, x
	}
	c.dialogue("g_chat", x, y, first, false)
}

// groomMove writes one move of a trust-building session s.
func (c *conv) groomMove(s int, resp float64) {
	o, v := c.a, c.b
	k := c.r.IntN(8)
	if s == 0 && k >= 5 {
		k = c.r.IntN(5) // no risk check, secrecy or sexual question in the first session
	}
	switch k {
	case 0, 1:
		c.say(v, "v_confide", gapChat)
		c.say(o, "trust_building", gapChat)
		c.reply(v, pick(c.r, []string{"v_confide", "v_short"}), gapChat, resp*0.6)
	case 2:
		c.flatter(gapChat)
		c.reply(v, "v_thanks", gapChat, resp)
	case 3:
		c.gift(gapChat)
		c.reply(v, "v_thanks", gapChat, resp)
	case 4:
		c.say(o, "question", gapChat)
		c.reply(v, "v_answer", gapChat, resp)
	case 5:
		c.say(o, "isolation", gapChat)
		c.reply(v, pick(c.r, []string{"v_short", "v_confide"}), gapChat, resp)
	case 6:
		c.say(o, pick(c.r, []string{"risk_check", "secrecy"}), gapChat)
		c.reply(v, pick(c.r, []string{"v_short", "v_answer"}), gapChat, resp)
	default:
		if c.persona == personaMentor || c.chance(0.4) {
			c.say(o, "g_sexual_question", gapChat)
			c.reply(v, pick(c.r, []string{"v_hesitate", "v_short"}), gapChat, resp)
		} else {
			c.say(o, "trust_building", gapChat)
			c.reply(v, pick(c.r, []string{"v_confide", "v_short"}), gapChat, resp)
		}
	}
}

// groomClose writes the last evening: a risk check or secrecy, then an image request, a cam call or
// a meeting proposal, and the child's answer; or, in KindGroomingCutShort, the child's refusal or
// silence and the offender writing on alone.
func (c *conv) groomClose(resp float64) {
	o, v := c.a, c.b
	c.say(o, "opening_again", c.sessionGap())
	c.reply(v, "v_greeting", gapChat, resp)
	if c.chance(0.5) {
		c.flatter(gapChat)
		c.reply(v, "v_thanks", gapChat, resp)
	}
	if c.chance(0.75) {
		c.say(o, "risk_check", gapChat)
		c.say(v, "v_answer", gapChat)
	}
	c.say(o, "secrecy", gapChat)
	c.reply(v, "v_short", gapChat, resp)
	if c.persona == personaMentor || c.chance(0.3) {
		c.say(o, "g_sexual_question", gapChat)
		c.say(v, pick(c.r, []string{"v_hesitate", "v_short"}), gapChat)
	}
	meetShare := map[string]float64{personaPeer: 0.35, personaGamer: 0.2, personaMentor: 0.7}[c.persona]
	meet := c.chance(meetShare)
	if meet {
		c.say(o, "g_meeting", gapChat)
	} else if c.persona == personaGamer && c.chance(0.5) {
		c.say(o, "g_cam_request", gapChat)
	} else {
		c.say(o, "image_request", gapChat)
	}
	if c.kind == KindGroomingCutShort {
		c.cutShort()
		return
	}
	if meet {
		c.say(v, "v_meeting_reply", gapChat)
		c.say(o, pick(c.r, []string{"secrecy", "secrecy", "trust_building"}), gapChat)
		if c.chance(0.5) {
			c.gift(gapChat)
		}
		c.say(o, "g_meeting", gapChat)
		c.reply(v, pick(c.r, []string{"v_meeting_reply", "v_short"}), gapChat, resp)
		return
	}
	c.say(v, "v_hesitate", gapChat)
	c.say(o, pick(c.r, []string{"secrecy", "trust_building", "compliment", "g_age_ok"}), gapChat)
	if c.chance(0.5) {
		c.image(v, []string{StageVictimImage}, gapChat)
		c.markImage()
		c.flatter(gapShort)
		c.say(o, pick(c.r, []string{"image_request", "image_request", "g_cam_request", "g_meeting"}), gapBurst)
		c.reply(v, pick(c.r, []string{"v_hesitate", "v_short"}), gapChat, resp)
		if c.chance(0.5) {
			c.say(o, "secrecy", gapChat)
		}
	} else {
		c.reply(v, "v_short", gapChat, resp)
		c.say(o, pick(c.r, []string{"image_request", "g_cam_request", "g_meeting"}), gapChat)
		if c.chance(0.5) {
			c.say(v, "v_hesitate", gapChat)
		}
	}
}

// cutShort ends a script at the offender's request: the child says no and that they will tell a
// parent (or someone), or stops answering; the offender writes on alone over a session or two.
func (c *conv) cutShort() {
	o, v := c.a, c.b
	if c.chance(0.6) {
		if c.chance(0.4) {
			c.say(v, "v_hesitate", gapChat)
			c.say(o, pick(c.r, []string{"trust_building", "secrecy"}), gapChat)
		}
		c.say(v, "v_refuse_tell", gapChat)
		c.say(o, "secrecy", gapShort)
		if c.chance(0.5) {
			c.say(o, "g_chase", gapBurst)
		}
	}
	for n := 1 + c.r.IntN(3); n > 0; n-- {
		g := gapChat
		if c.chance(0.6) {
			g = gapSession
		}
		c.say(o, "g_chase", g)
		if c.chance(0.4) {
			c.say(o, pick(c.r, []string{"g_chase", "secrecy", "trust_building"}), gapBurst)
		}
	}
}
