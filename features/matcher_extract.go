package features

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/vigie/vigie/corpus"
)

// Extractor finds the cues of chat messages: it normalizes each message, runs the lexicon
// [Matcher] and the slot detectors, and reports [Hit]s whose spans quote the original text.
// Construct it once with [New]; an Extractor is safe for concurrent use (per-call scratch comes
// from a sync.Pool) and allocates nothing per message in steady state.
type Extractor struct {
	nz      *Normalizer
	m       *Matcher
	noSlots bool
	pool    sync.Pool // *extractScratch
}

type extractScratch struct {
	n  Normalized
	ms matchScratch
}

// New loads and compiles the lexicons of opts and returns an Extractor.
func New(opts Options) (*Extractor, error) {
	nz, err := NewNormalizer(opts.MaxMessageBytes)
	if err != nil {
		return nil, fmt.Errorf("new extractor: %w", err)
	}
	fsys := opts.Lexicons
	if fsys == nil {
		fsys = EmbeddedLexicons()
	}
	entries, err := LoadLexicons(fsys, nz, opts.Langs)
	if err != nil {
		return nil, fmt.Errorf("new extractor: %w", err)
	}
	m, err := NewMatcher(entries)
	if err != nil {
		return nil, fmt.Errorf("new extractor: %w", err)
	}
	x := &Extractor{nz: nz, m: m, noSlots: opts.NoSlots}
	x.pool.New = func() any { return new(extractScratch) }
	return x, nil
}

// Normalizer returns the extractor's normalizer.
func (x *Extractor) Normalizer() *Normalizer { return x.nz }

// Matcher returns the extractor's compiled lexicon matcher.
func (x *Extractor) Matcher() *Matcher { return x.m }

// Walk calls fn for every cue of text: lexicon phrases first (in order of end), then slots,
// until fn returns false. It reports whether the text was truncated to the size limit.
func (x *Extractor) Walk(text string, fn func(Hit) bool) (truncated bool) {
	sc := x.pool.Get().(*extractScratch)
	x.walk(&sc.n, &sc.ms, text, fn)
	truncated = sc.n.Truncated
	x.pool.Put(sc)
	return truncated
}

func (x *Extractor) walk(n *Normalized, ms *matchScratch, text string, fn func(Hit) bool) {
	x.nz.Normalize(n, text)
	stopped, benign := false, false
	x.m.walk(n, ms, func(h Hit) bool {
		if h.Stage == StageNone {
			benign = true
		}
		if !fn(h) {
			stopped = true
			return false
		}
		return true
	})
	if !stopped && !x.noSlots {
		WalkSlots(text, n, func(h Hit) bool {
			// A benign context in the same message ("10 9 8 bonne année", "3 2 1 happy new
			// year") holds back a bare number countdown; deadlines and lexicon phrases stay.
			if benign && h.Cue == SlotCountdown {
				return true
			}
			return fn(h)
		})
	}
}

// AppendHits appends the cues of text to dst, ordered by start then end in the text, and returns
// the extended slice.
func (x *Extractor) AppendHits(dst []Hit, text string) []Hit {
	sc := x.pool.Get().(*extractScratch)
	dst = x.appendHits(dst, &sc.n, &sc.ms, text)
	x.pool.Put(sc)
	return dst
}

// AppendHitsTo is AppendHits with a caller-owned [Normalized], which holds the normalization of
// text afterwards: a caller that also tokenizes the message (see [Hasher.AppendIDs]) normalizes
// it only once.
func (x *Extractor) AppendHitsTo(dst []Hit, n *Normalized, text string) []Hit {
	sc := x.pool.Get().(*extractScratch)
	dst = x.appendHits(dst, n, &sc.ms, text)
	x.pool.Put(sc)
	return dst
}

func (x *Extractor) appendHits(dst []Hit, n *Normalized, ms *matchScratch, text string) []Hit {
	k := len(dst)
	x.walk(n, ms, text, func(h Hit) bool {
		dst = append(dst, h)
		return true
	})
	if len(dst)-k < 2 {
		return dst
	}
	slices.SortStableFunc(dst[k:], func(a, b Hit) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.End, b.End)
	})
	return dst
}

// Conversation extracts the cues of every message of c (system messages skipped) and returns
// them with the conversation's aggregate, ready for [Aggregate.AppendFeatures].
func (x *Extractor) Conversation(c *corpus.Conversation) ([]MessageHit, *Aggregate) {
	var out []MessageHit
	agg := new(Aggregate)
	var hits []Hit
	for i := range c.Messages {
		m := &c.Messages[i]
		if m.System {
			continue
		}
		hits = x.AppendHits(hits[:0], m.Text)
		agg.Add(Message{ID: m.ID, Author: m.Author, Time: m.Time}, hits)
		for _, h := range hits {
			out = append(out, MessageHit{Hit: h, Index: i, ID: m.ID, Author: m.Author})
		}
	}
	return out, agg
}
