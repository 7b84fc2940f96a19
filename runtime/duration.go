package runtime

import (
	"math"
	"time"
)

// MaxServerDelay caps every wait or reset time read from a server
// (Retry-After, Retry-After-Ms, RateLimit and X-RateLimit headers, the SSE
// retry field); none is negative, however malformed.
const MaxServerDelay = 24 * time.Hour

// serverDuration converts n units (time.Second, time.Millisecond) sent by a
// server into a duration saturated to [0, MaxServerDelay]: NaN and negative
// values are 0, values too large to represent (+Inf included) are
// MaxServerDelay. It is the one conversion every parser of server-supplied
// durations uses, so no header can produce an overflowed (negative) wait.
func serverDuration(n float64, unit time.Duration) time.Duration {
	switch {
	case !(n > 0): // NaN, 0 and negatives
		return 0
	case n >= float64(MaxServerDelay/unit):
		return MaxServerDelay
	}
	return time.Duration(math.Round(n * float64(unit)))
}

// serverIntDuration is serverDuration for an integer count of units,
// exact below 2^53 units.
func serverIntDuration(n int64, unit time.Duration) time.Duration {
	switch {
	case n <= 0:
		return 0
	case n >= int64(MaxServerDelay/unit):
		return MaxServerDelay
	}
	return time.Duration(n) * unit
}

// serverUntil is the time from now until t, a server-supplied instant,
// saturated to [0, MaxServerDelay].
func serverUntil(t, now time.Time) time.Duration {
	return min(max(t.Sub(now), 0), MaxServerDelay)
}
