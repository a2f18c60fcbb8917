package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/datasets"
	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/models/metrics"
)

// evalUnit is a scored, labeled unit.
type evalUnit struct {
	id, lang, source string
	synth            bool
	label            corpus.Label
	scores           [2]float64 // model: grooming, sextortion
	rule             [2]float64 // lexicon-only rule score
}

func runEval(args []string, stdout, stderr io.Writer) int {
	if rest, ok := earlyArgs(args); ok {
		return runEarly(rest, stdout, stderr) // early.go: replay message by message, latency-weighted F1
	}
	fs := newFlagSet("eval", "[FILE...]", stderr)
	fs.Bool("early", false, "early-detection evaluation instead: replay conversations message by message (see 'vigie eval --early -h')")
	var in inputFlags
	in.register(fs)
	var mf modelFlags
	mf.register(fs)
	out := fs.String("out", "reports/eval", "folder for report.md, report.json and the ROC/PR plots")
	split := fs.String("split", "", "also evaluate this split of the shared corpora and the synthetic set: test or dev")
	root := fs.String("root", datasets.DefaultRoot, "folder of the shared corpora (with --split)")
	synthN := fs.Int("synth-n", -1, "synthetic conversations (with --split); default: as recorded in the model")
	synthSeed := fs.Int64("synth-seed", -1, "seed of the synthetic set (with --split); default: as recorded in the model")
	title := fs.String("title", "Vigie evaluation", "report title")
	unitsOut := fs.String("units", "", "also write one JSON line per scored unit to this file: id, groups, labels, model and lexicon-rule scores (no text), for paired tests and error analysis")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "vigie eval: %s\n", oneLine(err))
		return exitError
	}
	if fs.NArg() == 0 && *split == "" {
		fmt.Fprintln(stderr, "vigie eval: nothing to evaluate: give labeled files and/or --split test")
		return exitError
	}
	opts, err := in.options()
	if err != nil {
		return fail(err)
	}
	det, err := mf.detector("")
	if err != nil {
		return fail(err)
	}
	defer det.Close()
	rec := recordOf(det)
	ctx := context.Background()
	var units []evalUnit
	bar := newProgress(stderr, "scoring", 0) // a bar on a terminal, nothing otherwise
	defer bar.Done()
	score := func(c *corpus.Conversation, source string, synth bool) error {
		bar.Add(1)
		if c.Label == corpus.LabelNone {
			return nil // unlabeled: nothing to measure
		}
		r, err := det.Analyze(ctx, c)
		if err != nil {
			return err
		}
		u := evalUnit{id: c.ID, lang: nonEmpty(c.Lang, r.Lang), source: source, synth: synth, label: c.Label,
			scores: [2]float64{r.Grooming.Score, r.Sextortion.Score}}
		u.rule = ruleScores(r)
		units = append(units, u)
		return nil
	}
	start := time.Now()
	if fs.NArg() > 0 {
		if _, err := eachConversation(fs.Args(), opts, os.Stdin, stderr, func(c *corpus.Conversation) error {
			src := strings.TrimSuffix(filepath.Base(c.Source.File), filepath.Ext(c.Source.File))
			return score(c, "file:"+src, c.Synthetic)
		}); err != nil {
			return fail(err)
		}
	}
	spec := rec.Data
	spec.Root = *root
	spec.SynthOnly = false // a model trained on synthetic data only is still measured on the real splits
	if *synthN >= 0 {
		spec.SynthN = *synthN
	}
	if *synthSeed >= 0 {
		spec.SynthSeed = *synthSeed
	}
	if spec.SynthShare == 0 {
		spec.SynthShare = 0.5
	}
	if *split != "" {
		if err := spec.eachUnit(*split, func(u unit) error { return score(u.c, u.dataset, u.synth) }); err != nil {
			return fail(err)
		}
	}
	// The rule baseline gets its thresholds on dev units, like the model, so that the comparison is
	// fair: on a dev evaluation those are the units themselves; otherwise the dev split is scored
	// for it, when the shared corpora are there.
	var ruleThr [2]float64
	ruleNote := "lexicon-rule thresholds calibrated on dev units (precision >= 0.95 and FPR <= 0.005, as the model's)"
	switch {
	case *split == datasets.SplitDev:
		ruleThr = calibrateRule(units)
		ruleNote = "lexicon-rule thresholds calibrated on these dev units: not a held-out measure"
	case corporaPresent(*root):
		saved := units
		units = nil
		if err := spec.eachUnit(datasets.SplitDev, func(u unit) error { return score(u.c, u.dataset, u.synth) }); err != nil {
			return fail(err)
		}
		ruleThr = calibrateRule(units)
		units = saved
	default:
		ruleNote = fmt.Sprintf("lexicon-rule thresholds not calibrated (no shared corpora at %s): its thresholded rows flag everything; compare ROC-AUC and PR-AUC only", *root)
	}
	if len(units) == 0 {
		return fail(fmt.Errorf("no labeled conversation in the input"))
	}
	bar.Done()
	thr := det.Model().Thresholds
	rep := buildEvalReport(*title, *split, units, thr, ruleThr, det.Model(), time.Since(start))
	rep.Rule.Notes = append(rep.Rule.Notes, ruleNote)
	if err := writeEvalReport(*out, rep); err != nil {
		return fail(err)
	}
	if *unitsOut != "" {
		if err := writeUnits(*unitsOut, units, thr); err != nil {
			return fail(err)
		}
	}
	fmt.Fprintf(stdout, "%s", headline(rep))
	fmt.Fprintf(stderr, "vigie eval: %d units in %s; wrote %s/report.md, report.json and plots\n", len(units), time.Since(start).Round(time.Second), *out)
	return exitOK
}

