package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// Circuit breaker defaults.
const (
	// DefaultBreakerFailures is how many consecutive failed attempts open a
	// breaker: 5.
	DefaultBreakerFailures = 5
	// DefaultBreakerOpenTimeout is how long an open breaker fails calls
	// fast before it lets a probe through (half-open): 30 s.
	DefaultBreakerOpenTimeout = 30 * time.Second
)

// ErrCircuitOpen is matched with errors.Is by the error of a call that an
// open (or half-open and busy) circuit breaker refused to send, and by the
// error of a call whose retries stopped because the breaker opened. In the
// first case the error also matches gobreaker's ErrOpenState or
// ErrTooManyRequests and is a [*CircuitOpenError].
var ErrCircuitOpen = errors.New("runtime: circuit breaker is open")

// BreakerState is the state of a circuit breaker.
type BreakerState int

// Circuit breaker states.
const (
	// BreakerClosed lets every request through and counts failures.
	BreakerClosed BreakerState = iota
	// BreakerHalfOpen lets a few probe requests through; their success
	// closes the breaker, a failure opens it again.
	BreakerHalfOpen
	// BreakerOpen fails requests at once until its timeout ends.
	BreakerOpen
)

// String returns "closed", "half-open" or "open".
func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "closed"
	case BreakerHalfOpen:
		return "half-open"
	case BreakerOpen:
		return "open"
	}
	return fmt.Sprintf("BreakerState(%d)", int(s))
}

// BreakerCounts are the outcomes a breaker counted since its last state
// change (or Interval reset); they decide when it opens.
type BreakerCounts struct {
	Requests             uint32
	TotalSuccesses       uint32
	TotalFailures        uint32
	ConsecutiveSuccesses uint32
	ConsecutiveFailures  uint32
}

// KeyFunc groups calls: calls with the same key share a circuit breaker or
// a rate limit. host is the request URL's host (with its port, if any),
// e.g. "api.example.com". Returning host groups per host.
type KeyFunc func(op *Operation, host string) string

// hostKey groups calls per host.
func hostKey(_ *Operation, host string) string { return host }

// BreakerSettings configures the circuit breakers of [WithCircuitBreaker].
//
// Each attempt passes through the breaker of its key. Failures are 5xx
// responses, per-attempt timeouts ([WithTimeout]) and connection errors
// (refused, reset, cut off mid-response). Every other response (2xx, 3xx,
// 4xx, 429 included) counts as a success: the server answered. Not counted
// at all: attempts that end because the caller's context is done, and
// errors a retry cannot fix (TLS and certificate failures, redirect loops,
// bodies over the size limit).
type BreakerSettings struct {
	// Key names the breaker of a call; nil means one breaker per host. To
	// give an operation class its own breaker, return e.g.
	// host+"/"+class.
	Key KeyFunc
	// ConsecutiveFailures opens a closed breaker; 0 means
	// DefaultBreakerFailures (5). Ignored when ReadyToTrip is set.
	ConsecutiveFailures uint32
	// ReadyToTrip, when set, is called after each failure in the closed
	// state and opens the breaker by returning true, e.g. on a failure
	// ratio.
	ReadyToTrip func(BreakerCounts) bool
	// OpenTimeout is how long an open breaker fails fast before turning
	// half-open; 0 means DefaultBreakerOpenTimeout (30 s).
	OpenTimeout time.Duration
	// HalfOpenRequests is how many probes a half-open breaker lets through
	// at once, and how many must succeed in a row to close it; 0 means 1.
	HalfOpenRequests uint32
	// Interval, if > 0, clears the counts of a closed breaker that often;
	// 0 never clears them (only consecutive failures matter by default).
	Interval time.Duration
	// OnStateChange, if set, is called on every state change, after the
	// breaker's own lock is released, in the goroutine of the call whose
	// attempt (or whose check) caused it. name is the breaker's key. It
	// must not block for long.
	OnStateChange func(name string, from, to BreakerState)
}

// DefaultBreakerSettings returns the settings every client starts with:
// one breaker per host, opened by 5 consecutive failures, open for 30 s,
// then one probe.
func DefaultBreakerSettings() BreakerSettings {
	return BreakerSettings{ConsecutiveFailures: DefaultBreakerFailures, OpenTimeout: DefaultBreakerOpenTimeout, HalfOpenRequests: 1}
}

// WithCircuitBreaker gives calls circuit breakers configured by cfg,
// replacing the default ones (see [DefaultBreakerSettings]). The breakers
// are created when WithCircuitBreaker is called: clients (or calls) given
// the same Option value share them and their state.
//
// Each attempt of a call passes through its breaker. An open breaker fails
// a call at once with an error matching [ErrCircuitOpen], without sending
// it; a breaker that opens while a call is retrying stops the retries, and
// the last failure is returned wrapped so that errors.Is matches
// ErrCircuitOpen.
//
// By default every [NewClient] has its own breakers, one per host.
func WithCircuitBreaker(cfg BreakerSettings) Option {
	b := newBreakers(cfg)
	return func(s *Settings) { s.breakers = b }
}

// WithoutCircuitBreaker turns circuit breaking off, for the client or for
// one call.
func WithoutCircuitBreaker() Option { return func(s *Settings) { s.breakers = nil } }

// breakers is a set of circuit breakers, one per key, created on first use.
type breakers struct {
	cfg BreakerSettings // normalized
	gb  gobreaker.Settings
	m   sync.Map // key -> *breaker
}

