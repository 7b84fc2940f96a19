package runtime

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Observer receives what [Client.Do] does, for metrics and tracing (the
// module github.com/connectorgen/connectorgen/runtime/otel turns it into
// OpenTelemetry metrics). Every field is optional. Hooks run synchronously
// in the calling goroutine, so they must be quick and safe for concurrent
// use; ctx is the caller's context.
type Observer struct {
	// Attempt is called after each attempt, including one that its circuit
	// breaker or rate limiter did not let through.
	Attempt func(ctx context.Context, e AttemptEvent)
	// Call is called once when Do returns (not for calls rejected before
	// any attempt, e.g. with an invalid request).
	Call func(ctx context.Context, e CallEvent)
	// BreakerStateChange is called when a circuit breaker changes state
	// during one of the calls this Observer is configured for.
	BreakerStateChange func(ctx context.Context, name string, from, to BreakerState)
	// LimiterWait is called after each [Limiter] wait that took time or
	// failed.
	LimiterWait func(ctx context.Context, e LimiterEvent)
	// Drift is called when a decoded response held values that do not
	// match their declared types, left unset (see [Drift]); not with
	// [WithStrictDecoding].
	Drift func(ctx context.Context, e DriftEvent)
}

// AttemptEvent describes one attempt.
type AttemptEvent struct {
	// Operation is the operation called; Operation.ID and Operation.Method
	// name it.
	Operation *Operation
	// Host is the request URL's host, e.g. "api.example.com".
	Host string
	// Attempt is 1 for the first attempt, 2 for the first retry, ...
	Attempt int
	// StatusCode is the response status, or 0 when there was none.
	StatusCode int
	// Err is the attempt's error when there was no response: a transport
	// error, or one matching ErrCircuitOpen or ErrRateLimited.
	Err error
	// Duration is how long the attempt took, rate limiter wait included.
	Duration time.Duration
	// Retry reports that another attempt follows, after RetryIn.
	Retry   bool
	RetryIn time.Duration
}

// CallEvent describes a call once Do is done with it.
type CallEvent struct {
	Operation *Operation
	Host      string
	// Attempts is how many attempts were made.
	Attempts int
	// StatusCode is the last response's status, or 0 when Do returned an
	// error.
	StatusCode int
	// Err is the error Do returned, if any.
	Err error
	// Duration is the time spent in Do, waits included.
	Duration time.Duration
}

// LimiterEvent describes a rate limiter wait.
type LimiterEvent struct {
	Operation *Operation
	// Key is the limiter key, by default the host.
	Key string
	// Waited is the time spent in Limiter.Wait.
	Waited time.Duration
	// Err is Wait's error: nil, the context's, or one matching
	// ErrRateLimited.
	Err error
}

// WithObserver adds o to the observers of the client or call; all of them
// are called, the client's first.
func WithObserver(o Observer) Option {
	return func(s *Settings) { s.observers = append(slices.Clip(s.observers), o) }
}

// AttemptInfo describes the attempt a request belongs to. Middleware and
// transports get it with [AttemptFromContext] from the request's context.
type AttemptInfo struct {
	// Operation is the operation called.
	Operation *Operation
	// Attempt is 1 for the first attempt, 2 for the first retry, ...
	Attempt int

	k *call
}

// URL returns the request URL without credentials: no password, and no
// apiKey query parameters added by credentials.
func (a AttemptInfo) URL() string {
	if a.k == nil {
		return ""
	}
	return a.k.x.url()
}

// attemptKey is the context key of the running attempt.
type attemptKey struct{}

// AttemptFromContext returns the attempt a request made by [Client.Do]
// belongs to; ok is false for other contexts.
func AttemptFromContext(ctx context.Context) (a AttemptInfo, ok bool) {
	k, ok := ctx.Value(attemptKey{}).(*call)
	if !ok {
		return AttemptInfo{}, false
	}
	return AttemptInfo{Operation: k.op, Attempt: k.attempts, k: k}, true
}

// attemptCtx is the caller's context carrying the call, which
// [AttemptFromContext] finds under attemptKey: context.WithValue(ctx,
// attemptKey{}, k) without an allocation of its own, as it is a field of
// the call. Every other method is the caller's context's.
type attemptCtx struct {
	context.Context
	k *call
}

// Value returns the call for attemptKey, else the caller's context's value.
func (a *attemptCtx) Value(key any) any {
	if _, ok := key.(attemptKey); ok {
		return a.k
	}
	return a.Context.Value(key)
}

// String describes the context as context.WithValue's does.
func (a *attemptCtx) String() string {
	name := fmt.Sprintf("%T", a.Context)
	if s, ok := a.Context.(fmt.Stringer); ok {
		name = s.String()
	}
	return name + ".WithValue(runtime.attemptKey, *runtime.call)"
}

// observeAttempt tells the observers about attempt o and remembers it.
func (k *call) observeAttempt(o *outcome, d decision, took time.Duration) {
	k.gate.prev, k.gate.hasPrev = *o, true
	if len(k.s.observers) == 0 {
		return
	}
	e := AttemptEvent{
		Operation: k.op, Host: k.u.Host, Attempt: k.attempts, Err: o.err,
		Duration: took, Retry: d.retry, RetryIn: d.delay,
	}
	if o.resp != nil {
		e.StatusCode = o.resp.StatusCode
	}
	for i := range k.s.observers {
		if f := k.s.observers[i].Attempt; f != nil {
			f(k.ctx, e)
		}
	}
}

// observeCall tells the observers how the call ended.
func (k *call) observeCall(start time.Time, resp *Response, err error) {
	if len(k.s.observers) == 0 {
		return
	}
	e := CallEvent{Operation: k.op, Host: k.u.Host, Attempts: k.attempts, Err: err, Duration: k.now().Sub(start)}
	if resp != nil {
		e.StatusCode = resp.StatusCode
	}
	for i := range k.s.observers {
		if f := k.s.observers[i].Call; f != nil {
			f(k.ctx, e)
		}
	}
}
