package corpus

// The dates of a Google Chat Takeout. Takeout writes them as prose, in the language of the
// account, with the zone spelled out (UTC in every sample the sources show):
//
//	Thursday, November 3, 2016 at 11:59:50 AM UTC      English (US); U+202F before AM/PM in newer exports
//	Tuesday, 7 February 2021 at 17:13:43 UTC           English (UK)
//	jeudi 10 octobre 2024 à 08:36:13 UTC               French
//	2015. február 15., vasárnap 21:54:36 UTC           Hungarian
//	вторник, 12 марта 2024 г. в 21:03:15 UTC           Russian
//	2024年3月12日星期二 UTC 21:03:15                    Chinese
//	2024년 3월 12일 화요일 PM 9시 3분 15초 UTC            Korean
//
// Rather than one layout per language, parseGChatTime reads the parts whatever their order: a
// four-digit year, a month name (or a number marked 月/월), a day, a time (h:mm:ss, or the Korean
// 시/분/초), an AM/PM marker and the zone. Weekdays and joining words ("at", "à", "г.", "в") are
// passed over. A month name of a language not listed in gchatMonths, or a zone other than UTC/GMT
// (with or without an offset), is an error: the time is left unknown rather than guessed.

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// gchatMonths are the month names of the languages whose Takeout dates the sources show, lower
// case, with the French ones also without accents (as they are sometimes retyped).
var gchatMonths = func() map[string]time.Month {
	m := map[string]time.Month{}
	for _, names := range [][12]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		{"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"},
		{"január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember", "október", "november", "december"},
		{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	} {
		for i, n := range names {
			m[n] = time.Month(i + 1)
		}
	}
	return m
}()

// gchatMeridiem says whether a lower-case word (its dots dropped: "a.m." is "am") marks the morning (1) or the afternoon (2).
func gchatMeridiem(w string) int {
	switch w {
	case "am", "오전", "上午":
		return 1
	case "pm", "오후", "下午":
		return 2
	}
	return 0
}

// gchatDate collects the parts of a date; -1 is unset.
type gchatDate struct {
	year, month, day, hour, min, sec int
	meridiem                         int // 0 none, 1 AM, 2 PM
	zone                             *time.Location
	zoneEnd                          bool // the zone word was the last token: an offset may follow
}

func (d *gchatDate) set(p *int, v int, what string) error {
	if *p >= 0 {
		return fmt.Errorf("two %ss", what)
	}
	*p = v
	return nil
}

// parseGChatTime reads a Takeout date (see the file comment). A date without a zone is read in loc.
// Its errors name the part that could not be read, and never quote more than a word of the date.
func parseGChatTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date")
	}
	if s[0] >= '0' && s[0] <= '9' && len(s) >= 19 && (s[10] == 'T' || s[10] == ' ') && s[4] == '-' {
		// The Chat API's own form, should an export use it.
		for _, l := range [...]string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05"} {
			if t, err := time.ParseInLocation(l, s, loc); err == nil {
				return t, nil
			}
		}
	}
	d := gchatDate{year: -1, month: -1, day: -1, hour: -1, min: -1, sec: -1}
	var buf [64]byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		zoneEnd := d.zoneEnd
		d.zoneEnd = false
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j-i > 4 {
				return time.Time{}, fmt.Errorf("number of %d digits", j-i)
			}
			n := atoiSmall(s[i:j])
			if j < len(s) && s[j] == ':' {
				k, err := d.clock(s, i)
				if err != nil {
					return time.Time{}, err
				}
				i = k
				continue
			}
			unit, usize := utf8.DecodeRuneInString(s[j:])
			var err error
			switch unit {
			case '年', '년':
				err = d.set(&d.year, n, "year")
			case '月', '월':
				err = d.set(&d.month, n, "month")
			case '日', '일':
				err = d.set(&d.day, n, "day")
			case '時', '시':
				err = d.set(&d.hour, n, "hour")
			case '分', '분':
				err = d.set(&d.min, n, "minute")
			case '秒', '초':
				err = d.set(&d.sec, n, "second")
			default:
				usize = 0
				if j-i == 4 {
					err = d.set(&d.year, n, "year")
				} else if j-i <= 2 {
					err = d.set(&d.day, n, "day")
					// An ordinal: 1er, 1st, 2nd, 3rd, 4th.
					for _, suf := range [...]string{"er", "st", "nd", "rd", "th"} {
						if strings.HasPrefix(s[j:], suf) && (j+2 == len(s) || !unicode.IsLetter(rune(s[j+2]))) {
							usize = 2
						}
					}
				} else {
					err = fmt.Errorf("number of %d digits", j-i)
				}
			}
			if err != nil {
				return time.Time{}, err
			}
			i = j + usize
		case (r == '+' || r == '-' || r == '−') && zoneEnd:
			k, off, err := gchatOffset(s, i+size)
			if err != nil {
				return time.Time{}, err
			}
			if r != '+' {
				off = -off
			}
			if off != 0 {
				d.zone = time.FixedZone(fmt.Sprintf("UTC%+03d:%02d", off/3600, absInt(off)%3600/60), off)
			}
			i = k
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				// "a.m." and "p.m." keep their inner dot.
				if !unicode.IsLetter(r2) && !(r2 == '.' && j+n2 < len(s) && isASCIILetter(s[j+n2])) {
					break
				}
				j += n2
			}
			word := s[i:j]
			lw := appendLower(buf[:0], word)
			if m, ok := gchatMonths[string(lw)]; ok {
				if err := d.set(&d.month, int(m), "month"); err != nil {
					return time.Time{}, err
				}
			} else if md := gchatMeridiem(string(lw)); md != 0 {
				if d.meridiem != 0 {
					return time.Time{}, fmt.Errorf("two AM/PM marks")
				}
				d.meridiem = md
			} else if isUpperASCII(word) && len(word) >= 1 && len(word) <= 5 {
				switch word {
				case "UTC", "GMT", "UT", "Z":
					if d.zone != nil {
						return time.Time{}, fmt.Errorf("two time zones")
					}
					d.zone = time.UTC
					d.zoneEnd = true
				default:
					return time.Time{}, fmt.Errorf("time zone %q unknown", word)
				}
			}
			// Any other word is a weekday or a joining word.
			i = j
		default:
			i += size // spaces of every kind, commas, dots
		}
	}
	return d.time(loc)
}

