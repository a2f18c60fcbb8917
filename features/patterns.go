package features

import (
	"unicode"
	"unicode/utf8"
)

// Slot detectors: hand-written scanners for cues that a fixed phrase list cannot hold. Ages,
// countdowns and deadlines are read on the normalized words (so "J’ai 13ans" and "i'm 14" are
// found); amounts, payment and gift card codes, wallet addresses, handles and phone numbers are
// read on the original text, where case, digits grouping and punctuation matter.
//
// Each slot maps to a stage: age → identity_claim; countdown and deadline → countdown; amount,
// payment code, gift code and wallets → payment_demand; handle and phone → platform_move.

// Slot weights.
const (
	wAge         = 1.0
	wCountdown   = 1.5
	wDeadline    = 1.2
	wAmount      = 0.8
	wPaymentCode = 1.5
	wGiftCode    = 1.2
	wWallet      = 1.5
	wWalletPlain = 1.0 // Ethereum address without a mixed-case checksum
	wHandle      = 0.8
	wPhone       = 0.8
)

// WalkSlots calls fn for every slot pattern found in text, whose normalization by
// [Normalizer.Normalize] is n, until fn returns false. It allocates nothing.
func WalkSlots(text string, n *Normalized, fn func(Hit) bool) {
	if len(text) > n.srcLen {
		text = text[:n.srcLen] // the normalizer truncated it
	}
	if !walkWordSlots(n, fn) {
		return
	}
	walkRawSlots(text, fn)
}

// ---- word-level slots: ages, countdowns, deadlines ----

type wordView struct{ n *Normalized }

func (v wordView) at(i int) string {
	if i < 0 || i >= len(v.n.tokS) {
		return ""
	}
	return bytesString(v.n.Text[v.n.tokS[i]:v.n.tokE[i]])
}

// bytesString compares without allocating: the compiler does not copy for comparisons and
// switch statements on string(b).
func bytesString(b []byte) string { return string(b) }

func (v wordView) hit(stage Stage, cue string, w float32, first, last int, value float64) Hit {
	s, e := v.n.Span(int(v.n.tokS[first]), int(v.n.tokE[last]))
	return Hit{Stage: stage, Cue: cue, Weight: w, Start: s, End: e, Value: value}
}

func walkWordSlots(n *Normalized, fn func(Hit) bool) bool {
	v := wordView{n}
	nw := len(n.tokS)
	for i := 0; i < nw; i++ {
		tok := n.Text[n.tokS[i]:n.tokE[i]]
		if !isNumber(tok) || len(tok) > 3 {
			continue
		}
		num := atoiCapped(tok)
		// Countdown: three or more numbers, each one less than the previous ("10, 9, 8").
		if j := countdownEnd(n, i, num); j-i >= 2 {
			if !fn(v.hit(StageCountdown, SlotCountdown, wCountdown, i, j, float64(num))) {
				return false
			}
			i = j
			continue
		}
		if first, last, ok := ageAt(v, i, tok, num); ok {
			if !fn(v.hit(StageIdentityClaim, SlotAge, wAge, first, last, float64(num))) {
				return false
			}
			continue
		}
		if first, mins, ok := deadlineAt(v, i, num); ok {
			if !fn(v.hit(StageCountdown, SlotDeadline, wDeadline, first, i+1, mins)) {
				return false
			}
		}
	}
	return true
}

// countdownEnd returns the index of the last word of the countdown starting at word i.
func countdownEnd(n *Normalized, i, num int) int {
	if num > 100 || num < 2 || (len(n.Text) > int(n.tokS[i])+1 && n.Text[n.tokS[i]] == '0') {
		return i
	}
	j := i
	for j+1 < len(n.tokS) {
		t := n.Text[n.tokS[j+1]:n.tokE[j+1]]
		if !isNumber(t) || len(t) > 3 || (len(t) > 1 && t[0] == '0') || atoiCapped(t) != num-(j+1-i) {
			break
		}
		j++
	}
	return j
}

