package wire

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var errTest = errors.New("test state")

func TestRoundTrip(t *testing.T) {
	ts := time.Date(2026, 3, 14, 21, 3, 5, 123456789, time.UTC)
	var e Enc
	e.Uint(300)
	e.Int(-7)
	e.Float(math.Pi)
	e.Bool(true)
	e.Str("héllo")
	e.Time(ts)
	e.Time(time.Time{})
	e.Uint(5)
	d := Dec{B: e.B, Sentinel: errTest}
	require.Equal(t, uint64(300), d.Uint())
	require.Equal(t, -7, d.Int())
	require.Equal(t, math.Pi, d.Float())
	require.True(t, d.Bool())
	require.Equal(t, "héllo", d.Str())
	require.Equal(t, ts, d.Time())
	require.True(t, d.Time().IsZero())
	require.Equal(t, 5, d.UintMax(5))
	require.NoError(t, d.Err)
	require.Empty(t, d.B)
}

func TestErrorsStickAndWrapTheSentinel(t *testing.T) {
	var e Enc
	e.Uint(10)
	d := Dec{B: e.B, Sentinel: errTest}
	require.Equal(t, 0, d.UintMax(9), "over the limit")
	require.ErrorIs(t, d.Err, errTest)
	require.Equal(t, "", d.Str(), "later reads return zeros")

	d = Dec{B: []byte{2}, Sentinel: errTest}
	require.False(t, d.Bool(), "a flag byte other than 0 or 1 is corrupt")
	require.ErrorIs(t, d.Err, errTest)

	d = Dec{B: []byte{5, 'a'}, Sentinel: errTest}
	require.Equal(t, "", d.Str(), "a string longer than the input")
	require.ErrorIs(t, d.Err, errTest)

	var big Enc
	big.Int(math.MaxInt32 + 1)
	d = Dec{B: big.B, Sentinel: errTest}
	require.Equal(t, 0, d.Int())
	require.ErrorIs(t, d.Err, errTest)

	var neg Enc
	neg.Int(-1)
	d = Dec{B: neg.B, Sentinel: errTest}
	require.Equal(t, 0, d.NonNeg("count"))
	require.ErrorContains(t, d.Err, "count")
}