// recordOf returns the training record stored in the detector's model (see decodeRecord).
func recordOf(det *detect.Detector) trainRecord {
	return decodeRecord(det.Meta().Training)
}

// decodeRecord decodes a model's training record; an empty or unreadable one gives the zero record
// with the legacy settings below.
func decodeRecord(b []byte) trainRecord {
	// Settings that a model's record may lack because they were fixed in the code when it was
	// trained: the values the code had then.
	rec := trainRecord{Settings: trainSettings{VTPANBoost: 4, FlatShare: defaultFlatShare, WideC: 0.5}}
	if len(b) > 0 {
		_ = jsonUnmarshal(b, &rec)
	}
	return rec
}

// ruleScores is the lexicon-only baseline: 1 - exp(-W/4), W the summed weight of the cues of each
// head's stages in the conversation (after overlap merging).
func ruleScores(r *detect.Report) [2]float64 {
	var w [2]float64
	for _, e := range r.Evidence {
		if e.Head == detect.HeadSextortion {
			w[1] += e.Weight
		} else {
			w[0] += e.Weight
		}
	}
	return [2]float64{1 - math.Exp(-w[0]/4), 1 - math.Exp(-w[1]/4)}
}

func headLabels(units []evalUnit, h int, rule bool) ([]float64, []bool) {
	var sc []float64
	var lab []bool
	for _, u := range units {
		if h == 0 && u.label == corpus.LabelSextortion {
			continue
		}
		s := u.scores[h]
		if rule {
			s = u.rule[h]
		}
		sc = append(sc, s)
		lab = append(lab, (h == 0 && u.label == corpus.LabelGrooming) || (h == 1 && u.label == corpus.LabelSextortion))
	}
	return sc, lab
}

// corporaPresent reports whether root holds the shared corpora.
func corporaPresent(root string) bool {
	entries, err := os.ReadDir(root)
	return err == nil && len(entries) > 0
}

// calibrateRule picks the lexicon rule's thresholds on dev units the way the model's are picked.
func calibrateRule(dev []evalUnit) [2]float64 {
	var t [2]float64
	for h := 0; h < 2; h++ {
		sc, lab := headLabels(dev, h, true)
		thr, _, ok, err := metrics.Calibration{MinPrecision: 0.95, MaxFPR: 0.005}.Threshold(sc, lab)
		if err != nil || !ok {
			thr, _, _, _ = metrics.Calibration{MaxFPR: 0.005}.Threshold(sc, lab)
		}
		t[h] = thr
	}
	return t
}