// ageAt recognizes a stated age around the number at word i. It returns the words it spans.
func ageAt(v wordView, i int, tok []byte, num int) (first, last int, ok bool) {
	if num < 5 || num > 99 || tok[0] == '0' {
		return 0, 0, false
	}
	p1, p2 := v.at(i-1), v.at(i-2)
	n1, n2 := v.at(i+1), v.at(i+2)
	// Introduction before the number: "im 14", "i am 14", "i'm 14", "age 14", "j'ai 13".
	first, intro := i, false
	switch {
	case p1 == "im" || p1 == "age" || p1 == "aged" || p1 == "asl" || p1 == "jai" || p1 == "moi" ||
		p1 == "tengo" || p1 == "tenho" || p1 == "ho" || p1 == "bin" || p1 == "ben":
		first, intro = i-1, true
	case (p1 == "am" || p1 == "m") && p2 == "i", p1 == "ai" && p2 == "j":
		first, intro = i-2, true
	}
	last, unit := i, false
	switch n1 {
	case "ans", "an", "anos", "anni", "jahre", "jaar":
		// "j'ai 13 ans", "13 ans", "tengo 13 años"; not "il y a 13 ans" (a date).
		if p1 == "a" && p2 == "y" {
			return 0, 0, false
		}
		// "a" is a claim only in the second person ("tu a 13 ans", "t a 13 ans", SMS for "t'as"):
		// "mon frère a 12 ans", "elle a 14 ans" speak of someone else.
		second := p1 == "a" && (p2 == "tu" || p2 == "t")
		if intro || i == 0 || second || p1 == "ai" || p1 == "de" || p1 == "fais" || p1 == "avoir" || p1 == "et" || p1 == "agee" {
			if !intro && i > 0 {
				first = i - 1
			}
			return first, i + 1, true
		}
		return 0, 0, false
	case "yo":
		last, unit = i+1, true
	case "yrs", "yr", "years", "year":
		// "14 yrs old", "14 years old"; "14 years" alone is a duration.
		if n2 != "old" {
			return 0, 0, false
		}
		last, unit = i+2, true
	case "y":
		if n2 == "o" { // "14 y/o"
			last, unit = i+2, true
		}
	case "girl", "boy", "fille", "garcon", "female", "male", "femme", "homme", "gars", "mec", "chica", "chico",
		"menina", "menino", "madchen", "junge", "meisje", "jongen":
		last, unit = i+1, true
	case "f", "m", "g", "b":
		// "14 f", "14/f": only at the start, after asl or after a self-introduction.
		if i == 0 || intro || p1 == "me" {
			last, unit = i+1, true
		}
	case "et", "and", "n", "what", "how", "toi": // "wbu" and "hbu" normalize to "what/how about you"
		// The age given back with the question, as a whole short message: "14 et toi ?",
		// "13 and you?", "15 n u", "14 wbu", "12 toi ?". Only a short message that
		// starts with the number: "14 and you're late" or "j'en ai 9 et toi" are not ages.
		if i != 0 || num < 9 || num > 79 || len(v.n.tokS) > 4 {
			break
		}
		switch {
		case n1 == "toi":
			if v.at(2) == "" {
				last, unit = i+1, true
			}
		case n1 == "what" || n1 == "how":
			if n2 == "about" && v.at(3) == "you" && v.at(4) == "" {
				last, unit = i+3, true
			}
		case n2 == "toi" || n2 == "you" || n2 == "u" || n2 == "tu" || n2 == "vous":
			if v.at(3) == "" {
				last, unit = i+2, true
			}
		}
	}
	if !unit && (!intro || isUnitWord(n1)) {
		return 0, 0, false // "im 5 minutes away", "i am 20 km from"
	}
	return first, last, true
}

