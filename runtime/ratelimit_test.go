package runtime_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

func TestRateLimitPauseHeaders(t *testing.T) {
	now := epoch
	cases := []struct {
		status int
		h      map[string]string
		want   time.Duration
	}{
		{429, map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{429, map[string]string{"Retry-After-Ms": "250", "Retry-After": "3"}, 250 * time.Millisecond},
		{429, map[string]string{"Retry-After": now.Add(4 * time.Second).Format(http.TimeFormat)}, 4 * time.Second},
		{503, map[string]string{"Retry-After": "3"}, 0}, // overload: the breaker's business
		{429, nil, 0},
		{200, map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "5"}, 5 * time.Second},
		{200, map[string]string{"RateLimit-Remaining": "1", "RateLimit-Reset": "5"}, 0},
		{200, map[string]string{"RateLimit": `"default";r=0;t=7`}, 7 * time.Second},
		{200, map[string]string{"RateLimit": `limit=100, remaining=0, reset=9`}, 9 * time.Second},
		{200, map[string]string{"RateLimit": `"default";r=3;t=7`}, 0},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(90*time.Second).Unix(), 10)}, 90 * time.Second},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(2*time.Second).UnixMilli(), 10)}, 2 * time.Second},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "12"}, 12 * time.Second},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1.5", "X-RateLimit-Reset": "12"}, 1500 * time.Millisecond},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(-time.Minute).Unix(), 10)}, 0},
		{200, map[string]string{"X-RateLimit-Remaining": "junk", "X-RateLimit-Reset": "12"}, 0},
		// Overflowing and absurd values saturate to [0, MaxServerDelay].
		{200, map[string]string{"RateLimit": "r=0,t=9227000000"}, runtime.MaxServerDelay},
		{200, map[string]string{"RateLimit": "r=0,t=99999999999999999999999"}, runtime.MaxServerDelay},
		{200, map[string]string{"RateLimit": "r=0,t=-5"}, 0},
		{200, map[string]string{"RateLimit": "r=-99999999999999999999,t=30"}, 30 * time.Second},
		{200, map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "9223372036854775807"}, runtime.MaxServerDelay},
		{200, map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "999999999"}, runtime.MaxServerDelay},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "99999999999999"}, runtime.MaxServerDelay}, // Unix ms, year 5138
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "-3"}, 0},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1e300"}, runtime.MaxServerDelay},
		{200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "+Inf"}, runtime.MaxServerDelay},
		{429, map[string]string{"Retry-After": "9223372036854775807"}, runtime.MaxServerDelay},
		{429, map[string]string{"Retry-After-Ms": "1e19"}, runtime.MaxServerDelay},
	}
	for _, tc := range cases {
		h := http.Header{}
		for k, v := range tc.h {
			h.Set(k, v)
		}
		r := &runtime.Response{StatusCode: tc.status, Header: h}
		if got := r.RateLimitPause(now); got != tc.want {
			t.Errorf("%d %v: pause %v, want %v", tc.status, tc.h, got, tc.want)
		}
	}
}

func TestRateLimiterFollowsTheServer(t *testing.T) {
	checkGoroutines(t)
	headers := make(chan map[string]string, 10)
	srv := newScript(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		status := 200
		select {
		case h := <-headers:
			for k, v := range h {
				if k == "status" {
					status, _ = strconv.Atoi(v)
					continue
				}
				w.Header().Set(k, v)
			}
		default:
		}
		w.WriteHeader(status)
	})
	clock := newFakeClock()
	c := mustClient(t, srv.URL, nil, clock.option(), runtime.WithMaxRetries(0))
	call := func() int {
		t.Helper()
		return do(t, c, runtime.NewRequest(listPets, "/")).StatusCode
	}
	// A 429 with Retry-After holds the next call back (the default limiter).
	headers <- map[string]string{"status": "429", "Retry-After": "2"}
	if call() != 429 || call() != 200 || !slices.Equal(clock.recorded(), []time.Duration{2 * time.Second}) {
		t.Fatalf("after 429: waits %v", clock.recorded())
	}
	// A spent quota holds calls back until it resets.
	headers <- map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "5"}
	call()
	call()
	call()
	if got := clock.recorded(); !slices.Equal(got, []time.Duration{2 * time.Second, 5 * time.Second}) {
		t.Fatalf("after a spent quota: waits %v", got)
	}
	// Per call the limiter can be turned off.
	headers <- map[string]string{"RateLimit-Remaining": "0", "RateLimit-Reset": "5"}
	call()
	do(t, c, runtime.NewRequest(listPets, "/"), runtime.WithoutRateLimit())
	if got := clock.recorded(); len(got) != 2 {
		t.Fatalf("without limiter: waits %v", got)
	}
}

