package corpus

// What the readers of DiscordChatExporter's HTML, plain-text and CSV exports share: the dates that
// the exporter writes with a .NET format string, the conversation id and title, the system
// notifications, and the reader's skeleton (one file, one channel).
//
// Dates. DiscordChatExporter formats every date with ExportContext.FormatDate
// (DiscordChatExporter.Core/Exporting/ExportContext.cs):
//
//	public string FormatDate(DateTimeOffset instant, string format = "g") =>
//	    NormalizeDate(instant).ToString(format, Request.CultureInfo);
//
// NormalizeDate converts to the exporting machine's local time (or to UTC with --utc); the zone is
// not written. "g" is the locale's short date and short time ("4/27/2024 4:02 PM" in en-US,
// "27/04/2024 16:02" in fr-FR, "27.04.2024 16:02" in de-DE, "2024/04/27 16:02" in ja-JP), "f" its
// long date and short time ("Saturday, April 27, 2024 4:02 PM", "samedi 27 avril 2024 16:02"), and
// the CSV writer uses "o" (ISO 8601 with the offset). The locale is the machine's unless the user
// chose one (--locale); older versions had a date format setting instead (ExportRequest.DateFormat),
// whose default in the GUI's SettingsService was "dd-MMM-yy hh:mm tt" ("27-Apr-24 04:02 PM"). So a
// date is read by its parts: a clock, an AM/PM marker, a month name (English, French, German,
// Spanish, Italian, Portuguese, Dutch), and numbers; a numeric day and month are ordered by
// [Options.DateOrder], else by the whole file (a number above 12 settles it), else month first with
// a 12-hour clock (en-US) and day first otherwise. Dates without a zone are read in
// [Options.Location].

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// dceDate is a date read by its parts, not yet placed in time: a numeric day and month stay
// ambiguous (a, b) until the order of the whole file is known.
type dceDate struct {
	a, b, y  int  // numeric date: first and second fields, year
	ymd      bool // the year came first
	named    bool // the month was named: a is the day, b the month
	h, m, s  int
	ampm     int // 0 none, 1 AM, 2 PM
	exact    time.Time
	hasExact bool // an ISO 8601 date with its offset
}

var (
	dceClock = regexp.MustCompile(`(\d{1,2}):(\d{2})(?::(\d{2}))?`)
	// dceDotClock is the clock of the locales that write "16.02" (fi-FI, da-DK), last in the date.
	dceDotClock = regexp.MustCompile(`(\d{1,2})\.(\d{2})(?:\.(\d{2}))?\s*$`)
	// dceMonths maps month names and abbreviations (lower case, without a final '.') to months:
	// English, French, German, Spanish, Italian, Portuguese, Dutch.
	dceMonths = func() map[string]int {
		m := map[string]int{}
		add := func(names ...string) {
			for i, n := range names {
				for _, v := range strings.Split(n, "|") {
					m[v] = i + 1
				}
			}
		}
		add("january|jan", "february|feb", "march|mar", "april|apr", "may", "june|jun", "july|jul",
			"august|aug", "september|sep|sept", "october|oct", "november|nov", "december|dec")
		add("januar", "februar", "märz|mär", "april", "mai", "juni", "juli", "august", "september",
			"oktober|okt", "november", "dezember|dez")
		add("enero|ene", "febrero", "marzo", "abril|abr", "mayo", "junio", "julio", "agosto|ago",
			"septiembre|setiembre", "octubre", "noviembre", "diciembre|dic")
		add("gennaio|gen", "febbraio", "marzo", "aprile", "maggio|mag", "giugno|giu", "luglio|lug",
			"agosto", "settembre|set", "ottobre|ott", "novembre", "dicembre")
		add("janeiro", "fevereiro|fev", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
			"outubro|out", "novembro", "dezembro")
		add("januari", "februari", "maart|mrt", "april", "mei", "juni", "juli", "augustus", "september",
			"oktober", "november", "december")
		for k, v := range frMonths { // the Meta reader's French names
			m[k] = int(v)
		}
		return m
	}()
)