func isUnitWord(w string) bool {
	switch w {
	case "minutes", "minute", "min", "mins", "mn", "hours", "hour", "h", "hrs", "hr", "heures", "heure",
		"seconds", "sec", "secs", "secondes", "s", "km", "miles", "mi", "kg", "lbs", "percent",
		"euros", "euro", "eur", "dollars", "usd", "times", "x", "days", "jours", "weeks", "semaines",
		"months", "mois", "pm", "am", "th", "e", "eme", "balles":
		return true
	}
	return false
}

// deadlineAt recognizes "you have 5 minutes", "tu as 10 minutes", "t'as 1h", "il te reste 2 heures",
// "vous avez 24h" around the number at word i, with the deadline in minutes.
func deadlineAt(v wordView, i, num int) (first int, minutes float64, ok bool) {
	var per float64
	switch v.at(i + 1) {
	case "minutes", "minute", "min", "mins", "mn", "minutos", "minuten", "minuti":
		per = 1
	case "hours", "hour", "h", "hrs", "hr", "heures", "heure", "horas", "stunden", "ore", "uur":
		per = 60
	case "seconds", "second", "sec", "secs", "secondes", "seconde", "s", "segundos", "sekunden", "secondi":
		per = 1.0 / 60
	case "days", "day", "jours", "jour", "dias", "tage", "giorni", "dagen":
		per = 1440
	default:
		return 0, 0, false
	}
	p1, p2 := v.at(i-1), v.at(i-2)
	switch {
	case p1 == "have" && (p2 == "you" || p2 == "u"), p1 == "got" && (p2 == "you" || p2 == "u"),
		p1 == "as" && (p2 == "tu" || p2 == "t"), p1 == "avez" && p2 == "vous",
		p1 == "reste" && (p2 == "te" || p2 == "vous" || p2 == "t"), p1 == "hast" && p2 == "du":
		return i - 2, float64(num) * per, true
	case p1 == "tas" || p1 == "tienes" || p1 == "hai":
		return i - 1, float64(num) * per, true
	}
	return 0, 0, false
}

// ---- raw-text slots: amounts, codes, wallets, handles, phones ----

// Byte classes of the raw-text scan.
const (
	rcAlnum    = 1 << iota // ASCII letter or digit
	rcRawStart             // '@', '+', '(', '$' and the lead bytes of € and £: may start a slot
)

var rawClass = func() (t [256]uint8) {
	for c := range t {
		if b := byte(c); 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' {
			t[c] = rcAlnum
		}
	}
	for _, c := range []byte{'@', '+', '(', '$', 0xe2, 0xc2} {
		t[c] = rcRawStart
	}
	return t
}()

func isAlnum(c byte) bool { return rawClass[c]&rcAlnum != 0 }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isUpperAlnum(c byte) bool { return 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }

func walkRawSlots(text string, fn func(Hit) bool) bool {
	for i := 0; i < len(text); {
		c := text[i]
		switch rawClass[c] {
		case 0:
			i++
			continue
		case rcAlnum:
			// A word of ASCII letters and digits starts at i.
			j := i + 1
			for j < len(text) && rawClass[text[j]] == rcAlnum {
				j++
			}
			if quietWord(text, i, j) {
				i = j
				continue
			}
			if i > 0 && text[i-1] >= utf8.RuneSelf {
				if r, _ := utf8.DecodeLastRuneInString(text[:i]); unicode.IsLetter(r) {
					i = j // inside a word with non-ASCII letters
					continue
				}
			}
			next, ok := rawWord(text, i, j, fn)
			if !ok {
				return false
			}
			i = next
			continue
		}
		if c == '@' {
			if j := handleEnd(text, i+1); j > i+2 && (i == 0 || !isAlnum(text[i-1])) {
				if !fn(Hit{Stage: StagePlatformMove, Cue: SlotHandle, Weight: wHandle, Start: i, End: j}) {
					return false
				}
				i = j
				continue
			}
			i++
			continue
		}
		if c == '+' && i+1 < len(text) && (isDigit(text[i+1]) || text[i+1] == '(') && (i == 0 || !isAlnum(text[i-1])) {
			if j, ok := phoneAt(text, i+1, true); ok {
				if !fn(Hit{Stage: StagePlatformMove, Cue: SlotPhone, Weight: wPhone, Start: i, End: j}) {
					return false
				}
				i = j
				continue
			}
		}
		if c == '(' && i+1 < len(text) && isDigit(text[i+1]) && (i == 0 || !isAlnum(text[i-1])) {
			if j, ok := phoneAt(text, i, false); ok {
				if !fn(Hit{Stage: StagePlatformMove, Cue: SlotPhone, Weight: wPhone, Start: i, End: j}) {
					return false
				}
				i = j
				continue
			}
		}
		if (c == '$' || c == 0xe2 || c == 0xc2) && (i == 0 || !isAlnum(text[i-1])) {
			// "$500", "€200" (E2 82 AC), "£50" (C2 A3)
			if k := currencySymbolLen(text[i:]); k > 0 {
				j := i + k
				if j < len(text) && text[j] == ' ' {
					j++
				}
				if j < len(text) && isDigit(text[j]) {
					end, val := parseAmount(text, j)
					if !fn(Hit{Stage: StagePaymentDemand, Cue: SlotAmount, Weight: wAmount, Start: i, End: end, Value: val}) {
						return false
					}
					i = end
					continue
				}
			}
		}
		i++
	}
	return true
}

