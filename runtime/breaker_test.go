package runtime_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/sony/gobreaker/v2"
)

// transitions records breaker state changes.
type transitions struct {
	mu  sync.Mutex
	got []string
}

func (tr *transitions) hook(name string, from, to runtime.BreakerState) {
	tr.mu.Lock()
	tr.got = append(tr.got, from.String()+">"+to.String())
	tr.mu.Unlock()
}

func (tr *transitions) list() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return strings.Join(tr.got, " ")
}

func hostOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func TestBreakerOpensOnFailuresAndFailsFast(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, always(503, nil))
	var hook, seen transitions
	obs := runtime.Observer{BreakerStateChange: func(_ context.Context, name string, from, to runtime.BreakerState) {
		seen.hook(name, from, to)
	}}
	c := mustClient(t, srv.URL, nil, newFakeClock().option(), runtime.WithObserver(obs),
		runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 10}),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 5, OnStateChange: hook.hook}))

	// One call retries until the 5th consecutive failure opens the breaker,
	// then stops: the 503 comes back marked ErrCircuitOpen.
	resp := do(t, c, runtime.NewRequest(listPets, "/"))
	err := resp.Error(nil)
	var ae *runtime.APIError
	if srv.count() != 5 || resp.Attempts != 5 || !errors.Is(err, runtime.ErrCircuitOpen) || !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("%d requests, %d attempts, err %v", srv.count(), resp.Attempts, err)
	}
	if hook.list() != "closed>open" || seen.list() != "closed>open" {
		t.Errorf("transitions: hook %q, observer %q", hook.list(), seen.list())
	}
	if st, ok := c.BreakerState(hostOf(t, srv.URL)); !ok || st != runtime.BreakerOpen {
		t.Errorf("BreakerState = %v, %v", st, ok)
	}

	// The next call fails at once, without a request.
	_, err = c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	var coe *runtime.CircuitOpenError
	if !errors.Is(err, runtime.ErrCircuitOpen) || !errors.Is(err, gobreaker.ErrOpenState) || !errors.As(err, &coe) ||
		coe.Breaker != hostOf(t, srv.URL) || coe.State != runtime.BreakerOpen || srv.count() != 5 {
		t.Fatalf("open breaker: %v after %d requests", err, srv.count())
	}
	if !strings.HasPrefix(err.Error(), "listPets: GET http://") {
		t.Errorf("message %q", err)
	}
	// Errors are typed: a POST gets the same.
	if _, err := c.Do(context.Background(), runtime.NewRequest(createPet, "/pets")); !errors.Is(err, runtime.ErrCircuitOpen) {
		t.Errorf("POST: %v", err)
	}
}

func TestBreakerIgnoresClientErrors(t *testing.T) {
	srv := newScript(t, always(404, nil))
	c := mustClient(t, srv.URL, nil)
	for range 12 {
		if resp := do(t, c, runtime.NewRequest(listPets, "/")); resp.StatusCode != 404 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	srv.setReply(always(429, nil))
	for range 3 { // 429 is retried twice: 9 attempts, none counted as failures
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerClosed || srv.count() != 21 {
		t.Errorf("after 4xx: %v, %d requests", st, srv.count())
	}
	// Four 5xx then a 404: the success resets the run of failures.
	srv.reset()
	srv.setReply(func(n int, w http.ResponseWriter, r *http.Request) {
		if n%5 == 0 {
			w.WriteHeader(404)
			return
		}
		w.WriteHeader(500)
	})
	c = mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 5}))
	for range 20 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerClosed || srv.count() != 20 {
		t.Errorf("4 failures between successes: %v, %d requests", st, srv.count())
	}
}

