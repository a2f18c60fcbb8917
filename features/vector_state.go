package features

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrAggregateState reports an encoded [Aggregate] that cannot be decoded: truncated, corrupt, of
// another encoding version or of another stage taxonomy.
var ErrAggregateState = errors.New("invalid aggregate state")

// aggregateStateVersion is the version of the encoding written by [Aggregate.MarshalBinary].
// Bump it whenever a field of Aggregate is added, removed or changes meaning.
const aggregateStateVersion = 1

// aggMagic starts every encoded aggregate.
const aggMagic = "VAG"

// maxStateAuthors bounds the authors of a decoded aggregate, so that a corrupt length cannot ask
// for an absurd allocation (each author also needs at least a few bytes of input).
const maxStateAuthors = 1 << 20

// MarshalBinary encodes the aggregate so that [Aggregate.UnmarshalBinary] restores it exactly:
// features written after restoring, and after adding the same further messages, are identical.
// Times keep their instant (not their location, which no feature reads after Add). The encoding
// is versioned and records the number of stages and latency bins, so that a state written by a
// build with another taxonomy is refused.
func (a *Aggregate) MarshalBinary() ([]byte, error) {
	return a.AppendBinary(make([]byte, 0, 256+len(a.authors)*(64+latencyBins)))
}

// AppendBinary appends the encoding of [Aggregate.MarshalBinary] to b.
func (a *Aggregate) AppendBinary(b []byte) ([]byte, error) {
	e := stateEnc{b: append(b, aggMagic...)}
	e.uint(aggregateStateVersion)
	e.uint(uint64(NumStages))
	e.uint(latencyBins)
	e.bool(a.started)
	e.int(a.msgs)
	e.int(a.timed)
	e.int(a.night)
	e.time(a.firstTime)
	e.time(a.lastTime)
	e.int(a.prevAuthor)
	e.time(a.prevTime)
	for i := range a.stages {
		st := &a.stages[i]
		e.int(st.msgs)
		e.float(st.weight)
		e.int(st.first)
		e.int(st.last)
	}
	e.int(a.benign)
	e.uint(uint64(len(a.authors)))
	for i := range a.authors {
		au := &a.authors[i]
		e.str(au.name)
		e.int(au.first)
		e.int(au.msgs)
		e.int(au.night)
		e.int(au.timed)
		e.float(au.weight)
		for _, n := range au.stageMsgs {
			e.int(n)
		}
		e.int(au.ages)
		e.float(au.minAge)
		e.float(au.maxAge)
		for _, n := range au.latency {
			e.int(int(n))
		}
		e.int(au.replies)
	}
	for _, n := range a.latency {
		e.int(int(n))
	}
	e.int(a.replies)
	e.int(a.firstImage)
	e.time(a.firstImageTime)
	e.int(a.firstPayAfter)
	e.time(a.firstPayTime)
	e.int(int(a.lastNewGrooming))
	e.int(a.ordered)
	e.int(a.disordered)
	e.int(a.sextMsgs)
	e.int(a.sextAfterImage)
	return e.b, nil
}

// UnmarshalBinary restores an aggregate encoded by [Aggregate.MarshalBinary], replacing the
// content of a. Errors wrap [ErrAggregateState]; a is left empty on error.
func (a *Aggregate) UnmarshalBinary(data []byte) error {
	rest, err := a.decode(data)
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("%w: %d bytes after the end", ErrAggregateState, len(rest))
	}
	if err != nil {
		a.Reset()
		return err
	}
	return nil
}

// DecodeBinary restores an aggregate from the start of data, like [Aggregate.UnmarshalBinary],
// and returns the bytes that follow it.
func (a *Aggregate) DecodeBinary(data []byte) ([]byte, error) {
	rest, err := a.decode(data)
	if err != nil {
		a.Reset()
	}
	return rest, err
}

