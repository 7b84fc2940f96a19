package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

func TestRetryAfterHints(t *testing.T) {
	checkGoroutines(t)
	date := func(d time.Duration) string { return epoch.Add(d).Format(http.TimeFormat) }
	cases := []struct {
		name     string
		status   int
		header   map[string]string
		attempts int
		waits    []time.Duration
	}{
		{"429 seconds", 429, map[string]string{"Retry-After": "3"}, 2, []time.Duration{3 * time.Second}},
		{"503 seconds, not nanoseconds", 503, map[string]string{"Retry-After": "1"}, 2, []time.Duration{time.Second}},
		{"503 HTTP-date", 503, map[string]string{"Retry-After": date(5 * time.Second)}, 2, []time.Duration{5 * time.Second}},
		{"429 date in the past", 429, map[string]string{"Retry-After": date(-time.Hour)}, 2, []time.Duration{0}},
		{"429 Retry-After-Ms", 429, map[string]string{"Retry-After-Ms": "1500"}, 2, []time.Duration{1500 * time.Millisecond}},
		{"ms wins over seconds", 503, map[string]string{"Retry-After-Ms": "250.5", "Retry-After": "9"}, 2, []time.Duration{250500 * time.Microsecond}},
		{"unparsable: backoff", 503, map[string]string{"Retry-After": "soon"}, 2, []time.Duration{500 * time.Millisecond}},
		{"at the cap", 429, map[string]string{"Retry-After": "60"}, 2, []time.Duration{time.Minute}},
		{"over the cap: no retry", 429, map[string]string{"Retry-After": "61"}, 1, nil},
		{"huge: no retry", 429, map[string]string{"Retry-After": "99999999999999999999999"}, 1, nil},
		{"over the cap in ms", 503, map[string]string{"Retry-After-Ms": "60001"}, 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScript(t, failFirst(1, tc.status, tc.header))
			clock := newFakeClock()
			c := mustClient(t, srv.URL, nil, clock.option(), noJitter)
			resp := do(t, c, runtime.NewRequest(listPets, "/pets"))
			if srv.count() != tc.attempts || resp.Attempts != tc.attempts {
				t.Errorf("server saw %d requests, Attempts %d; want %d", srv.count(), resp.Attempts, tc.attempts)
			}
			if got := clock.recorded(); !slices.Equal(got, tc.waits) {
				t.Errorf("waits %v, want %v", got, tc.waits)
			}
			if tc.attempts == 1 {
				err := resp.Error(nil)
				var ae *runtime.APIError
				if resp.StatusCode != tc.status || errors.Is(err, runtime.ErrRetriesExhausted) || !errors.As(err, &ae) || ae.Attempts != 1 {
					t.Errorf("status %d, err %v", resp.StatusCode, err)
				}
			}
		})
	}
	// A lower cap makes the same hint too long.
	srv := newScript(t, failFirst(1, 429, map[string]string{"Retry-After": "10"}))
	c := mustClient(t, srv.URL, nil, newFakeClock().option(), runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 2, MaxRetryDelay: 8 * time.Second}))
	if resp := do(t, c, runtime.NewRequest(listPets, "/")); resp.StatusCode != 429 || srv.count() != 1 {
		t.Errorf("MaxRetryDelay 8s, Retry-After 10: status %d after %d requests", resp.StatusCode, srv.count())
	}
}

