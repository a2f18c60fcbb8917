package detect

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
)

// RearmRatio is the hysteresis of alerts. A head alerts when its live score (the current window's)
// reaches its threshold; then it is disarmed, so that a risk that stays high gives one alert, not
// one per message. It is re-armed once its live score falls below RearmRatio × threshold (the
// risk went away; a new crossing is a new escalation). A disarmed head also alerts when a stage
// of that head appears for the first time in the conversation while its live score is at or above
// the threshold (a new escalation: a payment demand after the threat).
const RearmRatio = 0.8

// DefaultMinMessages is the default of [SessionOptions.MinMessages]: a session raises no alert
// before the conversation has this many messages. Chosen on the dev split with `vigie eval
// --early --min-messages N` (see the package documentation, "Streaming sessions").
const DefaultMinMessages = 5

// SessionOptions configure the alerting of a [Session]. The zero value means the defaults. They
// change when a session alerts, never its scores.
type SessionOptions struct {
	// MinMessages suppresses alerts before the conversation has MinMessages messages (system
	// messages included): the first messages alone are too little context, and one-message
	// prefixes score high. A head whose live score crosses its threshold earlier stays armed,
	// so that it alerts (ReasonThreshold) on message MinMessages if its live score is still at or
	// above the threshold then, or later when it crosses again. 0 means [DefaultMinMessages];
	// 1 alerts from the first message; negative values count as 1.
	MinMessages int
}

// Alert reasons.
const (
	ReasonThreshold = "threshold" // the first crossing of the threshold
	ReasonRearmed   = "rearmed"   // crossing again after the live score fell below RearmRatio × threshold
	ReasonNewStage  = "new_stage" // above the threshold, and a stage of the head appeared for the first time
)

// ErrSessionState reports a saved session that cannot be restored: corrupt, of another encoding
// version, or written with another model (its schema hash or model identity differs).
var ErrSessionState = errors.New("invalid session state")

// Risk is the streaming risk of one head after a message.
type Risk struct {
	// Score is what [Detector.Analyze] would report for the conversation so far: the maximum over
	// the conversation rows of the completed windows and of the current, partial window.
	Score float64 `json:"score"`
	// Live is the score of the current window's row alone; alerts and their hysteresis follow it.
	Live      float64 `json:"live"`
	Threshold float64 `json:"threshold"`
	Flagged   bool    `json:"flagged"` // Score >= Threshold
}

// Update is the result of [Session.Push].
type Update struct {
	Session    string  `json:"session"`
	Message    int     `json:"message"` // index of the pushed message in the conversation
	MessageID  string  `json:"message_id"`
	Grooming   Risk    `json:"grooming"`
	Sextortion Risk    `json:"sextortion"`
	Alerts     []Alert `json:"alerts,omitempty"` // nil unless a head escalated on this message
}

// Alert says that a head crossed its threshold on a message (see [RearmRatio] for when a head
// alerts again).
type Alert struct {
	// ID is unique per session, head and escalation: "<session>/<head>/<seq>". Processing the same
	// messages again yields the same ids, so that consumers can de-duplicate.
	ID        string     `json:"id"`
	Session   string     `json:"session"`
	Head      string     `json:"head"`
	Seq       int        `json:"seq"`    // 1 for the head's first alert in the session
	Reason    string     `json:"reason"` // ReasonThreshold, ReasonRearmed or ReasonNewStage
	Stage     string     `json:"stage,omitempty"`
	Score     float64    `json:"score"` // the live score that crossed
	Threshold float64    `json:"threshold"`
	Message   int        `json:"message"`
	MessageID string     `json:"message_id"`
	Time      *time.Time `json:"time,omitempty"`
	// Suspect is the author the model scores highest on the head (over the windows so far).
	Suspect *string       `json:"suspect"`
	Authors []AuthorScore `json:"authors"`
}

// Snapshot is the state of a session as [Detector.Analyze] would report the conversation so far:
// head scores with their best window, author scores and the suspect.
type Snapshot struct {
	Session    string        `json:"session"`
	Messages   int           `json:"messages"`
	Grooming   HeadScore     `json:"grooming"`
	Sextortion HeadScore     `json:"sextortion"`
	LiveScores [2]float64    `json:"live"` // grooming, sextortion of the current window
	Suspect    *string       `json:"suspect"`
	Authors    []AuthorScore `json:"authors"`
	Alerts     [2]int        `json:"alerts"` // alerts so far: grooming, sextortion
}

