package runtime

import "sync"

// Retry budget parameters, those of the AWS SDKs' "standard" retry mode.
const (
	// DefaultRetryBudget is the number of tokens in the retry budget each
	// client gets from [NewClient]: 500.
	DefaultRetryBudget = 500

	retryCost        = 5  // tokens a retry costs
	timeoutRetryCost = 10 // tokens a retry after a timeout costs
	successRefund    = 1  // tokens returned by a call that succeeds first time
)

// RetryBudget is a token bucket that limits retries across all calls that
// share it, so that an API which is down gets roughly one attempt per call
// rather than a storm of retries. Each retry takes 5 tokens (10 after a
// timeout); a call whose last attempt got a response that is not retried
// (a success, or a status such as 404 showing the API is up) gives back the
// tokens its last retry took, or 1 token when it needed no retry, up to the
// capacity. When
// too few tokens are left the failure is returned instead, wrapped with
// [ErrRetryBudgetExhausted]. This is the AWS SDKs' "standard" retry mode.
//
// Every [NewClient] has its own budget of [DefaultRetryBudget] tokens;
// [WithRetryBudget] shares one between clients, [WithoutRetryBudget] removes it. A RetryBudget
// is safe for concurrent use.
type RetryBudget struct {
	mu       sync.Mutex
	tokens   int
	capacity int
}

// NewRetryBudget returns a full budget of capacity tokens (100 retries at the
// default capacity of 500). capacity < 0 is treated as 0: no retries.
func NewRetryBudget(capacity int) *RetryBudget {
	capacity = max(capacity, 0)
	return &RetryBudget{tokens: capacity, capacity: capacity}
}

// WithRetryBudget makes retries spend tokens from b, e.g. one budget shared
// by several clients of the same API. nil does nothing.
func WithRetryBudget(b *RetryBudget) Option {
	return func(s *Settings) {
		if b != nil {
			s.budget = b
		}
	}
}

// WithoutRetryBudget removes the limit on retries, for the client or for
// one call: only the [RetryPolicy] bounds them.
func WithoutRetryBudget() Option { return func(s *Settings) { s.budget = nil } }

// Available returns the tokens left.
func (b *RetryBudget) Available() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}

// take spends cost tokens and reports whether there were enough. A nil
// budget always allows.
func (b *RetryBudget) take(cost int) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < cost {
		return false
	}
	b.tokens -= cost
	return true
}

// refund gives n tokens back, up to the capacity.
func (b *RetryBudget) refund(n int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.tokens = min(b.tokens+n, b.capacity)
	b.mu.Unlock()
}
