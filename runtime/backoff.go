package runtime

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// forever stands for a server-requested wait too long to represent.
const forever = time.Duration(math.MaxInt64)

// backoff returns the wait before retry number n (0 for the first retry):
// BaseDelay·2ⁿ capped at MaxDelay, minus a random part of up to Jitter of
// it. Jitter only shortens the wait, so MaxDelay stays a true bound.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := min(p.BaseDelay, p.MaxDelay)
	for i := 0; i < n && d < p.MaxDelay; i++ {
		d = min(d, p.MaxDelay/2) * 2 // doubling without overflow
	}
	d = min(d, p.MaxDelay)
	if p.Jitter > 0 {
		d -= time.Duration(float64(d) * p.Jitter * rand.Float64())
	}
	return d
}

// serverDelay reads the wait the server asked for (RFC 9110 §10.2.3, plus
// the Retry-After-Ms extension used by OpenAI-style APIs, which wins): a
// number of milliseconds, a number of seconds or an HTTP-date. A date in the
// past means "now". ok is false when no hint is present or it does not parse.
func serverDelay(h http.Header, now time.Time) (d time.Duration, ok bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && !math.IsInf(ms, 0) {
			return floatDuration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(forever/time.Second) {
			return forever, true // too many digits: more than any cap
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// floatDuration converts nanoseconds, saturating at forever.
func floatDuration(ns float64) time.Duration {
	if ns >= float64(forever) {
		return forever
	}
	return time.Duration(ns)
}

// isDigits reports whether s is a non-empty run of ASCII digits, the only
// form of delay-seconds (RFC 9110 §10.2.3).
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// wait blocks for d or until ctx is done, whichever comes first, and
// returns ctx.Err() in the latter case. It uses a timer, never time.Sleep.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
