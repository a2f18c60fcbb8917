package features

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/bits"
	"strings"
	"sync"
	"time"
)

// Schema names the features that [Aggregate.AppendFeatures] writes, in order. A model records
// the schema it was trained on (name, version, hash) and refuses features of another schema.
type Schema struct {
	Name    string
	Version int
	Names   []string // feature names, in vector order
	Hash    string   // hex SHA-256 of the names joined by "\n"
}

// Schema identity. Bump SchemaVersion whenever a feature is added, removed, reordered or
// rescaled.
const (
	SchemaName    = "vigie-cues"
	SchemaVersion = 1
)

// Len returns the number of features.
func (s *Schema) Len() int { return len(s.Names) }

// FeatureSchema returns the schema of [Aggregate.AppendFeatures]. The result is shared: do not
// modify it.
func FeatureSchema() *Schema { return schemaOnce() }

var schemaOnce = sync.OnceValue(func() *Schema {
	w := featureWriter{naming: true}
	var a Aggregate
	a.write(&w, -1)
	h := sha256.Sum256([]byte(strings.Join(w.names, "\n")))
	return &Schema{Name: SchemaName, Version: SchemaVersion, Names: w.names, Hash: hex.EncodeToString(h[:])}
})

// Feature names per stage, computed once so that writing features allocates nothing.
var stageFeat = func() (t [NumStages][8]string) {
	for s := StageContact; s < NumStages; s++ {
		p := "stage." + s.String() + "."
		q := "author.stage." + s.String() + "."
		t[s] = [8]string{p + "count", p + "rate", p + "weight", p + "first", p + "last", q + "count", q + "rate", q + "share"}
	}
	return t
}()

// Caps and scales.
const (
	maxGapMinutes   = 7 * 24 * 60 // image request → payment demand, capped at a week
	latencyBins     = 40          // log2 bins of reply latency in seconds
	nightStartHour  = 22
	nightEndHour    = 6
	ageInconsistent = 20.0 // years of spread that saturate author.age_inconsistency
)

type stageStat struct {
	msgs        int     // messages with at least one hit of the stage
	weight      float64 // sum of hit weights
	first, last int     // message indices, -1 when absent
}

// noAuthor is the (read-only) author block of a conversation without authors.
var noAuthor = authorAgg{first: -1}

type authorAgg struct {
	name      string
	first     int // index of the author's first message
	msgs      int
	night     int
	timed     int
	weight    float64 // total cue weight, grooming and sextortion
	stageMsgs [NumStages]int
	ages      int
	minAge    float64
	maxAge    float64
	latency   [latencyBins]int32
	replies   int
}

// Aggregate accumulates the hits of a conversation one message at a time. The cost of Add does not
// depend on the length of the conversation, and AppendFeatures can be called at any point, which
// suits streaming sessions. An Aggregate is not safe for concurrent use; the zero value is empty
// and ready.
type Aggregate struct {
	msgs       int
	timed      int
	night      int
	firstTime  time.Time
	lastTime   time.Time
	prevAuthor int
	prevTime   time.Time

	stages  [NumStages]stageStat
	benign  int
	authors []authorAgg
	index   map[string]int

	latency [latencyBins]int32
	replies int

	firstImage     int
	firstImageTime time.Time
	firstPayAfter  int
	firstPayTime   time.Time

	lastNewGrooming Stage
	ordered         int
	disordered      int
	sextMsgs        int
	sextAfterImage  int
	started         bool
}

// Reset empties the aggregate, keeping its memory.
func (a *Aggregate) Reset() {
	authors, index := a.authors[:0], a.index
	clear(index)
	*a = Aggregate{authors: authors, index: index}
}

func (a *Aggregate) init() {
	if a.started {
		return
	}
	a.started = true
	a.prevAuthor = -1
	a.firstImage, a.firstPayAfter = -1, -1
	for i := range a.stages {
		a.stages[i].first, a.stages[i].last = -1, -1
	}
	if a.index == nil {
		a.index = make(map[string]int)
	}
}

