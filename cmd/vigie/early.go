package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/datasets"
	"github.com/vigie/vigie/detect"
)

// Early-detection evaluation: labeled conversations are replayed message by message through a
// streaming session, as a platform would see them, and the first alert is the warning.
//
// The latency-weighted F1 is the one of Sadeque, Xu and Bethard (WSDM 2018), which Vogt, Leser and
// Akbik (ACL 2021, "Early Detection of Sexual Predators in Chats") use for early sexual predator
// detection: a true positive warned after k messages gets the penalty
//
//	penalty(k) = -1 + 2 / (1 + exp(-p·(k-1)))
//
// (0 at the first message, rising towards 1), speed = 1 - median penalty over the true positives,
// and F_latency = F1 × speed. p sets how fast the penalty grows: penalty(m) = 0.5 exactly when
// p = ln 3 / (m-1). By default m is the median length (in messages) of the positive conversations
// evaluated, so that a warning given halfway through a typical positive conversation halves F1's
// weight; --early-p sets p directly (eRisk's value is 0.0078).

// earlyResult is the replay of one labeled conversation.
type earlyResult struct {
	ID       string
	Label    corpus.Label
	Lang     string
	Source   string
	Messages int
	// First is the 1-based message number of the first alert of each head (grooming, sextortion),
	// 0 when the head never alerted; Minutes is the time from the conversation's first message to
	// that alert (NaN when the messages carry no times).
	First   [2]int
	Minutes [2]float64
	// Alerts counts every alert of each head (re-armed ones included).
	Alerts [2]int
}

// firstAny returns the message number of the first alert of any head (0: none) and its minutes.
func (r *earlyResult) firstAny() (int, float64) {
	k, m := r.First[0], r.Minutes[0]
	if r.First[1] > 0 && (k == 0 || r.First[1] < k) {
		k, m = r.First[1], r.Minutes[1]
	}
	return k, m
}

// earlyTask is one binary early-detection task: which labels are positive, which count as
// negatives, and which heads' alerts are the warning.
type earlyTask struct {
	Name      string
	positive  func(corpus.Label) bool
	negative  func(corpus.Label) bool
	warningAt func(*earlyResult) (int, float64)
}

var earlyTasks = []earlyTask{
	{Name: "grooming",
		positive:  func(l corpus.Label) bool { return l == corpus.LabelGrooming },
		negative:  func(l corpus.Label) bool { return l == corpus.LabelBenign },
		warningAt: func(r *earlyResult) (int, float64) { return r.First[0], r.Minutes[0] }},
	{Name: "sextortion",
		positive:  func(l corpus.Label) bool { return l == corpus.LabelSextortion },
		negative:  func(l corpus.Label) bool { return l == corpus.LabelBenign || l == corpus.LabelGrooming },
		warningAt: func(r *earlyResult) (int, float64) { return r.First[1], r.Minutes[1] }},
	{Name: "any",
		positive:  func(l corpus.Label) bool { return l == corpus.LabelGrooming || l == corpus.LabelSextortion },
		negative:  func(l corpus.Label) bool { return l == corpus.LabelBenign },
		warningAt: (*earlyResult).firstAny},
}

