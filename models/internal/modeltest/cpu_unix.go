//go:build unix

package modeltest

import (
	"syscall"
	"time"
)

// CPUTime returns the user+system CPU time consumed by the process so far, or 0 when unknown.
// Benchmarks report it per operation beside wall time: on a shared machine, wall time measures
// the neighbours as much as the code.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