func (a *Aggregate) decode(data []byte) ([]byte, error) {
	if len(data) < len(aggMagic) || string(data[:len(aggMagic)]) != aggMagic {
		return nil, fmt.Errorf("%w: not an aggregate state", ErrAggregateState)
	}
	d := stateDec{b: data[len(aggMagic):]}
	if v := d.uint(); d.err == nil && v != aggregateStateVersion {
		return nil, fmt.Errorf("%w: encoding version %d, this build reads %d", ErrAggregateState, v, aggregateStateVersion)
	}
	if ns, nb := d.uint(), d.uint(); d.err == nil && (ns != uint64(NumStages) || nb != latencyBins) {
		return nil, fmt.Errorf("%w: %d stages and %d latency bins, this build has %d and %d", ErrAggregateState, ns, nb, NumStages, latencyBins)
	}
	authors, index := a.authors[:0], a.index
	clear(index)
	if index == nil {
		index = make(map[string]int)
	}
	*a = Aggregate{}
	a.started = d.bool()
	a.msgs = d.count()
	a.timed = d.count()
	a.night = d.count()
	a.firstTime = d.time()
	a.lastTime = d.time()
	a.prevAuthor = d.int()
	a.prevTime = d.time()
	for i := range a.stages {
		st := &a.stages[i]
		st.msgs = d.count()
		st.weight = d.float()
		st.first = d.int()
		st.last = d.int()
	}
	a.benign = d.count()
	n := d.uint()
	if d.err == nil && (n > maxStateAuthors || n > uint64(len(d.b))) {
		return nil, fmt.Errorf("%w: %d authors in %d bytes", ErrAggregateState, n, len(d.b))
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		au := authorAgg{name: d.str(), first: d.int(), msgs: d.count(), night: d.count(), timed: d.count(), weight: d.float()}
		for s := range au.stageMsgs {
			au.stageMsgs[s] = d.count()
		}
		au.ages = d.count()
		au.minAge = d.float()
		au.maxAge = d.float()
		for b := range au.latency {
			au.latency[b] = d.int32()
		}
		au.replies = d.count()
		if _, dup := index[au.name]; dup && d.err == nil {
			return nil, fmt.Errorf("%w: author %d repeats an earlier name", ErrAggregateState, i)
		}
		index[au.name] = len(authors)
		authors = append(authors, au)
	}
	a.authors, a.index = authors, index
	for b := range a.latency {
		a.latency[b] = d.int32()
	}
	a.replies = d.count()
	a.firstImage = d.int()
	a.firstImageTime = d.time()
	a.firstPayAfter = d.int()
	a.firstPayTime = d.time()
	lng := d.count()
	a.ordered = d.count()
	a.disordered = d.count()
	a.sextMsgs = d.count()
	a.sextAfterImage = d.count()
	if d.err != nil {
		return nil, d.err
	}
	// Indices must point where Add would have put them: a corrupt state must not make
	// AppendFeatures index out of range.
	if a.started && (a.prevAuthor < -1 || a.prevAuthor >= len(a.authors)) || lng >= int(NumStages) {
		return nil, fmt.Errorf("%w: author or stage index out of range", ErrAggregateState)
	}
	a.lastNewGrooming = Stage(lng)
	if !a.started && (a.msgs != 0 || len(a.authors) != 0) {
		return nil, fmt.Errorf("%w: messages in an aggregate that never started", ErrAggregateState)
	}
	return d.b, nil
}

// stateEnc appends varints, floats, strings and times.
type stateEnc struct{ b []byte }

func (e *stateEnc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *stateEnc) int(v int)     { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *stateEnc) float(v float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
}
func (e *stateEnc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *stateEnc) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// time writes 0 for the zero time, else 1, the Unix seconds and the nanoseconds.
func (e *stateEnc) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.b = binary.AppendVarint(e.b, t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// stateDec reads what stateEnc writes; the first error sticks and later reads return zeros.
type stateDec struct {
	b   []byte
	err error
}

func (d *stateDec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated or corrupt %s", ErrAggregateState, what)
	}
}

func (d *stateDec) uint() uint64 {
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

func (d *stateDec) int() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 || int64(int(v)) != v {
		d.fail("number")
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// count is a non-negative int.
func (d *stateDec) count() int {
	v := d.int()
	if v < 0 {
		d.fail("count")
		return 0
	}
	return v
}

func (d *stateDec) int32() int32 {
	v := d.int()
	if v < 0 || v > math.MaxInt32 {
		d.fail("histogram")
		return 0
	}
	return int32(v)
}

func (d *stateDec) float() float64 {
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

func (d *stateDec) bool() bool {
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

func (d *stateDec) str() string {
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

func (d *stateDec) time() time.Time {
	if !d.bool() {
		return time.Time{}
	}
	sec, n := binary.Varint(d.b)
	if d.err != nil || n <= 0 {
		d.fail("time")
		return time.Time{}
	}
	d.b = d.b[n:]
	ns := d.uint()
	if d.err != nil || ns >= 1e9 {
		d.fail("time")
		return time.Time{}
	}
	t := time.Unix(sec, int64(ns)).UTC()
	if t.IsZero() {
		d.fail("time")
	}
	return t
}