// clock reads h:mm or h:mm:ss (hours of one or two digits) at s[i:] and returns the index after it.
func (d *gchatDate) clock(s string, i int) (int, error) {
	var parts [3]int
	n := 0
	for n < 3 {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i || j-i > 2 || (n > 0 && j-i != 2) {
			return 0, fmt.Errorf("time of day unreadable")
		}
		parts[n] = atoiSmall(s[i:j])
		n++
		i = j
		if i < len(s) && s[i] == ':' && n < 3 {
			i++
			continue
		}
		break
	}
	if n < 2 {
		return 0, fmt.Errorf("time of day unreadable")
	}
	if err := d.set(&d.hour, parts[0], "hour"); err != nil {
		return 0, err
	}
	d.min = parts[1]
	if n == 3 {
		d.sec = parts[2]
	}
	return i, nil
}

// time checks the parts and returns the time they make.
func (d *gchatDate) time(loc *time.Location) (time.Time, error) {
	switch {
	case d.year < 0:
		return time.Time{}, fmt.Errorf("no year")
	case d.month < 0:
		return time.Time{}, fmt.Errorf("no month (or its name is in a language not read)")
	case d.day < 0:
		return time.Time{}, fmt.Errorf("no day")
	case d.hour < 0 || d.min < 0:
		return time.Time{}, fmt.Errorf("no time of day")
	}
	if d.sec < 0 {
		d.sec = 0
	}
	if d.meridiem != 0 {
		if d.hour < 1 || d.hour > 12 {
			return time.Time{}, fmt.Errorf("hour %d with AM/PM", d.hour)
		}
		d.hour %= 12
		if d.meridiem == 2 {
			d.hour += 12
		}
	}
	if d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31 || d.hour > 23 || d.min > 59 || d.sec > 59 {
		return time.Time{}, fmt.Errorf("date or time out of range")
	}
	if d.zone != nil {
		loc = d.zone
	}
	t := time.Date(d.year, time.Month(d.month), d.day, d.hour, d.min, d.sec, 0, loc)
	if t.Day() != d.day {
		return time.Time{}, fmt.Errorf("day %d does not exist in that month", d.day)
	}
	return t, nil
}

// gchatOffset reads the hours and optional minutes of an offset after its sign: 2, 02, 0530, 05:30.
func gchatOffset(s string, i int) (int, int, error) {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	h, m := 0, 0
	switch j - i {
	case 1, 2:
		h = atoiSmall(s[i:j])
		if j+2 < len(s) && s[j] == ':' && isDigit(s[j+1]) && isDigit(s[j+2]) {
			m = atoiSmall(s[j+1 : j+3])
			j += 3
		}
	case 4:
		h, m = atoiSmall(s[i:i+2]), atoiSmall(s[i+2:j])
	default:
		return 0, 0, fmt.Errorf("time zone offset unreadable")
	}
	if h > 14 || m > 59 {
		return 0, 0, fmt.Errorf("time zone offset out of range")
	}
	return j, h*3600 + m*60, nil
}

// atoiSmall converts at most four ASCII digits.
func atoiSmall(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// isUpperASCII says whether w is made of upper-case ASCII letters only.
func isUpperASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return w != ""
}

// appendLower appends the lower case of w to dst, without dots (so that "a.m." is "am").
func appendLower(dst []byte, w string) []byte {
	for _, r := range w {
		if r == '.' {
			continue
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			dst = append(dst, byte(r))
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}
