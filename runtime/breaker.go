package runtime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// Circuit breaker defaults: a breaker opens on a failure ratio over a
// rolling window, as Hystrix and resilience4j do, not on a run of
// consecutive failures (which a partner failing 20 % of its answers
// produces every few thousand calls).
const (
	// DefaultBreakerFailureRatio is the share of failed attempts, among
	// those counted in the rolling window, that opens a closed breaker:
	// 0.5 (50 %).
	DefaultBreakerFailureRatio = 0.5
	// DefaultBreakerMinRequests is how many counted attempts the rolling
	// window must hold before the failure ratio may open the breaker: 20.
	DefaultBreakerMinRequests = 20
	// DefaultBreakerWindow is the length of the rolling window: 10 s, kept
	// in 10 buckets of 1 s (the oldest second drops out as a new one
	// starts).
	DefaultBreakerWindow = 10 * time.Second
	// DefaultBreakerOpenTimeout is how long an open breaker fails calls
	// fast before it lets probes through (half-open): at most 4 s, see
	// DefaultBreakerOpenJitter. A partner that recovers is thus probed
	// within 4 s, and calls succeed again within 5 s even when the last
	// failed probe came just before the recovery.
	DefaultBreakerOpenTimeout = 4 * time.Second
	// DefaultBreakerOpenJitter is the largest fraction taken off the open
	// timeout at random, drawn once per breaker, so that the processes of
	// a fleet do not probe a recovering partner in step: 0.25 (the default
	// open timeout is between 3 s and 4 s).
	DefaultBreakerOpenJitter = 0.25
	// DefaultBreakerHalfOpenRequests is how many probes a half-open
	// breaker lets through, and how many must succeed to close it: 3.
	DefaultBreakerHalfOpenRequests = 3
	// DefaultBreakerFailures was the default of
	// BreakerSettings.ConsecutiveFailures until the failure ratio replaced
	// it: 5. It is used only when ConsecutiveFailures is set to it.
	DefaultBreakerFailures = 5
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
// The zero value means the defaults of [DefaultBreakerSettings].
//
// Scope: each breaker guards one key, by default the host (with its port)
// of the request URL, so every operation of a client calling that host
// shares one breaker; Key can split them, e.g. per operation class.
// Each client has its own breakers, unless clients are given the same
// [Breakers]; they are not shared across processes.
//
// Each attempt passes through the breaker of its key, which counts it as a
// failure, a success, or not at all:
//
//   - Failures (the partner is unwell): per-attempt timeouts ([WithTimeout]),
//     connection errors (refused, reset, cut off mid-response), 408, and 5xx
//     other than 501 without a Retry-After or Retry-After-Ms header.
//   - Not counted (the partner is alive and asks to slow down, which the
//     retry policy and the rate limiter honour): 429, and 5xx carrying
//     Retry-After or Retry-After-Ms (typically 503). Nor attempts that end
//     because the caller's context is done, nor errors a retry cannot fix
//     (TLS and certificate failures, redirect loops, bodies over the size
//     limit), nor attempts whose Doer or middleware panicked.
//   - Successes (the partner answered): 1xx–3xx, 4xx other than 408 and
//     429 (the caller's problem), and 501.
//
// A closed breaker opens when, over the rolling Window, at least
// MinRequests attempts were counted and the share of failures among them
// reaches FailureRatio (or, if set, on ConsecutiveFailures in a row, or
// when ReadyToTrip says so). It stays open for OpenTimeout less up to
// OpenJitter of it, failing calls at once; then it is half-open and lets
// HalfOpenRequests probes through: when they all succeed it closes, the
// first failure opens it again.
type BreakerSettings struct {
	// Key names the breaker of a call; nil means one breaker per host. To
	// give an operation class its own breaker, return e.g.
	// host+"/"+class.
	Key KeyFunc
	// FailureRatio (0 < r <= 1) is the share of failed attempts in the
	// window that opens a closed breaker; 0 (or out of range) means
	// DefaultBreakerFailureRatio (0.5). Ignored when ConsecutiveFailures
	// or ReadyToTrip is set.
	FailureRatio float64
	// MinRequests is the number of counted attempts the window must hold
	// before FailureRatio applies; 0 means DefaultBreakerMinRequests (20).
	MinRequests uint32
	// ConsecutiveFailures, if > 0, opens a closed breaker after that many
	// failures in a row instead of on the failure ratio (the policy of
	// earlier versions, with 5). Ignored when ReadyToTrip is set.
	ConsecutiveFailures uint32
	// ReadyToTrip, when set, is called after each failure in the closed
	// state with the counts of the window and opens the breaker by
	// returning true.
	ReadyToTrip func(BreakerCounts) bool
	// OpenTimeout is how long an open breaker fails fast before turning
	// half-open; 0 means DefaultBreakerOpenTimeout (4 s).
	OpenTimeout time.Duration
	// OpenJitter (at most 1) is the largest fraction taken off OpenTimeout
	// at random, once per breaker; 0 means DefaultBreakerOpenJitter (0.25),
	// negative means none.
	OpenJitter float64
	// HalfOpenRequests is how many probes a half-open breaker lets
	// through, and how many must succeed in a row to close it; 0 means
	// DefaultBreakerHalfOpenRequests (3).
	HalfOpenRequests uint32
	// Window is the length of the rolling window whose counts decide when
	// a closed breaker opens; 0 means DefaultBreakerWindow (10 s). It is
	// kept in 10 buckets (at least 10 ms each): counts age out one bucket
	// at a time.
	Window time.Duration
	// Interval is the name earlier versions gave Window: if Window is 0
	// and Interval > 0, Interval is the window's length.
	Interval time.Duration
	// OnStateChange, if set, is called on every state change, after the
	// breaker's own lock is released, in the goroutine of the call whose
	// attempt (or whose check) caused it. name is the breaker's key. It
	// must not block for long.
	OnStateChange func(name string, from, to BreakerState)
}

// DefaultBreakerSettings returns the settings every client starts with:
// one breaker per host, opened when at least 50 % of at least 20 attempts
// counted over a rolling 10 s window failed, open for 3 s to 4 s, then 3
// probes that must all succeed.
func DefaultBreakerSettings() BreakerSettings {
	return BreakerSettings{
		FailureRatio: DefaultBreakerFailureRatio, MinRequests: DefaultBreakerMinRequests,
		Window: DefaultBreakerWindow, OpenTimeout: DefaultBreakerOpenTimeout,
		OpenJitter: DefaultBreakerOpenJitter, HalfOpenRequests: DefaultBreakerHalfOpenRequests,
	}
}

// WithCircuitBreaker gives the client circuit breakers configured by cfg,
// replacing the default ones (see [DefaultBreakerSettings]). They are
// created for each client the option is given to; to share breakers
// between clients, give them one [NewBreakers] with [WithBreakers].
//
// Each attempt of a call passes through its breaker. An open breaker fails
// a call at once with an error matching [ErrCircuitOpen], without sending
// it; a breaker that opens while a call is retrying stops the retries, and
// the last failure is returned wrapped so that errors.Is matches
// ErrCircuitOpen.
func WithCircuitBreaker(cfg BreakerSettings) ClientOption {
	return clientOption(func(s *Settings) { s.breakers = newBreakers(cfg) })
}

// WithBreakers makes calls pass through the circuit breakers b, which
// every client and call given them share. nil does nothing.
func WithBreakers(b *Breakers) Option {
	return func(s *Settings) {
		if b != nil {
			s.breakers = b
		}
	}
}

// WithoutCircuitBreaker turns circuit breaking off, for the client or for
// one call.
func WithoutCircuitBreaker() Option { return func(s *Settings) { s.breakers = nil } }

// Breakers is a set of circuit breakers configured by one
// [BreakerSettings], one breaker per key, created on first use. It is safe
// for concurrent use.
type Breakers struct {
	cfg BreakerSettings // normalized
	gb  gobreaker.Settings
	m   sync.Map // key -> *breaker
}

// NewBreakers returns circuit breakers configured by cfg, for
// [WithBreakers].
func NewBreakers(cfg BreakerSettings) *Breakers { return newBreakers(cfg) }

// State returns the state of the breaker named name, and false if it was
// never used (or bs is nil).
func (bs *Breakers) State(name string) (BreakerState, bool) {
	if bs == nil {
		return 0, false
	}
	b, ok := bs.m.Load(name)
	if !ok {
		return 0, false
	}
	return breakerState(b.(*breaker).cb.State()), true
}

// breakerBuckets is how many buckets a rolling window is kept in.
const breakerBuckets = 10

// newBreakers normalizes cfg.
func newBreakers(cfg BreakerSettings) *Breakers {
	def := DefaultBreakerSettings()
	if cfg.Key == nil {
		cfg.Key = hostKey
	}
	if !(cfg.FailureRatio > 0 && cfg.FailureRatio <= 1) {
		cfg.FailureRatio = def.FailureRatio
	}
	if cfg.MinRequests == 0 {
		cfg.MinRequests = def.MinRequests
	}
	if cfg.OpenTimeout <= 0 {
		cfg.OpenTimeout = def.OpenTimeout
	}
	switch {
	case cfg.OpenJitter == 0:
		cfg.OpenJitter = def.OpenJitter
	case cfg.OpenJitter < 0:
		cfg.OpenJitter = 0
	case cfg.OpenJitter > 1:
		cfg.OpenJitter = 1
	}
	if cfg.HalfOpenRequests == 0 {
		cfg.HalfOpenRequests = def.HalfOpenRequests
	}
	if cfg.Window <= 0 {
		cfg.Window = def.Window
		if cfg.Interval > 0 {
			cfg.Window = cfg.Interval
		}
	}
	bucket := max(cfg.Window/breakerBuckets, 10*time.Millisecond)
	return &Breakers{cfg: cfg, gb: gobreaker.Settings{
		MaxRequests:  cfg.HalfOpenRequests,
		Interval:     cfg.Window,
		BucketPeriod: bucket,
		Timeout:      cfg.OpenTimeout,
		ReadyToTrip:  cfg.readyToTrip(),
		IsSuccessful: func(err error) bool { return err == nil },
		IsExcluded:   func(err error) bool { return err == errNotCounted },
	}}
}

// readyToTrip returns the opening rule of normalized settings.
func (cfg *BreakerSettings) readyToTrip() func(gobreaker.Counts) bool {
	if user := cfg.ReadyToTrip; user != nil {
		return func(c gobreaker.Counts) bool {
			return user(BreakerCounts{
				Requests: c.Requests, TotalSuccesses: c.TotalSuccesses, TotalFailures: c.TotalFailures,
				ConsecutiveSuccesses: c.ConsecutiveSuccesses, ConsecutiveFailures: c.ConsecutiveFailures,
			})
		}
	}
	if n := cfg.ConsecutiveFailures; n > 0 {
		return func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= n }
	}
	ratio, least := cfg.FailureRatio, uint64(cfg.MinRequests)
	return func(c gobreaker.Counts) bool {
		// Requests also counts attempts still under way and those not
		// counted; the ratio is over settled ones only.
		settled := uint64(c.TotalSuccesses) + uint64(c.TotalFailures)
		return settled >= least && float64(c.TotalFailures) >= ratio*float64(settled)
	}
}

