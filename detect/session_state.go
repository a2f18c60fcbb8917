package detect

import (
	"fmt"
	"math"

	"github.com/vigie/vigie/internal/wire"
)

// sessionStateVersion is the version of the encoding of [Session.MarshalBinary]. Bump it when a
// field is added, removed or changes meaning.
const sessionStateVersion = 2 // 2: SessionOptions.MinMessages

const sessionMagic = "VSS"

// MarshalBinary saves the session so that [Detector.RestoreSession] continues it exactly, in this
// process or another one with the same model: the pushes that follow give the same updates,
// bit for bit. The encoding is versioned and carries the model's feature-schema hash and
// identity; its size is bounded by the window (at most Window × MaxIDs token ids) and the number
// of authors, not by the length of the conversation.
func (s *Session) MarshalBinary() ([]byte, error) {
	return s.AppendBinary(make([]byte, 0, 512+8*len(s.ids)))
}

// AppendBinary appends the encoding of [Session.MarshalBinary] to b.
func (s *Session) AppendBinary(b []byte) ([]byte, error) {
	e := wire.Enc{B: append(b, sessionMagic...)}
	e.Uint(sessionStateVersion)
	e.Str(s.d.meta.Schema)
	e.Str(s.fp)
	e.Str(s.id)
	e.Uint(uint64(s.n))
	e.Uint(uint64(len(s.win)))
	prev := 0
	for _, w := range s.win {
		e.Int(w.author)
		e.Uint(uint64(w.end - prev))
		prev = w.end
	}
	for _, id := range s.ids {
		e.Uint(uint64(id))
	}
	sum, cnt := s.sum.Values()
	e.Uint(uint64(len(sum)))
	for _, v := range sum {
		e.Float(v)
	}
	e.Uint(uint64(cnt))
	for h := range 2 {
		e.Float(s.live[h])
		e.Float(s.best[h])
		for _, v := range s.bestWin[h] {
			e.Uint(uint64(v))
		}
		e.Bool(s.armed[h])
		e.Uint(uint64(s.alerts[h]))
	}
	e.Uint(s.stages)
	e.Uint(uint64(s.minMsgs))
	e.Uint(uint64(len(s.authors)))
	for _, a := range s.authors {
		e.Str(a.name)
		e.Uint(uint64(a.msgs))
		e.Float(a.cueWeight)
		e.Float(a.max[0])
		e.Float(a.max[1])
	}
	e.Uint(uint64(len(s.wa)))
	for i := range s.wa {
		w := &s.wa[i]
		e.Uint(uint64(w.author))
		e.Uint(uint64(w.msg))
		e.Uint(uint64(w.off))
		sum, cnt := w.sum.Values()
		e.Uint(uint64(len(sum)))
		for _, v := range sum {
			e.Float(v)
		}
		e.Uint(uint64(cnt))
	}
	return s.agg.AppendBinary(e.B)
}

// RestoreSession continues a session saved by [Session.MarshalBinary]. It refuses, with an error
// wrapping [ErrSessionState], a state that is corrupt, of another encoding version, or saved with
// another model (feature schema or model identity differ).
func (d *Detector) RestoreSession(data []byte) (*Session, error) {
	s, err := d.restore(data)
	if err != nil {
		return nil, fmt.Errorf("restore session: %w", err)
	}
	return s, nil
}

