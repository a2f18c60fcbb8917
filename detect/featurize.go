package detect

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/features"
)

// FeaturizerConfig fixes how conversations become model rows. It is stored in a model's
// metadata (Meta.Training["featurizer"]) so that scoring uses exactly what training used. The zero
// value means the defaults.
type FeaturizerConfig struct {
	// Hasher is the token hasher. Default: features.Hasher{Buckets: DefaultBuckets}.
	Hasher features.Hasher `json:"hasher"`
	// Window is the number of messages of a scored window. Default 24.
	Window int `json:"window"`
	// MaxIDs caps the token ids of one row; the most recent are kept. Default 2048.
	MaxIDs int `json:"max_ids"`
	// Tokenizer is "" for the Hasher, or "hf:<sha256>" for a Hugging Face tokenizer.json (given in
	// TokenizerJSON) whose ids, shifted by one (0 is padding), replace the hashed ids. The hash ties
	// a model to the tokenizer it was trained with.
	Tokenizer string `json:"tokenizer,omitempty"`
	// TokenizerJSON is the Hugging Face tokenizer.json to use; it is not stored in the model.
	TokenizerJSON []byte `json:"-"`
}

// Defaults of [FeaturizerConfig].
const (
	DefaultBuckets = 1 << 17
	DefaultWindow  = 24
	DefaultMaxIDs  = 2048
)

func (c FeaturizerConfig) withDefaults() FeaturizerConfig {
	if c.Hasher.Buckets == 0 {
		c.Hasher.Buckets = DefaultBuckets
	}
	if c.Window <= 0 {
		c.Window = DefaultWindow
	}
	if c.MaxIDs <= 0 {
		c.MaxIDs = DefaultMaxIDs
	}
	return c
}

// RowKind says what a model row describes.
type RowKind uint8

// Row kinds. A conversation row holds the tokens of every message of a window and the features of
// the conversation so far; an author row holds the tokens of one author's messages in the window
// and the features of the conversation with that author's block.
const (
	RowConversation RowKind = iota
	RowAuthor
)

// Row is one input of the model.
type Row struct {
	Kind       RowKind
	Window     int    // window index in the conversation
	Start, End int    // messages [Start, End) of the conversation
	Author     string // for author rows
	IDs        []int64
	Feats      []float32
}

// Analysis is a featurized conversation: every cue found, the model rows, and the aggregate of
// the whole conversation.
type Analysis struct {
	Hits []features.MessageHit
	Rows []Row
	Agg  *features.Aggregate
	// Lang is the conversation's language: the one the source declares, else the one detected.
	Lang string
	// Truncated counts messages cut to the analysis size limit.
	Truncated int
}

// Featurizer turns conversations into model rows. It is safe for concurrent use.
type Featurizer struct {
	cfg    FeaturizerConfig
	hf     *features.HFTokenizer // nil: the Hasher
	vocab  int
	x      *features.Extractor
	schema *features.Schema
	pool   sync.Pool // *scratch
}

type scratch struct {
	n    features.Normalized
	hits []features.Hit
	ids  []int64 // token ids of the current window's messages
}

// NewFeaturizer returns a featurizer; fo configures the cue extractor.
func NewFeaturizer(cfg FeaturizerConfig, fo features.Options) (*Featurizer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Hasher.Validate(); err != nil {
		return nil, fmt.Errorf("featurizer: %w", err)
	}
	x, err := features.New(fo)
	if err != nil {
		return nil, fmt.Errorf("featurizer: %w", err)
	}
	f := &Featurizer{cfg: cfg, x: x, schema: features.FeatureSchema(), vocab: cfg.Hasher.Vocab()}
	if cfg.TokenizerJSON != nil || cfg.Tokenizer != "" {
		sum := sha256.Sum256(cfg.TokenizerJSON)
		id := "hf:" + hex.EncodeToString(sum[:])
		switch {
		case cfg.TokenizerJSON == nil:
			return nil, fmt.Errorf("%w: the model was trained with the tokenizer %s: pass its tokenizer.json", ErrTokenizer, cfg.Tokenizer)
		case cfg.Tokenizer != "" && cfg.Tokenizer != id:
			return nil, fmt.Errorf("%w: the model was trained with the tokenizer %s, the one given is %s", ErrTokenizer, cfg.Tokenizer, id)
		}
		f.cfg.Tokenizer = id
		if f.hf, err = features.LoadHFTokenizer(bytes.NewReader(cfg.TokenizerJSON), features.HFOptions{}); err != nil {
			return nil, fmt.Errorf("featurizer: %w", err)
		}
		n, err := f.hf.VocabSize()
		if err != nil {
			return nil, fmt.Errorf("featurizer: %w", err)
		}
		f.vocab = n + 1
	}
	f.pool.New = func() any { return new(scratch) }
	return f, nil
}

