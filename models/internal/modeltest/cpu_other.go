//go:build !unix

package modeltest

import "time"

// CPUTime returns 0: process CPU time is not measured on this platform.
func CPUTime() time.Duration { return 0 }
