package runtime

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRateLimitMaxWait is the longest a [RateLimiter] makes a call wait:
// 60 s; a longer wait fails it with [ErrRateLimited].
const DefaultRateLimitMaxWait = 60 * time.Second

// ErrRateLimited matches the error ([*RateLimitError]) of a call whose
// limiter wait would outlast its context's deadline or MaxWait.
var ErrRateLimited = errors.New("runtime: rate limited")

// RateLimitError reports a call a [Limiter] refused to wait for.
type RateLimitError struct {
	Key    string        // the limiter key, by default the host
	Wait   time.Duration // the wait the call would have needed
	Reason string        // e.g. "beyond the context deadline"
}

// Error returns e.g. `runtime: rate limited: "host" needs a 30s wait, ...`.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s: %q needs a %v wait, %s", ErrRateLimited, e.Key, e.Wait.Round(time.Millisecond), e.Reason)
}

// Is reports whether target is ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Limiter paces calls: Do calls Wait (nil, ctx's error or [ErrRateLimited])
// before each attempt and Observe after each response. Concurrency-safe.
type Limiter interface {
	Wait(ctx context.Context, key string) error
	Observe(key string, resp *Response)
}

// RateLimit configures a [RateLimiter].
type RateLimit struct {
	Rate    float64       // requests per second per key; 0: only servers' signals pace calls
	Burst   int           // requests at once after a quiet spell; 0: Rate rounded up, at least 1
	MaxWait time.Duration // longest wait for a turn; 0: DefaultRateLimitMaxWait
}

// WithRateLimiter makes attempts wait for l, shared by the clients given
// it; nil does nothing. Default: a [RateLimiter] of RateLimit{} per client.
func WithRateLimiter(l Limiter) Option {
	return func(s *Settings) {
		if l != nil {
			s.limiter = l
		}
	}
}

// WithRateLimit gives the client a new [RateLimiter] configured by cfg.
func WithRateLimit(cfg RateLimit) ClientOption {
	return clientOption(func(s *Settings) { s.limiter = NewRateLimiter(cfg) })
}

// WithoutRateLimit turns rate limiting off, servers' quota signals included.
func WithoutRateLimit() Option { return func(s *Settings) { s.limiter = nil } }

// WithRateLimitKey sets the rate limit key of calls; nil means the host.
func WithRateLimitKey(f KeyFunc) Option { return func(s *Settings) { s.limitKey = f } }

// RateLimiter is an in-process [Limiter], a token bucket per key
// (x/time/rate) that follows servers: a 429's Retry-After or a spent quota
// (RateLimit, X-RateLimit-Remaining: 0) holds the key's calls until the
// reset, RateLimit-Policy lowers the pace, a 429 halves it (1/20 comes
// back per response). A wait beyond the deadline or MaxWait fails at once
// with [ErrRateLimited].
type RateLimiter struct {
	cfg  RateLimit
	keys sync.Map // key -> *limitState
}

// NewRateLimiter returns a RateLimiter configured by cfg.
func NewRateLimiter(cfg RateLimit) *RateLimiter {
	cfg.Rate = max(cfg.Rate, 0)
	if math.IsInf(cfg.Rate, 0) || math.IsNaN(cfg.Rate) {
		cfg.Rate = 0
	}
	if cfg.Burst <= 0 {
		cfg.Burst = max(1, int(math.Ceil(cfg.Rate)))
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultRateLimitMaxWait
	}
	return &RateLimiter{cfg: cfg}
}

// limitState is the limiter of one key.
type limitState struct {
	mu    sync.Mutex
	lim   *rate.Limiter // nil while no pace is known
	base  rate.Limit    // the pace to come back to after 429s
	until time.Time     // nothing goes before this (the server said so)
}

// state returns the state of key, creating it if needed.
func (l *RateLimiter) state(key string) *limitState {
	if st, ok := l.keys.Load(key); ok {
		return st.(*limitState)
	}
	st := &limitState{}
	if l.cfg.Rate > 0 {
		st.base = rate.Limit(l.cfg.Rate)
		st.lim = rate.NewLimiter(st.base, l.cfg.Burst)
	}
	actual, _ := l.keys.LoadOrStore(key, st)
	return actual.(*limitState)
}

// Wait waits for key's turn (see [RateLimiter]).
func (l *RateLimiter) Wait(ctx context.Context, key string) error {
	return l.waitClock(ctx, key, time.Now, wait)
}

// Observe adapts key's pace to resp (see [RateLimiter]).
func (l *RateLimiter) Observe(key string, resp *Response) { l.observeAt(key, resp, time.Now) }

// clockedLimiter is a Limiter that can run on a test clock.
type clockedLimiter interface {
	waitClock(ctx context.Context, key string, now func() time.Time, sleep func(context.Context, time.Duration) error) error
	observeAt(key string, resp *Response, now func() time.Time)
}

