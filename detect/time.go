package detect

import (
	"fmt"
	"time"
)

// FormatOffset writes a duration since the start of a conversation as people read it: "+45 s",
// "+12 min", "+3 h 05", "+2 d 4 h".
func FormatOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%s%d s", sign, int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%s%d min", sign, int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%s%d h %02d", sign, int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%s%d d %d h", sign, int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}