// Config returns the featurizer's configuration, defaults filled in.
func (f *Featurizer) Config() FeaturizerConfig { return f.cfg }

// Schema returns the feature schema of the rows.
func (f *Featurizer) Schema() *features.Schema { return f.schema }

// Vocab is the number of embedding rows a model needs for these ids.
func (f *Featurizer) Vocab() int { return f.vocab }

// TokenizerName describes the tokenizer of the ids.
func (f *Featurizer) TokenizerName() string {
	if f.hf != nil {
		return f.hf.Name() + " " + f.cfg.Tokenizer
	}
	return f.cfg.Hasher.Spec()
}

// ErrTokenizer: the model needs another tokenizer than the one given.
var ErrTokenizer = errors.New("tokenizer mismatch")

// message analyzes one text: its cues (sorted by position) and its token ids appended to ids. The
// text is normalized once, for the cue matcher and for the hasher.
func (f *Featurizer) message(sc *scratch, text string, ids []int64) ([]features.Hit, []int64, bool) {
	sc.hits = f.x.AppendHitsTo(sc.hits[:0], &sc.n, text)
	sc.hits = mergeOverlaps(sc.hits)
	if f.hf != nil {
		// The tokenizer.json normalizes by itself: it gets the raw text. Ids shift by one so that 0
		// stays padding. A message the tokenizer cannot encode contributes no ids (its cues still count).
		k := len(ids)
		if out, err := f.hf.Encode(text, ids); err == nil {
			ids = out
			for i := k; i < len(ids); i++ {
				ids[i]++
			}
		}
		return sc.hits, ids, sc.n.Truncated
	}
	ids = f.cfg.Hasher.AppendIDs(ids, sc.n.Text)
	return sc.hits, ids, sc.n.Truncated
}

// mergeOverlaps keeps one hit per stage among hits whose spans overlap (a lexicon phrase and a
// slot, or two phrases, quoting the same words), the heaviest, so that a cue counts once in the
// features and in the evidence. hits must be sorted by start; the result keeps that order.
func mergeOverlaps(hits []features.Hit) []features.Hit {
	out := hits[:0]
	for _, h := range hits {
		merged := false
		for j := len(out) - 1; j >= 0; j-- {
			o := &out[j]
			if o.End <= h.Start {
				continue // sorted by start: earlier hits may still overlap, keep looking
			}
			if o.Stage == h.Stage && h.Start < o.End && o.Start < h.End {
				if h.Weight > o.Weight {
					*o = h
				}
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, h)
		}
	}
	return out
}

// maxLangMessages is how many messages language identification reads: enough to decide, bounded
// for long conversations.
const maxLangMessages = 200

// Analyze featurizes c: conversation rows for each window of cfg.Window messages, and author
// rows too when authors is true (training uses them to learn who the offender is; scoring uses
// them to name the suspect).
func (f *Featurizer) Analyze(c *corpus.Conversation, authors bool) *Analysis {
	sc := f.pool.Get().(*scratch)
	defer f.pool.Put(sc)
	a := &Analysis{Agg: new(features.Aggregate), Lang: c.Lang}
	var langs langVotes
	var lc features.LangCounter
	// Token ids of the messages of the current window, flat, with their bounds: message i's ids
	// are ids[bounds[i]:bounds[i+1]]. Rows copy what they keep, so the buffer restarts at each
	// window and comes from the scratch.
	ids := sc.ids[:0]
	defer func() { sc.ids = ids[:0] }()
	bounds := make([]int, len(c.Messages)+1)
	w := f.cfg.Window
	for i := range c.Messages {
		m := &c.Messages[i]
		if i%w == 0 {
			ids = ids[:0]
		}
		bounds[i] = len(ids)
		if !m.System {
			var hits []features.Hit
			var trunc bool
			hits, ids, trunc = f.message(sc, m.Text, ids)
			if a.Lang == "" && lc.Messages() < maxLangMessages {
				lc.Add(m.Text)
			}
			if trunc {
				a.Truncated++
			}
			a.Agg.Add(features.Message{ID: m.ID, Author: m.Author, Time: m.Time}, hits)
			for _, h := range hits {
				a.Hits = append(a.Hits, features.MessageHit{Hit: h, Index: i, ID: m.ID, Author: m.Author})
				langs.add(h)
			}
		}
		bounds[i+1] = len(ids)
		if (i+1)%w == 0 || i == len(c.Messages)-1 {
			start := i + 1 - w
			if (i+1)%w != 0 {
				start = i - i%w
			}
			f.rows(a, c, ids, bounds, start, i+1, authors)
		}
	}
	if a.Lang == "" {
		a.Lang, _ = lc.Best()
	}
	if a.Lang == "" {
		a.Lang = langs.best()
	}
	return a
}