// waitClock is Wait on the clock now and sleep. The clock is not read
// while key has neither a pace nor a pause.
func (l *RateLimiter) waitClock(ctx context.Context, key string, now func() time.Time, sleep func(context.Context, time.Duration) error) error {
	st := l.state(key)
	st.mu.Lock()
	if st.lim == nil && st.until.IsZero() {
		st.mu.Unlock()
		return ctx.Err()
	}
	t := now()
	d := st.until.Sub(t)
	if d <= 0 {
		st.until = time.Time{} // the pause is over
	}
	var r *rate.Reservation
	if st.lim != nil {
		r = st.lim.ReserveN(t.Add(max(d, 0)), 1)
		d = r.DelayFrom(t)
	}
	st.mu.Unlock()
	if d <= 0 {
		return ctx.Err()
	}
	reason := ""
	if dl, ok := ctx.Deadline(); ok && t.Add(d).After(dl) {
		reason = "beyond the context deadline"
	} else if d > l.cfg.MaxWait {
		reason = fmt.Sprintf("longer than the limiter's MaxWait (%v)", l.cfg.MaxWait)
	}
	if reason != "" {
		if r != nil {
			r.CancelAt(t)
		}
		return &RateLimitError{Key: key, Wait: d, Reason: reason}
	}
	if err := sleep(ctx, d); err != nil {
		if r != nil {
			r.CancelAt(now())
		}
		return err
	}
	return nil
}

// observeAt is Observe on the clock now, which it reads only when resp
// says something about the rate limit or the pace recovers after 429s.
func (l *RateLimiter) observeAt(key string, resp *Response, clock func() time.Time) {
	if resp == nil {
		return
	}
	var (
		now     time.Time
		pause   time.Duration
		q       int
		w       time.Duration
		quota   bool
		limited = resp.StatusCode == http.StatusTooManyRequests
	)
	if limited || hasRateLimitHeader(resp.Header) {
		now = clock()
		pause = resp.RateLimitPause(now)
		q, w, quota = rateLimitQuota(resp.Header)
	}
	if pause <= 0 && !quota && !limited {
		v, ok := l.keys.Load(key)
		if !ok {
			return
		}
		st := v.(*limitState)
		st.mu.Lock()
		if st.lim != nil && st.lim.Limit() < st.base { // recover after 429s
			if now.IsZero() {
				now = clock()
			}
			st.lim.SetLimitAt(now, min(st.base, st.lim.Limit()+st.base/20))
		}
		st.mu.Unlock()
		return
	}
	st := l.state(key)
	st.mu.Lock()
	defer st.mu.Unlock()
	if pause > 0 {
		if until := now.Add(min(pause, 24*time.Hour)); until.After(st.until) {
			st.until = until
		}
	}
	if quota {
		if r := rate.Limit(float64(q) / w.Seconds()); st.lim == nil || r < st.base {
			burst := q
			if l.cfg.Rate > 0 {
				burst = min(burst, l.cfg.Burst)
			}
			st.base = r
			if st.lim == nil {
				st.lim = rate.NewLimiter(r, burst)
			} else {
				st.lim.SetLimitAt(now, r)
				st.lim.SetBurstAt(now, burst)
			}
		}
	}
	if limited && st.lim != nil {
		st.lim.SetLimitAt(now, max(st.lim.Limit()/2, st.base/16))
	}
}

// rateLimitHeaders are the headers [Response.RateLimitPause] and
// rateLimitQuota read besides Retry-After, which counts only on a 429, in
// canonical form.
var rateLimitHeaders = [...]string{
	"Ratelimit", "Ratelimit-Remaining", "X-Ratelimit-Remaining", "Ratelimit-Policy", "Ratelimit-Limit",
}

// hasRateLimitHeader reports whether h holds one of rateLimitHeaders: when
// it does not and the status is not 429, RateLimitPause is 0 and there is
// no quota to read.
func hasRateLimitHeader(h http.Header) bool {
	if len(h) == 0 {
		return false
	}
	for _, name := range rateLimitHeaders {
		if _, ok := h[name]; ok {
			return true
		}
	}
	return false
}

// RateLimitPause returns how long, from now, the server asks clients to
// stop sending: a 429's Retry-After-Ms or Retry-After, or the time to the
// reset of a spent quota (the headers [RateLimiter] reads); 0 when nothing
// says to pause. It is at most [MaxServerDelay].
func (r *Response) RateLimitPause(now time.Time) time.Duration {
	h := r.Header
	if r.StatusCode == http.StatusTooManyRequests {
		if d, ok := serverDelay(h, now); ok {
			return d
		}
	}
	if len(h) == 0 {
		return 0
	}
	// Header names are written in canonical form so lookups do not allocate.
	if v := h.Get("Ratelimit"); v != "" { // draft-ietf-httpapi-ratelimit-headers ≥ 07
		if rem, ok := rlParam(v, "r", "remaining"); ok && rem <= 0 {
			if t, ok := rlParam(v, "t", "reset"); ok {
				return serverIntDuration(t, time.Second)
			}
		}
	}
	for _, p := range [...]struct{ remaining, reset, after string }{
		{"Ratelimit-Remaining", "Ratelimit-Reset", ""},
		{"X-Ratelimit-Remaining", "X-Ratelimit-Reset", "X-Ratelimit-Reset-After"},
	} {
		rem, ok := leadingInt(h.Get(p.remaining))
		if !ok || rem > 0 {
			continue
		}
		if p.after != "" {
			if s, err := strconv.ParseFloat(strings.TrimSpace(h.Get(p.after)), 64); err == nil && s >= 0 {
				return serverDuration(s, time.Second)
			}
		}
		if t, ok := leadingInt(h.Get(p.reset)); ok {
			return resetDelay(t, now)
		}
	}
	return 0
}

