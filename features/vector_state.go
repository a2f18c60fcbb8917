package features

import (
	"errors"
	"fmt"

	"github.com/vigie/vigie/internal/wire"
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
	e := wire.Enc{B: append(b, aggMagic...)}
	e.Uint(aggregateStateVersion)
	e.Uint(uint64(NumStages))
	e.Uint(latencyBins)
	e.Bool(a.started)
	e.Int(a.msgs)
	e.Int(a.timed)
	e.Int(a.night)
	e.Time(a.firstTime)
	e.Time(a.lastTime)
	e.Int(a.prevAuthor)
	e.Time(a.prevTime)
	for i := range a.stages {
		st := &a.stages[i]
		e.Int(st.msgs)
		e.Float(st.weight)
		e.Int(st.first)
		e.Int(st.last)
	}
	e.Int(a.benign)
	e.Uint(uint64(len(a.authors)))
	for i := range a.authors {
		au := &a.authors[i]
		e.Str(au.name)
		e.Int(au.first)
		e.Int(au.msgs)
		e.Int(au.night)
		e.Int(au.timed)
		e.Float(au.weight)
		for _, n := range au.stageMsgs {
			e.Int(n)
		}
		e.Int(au.ages)
		e.Float(au.minAge)
		e.Float(au.maxAge)
		for _, n := range au.latency {
			e.Int(int(n))
		}
		e.Int(au.replies)
	}
	for _, n := range a.latency {
		e.Int(int(n))
	}
	e.Int(a.replies)
	e.Int(a.firstImage)
	e.Time(a.firstImageTime)
	e.Int(a.firstPayAfter)
	e.Time(a.firstPayTime)
	e.Int(int(a.lastNewGrooming))
	e.Int(a.ordered)
	e.Int(a.disordered)
	e.Int(a.sextMsgs)
	e.Int(a.sextAfterImage)
	return e.B, nil
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
	d := wire.Dec{B: data[len(aggMagic):], Sentinel: ErrAggregateState}
	if v := d.Uint(); d.Err == nil && v != aggregateStateVersion {
		return nil, fmt.Errorf("%w: encoding version %d, this build reads %d", ErrAggregateState, v, aggregateStateVersion)
	}
	if ns, nb := d.Uint(), d.Uint(); d.Err == nil && (ns != uint64(NumStages) || nb != latencyBins) {
		return nil, fmt.Errorf("%w: %d stages and %d latency bins, this build has %d and %d", ErrAggregateState, ns, nb, NumStages, latencyBins)
	}
	authors, index := a.authors[:0], a.index
	clear(index)
	if index == nil {
		index = make(map[string]int)
	}
	*a = Aggregate{}
	a.started = d.Bool()
	a.msgs = d.NonNeg("count")
	a.timed = d.NonNeg("count")
	a.night = d.NonNeg("count")
	a.firstTime = d.Time()
	a.lastTime = d.Time()
	a.prevAuthor = d.Int()
	a.prevTime = d.Time()
	for i := range a.stages {
		st := &a.stages[i]
		st.msgs = d.NonNeg("count")
		st.weight = d.Float()
		st.first = d.Int()
		st.last = d.Int()
	}
	a.benign = d.NonNeg("count")
	n := d.Uint()
	if d.Err == nil && (n > maxStateAuthors || n > uint64(len(d.B))) {
		return nil, fmt.Errorf("%w: %d authors in %d bytes", ErrAggregateState, n, len(d.B))
	}
	for i := uint64(0); i < n && d.Err == nil; i++ {
		au := authorAgg{name: d.Str(), first: d.Int(), msgs: d.NonNeg("count"), night: d.NonNeg("count"), timed: d.NonNeg("count"), weight: d.Float()}
		for s := range au.stageMsgs {
			au.stageMsgs[s] = d.NonNeg("count")
		}
		au.ages = d.NonNeg("count")
		au.minAge = d.Float()
		au.maxAge = d.Float()
		for b := range au.latency {
			au.latency[b] = int32(d.NonNeg("histogram"))
		}
		au.replies = d.NonNeg("count")
		if _, dup := index[au.name]; dup && d.Err == nil {
			return nil, fmt.Errorf("%w: author %d repeats an earlier name", ErrAggregateState, i)
		}
		index[au.name] = len(authors)
		authors = append(authors, au)
	}
	a.authors, a.index = authors, index
	for b := range a.latency {
		a.latency[b] = int32(d.NonNeg("histogram"))
	}
	a.replies = d.NonNeg("count")
	a.firstImage = d.Int()
	a.firstImageTime = d.Time()
	a.firstPayAfter = d.Int()
	a.firstPayTime = d.Time()
	lng := d.NonNeg("count")
	a.ordered = d.NonNeg("count")
	a.disordered = d.NonNeg("count")
	a.sextMsgs = d.NonNeg("count")
	a.sextAfterImage = d.NonNeg("count")
	if d.Err != nil {
		return nil, d.Err
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
	return d.B, nil
}