// quietWord reports whether rawWord(text, i, j, fn) would report nothing and return j, as for
// most words: one that starts with a letter, shorter than any wallet address, that cannot be a
// platform name (by its length and first letter), followed by neither '-' nor '#', nor by a space
// when it starts with an upper-case letter and may be a gift code's first group.
func quietWord(text string, i, j int) bool {
	n, c := j-i, text[i]|0x20
	if n >= 14 || c < 'a' || c > 'z' || n <= 9 && platformIndex[n][c-'a'] != 0 {
		return false
	}
	if j < len(text) {
		switch text[j] {
		case '-', '#':
			return false
		case ' ':
			return text[i] >= 'a' || n < 4 || n > 6
		}
	}
	return true
}

// rawWord examines the ASCII word text[i:j] and what follows it; it returns where to go on.
func rawWord(text string, i, j int, fn func(Hit) bool) (int, bool) {
	w := text[i:j]
	endOK := j == len(text) || text[j] < 0x80 && !isAlnum(text[j])
	if endOK {
		switch {
		case (w[0] == '1' || w[0] == '3' || w[0] == 'm' || w[0] == 'n' || w[0] == '2') && validBase58Address(w),
			len(w) > 3 && (w[:3] == "bc1" || w[:3] == "BC1" || w[:3] == "tb1" || w[:3] == "TB1") && validSegwitAddress(w):
			return j, fn(Hit{Stage: StagePaymentDemand, Cue: SlotWalletBTC, Weight: wWallet, Start: i, End: j})
		case len(w) == 42 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X'):
			if ok, checked := validEthAddress(w); ok {
				wt := float32(wWalletPlain)
				if checked {
					wt = wWallet
				}
				return j, fn(Hit{Stage: StagePaymentDemand, Cue: SlotWalletETH, Weight: wt, Start: i, End: j})
			}
		}
	}
	if n := j - i; n >= 4 && n <= 6 && j+1 < len(text) && (text[j] == '-' || text[j] == ' ' && isUpperAlnum(text[i])) {
		if end, ok := giftCodeAt(text, i); ok {
			return end, fn(Hit{Stage: StagePaymentDemand, Cue: SlotGiftCode, Weight: wGiftCode, Start: i, End: end})
		}
	}
	if isDigit(w[0]) {
		if end, digits, ok := digitGroups(text, i); ok && digits == 16 {
			return end, fn(Hit{Stage: StagePaymentDemand, Cue: SlotPaymentCode, Weight: wPaymentCode, Start: i, End: end})
		}
		if end, ok := phoneAt(text, i, false); ok {
			return end, fn(Hit{Stage: StagePlatformMove, Cue: SlotPhone, Weight: wPhone, Start: i, End: end})
		}
		if end, val, ok := amountAt(text, i); ok {
			return end, fn(Hit{Stage: StagePaymentDemand, Cue: SlotAmount, Weight: wAmount, Start: i, End: end, Value: val})
		}
		return j, true
	}
	if isPlatform(w) {
		if s, e := platformHandle(text, j); e > s {
			return e, fn(Hit{Stage: StagePlatformMove, Cue: SlotHandle, Weight: wHandle, Start: i, End: e})
		}
	}
	if j < len(text) && text[j] == '#' {
		if end := discordTag(text, i, j); end > j {
			return end, fn(Hit{Stage: StagePlatformMove, Cue: SlotHandle, Weight: wHandle, Start: i, End: end})
		}
	}
	return j, true
}

