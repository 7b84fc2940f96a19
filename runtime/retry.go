package runtime

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Retry defaults, the zero [RetryPolicy] fields' values.
const (
	DefaultMaxRetries     = 2                      // retries after the first attempt
	DefaultRetryBaseDelay = 500 * time.Millisecond // first backoff, doubling
	DefaultRetryMaxDelay  = 8 * time.Second        // cap of the backoff
	DefaultMaxRetryDelay  = 60 * time.Second       // cap of a server's Retry-After
	DefaultRetryJitter    = 0.25                   // largest fraction taken off a backoff
)

// RetryPolicy says which failures [Client.Do] retries and how long it waits
// (zero fields: the defaults). Retried: connection errors, timeouts, 408,
// 409, 429, 5xx but 501 ("x-should-retry" overrides), for idempotent or
// keyed calls or any that could not connect, within the [RetryBudget]. The
// wait is the server's Retry-After(-Ms), else BaseDelay·2ⁿ up to MaxDelay,
// less up to Jitter of it; none outlasts the context's deadline.
type RetryPolicy struct {
	MaxRetries    int           // retries after the first attempt; 0 (or negative): none
	BaseDelay     time.Duration // wait before the first retry, doubling
	MaxDelay      time.Duration // cap of the computed wait
	MaxRetryDelay time.Duration // cap of a server's wait; a longer one is not retried
	Jitter        float64       // at most 1; negative means none
	SkipConflict  bool          // do not retry 409
}

// DefaultRetryPolicy returns the policy clients start with.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxRetries: DefaultMaxRetries, BaseDelay: DefaultRetryBaseDelay, MaxDelay: DefaultRetryMaxDelay,
		MaxRetryDelay: DefaultMaxRetryDelay, Jitter: DefaultRetryJitter,
	}
}

// WithRetry replaces the retry policy.
func WithRetry(p RetryPolicy) Option {
	return func(s *Settings) { s.retry = p.normalize() }
}

// WithMaxRetries sets the policy's MaxRetries (default 2); 0 disables
// retries.
func WithMaxRetries(n int) Option {
	return func(s *Settings) { s.retry.MaxRetries = max(n, 0) }
}

// normalize fills defaults and clamps out-of-range values.
func (p RetryPolicy) normalize() RetryPolicy {
	def := DefaultRetryPolicy()
	p.MaxRetries = max(p.MaxRetries, 0)
	if p.BaseDelay <= 0 {
		p.BaseDelay = def.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = def.MaxDelay
	}
	if p.MaxRetryDelay <= 0 {
		p.MaxRetryDelay = def.MaxRetryDelay
	}
	switch {
	case p.Jitter == 0:
		p.Jitter = def.Jitter
	case p.Jitter < 0:
		p.Jitter = 0
	case p.Jitter > 1:
		p.Jitter = 1
	}
	return p
}

// retryableStatus applies the status rule, which x-should-retry overrides.
func (p RetryPolicy) retryableStatus(resp *Response) bool {
	if v := resp.Header["X-Should-Retry"]; len(v) > 0 { // Header.Get, without canonicalizing the name
		switch strings.ToLower(strings.TrimSpace(v[0])) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	switch code := resp.StatusCode; {
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return true
	case code == http.StatusConflict:
		return !p.SkipConflict
	case code == http.StatusNotImplemented:
		return false
	default:
		return code >= 500 && code <= 599
	}
}

// ErrAttemptTimeout matches the error ([*AttemptTimeoutError]) of an attempt
// that ran out of its [WithTimeout], not the caller's deadline.
var ErrAttemptTimeout = errors.New("runtime: attempt timed out")

// AttemptTimeoutError reports an attempt's own timeout; it unwraps to the
// transport error (context.DeadlineExceeded).
type AttemptTimeoutError struct {
	Timeout time.Duration // the per-attempt timeout
	Attempt int           // 1 for the first
	err     error
}

// Error returns e.g. "runtime: attempt 2 timed out after 5s: <cause>".
func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("runtime: attempt %d timed out after %v: %v", e.Attempt, e.Timeout, e.err)
}

// Is reports whether target is ErrAttemptTimeout.
func (e *AttemptTimeoutError) Is(target error) bool { return target == ErrAttemptTimeout }

// Unwrap returns the transport error.
func (e *AttemptTimeoutError) Unwrap() error { return e.err }

