package runtime

import "sync"

// Retry budget parameters, those of the AWS SDKs' "standard" retry mode.
const (
	// DefaultRetryBudget is the tokens of each client's [RetryBudget].
	DefaultRetryBudget = 500

	retryCost        = 5  // tokens a retry costs
	timeoutRetryCost = 10 // tokens a retry after a timeout costs
	successRefund    = 1  // tokens returned by a call that succeeds first time
)

// RetryBudget limits the retries of the calls sharing it (AWS SDKs'
// "standard" mode): a retry takes 5 tokens (10 after a timeout), a call
// ending without a retryable failure refunds them (or 1). Safe for
// concurrent use.
type RetryBudget struct {
	mu       sync.Mutex
	tokens   int
	capacity int
}

// NewRetryBudget returns a full budget of capacity tokens (< 0 means 0).
func NewRetryBudget(capacity int) *RetryBudget {
	capacity = max(capacity, 0)
	return &RetryBudget{tokens: capacity, capacity: capacity}
}

// WithRetryBudget makes retries spend tokens of b; nil does nothing.
func WithRetryBudget(b *RetryBudget) Option {
	return func(s *Settings) {
		if b != nil {
			s.budget = b
		}
	}
}

// WithoutRetryBudget removes the retry budget.
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
