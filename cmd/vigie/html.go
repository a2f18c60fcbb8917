package main

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// The HTML evidence report: one self-contained file (inline CSS and SVG, no script, no external
// asset) with a section per conversation. All transcript text goes through html/template, which
// escapes it for the context it lands in.

// htmlDoc is the whole report.
type htmlDoc struct {
	Lang      string
	L         labels
	Generated string
	Vigie     string
	Sections  []*htmlSection
}

// htmlSection is one conversation.
type htmlSection struct {
	Anchor      string
	Lang        string
	L           labels
	R           *detect.Report
	Name        string // the conversation's title and id (see convLabel)
	Input       inputInfo
	AnalyzedAt  string
	Vigie       string
	Verdict     string
	Flagged     bool
	VerdictWhy  string
	Heads       []htmlHead
	SuspectMsgs int
	Timeline    []htmlStage
	Strong      []htmlEvidence
	Legal       []htmlLegal
	Chart       *htmlChart
	Messages    []htmlMessage
	Thresholds  string
	Evidence    int // number of evidence items, each highlighted once
}

type htmlHead struct {
	Key, Name            string
	Score, Threshold     float64
	Flagged              bool
	BarW, ThrX           float64 // pixels in the 200-pixel bar
	WindowFrom, WindowTo string  // message ids of the highest-risk window
	WindowAnchor         string
}

type htmlStage struct {
	Offset, MessageID, Anchor, Stage, Name, Head, Author string
	Count                                                int
}

type htmlEvidence struct {
	Time, MessageID, Anchor, Author, Stage, Name, Head, Quote string
}

type htmlLegal struct {
	Ref, Name, Description, Stages string
}

type htmlMessage struct {
	Anchor, ID, Author, Time, Offset string
	System, Deleted, Suspect         bool
	InGrooming, InSextortion         bool
	Attachments                      []string
	Parts                            []htmlPart
}

// htmlPart is a run of message text: plain, or highlighted by the evidence items covering it.
// Labels are the evidence items that start here: each is drawn once, as a small label naming its
// stage, so the number of labels equals the number of evidence items.
type htmlPart struct {
	Text   string
	Mark   bool
	Head   string // class of the highlight: grooming, sextortion or both
	Title  string
	EvIDs  string
	Labels []htmlLabel
}

type htmlLabel struct {
	ID         string // unique in the document: section anchor and evidence index
	Head, Name string
}

