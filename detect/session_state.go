package detect

import (
	"encoding/binary"
	"fmt"
	"math"
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
	e := sessEnc{b: append(b, sessionMagic...)}
	e.uint(sessionStateVersion)
	e.str(s.d.meta.Schema)
	e.str(s.fp)
	e.str(s.id)
	e.uint(uint64(s.n))
	e.uint(uint64(len(s.win)))
	prev := 0
	for _, w := range s.win {
		e.int(w.author)
		e.uint(uint64(w.end - prev))
		prev = w.end
	}
	for _, id := range s.ids {
		e.uint(uint64(id))
	}
	sum, cnt := s.sum.Values()
	e.uint(uint64(len(sum)))
	for _, v := range sum {
		e.float(v)
	}
	e.uint(uint64(cnt))
	for h := range 2 {
		e.float(s.live[h])
		e.float(s.best[h])
		for _, v := range s.bestWin[h] {
			e.uint(uint64(v))
		}
		e.bool(s.armed[h])
		e.uint(uint64(s.alerts[h]))
	}
	e.uint(s.stages)
	e.uint(uint64(s.minMsgs))
	e.uint(uint64(len(s.authors)))
	for _, a := range s.authors {
		e.str(a.name)
		e.uint(uint64(a.msgs))
		e.float(a.cueWeight)
		e.float(a.max[0])
		e.float(a.max[1])
	}
	e.uint(uint64(len(s.wa)))
	for i := range s.wa {
		w := &s.wa[i]
		e.uint(uint64(w.author))
		e.uint(uint64(w.msg))
		e.uint(uint64(w.off))
		sum, cnt := w.sum.Values()
		e.uint(uint64(len(sum)))
		for _, v := range sum {
			e.float(v)
		}
		e.uint(uint64(cnt))
	}
	return s.agg.AppendBinary(e.b)
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
	r := sessDec{b: data[len(sessionMagic):]}
	if v := r.uint(); r.err == nil && v != sessionStateVersion {
		return nil, fmt.Errorf("%w: encoding version %d, this build reads %d", ErrSessionState, v, sessionStateVersion)
	}
	schema, fp := r.str(), r.str()
	if r.err == nil && schema != d.meta.Schema {
		return nil, fmt.Errorf("%w: saved with feature schema %q, this model has %q", ErrSessionState, schema, d.meta.Schema)
	}
	s := d.NewSession("")
	if r.err == nil && fp != s.fp {
		return nil, fmt.Errorf("%w: saved with model %q, this detector has %q", ErrSessionState, fp, s.fp)
	}
	cfg := d.f.Config()
	s.id = r.str()
	s.n = r.count(math.MaxInt32)
	nw := r.count(cfg.Window - 1)
	if r.err == nil && nw > s.n {
		return nil, fmt.Errorf("%w: %d window messages of %d", ErrSessionState, nw, s.n)
	}
	type wm struct{ author, ids int }
	var ws []wm
	total := 0
	for range nw {
		w := wm{author: r.int(), ids: r.count(cfg.MaxIDs)}
		total += w.ids
		ws = append(ws, w)
	}
	if r.err == nil && total > len(r.b) {
		return nil, fmt.Errorf("%w: %d token ids in %d bytes", ErrSessionState, total, len(r.b))
	}
	V := uint64(d.meta.Dims.V)
	s.ids = make([]int64, 0, total)
	for range total {
		id := r.uint()
		if r.err == nil && id >= V {
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
	D := r.count(1 << 20)
	if r.err == nil && D != 0 && D != d.meta.Dims.D {
		return nil, fmt.Errorf("%w: embedding sum of %d values, model has %d", ErrSessionState, D, d.meta.Dims.D)
	}
	sum := make([]float64, D)
	for i := range sum {
		sum[i] = r.float()
	}
	cnt := r.count(cfg.MaxIDs)
	nonzero := 0
	for _, id := range s.ids[s.lo:] {
		if id != 0 {
			nonzero++
		}
	}
	if r.err == nil && (cnt != nonzero || (D == 0 && cnt != 0)) {
		return nil, fmt.Errorf("%w: embedding sum counts %d ids, the window holds %d", ErrSessionState, cnt, nonzero)
	}
	if D > 0 {
		s.sum.SetValues(sum, cnt)
	}
	for h := range 2 {
		s.live[h] = r.float()
		s.best[h] = r.float()
		for i := range s.bestWin[h] {
			s.bestWin[h][i] = r.count(math.MaxInt32)
		}
		s.armed[h] = r.bool()
		s.alerts[h] = r.count(math.MaxInt32)
	}
	s.stages = r.uint()
	s.minMsgs = r.count(math.MaxInt32)
	if r.err == nil && s.minMsgs < 1 {
		return nil, fmt.Errorf("%w: minimum messages %d", ErrSessionState, s.minMsgs)
	}
	na := r.count(len(r.b))
	for i := range na {
		a := sessAuthor{name: r.str(), msgs: r.count(math.MaxInt32), cueWeight: r.float()}
		a.max[0], a.max[1] = r.float(), r.float()
		if _, dup := s.index[a.name]; dup && r.err == nil {
			return nil, fmt.Errorf("%w: author %d repeats an earlier name", ErrSessionState, i)
		}
		s.index[a.name] = len(s.authors)
		s.authors = append(s.authors, a)
	}
	nwa := r.count(len(s.win))
	for range nwa {
		w := winAuthor{author: r.count(math.MaxInt32), msg: r.count(len(s.win)), off: r.count(cfg.MaxIDs)}
		D := r.count(1 << 20)
		if r.err == nil && D != d.meta.Dims.D {
			return nil, fmt.Errorf("%w: author sum of %d values, model has %d", ErrSessionState, D, d.meta.Dims.D)
		}
		sum := make([]float64, D)
		for i := range sum {
			sum[i] = r.float()
		}
		cnt := r.count(cfg.MaxIDs)
		if r.err != nil {
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
	if r.err != nil {
		return nil, r.err
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
	if err := s.agg.UnmarshalBinary(r.b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSessionState, err)
	}
	return s, nil
}

type sessEnc struct{ b []byte }

func (e *sessEnc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *sessEnc) int(v int)     { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *sessEnc) float(v float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
}
func (e *sessEnc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *sessEnc) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// sessDec reads what sessEnc writes; the first error sticks and later reads return zeros.
type sessDec struct {
	b   []byte
	err error
}

func (d *sessDec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated or corrupt %s", ErrSessionState, what)
	}
}

func (d *sessDec) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *sessDec) int() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 || v < math.MinInt32 || v > math.MaxInt32 {
		d.fail("number")
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// count reads a number in [0, limit].
func (d *sessDec) count(limit int) int {
	v := d.uint()
	if d.err == nil && v > uint64(limit) {
		d.fail("count")
		return 0
	}
	return int(v)
}

func (d *sessDec) float() float64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("float")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

func (d *sessDec) bool() bool {
	if d.err != nil {
		return false
	}
	if len(d.b) < 1 || d.b[0] > 1 {
		d.fail("flag")
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *sessDec) str() string {
	n := d.uint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail("string")
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
