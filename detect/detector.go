package detect

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnxfile"
)

// Heads that every Vigie model has, in this order of importance for reports.
const (
	HeadGrooming   = "grooming"
	HeadSextortion = "sextortion"
)

// Backends.
const (
	BackendAuto = "auto" // ONNX Runtime when its library is found, else the pure-Go network
	BackendONNX = "onnx" // ONNX Runtime, required
	BackendGo   = "go"   // the pure-Go network (same weights, same scores to 1e-5)
)

// Options configure a [Detector]. The zero value means the defaults, documented field by field.
type Options struct {
	// Model is the bytes of a model file written by `vigie train`. Default: ModelPath, else the
	// model embedded in Vigie.
	Model []byte
	// ModelPath is the path of a model file. Default: the embedded model.
	ModelPath string
	// Backend is BackendAuto (default), BackendONNX or BackendGo.
	Backend string
	// ONNXLibrary is the path of libonnxruntime.so. Default: $ONNXRUNTIME_LIB, the install
	// script's cache folder, then the system library folders.
	ONNXLibrary string
	// Thresholds overrides the model's calibrated threshold of a head ("grooming", "sextortion").
	// It applies to the reported scores, those of flat inputs included (see [FlatInput]).
	Thresholds map[string]float64
	// Lang forces the language of the advice ("fr" or "en"). Default: the conversation's language,
	// English when unknown or another language.
	Lang string
	// TokenizerJSON is the Hugging Face tokenizer.json of a model trained with one (`vigie train
	// --tokenizer`); the model records its SHA-256 and refuses another.
	TokenizerJSON []byte
	// Features configures the cue extractor (custom lexicons, languages). Default: embedded lexicons,
	// every language.
	Features features.Options
	// MaxEvidence caps the evidence items of a report (strongest kept). Default 200.
	MaxEvidence int
	// BatchRows is the number of rows per model call of AnalyzeBatch. Default 64.
	BatchRows int
}

// Errors, testable with errors.Is.
var (
	// ErrNoModel: no model was given and none is embedded in this build.
	ErrNoModel = errors.New("no model")
	// ErrSchema: the model was trained on cue features other than the ones this build computes.
	ErrSchema = errors.New("model does not match the feature schema")
	// ErrBackend: the requested backend is not available.
	ErrBackend = errors.New("scoring backend not available")
)

// Detector scores conversations. A Detector is safe for concurrent use.
type Detector struct {
	opts       Options
	f          *Featurizer
	scorer     models.Scorer
	net        *models.Net // the pure-Go network: streaming sessions use it whatever the backend
	meta       models.Meta
	head       [2]int // index of grooming and sextortion in the model's outputs
	thresholds map[string]float64
	flat       [2]flatMap // per head (grooming, sextortion): how a flat input's score is reported
	info       ModelInfo
}

// flatMap maps the raw score of a flat input (see [FlatInput]) onto the scale of the model's
// threshold for other inputs: a shift of the logit by logit(thr) - logit(flat), with the raw
// threshold flat mapped exactly onto thr, so that a flat input reaches the model's threshold
// exactly when its raw score reaches the flat one.
type flatMap struct {
	on        bool
	flat, thr float64
	shift     float64
}

func newFlatMap(flat, thr float64) flatMap {
	if flat <= 0 || flat >= 1 || thr <= 0 || thr >= 1 || flat == thr {
		return flatMap{}
	}
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	return flatMap{on: true, flat: flat, thr: thr, shift: logit(thr) - logit(flat)}
}

// apply returns the reported score of raw score s.
func (m flatMap) apply(s float64) float64 {
	if !m.on || s <= 0 || s >= 1 || math.IsNaN(s) {
		return s
	}
	v := 1 / (1 + math.Exp(-(math.Log(s/(1-s)) + m.shift)))
	if s >= m.flat {
		return math.Max(v, m.thr)
	}
	return math.Min(v, math.Nextafter(m.thr, 0))
}

