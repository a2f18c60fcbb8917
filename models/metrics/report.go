package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Item is one scored, labeled unit (a conversation or a segment) of an evaluation.
type Item struct {
	ID string `json:"id"`
	// Groups tags the item for breakdowns, e.g. {"lang": "fr", "source": "nps"}.
	Groups map[string]string `json:"groups,omitempty"`
	// Labels holds the truth per head; a head missing from the map is not evaluated on this item.
	Labels map[string]bool `json:"labels"`
	// Scores holds the score per head.
	Scores map[string]float64 `json:"scores"`
}

// HeadReport is the evaluation of one head: overall and per group value.
type HeadReport struct {
	Head      string  `json:"head"`
	Threshold float64 `json:"threshold"`
	Overall   Summary `json:"overall"`
	// Breakdown maps a group key ("lang", "source") to its values' summaries.
	Breakdown map[string]map[string]Summary `json:"breakdown"`
	ROC       []Point                       `json:"roc,omitempty"`
	PR        []Point                       `json:"pr,omitempty"`
}

// Report is a whole evaluation.
type Report struct {
	Title string       `json:"title"`
	Notes []string     `json:"notes,omitempty"`
	Heads []HeadReport `json:"heads"`
}

// BuildReport evaluates items for each head at its threshold, with breakdowns by every group key.
func BuildReport(title string, items []Item, heads []string, thresholds map[string]float64) Report {
	r := Report{Title: title}
	for _, h := range heads {
		var scores []float64
		var labels []bool
		type gv struct{ k, v string }
		byGroup := map[gv][]int{}
		for _, it := range items {
			y, ok := it.Labels[h]
			s, ok2 := it.Scores[h]
			if !ok || !ok2 {
				continue
			}
			idx := len(scores)
			scores = append(scores, s)
			labels = append(labels, y)
			for k, v := range it.Groups {
				byGroup[gv{k, v}] = append(byGroup[gv{k, v}], idx)
			}
		}
		t := thresholds[h]
		summarize := func(ss []float64, ll []bool, set string) Summary {
			s := Summarize(ss, ll, t)
			if ci, ok := Intervals(ss, ll, t, BootstrapResamples, seedFor(title, h, set)); ok {
				s.CI = &ci
			}
			return s
		}
		hr := HeadReport{Head: h, Threshold: t, Overall: summarize(scores, labels, ""), Breakdown: map[string]map[string]Summary{}}
		for g, idx := range byGroup {
			ss := make([]float64, len(idx))
			ll := make([]bool, len(idx))
			for i, j := range idx {
				ss[i], ll[i] = scores[j], labels[j]
			}
			if hr.Breakdown[g.k] == nil {
				hr.Breakdown[g.k] = map[string]Summary{}
			}
			hr.Breakdown[g.k][g.v] = summarize(ss, ll, g.k+"="+g.v)
		}
		hr.ROC, _, _ = ROC(scores, labels)
		hr.PR, _, _ = PR(scores, labels)
		r.Heads = append(r.Heads, hr)
	}
	return r
}

// WriteJSON writes the report as indented JSON (curves included).
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func f3(p *float64) string {
	if p == nil || math.IsNaN(*p) {
		return "–"
	}
	return fmt.Sprintf("%.3f", *p)
}

// WriteMarkdown writes the report as Markdown tables. plots maps a head to the file names of its
// ROC and PR images, linked from the report when present.
func (r Report) WriteMarkdown(w io.Writer, plots map[string][2]string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	for _, h := range r.Heads {
		fmt.Fprintf(&b, "## %s (threshold %.4f)\n\n", h.Head, h.Threshold)
		b.WriteString("| set | n | positives | precision | recall | F1 | F0.5 | F0.5 95% CI | FPR | FPR 95% CI | ROC-AUC | PR-AUC | TP | FP | TN | FN |\n")
		b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		row := func(name string, s Summary) {
			c := s.Confusion
			f05CI, fprCI := "–", "–"
			if s.CI != nil && s.Positives > 0 {
				f05CI = fmt.Sprintf("%.3f–%.3f", s.CI.F05.Lo, s.CI.F05.Hi)
			}
			if s.CI != nil && s.N > s.Positives {
				fprCI = fmt.Sprintf("%.4f–%.4f", s.CI.FPR.Lo, s.CI.FPR.Hi)
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %s | %.4f | %s | %s | %s | %d | %d | %d | %d |\n",
				name, s.N, s.Positives, s.Precision, s.Recall, s.F1, s.F05, f05CI, s.FPR, fprCI, f3(s.ROCAUC), f3(s.PRAUC), c.TP, c.FP, c.TN, c.FN)
		}
		row("**all**", h.Overall)
		keys := make([]string, 0, len(h.Breakdown))
		for k := range h.Breakdown {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			vals := make([]string, 0, len(h.Breakdown[k]))
			for v := range h.Breakdown[k] {
				vals = append(vals, v)
			}
			sort.Strings(vals)
			for _, v := range vals {
				row(k+"="+v, h.Breakdown[k][v])
			}
		}
		if p, ok := plots[h.Head]; ok {
			fmt.Fprintf(&b, "\n![ROC %s](%s) ![PR %s](%s)\n", h.Head, p[0], h.Head, p[1])
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSVG draws a curve (ROC: x = FPR, y = TPR; PR: x = recall, y = precision) as a small
// self-contained SVG with axes, grid and a diagonal for ROC.
func WriteSVG(w io.Writer, title, xlabel, ylabel string, pts []Point, diagonal bool) error {
	const W, H, m = 360.0, 320.0, 48.0
	px := func(x float64) float64 { return m + x*(W-m-16) }
	py := func(y float64) float64 { return H - m - y*(H-m-28) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="11">`, W, H, W, H)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="16" text-anchor="middle" font-size="13">%s</text>`, W/2, xmlEscape(title))
	for i := 0; i <= 5; i++ {
		v := float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, px(v), py(0), px(v), py(1))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, px(0), py(v), px(1), py(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.1f</text>`, px(v), py(0)+14, v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%.1f</text>`, px(0)-4, py(v)+4, v)
	}
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#333"/>`, px(0), py(1), px(1)-px(0), py(0)-py(1))
	if diagonal {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#aaa" stroke-dasharray="4 3"/>`, px(0), py(0), px(1), py(1))
	}
	if len(pts) > 0 {
		b.WriteString(`<polyline fill="none" stroke="#c0392b" stroke-width="2" points="`)
		for i, p := range pts {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", px(p.X), py(p.Y))
		}
		b.WriteString(`"/>`)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, (px(0)+px(1))/2, H-8, xmlEscape(xlabel))
	fmt.Fprintf(&b, `<text x="12" y="%.1f" text-anchor="middle" transform="rotate(-90 12 %.1f)">%s</text>`, (py(0)+py(1))/2, (py(0)+py(1))/2, xmlEscape(ylabel))
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