func TestBackoffSchedule(t *testing.T) {
	srv := newScript(t, always(503, nil))
	clock := newFakeClock()
	// Without the circuit breaker, which would open after 5 failures.
	c := mustClient(t, srv.URL, nil, clock.option(), runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 6, Jitter: -1}),
		runtime.WithoutCircuitBreaker())
	resp := do(t, c, runtime.NewRequest(listPets, "/"))
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	if got := clock.recorded(); !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	err := resp.Error(nil)
	var ae *runtime.APIError
	if !errors.Is(err, runtime.ErrRetriesExhausted) || !errors.As(err, &ae) || ae.Attempts != 7 || ae.StatusCode != 503 {
		t.Fatalf("after the last attempt: %v", err)
	}
	if !strings.HasSuffix(err.Error(), "(runtime: retries exhausted after 7 attempts)") || !strings.HasPrefix(err.Error(), "listPets: GET ") {
		t.Errorf("message %q", err)
	}

	// Default jitter only subtracts, at most 25 %.
	clock = newFakeClock()
	c = mustClient(t, srv.URL, nil, clock.option(), runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 6}), runtime.WithoutCircuitBreaker())
	for range 20 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	got := clock.recorded()
	for i, d := range got {
		full := want[i%len(want)]
		if d > full || d < full*3/4 {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, d, full*3/4, full)
		}
	}
	if slices.Equal(got[:6], got[6:12]) {
		t.Error("jitter did not vary")
	}

	// WithMaxRetries(0) disables retries, with no sentinel.
	n := srv.count()
	resp = do(t, c, runtime.NewRequest(listPets, "/"), runtime.WithMaxRetries(0))
	if srv.count() != n+1 || errors.Is(resp.Error(nil), runtime.ErrRetriesExhausted) {
		t.Errorf("WithMaxRetries(0): %d requests, %v", srv.count()-n, resp.Error(nil))
	}
}

func TestStatusRules(t *testing.T) {
	cases := []struct {
		status int
		header map[string]string
		opts   []runtime.CallOption
		retry  bool
	}{
		{408, nil, nil, true},
		{409, nil, nil, true},
		{409, nil, []runtime.CallOption{runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 2, SkipConflict: true})}, false},
		{429, nil, nil, true},
		{500, nil, nil, true},
		{502, nil, nil, true},
		{503, nil, nil, true},
		{504, nil, nil, true},
		{501, nil, nil, false},
		{400, nil, nil, false},
		{401, nil, nil, false},
		{403, nil, nil, false},
		{404, nil, nil, false},
		{422, nil, nil, false},
		{503, map[string]string{"X-Should-Retry": "false"}, nil, false},
		{400, map[string]string{"X-Should-Retry": "true"}, nil, true},
		{501, map[string]string{"x-should-retry": "TRUE"}, nil, true},
		{200, map[string]string{"X-Should-Retry": "true"}, nil, true},
		{503, map[string]string{"X-Should-Retry": "maybe"}, nil, true},
	}
	for _, tc := range cases {
		srv := newScript(t, failFirst(1, tc.status, tc.header))
		c := mustClient(t, srv.URL, nil, newFakeClock().option())
		resp := do(t, c, runtime.NewRequest(listPets, "/"), tc.opts...)
		want := 1
		if tc.retry {
			want = 2
		}
		if srv.count() != want || resp.Attempts != want {
			t.Errorf("%d %v: %d requests, want %d", tc.status, tc.header, srv.count(), want)
		}
		if !tc.retry && resp.StatusCode != tc.status {
			t.Errorf("%d: returned %d", tc.status, resp.StatusCode)
		}
	}
}