// FlatInput reports whether c is a flat input: a single message that names no author (a system
// message names none), as a transcript pasted or stored as one block of text comes, and as
// PAN12-derived segments are. Such an input cannot say who wrote what, and the model's scores of
// it are distributed otherwise than those of a conversation with authors: a model can carry
// thresholds calibrated for them (models.Meta.FlatThresholds), and the detector then reports a
// flat input's scores mapped onto the scale of its ordinary thresholds.
func FlatInput(c *corpus.Conversation) bool {
	return len(c.Messages) == 1 && (c.Messages[0].Author == "" || c.Messages[0].System)
}

// headScore returns the reported score of head hi (0 grooming, 1 sextortion) for raw score s.
func (d *Detector) headScore(hi int, s float64, flat bool) float64 {
	if !flat {
		return s
	}
	return d.flat[hi].apply(s)
}

// TrainingInfo is the part of a model's Meta.Training that scoring needs.
type TrainingInfo struct {
	Featurizer FeaturizerConfig `json:"featurizer"`
}

// New loads the model and the lexicons and returns a Detector.
func New(opts Options) (*Detector, error) {
	model := opts.Model
	if model == nil && opts.ModelPath != "" {
		b, err := os.ReadFile(opts.ModelPath)
		if err != nil {
			return nil, fmt.Errorf("load model: %w", err)
		}
		model = b
	}
	if model == nil {
		model = embeddedModel()
	}
	if model == nil {
		return nil, fmt.Errorf("%w: this build embeds no model; pass Options.ModelPath (see `vigie train`)", ErrNoModel)
	}
	net, meta, err := onnxfile.Decode(model)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	var ti TrainingInfo
	if len(meta.Training) > 0 {
		if err := json.Unmarshal(meta.Training, &ti); err != nil {
			return nil, fmt.Errorf("load model: training info: %w", err)
		}
	}
	ti.Featurizer.TokenizerJSON = opts.TokenizerJSON
	f, err := NewFeaturizer(ti.Featurizer, opts.Features)
	if err != nil {
		return nil, err
	}
	if meta.Schema != f.Schema().Hash {
		return nil, fmt.Errorf("%w: model %s %s was trained on schema %q, this build computes %s v%d %q",
			ErrSchema, meta.Name, meta.Version, meta.Schema, f.Schema().Name, f.Schema().Version, f.Schema().Hash)
	}
	if meta.Dims.F != f.Schema().Len() || meta.Dims.V != f.Vocab() {
		return nil, fmt.Errorf("%w: model dims %+v, features %d, vocab %d", ErrSchema, meta.Dims, f.Schema().Len(), f.Vocab())
	}
	d := &Detector{opts: opts, f: f, net: net, meta: meta, thresholds: map[string]float64{}}
	for i, h := range []string{HeadGrooming, HeadSextortion} {
		if d.head[i] = meta.Head(h); d.head[i] < 0 {
			return nil, fmt.Errorf("load model: model has no %q head (heads %v)", h, meta.Heads)
		}
		modelT := 0.5
		if mt, ok := meta.Thresholds[h]; ok {
			modelT = float64(mt)
		}
		t, ok := opts.Thresholds[h]
		if !ok {
			t = modelT
		}
		d.thresholds[h] = t
		if ft, ok := meta.FlatThresholds[h]; ok {
			d.flat[i] = newFlatMap(float64(ft), modelT)
			if d.info.FlatThresholds == nil {
				d.info.FlatThresholds = map[string]float64{}
			}
			d.info.FlatThresholds[h] = float64(ft)
		}
	}
	d.info.Name, d.info.Version, d.info.Schema, d.info.Thresholds = meta.Name, meta.Version, meta.Schema, d.thresholds
	d.info.Tokenizer = f.TokenizerName()
	switch opts.Backend {
	case "", BackendAuto, BackendONNX:
		s, version, err := newONNXScorer(model, opts.ONNXLibrary)
		switch {
		case err == nil:
			d.scorer, d.info.Engine, d.info.Runtime = s, BackendONNX, "onnxruntime "+version
		case opts.Backend == BackendONNX:
			return nil, fmt.Errorf("%w: %w", ErrBackend, err)
		default:
			d.scorer, d.info.Engine = net, BackendGo
		}
	case BackendGo:
		d.scorer, d.info.Engine = net, BackendGo
	default:
		return nil, fmt.Errorf("%w: unknown backend %q (want auto, onnx or go)", ErrBackend, opts.Backend)
	}
	return d, nil
}