// Session analyzes one conversation a message at a time; see [Detector.NewSession]. A Session
// is not safe for concurrent use; distinct sessions of one Detector are.
type Session struct {
	d  *Detector
	fp string // model identity, checked on restore
	id string
	n  int // messages pushed, system messages included

	agg features.Aggregate

	// The current window: its messages, and the token ids of each (the last MaxIDs of each
	// message, which is all that a row of the window can use), flat.
	win []winMsg
	ids []int64
	lo  int           // ids[lo:] are the conversation row's ids: the last MaxIDs of the window
	sum models.EmbSum // running embedding sum of ids[lo:]

	live    [2]float64 // score of the current window's conversation row; -1 before the first
	best    [2]float64 // maximum over completed windows; -1 when none
	bestWin [2][3]int  // window, start, end of best

	authors []sessAuthor
	index   map[string]int

	stages  uint64 // bit s: stage s seen in the conversation
	armed   [2]bool
	alerts  [2]int
	minMsgs int // SessionOptions.MinMessages resolved: >= 1

	// The authors of the current window, in order of first message in it, with the running sum
	// of their author row.
	wa []winAuthor

	// Scratch.
	feats []float32
	out   []float32
}

// winAuthor is the author row of one author in the current window: the running embedding sum of
// the last MaxIDs of the author's ids in the window, which start at message msg of the window,
// offset off in that message's ids.
type winAuthor struct {
	author   int // index in Session.authors
	sum      models.EmbSum
	n        int // ids in the row
	msg, off int
}

type winMsg struct {
	author int // index in Session.authors, -1 for system messages and messages without author
	end    int // end of the message's ids in Session.ids
}

type sessAuthor struct {
	name      string
	msgs      int
	cueWeight float64
	max       [2]float64 // over the completed windows
}

// NewSession starts the streaming analysis of a conversation with the default [SessionOptions].
// id names it in updates and alerts. Pushing the messages of a conversation one by one ends at
// the head scores, author scores and suspect that [Detector.Analyze] reports for the whole
// conversation (to 1e-5). Sessions score with the pure-Go network whatever the backend (same
// weights as ONNX, same scores to 1e-5).
func (d *Detector) NewSession(id string) *Session {
	return d.NewSessionWith(id, SessionOptions{})
}

// NewSessionWith is [Detector.NewSession] with options for the alerting.
func (d *Detector) NewSessionWith(id string, o SessionOptions) *Session {
	s := &Session{d: d, fp: d.fingerprint(), id: id, index: map[string]int{}, armed: [2]bool{true, true}}
	switch {
	case o.MinMessages == 0:
		s.minMsgs = DefaultMinMessages
	case o.MinMessages < 1:
		s.minMsgs = 1
	default:
		s.minMsgs = o.MinMessages
	}
	s.live = [2]float64{-1, -1}
	s.best = [2]float64{-1, -1}
	K := d.meta.Dims.K
	s.out = make([]float32, K)
	s.feats = make([]float32, 0, d.f.Schema().Len())
	return s
}

// fingerprint identifies the model and featurizer that a session state depends on.
func (d *Detector) fingerprint() string {
	m := &d.meta
	c := d.f.Config()
	return fmt.Sprintf("%s|%s|%d|%s|%+v|%s|w%d|m%d", m.Name, m.Version, m.Created.UnixNano(), m.Schema, m.Dims,
		c.Hasher.Spec(), c.Window, c.MaxIDs)
}

// ID returns the session's id.
func (s *Session) ID() string { return s.id }

// Options returns the session's options, resolved (MinMessages >= 1).
func (s *Session) Options() SessionOptions { return SessionOptions{MinMessages: s.minMsgs} }

// Messages returns the number of messages pushed.
func (s *Session) Messages() int { return s.n }

// Push analyzes the next message of the conversation. Its cost depends on the message and on
// the model, not on the length of the conversation: the token window is bounded and the
// features and embedding sums are updated incrementally. It allocates nothing in the steady
// state (a message that raises an alert, or a new author, allocates).
func (s *Session) Push(ctx context.Context, m corpus.Message) (Update, error) {
	if err := ctx.Err(); err != nil {
		return Update{}, err
	}
	newStages, err := s.ingest(m)
	if err != nil {
		return Update{}, err
	}
	u := Update{Session: s.id}
	if err := s.score(&u, m, newStages); err != nil {
		return Update{}, err
	}
	return u, nil
}