// Add accounts for one message and its hits (from [Extractor.AppendHits]). Messages must be
// added in conversation order. Only m.Author and m.Time are read.
func (a *Aggregate) Add(m Message, hits []Hit) {
	a.init()
	idx := a.msgs
	a.msgs++
	ai, ok := a.index[m.Author]
	if !ok {
		ai = len(a.authors)
		a.authors = append(a.authors, authorAgg{name: m.Author, first: idx})
		a.index[m.Author] = ai
	}
	au := &a.authors[ai]
	au.msgs++
	if !m.Time.IsZero() {
		a.timed++
		au.timed++
		if a.firstTime.IsZero() {
			a.firstTime = m.Time
		}
		a.lastTime = m.Time
		if h := m.Time.Hour(); h >= nightStartHour || h < nightEndHour {
			a.night++
			au.night++
		}
		if a.prevAuthor >= 0 && a.prevAuthor != ai && !a.prevTime.IsZero() {
			if d := m.Time.Sub(a.prevTime); d >= 0 {
				b := latencyBin(d)
				a.latency[b]++
				a.replies++
				au.latency[b]++
				au.replies++
			}
		}
	}
	a.prevAuthor, a.prevTime = ai, m.Time

	var seen [NumStages]bool
	for i := range hits {
		h := &hits[i]
		if h.Stage == StageNone {
			if h.Cue != "" && !seen[StageNone] {
				a.benign++
				seen[StageNone] = true
			}
			continue
		}
		if h.Stage >= NumStages {
			continue
		}
		st := &a.stages[h.Stage]
		st.weight += float64(h.Weight)
		au.weight += float64(h.Weight)
		if h.Cue == SlotAge && h.Value > 0 {
			if au.ages == 0 || h.Value < au.minAge {
				au.minAge = h.Value
			}
			if au.ages == 0 || h.Value > au.maxAge {
				au.maxAge = h.Value
			}
			au.ages++
		}
		seen[h.Stage] = true
	}
	sext := false
	for s := StageContact; s < NumStages; s++ {
		if !seen[s] {
			continue
		}
		st := &a.stages[s]
		if st.first < 0 {
			st.first = idx
			if s.Head() == HeadGrooming {
				if a.lastNewGrooming != StageNone {
					if s > a.lastNewGrooming {
						a.ordered++
					} else {
						a.disordered++
					}
				}
				a.lastNewGrooming = s
			}
		}
		st.last = idx
		st.msgs++
		au.stageMsgs[s]++
		if s.Head() == HeadSextortion {
			sext = true
		}
	}
	if seen[StageImageRequest] && a.firstImage < 0 {
		a.firstImage, a.firstImageTime = idx, m.Time
	}
	if seen[StagePaymentDemand] && a.firstImage >= 0 && a.firstPayAfter < 0 {
		a.firstPayAfter, a.firstPayTime = idx, m.Time
	}
	if sext {
		a.sextMsgs++
		if a.firstImage >= 0 {
			a.sextAfterImage++
		}
	}
}

func latencyBin(d time.Duration) int {
	b := bits.Len64(uint64(d / time.Second))
	return min(b, latencyBins-1)
}

// medianLatency returns the median reply latency in minutes from a log2 histogram (the geometric
// middle of the median bin), and whether there was any reply.
func medianLatency(h *[latencyBins]int32, n int) (float64, bool) {
	if n == 0 {
		return 0, false
	}
	half, acc := (n+1)/2, 0
	for b, c := range h {
		acc += int(c)
		if acc >= half {
			if b == 0 {
				return 0, true
			}
			lo := math.Ldexp(1, b-1) // seconds in [2^(b-1), 2^b)
			return lo * math.Sqrt2 / 60, true
		}
	}
	return 0, true
}

// Messages returns the number of messages added.
func (a *Aggregate) Messages() int { return a.msgs }

// Authors returns the authors seen, in order of first message.
func (a *Aggregate) Authors() []string {
	out := make([]string, len(a.authors))
	for i := range a.authors {
		out[i] = a.authors[i].name
	}
	return out
}

// AppendFeatures appends the feature vector of [FeatureSchema] to dst and returns it: the
// conversation block, then the block of author (by name). An empty author, or one that has not
// written, selects the author with the largest total cue weight (the first one on ties). All
// values are bounded: counts as log1p, rates and positions in [0, 1]. It allocates nothing
// when dst has room.
func (a *Aggregate) AppendFeatures(dst []float32, author string) []float32 {
	ai := -1
	if i, ok := a.index[author]; ok && author != "" {
		ai = i
	} else {
		best := -1.0
		for i := range a.authors {
			if a.authors[i].weight > best {
				ai, best = i, a.authors[i].weight
			}
		}
	}
	w := featureWriter{dst: dst}
	a.write(&w, ai)
	return w.dst
}

type featureWriter struct {
	dst    []float32
	names  []string
	naming bool
}

func (w *featureWriter) put(name string, v float64) {
	if w.naming {
		w.names = append(w.names, name)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	w.dst = append(w.dst, float32(v))
}

// log1p is math.Log1p(max(x, 0)). Most of the values it gets are counts, and zero for most
// stages: those come from a table of the same values (math.Log1p is about 6% of a streaming
// session's CPU otherwise).
func log1p(x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x < float64(len(log1pInts)):
		if i := int(x); float64(i) == x {
			return log1pInts[i]
		}
	}
	return math.Log1p(x) // NaN stays NaN
}

// log1pInts[i] is math.Log1p(i).
var log1pInts = func() (t [1024]float64) {
	for i := range t {
		t[i] = math.Log1p(float64(i))
	}
	return t
}()

