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

// Circuit breaker defaults, the zero [BreakerSettings] fields' values.
const (
	DefaultBreakerFailureRatio     = 0.5              // share of counted attempts failed that opens it
	DefaultBreakerMinRequests      = 20               // counted attempts needed before the ratio applies
	DefaultBreakerWindow           = 10 * time.Second // rolling window, in 10 buckets
	DefaultBreakerOpenTimeout      = 4 * time.Second  // open time, less the jitter
	DefaultBreakerOpenJitter       = 0.25             // fraction of OpenTimeout taken off at random
	DefaultBreakerHalfOpenRequests = 3                // probes let through; all must succeed
	DefaultBreakerFailures         = 5                // the former ConsecutiveFailures default
)

// ErrCircuitOpen matches the error of a call a breaker refused
// ([*CircuitOpenError]) or whose retries stopped as its breaker opened.
var ErrCircuitOpen = errors.New("runtime: circuit breaker is open")

// BreakerState is the state of a circuit breaker.
type BreakerState int

// Circuit breaker states.
const (
	BreakerClosed   BreakerState = iota // lets requests through and counts them
	BreakerHalfOpen                     // lets a few probes through
	BreakerOpen                         // fails requests until its timeout ends
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

// BreakerCounts are the outcomes a breaker counted in its window.
type BreakerCounts struct {
	Requests             uint32
	TotalSuccesses       uint32
	TotalFailures        uint32
	ConsecutiveSuccesses uint32
	ConsecutiveFailures  uint32
}

// KeyFunc names a call's breaker or rate limit key; host is host[:port].
type KeyFunc func(op *Operation, host string) string

// hostKey groups calls per host.
func hostKey(_ *Operation, host string) string { return host }

// BreakerSettings configures circuit breakers, one per Key (default: the
// host); zero fields take the defaults. Timeouts, connection errors, 408
// and 5xx but 501 without Retry-After fail; 429, 5xx with Retry-After and
// cancelled calls are not counted; the rest succeed. A breaker opens when
// FailureRatio of at least MinRequests attempts in Window failed, and
// closes after OpenTimeout once HalfOpenRequests probes succeed.
type BreakerSettings struct {
	Key                 KeyFunc                  // names a call's breaker; nil: the host
	FailureRatio        float64                  // in (0, 1]; ignored with ConsecutiveFailures or ReadyToTrip
	MinRequests         uint32                   // counted attempts before FailureRatio applies
	ConsecutiveFailures uint32                   // if > 0, open after that many failures in a row instead
	ReadyToTrip         func(BreakerCounts) bool // if set, called after each failure; true opens
	OpenTimeout         time.Duration            // how long it stays open
	OpenJitter          float64                  // at most 1; negative means none
	HalfOpenRequests    uint32                   // probes let through when half-open
	Window              time.Duration            // rolling window of the counts, 10 buckets of at least 10 ms
	Interval            time.Duration            // the former name of Window, used when Window is 0
	// OnStateChange, if set, is called on each state change, outside the
	// breaker's lock, in the goroutine of the call; it must not block.
	OnStateChange func(name string, from, to BreakerState)
}

// DefaultBreakerSettings returns the settings clients start with.
func DefaultBreakerSettings() BreakerSettings {
	return BreakerSettings{
		FailureRatio: DefaultBreakerFailureRatio, MinRequests: DefaultBreakerMinRequests,
		Window: DefaultBreakerWindow, OpenTimeout: DefaultBreakerOpenTimeout,
		OpenJitter: DefaultBreakerOpenJitter, HalfOpenRequests: DefaultBreakerHalfOpenRequests,
	}
}

// WithCircuitBreaker gives the client new circuit breakers configured by
// cfg; an open breaker fails calls with an [ErrCircuitOpen] error.
func WithCircuitBreaker(cfg BreakerSettings) ClientOption {
	return clientOption(func(s *Settings) { s.breakers = newBreakers(cfg) })
}

// WithBreakers makes calls use (and share) the breakers b. nil does nothing.
func WithBreakers(b *Breakers) Option {
	return func(s *Settings) {
		if b != nil {
			s.breakers = b
		}
	}
}

// WithoutCircuitBreaker turns circuit breaking off.
func WithoutCircuitBreaker() Option { return func(s *Settings) { s.breakers = nil } }

// Breakers is a set of circuit breakers that clients can share.
type Breakers struct {
	cfg BreakerSettings // normalized
	gb  gobreaker.Settings
	m   sync.Map // key -> *breaker
}

// NewBreakers returns circuit breakers configured by cfg.
func NewBreakers(cfg BreakerSettings) *Breakers { return newBreakers(cfg) }

// State returns the state of breaker name; false if never used.
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

// CircuitOpenError is the error of a call refused by an open (or busy
// half-open) breaker; it unwraps to gobreaker's error.
type CircuitOpenError struct {
	Breaker string       // the breaker's key, by default the host
	State   BreakerState // BreakerOpen or BreakerHalfOpen
	err     error
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

// BreakerState returns the state of the client's breaker name (a host).
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