func TestBreakerHalfOpenProbe(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, always(500, nil))
	var tr transitions
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithCircuitBreaker(runtime.BreakerSettings{
		ConsecutiveFailures: 2, OpenTimeout: 100 * time.Millisecond, OpenJitter: -1, HalfOpenRequests: 1, OnStateChange: tr.hook,
	}))
	for range 2 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/")); !errors.Is(err, runtime.ErrCircuitOpen) {
		t.Fatalf("not open: %v", err)
	}
	// After OpenTimeout one probe goes; it fails and the breaker opens again.
	time.Sleep(120 * time.Millisecond)
	if resp := do(t, c, runtime.NewRequest(listPets, "/")); resp.StatusCode != 500 || srv.count() != 3 {
		t.Fatalf("probe: %d after %d requests", resp.StatusCode, srv.count())
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/")); !errors.Is(err, runtime.ErrCircuitOpen) {
		t.Fatalf("failed probe did not reopen: %v", err)
	}
	// The next probe is slow and succeeds; calls meanwhile are refused
	// (half-open, busy); its success closes the breaker.
	time.Sleep(120 * time.Millisecond)
	probing := make(chan struct{})
	release := make(chan struct{})
	srv.setReply(func(_ int, w http.ResponseWriter, _ *http.Request) {
		close(probing)
		<-release
		w.Write([]byte(`{}`))
	})
	done := make(chan *runtime.Response)
	go func() {
		resp, _ := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
		done <- resp
	}()
	<-probing
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	var coe *runtime.CircuitOpenError
	if !errors.As(err, &coe) || coe.State != runtime.BreakerHalfOpen || !errors.Is(err, gobreaker.ErrTooManyRequests) {
		t.Errorf("during the probe: %v", err)
	}
	close(release)
	if resp := <-done; resp == nil || resp.StatusCode != 200 {
		t.Fatalf("probe: %v", resp)
	}
	srv.setReply(always(200, nil))
	do(t, c, runtime.NewRequest(listPets, "/"))
	want := "closed>open open>half-open half-open>open open>half-open half-open>closed"
	if got := tr.list(); got != want {
		t.Errorf("transitions %q, want %q", got, want)
	}
}

func TestBreakerCountsTimeoutsAndConnectionErrors(t *testing.T) {
	checkGoroutines(t)
	hang := newScript(t, func(_ int, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := mustClient(t, hang.URL, nil, runtime.WithTimeout(20*time.Millisecond), runtime.WithMaxRetries(5),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 3}))
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, runtime.ErrCircuitOpen) || hang.count() != 3 {
		t.Errorf("timeouts: %v after %d requests", err, hang.count())
	}

	dead := newScript(t, always(200, nil))
	dead.Close()
	c = mustClient(t, dead.URL, nil, runtime.WithMaxRetries(5), runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 3}))
	_, err = c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	if !errors.Is(err, runtime.ErrCircuitOpen) {
		t.Errorf("refused: %v", err)
	}
	_, err = c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	var coe *runtime.CircuitOpenError
	if !errors.As(err, &coe) {
		t.Errorf("refused, then: %v", err)
	}
}

func TestBreakerIgnoresCallerCancellation(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, func(_ int, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := mustClient(t, srv.URL, nil, runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 1}))
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		_, err := c.Do(ctx, runtime.NewRequest(listPets, "/"))
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, runtime.ErrCircuitOpen) {
			t.Errorf("err = %v", err)
		}
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerClosed {
		t.Errorf("state %v after the caller's own deadlines", st)
	}
}

func TestBreakerPerOperationClass(t *testing.T) {
	srv := newScript(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/reports") {
			w.WriteHeader(503)
			return
		}
		w.Write([]byte(`{}`))
	})
	reports := &runtime.Operation{ID: "getReport", Method: "GET", Path: "/reports"}
	class := func(op *runtime.Operation, host string) string {
		if strings.HasPrefix(op.Path, "/reports") {
			return host + "/reports"
		}
		return host
	}
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithCircuitBreaker(runtime.BreakerSettings{Key: class, MinRequests: 5}))
	for range 5 {
		do(t, c, runtime.NewRequest(reports, "/reports"))
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(reports, "/reports")); !errors.Is(err, runtime.ErrCircuitOpen) {
		t.Errorf("reports: %v", err)
	}
	if resp := do(t, c, runtime.NewRequest(listPets, "/pets")); resp.StatusCode != 200 {
		t.Errorf("pets: %d", resp.StatusCode)
	}
	if st, ok := c.BreakerState(hostOf(t, srv.URL) + "/reports"); !ok || st != runtime.BreakerOpen {
		t.Errorf("reports breaker %v %v", st, ok)
	}
	// Per call: no breaker at all.
	if resp := do(t, c, runtime.NewRequest(reports, "/reports"), runtime.WithoutCircuitBreaker()); resp.StatusCode != 503 {
		t.Errorf("without breaker: %d", resp.StatusCode)
	}
}