// Close releases the scorer.
func (d *Detector) Close() error { return d.scorer.Close() }

// Model describes the model in use.
func (d *Detector) Model() ModelInfo { return d.info }

// Meta returns the model's metadata.
func (d *Detector) Meta() models.Meta { return d.meta.Clone() }

// Featurizer returns the detector's featurizer.
func (d *Detector) Featurizer() *Featurizer { return d.f }

// Analyze scores one conversation.
func (d *Detector) Analyze(ctx context.Context, c *corpus.Conversation) (*Report, error) {
	rs, err := d.AnalyzeBatch(ctx, []*corpus.Conversation{c})
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// AnalyzeBatch scores many conversations with few model calls: the rows of all of them are scored
// in batches of Options.BatchRows.
func (d *Detector) AnalyzeBatch(ctx context.Context, cs []*corpus.Conversation) ([]*Report, error) {
	as := make([]*Analysis, len(cs))
	var rows []*Row
	for i, c := range cs {
		as[i] = d.f.Analyze(c, true)
		for j := range as[i].Rows {
			rows = append(rows, &as[i].Rows[j])
		}
	}
	scores, err := ScoreRows(ctx, d.scorer, rows, d.opts.BatchRows)
	if err != nil {
		return nil, err
	}
	out := make([]*Report, len(cs))
	k := 0
	for i, c := range cs {
		n := len(as[i].Rows)
		out[i] = d.report(c, as[i], scores[k*d.meta.Dims.K:(k+n)*d.meta.Dims.K])
		k += n
	}
	return out, nil
}

// ScoreRows scores rows in batches of batchRows (default 64), sorted by length to limit padding,
// and returns the scores row-major [len(rows), K] in the order of rows.
func ScoreRows(ctx context.Context, s models.Scorer, rows []*Row, batchRows int) ([]float32, error) {
	if batchRows <= 0 {
		batchRows = 64
	}
	meta := s.Info()
	K, F := meta.Dims.K, meta.Dims.F
	out := make([]float32, len(rows)*K)
	sb := batchPool.Get().(*scoreBatch)
	defer batchPool.Put(sb)
	order := grow(sb.order, len(rows))
	sb.order = order
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(rows[a].IDs), len(rows[b].IDs)) })
	b := &sb.b
	buf := grow(sb.out, batchRows*K)
	sb.out = buf
	for lo := 0; lo < len(order); lo += batchRows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+batchRows, len(order))
		L := 1
		for _, i := range order[lo:hi] {
			L = max(L, len(rows[i].IDs))
		}
		b.B, b.L, b.F = hi-lo, L, F
		b.IDs = grow(b.IDs, b.B*L)
		b.Feats = b.Feats[:0]
		for r, i := range order[lo:hi] {
			n := copy(b.IDs[r*L:(r+1)*L], rows[i].IDs)
			clear(b.IDs[r*L+n : (r+1)*L]) // padding
			if len(rows[i].Feats) != F {
				return nil, fmt.Errorf("%w: row has %d features, model wants %d", ErrSchema, len(rows[i].Feats), F)
			}
			b.Feats = append(b.Feats, rows[i].Feats...)
		}
		if err := s.Score(ctx, b, buf[:b.B*K]); err != nil {
			return nil, err
		}
		for r, i := range order[lo:hi] {
			copy(out[i*K:(i+1)*K], buf[r*K:(r+1)*K])
		}
	}
	return out, nil
}

