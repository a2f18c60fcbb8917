package synth

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// style is how one person types in one conversation. The same transformations are applied to
// offenders, victims and the people of benign conversations, so that writing style alone does not
// separate the classes; offenders use the evasive ones (spaced letters, leetspeak) more often.
type style struct {
	lower     bool    // never uses capitals
	noAccents bool    // drops French accents
	sms       float64 // probability that a message uses SMS abbreviations
	typo      float64 // probability of one typo in a message
	emoji     float64 // probability of an emoji at the end of a message
	leet      float64 // probability of one word in leetspeak ("p4y3")
	spaced    float64 // probability of one word with spaced letters ("p a i e")
	shout     float64 // probability of an all-capitals message
}

func newStyle(r *rand.Rand, evasive bool) style {
	s := style{
		lower:     r.Float64() < 0.45,
		noAccents: r.Float64() < 0.4,
		sms:       []float64{0, 0.1, 0.3, 0.6}[r.IntN(4)],
		typo:      []float64{0, 0.05, 0.12, 0.25}[r.IntN(4)],
		emoji:     []float64{0, 0.1, 0.25, 0.4}[r.IntN(4)],
		shout:     []float64{0, 0, 0.03, 0.08}[r.IntN(4)],
	}
	if evasive {
		s.leet = []float64{0, 0, 0.05, 0.12}[r.IntN(4)]
		s.spaced = []float64{0, 0, 0.04, 0.1}[r.IntN(4)]
	} else {
		s.leet = []float64{0, 0, 0, 0.03}[r.IntN(4)]
		s.spaced = []float64{0, 0, 0, 0.02}[r.IntN(4)]
	}
	return s
}

type abbrev struct {
	re  *regexp.Regexp
	rep string
}

func abbrevs(pairs ...string) []abbrev {
	out := make([]abbrev, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, abbrev{regexp.MustCompile(`(?i)\b` + pairs[i] + `\b`), pairs[i+1]})
	}
	return out
}

var smsRules = map[string][]abbrev{
	"fr": abbrevs(`je sais pas`, "jsp", `je ne sais pas`, "jsp", `s'il te pla[iî]t`, "stp", `pourquoi`, "pk",
		`quoi`, "koi", `beaucoup`, "bcp", `c'est`, "c", `t'es`, "t", `aujourd'hui`, "ajd", `parce que`, "pcq",
		`toujours`, "tjr", `vraiment`, "vrmt", `d'accord`, "dacc", `rien`, "r1", `demain`, "dmn",
		`quelqu'un`, "qqn", `quelque chose`, "qqch", `maintenant`, "mtn", `ce que`, "ske", `en vrai`, "ev",
		`mort de rire`, "mdr", `tout de suite`, "tt de suite", `je suis`, "jsuis", `tu es`, "t", `bonjour`, "bjr",
		`salut`, "slt", `mais`, "m", `francais`, "fr", `trop`, "tro"),
	"en": abbrevs(`you`, "u", `are`, "r", `your`, "ur", `you're`, "ur", `please`, "plz", `because`, "cuz",
		`right now`, "rn", `to be honest`, "tbh", `i don't know`, "idk", `okay`, "k", `for real`, "fr",
		`what`, "wat", `thanks`, "thx", `tonight`, "2nite", `before`, "b4", `see you`, "cya", `people`, "ppl",
		`though`, "tho", `about`, "abt", `i'm`, "im", `don't`, "dont", `something`, "smth", `really`, "rly",
		`laughing`, "lol", `oh my god`, "omg", `never mind`, "nvm", `going to`, "gonna", `want to`, "wanna"),
}

var emojis = map[string][]string{
	"friendly": {"😂", "😅", "😊", "😍", "🙈", "😘", "🥰", "😏", "👀", "🔥", "❤️", "😉", "🤣", "💕"},
	"threat":   {"😈", "😂", "⏳", "💀", "👀", "🤡", "⏰", "😏", "🔥", "‼️"},
	"distress": {"😭", "🙏", "😢", "😰", "😩", "💔", "🥺"},
}

var leetMap = strings.NewReplacer("a", "4", "e", "3", "i", "1", "o", "0", "s", "5", "t", "7")

// apply types text the way s does. tone picks the emoji set ("friendly", "threat", "distress").
func (s style) apply(r *rand.Rand, lang, text, tone string) string {
	if text == "" {
		return text
	}
	if s.sms > 0 && r.Float64() < s.sms {
		for _, a := range smsRules[lang] {
			if r.IntN(3) > 0 { // not every rule every time
				text = a.re.ReplaceAllString(text, a.rep)
			}
		}
	}
	if s.noAccents {
		text = stripAccents(text)
	}
	if s.typo > 0 && r.Float64() < s.typo {
		text = mutateWord(r, text, typo)
	}
	if s.leet > 0 && r.Float64() < s.leet {
		text = mutateWord(r, text, func(_ *rand.Rand, w string) string { return leetMap.Replace(strings.ToLower(w)) })
	}
	if s.spaced > 0 && r.Float64() < s.spaced {
		text = mutateWord(r, text, func(_ *rand.Rand, w string) string { return strings.Join(strings.Split(w, ""), " ") })
	}
	switch {
	case s.shout > 0 && r.Float64() < s.shout && tone == "threat":
		text = strings.ToUpper(text)
	case s.lower:
		text = strings.ToLower(text)
	}
	if s.emoji > 0 && r.Float64() < s.emoji {
		e := pick(r, emojis[tone])
		if r.IntN(4) == 0 {
			e += e
		}
		text += " " + e
	}
	return text
}

// mutateWord applies f to one plain word of text (letters only, 4 to 10 of them), leaving codes,
// addresses, amounts and handles alone.
func mutateWord(r *rand.Rand, text string, f func(*rand.Rand, string) string) string {
	words := strings.Split(text, " ")
	var cand []int
	for i, w := range words {
		n := utf8.RuneCountInString(w)
		if n < 4 || n > 10 {
			continue
		}
		ok := true
		for _, c := range w {
			if !unicode.IsLetter(c) {
				ok = false
				break
			}
		}
		if ok {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return text
	}
	i := pick(r, cand)
	words[i] = f(r, words[i])
	return strings.Join(words, " ")
}

// typo drops, doubles or swaps a letter.
func typo(r *rand.Rand, w string) string {
	rs := []rune(w)
	i := 1 + r.IntN(len(rs)-2)
	switch r.IntN(3) {
	case 0:
		return string(append(rs[:i:i], rs[i+1:]...))
	case 1:
		return string(rs[:i+1]) + string(rs[i:])
	default:
		rs[i], rs[i+1] = rs[i+1], rs[i]
		return string(rs)
	}
}