func TestRateLimiterStaticPaceAndAdaptation(t *testing.T) {
	srv := newScript(t, always(200, nil))
	clock := newFakeClock()
	c := mustClient(t, srv.URL, nil, clock.option(), runtime.WithRateLimit(runtime.RateLimit{Rate: 10, Burst: 1}))
	for range 4 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	ms := 100 * time.Millisecond
	if got := clock.recorded(); !slices.Equal(got, []time.Duration{ms, ms, ms}) {
		t.Fatalf("10/s: waits %v", got)
	}
	// A 429 halves the pace; later successes bring it back by 1/20 each.
	srv.setReply(failFirst(srv.count()+1, 429, nil))
	clock = newFakeClock()
	c = mustClient(t, srv.URL, nil, clock.option(), runtime.WithMaxRetries(0), runtime.WithRateLimit(runtime.RateLimit{Rate: 10, Burst: 1}))
	do(t, c, runtime.NewRequest(listPets, "/")) // 429
	do(t, c, runtime.NewRequest(listPets, "/")) // waits 1/5 s
	do(t, c, runtime.NewRequest(listPets, "/")) // waits 1/5.5 s
	got := clock.recorded()
	if len(got) != 2 || got[0] != 200*time.Millisecond || got[1] < 180*time.Millisecond || got[1] > 182*time.Millisecond {
		t.Errorf("after a 429: waits %v", got)
	}

	// A server quota policy lowers the pace: 2 per second, burst 2.
	srv.setReply(func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("RateLimit-Policy", `"default";q=2;w=1`)
	})
	clock = newFakeClock()
	c = mustClient(t, srv.URL, nil, clock.option())
	for range 5 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	// The first response teaches the policy (one token spent since), then 1 left, then 1 every 500 ms.
	if got := clock.recorded(); !slices.Equal(got, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}) {
		t.Errorf("q=2;w=1: waits %v", got)
	}
}

func TestRateLimitedBeforeDeadline(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, failFirst(1, 429, map[string]string{"Retry-After": "2"}))
	// The real clock.
	c, err := runtime.NewClient(srv.URL, nil, runtime.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	do(t, c, runtime.NewRequest(listPets, "/"))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Do(ctx, runtime.NewRequest(createPet, "/pets"))
	var rle *runtime.RateLimitError
	if !errors.Is(err, runtime.ErrRateLimited) || !errors.As(err, &rle) || rle.Wait < time.Second || time.Since(start) > 100*time.Millisecond || srv.count() != 1 {
		t.Errorf("err %v after %v, %d requests", err, time.Since(start), srv.count())
	}
	// Without a deadline the wait ends when the context does.
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel2)
	if _, err := c.Do(ctx2, runtime.NewRequest(listPets, "/")); !errors.Is(err, context.Canceled) || time.Since(start) > time.Second || srv.count() != 1 {
		t.Errorf("canceled wait: %v", err)
	}
	// MaxWait: a wait longer than it fails at once.
	clock := newFakeClock()
	srv.setReply(always(429, map[string]string{"Retry-After": "120"}))
	c2 := mustClient(t, srv.URL, nil, clock.option(), runtime.WithMaxRetries(0), runtime.WithRateLimit(runtime.RateLimit{MaxWait: time.Minute}))
	do(t, c2, runtime.NewRequest(listPets, "/"))
	if _, err := c2.Do(context.Background(), runtime.NewRequest(listPets, "/")); !errors.Is(err, runtime.ErrRateLimited) || len(clock.recorded()) != 0 {
		t.Errorf("beyond MaxWait: %v, waits %v", err, clock.recorded())
	}
}

// recordingLimiter is a Limiter that records what it is asked.
type recordingLimiter struct {
	mu       sync.Mutex
	waits    []string
	observed []string
}

func (l *recordingLimiter) Wait(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, key)
	return nil
}

func (l *recordingLimiter) Observe(key string, resp *runtime.Response) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observed = append(l.observed, key+" "+strconv.Itoa(resp.StatusCode))
}

func TestCustomLimiterAndKey(t *testing.T) {
	srv := newScript(t, failFirst(1, 503, nil))
	l := &recordingLimiter{}
	c := mustClient(t, srv.URL, nil, runtime.WithRateLimiter(l),
		runtime.WithRateLimitKey(func(op *runtime.Operation, _ string) string { return "op:" + op.ID }))
	do(t, c, runtime.NewRequest(listPets, "/"))
	if !slices.Equal(l.waits, []string{"op:listPets", "op:listPets"}) || !slices.Equal(l.observed, []string{"op:listPets 503", "op:listPets 200"}) {
		t.Errorf("waits %v, observed %v", l.waits, l.observed)
	}
}
