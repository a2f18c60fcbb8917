package synth

import (
	"math"
	"math/rand/v2"
	"time"
)

// gap says how long after the previous message a message comes.
type gap uint8

const (
	gapChat    gap = iota // grooming, flirting, small talk: minutes
	gapShort              // a quick friendly exchange: tens of seconds
	gapBurst              // the same person typing on: seconds
	gapFast               // the threat phase: seconds
	gapSession            // a new session: another day, in the evening most often
	gapLong               // a new session after a silence of two to seven days (slow grooming)
)

// Bounds of the time from the victim's first image to the first demand, per positive kind. The
// financial median follows OFMIN (2024): about 45 minutes from the first image to the first payment.
const (
	financialMedian = 45 * time.Minute
	financialMin    = 15 * time.Minute
	financialMax    = 120 * time.Minute
	groomingMedian  = 20 * time.Minute
	groomingMin     = 3 * time.Minute
	groomingMax     = 120 * time.Minute
)

// hourWeights makes evenings and nights more likely than mornings (local time).
var hourWeights = [24]float64{6, 4, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9, 9, 8}

// logNormal draws a duration whose median is median, clamped to [lo, hi].
func logNormal(r *rand.Rand, median time.Duration, sigma float64, lo, hi time.Duration) time.Duration {
	d := time.Duration(float64(median) * math.Exp(sigma*r.NormFloat64()))
	return min(max(d, lo), hi).Truncate(time.Second)
}

func (g gap) draw(r *rand.Rand) time.Duration {
	switch g {
	case gapShort:
		return logNormal(r, 30*time.Second, 0.8, 3*time.Second, 5*time.Minute)
	case gapBurst:
		return logNormal(r, 5*time.Second, 0.5, time.Second, 30*time.Second)
	case gapFast:
		return logNormal(r, 15*time.Second, 0.7, 2*time.Second, 3*time.Minute)
	}
	return logNormal(r, 90*time.Second, 1.0, 8*time.Second, 40*time.Minute)
}

// hourOfDay draws a local hour from hourWeights.
func hourOfDay(r *rand.Rand) int {
	total := 0.0
	for _, w := range hourWeights {
		total += w
	}
	x := r.Float64() * total
	for h, w := range hourWeights {
		if x < w {
			return h
		}
		x -= w
	}
	return 23
}

// startTime draws a start in [start, start+days) at a local hour from hourWeights.
func startTime(r *rand.Rand, start time.Time, days int, loc *time.Location) time.Time {
	d := start.In(loc).AddDate(0, 0, r.IntN(days))
	return time.Date(d.Year(), d.Month(), d.Day(), hourOfDay(r), r.IntN(60), r.IntN(60), 0, loc)
}

// nextSession returns a time one to a few days after t (two to seven days when long), at a local
// hour from hourWeights.
func nextSession(r *rand.Rand, t time.Time, long bool) time.Time {
	days := 1
	if r.IntN(3) == 0 {
		days += r.IntN(3)
	}
	if long {
		days = 2 + r.IntN(6)
	}
	d := t.AddDate(0, 0, days)
	s := time.Date(d.Year(), d.Month(), d.Day(), hourOfDay(r), r.IntN(60), r.IntN(60), 0, t.Location())
	if s.Sub(t) < 3*time.Hour {
		s = s.Add(24 * time.Hour)
	}
	return s
}