// newHTMLSection prepares the section of conversation number k (from 1).
func newHTMLSection(k int, c *corpus.Conversation, r *detect.Report, in inputInfo, analyzedAt time.Time, vigie string) *htmlSection {
	L := labelsFor(r.Lang)
	s := &htmlSection{Anchor: "c" + strconv.Itoa(k), Lang: r.Lang, L: L, R: r, Name: convLabel(r.ID, c.Title), Input: in,
		AnalyzedAt: analyzedAt.UTC().Format(time.RFC3339), Vigie: vigie, Evidence: len(r.Evidence)}
	if s.Input.File == "<stdin>" || s.Input.File == "" {
		s.Input.File = L["stdin"]
	}
	s.Verdict, s.Flagged = verdict(r, L)
	if s.Flagged {
		s.VerdictWhy = L["alert_read"]
	} else if len(r.Evidence) > 0 {
		s.VerdictWhy = L["ok_cues"]
	} else {
		s.VerdictWhy = L["ok_none"]
	}
	msgAnchor := func(i int) string { return fmt.Sprintf("%s-m%d", s.Anchor, i) }
	msgID := func(i int) string {
		if i >= 0 && i < len(c.Messages) {
			return c.Messages[i].ID
		}
		return strconv.Itoa(i + 1)
	}
	for _, h := range []struct {
		key string
		hs  detect.HeadScore
	}{{detect.HeadGrooming, r.Grooming}, {detect.HeadSextortion, r.Sextortion}} {
		hh := htmlHead{Key: h.key, Name: L[h.key], Score: h.hs.Score, Threshold: h.hs.Threshold, Flagged: h.hs.Flagged,
			BarW: 200 * clamp01(h.hs.Score), ThrX: 200 * clamp01(h.hs.Threshold)}
		if h.hs.End > h.hs.Start {
			hh.WindowFrom, hh.WindowTo, hh.WindowAnchor = msgID(h.hs.Start), msgID(h.hs.End-1), msgAnchor(h.hs.Start)
		}
		s.Heads = append(s.Heads, hh)
	}
	var th []string
	for _, h := range []string{detect.HeadGrooming, detect.HeadSextortion} {
		if v, ok := r.Model.Thresholds[h]; ok {
			th = append(th, fmt.Sprintf("%s %.4f", h, v))
		}
	}
	s.Thresholds = strings.Join(th, ", ")
	if r.Suspect != nil {
		for _, a := range r.Authors {
			if a.Author == *r.Suspect {
				s.SuspectMsgs = a.Messages
			}
		}
	}
	for _, e := range r.Timeline {
		s.Timeline = append(s.Timeline, htmlStage{Offset: e.Offset, MessageID: e.MessageID, Anchor: msgAnchor(e.MessageIndex),
			Stage: e.Stage, Name: stageName(e.Stage, r.Lang), Head: e.Head, Author: e.Author, Count: e.Count})
	}
	for _, e := range strongest(r.Evidence, 5) {
		s.Strong = append(s.Strong, htmlEvidence{Time: timeOr(e.Time, L), MessageID: e.MessageID, Anchor: msgAnchor(e.MessageIndex),
			Author: e.Author, Stage: e.Stage, Name: stageName(e.Stage, r.Lang), Head: e.Head, Quote: e.Quote})
	}
	for _, l := range r.Legal {
		names := make([]string, len(l.Stages))
		for i, st := range l.Stages {
			names[i] = stageName(st, r.Lang)
		}
		s.Legal = append(s.Legal, htmlLegal{Ref: l.Ref, Name: l.Name, Description: l.Description, Stages: strings.Join(names, ", ")})
	}
	s.Chart = newChart(c, r)
	s.Messages = htmlMessages(c, r, msgAnchor)
	return s
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// htmlMessages renders the conversation with the evidence spans highlighted.
func htmlMessages(c *corpus.Conversation, r *detect.Report, anchor func(int) string) []htmlMessage {
	byMsg := map[int][]int{}
	for k, e := range r.Evidence {
		byMsg[e.MessageIndex] = append(byMsg[e.MessageIndex], k)
	}
	var first time.Time
	for i := range c.Messages {
		if !c.Messages[i].Time.IsZero() {
			first = c.Messages[i].Time
			break
		}
	}
	out := make([]htmlMessage, len(c.Messages))
	for i := range c.Messages {
		m := &c.Messages[i]
		hm := htmlMessage{Anchor: anchor(i), ID: m.ID, Author: m.Author, System: m.System, Deleted: m.Deleted,
			Suspect:      r.Suspect != nil && m.Author == *r.Suspect,
			InGrooming:   r.Grooming.Flagged && i >= r.Grooming.Start && i < r.Grooming.End,
			InSextortion: r.Sextortion.Flagged && i >= r.Sextortion.Start && i < r.Sextortion.End}
		if !m.Time.IsZero() {
			hm.Time = m.Time.Format("2006-01-02 15:04:05 Z07:00")
			if !first.IsZero() {
				hm.Offset = detect.FormatOffset(m.Time.Sub(first))
			}
		}
		for _, a := range m.Attachments {
			t := string(a.Kind)
			if a.Name != "" {
				t += ": " + a.Name
			}
			hm.Attachments = append(hm.Attachments, t)
		}
		hm.Parts = highlight(m.Text, r.Evidence, byMsg[i], r.Lang, strings.SplitN(anchor(i), "-", 2)[0]+"-")
		out[i] = hm
	}
	return out
}

// highlight cuts text at the bounds of the evidence items ids (indexes into ev) and marks each
// run with the items covering it. Byte offsets that fall inside a UTF-8 sequence are moved back
// to the start of the rune. An item whose span is empty or out of range still gets its label, at
// the start of the text.
func highlight(text string, ev []detect.Evidence, ids []int, lang, prefix string) []htmlPart {
	type span struct{ id, start, end int }
	var spans []span
	var orphans []htmlLabel
	runeStart := func(p int) int {
		for p > 0 && p < len(text) && !utf8.RuneStart(text[p]) {
			p--
		}
		return p
	}
	for _, id := range ids {
		e := ev[id]
		st, en := runeStart(e.Start), runeStart(e.End)
		if e.Start < 0 || e.End > len(text) || st >= en {
			orphans = append(orphans, htmlLabel{ID: prefix + strconv.Itoa(id), Head: e.Head, Name: stageName(e.Stage, lang)})
			continue
		}
		spans = append(spans, span{id, st, en})
	}
	cuts := []int{0, len(text)}
	for _, sp := range spans {
		cuts = append(cuts, sp.start, sp.end)
	}
	sort.Ints(cuts)
	var parts []htmlPart
	if len(orphans) > 0 {
		parts = append(parts, htmlPart{Labels: orphans})
	}
	for k := 0; k+1 < len(cuts); k++ {
		a, b := cuts[k], cuts[k+1]
		if a == b {
			continue
		}
		p := htmlPart{Text: text[a:b]}
		var evIDs, titles []string
		heads := map[string]bool{}
		for _, sp := range spans {
			if sp.start == a {
				e := ev[sp.id]
				p.Labels = append(p.Labels, htmlLabel{ID: prefix + strconv.Itoa(sp.id), Head: e.Head, Name: stageName(e.Stage, lang)})
			}
			if sp.start <= a && sp.end >= b {
				e := ev[sp.id]
				evIDs = append(evIDs, prefix+strconv.Itoa(sp.id))
				titles = append(titles, stageName(e.Stage, lang)+" ("+e.Stage+", "+e.Cue+")")
				heads[e.Head] = true
			}
		}
		if len(evIDs) > 0 {
			p.Mark, p.EvIDs, p.Title = true, strings.Join(evIDs, " "), strings.Join(titles, "; ")
			switch {
			case heads[detect.HeadGrooming] && heads[detect.HeadSextortion]:
				p.Head = "both"
			case heads[detect.HeadSextortion]:
				p.Head = detect.HeadSextortion
			default:
				p.Head = detect.HeadGrooming
			}
		}
		parts = append(parts, p)
	}
	return parts
}

// htmlChart is the risk timeline, drawn as inline SVG by the template.
type htmlChart struct {
	W, H, Left, Top, PlotW, PlotH, Bottom float64
	Lines                                 []chartLine
	Windows                               []chartWindow
	Markers                               []chartMarker
	XTicks, YTicks                        []chartTick
	LaneY                                 float64
	Title, Desc, XLabel, YLabel           string
}

type chartLine struct {
	Head, Name, Points string
	Total, Score       float64
	LegendX            float64
}

type chartWindow struct {
	Head, Label string
	X, W, BarY  float64 // BarY: the bar above the plot that marks the window
	Flagged     bool
}

type chartMarker struct {
	X, Y, LabelY float64
	LabelX       float64
	Anchor       string // text-anchor of the label: start, or end near the right edge
	Head, Name   string
	Stage        string
	Title        string
}

type chartTick struct {
	X, Y  float64
	Label string
}

// newChart draws, along the messages, the cumulative cue weight of each head (normalized to the
// larger total), each head's highest-risk window and a marker where each stage first appears.
// The report has no per-window risk curve, so the model's risk shows as the windows and scores.
func newChart(c *corpus.Conversation, r *detect.Report) *htmlChart {
	n := len(c.Messages)
	if n == 0 {
		return nil
	}
	L := labelsFor(r.Lang)
	ch := &htmlChart{W: 1000, Left: 56, Top: 46, PlotW: 920, PlotH: 200,
		Title: L["chart"], Desc: L["chart_desc"], XLabel: L["chart_x"], YLabel: L["chart_y"]}
	ch.Bottom = ch.Top + ch.PlotH
	x := func(i float64) float64 { return ch.Left + i/float64(n)*ch.PlotW }
	cum := map[string][]float64{detect.HeadGrooming: make([]float64, n), detect.HeadSextortion: make([]float64, n)}
	for _, e := range r.Evidence {
		if cs, ok := cum[e.Head]; ok && e.MessageIndex >= 0 && e.MessageIndex < n {
			cs[e.MessageIndex] += e.Weight
		}
	}
	top := 0.0
	for _, cs := range cum {
		for i := 1; i < n; i++ {
			cs[i] += cs[i-1]
		}
		top = max(top, cs[n-1])
	}
	y := func(v float64) float64 {
		if top <= 0 {
			return ch.Bottom
		}
		return ch.Bottom - v/top*ch.PlotH
	}
	for k, h := range []struct {
		key string
		hs  detect.HeadScore
	}{{detect.HeadGrooming, r.Grooming}, {detect.HeadSextortion, r.Sextortion}} {
		cs := cum[h.key]
		var pts strings.Builder
		fmt.Fprintf(&pts, "%.1f,%.1f", x(0), ch.Bottom)
		for i := range n {
			fmt.Fprintf(&pts, " %.1f,%.1f %.1f,%.1f", x(float64(i)), y(cs[i]), x(float64(i+1)), y(cs[i]))
		}
		ch.Lines = append(ch.Lines, chartLine{Head: h.key, Name: L[h.key], Points: pts.String(), Total: cs[n-1],
			Score: h.hs.Score, LegendX: ch.Left + float64(k)*330})
		if h.hs.End > h.hs.Start {
			ch.Windows = append(ch.Windows, chartWindow{Head: h.key, Flagged: h.hs.Flagged,
				X: x(float64(h.hs.Start)), W: x(float64(h.hs.End)) - x(float64(h.hs.Start)), BarY: ch.Top - 14 + 7*float64(k),
				Label: fmt.Sprintf("%s: %s %.2f", L[h.key], L["window"], h.hs.Score)})
		}
	}
	// Stage labels below the plot, in as many rows as needed so that none overlap.
	ch.LaneY = ch.Bottom + 40
	var rowEnd []float64
	for _, e := range r.Timeline {
		mx := x(float64(e.MessageIndex) + 0.5)
		name := stageName(e.Stage, r.Lang)
		w := 6.2*float64(utf8.RuneCountInString(name)) + 14
		lx, anchor := mx+4, "start"
		if mx+w > ch.W-4 {
			lx, anchor = mx-4, "end" // would run off the right edge: write it leftwards
		}
		row := 0
		for row < len(rowEnd) && rowEnd[row] > min(mx, lx-w) {
			row++
		}
		if row == len(rowEnd) {
			rowEnd = append(rowEnd, 0)
		}
		rowEnd[row] = max(mx, lx) + w*float64(boolInt(anchor == "start"))
		title := name
		if e.Offset != "" {
			title += " " + e.Offset
		}
		ch.Markers = append(ch.Markers, chartMarker{X: mx, Y: y(cum[e.Head][e.MessageIndex]), LabelY: ch.LaneY + float64(row)*16,
			LabelX: lx, Anchor: anchor,
			Head: e.Head, Name: name, Stage: e.Stage, Title: title + " #" + e.MessageID})
	}
	ch.H = ch.LaneY + float64(len(rowEnd))*16 + 8
	step := max(1, (n+9)/10)
	for i := 0; i < n; i += step {
		ch.XTicks = append(ch.XTicks, chartTick{X: x(float64(i) + 0.5), Y: ch.Bottom + 16, Label: strconv.Itoa(i + 1)})
	}
	if (n-1)%step != 0 {
		ch.XTicks = append(ch.XTicks, chartTick{X: x(float64(n-1) + 0.5), Y: ch.Bottom + 16, Label: strconv.Itoa(n)})
	}
	for _, f := range []float64{0, 0.5, 1} {
		ch.YTicks = append(ch.YTicks, chartTick{X: ch.Left - 6, Y: ch.Bottom - f*ch.PlotH, Label: fmt.Sprintf("%.0f%%", 100*f)})
	}
	return ch
}

var htmlTmpl = template.Must(template.New("report").Parse(htmlTemplate))

// renderHTML writes the report of the sections to w.
func renderHTML(w io.Writer, doc *htmlDoc) error {
	return htmlTmpl.Execute(w, doc)
}

// writeHTMLFile renders the report and replaces path with it atomically (a temporary file in the
// same folder, then a rename), so that a failed run never leaves half a report.
func writeHTMLFile(path string, doc *htmlDoc) error {
	var buf bytes.Buffer
	if err := renderHTML(&buf, doc); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".vigie-report-*.html")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// sameFileAsInput reports whether out names one of the inputs (or a file inside an input folder):
// a report must never overwrite what it analyzes.
func sameFileAsInput(out string, inputs []string) (string, bool) {
	ost, oerr := os.Stat(out)
	oabs, err := filepath.Abs(out)
	if err != nil {
		return "", false
	}
	for _, in := range inputs {
		ist, err := os.Stat(in)
		if err != nil {
			continue
		}
		if oerr == nil && os.SameFile(ost, ist) {
			return in, true
		}
		if ist.IsDir() {
			if iabs, err := filepath.Abs(in); err == nil && strings.HasPrefix(oabs, iabs+string(filepath.Separator)) {
				return in, true
			}
		}
	}
	return "", false
}