func TestUnsafeMethodsNeedIdempotency(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, always(503, nil))
	c := mustClient(t, srv.URL, nil, newFakeClock().option(), runtime.WithoutCircuitBreaker()) // many 5xx in a row
	send := func(op *runtime.Operation, opts ...runtime.CallOption) (int, *runtime.Response) {
		before := srv.count()
		r := runtime.NewRequest(op, "/x")
		rtimpl.SetJSONBody(r, map[string]int{"n": 1})
		resp := do(t, c, r, opts...)
		return srv.count() - before, resp
	}
	for _, m := range []string{"POST", "PATCH"} {
		if n, resp := send(&runtime.Operation{ID: "op", Method: m}); n != 1 || resp.StatusCode != 503 {
			t.Errorf("%s without key: %d requests", m, n)
		}
		if n, _ := send(&runtime.Operation{ID: "op", Method: m, Idempotent: true}); n != 3 {
			t.Errorf("%s marked idempotent: %d requests", m, n)
		}
	}
	for _, m := range []string{"PUT", "DELETE", "GET"} {
		if n, _ := send(&runtime.Operation{ID: "op", Method: m}); n != 3 {
			t.Errorf("%s: %d requests", m, n)
		}
	}
	// Operation.IdempotencyHeader: a generated key, the same on every attempt.
	from := len(srv.seenKeys())
	if n, _ := send(keyedPost); n != 3 {
		t.Fatalf("POST with IdempotencyHeader: %d requests", n)
	}
	keys := srv.seenKeys()[from:]
	uuid4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !uuid4.MatchString(keys[0]) || keys[1] != keys[0] || keys[2] != keys[0] {
		t.Errorf("keys %q", keys)
	}
	send(keyedPost)
	if next := srv.seenKeys()[from+3]; next == keys[0] || !uuid4.MatchString(next) {
		t.Errorf("a new call reused key %q", next)
	}
	// Per-call override, also for an operation that names no header.
	from = len(srv.seenKeys())
	send(keyedPost, runtime.WithIdempotencyKey("order-42"))
	if n, _ := send(createPet, runtime.WithIdempotencyKey("order-43")); n != 3 {
		t.Errorf("POST with WithIdempotencyKey: %d requests", n)
	}
	want := []string{"order-42", "order-42", "order-42", "order-43", "order-43", "order-43"}
	if got := srv.seenKeys()[from:]; !slices.Equal(got, want) {
		t.Errorf("override keys %q", got)
	}
	// A key the caller set on the request is kept, and enables retries.
	from = len(srv.seenKeys())
	r := runtime.NewRequest(createPet, "/x")
	rtimpl.SetHeader(r, "Idempotency-Key", "mine")
	do(t, c, r)
	if got := srv.seenKeys()[from:]; !slices.Equal(got, []string{"mine", "mine", "mine"}) {
		t.Errorf("caller key %q", got)
	}
	// On a client it would give every call the same key: NewClient does
	// not take it (TestOptionPlaces).
}

// seekOnly hides the concrete reader type: only io.ReadSeeker remains.
type seekOnly struct{ io.ReadSeeker }

// readOnly hides everything but Read.
type readOnly struct{ io.Reader }

