//go:build !unix

package bench

import "time"

// CPUTime returns the user + system CPU time of the process so far, 0 when unknown.
func CPUTime() time.Duration { return 0 }

// MaxRSS returns the peak resident set size of the process so far, in bytes, 0 when unknown.
func MaxRSS() int64 { return 0 }