type evalReport struct {
	Model    metrics.Report `json:"model"`
	Rule     metrics.Report `json:"lexicon_rule"`
	Info     detect.ModelInfo
	Headline []string `json:"headline"`
}

// unitLine is one line of `vigie eval --units`.
type unitLine struct {
	metrics.Item
	Rule    map[string]float64 `json:"rule_scores"`
	Flagged map[string]bool    `json:"flagged"` // model score >= the model's threshold
}

// writeUnits writes the scored units as JSON lines, in scoring order.
func writeUnits(path string, units []evalUnit, thr map[string]float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	model, rule := items(units, false), items(units, true)
	for i := range model {
		l := unitLine{Item: model[i], Rule: rule[i].Scores, Flagged: map[string]bool{}}
		for h, s := range l.Scores {
			l.Flagged[h] = s >= thr[h]
		}
		if err := enc.Encode(l); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func items(units []evalUnit, rule bool) []metrics.Item {
	out := make([]metrics.Item, 0, len(units))
	for _, u := range units {
		set := "real"
		if u.synth {
			set = "synthetic"
		}
		it := metrics.Item{ID: u.id, Groups: map[string]string{"lang": u.lang, "source": u.source, "set": set},
			Labels: map[string]bool{}, Scores: map[string]float64{}}
		for h, name := range []string{detect.HeadGrooming, detect.HeadSextortion} {
			if h == 0 && u.label == corpus.LabelSextortion {
				continue
			}
			it.Labels[name] = (h == 0 && u.label == corpus.LabelGrooming) || (h == 1 && u.label == corpus.LabelSextortion)
			if rule {
				it.Scores[name] = u.rule[h]
			} else {
				it.Scores[name] = u.scores[h]
			}
		}
		out = append(out, it)
	}
	return out
}

func buildEvalReport(title, split string, units []evalUnit, thr map[string]float64, ruleThr [2]float64, info detect.ModelInfo, took time.Duration) evalReport {
	heads := []string{detect.HeadGrooming, detect.HeadSextortion}
	r := evalReport{Info: info}
	r.Model = metrics.BuildReport(title+" — model "+info.Name+" "+info.Version, items(units, false), heads, thr)
	r.Rule = metrics.BuildReport(title+" — lexicon-only rule baseline", items(units, true), heads,
		map[string]float64{heads[0]: ruleThr[0], heads[1]: ruleThr[1]})
	calibrated := "calibrated on dev, never on test"
	if split == datasets.SplitDev {
		calibrated = "calibrated on these dev units: not a held-out measure"
	}
	flat := ""
	if len(info.FlatThresholds) > 0 {
		var parts []string
		for _, h := range heads {
			if t, ok := info.FlatThresholds[h]; ok {
				parts = append(parts, fmt.Sprintf("%s %.4f", h, t))
			}
		}
		flat = fmt.Sprintf(", for flat inputs (one message without author, as VTPAN segments; their scores are reported mapped onto the thresholds' scale) %s", strings.Join(parts, ", "))
	}
	note := fmt.Sprintf("%d labeled units; engine %s; thresholds grooming %.4f, sextortion %.4f%s (%s); %s",
		len(units), info.Engine, thr[heads[0]], thr[heads[1]], flat, calibrated, took.Round(time.Second))
	r.Model.Notes = append(r.Model.Notes, note,
		"Synthetic units (set=synthetic) are generated by corpus/synth: their numbers measure the detector on our own scripts, not real-world accuracy.",
		"VTPAN recall says little (its positives come from the same Perverted-Justice cases as the training positives); its value is precision on hard negatives.")
	r.Headline = headlineLines(r.Model, split)
	return r
}

// headlineLines picks the numbers the issue targets out of the report. split names the rows of
// VTPAN that were scored: test is its odd rows, dev the held-out part of its even rows.
func headlineLines(m metrics.Report, split string) []string {
	vtpan := "VTPAN rows"
	switch split {
	case datasets.SplitTest:
		vtpan = "VTPAN test rows (odd)"
	case datasets.SplitDev:
		vtpan = "VTPAN dev rows (even rows held out from training)"
	}
	var out []string
	for _, h := range m.Heads {
		if s, ok := h.Breakdown["source"]["vtpan"]; ok && h.Head == detect.HeadGrooming {
			out = append(out, fmt.Sprintf("%s: grooming F0.5 %.3f%s, precision %.3f, recall %.3f, ROC-AUC %s (n=%d)", vtpan, s.F05, ciText(s, func(c *metrics.CI) metrics.Interval { return c.F05 }, "%.3f"), s.Precision, s.Recall, f3ptr(s.ROCAUC), s.N))
		}
	}
	// False positives on real held-out negatives, per language.
	for _, h := range m.Heads {
		for _, lang := range []string{"en", "fr"} {
			if s, ok := h.Breakdown["lang"][lang]; ok {
				out = append(out, fmt.Sprintf("%s head, lang=%s: FPR %.4f%s (%d false positives), recall %.3f", h.Head, lang, s.FPR, ciText(s, func(c *metrics.CI) metrics.Interval { return c.FPR }, "%.4f"), s.Confusion.FP, s.Recall))
			}
		}
		if s, ok := h.Breakdown["set"]["synthetic"]; ok {
			out = append(out, fmt.Sprintf("%s head, synthetic set: recall %.3f, FPR %.4f (synthetic: not real-world accuracy)", h.Head, s.Recall, s.FPR))
		}
	}
	return out
}

// ciText is " (95% CI lo–hi)" for the interval that pick takes from s's bootstrap intervals, ""
// when s has none.
func ciText(s metrics.Summary, pick func(*metrics.CI) metrics.Interval, format string) string {
	if s.CI == nil {
		return ""
	}
	iv := pick(s.CI)
	return fmt.Sprintf(" (95%% CI "+format+"–"+format+")", iv.Lo, iv.Hi)
}

func f3ptr(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f", *p)
}

func headline(r evalReport) string {
	var b strings.Builder
	for _, l := range r.Headline {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func writeEvalReport(dir string, r evalReport) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	plots := map[string][2]string{}
	for _, h := range r.Model.Heads {
		roc, pr := "roc-"+h.Head+".svg", "pr-"+h.Head+".svg"
		if err := writeFile(filepath.Join(dir, roc), func(w io.Writer) error {
			return metrics.WriteSVG(w, "ROC — "+h.Head, "false-positive rate", "true-positive rate", h.ROC, true)
		}); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, pr), func(w io.Writer) error {
			return metrics.WriteSVG(w, "Precision-recall — "+h.Head, "recall", "precision", h.PR, false)
		}); err != nil {
			return err
		}
		plots[h.Head] = [2]string{roc, pr}
	}
	if err := writeFile(filepath.Join(dir, "report.md"), func(w io.Writer) error {
		fmt.Fprintf(w, "## Headline\n\n")
		for _, l := range r.Headline {
			fmt.Fprintf(w, "- %s\n", l)
		}
		fmt.Fprintln(w)
		if err := r.Model.WriteMarkdown(w, plots); err != nil {
			return err
		}
		return r.Rule.WriteMarkdown(w, nil)
	}); err != nil {
		return err
	}
	// The JSON keeps the summaries; the curves are in the SVG files.
	slim := r
	slim.Model.Heads = stripCurves(r.Model.Heads)
	slim.Rule.Heads = stripCurves(r.Rule.Heads)
	return writeFile(filepath.Join(dir, "report.json"), func(w io.Writer) error {
		enc := jsonEncoder(w)
		return enc.Encode(slim)
	})
}

func stripCurves(hs []metrics.HeadReport) []metrics.HeadReport {
	out := make([]metrics.HeadReport, len(hs))
	for i, h := range hs {
		h.ROC, h.PR = nil, nil
		out[i] = h
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Head < out[j].Head })
	return out
}

func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