func TestBodyReplay(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, failFirst(2, 503, nil))
	op := &runtime.Operation{ID: "upload", Method: "PUT"}
	const payload = `{"name":"Rex"}`
	bodies := map[string]func(r *runtime.Request){
		"json":          func(r *runtime.Request) { rtimpl.SetJSONBody(r, map[string]string{"name": "Rex"}) },
		"form":          func(r *runtime.Request) { rtimpl.SetFormBody(r, map[string]string{"name": "Rex"}) },
		"bytes.Buffer":  func(r *runtime.Request) { r.SetBody("text/plain", bytes.NewBufferString(payload)) },
		"bytes.Reader":  func(r *runtime.Request) { r.SetBody("text/plain", bytes.NewReader([]byte(payload))) },
		"strings":       func(r *runtime.Request) { r.SetBody("text/plain", strings.NewReader(payload)) },
		"io.ReadSeeker": func(r *runtime.Request) { r.SetBody("text/plain", seekOnly{strings.NewReader(payload)}) },
	}
	for name, set := range bodies {
		srv.reset()
		r := runtime.NewRequest(op, "/")
		set(r)
		if resp := do(t, mustClient(t, srv.URL, nil), r); resp.StatusCode != 200 || srv.count() != 3 {
			t.Errorf("%s: status %d after %d requests", name, resp.StatusCode, srv.count())
		}
		got := srv.seenBodies()
		if len(got) != 3 || got[0] == "" || got[1] != got[0] || got[2] != got[0] {
			t.Errorf("%s: bodies %q", name, got)
		}
	}
	// A plain io.Reader can be sent only once.
	srv.reset()
	r := runtime.NewRequest(op, "/")
	r.SetBody("text/plain", readOnly{strings.NewReader(payload)})
	if resp := do(t, mustClient(t, srv.URL, nil), r); resp.StatusCode != 503 || srv.count() != 1 {
		t.Errorf("non-replayable body: status %d after %d requests", resp.StatusCode, srv.count())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, always(503, map[string]string{"Retry-After": "30"}))
	// The real clock and timer: the wait must end when ctx does.
	c, err := runtime.NewClient(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Do(ctx, runtime.NewRequest(listPets, "/"))
	var ae *runtime.APIError
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Do returned after %v", took)
	}
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ae) || ae.StatusCode != 503 || srv.count() != 1 {
		t.Errorf("err = %v after %d requests", err, srv.count())
	}
	// A deadline that ends before the retry could start: the 503 at once.
	ctx, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	start = time.Now()
	resp, err := c.Do(ctx, runtime.NewRequest(listPets, "/"))
	if err != nil || resp.StatusCode != 503 || time.Since(start) > time.Second {
		t.Errorf("deadline before the retry: %v, %v after %v", resp, err, time.Since(start))
	}
	// Nothing is sent again once the caller's context is done.
	ctx, cancel3 := context.WithCancel(context.Background())
	cancel3()
	n := srv.count()
	if _, err := c.Do(ctx, runtime.NewRequest(listPets, "/")); !errors.Is(err, context.Canceled) || srv.count() != n {
		t.Errorf("canceled context: %v, %d requests", err, srv.count()-n)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			select { // a hung first attempt
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		w.Write([]byte(`{"ok":true}`))
	})
	budget := runtime.NewRetryBudget(100)
	c := mustClient(t, srv.URL, nil, newFakeClock().option(), runtime.WithRetryBudget(budget))
	start := time.Now()
	resp := do(t, c, runtime.NewRequest(listPets, "/"), runtime.WithTimeout(100*time.Millisecond))
	if resp.StatusCode != 200 || resp.Attempts != 2 || time.Since(start) > 5*time.Second {
		t.Errorf("status %d, attempts %d, after %v", resp.StatusCode, resp.Attempts, time.Since(start))
	}
	if budget.Available() != 100 {
		t.Errorf("budget %d: the success should refund the timeout retry's 10 tokens", budget.Available())
	}
	// A timeout retry costs 10 tokens: with 9 left it is not retried.
	srv.n.Store(0)
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"),
		runtime.WithTimeout(100*time.Millisecond), runtime.WithRetryBudget(runtime.NewRetryBudget(9)))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, runtime.ErrRetryBudgetExhausted) || srv.count() != 1 {
		t.Errorf("timeout with 9 tokens: %v after %d requests", err, srv.count())
	}
	// The caller's deadline is not retried.
	srv.n.Store(0)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Do(ctx, runtime.NewRequest(listPets, "/")); !errors.Is(err, context.DeadlineExceeded) || srv.count() != 1 {
		t.Errorf("caller deadline: %v after %d requests", err, srv.count())
	}
}

func TestRetryBudgetStorm(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, always(503, nil))
	budget := runtime.NewRetryBudget(50)
	// The budget alone, without the circuit breaker that would stop the storm sooner.
	c := mustClient(t, srv.URL, nil, newFakeClock().option(), runtime.WithRetryBudget(budget), runtime.WithoutCircuitBreaker())
	const calls = 40
	errs := make(chan error, calls)
	for range calls {
		go func() {
			resp, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
			if err == nil {
				err = resp.Error(nil)
			}
			errs <- err
		}()
	}
	exhausted, budgetOut := 0, 0
	for range calls {
		err := <-errs
		var ae *runtime.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 503 {
			t.Errorf("err = %v", err)
		}
		switch {
		case errors.Is(err, runtime.ErrRetryBudgetExhausted):
			budgetOut++
		case errors.Is(err, runtime.ErrRetriesExhausted):
			exhausted++
		}
	}
	// 50 tokens buy 10 retries: 40 first attempts plus 10 retries.
	if srv.count() != calls+10 || budget.Available() != 0 {
		t.Errorf("%d requests for %d calls, %d tokens left", srv.count(), calls, budget.Available())
	}
	if budgetOut < calls-10 || exhausted > 5 {
		t.Errorf("%d calls out of budget, %d out of retries", budgetOut, exhausted)
	}
	// Recovery: each success refunds a token.
	srv.setReply(always(200, nil))
	for range 7 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if budget.Available() != 7 {
		t.Errorf("after 7 successes: %d tokens", budget.Available())
	}
	// Transport errors are wrapped too, and keep their *url.Error.
	dead := newScript(t, always(200, nil))
	dead.Close()
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"),
		runtime.WithBaseURL(dead.URL), runtime.WithRetryBudget(runtime.NewRetryBudget(5)))
	if !errors.Is(err, runtime.ErrRetryBudgetExhausted) || !strings.HasPrefix(err.Error(), "listPets: GET ") {
		t.Errorf("transport error, budget out: %v", err)
	}
	// No budget: nil removes the limit.
	srv.setReply(always(503, nil))
	n := srv.count()
	for range 30 {
		do(t, c, runtime.NewRequest(listPets, "/"), runtime.WithoutRetryBudget())
	}
	if srv.count()-n != 90 {
		t.Errorf("unlimited budget: %d requests for 30 calls", srv.count()-n)
	}
}