// newBreakers normalizes cfg.
func newBreakers(cfg BreakerSettings) *breakers {
	if cfg.Key == nil {
		cfg.Key = hostKey
	}
	if cfg.ConsecutiveFailures == 0 {
		cfg.ConsecutiveFailures = DefaultBreakerFailures
	}
	if cfg.OpenTimeout <= 0 {
		cfg.OpenTimeout = DefaultBreakerOpenTimeout
	}
	if cfg.HalfOpenRequests == 0 {
		cfg.HalfOpenRequests = 1
	}
	cfg.Interval = max(cfg.Interval, 0)
	trip := func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= cfg.ConsecutiveFailures }
	if cfg.ReadyToTrip != nil {
		user := cfg.ReadyToTrip
		trip = func(c gobreaker.Counts) bool {
			return user(BreakerCounts{
				Requests: c.Requests, TotalSuccesses: c.TotalSuccesses, TotalFailures: c.TotalFailures,
				ConsecutiveSuccesses: c.ConsecutiveSuccesses, ConsecutiveFailures: c.ConsecutiveFailures,
			})
		}
	}
	return &breakers{cfg: cfg, gb: gobreaker.Settings{
		MaxRequests:  cfg.HalfOpenRequests,
		Interval:     cfg.Interval,
		Timeout:      cfg.OpenTimeout,
		ReadyToTrip:  trip,
		IsSuccessful: func(err error) bool { return err == nil },
		IsExcluded:   func(err error) bool { return err == errNotCounted },
	}}
}

// get returns the breaker named name, creating it if needed.
func (bs *breakers) get(name string) *breaker {
	if b, ok := bs.m.Load(name); ok {
		return b.(*breaker)
	}
	b := &breaker{name: name}
	st := bs.gb
	st.Name = name
	st.OnStateChange = b.record // called with gobreaker's lock held
	b.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](st)
	actual, _ := bs.m.LoadOrStore(name, b)
	return actual.(*breaker)
}

// Verdicts passed to a breaker's done callback.
var (
	errAttemptFailed = errors.New("runtime: attempt failed")
	errNotCounted    = errors.New("runtime: attempt not counted")
)

// breaker is one gobreaker breaker plus the state changes it made that are
// still to be announced.
type breaker struct {
	name string
	cb   *gobreaker.TwoStepCircuitBreaker[struct{}]

	mu      sync.Mutex
	pending []transition
	deliver sync.Mutex // keeps announcements in order
}

// transition is one state change.
type transition struct{ from, to BreakerState }

// record queues a state change; gobreaker calls it under its own lock, so
// hooks run later, in flush.
func (b *breaker) record(_ string, from, to gobreaker.State) {
	b.mu.Lock()
	b.pending = append(b.pending, transition{breakerState(from), breakerState(to)})
	b.mu.Unlock()
}

// flush announces queued state changes to the settings' hook and to the
// call's observers.
func (b *breaker) flush(ctx context.Context, hook func(string, BreakerState, BreakerState), obs []Observer) {
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	b.deliver.Lock()
	defer b.deliver.Unlock()
	b.mu.Lock()
	ts := b.pending
	b.pending = nil
	b.mu.Unlock()
	for _, t := range ts {
		if hook != nil {
			hook(b.name, t.from, t.to)
		}
		for i := range obs {
			if f := obs[i].BreakerStateChange; f != nil {
				f(ctx, b.name, t.from, t.to)
			}
		}
	}
}

// breakerState converts gobreaker's state.
func breakerState(s gobreaker.State) BreakerState {
	switch s {
	case gobreaker.StateOpen:
		return BreakerOpen
	case gobreaker.StateHalfOpen:
		return BreakerHalfOpen
	}
	return BreakerClosed
}

// CircuitOpenError is the error of a call refused by its circuit breaker:
// open, or half-open with all its probes under way. errors.Is matches
// [ErrCircuitOpen]; Unwrap returns gobreaker's ErrOpenState or
// ErrTooManyRequests.
type CircuitOpenError struct {
	// Breaker is the breaker's key, by default the host.
	Breaker string
	// State is the breaker's state: BreakerOpen or BreakerHalfOpen.
	State BreakerState
	err   error
}

// Error returns e.g. `runtime: circuit breaker "api.example.com" is open`.
func (e *CircuitOpenError) Error() string {
	if e.State == BreakerHalfOpen {
		return fmt.Sprintf("runtime: circuit breaker %q is half-open and busy probing", e.Breaker)
	}
	return fmt.Sprintf("runtime: circuit breaker %q is open", e.Breaker)
}

// Is reports whether target is ErrCircuitOpen.
func (e *CircuitOpenError) Is(target error) bool { return target == ErrCircuitOpen }

// Unwrap returns gobreaker's error.
func (e *CircuitOpenError) Unwrap() error { return e.err }

// BreakerState returns the state of the client's circuit breaker named
// name (by default the host as written in the base URL, e.g.
// "api.example.com" or "127.0.0.1:8080"), and false if the client has no
// breakers or that one was never used.
func (c *Client) BreakerState(name string) (BreakerState, bool) {
	if c.settings.breakers == nil {
		return 0, false
	}
	b, ok := c.settings.breakers.m.Load(name)
	if !ok {
		return 0, false
	}
	st := breakerState(b.(*breaker).cb.State())
	return st, true
}

// breakerVerdict says how a breaker counts attempt o: nil for a success,
// errAttemptFailed or errNotCounted.
func (k *call) breakerVerdict(o *outcome) error {
	switch {
	case o.resp != nil:
		if o.resp.StatusCode >= 500 {
			return errAttemptFailed
		}
		return nil
	case o.err == nil, k.ctx.Err() != nil:
		return errNotCounted
	case o.failure == final:
		return errNotCounted // TLS, redirects, size limit: the host answered or is misconfigured
	}
	return errAttemptFailed // timeouts, refused, reset
}