// rows appends the rows of the window [start, end). ids[bounds[i]:bounds[i+1]] are the ids of
// message i. The rows' ids and features share one allocation each per window.
func (f *Featurizer) rows(a *Analysis, c *corpus.Conversation, ids []int64, bounds []int, start, end int, authors bool) {
	win := start / f.cfg.Window
	F := f.schema.Len()
	// The authors of the window, in order of first message.
	var authorsBuf [8]string
	var names []string
	if authors {
		names = authorsBuf[:0]
		for i := start; i < end; i++ {
			m := &c.Messages[i]
			if !m.System && m.Author != "" && !slices.Contains(names, m.Author) {
				names = append(names, m.Author)
			}
		}
	}
	// Sizes first, so that one slice holds the ids of every row of the window.
	convN := min(bounds[end]-bounds[start], f.cfg.MaxIDs)
	total := convN
	var ownBuf [8]int
	own := ownBuf[:0]
	for _, name := range names {
		n := 0
		for j := start; j < end; j++ {
			if c.Messages[j].Author == name && !c.Messages[j].System {
				n += bounds[j+1] - bounds[j]
			}
		}
		own = append(own, n)
		total += min(n, f.cfg.MaxIDs)
	}
	idBuf := make([]int64, total)
	feats := make([]float32, (1+len(names))*F)
	r := Row{Kind: RowConversation, Window: win, Start: start, End: end}
	r.IDs = idBuf[:convN:convN]
	copy(r.IDs, ids[bounds[end]-convN:bounds[end]])
	idBuf = idBuf[convN:]
	r.Feats = a.Agg.AppendFeatures(feats[:0:F], "")
	feats = feats[F:]
	a.Rows = append(a.Rows, r)
	for k, name := range names {
		ar := Row{Kind: RowAuthor, Window: win, Start: start, End: end, Author: name}
		// The author's ids, the last MaxIDs of them: skip the first own[k]-n.
		n := min(own[k], f.cfg.MaxIDs)
		skip := own[k] - n
		dst := idBuf[:0:n]
		for j := start; j < end && len(dst) < n; j++ {
			if c.Messages[j].Author != name || c.Messages[j].System {
				continue
			}
			mids := ids[bounds[j]:bounds[j+1]]
			if skip >= len(mids) {
				skip -= len(mids)
				continue
			}
			dst = append(dst, mids[skip:]...)
			skip = 0
		}
		ar.IDs = dst
		idBuf = idBuf[n:]
		ar.Feats = a.Agg.AppendFeatures(feats[:0:F], name)
		feats = feats[F:]
		a.Rows = append(a.Rows, ar)
	}
}

// langVotes guesses a conversation's language from the languages of the lexicon cues it matched.
// It is a fallback for exports that do not say their language.
type langVotes struct {
	n map[string]float32
}

func (v *langVotes) add(h features.Hit) {
	if h.Lang == "" {
		return
	}
	if v.n == nil {
		v.n = map[string]float32{}
	}
	v.n[h.Lang] += h.Weight
}

func (v *langVotes) best() string {
	best, bw := "", float32(0)
	for l, w := range v.n {
		if w > bw || (w == bw && l < best) {
			best, bw = l, w
		}
	}
	return best
}
