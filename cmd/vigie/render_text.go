package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// isTerminal reports whether w is a character device (a terminal), without any dependency.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// useColor reports whether output to w may carry ANSI colours: on a terminal, unless NO_COLOR is
// set (https://no-color.org) or TERM is "dumb".
func useColor(w io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// style applies ANSI attributes when colour is on, and nothing otherwise.
type style bool

func (s style) wrap(code, text string) string {
	if !s || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string  { return s.wrap("1", t) }
func (s style) dim(t string) string   { return s.wrap("2", t) }
func (s style) red(t string) string   { return s.wrap("1;31", t) }
func (s style) green(t string) string { return s.wrap("32", t) }
func (s style) cyan(t string) string  { return s.wrap("36", t) }

// bar draws v in [0, 1] as n cells: block characters in colour, '#' and '.' when plain.
func (s style) bar(v float64, n int, hot bool) string {
	k := max(0, min(n, int(v*float64(n)+0.5)))
	if !s {
		return "[" + strings.Repeat("#", k) + strings.Repeat(".", n-k) + "]"
	}
	full := strings.Repeat("█", k)
	if hot {
		full = s.red(full)
	} else {
		full = s.green(full)
	}
	return full + s.dim(strings.Repeat("░", n-k))
}

// summaryOptions say how writeSummary renders.
type summaryOptions struct {
	color bool
	file  string // the input file, shown in the header
}

// writeSummary writes the readable verdict of one conversation: verdict, risk per head, suspect,
// stage timeline, the strongest evidence, legal elements, advice and where to report.
func writeSummary(w io.Writer, c *corpus.Conversation, r *detect.Report, o summaryOptions) error {
	L := labelsFor(r.Lang)
	st := style(o.color)
	colon := L["colon"]
	var b strings.Builder
	nmsg := L["messages_of"]
	if r.Messages == 1 {
		nmsg = L["message_of"]
	}
	header := fmt.Sprintf("== %s · %s · %d %s", safe(convLabel(r.ID, c.Title)), safe(nonEmpty(r.Platform, nonEmpty(string(c.Source.Format), "?"))), r.Messages, nmsg)
	if o.file != "" {
		header += " · " + safe(o.file)
	}
	fmt.Fprintln(&b, st.bold(header))

	v, flagged := verdict(r, L)
	if flagged {
		fmt.Fprintf(&b, "%s%s %s\n  %s\n", L["verdict"], colon, st.red(v), L["alert_read"])
	} else {
		why := L["ok_none"]
		if len(r.Evidence) > 0 {
			why = L["ok_cues"]
		}
		fmt.Fprintf(&b, "%s%s %s\n  %s\n", L["verdict"], colon, st.green(v), why)
	}

	fmt.Fprintf(&b, "%s%s\n", st.bold(L["risk"]), colon)
	for _, h := range []struct {
		name string
		s    detect.HeadScore
	}{{L["grooming"], r.Grooming}, {L["sextortion"], r.Sextortion}} {
		mark := st.dim(L["not_flagged"])
		if h.s.Flagged {
			mark = st.red(L["flagged"])
		}
		fmt.Fprintf(&b, "  %s %s %.2f  (%s %.2f) %s\n", padRight(h.name, 13), st.bar(h.s.Score, 20, h.s.Flagged),
			h.s.Score, L["threshold"], h.s.Threshold, mark)
	}

	if r.Suspect != nil {
		n := 0
		for _, a := range r.Authors {
			if a.Author == *r.Suspect {
				n = a.Messages
			}
		}
		fmt.Fprintf(&b, "%s%s %s (%d/%d %s)\n", st.bold(L["suspect"]), colon, safe(*r.Suspect), n, r.Messages, L["messages_of"])
	}

	if len(r.Timeline) > 0 {
		fmt.Fprintf(&b, "%s%s\n", st.bold(L["stages"]), colon)
		for _, e := range r.Timeline {
			when := e.Offset
			if when == "" {
				when = "—"
			}
			fmt.Fprintf(&b, "  %s %s %s %s ×%d\n", padRight(when, 10), padRight("#"+safe(e.MessageID), 6),
				padRight(stageName(e.Stage, r.Lang), 32), safe(e.Author), e.Count)
		}
	}

	if ev := strongest(r.Evidence, 5); len(ev) > 0 {
		fmt.Fprintf(&b, "%s%s\n", st.bold(L["evidence"]), colon)
		for _, e := range ev {
			who := "" // a message without author (a flat text) names nobody
			if e.Author != "" {
				who = " " + safe(e.Author) + ","
			}
			fmt.Fprintf(&b, "  %s #%s%s %s%s %s\n", st.dim(timeOr(e.Time, L)), safe(e.MessageID), who,
				stageName(e.Stage, r.Lang), colon, st.cyan(quote(e.Quote, r.Lang)))
		}
	}

	if len(r.Legal) > 0 && flagged {
		fmt.Fprintf(&b, "%s%s\n", st.bold(L["legal"]), colon)
		for _, l := range r.Legal {
			names := make([]string, len(l.Stages))
			for i, s := range l.Stages {
				names[i] = stageName(s, r.Lang)
			}
			fmt.Fprintf(&b, "  %s — %s (%s)\n", l.Ref, l.Name, strings.Join(names, ", "))
		}
	}

	fmt.Fprintf(&b, "%s\n", st.bold(r.Advice.Title))
	for i, s := range r.Advice.Steps {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, s)
	}
	if flagged {
		fmt.Fprintf(&b, "%s%s\n", st.bold(L["report_where"]), colon)
		for _, ct := range r.Advice.Contacts {
			fmt.Fprintf(&b, "  %s %s — %s — %s\n", padRight(ct.Region, 3), ct.Name, ct.What, ct.Where)
		}
		fmt.Fprintf(&b, "%s\n", r.Advice.Note)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s%s %s\n", L["notes"], colon, n)
	}
	fmt.Fprintf(&b, "%s\n\n", st.dim(r.Disclaimer))
	_, err := io.WriteString(w, b.String())
	return err
}

// recapItem is what the recap keeps of one scored conversation.
type recapItem struct {
	id, platform, file, lang string // id: the conversation's label (see convLabel)
	grooming, sextortion     detect.HeadScore
	suspect                  string
}

func newRecapItem(r *detect.Report, title, file string) recapItem {
	it := recapItem{id: convLabel(r.ID, title), platform: r.Platform, file: file, lang: r.Lang, grooming: r.Grooming, sextortion: r.Sextortion}
	if r.Suspect != nil {
		it.suspect = *r.Suspect
	}
	return it
}

func (it recapItem) flagged() bool { return it.grooming.Flagged || it.sextortion.Flagged }

// writeRecap ends a summary of several conversations (a phone backup, a whole download, where the
// flagged ones would be lost among the others) with the flagged ones, the highest risk first, one
// line each, and the count of the others. lang is the language of the recap.
func writeRecap(w io.Writer, items []recapItem, lang string, color bool) error {
	L := labelsFor(lang)
	st := style(color)
	var flagged []recapItem
	for _, it := range items {
		if it.flagged() {
			flagged = append(flagged, it)
		}
	}
	top := func(it recapItem) float64 { return max(it.grooming.Score, it.sextortion.Score) }
	sort.SliceStable(flagged, func(i, j int) bool { return top(flagged[i]) > top(flagged[j]) })
	var b strings.Builder
	fmt.Fprintln(&b, st.bold("== "+fmt.Sprintf(L["recap"], len(items), len(flagged))))
	for _, it := range flagged {
		var heads []string
		for _, h := range []struct {
			name string
			s    detect.HeadScore
		}{{L["grooming"], it.grooming}, {L["sextortion"], it.sextortion}} {
			if h.s.Flagged {
				heads = append(heads, fmt.Sprintf("%s %.2f", h.name, h.s.Score))
			}
		}
		line := fmt.Sprintf("  %s %s · %s", st.red("!"), st.red(strings.Join(heads, ", ")), safe(it.id))
		if it.suspect != "" {
			line += fmt.Sprintf(" · %s%s %s", L["suspect"], L["colon"], safe(it.suspect))
		}
		if it.file != "" {
			line += " · " + safe(it.file)
		}
		fmt.Fprintln(&b, line)
	}
	if len(flagged) == 0 {
		fmt.Fprintf(&b, "  %s\n", st.green(L["recap_none"]))
	} else if rest := len(items) - len(flagged); rest > 0 {
		fmt.Fprintf(&b, "  %s\n", st.dim(fmt.Sprintf(L["recap_rest"], rest)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// recapLang is the language of the recap: --lang, else the conversations' one when they share it,
// else the system's.
func recapLang(flag string, items []recapItem, getenv func(string) string) string {
	if flag != "" {
		return flag
	}
	lang := ""
	for i, it := range items {
		if i > 0 && it.lang != lang {
			return systemLang(getenv)
		}
		lang = it.lang
	}
	if lang == "" {
		return systemLang(getenv)
	}
	return lang
}

// strongest returns the n heaviest evidence items, in conversation order (ties keep their order).
func strongest(ev []detect.Evidence, n int) []detect.Evidence {
	idx := make([]int, len(ev))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ev[idx[a]].Weight > ev[idx[b]].Weight })
	if len(idx) > n {
		idx = idx[:n]
	}
	sort.Ints(idx)
	out := make([]detect.Evidence, len(idx))
	for i, k := range idx {
		out[i] = ev[k]
	}
	return out
}

// quote returns s in the quotation marks of lang, on one line, cut to 120 characters.
func quote(s, lang string) string {
	s = safe(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) > 120 {
		r := []rune(s)
		s = string(r[:119]) + "…"
	}
	if lang == langFR {
		return "« " + s + " »"
	}
	return "“" + s + "”"
}

// safe makes transcript text harmless on a terminal: control characters (escape sequences that
// could retitle or clear the terminal) and bidirectional overrides are shown as <U+XXXX>.
func safe(s string) string {
	ok := true
	for _, r := range s {
		if isUnsafeRune(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isUnsafeRune(r) {
			fmt.Fprintf(&b, "<U+%04X>", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isUnsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

func timeOr(t *time.Time, L labels) string {
	if t == nil {
		return L["time_unknown"]
	}
	return t.Format("2006-01-02 15:04")
}

// convLabel names a conversation for a reader: its title and its id, "Sam & Alex (c-123)", when
// the title says something the id does not (a Discord channel id, a Google Chat group id, a
// thread folder); the id alone otherwise.
func convLabel(id, title string) string {
	title = strings.TrimSpace(title)
	if title == "" || strings.Contains(id, title) {
		return id
	}
	return title + " (" + id + ")"
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// padRight pads s with spaces to n runes (fmt's %-Ns counts bytes, which misaligns accents).
func padRight(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}