// scoreBatch is the scratch of ScoreRows: the model input and output buffers, reused across
// calls so that scoring a conversation does not allocate (and zero) a padded batch each time.
type scoreBatch struct {
	b     models.Batch
	order []int
	out   []float32
}

var batchPool = sync.Pool{New: func() any { return new(scoreBatch) }}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// report assembles the report of one conversation from its analysis and row scores.
func (d *Detector) report(c *corpus.Conversation, a *Analysis, scores []float32) *Report {
	K := d.meta.Dims.K
	convLang := primaryLang(a.Lang)
	lang := d.opts.Lang
	if lang == "" {
		lang = convLang
	}
	if lang != "fr" {
		lang = "en"
	}
	r := &Report{ID: c.ID, Platform: c.Platform, Lang: lang, ConvLang: convLang, Messages: len(c.Messages), Model: d.info,
		Disclaimer: Disclaimer(lang), Timeline: []StageEvent{}, Evidence: []Evidence{}, Legal: []LegalRef{}, Authors: []AuthorScore{}}
	heads := []*HeadScore{&r.Grooming, &r.Sextortion}
	for hi, h := range heads {
		h.Threshold = d.thresholds[[]string{HeadGrooming, HeadSextortion}[hi]]
		h.Score = -1
	}
	authors := map[string]*AuthorScore{}
	var authorOrder []string
	for i := range c.Messages {
		m := &c.Messages[i]
		if m.System || m.Author == "" {
			continue
		}
		if authors[m.Author] == nil {
			authors[m.Author] = &AuthorScore{Author: m.Author}
			authorOrder = append(authorOrder, m.Author)
		}
		authors[m.Author].Messages++
	}
	for ri, row := range a.Rows {
		for hi, h := range heads {
			s := float64(scores[ri*K+d.head[hi]])
			if row.Kind == RowConversation && s > h.Score {
				h.Score, h.Window, h.Start, h.End = s, row.Window, row.Start, row.End
			}
			if row.Kind == RowAuthor && authors[row.Author] != nil {
				as := authors[row.Author]
				if hi == 0 {
					as.Grooming = math.Max(as.Grooming, s)
				} else {
					as.Sextortion = math.Max(as.Sextortion, s)
				}
			}
		}
	}
	r.FlatInput = FlatInput(c)
	for hi, h := range heads {
		h.Score = d.headScore(hi, math.Max(0, h.Score), r.FlatInput)
		h.Flagged = h.Score >= h.Threshold
	}
	for _, mh := range a.Hits {
		if mh.Stage != features.StageNone && authors[mh.Author] != nil {
			authors[mh.Author].CueWeight += float64(mh.Weight)
		}
	}
	for _, name := range authorOrder {
		r.Authors = append(r.Authors, *authors[name])
	}
	// The suspect: on the flagged head with the highest score relative to its threshold, the
	// author the model scores highest, ties broken by cue weight. Not from one side of a
	// conversation: its only author is the export's owner, often the child it was asked for.
	r.OneSided = corpus.OneSided(c)
	if (r.Grooming.Flagged || r.Sextortion.Flagged) && !r.OneSided {
		useSext := r.Sextortion.Flagged && (!r.Grooming.Flagged || r.Sextortion.Score/r.Sextortion.Threshold > r.Grooming.Score/r.Grooming.Threshold)
		best, bs := "", -1.0
		for _, as := range r.Authors {
			s := as.Grooming
			if useSext {
				s = as.Sextortion
			}
			s += 1e-6 * as.CueWeight
			if s > bs {
				best, bs = as.Author, s
			}
		}
		if best != "" {
			r.Suspect = &best
		}
	}
	d.evidence(r, c, a)
	r.Truncated = a.Truncated
	r.Notes = NotesFor(lang, r)
	r.Advice = AdviceFor(lang, r.Grooming.Flagged, r.Sextortion.Flagged)
	return r
}

// primaryLang is the primary subtag of a language tag, lower case: "fr-BE" and "FR" give "fr".
func primaryLang(tag string) string {
	tag, _, _ = strings.Cut(tag, "-")
	tag, _, _ = strings.Cut(tag, "_")
	return strings.ToLower(strings.TrimSpace(tag))
}

