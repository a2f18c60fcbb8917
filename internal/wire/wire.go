// Package wire is the compact binary encoding of Vigie's saved states (streaming sessions, cue
// aggregates): unsigned and signed varints, little-endian float64s, one-byte booleans,
// length-prefixed strings and times. A [Dec] reads what an [Enc] writes; its first error sticks and
// later reads return zeros, so a decoder checks Err once at the end.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// Enc appends values to B.
type Enc struct{ B []byte }

// Uint appends an unsigned varint.
func (e *Enc) Uint(v uint64) { e.B = binary.AppendUvarint(e.B, v) }

// Int appends a signed varint.
func (e *Enc) Int(v int) { e.B = binary.AppendVarint(e.B, int64(v)) }

// Float appends v's IEEE 754 bits, little-endian.
func (e *Enc) Float(v float64) { e.B = binary.LittleEndian.AppendUint64(e.B, math.Float64bits(v)) }

// Bool appends 1 or 0.
func (e *Enc) Bool(v bool) {
	if v {
		e.B = append(e.B, 1)
	} else {
		e.B = append(e.B, 0)
	}
}

// Str appends the length of s, then its bytes.
func (e *Enc) Str(s string) {
	e.Uint(uint64(len(s)))
	e.B = append(e.B, s...)
}

// Time appends 0 for the zero time, else 1, the Unix seconds and the nanoseconds.
func (e *Enc) Time(t time.Time) {
	if t.IsZero() {
		e.B = append(e.B, 0)
		return
	}
	e.B = append(e.B, 1)
	e.B = binary.AppendVarint(e.B, t.Unix())
	e.Uint(uint64(t.Nanosecond()))
}

// Dec reads values from B. Errors wrap Sentinel.
type Dec struct {
	B        []byte
	Err      error
	Sentinel error
}

// Fail records that what could not be read, unless an error is already recorded.
func (d *Dec) Fail(what string) {
	if d.Err == nil {
		d.Err = fmt.Errorf("%w: truncated or corrupt %s", d.Sentinel, what)
	}
}

// Uint reads an unsigned varint.
func (d *Dec) Uint() uint64 {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.Fail("number")
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Int reads a signed varint in the int32 range (every count and index of a state fits).
func (d *Dec) Int() int {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Varint(d.B)
	if n <= 0 || v < math.MinInt32 || v > math.MaxInt32 {
		d.Fail("number")
		return 0
	}
	d.B = d.B[n:]
	return int(v)
}

// NonNeg reads a signed varint that must be in [0, MaxInt32].
func (d *Dec) NonNeg(what string) int {
	v := d.Int()
	if v < 0 {
		d.Fail(what)
		return 0
	}
	return v
}

// UintMax reads an unsigned varint that must be at most limit.
func (d *Dec) UintMax(limit int) int {
	v := d.Uint()
	if d.Err == nil && v > uint64(limit) {
		d.Fail("count")
		return 0
	}
	return int(v)
}

// Float reads a float64.
func (d *Dec) Float() float64 {
	if d.Err != nil {
		return 0
	}
	if len(d.B) < 8 {
		d.Fail("float")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.B))
	d.B = d.B[8:]
	return v
}

// Bool reads a byte that must be 0 or 1.
func (d *Dec) Bool() bool {
	if d.Err != nil {
		return false
	}
	if len(d.B) < 1 || d.B[0] > 1 {
		d.Fail("flag")
		return false
	}
	v := d.B[0] == 1
	d.B = d.B[1:]
	return v
}

// Str reads a length-prefixed string.
func (d *Dec) Str() string {
	n := d.Uint()
	if d.Err != nil {
		return ""
	}
	if n > uint64(len(d.B)) {
		d.Fail("string")
		return ""
	}
	s := string(d.B[:n])
	d.B = d.B[n:]
	return s
}

// Time reads what Enc.Time writes, in UTC.
func (d *Dec) Time() time.Time {
	if !d.Bool() {
		return time.Time{}
	}
	sec, n := binary.Varint(d.B)
	if d.Err != nil || n <= 0 {
		d.Fail("time")
		return time.Time{}
	}
	d.B = d.B[n:]
	ns := d.Uint()
	if d.Err != nil || ns >= 1e9 {
		d.Fail("time")
		return time.Time{}
	}
	t := time.Unix(sec, int64(ns)).UTC()
	if t.IsZero() {
		d.Fail("time") // the zero time is written as 0, never as a value
	}
	return t
}