// PushBatch analyzes the next messages of the conversation together, for a pipeline that
// receives them in bursts: it scores the conversation row once, after the last message (and
// at the end of each window the batch completes), instead of after every message, which is
// most of the cost of a short message. The returned Update is that of the last message: its
// risks are those Push would report after it, and its Alerts are every alert of the batch,
// each checked where the batch was scored and naming the message scored there. Scores after
// the batch, snapshots and saved states are the same as after pushing the messages one by one;
// alerts can differ only in being raised later within the batch (a head that crossed and fell
// back between two scored messages is not seen). An empty batch returns the current risks.
// On an error, the messages before the failing one are in the session.
func (s *Session) PushBatch(ctx context.Context, ms []corpus.Message) (Update, error) {
	u := Update{Session: s.id, Message: s.n - 1}
	if len(ms) == 0 {
		s.fillRisk(&u)
		return u, nil
	}
	window := s.d.f.Config().Window
	var newStages uint64
	for i, m := range ms {
		if err := ctx.Err(); err != nil {
			return Update{}, err
		}
		bits, err := s.ingest(m)
		if err != nil {
			return Update{}, err
		}
		newStages |= bits
		if i == len(ms)-1 || s.n%window == 0 {
			if err := s.score(&u, m, newStages); err != nil {
				return Update{}, err
			}
			newStages = 0
		}
	}
	return u, nil
}

// ingest adds message m to the session's aggregates, window and embedding sums, without scoring,
// and returns the stages that appeared for the first time in the conversation.
func (s *Session) ingest(m corpus.Message) (newStages uint64, err error) {
	d := s.d
	f := d.f
	cfg := f.Config()
	ai := -1
	if !m.System {
		if m.Author != "" {
			i, ok := s.index[m.Author]
			if !ok {
				i = len(s.authors)
				s.authors = append(s.authors, sessAuthor{name: m.Author})
				s.index[m.Author] = i
			}
			ai = i
		}
		sc := f.pool.Get().(*scratch)
		start := len(s.ids)
		var hits []features.Hit
		hits, s.ids, _ = f.message(sc, m.Text, s.ids)
		if n := len(s.ids) - start; n > cfg.MaxIDs {
			// Only the last MaxIDs ids of a message can be in a row.
			s.ids = append(s.ids[:start], s.ids[len(s.ids)-cfg.MaxIDs:]...)
		}
		s.agg.Add(features.Message{ID: m.ID, Author: m.Author, Time: m.Time}, hits)
		for _, h := range hits {
			if h.Stage == features.StageNone || h.Stage >= features.NumStages {
				continue
			}
			if ai >= 0 {
				s.authors[ai].cueWeight += float64(h.Weight)
			}
			if bit := uint64(1) << h.Stage; s.stages&bit == 0 {
				newStages |= bit
				s.stages |= bit
			}
		}
		f.pool.Put(sc)
		if ai >= 0 {
			s.authors[ai].msgs++
		}
		s.win = append(s.win, winMsg{author: ai, end: len(s.ids)})
		// The message's ids go into the conversation row and its author's row, read once.
		var w *winAuthor
		var wsum *models.EmbSum
		if ai >= 0 {
			w = s.authorRow(ai)
			wsum = &w.sum
			w.n += len(s.ids) - start
		}
		if err := d.net.AddIDs2(&s.sum, wsum, s.ids[start:]); err != nil {
			return 0, err
		}
		if ev := len(s.ids) - s.lo - cfg.MaxIDs; ev > 0 {
			if err := d.net.SubIDs(&s.sum, s.ids[s.lo:s.lo+ev]); err != nil {
				return 0, err
			}
			s.lo += ev
		}
		if w != nil {
			if err := s.evictAuthor(w); err != nil {
				return 0, err
			}
		}
	} else {
		s.win = append(s.win, winMsg{author: -1, end: len(s.ids)})
	}
	s.n++
	return newStages, nil
}

