package runtime_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

// fakeClock stands in for time: sleep records the wait and moves now on.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

// epoch is the fake clock's start, a whole second so HTTP-dates are exact.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newFakeClock() *fakeClock { return &fakeClock{t: epoch} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) option() runtime.Option { return runtime.WithTestClock(c.now, c.sleep) }

func (c *fakeClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// script is a loopback server whose n-th request (1-based) is answered by
// reply; it records the requests it saw.
type script struct {
	*httptest.Server
	n      atomic.Int32
	mu     sync.Mutex
	bodies []string
	keys   []string // Idempotency-Key of each request
	reply  func(n int, w http.ResponseWriter, r *http.Request)
}

func newScript(t *testing.T, reply func(n int, w http.ResponseWriter, r *http.Request)) *script {
	t.Helper()
	s := &script{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.n.Add(1))
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(b))
		s.keys = append(s.keys, r.Header.Get("Idempotency-Key"))
		reply := s.reply
		s.mu.Unlock()
		reply(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *script) count() int { return int(s.n.Load()) }

func (s *script) setReply(f func(int, http.ResponseWriter, *http.Request)) {
	s.mu.Lock()
	s.reply = f
	s.mu.Unlock()
}

// reset forgets the requests seen so far.
func (s *script) reset() {
	s.mu.Lock()
	s.n.Store(0)
	s.bodies, s.keys = nil, nil
	s.mu.Unlock()
}

func (s *script) seenBodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func (s *script) seenKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.keys...)
}

// failFirst answers status (with headers h) to the first k requests, then
// 200 {"ok":true}.
func failFirst(k, status int, h map[string]string) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= k {
			for name, v := range h {
				w.Header().Set(name, v)
			}
			w.WriteHeader(status)
			w.Write([]byte(`{"error":"try later"}`))
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}
}

// always answers status to every request.
func always(status int, h map[string]string) func(int, http.ResponseWriter, *http.Request) {
	return failFirst(1<<30, status, h)
}

// checkGoroutines fails the test if, once its cleanups (servers closed)
// have run, more goroutines remain than at its start. Register it first so
// its cleanup runs last.
func checkGoroutines(t *testing.T) {
	t.Helper()
	before := goruntime.NumGoroutine()
	t.Cleanup(func() {
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		runtime.CloseDefaultIdleConnections()
		deadline := time.Now().Add(3 * time.Second)
		for goruntime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := goruntime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("goroutines: %d before, %d after\n%s", before, n, buf[:goruntime.Stack(buf, true)])
		}
	})
}

var (
	listPets  = &runtime.Operation{ID: "listPets", Method: "GET", Path: "/pets"}
	createPet = &runtime.Operation{ID: "createPet", Method: "POST", Path: "/pets"}
	keyedPost = &runtime.Operation{ID: "createOrder", Method: "POST", Path: "/orders", IdempotencyHeader: "Idempotency-Key"}
)

// noJitter makes computed waits exact.
var noJitter = runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 2, Jitter: -1})