func (d *Detector) restore(data []byte) (*Session, error) {
	if len(data) < len(sessionMagic) || string(data[:len(sessionMagic)]) != sessionMagic {
		return nil, fmt.Errorf("%w: not a session state", ErrSessionState)
	}
	r := wire.Dec{B: data[len(sessionMagic):], Sentinel: ErrSessionState}
	if v := r.Uint(); r.Err == nil && v != sessionStateVersion {
		return nil, fmt.Errorf("%w: encoding version %d, this build reads %d", ErrSessionState, v, sessionStateVersion)
	}
	schema, fp := r.Str(), r.Str()
	if r.Err == nil && schema != d.meta.Schema {
		return nil, fmt.Errorf("%w: saved with feature schema %q, this model has %q", ErrSessionState, schema, d.meta.Schema)
	}
	s := d.NewSession("")
	if r.Err == nil && fp != s.fp {
		return nil, fmt.Errorf("%w: saved with model %q, this detector has %q", ErrSessionState, fp, s.fp)
	}
	cfg := d.f.Config()
	s.id = r.Str()
	s.n = r.UintMax(math.MaxInt32)
	nw := r.UintMax(cfg.Window - 1)
	if r.Err == nil && nw > s.n {
		return nil, fmt.Errorf("%w: %d window messages of %d", ErrSessionState, nw, s.n)
	}
	type wm struct{ author, ids int }
	var ws []wm
	total := 0
	for range nw {
		w := wm{author: r.Int(), ids: r.UintMax(cfg.MaxIDs)}
		total += w.ids
		ws = append(ws, w)
	}
	if r.Err == nil && total > len(r.B) {
		return nil, fmt.Errorf("%w: %d token ids in %d bytes", ErrSessionState, total, len(r.B))
	}
	V := uint64(d.meta.Dims.V)
	s.ids = make([]int64, 0, total)
	for range total {
		id := r.Uint()
		if r.Err == nil && id >= V {
			return nil, fmt.Errorf("%w: token id %d out of range", ErrSessionState, id)
		}
		s.ids = append(s.ids, int64(id))
	}
	end := 0
	for _, w := range ws {
		end += w.ids
		s.win = append(s.win, winMsg{author: w.author, end: end})
	}
	s.lo = max(0, len(s.ids)-cfg.MaxIDs)
	D := r.UintMax(1 << 20)
	if r.Err == nil && D != 0 && D != d.meta.Dims.E() {
		return nil, fmt.Errorf("%w: embedding sum of %d values, model has %d", ErrSessionState, D, d.meta.Dims.E())
	}
	sum := make([]float64, D)
	for i := range sum {
		sum[i] = r.Float()
	}
	cnt := r.UintMax(cfg.MaxIDs)
	nonzero := 0
	for _, id := range s.ids[s.lo:] {
		if id != 0 {
			nonzero++
		}
	}
	if r.Err == nil && (cnt != nonzero || (D == 0 && cnt != 0)) {
		return nil, fmt.Errorf("%w: embedding sum counts %d ids, the window holds %d", ErrSessionState, cnt, nonzero)
	}
	if D > 0 {
		s.sum.SetValues(sum, cnt)
	}
	for h := range 2 {
		s.live[h] = r.Float()
		s.best[h] = r.Float()
		for i := range s.bestWin[h] {
			s.bestWin[h][i] = r.UintMax(math.MaxInt32)
		}
		s.armed[h] = r.Bool()
		s.alerts[h] = r.UintMax(math.MaxInt32)
	}
	s.stages = r.Uint()
	s.minMsgs = r.UintMax(math.MaxInt32)
	if r.Err == nil && s.minMsgs < 1 {
		return nil, fmt.Errorf("%w: minimum messages %d", ErrSessionState, s.minMsgs)
	}
	na := r.UintMax(len(r.B))
	for i := range na {
		a := sessAuthor{name: r.Str(), msgs: r.UintMax(math.MaxInt32), cueWeight: r.Float()}
		a.max[0], a.max[1] = r.Float(), r.Float()
		if _, dup := s.index[a.name]; dup && r.Err == nil {
			return nil, fmt.Errorf("%w: author %d repeats an earlier name", ErrSessionState, i)
		}
		s.index[a.name] = len(s.authors)
		s.authors = append(s.authors, a)
	}
	nwa := r.UintMax(len(s.win))
	for range nwa {
		w := winAuthor{author: r.UintMax(math.MaxInt32), msg: r.UintMax(len(s.win)), off: r.UintMax(cfg.MaxIDs)}
		D := r.UintMax(1 << 20)
		if r.Err == nil && D != d.meta.Dims.E() {
			return nil, fmt.Errorf("%w: author sum of %d values, model has %d", ErrSessionState, D, d.meta.Dims.E())
		}
		sum := make([]float64, D)
		for i := range sum {
			sum[i] = r.Float()
		}
		cnt := r.UintMax(cfg.MaxIDs)
		if r.Err != nil {
			break
		}
		if w.msg >= len(s.win) || w.author >= len(s.authors) {
			return nil, fmt.Errorf("%w: window author row out of range", ErrSessionState)
		}
		// Recount the row's ids from its start, to check the saved position and count.
		lo := s.msgStart(w.msg) + w.off
		if lo > s.win[w.msg].end {
			return nil, fmt.Errorf("%w: window author row starts past its message", ErrSessionState)
		}
		nonzero := 0
		for j := w.msg; j < len(s.win); j++ {
			if s.win[j].author != w.author {
				continue
			}
			from := s.msgStart(j)
			if j == w.msg {
				from = lo
			}
			for _, id := range s.ids[from:s.win[j].end] {
				w.n++
				if id != 0 {
					nonzero++
				}
			}
		}
		if w.n > cfg.MaxIDs || nonzero != cnt {
			return nil, fmt.Errorf("%w: window author row holds %d ids, its sum counts %d", ErrSessionState, w.n, cnt)
		}
		w.sum.SetValues(sum, cnt)
		s.wa = append(s.wa, w)
	}
	if r.Err != nil {
		return nil, r.Err
	}
	for _, w := range s.win {
		if w.author < -1 || w.author >= len(s.authors) {
			return nil, fmt.Errorf("%w: window author %d of %d", ErrSessionState, w.author, len(s.authors))
		}
	}
	for h := range 2 {
		if !(s.live[h] >= -1 && s.live[h] <= 1 && s.best[h] >= -1 && s.best[h] <= 1) {
			return nil, fmt.Errorf("%w: scores out of range", ErrSessionState)
		}
	}
	if err := s.agg.UnmarshalBinary(r.B); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSessionState, err)
	}
	return s, nil
}