// resetDelay reads a reset value: delta seconds, or a Unix time in seconds
// or milliseconds (as GitHub and others send), saturated to
// [0, MaxServerDelay].
func resetDelay(v int64, now time.Time) time.Duration {
	switch {
	case v >= 1e12:
		return serverUntil(time.UnixMilli(v), now)
	case v >= 1e9:
		return serverUntil(time.Unix(v, 0), now)
	}
	return serverIntDuration(v, time.Second)
}

// rateLimitQuota reads a quota policy: RateLimit-Policy (`"default";q=100;w=60`
// or `100;w=60`) or RateLimit-Limit (`100, 100;w=60`).
func rateLimitQuota(h http.Header) (q int, window time.Duration, ok bool) {
	for _, name := range [...]string{"Ratelimit-Policy", "Ratelimit-Limit"} {
		v := h.Get(name)
		if v == "" {
			continue
		}
		// The first policy item is the one in force.
		item := v
		if i := strings.IndexByte(v, ','); i >= 0 && strings.Contains(v[:i], "w=") {
			item = v[:i]
		}
		w, okW := rlParam(item, "w", "window")
		n, okQ := rlParam(item, "q", "quota")
		if !okQ {
			n, okQ = leadingInt(item)
			if !okW { // "100, 100;w=60": the window is in a later item
				w, okW = rlParam(v, "w", "window")
			}
		}
		if okW && okQ && w > 0 && n > 0 {
			return int(min(n, math.MaxInt32)), time.Duration(min(w, 1<<32)) * time.Second, true
		}
	}
	return 0, 0, false
}

// rlParam finds the integer value of parameter a or b in a header made of
// items separated by commas or semicolons, e.g. `"default";r=0;t=30` or
// `limit=100, remaining=0, reset=30`.
func rlParam(v, a, b string) (int64, bool) {
	for v != "" {
		var item string
		i := strings.IndexAny(v, ";,")
		if i < 0 {
			item, v = v, ""
		} else {
			item, v = v[:i], v[i+1:]
		}
		name, val, found := strings.Cut(strings.TrimSpace(item), "=")
		if found && (strings.EqualFold(name, a) || strings.EqualFold(name, b)) {
			return leadingInt(val)
		}
	}
	return 0, false
}

// leadingInt parses the integer at the start of v, ignoring spaces and
// quotes, saturated to the int64 range; ok is false when there is none.
func leadingInt(v string) (int64, bool) {
	v = strings.Trim(v, " \t\"")
	end := 0
	if end < len(v) && v[end] == '-' {
		end++
	}
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	if end == 0 || v[end-1] == '-' {
		return 0, false
	}
	// Too many digits is a range error with n saturated to ±MaxInt64,
	// which is what a huge count or delay means.
	n, _ := strconv.ParseInt(v[:end], 10, 64)
	return n, true
}

// limitedSend waits for the rate limiter, then sends the request once.
func (k *call) limitedSend() outcome {
	if l := k.s.limiter; l != nil {
		if err := k.limitWait(l); err != nil {
			return outcome{err: k.admitError(err)}
		}
	}
	return k.send()
}

// limitWait waits for the rate limiter and tells the observers.
func (k *call) limitWait(l Limiter) error {
	g := &k.gate
	if !g.keyed {
		g.limKey, g.keyed = k.u.Host, true
		if k.s.limitKey != nil {
			g.limKey = k.s.limitKey(k.op, k.u.Host)
		}
	}
	var start time.Time
	if len(k.s.observers) > 0 {
		start = k.now()
	}
	var err error
	if cl, ok := l.(clockedLimiter); ok && (k.s.now != nil || k.s.sleep != nil) {
		sleep := k.s.sleep
		if sleep == nil {
			sleep = wait
		}
		err = cl.waitClock(k.ctx, g.limKey, k.now, sleep)
	} else {
		err = l.Wait(k.ctx, g.limKey)
	}
	if len(k.s.observers) == 0 {
		return err
	}
	if waited := k.now().Sub(start); waited > time.Millisecond || err != nil {
		e := LimiterEvent{Operation: k.op, Key: g.limKey, Waited: waited, Err: err}
		for i := range k.s.observers {
			if f := k.s.observers[i].LimiterWait; f != nil {
				f(k.ctx, e)
			}
		}
	}
	return err
}

// observeLimit reports the attempt's response to the limiter.
func (k *call) observeLimit(o *outcome) {
	if l := k.s.limiter; l != nil && o.resp != nil {
		if cl, ok := l.(clockedLimiter); ok && k.s.now != nil {
			cl.observeAt(k.gate.limKey, o.resp, k.now)
		} else {
			l.Observe(k.gate.limKey, o.resp)
		}
	}
}