// score scores the current window's conversation row after message m (the last one ingested),
// raises the alerts it calls for (newStages: stages new since the last scoring) into u, sets u's
// message and risks, and closes the window when it is complete.
func (s *Session) score(u *Update, m corpus.Message, newStages uint64) error {
	d := s.d
	idx := s.n - 1
	u.Message, u.MessageID = idx, m.ID
	s.feats = s.agg.AppendFeatures(s.feats[:0], "")
	if err := d.net.ScoreSum(&s.sum, s.feats, s.out); err != nil {
		return err
	}
	for h := range 2 {
		s.live[h] = float64(s.out[d.head[h]])
	}
	first := len(u.Alerts)
	for h, name := range []string{HeadGrooming, HeadSextortion} {
		thr := d.thresholds[name]
		live := s.reported(h, s.live[h])
		reason, stage := "", ""
		if !s.armed[h] && live < RearmRatio*thr {
			s.armed[h] = true
		}
		if live >= thr && s.n >= s.minMsgs {
			switch {
			case s.armed[h] && s.alerts[h] == 0:
				reason = ReasonThreshold
			case s.armed[h]:
				reason = ReasonRearmed
			case newStages != 0:
				if st, ok := firstStageOf(newStages, h); ok {
					reason, stage = ReasonNewStage, st.String()
				}
			}
		}
		if reason != "" {
			s.armed[h] = false
			s.alerts[h]++
			a := Alert{ID: fmt.Sprintf("%s/%s/%d", s.id, name, s.alerts[h]), Session: s.id, Head: name, Seq: s.alerts[h],
				Reason: reason, Stage: stage, Score: live, Threshold: thr, Message: idx, MessageID: m.ID}
			if !m.Time.IsZero() {
				t := m.Time
				a.Time = &t
			}
			u.Alerts = append(u.Alerts, a)
		}
	}
	if len(u.Alerts) > first {
		snap, err := s.Snapshot()
		if err != nil {
			return err
		}
		for i := first; i < len(u.Alerts); i++ {
			a := &u.Alerts[i]
			a.Authors = snap.Authors
			a.Suspect = suspectOf(snap.Authors, a.Head == HeadSextortion)
		}
	}
	s.fillRisk(u)

	// A complete window: fold its rows into the maxima and start the next one.
	if s.n%d.f.Config().Window == 0 {
		return s.closeWindow()
	}
	return nil
}

// flat reports whether the conversation so far is a flat input (see [FlatInput]): one message,
// which names no author.
func (s *Session) flat() bool { return s.n == 1 && len(s.authors) == 0 }

// reported returns the score of head h that the session reports for raw score v (see
// [Detector.headScore]); s.live and s.best stay raw, so that a second message ends the mapping.
func (s *Session) reported(h int, v float64) float64 { return s.d.headScore(h, v, s.flat()) }

func (s *Session) fillRisk(u *Update) {
	for h, r := range []*Risk{&u.Grooming, &u.Sextortion} {
		r.Live = s.reported(h, max(s.live[h], 0))
		r.Score = s.reported(h, max(s.best[h], s.live[h], 0))
		r.Threshold = s.d.thresholds[[]string{HeadGrooming, HeadSextortion}[h]]
		r.Flagged = r.Score >= r.Threshold
	}
}

// firstStageOf returns the first stage of head h (0 grooming, 1 sextortion) among bits.
func firstStageOf(bits uint64, h int) (features.Stage, bool) {
	for st := features.StageContact; st < features.NumStages; st++ {
		if bits&(1<<st) == 0 {
			continue
		}
		if (st.Head() == features.HeadSextortion) == (h == 1) {
			return st, true
		}
	}
	return 0, false
}

// windowStart is the index of the current window's first message.
func (s *Session) windowStart() int { return s.n - len(s.win) }

// closeWindow folds the current window's conversation row (its score is s.live) and its author
// rows into the maxima, then empties the window.
func (s *Session) closeWindow() error {
	start, end := s.windowStart(), s.n
	win := start / s.d.f.Config().Window
	for h := range 2 {
		if s.live[h] > s.best[h] {
			s.best[h], s.bestWin[h] = s.live[h], [3]int{win, start, end}
		}
	}
	if err := s.authorRows(func(ai int, sc [2]float64) {
		a := &s.authors[ai]
		a.max[0], a.max[1] = math.Max(a.max[0], sc[0]), math.Max(a.max[1], sc[1])
	}); err != nil {
		return err
	}
	s.win = s.win[:0]
	s.ids = s.ids[:0]
	s.wa = s.wa[:0]
	s.lo = 0
	s.sum.Reset()
	return nil
}

// authorRow returns the author row of author ai in the current window, starting it (at the
// window's last message) when the author had not written in the window yet.
func (s *Session) authorRow(ai int) *winAuthor {
	for i := range s.wa {
		if s.wa[i].author == ai {
			return &s.wa[i]
		}
	}
	if len(s.wa) < cap(s.wa) {
		s.wa = s.wa[:len(s.wa)+1] // reuse the element's sum memory
	} else {
		s.wa = append(s.wa, winAuthor{})
	}
	w := &s.wa[len(s.wa)-1]
	w.sum.Reset()
	w.author, w.n, w.msg, w.off = ai, 0, len(s.win)-1, 0
	return w
}

