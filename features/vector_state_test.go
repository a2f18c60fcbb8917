package features

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// randomMessage draws a message of one of a few authors with random hits, a time (or none) and
// ages, so that every field of the aggregate gets exercised.
func randomMessage(rng *rand.Rand, i int, t0 time.Time) (Message, []Hit) {
	m := Message{Author: []string{"ana", "bo", "cy", ""}[rng.IntN(4)]}
	if rng.IntN(5) > 0 {
		m.Time = t0.Add(time.Duration(i)*time.Minute + time.Duration(rng.IntN(1e9)))
	}
	var hits []Hit
	for range rng.IntN(4) {
		h := Hit{Stage: Stage(rng.IntN(int(NumStages))), Weight: float32(rng.IntN(4)) * 0.5, Cue: "x"}
		if rng.IntN(6) == 0 {
			h.Cue, h.Value = SlotAge, float64(10+rng.IntN(30))
		}
		hits = append(hits, h)
	}
	return m, hits
}

func allFeatures(a *Aggregate) []float32 {
	out := a.AppendFeatures(nil, "")
	for _, au := range []string{"ana", "bo", "cy", "", "nobody"} {
		out = a.AppendFeatures(out, au)
	}
	return out
}

// TestAggregateStateRoundTrip saves the aggregate after every message, restores it into a fresh
// aggregate and checks that the restored one writes the same features, then and after the same
// further messages.
func TestAggregateStateRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	paris, _ := time.LoadLocation("Europe/Paris")
	if paris == nil {
		paris = time.FixedZone("CET", 3600)
	}
	t0 := time.Date(2026, 3, 1, 21, 30, 0, 0, paris)
	var live Aggregate
	var msgs []Message
	var hitss [][]Hit
	for i := range 120 {
		m, hits := randomMessage(rng, i, t0)
		msgs, hitss = append(msgs, m), append(hitss, hits)
		live.Add(m, hits)
		b, err := live.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Aggregate
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got, want := allFeatures(&back), allFeatures(&live); !slices.Equal(got, want) {
			t.Fatalf("message %d: restored features differ", i)
		}
		b2, _ := back.MarshalBinary()
		if !slices.Equal(b, b2) {
			t.Fatalf("message %d: re-encoding differs", i)
		}
		// Continue both with the same next messages.
		if i%10 == 9 {
			var again Aggregate
			_ = again.UnmarshalBinary(b)
			var ref Aggregate
			for j := 0; j <= i; j++ {
				ref.Add(msgs[j], hitss[j])
			}
			for j := range 15 {
				m, hits := randomMessage(rng, i+1+j, t0)
				again.Add(m, hits)
				ref.Add(m, hits)
			}
			if !slices.Equal(allFeatures(&again), allFeatures(&ref)) {
				t.Fatalf("message %d: restored aggregate diverges after further messages", i)
			}
		}
	}
	var empty, back Aggregate
	b, _ := empty.MarshalBinary()
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatalf("empty aggregate: %v", err)
	}
	if !slices.Equal(allFeatures(&back), allFeatures(&empty)) {
		t.Fatal("empty aggregate: features differ")
	}
}

func TestAggregateStateErrors(t *testing.T) {
	var a Aggregate
	a.Add(Message{Author: "ana"}, []Hit{{Stage: StageContact, Weight: 1, Cue: "x"}})
	b, _ := a.MarshalBinary()
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not a state", []byte("hello")},
		{"truncated", b[:len(b)-3]},
		{"trailing bytes", append(slices.Clone(b), 0)},
		{"other version", append([]byte(aggMagic), append([]byte{9}, b[len(aggMagic)+1:]...)...)},
		{"other stage count", append([]byte(aggMagic), append([]byte{1, 3}, b[len(aggMagic)+2:]...)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var back Aggregate
			back.Add(Message{Author: "zed"}, nil)
			err := back.UnmarshalBinary(tc.data)
			if !errors.Is(err, ErrAggregateState) {
				t.Fatalf("got %v, want ErrAggregateState", err)
			}
			if back.Messages() != 0 || len(back.Authors()) != 0 {
				t.Fatal("aggregate not left empty on error")
			}
		})
	}
}

// FuzzAggregateState: decoding arbitrary bytes never panics, and whatever decodes writes
// features without panicking and re-encodes to a state that decodes to the same features.
func FuzzAggregateState(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 1))
	var a Aggregate
	for i := range 30 {
		m, hits := randomMessage(rng, i, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		a.Add(m, hits)
		if i%10 == 0 {
			b, _ := a.MarshalBinary()
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Aggregate
		if a.UnmarshalBinary(data) != nil {
			return
		}
		a.Add(Message{Author: "ana", Time: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}, []Hit{{Stage: StageContact, Weight: 1}})
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Aggregate
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoded state does not decode: %v", err)
		}
		if !slices.Equal(allFeatures(&back), allFeatures(&a)) {
			t.Fatal("round trip changed the features")
		}
	})
}
