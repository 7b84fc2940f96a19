package runtime

import (
	"context"
	"io"
	"time"
)

// WithTestClock replaces the clock and the wait between attempts, so tests
// of backoff and Retry-After run instantly and see the waits asked for.
func WithTestClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(s *Settings) { s.now, s.sleep = now, sleep }
}

// CloseDefaultIdleConnections closes the idle connections of the default
// HTTP client's transport, for goroutine leak checks.
func CloseDefaultIdleConnections() { defaultHTTPClient().CloseIdleConnections() }

// NewEventStreamLimit is NewEventStream on a body with the cap of
// WithMaxEventBytes(limit).
func NewEventStreamLimit(body io.ReadCloser, limit int64) *EventStream {
	return NewEventStream(&streamBody{rc: body, cancel: func() {}, maxEvent: limit})
}