func currencySymbolLen(s string) int {
	switch {
	case s[0] == '$':
		return 1
	case len(s) >= 3 && s[:3] == "€":
		return 3
	case len(s) >= 2 && s[:2] == "£":
		return 2
	}
	return 0
}

// parseAmount reads "200", "0.01", "1,5", "1 000" (groups of three digits after a space) from
// text[i:].
func parseAmount(text string, i int) (end int, val float64) {
	j := i
	for j < len(text) && isDigit(text[j]) {
		if val < 1e15 {
			val = val*10 + float64(text[j]-'0')
		}
		j++
	}
	if j-i <= 3 {
		for j+4 <= len(text) && text[j] == ' ' && isDigit(text[j+1]) && isDigit(text[j+2]) && isDigit(text[j+3]) &&
			(j+4 == len(text) || !isAlnum(text[j+4])) {
			val = val*1000 + float64(text[j+1]-'0')*100 + float64(text[j+2]-'0')*10 + float64(text[j+3]-'0')
			j += 4
		}
	}
	if j+1 < len(text) && (text[j] == '.' || text[j] == ',') && isDigit(text[j+1]) {
		scale := 0.1
		j++
		for j < len(text) && isDigit(text[j]) {
			if scale > 1e-9 {
				val += float64(text[j]-'0') * scale
				scale /= 10
			}
			j++
		}
	}
	return j, val
}

// amountAt recognizes a number followed by a currency: "200€", "200 €", "200 euros", "500 dollars",
// "100 balles", "50 usd", "0.01 btc".
func amountAt(text string, i int) (end int, val float64, ok bool) {
	j, val := parseAmount(text, i)
	k := j
	if k < len(text) && text[k] == ' ' {
		k++
	}
	if k >= len(text) {
		return 0, 0, false
	}
	if n := currencySymbolLen(text[k:]); n > 0 {
		return k + n, val, true
	}
	e := k
	for e < len(text) && ('a' <= text[e]|0x20 && text[e]|0x20 <= 'z') {
		e++
	}
	if e == k || e-k > 9 || (e < len(text) && isAlnum(text[e])) {
		return 0, 0, false
	}
	var buf [9]byte
	for x := k; x < e; x++ {
		buf[x-k] = text[x] | 0x20
	}
	switch string(buf[:e-k]) {
	case "euro", "euros", "eur", "dollar", "dollars", "usd", "bucks", "balles", "boules", "btc", "bitcoin",
		"bitcoins", "eth", "usdt", "gbp", "pounds", "chf", "ltc", "xmr", "keuros":
		return e, val, true
	}
	return 0, 0, false
}

// digitGroups reads digits grouped by single spaces, dots or dashes ("1234 5678 9012 3456"),
// and returns the end, the number of digits and whether it is a 16-digit code: one run, or four
// groups of four.
func digitGroups(text string, i int) (end, digits int, ok bool) {
	j, ng, allFour := i, 0, true
	var sep byte
	for {
		g := j
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		n := j - g
		if n == 0 {
			return 0, 0, false
		}
		ng++
		digits += n
		if n != 4 {
			allFour = false
		}
		if digits < 16 && j+1 < len(text) && (text[j] == ' ' || text[j] == '-' || text[j] == '.') &&
			isDigit(text[j+1]) && (sep == 0 || text[j] == sep) {
			sep = text[j]
			j++
			continue
		}
		break
	}
	if j < len(text) && isAlnum(text[j]) {
		return 0, 0, false
	}
	return j, digits, digits == 16 && (ng == 1 || allFour && ng == 4)
}

