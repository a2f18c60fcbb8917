//go:build race

package models_test

// raceEnabled reports that the race detector is on: it allocates behind the code's back, so
// allocation-count tests skip themselves.
const raceEnabled = true