// openTimeout draws the open timeout of one breaker: OpenTimeout less up
// to OpenJitter of it.
func (cfg *BreakerSettings) openTimeout() time.Duration {
	d := cfg.OpenTimeout
	if cfg.OpenJitter > 0 {
		d -= time.Duration(rand.Float64() * cfg.OpenJitter * float64(d))
	}
	return max(d, time.Millisecond)
}

// get returns the breaker named name, creating it if needed.
func (bs *Breakers) get(name string) *breaker {
	if b, ok := bs.m.Load(name); ok {
		return b.(*breaker)
	}
	b := &breaker{name: name}
	st := bs.gb
	st.Name = name
	st.Timeout = bs.cfg.openTimeout()
	st.OnStateChange = b.record // called with gobreaker's lock held
	b.cb = gobreaker.NewCircuitBreaker[struct{}](st)
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
	cb   *gobreaker.CircuitBreaker[struct{}]

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
	return c.settings.breakers.State(name)
}

// breakerVerdict says how a breaker counts attempt o: nil for a success,
// errAttemptFailed or errNotCounted (see [BreakerSettings]).
func (k *call) breakerVerdict(o *outcome) error {
	switch {
	case o.resp != nil:
		return statusVerdict(o.resp)
	case o.err == nil, k.ctx.Err() != nil:
		return errNotCounted
	case o.failure == final:
		return errNotCounted // TLS, redirects, size limit: the host answered or is misconfigured
	}
	return errAttemptFailed // timeouts, refused, reset
}