// parseDCEDate reads a date as DiscordChatExporter writes it (see the file comment).
func parseDCEDate(s string) (dceDate, bool) {
	var d dceDate
	s = strings.TrimSpace(s)
	if len(s) > 128 || s == "" {
		return d, false
	}
	if strings.Contains(s, "T") && s[0] >= '0' && s[0] <= '9' {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			d.exact, d.hasExact = t, true
			return d, true
		}
	}
	low := strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u202f' {
			return ' '
		}
		return r
	}, s))
	loc := dceClock.FindStringSubmatchIndex(low)
	if loc == nil {
		loc = dceDotClock.FindStringSubmatchIndex(low)
	}
	if loc == nil {
		return d, false
	}
	d.h, _ = strconv.Atoi(low[loc[2]:loc[3]])
	d.m, _ = strconv.Atoi(low[loc[4]:loc[5]])
	if loc[6] >= 0 {
		d.s, _ = strconv.Atoi(low[loc[6]:loc[7]])
	}
	rest := low[:loc[0]] + " " + low[loc[1]:]
	var nums []string
	month := 0
	for _, f := range strings.FieldsFunc(rest, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	}) {
		f = strings.Trim(f, ".")
		switch {
		case f == "":
		case f == "am" || f == "a.m":
			d.ampm = 1
		case f == "pm" || f == "p.m":
			d.ampm = 2
		case f[0] >= '0' && f[0] <= '9':
			for _, p := range strings.Split(f, ".") { // "27.04.2024"
				if p != "" {
					nums = append(nums, p)
				}
			}
		default:
			if mo, ok := dceMonths[f]; ok {
				month = mo // the last: an abbreviated weekday ("mar.") may look like a month
			}
		}
	}
	if d.ampm != 0 && (d.h < 1 || d.h > 12) || d.h > 23 || d.m > 59 || d.s > 59 {
		return d, false
	}
	num := func(s string) (int, bool) {
		if len(s) > 4 {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	year := func(s string) (int, bool) {
		n, ok := num(s)
		if ok && len(s) <= 2 {
			n += 2000
		}
		return n, ok && (len(s) == 2 || len(s) == 4)
	}
	var ok1, ok2, ok3 bool
	switch {
	case month > 0 && len(nums) == 2:
		d.named, d.b = true, month
		if len(nums[0]) == 4 { // "2024年4月27日"-like orders: year first
			d.y, ok1 = year(nums[0])
			d.a, ok2 = num(nums[1])
		} else {
			d.a, ok1 = num(nums[0])
			d.y, ok2 = year(nums[1])
		}
		ok3 = true
	case month == 0 && len(nums) == 3:
		if len(nums[0]) == 4 {
			d.ymd = true
			d.y, ok1 = year(nums[0])
			d.a, ok2 = num(nums[1])
			d.b, ok3 = num(nums[2])
		} else {
			d.a, ok1 = num(nums[0])
			d.b, ok2 = num(nums[1])
			d.y, ok3 = year(nums[2])
		}
	}
	if !ok1 || !ok2 || !ok3 || d.a < 1 || d.b < 1 || d.a > 31 || d.b > 31 {
		return d, false
	}
	return d, true
}

// dceOrder decides the order of numeric dates from the dates of a whole file: a first field above
// 12 means day first, a second one month first; else a 12-hour clock means month first (en-US).
func dceOrder(forced DateOrder, dates []dceDate) DateOrder {
	if forced != DateAuto {
		return forced
	}
	ampm := false
	for _, d := range dates {
		if d.named || d.ymd || d.hasExact {
			continue
		}
		switch {
		case d.a > 12 && d.b <= 12:
			return DateDMY
		case d.b > 12 && d.a <= 12:
			return DateMDY
		}
		ampm = ampm || d.ampm != 0
	}
	if ampm {
		return DateMDY
	}
	return DateDMY
}

// at places d in time, reading numeric dates in order and dates without a zone in loc.
func (d dceDate) at(order DateOrder, loc *time.Location) (time.Time, bool) {
	if d.hasExact {
		return d.exact, true
	}
	day, month := d.a, d.b
	switch {
	case d.named:
	case d.ymd:
		day, month = d.b, d.a // yyyy/MM/dd
	case order == DateMDY:
		day, month = d.b, d.a
	}
	h := d.h
	switch {
	case d.ampm == 1 && h == 12:
		h = 0
	case d.ampm == 2 && h < 12:
		h += 12
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(d.y, time.Month(month), day, h, d.m, d.s, 0, loc)
	if t.Day() != day { // 31 April
		return time.Time{}, false
	}
	return t, true
}

// dceDates collects the dates of a file's messages, to be placed once the file is read, and counts
// the messages whose date cannot be read: they are kept with an unknown time, and one problem
// says how many there are.
type dceDates struct {
	idx   []int // message index
	dates []dceDate
	bad   int // messages whose time is unknown
	first int // index of the first of them
	off   int64
}

func (p *dceDates) add(i int, d dceDate) {
	p.idx = append(p.idx, i)
	p.dates = append(p.dates, d)
}

// unknown records that message i's date cannot be read; off is where the message starts, -1 if
// unknown.
func (p *dceDates) unknown(i int, off int64) {
	if p.bad == 0 || i < p.first {
		p.first, p.off = i, off
	}
	p.bad++
}

// place sets the times of c's messages, then reports the messages whose time is unknown as one
// problem, positioned at the first of them, through perr.
func (p *dceDates) place(c *Conversation, o Options, perr func(line int, off int64, msg string) *ParseError, add func(*ParseError)) {
	order := dceOrder(o.DateOrder, p.dates)
	for k, d := range p.dates {
		m := &c.Messages[p.idx[k]]
		if t, ok := d.at(order, o.location()); ok {
			m.Time = t
		} else {
			p.unknown(p.idx[k], -1)
		}
	}
	if p.bad > 0 {
		m := &c.Messages[p.first]
		add(perr(m.Line, p.off, fmt.Sprintf("time unknown for %d message(s), the first %q: its date cannot be read", p.bad, m.ID)))
	}
}

// dceFileName returns the file name at the end of an attachment's URL or path, unescaped.
func dceFileName(u string) string {
	n := lastPathElem(u)
	if un, err := url.PathUnescape(n); err == nil {
		return un
	}
	return n
}

// dceChannelID is the channel id that DiscordChatExporter writes in its default file names:
// "Guild - Category - channel [123456789012345678].html" (ExportRequest.GetDefaultOutputFileName).
var dceChannelID = regexp.MustCompile(`\[([0-9]{6,20})\]`)

// dceFinish fills the id, title, participants and source of a conversation read from an HTML,
// plain-text or CSV export, in the JSON reader's terms: the id is the channel id when the file
// name carries it, else "guild / channel" from the preamble, else the file's stem.
func dceFinish(c *Conversation, name, guild, channel, reader string, o Options) {
	switch m := dceChannelID.FindAllStringSubmatch(fileStem(name), -1); {
	case m != nil:
		c.ID = m[len(m)-1][1]
	case guild != "" || channel != "":
		c.ID = guild + " / " + channel
	case fileStem(name) != "":
		c.ID = fileStem(name)
	default:
		c.ID = "discord"
	}
	c.Title = channel
	if guild != "" && guild != "Direct Messages" {
		c.Title = guild + " / " + channel
	}
	c.Participants = participantsOf(c, nil)
	finishConversation(c, name, FormatDiscord, reader, o)
}

// dceSystemText matches the text that the plain-text and CSV writers put for a system notification
// (PlainTextMessageExtensions.GetFallbackContent).
var dceSystemText = regexp.MustCompile(`^(Added .+ to the group\.|Added a recipient\.|Left the group\.|` +
	`Removed .+ from the group\.|Removed a recipient\.|Started a call that lasted [0-9,.]+ minutes\.|` +
	`Changed the channel name(: .*|\.)|Changed the channel icon\.|Pinned a message\.|Started a thread\.|` +
	`Joined the server\.)$`)

// dceReader is the skeleton of the HTML, plain-text and CSV readers: a file holds one channel, read
// at the first call to Next. A read error keeps the messages read before it.
type dceReader struct {
	problems
	read func() (*Conversation, error)
	cur  *Conversation
	err  error
	done bool
}

func (r *dceReader) Next() bool {
	r.cur = nil
	if r.done {
		return false
	}
	r.done = true
	c, err := r.read()
	r.err = err
	if c == nil || (err != nil && len(c.Messages) == 0) {
		return false
	}
	r.cur = c
	return true
}

func (r *dceReader) Conversation() *Conversation { return r.cur }
func (r *dceReader) Err() error                  { return r.err }
func (r *dceReader) Format() Format              { return FormatDiscord }
func (r *dceReader) Close() error                { return nil }

// dceCap cuts text to the cap and reports the cut.
func dceCap(p *problems, o Options, text string, cut bool, perr func(msg string, err error) *ParseError, id string) string {
	if len(text) <= o.maxMessageBytes() && !cut {
		return text
	}
	p.add(perr(fmt.Sprintf("message %q: text cut to %d bytes", id, o.maxMessageBytes()), ErrTooLarge))
	return truncateUTF8(text, o.maxMessageBytes())
}