func ratio(a, b int) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// pos maps a message index to (i+1)/n in (0, 1], 0 when absent.
func pos(i, n int) float64 {
	if i < 0 || n <= 0 {
		return 0
	}
	return float64(i+1) / float64(n)
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// write is the single definition of the feature vector: names and values come from here.
func (a *Aggregate) write(w *featureWriter, ai int) {
	n := a.msgs
	// Conversation.
	w.put("conv.messages", log1p(float64(n)))
	w.put("conv.authors", log1p(float64(len(a.authors))))
	w.put("conv.times_known", ratio(a.timed, n))
	dur := 0.0
	if a.timed > 1 {
		dur = max(a.lastTime.Sub(a.firstTime).Minutes(), 0)
	}
	w.put("conv.duration_minutes", log1p(dur))
	rate := 0.0
	if dur > 0 {
		rate = float64(a.timed) / dur
	}
	w.put("conv.msgs_per_minute", log1p(rate))
	w.put("conv.night_share", ratio(a.night, a.timed))
	lat, ok := medianLatency(&a.latency, a.replies)
	w.put("conv.reply_latency_minutes", log1p(lat))
	w.put("conv.reply_latency_known", boolf(ok))
	gapKnown := a.firstPayAfter >= 0 && !a.firstImageTime.IsZero() && !a.firstPayTime.IsZero()
	gap := 0.0
	if gapKnown {
		gap = min(max(a.firstPayTime.Sub(a.firstImageTime).Minutes(), 0), maxGapMinutes)
	}
	w.put("conv.image_to_payment_minutes", log1p(gap))
	w.put("conv.image_to_payment_known", boolf(gapKnown))
	gapMsgs := 0.0
	if a.firstPayAfter >= 0 {
		gapMsgs = ratio(a.firstPayAfter-a.firstImage, n)
	}
	w.put("conv.image_to_payment_messages", gapMsgs)
	var groomingStages, sextStages, groomingMsgs, sextMsgs int
	var groomingW, sextW float64
	for s := StageContact; s < NumStages; s++ {
		st := &a.stages[s]
		if s.Head() == HeadGrooming {
			groomingW += st.weight
			if st.msgs > 0 {
				groomingStages++
			}
		} else {
			sextW += st.weight
			if st.msgs > 0 {
				sextStages++
			}
		}
	}
	for s := StageContact; s < NumStages; s++ {
		if s.Head() == HeadGrooming {
			groomingMsgs = max(groomingMsgs, a.stages[s].msgs)
		} else {
			sextMsgs = max(sextMsgs, a.stages[s].msgs)
		}
	}
	w.put("conv.grooming_stages", float64(groomingStages)/float64(StageReciprocityBait-StageContact))
	w.put("conv.sextortion_stages", float64(sextStages)/float64(NumStages-StageReciprocityBait))
	w.put("conv.escalation_ordered", log1p(float64(a.ordered)))
	w.put("conv.escalation_ratio", ratio(a.ordered, a.ordered+a.disordered))
	w.put("conv.sextortion_after_image", ratio(a.sextAfterImage, a.sextMsgs))
	w.put("conv.benign_context", log1p(float64(a.benign)))
	w.put("conv.benign_context_rate", ratio(a.benign, n))
	w.put("head.grooming.weight", log1p(groomingW))
	w.put("head.grooming.max_stage_rate", ratio(groomingMsgs, n))
	w.put("head.sextortion.weight", log1p(sextW))
	w.put("head.sextortion.max_stage_rate", ratio(sextMsgs, n))
	for s := StageContact; s < NumStages; s++ {
		st := &a.stages[s]
		nm := &stageFeat[s]
		w.put(nm[0], log1p(float64(st.msgs)))
		w.put(nm[1], ratio(st.msgs, n))
		w.put(nm[2], log1p(st.weight))
		w.put(nm[3], pos(st.first, n))
		w.put(nm[4], pos(st.last, n))
	}
	// Author.
	var au *authorAgg
	if ai >= 0 && ai < len(a.authors) {
		au = &a.authors[ai]
	}
	if au == nil {
		au = &noAuthor
	}
	w.put("author.known", boolf(ai >= 0))
	w.put("author.msg_share", ratio(au.msgs, n))
	w.put("author.first_speaker", boolf(ai >= 0 && au.first == 0))
	w.put("author.night_share", ratio(au.night, au.timed))
	alat, aok := medianLatency(&au.latency, au.replies)
	w.put("author.reply_latency_minutes", log1p(alat))
	w.put("author.reply_latency_known", boolf(aok))
	w.put("author.age_statements", log1p(float64(au.ages)))
	w.put("author.age_min", au.minAge/100)
	w.put("author.age_max", au.maxAge/100)
	w.put("author.age_inconsistency", min(au.maxAge-au.minAge, ageInconsistent)/ageInconsistent)
	w.put("author.minor_claim", boolf(au.ages > 0 && au.minAge < 18))
	for s := StageContact; s < NumStages; s++ {
		nm := &stageFeat[s]
		w.put(nm[5], log1p(float64(au.stageMsgs[s])))
		w.put(nm[6], ratio(au.stageMsgs[s], au.msgs))
		w.put(nm[7], ratio(au.stageMsgs[s], a.stages[s].msgs))
	}
}