// phoneAt recognizes a phone number starting at text[i] (after the '+' when intl is set):
// international (+ and 8 to 15 digits), French (10 digits starting with 0[1-9], groups of at
// least 2), US ("(555) 123-4567", "555-123-4567", "555.123.4567", 10 digits starting with 2-9).
func phoneAt(text string, i int, intl bool) (end int, ok bool) {
	var groups [8]int
	ng, digits := 0, 0
	j := i
	var first, second byte
	for ng < len(groups) {
		paren := j < len(text) && text[j] == '('
		if paren {
			j++
		}
		g := j
		for j < len(text) && isDigit(text[j]) {
			if digits == 0 {
				first = text[j]
			} else if digits == 1 {
				second = text[j]
			}
			digits++
			j++
		}
		if j == g {
			return 0, false
		}
		groups[ng] = j - g
		ng++
		if paren {
			if j >= len(text) || text[j] != ')' {
				return 0, false
			}
			j++
			if j < len(text) && text[j] == ' ' && j+1 < len(text) && isDigit(text[j+1]) {
				j++
			}
			continue
		}
		if j+1 < len(text) && (text[j] == ' ' || text[j] == '.' || text[j] == '-') && (isDigit(text[j+1]) || text[j+1] == '(') {
			j++
			continue
		}
		break
	}
	if j < len(text) && isAlnum(text[j]) || digits > 15 {
		return 0, false
	}
	switch {
	case intl:
		return j, digits >= 8 && digits <= 15 && groups[0] <= 4
	case digits == 10 && first == '0' && second != '0':
		for _, g := range groups[:ng] {
			if g < 2 {
				return 0, false
			}
		}
		return j, true
	case digits == 10 && first >= '2' && (ng == 1 || ng == 3 && groups[0] == 3 && groups[1] == 3 && groups[2] == 4):
		return j, true
	case digits == 11 && first == '1' && ng == 4 && groups[0] == 1 && groups[1] == 3 && groups[2] == 3 && groups[3] == 4:
		return j, true
	}
	return 0, false
}

// giftCodeAt recognizes a gift card code starting at text[i]: three to five groups of 4 to 6
// letters and digits separated by dashes ("XXXXX-XXXXX-XXXXX", Amazon "XXXX-XXXXXX-XXXX"), or four
// to five groups of 4 upper-case letters and digits separated by spaces (Google Play). The code
// must hold at least two letters and two digits.
func giftCodeAt(text string, i int) (end int, ok bool) {
	for _, sep := range [2]byte{'-', ' '} {
		j, groups, letters, digits := i, 0, 0, 0
		end = 0
		for groups < 5 {
			g, l, d := j, 0, 0
			for j < len(text) && isAlnum(text[j]) && (sep != ' ' || isUpperAlnum(text[j])) {
				if isDigit(text[j]) {
					d++
				} else {
					l++
				}
				j++
			}
			n := j - g
			if n < 4 || n > 6 || (sep == ' ' && n != 4) || (j < len(text) && isAlnum(text[j])) {
				break
			}
			groups++
			letters += l
			digits += d
			end = j
			if j+1 < len(text) && text[j] == sep && isAlnum(text[j+1]) {
				j++
				continue
			}
			break
		}
		least := 3
		if sep == ' ' {
			least = 4
		}
		if groups >= least && letters >= 2 && digits >= 2 {
			return end, true
		}
	}
	return 0, false
}

