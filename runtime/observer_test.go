package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// eventLog records observer events as text.
type eventLog struct {
	mu  sync.Mutex
	got []string
}

func (l *eventLog) add(format string, args ...any) {
	l.mu.Lock()
	l.got = append(l.got, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *eventLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.got, "\n")
}

func (l *eventLog) observer() runtime.Observer {
	return runtime.Observer{
		Attempt: func(_ context.Context, e runtime.AttemptEvent) {
			l.add("attempt %s %s #%d status=%d err=%v retry=%v in=%v", e.Operation.ID, e.Operation.Method, e.Attempt, e.StatusCode, e.Err != nil, e.Retry, e.RetryIn)
		},
		Call: func(_ context.Context, e runtime.CallEvent) {
			l.add("call %s attempts=%d status=%d err=%v", e.Operation.ID, e.Attempts, e.StatusCode, e.Err != nil)
		},
		BreakerStateChange: func(_ context.Context, _ string, from, to runtime.BreakerState) {
			l.add("breaker %v>%v", from, to)
		},
		LimiterWait: func(_ context.Context, e runtime.LimiterEvent) {
			l.add("limiter %s waited=%v rateLimited=%v", e.Operation.ID, e.Waited, errors.Is(e.Err, runtime.ErrRateLimited))
		},
	}
}

func TestObserverEvents(t *testing.T) {
	srv := newScript(t, failFirst(1, 503, nil))
	clock := newFakeClock()
	var l eventLog
	c := mustClient(t, srv.URL, nil, clock.option(), noJitter, runtime.WithObserver(l.observer()),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 2}))
	do(t, c, runtime.NewRequest(listPets, "/"))
	srv.setReply(always(429, map[string]string{"Retry-After": "3"}))
	do(t, c, runtime.NewRequest(listPets, "/"), runtime.WithMaxRetries(0))
	srv.setReply(always(500, nil))
	do(t, c, runtime.NewRequest(listPets, "/"))
	want := strings.Join([]string{
		"attempt listPets GET #1 status=503 err=false retry=true in=500ms",
		"attempt listPets GET #2 status=200 err=false retry=false in=0s",
		"call listPets attempts=2 status=200 err=false",
		"attempt listPets GET #1 status=429 err=false retry=false in=0s",
		"call listPets attempts=1 status=429 err=false",
		"limiter listPets waited=3s rateLimited=false",
		"attempt listPets GET #1 status=500 err=false retry=true in=500ms",
		"breaker closed>open",
		"attempt listPets GET #2 status=500 err=false retry=false in=0s",
		"call listPets attempts=2 status=500 err=false",
	}, "\n")
	if got := l.text(); got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
}

func TestAttemptFromContext(t *testing.T) {
	srv := newScript(t, failFirst(1, 503, nil))
	var mu sync.Mutex
	var seen []string
	mw := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		a, ok := runtime.AttemptFromContext(req.Context())
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%v %s #%d %s", ok, a.Operation.ID, a.Attempt, a.URL()))
		mu.Unlock()
		return next.Do(req)
	}
	schemes := []auth.SecurityScheme{{Name: "q", Type: "apiKey", In: "query", ParamName: "api_key"}}
	op := &runtime.Operation{ID: "listPets", Method: "GET", Security: [][]string{{"q"}}}
	c := mustClient(t, srv.URL, schemes, runtime.WithMiddleware(mw), runtime.WithCredential("q", auth.APIKey("s3cret")))
	r := runtime.NewRequest(op, "/pets")
	rtimpl.AddQuery(r, "limit", 5, rtimpl.StyleForm, true)
	do(t, c, r)
	want := []string{
		"true listPets #1 " + srv.URL + "/pets?limit=5",
		"true listPets #2 " + srv.URL + "/pets?limit=5",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("seen %q, want %q", seen, want)
	}
	if _, ok := runtime.AttemptFromContext(context.Background()); ok {
		t.Error("AttemptFromContext on a plain context")
	}
}