// TestBreakerSharing: clients share breakers only when given one
// [runtime.Breakers]; one WithCircuitBreaker value given to two clients
// makes two sets.
func TestBreakerSharing(t *testing.T) {
	srv := newScript(t, always(502, nil))
	cfg := runtime.BreakerSettings{ConsecutiveFailures: 2,
		ReadyToTrip: func(c runtime.BreakerCounts) bool { return c.TotalFailures >= 4 }}
	shared := runtime.NewBreakers(cfg)
	a := mustClient(t, srv.URL, nil, runtime.WithBreakers(shared), runtime.WithMaxRetries(0))
	b := mustClient(t, srv.URL, nil, runtime.WithBreakers(shared), runtime.WithMaxRetries(0))
	for range 2 {
		do(t, a, runtime.NewRequest(listPets, "/"))
		do(t, b, runtime.NewRequest(listPets, "/"))
	}
	if _, err := a.Do(context.Background(), runtime.NewRequest(listPets, "/")); !errors.Is(err, runtime.ErrCircuitOpen) || srv.count() != 4 {
		t.Errorf("shared breaker after 4 failures (ReadyToTrip): %v, %d requests", err, srv.count())
	}
	if st, ok := shared.State(hostOf(t, srv.URL)); !ok || st != runtime.BreakerOpen {
		t.Errorf("Breakers.State = %v, %v; want open", st, ok)
	}

	srv2 := newScript(t, always(502, nil))
	opt := runtime.WithCircuitBreaker(cfg)
	c := mustClient(t, srv2.URL, nil, opt, runtime.WithMaxRetries(0))
	d := mustClient(t, srv2.URL, nil, opt, runtime.WithMaxRetries(0))
	for range 2 {
		do(t, c, runtime.NewRequest(listPets, "/"))
		do(t, d, runtime.NewRequest(listPets, "/"))
	}
	if resp := do(t, c, runtime.NewRequest(listPets, "/")); resp.StatusCode != 502 || srv2.count() != 5 {
		t.Errorf("one WithCircuitBreaker value shared state between clients: status %d, %d requests", resp.StatusCode, srv2.count())
	}
	if runtime.WithBreakers(nil) == nil {
		t.Error("WithBreakers(nil) is a nil Option")
	}
}

// TestBreakerDefaultToleratesScatteredFailures pins the default policy: a
// partner failing one answer in five stays reachable (5 consecutive
// failures, the former default, come every few thousand calls at that
// rate); the breaker opens once failures reach half of the attempts counted
// in the rolling window.
func TestBreakerDefaultToleratesScatteredFailures(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n%5 == 4 {
			w.WriteHeader(500)
			return
		}
		w.Write([]byte(`{}`))
	})
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0))
	for range 200 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerClosed {
		t.Fatalf("20 %% failures opened the default breaker: %v", st)
	}
	// 160 successes and 40 failures in the window: 120 more failures make
	// half, and the breaker opens on the last of them.
	srv.setReply(always(500, nil))
	for range 120 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	if !errors.Is(err, runtime.ErrCircuitOpen) || srv.count() != 320 {
		t.Fatalf("after 120 more failures: %v, %d requests", err, srv.count())
	}
}

