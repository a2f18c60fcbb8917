//go:build unix

package detect

import (
	"syscall"
	"time"
)

// cpuTime returns the user+system CPU time of the process, 0 when unknown: on a shared machine
// benchmarks report it beside wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