// markAttemptTimeout wraps err, the failure of an attempt run under ctx,
// in an [*AttemptTimeoutError] when the per-attempt timeout caused it (ctx
// hit its deadline while the caller's context is live). A sanitized
// *requestError keeps its place outermost, its message extended.
func (k *call) markAttemptTimeout(ctx context.Context, err error) error {
	if k.s.timeout <= 0 || k.ctx.Err() != nil || context.Cause(ctx) != context.DeadlineExceeded {
		return err
	}
	te := &AttemptTimeoutError{Timeout: k.s.timeout, Attempt: k.attempts, err: err}
	if re, ok := err.(*requestError); ok {
		te.err = re.err
		return &requestError{msg: fmt.Sprintf("%s (attempt %d timed out after %v)", re.msg, k.attempts, k.s.timeout), err: te}
	}
	return te
}

// failure classifies an attempt's outcome.
type failure int

const (
	final        failure = iota // not retryable: return it
	retryable                   // retry if the call may be retried
	timedOut                    // retryable; the attempt timed out
	notConnected                // retryable even for unsafe methods: nothing was sent
)

// classifyError says whether a transport error may be retried. ctx is the
// caller's context: once it is done nothing is retried.
func classifyError(ctx context.Context, err error) failure {
	var ne net.Error
	var op *net.OpError
	switch {
	case ctx.Err() != nil, permanent(err):
		return final
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return timedOut
	case errors.Is(err, context.Canceled):
		return final // canceled by a middleware or Doer, not by a timeout
	case errors.As(err, &op) && op.Op == "dial":
		return notConnected
	}
	return retryable
}

// permanent reports errors that a retry cannot fix: TLS and certificate
// failures, redirect loops, unsupported schemes and malformed requests.
func permanent(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
	)
	if errors.As(err, &verify) || errors.As(err, &record) || errors.As(err, &alert) ||
		errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.Is(err, http.ErrSchemeMismatch) || errors.Is(err, ErrResponseTooLarge) {
		return true
	}
	// net/http reports these with plain errors.New/fmt.Errorf values.
	msg := err.Error()
	return strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects") ||
		strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "net/http: invalid")
}

// decision is what the retry loop does after an attempt.
type decision struct {
	retry  bool
	delay  time.Duration
	gaveUp error  // ErrRetriesExhausted or ErrRetryBudgetExhausted to wrap the result with
	reason string // why a retryable failure is not retried, for the log
}

// decide applies the retry rules to attempt o of the call.
func (k *call) decide(o *outcome) decision {
	switch {
	case o.failure == final:
		k.settleBudget(o)
		return decision{}
	case k.ctx.Err() != nil:
		return decision{reason: "context done"}
	case !k.body.replayable():
		return decision{reason: "request body cannot be replayed"}
	case !k.idempotent && o.failure != notConnected:
		return decision{reason: "operation is not idempotent and has no idempotency key"}
	case k.attempts > k.s.retry.MaxRetries:
		if k.s.retry.MaxRetries == 0 {
			return decision{reason: "retries disabled"}
		}
		return decision{gaveUp: ErrRetriesExhausted, reason: "retries exhausted"}
	case k.breakerOpen():
		return decision{gaveUp: ErrCircuitOpen, reason: "circuit breaker open"}
	}
	return k.schedule(o)
}

// schedule picks the wait before the next attempt and pays for it.
func (k *call) schedule(o *outcome) decision {
	d := k.s.retry.backoff(k.attempts - 1)
	if o.resp != nil {
		if hint, ok := serverDelay(o.resp.Header, k.now()); ok {
			if hint > k.s.retry.MaxRetryDelay {
				return decision{reason: "server asked to wait longer than MaxRetryDelay"}
			}
			d = hint
		}
	}
	if dl, ok := k.ctx.Deadline(); ok && k.now().Add(d).After(dl) {
		return decision{reason: "context deadline comes before the retry"}
	}
	cost := retryCost
	if o.failure == timedOut {
		cost = timeoutRetryCost
	}
	if !k.s.budget.take(cost) {
		return decision{gaveUp: ErrRetryBudgetExhausted, reason: "retry budget exhausted"}
	}
	k.lastCost = cost
	return decision{retry: true, delay: d}
}

// settleBudget refunds the budget when the API answered without a
// retryable failure: the cost of the retry that succeeded, or 1 token.
func (k *call) settleBudget(o *outcome) {
	if o.resp == nil {
		return
	}
	if k.lastCost > 0 {
		k.s.budget.refund(k.lastCost)
		return
	}
	k.s.budget.refund(successRefund)
}