// earlyScores are the measures of one task.
type earlyScores struct {
	Task      string  `json:"task"`
	Positives int     `json:"positives"`
	Negatives int     `json:"negatives"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// P is the penalty parameter; PenaltyHalfAt the message number where the penalty is 0.5.
	P             float64 `json:"p"`
	PenaltyHalfAt float64 `json:"penalty_half_at_message"`
	Speed         float64 `json:"speed"`
	LatencyF1     float64 `json:"latency_weighted_f1"`
	// Medians over the true positives: message number of the first alert, minutes from the first
	// message to it (over those with times), and what was left of the conversation after it.
	// NaN (null in JSON) when there is no true positive (or none with times).
	MedianMessagesToAlert  jsonFloat `json:"median_messages_to_alert"`
	MedianMinutesToAlert   jsonFloat `json:"median_minutes_to_alert"`
	TimedTP                int       `json:"timed_tp"`
	MedianMessagesAfter    jsonFloat `json:"median_messages_after_alert"`
	MedianShareBeforeAlert jsonFloat `json:"median_share_of_conversation_before_alert"`
}

// penaltyP returns p such that penalty(m) = 0.5.
func penaltyP(m float64) float64 {
	if m <= 1 {
		return math.Inf(1)
	}
	return math.Log(3) / (m - 1)
}

// latencyPenalty is Sadeque et al.'s penalty of a warning after k messages.
func latencyPenalty(k int, p float64) float64 {
	return -1 + 2/(1+math.Exp(-p*float64(k-1)))
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// scoreEarly computes the measures of task t over rs. p <= 0 means the default: penalty 0.5 at the
// median length of the task's positive conversations.
func scoreEarly(rs []earlyResult, t earlyTask, p float64) earlyScores {
	sc := earlyScores{Task: t.Name}
	var posLen, pens, ks, mins, after, share []float64
	for i := range rs {
		r := &rs[i]
		pos, neg := t.positive(r.Label), t.negative(r.Label)
		if !pos && !neg {
			continue
		}
		k, m := t.warningAt(r)
		switch {
		case pos:
			sc.Positives++
			posLen = append(posLen, float64(r.Messages))
			if k == 0 {
				sc.FN++
				continue
			}
			sc.TP++
			ks = append(ks, float64(k))
			after = append(after, float64(r.Messages-k))
			share = append(share, float64(k)/float64(r.Messages))
			if !math.IsNaN(m) {
				mins = append(mins, m)
			}
		case neg:
			sc.Negatives++
			if k > 0 {
				sc.FP++
			}
		}
	}
	if p <= 0 {
		p = penaltyP(median(posLen))
	}
	sc.P = p
	sc.PenaltyHalfAt = 1 + math.Log(3)/p
	for _, k := range ks {
		pens = append(pens, latencyPenalty(int(k), p))
	}
	if sc.TP > 0 {
		sc.Precision = float64(sc.TP) / float64(sc.TP+sc.FP)
		sc.Recall = float64(sc.TP) / float64(sc.Positives)
		sc.F1 = 2 * sc.Precision * sc.Recall / (sc.Precision + sc.Recall)
		sc.Speed = 1 - median(pens)
		sc.LatencyF1 = sc.F1 * sc.Speed
	}
	sc.MedianMessagesToAlert = jsonFloat(median(ks))
	sc.MedianMinutesToAlert = jsonFloat(median(mins))
	sc.TimedTP = len(mins)
	sc.MedianMessagesAfter = jsonFloat(median(after))
	sc.MedianShareBeforeAlert = jsonFloat(median(share))
	return sc
}

// earlyReport is the output of `vigie eval --early`.
type earlyReport struct {
	Model       detect.ModelInfo `json:"model"`
	RearmAt     float64          `json:"rearm_ratio"`
	MinMessages int              `json:"min_messages"` // no alert before this many messages
	Tasks       []earlyScores    `json:"tasks"`
	Benign      int              `json:"benign_conversations"`
	FalseAlerts int              `json:"false_alerts"`
	// FalseAlertsPer1000 counts every alert (any head, re-armed ones included) raised on benign
	// conversations, per 1,000 benign conversations; BenignAlerted is the share with at least one.
	FalseAlertsPer1000 float64  `json:"false_alerts_per_1000_benign"`
	BenignAlerted      float64  `json:"benign_alerted_share"`
	Conversations      int      `json:"conversations"`
	Messages           int      `json:"messages"`
	Notes              []string `json:"notes"`
}

func buildEarlyReport(rs []earlyResult, p float64, info detect.ModelInfo, so detect.SessionOptions) earlyReport {
	rep := earlyReport{Model: info, RearmAt: detect.RearmRatio, MinMessages: so.MinMessages, Conversations: len(rs)}
	for _, t := range earlyTasks {
		rep.Tasks = append(rep.Tasks, scoreEarly(rs, t, p))
	}
	alerted := 0
	for _, r := range rs {
		rep.Messages += r.Messages
		if r.Label != corpus.LabelBenign {
			continue
		}
		rep.Benign++
		rep.FalseAlerts += r.Alerts[0] + r.Alerts[1]
		if r.Alerts[0]+r.Alerts[1] > 0 {
			alerted++
		}
	}
	if rep.Benign > 0 {
		rep.FalseAlertsPer1000 = 1000 * float64(rep.FalseAlerts) / float64(rep.Benign)
		rep.BenignAlerted = float64(alerted) / float64(rep.Benign)
	}
	rep.Notes = []string{
		"Each conversation is replayed message by message through a streaming session (detect.Session); the first alert of a head is its warning.",
		"Latency-weighted F1 (Sadeque et al. 2018, used by Vogt, Leser and Akbik 2021): penalty(k) = -1 + 2/(1+exp(-p(k-1))), speed = 1 - median penalty of the true positives, F_latency = F1 × speed.",
		"Grooming: positives are grooming conversations, negatives benign ones (sextortion ones are left out, as in vigie eval). Sextortion: negatives are benign and grooming conversations. Any: either head on grooming or sextortion conversations against benign ones.",
	}
	return rep
}

func nanDash(v float64, format string) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

func (r earlyReport) markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Early detection — model %s %s\n\n", r.Model.Name, r.Model.Version)
	fmt.Fprintf(&b, "%d conversations, %d messages replayed one at a time; no alert before message %d; alerts re-arm below %.1f × threshold.\n\n",
		r.Conversations, r.Messages, r.MinMessages, r.RearmAt)
	b.WriteString("| task | positives | negatives | TP | FP | FN | precision | recall | F1 | p | penalty 0.5 at msg | speed | **latency-weighted F1** | median msgs to alert | median minutes to alert (timed TP) | median msgs left after alert |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, t := range r.Tasks {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %.3f | %.3f | %.3f | %.4g | %.1f | %.3f | **%.3f** | %s | %s (%d) | %s |\n",
			t.Task, t.Positives, t.Negatives, t.TP, t.FP, t.FN, t.Precision, t.Recall, t.F1, t.P, t.PenaltyHalfAt, t.Speed, t.LatencyF1,
			nanDash(float64(t.MedianMessagesToAlert), "%.1f"), nanDash(float64(t.MedianMinutesToAlert), "%.1f"), t.TimedTP, nanDash(float64(t.MedianMessagesAfter), "%.1f"))
	}
	fmt.Fprintf(&b, "\nFalse alerts: %d on %d benign conversations = **%.1f per 1,000 benign conversations** (%.1f%% of benign conversations got at least one).\n\n",
		r.FalseAlerts, r.Benign, r.FalseAlertsPer1000, 100*r.BenignAlerted)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// replay pushes c's messages through a session and records the alerts.
func replay(ctx context.Context, det *detect.Detector, c *corpus.Conversation, so detect.SessionOptions) (earlyResult, error) {
	r := earlyResult{ID: c.ID, Label: c.Label, Lang: c.Lang, Messages: len(c.Messages), Minutes: [2]float64{math.NaN(), math.NaN()}}
	var start time.Time
	s := det.NewSessionWith(c.ID, so)
	for i, m := range c.Messages {
		if start.IsZero() && !m.Time.IsZero() {
			start = m.Time
		}
		u, err := s.Push(ctx, m)
		if err != nil {
			return r, err
		}
		for _, a := range u.Alerts {
			h := 0
			if a.Head == detect.HeadSextortion {
				h = 1
			}
			r.Alerts[h]++
			if r.First[h] == 0 {
				r.First[h] = i + 1
				if !start.IsZero() && !m.Time.IsZero() {
					r.Minutes[h] = m.Time.Sub(start).Minutes()
				}
			}
		}
	}
	return r, nil
}

// runEarly is `vigie eval --early` (and `vigie early`).
func runEarly(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("eval --early", "[FILE...]", stderr)
	var in inputFlags
	in.register(fs)
	var mf modelFlags
	mf.register(fs)
	out := fs.String("out", "reports/early", "folder for early.md and early.json")
	split := fs.String("split", "", "also replay this split of the shared corpora and the synthetic set: test or dev")
	root := fs.String("root", datasets.DefaultRoot, "folder of the shared corpora (with --split)")
	p := fs.Float64("early-p", 0, "penalty parameter p of the latency-weighted F1 (default: penalty 0.5 at the median length of the positive conversations; eRisk uses 0.0078)")
	minMsgs := fs.Int("min-messages", 0, fmt.Sprintf("no alert before the conversation has this many messages (0: the default, %d; 1: alert from the first message)", detect.DefaultMinMessages))
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "vigie eval --early: %s\n", oneLine(err))
		return exitError
	}
	if fs.NArg() == 0 && *split == "" {
		fmt.Fprintln(stderr, "vigie eval --early: nothing to evaluate: give labeled files and/or --split test")
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
	if *minMsgs < 0 {
		return fail(fmt.Errorf("--min-messages %d: want 0 (the default) or more", *minMsgs))
	}
	ctx := context.Background()
	so := detect.SessionOptions{MinMessages: *minMsgs}
	if so.MinMessages == 0 {
		so.MinMessages = detect.DefaultMinMessages // resolved, for the report
	}
	var rs []earlyResult
	add := func(c *corpus.Conversation, source string) error {
		if c.Label == corpus.LabelNone || len(c.Messages) == 0 {
			return nil
		}
		r, err := replay(ctx, det, c, so)
		if err != nil {
			return err
		}
		r.Source = source
		rs = append(rs, r)
		return nil
	}
	start := time.Now()
	if fs.NArg() > 0 {
		if _, err := eachConversation(fs.Args(), opts, os.Stdin, stderr, func(c *corpus.Conversation) error {
			return add(c, "file:"+strings.TrimSuffix(filepath.Base(c.Source.File), filepath.Ext(c.Source.File)))
		}); err != nil {
			return fail(err)
		}
	}
	if *split != "" {
		spec := recordOf(det).Data
		spec.Root = *root
		if spec.SynthShare == 0 {
			spec.SynthShare = 0.5
		}
		if err := spec.eachUnit(*split, func(u unit) error { return add(u.c, u.dataset) }); err != nil {
			return fail(err)
		}
	}
	if len(rs) == 0 {
		return fail(fmt.Errorf("no labeled conversation in the input"))
	}
	rep := buildEarlyReport(rs, *p, det.Model(), so)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(err)
	}
	if err := writeFile(filepath.Join(*out, "early.md"), rep.markdown); err != nil {
		return fail(err)
	}
	if err := writeFile(filepath.Join(*out, "early.json"), func(w io.Writer) error { return jsonEncoder(w).Encode(rep) }); err != nil {
		return fail(err)
	}
	for _, t := range rep.Tasks {
		fmt.Fprintf(stdout, "%s: latency-weighted F1 %.3f (F1 %.3f × speed %.3f, p %.4g), median %s messages / %s minutes to the first alert on positives\n",
			t.Task, t.LatencyF1, t.F1, t.Speed, t.P, nanDash(float64(t.MedianMessagesToAlert), "%.1f"), nanDash(float64(t.MedianMinutesToAlert), "%.1f"))
	}
	fmt.Fprintf(stdout, "false alerts: %.1f per 1,000 benign conversations (%d benign)\n", rep.FalseAlertsPer1000, rep.Benign)
	fmt.Fprintf(stderr, "vigie eval --early: %d conversations, %d messages in %s; wrote %s/early.md and early.json\n",
		len(rs), rep.Messages, time.Since(start).Round(time.Millisecond), *out)
	return exitOK
}

// earlyArgs reports whether eval's arguments ask for --early, and returns them without it.
func earlyArgs(args []string) ([]string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == "--early" || a == "-early" || a == "--early=true" || a == "-early=true" {
			return append(slices.Clone(args[:i]), args[i+1:]...), true
		}
	}
	return args, false
}

// jsonFloat is a float64 written as null when it is NaN (JSON has no NaN).
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	return json.Unmarshal(b, (*float64)(f))
}