// evictAuthor removes the oldest ids of an author row beyond MaxIDs (the author's ids in the
// window, walked from the row's start, skipping the other authors' messages).
func (s *Session) evictAuthor(w *winAuthor) error {
	net := s.d.net
	for ev := w.n - s.d.f.Config().MaxIDs; ev > 0; {
		if s.win[w.msg].author != w.author {
			w.msg, w.off = w.msg+1, 0
			continue
		}
		lo := s.msgStart(w.msg) + w.off
		k := min(ev, s.win[w.msg].end-lo)
		if err := net.SubIDs(&w.sum, s.ids[lo:lo+k]); err != nil {
			return err
		}
		w.off += k
		w.n -= k
		ev -= k
		if lo+k == s.win[w.msg].end {
			w.msg, w.off = w.msg+1, 0
		}
	}
	return nil
}

// authorRows scores the author rows of the current window (authors in order of first message in
// the window) and calls fn with each.
func (s *Session) authorRows(fn func(ai int, scores [2]float64)) error {
	d := s.d
	for i := range s.wa {
		w := &s.wa[i]
		s.feats = s.agg.AppendFeatures(s.feats[:0], s.authors[w.author].name)
		if err := d.net.ScoreSum(&w.sum, s.feats, s.out); err != nil {
			return err
		}
		fn(w.author, [2]float64{float64(s.out[d.head[0]]), float64(s.out[d.head[1]])})
	}
	return nil
}

func (s *Session) msgStart(i int) int {
	if i == 0 {
		return 0
	}
	return s.win[i-1].end
}

// Snapshot returns the session's state as Analyze would report the conversation so far. It
// scores the author rows of the current window (O(window)), so it costs more than a Push.
func (s *Session) Snapshot() (Snapshot, error) {
	d := s.d
	snap := Snapshot{Session: s.id, Messages: s.n, Alerts: s.alerts, Authors: make([]AuthorScore, len(s.authors))}
	for i, a := range s.authors {
		snap.Authors[i] = AuthorScore{Author: a.name, Messages: a.msgs, Grooming: a.max[0], Sextortion: a.max[1], CueWeight: a.cueWeight}
	}
	if len(s.win) > 0 {
		if err := s.authorRows(func(ai int, sc [2]float64) {
			a := &snap.Authors[ai]
			a.Grooming, a.Sextortion = math.Max(a.Grooming, sc[0]), math.Max(a.Sextortion, sc[1])
		}); err != nil {
			return Snapshot{}, err
		}
	}
	start := s.windowStart()
	win := start / d.f.Config().Window
	for h, hs := range []*HeadScore{&snap.Grooming, &snap.Sextortion} {
		hs.Threshold = d.thresholds[[]string{HeadGrooming, HeadSextortion}[h]]
		hs.Score = s.best[h]
		hs.Window, hs.Start, hs.End = s.bestWin[h][0], s.bestWin[h][1], s.bestWin[h][2]
		if len(s.win) > 0 && s.live[h] > hs.Score {
			hs.Score, hs.Window, hs.Start, hs.End = s.live[h], win, start, s.n
		}
		hs.Score = s.reported(h, math.Max(0, hs.Score))
		hs.Flagged = hs.Score >= hs.Threshold
		snap.LiveScores[h] = s.reported(h, math.Max(0, s.live[h]))
	}
	if snap.Grooming.Flagged || snap.Sextortion.Flagged {
		g, x := snap.Grooming, snap.Sextortion
		useSext := x.Flagged && (!g.Flagged || x.Score/x.Threshold > g.Score/g.Threshold)
		snap.Suspect = suspectOf(snap.Authors, useSext)
	}
	return snap, nil
}

// suspectOf is the suspect rule of the batch report: the author the model scores highest on the
// head, ties broken by cue weight.
func suspectOf(authors []AuthorScore, sext bool) *string {
	best, bs := "", -1.0
	for _, as := range authors {
		v := as.Grooming
		if sext {
			v = as.Sextortion
		}
		v += 1e-6 * as.CueWeight
		if v > bs {
			best, bs = as.Author, v
		}
	}
	if best == "" {
		return nil
	}
	return &best
}
