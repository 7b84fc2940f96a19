package runtime

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Observer receives what [Client.Do] does; its hooks run synchronously in
// the calling goroutine and must be quick. Every field is optional.
type Observer struct {
	Attempt            func(ctx context.Context, e AttemptEvent) // after each attempt, refused ones included
	Call               func(ctx context.Context, e CallEvent)    // when Do returns, if an attempt was made
	BreakerStateChange func(ctx context.Context, name string, from, to BreakerState)
	LimiterWait        func(ctx context.Context, e LimiterEvent) // after a wait that took time or failed
	Drift              func(ctx context.Context, e DriftEvent)   // values left unset (see Drift)
	// Delivery is called by a webhook receiver (package runtime/webhook)
	// for each delivery it answers or replays.
	Delivery func(ctx context.Context, e DeliveryEvent)
}

// DeliveryEvent describes what a webhook receiver did with a delivery.
type DeliveryEvent struct {
	ID         string        // the delivery's id; "" when it failed verification
	Outcome    string        // handled, duplicate, busy, failed, dead-lettered, rejected, replayed
	StatusCode int           // the status answered; 0 for a replay
	Attempts   int           // failed attempts so far
	Err        error         // the verification's or the handler's; never holds a secret
	Duration   time.Duration // reading, verifying and handling
}

// AttemptEvent describes one attempt.
type AttemptEvent struct {
	Operation  *Operation
	Host       string        // e.g. "api.example.com"
	Attempt    int           // 1 for the first
	StatusCode int           // 0 without a response
	Err        error         // without a response: transport, ErrCircuitOpen or ErrRateLimited
	Duration   time.Duration // limiter wait included
	Retry      bool          // another attempt follows, after RetryIn
	RetryIn    time.Duration
}

// CallEvent describes a call once Do is done with it.
type CallEvent struct {
	Operation  *Operation
	Host       string
	Attempts   int
	StatusCode int           // the last response's; 0 when Do returned an error
	Err        error         // Do's
	Duration   time.Duration // in Do, waits included
}

// LimiterEvent describes a rate limiter wait.
type LimiterEvent struct {
	Operation *Operation
	Key       string        // the limiter key, by default the host
	Waited    time.Duration // in Limiter.Wait
	Err       error         // Wait's: nil, the context's, or matching ErrRateLimited
}

// WithObserver adds o to the observers; the client's are called first.
func WithObserver(o Observer) Option {
	return func(s *Settings) { s.observers = append(slices.Clip(s.observers), o) }
}

// AttemptInfo describes the attempt a request belongs to.
type AttemptInfo struct {
	Operation *Operation
	Attempt   int // 1 for the first

	k *call
}

// URL returns the request URL without credentials.
func (a AttemptInfo) URL() string {
	if a.k == nil {
		return ""
	}
	return a.k.x.url()
}

// attemptKey is the context key of the running attempt.
type attemptKey struct{}

// AttemptFromContext returns the attempt of a request made by [Client.Do].
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
