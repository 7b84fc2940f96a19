package runtime

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
)

// timeoutShare divides the per-attempt timeout into the window within which
// attempts may share a timeout context: attempts starting within
// timeout/64 of each other.
const timeoutShare = 64

// sharedTimeouts hands out the timeout contexts of a client's non-streamed
// attempts. A context that ends timeout after its attempt starts is, with
// the child the transport derives from it, the largest fixed cost of an
// attempt (context.WithTimeout's context, timer and closures, the child's
// registration map: 7 allocations, 640 bytes). Attempts that start within
// one window (timeout/64) under the same caller context and the same
// timeout share one context, whose deadline is timeout after the window
// ends: each attempt gets at least its timeout and at most 1/64 more (80 s
// becomes at most 81.25 s). A shared context is not cancelled when an
// attempt ends, as the others may still use it; it ends at its deadline or
// with the caller's context, and at most timeoutShare+1 of them are alive
// per client and timeout. Sharing starts with the second attempt of a
// window, so calls that each pass a context of their own (a server's
// request context) keep getting a context per attempt, cancelled when the
// attempt ends; the client then keeps a reference to the last such caller
// context until the next call. Caller contexts whose dynamic type is not
// comparable are never shared. The lock that records the caller contexts
// seen is never waited for: an attempt that finds it taken makes its own
// context.
type sharedTimeouts struct {
	cur atomic.Pointer[sharedTimeout] // the context of the latest window

	mu sync.Mutex
	// The latest attempt that found no shared context: its caller's
	// context, its timeout and the end of its window.
	seenParent  context.Context
	seenTimeout time.Duration
	seenUntil   time.Time
}

// sharedTimeout is a timeout context shared within one window.
type sharedTimeout struct {
	parent  context.Context // the callers'
	timeout time.Duration
	until   time.Time       // attempts starting before until may use ctx
	ctx     context.Context // ends at until+timeout, or with parent
	cancel  context.CancelFunc
}

// matches reports whether an attempt under parent with timeout, starting at
// now, may use p's context.
func (p *sharedTimeout) matches(parent context.Context, timeout time.Duration, now time.Time) bool {
	return p != nil && p.timeout == timeout && p.parent == parent && now.Before(p.until)
}

// get returns the shared timeout context for an attempt under parent with
// timeout starting at now, or nil when the attempt must make its own.
func (st *sharedTimeouts) get(parent context.Context, timeout time.Duration, now time.Time) context.Context {
	if !reflect.TypeOf(parent).Comparable() || timeout/timeoutShare <= 0 {
		return nil
	}
	if p := st.cur.Load(); p.matches(parent, timeout, now) {
		return p.ctx
	}
	if !st.mu.TryLock() { // another attempt is at it: this one makes its own rather than wait
		return nil
	}
	defer st.mu.Unlock()
	if p := st.cur.Load(); p.matches(parent, timeout, now) { // made meanwhile
		return p.ctx
	}
	if st.seenTimeout != timeout || st.seenParent != parent || !now.Before(st.seenUntil) {
		st.seenParent, st.seenTimeout, st.seenUntil = parent, timeout, now.Add(timeout/timeoutShare)
		return nil
	}
	until := now.Add(timeout / timeoutShare)
	ctx, cancel := context.WithDeadline(parent, until.Add(timeout))
	st.cur.Store(&sharedTimeout{parent: parent, timeout: timeout, until: until, ctx: ctx, cancel: cancel})
	st.seenParent = nil
	return ctx
}