// statusVerdict counts a response: 5xx (but 501) and 408 fail, unless a
// 5xx carries a Retry-After hint; 429 is not counted; the rest succeed.
func statusVerdict(resp *Response) error {
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return errNotCounted
	case code == http.StatusRequestTimeout:
		return errAttemptFailed
	case code >= 500 && code != http.StatusNotImplemented:
		if resp.Header.Get("Retry-After") != "" || resp.Header.Get("Retry-After-Ms") != "" {
			return errNotCounted // the partner asks to slow down: overload, not failure
		}
		return errAttemptFailed
	}
	return nil
}

// gate is the per-call state of the circuit breaker and rate limiter.
type gate struct {
	brk     *breaker
	limKey  string
	keyed   bool
	prev    outcome // the last attempt's, for errors of a later one
	hasPrev bool
}

// attempt passes the circuit breaker and the rate limiter, then sends the
// request once, and reports the outcome to the breaker and the limiter.
// The breaker counts the attempt by [call.breakerVerdict]; an attempt the
// limiter did not let through, or whose Doer chain panicked, is not
// counted (the panic goes on once the breaker is settled). State changes
// are announced outside the breaker's lock.
func (k *call) attempt() outcome {
	k.attempts++
	bs := k.s.breakers
	if bs == nil {
		o := k.limitedSend()
		k.observeLimit(&o)
		return o
	}
	g := &k.gate
	if g.brk == nil {
		g.brk = bs.get(bs.cfg.Key(k.op, k.u.Host))
	}
	var (
		o        outcome
		admitted bool
		p        any // a panic of the Doer chain
	)
	_, err := g.brk.cb.Execute(func() (_ struct{}, verdict error) {
		admitted = true
		g.brk.flush(k.ctx, bs.cfg.OnStateChange, k.s.observers)
		defer func() {
			if p = recover(); p != nil {
				verdict = errNotCounted
			}
		}()
		o = k.limitedSend()
		return struct{}{}, k.breakerVerdict(&o)
	})
	g.brk.flush(k.ctx, bs.cfg.OnStateChange, k.s.observers)
	if p != nil {
		panic(p)
	}
	if !admitted {
		state := BreakerOpen
		if err == gobreaker.ErrTooManyRequests {
			state = BreakerHalfOpen
		}
		return outcome{err: k.admitError(&CircuitOpenError{Breaker: g.brk.name, State: state, err: err})}
	}
	k.observeLimit(&o)
	return o
}

// admitError describes an attempt that was not let through, with the
// failure of the attempt before it, if any.
func (k *call) admitError(err error) error {
	if k.gate.hasPrev {
		return fmt.Errorf("%s: %s %s: %w (after attempt %d: %w)", k.op.ID, k.op.Method, k.x.url(), err, k.attempts-1, k.lastError(&k.gate.prev))
	}
	return fmt.Errorf("%s: %s %s: %w", k.op.ID, k.op.Method, k.x.url(), err)
}

// breakerOpen reports that the call's breaker is open, so retrying is
// pointless.
func (k *call) breakerOpen() bool {
	b := k.gate.brk
	if b == nil || k.s.breakers == nil {
		return false
	}
	open := b.cb.State() == gobreaker.StateOpen
	b.flush(k.ctx, k.s.breakers.cfg.OnStateChange, k.s.observers)
	return open
}