// TestBreakerVerdicts pins what counts: 429 and a 5xx carrying Retry-After
// are the partner asking to slow down (not counted), 4xx other than
// 408/429 are the caller's problem (successes), 408 and a bare 5xx fail.
func TestBreakerVerdicts(t *testing.T) {
	cases := []struct {
		name   string
		status int
		header map[string]string
		opens  bool
	}{
		{"503 Retry-After", 503, map[string]string{"Retry-After": "0"}, false},
		{"503 Retry-After-Ms", 503, map[string]string{"Retry-After-Ms": "0", "X-Should-Retry": "false"}, false},
		{"429", 429, nil, false},
		{"404", 404, nil, false},
		{"400", 400, nil, false},
		{"501", 501, nil, false},
		{"408", 408, nil, true},
		{"503", 503, nil, true},
		{"500", 500, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScript(t, always(tc.status, tc.header))
			c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithoutRateLimit(),
				runtime.WithCircuitBreaker(runtime.BreakerSettings{MinRequests: 10}))
			for range 10 {
				do(t, c, runtime.NewRequest(listPets, "/"))
			}
			_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
			if got := errors.Is(err, runtime.ErrCircuitOpen); got != tc.opens {
				t.Errorf("10 x %d %v: open = %v (%v), want %v", tc.status, tc.header, got, err, tc.opens)
			}
		})
	}
	// Not counted means not diluting either: 30 slow-downs, then 10 bare
	// 503s are 100 % of the counted attempts.
	srv := newScript(t, always(429, nil))
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithoutRateLimit(),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{MinRequests: 10}))
	for range 30 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	srv.setReply(always(503, nil))
	for range 10 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/")); !errors.Is(err, runtime.ErrCircuitOpen) || srv.count() != 40 {
		t.Errorf("after 30 x 429 and 10 x 503: %v, %d requests", err, srv.count())
	}
}

// TestBreakerRollingWindow: failures older than the window age out.
func TestBreakerRollingWindow(t *testing.T) {
	srv := newScript(t, always(500, nil))
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{MinRequests: 10, Window: 200 * time.Millisecond}))
	for range 9 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	time.Sleep(300 * time.Millisecond) // the 9 failures leave the window
	for range 9 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerClosed {
		t.Fatalf("9 + 9 failures 300 ms apart in a 200 ms window: %v", st)
	}
	do(t, c, runtime.NewRequest(listPets, "/"))
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerOpen {
		t.Fatalf("10 failures within the window: %v", st)
	}
}

// TestBreakerHalfOpenProbesDefault: a half-open default breaker lets 3
// probes through at once, refuses a 4th, and closes when all 3 succeed.
func TestBreakerHalfOpenProbesDefault(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, always(500, nil))
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithCircuitBreaker(runtime.BreakerSettings{
		MinRequests: 2, OpenTimeout: 50 * time.Millisecond, OpenJitter: -1,
	}))
	for range 2 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerOpen {
		t.Fatalf("not open: %v", st)
	}
	time.Sleep(70 * time.Millisecond)
	arrived := make(chan struct{}, 3)
	release := make(chan struct{})
	srv.setReply(func(_ int, w http.ResponseWriter, _ *http.Request) {
		arrived <- struct{}{}
		<-release
		w.Write([]byte(`{}`))
	})
	var wg sync.WaitGroup
	statuses := make(chan int, 3)
	for range 3 {
		wg.Go(func() {
			resp, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
			if err != nil {
				t.Errorf("probe: %v", err)
				statuses <- 0
				return
			}
			statuses <- resp.StatusCode
		})
	}
	for range 3 {
		<-arrived
	}
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	var coe *runtime.CircuitOpenError
	if !errors.As(err, &coe) || coe.State != runtime.BreakerHalfOpen {
		t.Errorf("4th call while 3 probes are under way: %v", err)
	}
	close(release)
	wg.Wait()
	for range 3 {
		if st := <-statuses; st != 200 {
			t.Errorf("probe status %d", st)
		}
	}
	if st, _ := c.BreakerState(hostOf(t, srv.URL)); st != runtime.BreakerClosed {
		t.Errorf("after 3 successful probes: %v", st)
	}
}
