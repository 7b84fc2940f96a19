package runtime_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// TestAttemptContextShared checks what middleware sees of the attempt
// contexts of consecutive calls under one caller context, which share a
// timeout context from the second call of a window on: the call's own
// attempt (AttemptFromContext), a deadline at least the per-attempt
// timeout and at most 1/64 more after the call started, the caller's
// values.
func TestAttemptContextShared(t *testing.T) {
	const timeout = 640 * time.Second // a window of 10 s
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) }))
	defer srv.Close()
	type seenAttempt struct {
		op       string
		attempt  int
		url      string
		deadline time.Time
		value    any
	}
	var mu sync.Mutex
	var got []seenAttempt
	mw := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		a, ok := runtime.AttemptFromContext(req.Context())
		if !ok {
			t.Error("no attempt in the request's context")
		}
		dl, _ := req.Context().Deadline()
		mu.Lock()
		got = append(got, seenAttempt{a.Operation.ID, a.Attempt, a.URL(), dl, req.Context().Value(ctxKey{})})
		mu.Unlock()
		return next.Do(req)
	}
	c := mustClient(t, srv.URL, nil, runtime.WithTimeout(timeout), runtime.WithMiddleware(mw))
	ctx := context.WithValue(context.Background(), ctxKey{}, "caller")
	var starts []time.Time
	for i, path := range []string{"/a", "/b", "/c"} {
		op := &runtime.Operation{ID: "op" + path[1:], Method: "GET", Idempotent: true}
		starts = append(starts, time.Now())
		resp, err := c.Do(ctx, runtime.NewRequest(op, path))
		if err != nil || resp.Text() != path {
			t.Fatalf("call %d: %v, %v", i, resp, err)
		}
	}
	if len(got) != 3 {
		t.Fatalf("%d attempts, want 3", len(got))
	}
	for i, a := range got {
		want := "op" + []string{"a", "b", "c"}[i]
		if a.op != want || a.attempt != 1 || a.url != srv.URL+"/"+want[2:] || a.value != "caller" {
			t.Errorf("call %d: attempt %+v, want operation %s, attempt 1, its URL, the caller's value", i, a, want)
		}
		if left := a.deadline.Sub(starts[i]); left < timeout-time.Second || left > timeout+timeout/64+time.Second {
			t.Errorf("call %d: deadline %v after the call, want within [%v, %v]", i, left, timeout, timeout+timeout/64)
		}
	}
	if !got[1].deadline.Equal(got[2].deadline) {
		t.Logf("calls 2 and 3 did not share a timeout context (%v apart): the machine is slow", got[2].deadline.Sub(got[1].deadline))
	}
}

// ctxKey is a context key of these tests.
type ctxKey struct{}

// TestSharedAttemptTimeout checks that an attempt whose timeout context is
// shared with other calls still times out, as an *AttemptTimeoutError,
// and that the other calls sharing it are not cut short by its end.
func TestSharedAttemptTimeout(t *testing.T) {
	const timeout = 1280 * time.Millisecond // a window of 20 ms
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-r.Context().Done()
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil, runtime.WithTimeout(timeout), runtime.WithMaxRetries(0))
	op := &runtime.Operation{ID: "get", Method: "GET", Idempotent: true}
	ctx := context.Background()
	for range 3 { // fast calls: the second and third share a timeout context
		if _, err := c.Do(ctx, runtime.NewRequest(op, "/fast")); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	_, err := c.Do(ctx, runtime.NewRequest(op, "/slow"))
	took := time.Since(start)
	var te *runtime.AttemptTimeoutError
	if !errors.Is(err, runtime.ErrAttemptTimeout) || !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow call: %v, want an *AttemptTimeoutError matching context.DeadlineExceeded", err)
	}
	if took < timeout-timeout/64 || took > 10*time.Second {
		t.Errorf("slow call took %v, want about %v", took, timeout)
	}
	if _, err := c.Do(ctx, runtime.NewRequest(op, "/fast")); err != nil {
		t.Errorf("fast call after the timeout: %v", err)
	}
}

// TestPanicNotCounted checks that an attempt whose middleware panics is
// not counted by the circuit breaker (a breaker opening on one failure
// stays closed) and that the panic still reaches the caller.
func TestPanicNotCounted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	panicking := true
	mw := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		if panicking {
			panic("middleware bug")
		}
		return next.Do(req)
	}
	c := mustClient(t, srv.URL, nil, runtime.WithMiddleware(mw),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 1, HalfOpenRequests: 1}))
	op := &runtime.Operation{ID: "get", Method: "GET", Idempotent: true}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the middleware's panic did not reach the caller")
			}
		}()
		c.Do(context.Background(), runtime.NewRequest(op, "/"))
	}()
	host := srv.Listener.Addr().String()
	if st, _ := c.BreakerState(host); st != runtime.BreakerClosed {
		t.Errorf("breaker %v after a panic, want closed", st)
	}
	panicking = false
	if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/")); err != nil {
		t.Errorf("call after the panic: %v", err)
	}
}

// TestHeaderValuesPerAttempt checks that a middleware changing a header
// value in place on one attempt changes neither the retry nor the next
// call (the first attempt's values live in the call).
func TestHeaderValuesPerAttempt(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent")+" "+r.Header.Get("X-Req"))
		n := len(agents)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	mw := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		resp, err := next.Do(req)
		req.Header["User-Agent"][0] = "mutated"
		req.Header["X-Req"][0] = "mutated"
		return resp, err
	}
	c := mustClient(t, srv.URL, nil, runtime.WithUserAgent("ua"), runtime.WithMiddleware(mw),
		runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond}))
	op := &runtime.Operation{ID: "get", Method: "GET", Idempotent: true}
	for range 2 {
		r := runtime.NewRequest(op, "/")
		rtimpl.SetHeader(r, "X-Req", "v")
		if _, err := c.Do(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"ua v", "ua v", "ua v"}
	if len(agents) != len(want) {
		t.Fatalf("server saw %q, want %q", agents, want)
	}
	for i := range want {
		if agents[i] != want[i] {
			t.Errorf("request %d: %q, want %q", i, agents[i], want[i])
		}
	}
}

// TestLoopbackAllocs checks issue 11's allocation budget: a call through
// Client.Do with the default chain (what BenchmarkLoopback's "runtime"
// measures) allocates at most 10 times more than a bare http.Client GET
// with json.Unmarshal on the same loopback server and transport.
func TestLoopbackAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts (sync.Pool drops items)")
	}
	srv, hc := loopbackServer(t)
	c, err := runtime.NewClient(srv.URL, nil, runtime.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var p benchPet
	bare := testing.AllocsPerRun(200, func() {
		if err := bareCall(ctx, hc, srv.URL, &p); err != nil {
			t.Fatal(err)
		}
	})
	rt := testing.AllocsPerRun(200, func() {
		if err := runtimeCall(ctx, c, &p); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocations per call: bare %.1f, runtime %.1f (%+.1f)", bare, rt, rt-bare)
	if rt-bare > 10 {
		t.Errorf("runtime call allocates %.1f times, bare %.1f: %.1f more, want at most 10", rt, bare, rt-bare)
	}
}
