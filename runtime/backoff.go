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
// past means "now". The result is within [0, MaxServerDelay] (a longer wait
// saturates). ok is false when no hint is present or it does not parse.
func serverDelay(h http.Header, now time.Time) (d time.Duration, ok bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && !math.IsInf(ms, 0) {
			return serverDuration(ms, time.Millisecond), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		// A range error (too many digits) returns MaxInt64: saturated.
		secs, _ := strconv.ParseInt(v, 10, 64)
		return serverIntDuration(secs, time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return serverUntil(t, now), true
	}
	return 0, false
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