func headName(s features.Stage) string {
	if s.Head() == features.HeadSextortion {
		return HeadSextortion
	}
	return HeadGrooming
}

// evidence fills the evidence, timeline and legal elements of r.
func (d *Detector) evidence(r *Report, c *corpus.Conversation, a *Analysis) {
	var first time.Time
	for i := range c.Messages {
		if t := c.Messages[i].Time; !t.IsZero() {
			first = t
			break
		}
	}
	counts := map[features.Stage]int{}
	firstHit := map[features.Stage]int{}
	var ev []Evidence
	for _, mh := range a.Hits {
		if mh.Stage == features.StageNone {
			continue
		}
		counts[mh.Stage]++
		m := &c.Messages[mh.Index]
		e := Evidence{MessageID: mh.ID, MessageIndex: mh.Index, Author: mh.Author, Stage: mh.Stage.String(),
			Head: headName(mh.Stage), Cue: d.f.x.Matcher().CueIn(mh.Cue, r.Lang), Start: mh.Start, End: mh.End, Weight: float64(mh.Weight), Value: mh.Value}
		if mh.Start >= 0 && mh.End <= len(m.Text) && mh.Start <= mh.End {
			e.Quote = m.Text[mh.Start:mh.End]
		}
		if !m.Time.IsZero() {
			t := m.Time
			e.Time = &t
		}
		if _, ok := firstHit[mh.Stage]; !ok {
			firstHit[mh.Stage] = len(ev)
		}
		ev = append(ev, e)
	}
	for s, i := range firstHit {
		e := ev[i]
		se := StageEvent{Stage: e.Stage, Head: e.Head, MessageID: e.MessageID, MessageIndex: e.MessageIndex,
			Author: e.Author, Time: e.Time, Count: counts[s]}
		if e.Time != nil && !first.IsZero() {
			se.Offset = FormatOffset(e.Time.Sub(first))
		}
		r.Timeline = append(r.Timeline, se)
	}
	sort.Slice(r.Timeline, func(i, j int) bool {
		if r.Timeline[i].MessageIndex != r.Timeline[j].MessageIndex {
			return r.Timeline[i].MessageIndex < r.Timeline[j].MessageIndex
		}
		return r.Timeline[i].Stage < r.Timeline[j].Stage
	})
	maxEv := d.opts.MaxEvidence
	if maxEv <= 0 {
		maxEv = 200
	}
	if len(ev) > maxEv {
		// Keep the strongest, then restore conversation order.
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].Weight > ev[j].Weight })
		ev = ev[:maxEv]
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].MessageIndex < ev[j].MessageIndex })
	}
	if ev != nil {
		r.Evidence = ev
	}
	// Legal elements of the stages found (of the suspect's messages when there is one).
	stagesOf := map[string][]string{}
	var order []string
	for s := features.StageContact; s < features.NumStages; s++ {
		if counts[s] == 0 {
			continue
		}
		if r.Suspect != nil && !authorHasStage(a, *r.Suspect, s) {
			continue
		}
		for _, le := range features.LegalElements(s) {
			if _, ok := stagesOf[le.ID]; !ok {
				order = append(order, le.ID)
			}
			stagesOf[le.ID] = append(stagesOf[le.ID], s.String())
		}
	}
	for _, id := range order {
		le, _ := features.LegalElementByID(id)
		ref := LegalRef{ID: le.ID, Jurisdiction: le.Jurisdiction, Ref: le.Ref, Name: le.NameEN, Description: le.DescEN, Stages: stagesOf[id]}
		if r.Lang == "fr" {
			ref.Name, ref.Description = le.NameFR, le.DescFR
		}
		r.Legal = append(r.Legal, ref)
	}
}

func authorHasStage(a *Analysis, author string, s features.Stage) bool {
	for _, mh := range a.Hits {
		if mh.Author == author && mh.Stage == s {
			return true
		}
	}
	return false
}