// handleEnd returns the end of a handle ([A-Za-z0-9._]{2,30}, with a letter) starting at i, or i.
func handleEnd(text string, i int) int {
	j, letter := i, false
	for j < len(text) && j-i < 30 && (isAlnum(text[j]) || text[j] == '_' || text[j] == '.') {
		if !isDigit(text[j]) && text[j] != '_' && text[j] != '.' {
			letter = true
		}
		j++
	}
	for j > i && text[j-1] == '.' {
		j-- // a sentence dot
	}
	if j-i < 2 || !letter || (j < len(text) && isAlnum(text[j])) {
		return i
	}
	return j
}

var platforms = [...]string{"snap", "snapchat", "sc", "insta", "instagram", "ig", "telegram", "tg", "kik", "discord",
	"whatsapp", "wa", "skype", "tiktok", "signal", "wickr", "threema", "viber", "fb", "facebook", "messenger", "wire", "line"}

// platformKey packs a word of 2 to 9 ASCII letters and digits, lower-cased: its first 8 bytes,
// then its length and its 9th byte.
type platformKey struct{ lo, hi uint64 }

func makePlatformKey(w string) platformKey {
	var k platformKey
	n := min(len(w), 8)
	if n == 8 {
		k.lo = (uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56) | 0x2020202020202020
	} else {
		for x := n - 1; x >= 0; x-- {
			k.lo = k.lo<<8 | uint64(w[x]|0x20)
		}
	}
	k.hi = uint64(len(w))
	if len(w) > 8 {
		k.hi |= uint64(w[8]|0x20) << 8
	}
	return k
}

// platformKeys holds the keys of the platform names. No two names share their length and first
// letter (TestIsPlatform fails otherwise): platformIndex[len][first letter] is 1 + the index of
// the one name that may match.
var platformKeys, platformIndex = func() (keys [len(platforms)]platformKey, index [10][32]uint8) {
	for i, p := range platforms {
		keys[i] = makePlatformKey(p)
		index[len(p)][p[0]-'a'] = uint8(i + 1)
	}
	return keys, index
}()

// isPlatform reports whether the ASCII word w (letters and digits) is a platform name, in any case.
func isPlatform(w string) bool {
	if len(w) < 2 || len(w) > 9 {
		return false
	}
	x := platformIndex[len(w)][((w[0]|0x20)-'a')&31]
	return x != 0 && platformKeys[x-1] == makePlatformKey(w)
}

// platformHandle finds the handle after a platform name ending at j: "snap: name", "snap = name",
// "snap @name", "snap c'est name", "snap is name", or a bare handle that holds a digit, '_' or '.'
// ("add me on snap lea_2010").
func platformHandle(text string, j int) (start, end int) {
	k := j
	explicit := false
	for k < len(text) && text[k] == ' ' {
		k++
	}
	if k < len(text) && (text[k] == ':' || text[k] == '=') {
		explicit = true
		k++
	} else if k+1 < len(text) && text[k] == '-' && text[k+1] == '>' {
		explicit = true
		k += 2
	} else {
		for _, w := range [...]string{"is ", "c'est ", "cest ", "c’est ", "est ", "es ", "ist "} {
			if len(text)-k > len(w) && text[k:k+len(w)] == w {
				explicit = true
				k += len(w)
				break
			}
		}
	}
	for k < len(text) && text[k] == ' ' {
		k++
	}
	if k < len(text) && text[k] == '@' {
		explicit = true
		k++
	}
	e := handleEnd(text, k)
	e = discordTag(text, k, e)
	if e-k < 3 {
		return 0, 0
	}
	if !explicit {
		marked := false
		for x := k; x < e; x++ {
			if isDigit(text[x]) || text[x] == '_' || text[x] == '.' {
				marked = true
			}
		}
		if !marked {
			return 0, 0
		}
	}
	return k, e
}

// discordTag recognizes a legacy Discord tag "name#1234" where text[i:j] is the name.
func discordTag(text string, i, j int) int {
	if j-i < 2 || j+5 > len(text) || text[j] != '#' {
		return j
	}
	for k := j + 1; k < j+5; k++ {
		if !isDigit(text[k]) {
			return j
		}
	}
	if j+5 < len(text) && isAlnum(text[j+5]) {
		return j
	}
	return j + 5
}