func TestMiddlewareOrder(t *testing.T) {
	srv := newScript(t, failFirst(1, 503, nil))
	var trace []string
	mw := func(name string) runtime.Middleware {
		return func(req *http.Request, next runtime.Doer) (*http.Response, error) {
			trace = append(trace, name+">")
			resp, err := next.Do(req)
			trace = append(trace, "<"+name)
			return resp, err
		}
	}
	schemes := []auth.SecurityScheme{{Name: "bearer", Type: "http", Scheme: "bearer"}}
	op := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{"bearer"}}}
	var sawAuth bool
	checkAuth := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		sawAuth = req.Header.Get("Authorization") == "Bearer tok"
		return next.Do(req)
	}
	c := mustClient(t, srv.URL, schemes, newFakeClock().option(),
		runtime.WithCredential("bearer", auth.BearerToken("tok")),
		runtime.WithMiddleware(mw("a"), mw("b")), runtime.WithMiddleware(checkAuth))
	do(t, c, runtime.NewRequest(op, "/"), runtime.WithMiddleware(mw("call")))
	once := []string{"a>", "b>", "call>", "<call", "<b", "<a"}
	if want := append(slices.Clone(once), once...); !slices.Equal(trace, want) {
		t.Errorf("trace %v\nwant  %v", trace, want)
	}
	if !sawAuth {
		t.Error("middleware did not see the credentials")
	}
	// Per-call middleware does not stick to the client.
	trace = nil
	do(t, c, runtime.NewRequest(op, "/"))
	if want := []string{"a>", "b>", "<b", "<a"}; !slices.Equal(trace, want) {
		t.Errorf("second call trace %v", trace)
	}
	// A middleware may answer without calling next.
	n := srv.count()
	stub := func(*http.Request, runtime.Doer) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody}, nil
	}
	if resp := do(t, c, runtime.NewRequest(op, "/"), runtime.WithMiddleware(stub)); resp.StatusCode != 204 || srv.count() != n {
		t.Errorf("short-circuit: %d", resp.StatusCode)
	}
	// Neither response nor error is an error, not a panic.
	bad := func(*http.Request, runtime.Doer) (*http.Response, error) { return nil, nil }
	if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/"), runtime.WithMiddleware(bad), runtime.WithMaxRetries(0)); err == nil {
		t.Error("nil response: want error")
	}
}

func TestRetriesExhaustedTransportError(t *testing.T) {
	dead := newScript(t, always(200, nil))
	dead.Close()
	clock := newFakeClock()
	c := mustClient(t, dead.URL, nil, clock.option(), noJitter)
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	if !errors.Is(err, runtime.ErrRetriesExhausted) || len(clock.recorded()) != 2 {
		t.Fatalf("err %v after waits %v", err, clock.recorded())
	}
	if !strings.HasSuffix(err.Error(), "(runtime: retries exhausted after 3 attempts)") {
		t.Errorf("message %q", err)
	}
	_ = fmt.Sprint(err) // must not panic
}
