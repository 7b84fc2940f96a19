package runtime_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

// TestNewTransportValues pins the default transport's settings.
func TestNewTransportValues(t *testing.T) {
	tr := runtime.NewTransport()
	if tr.MaxIdleConnsPerHost != 256 || tr.MaxIdleConns != 1024 || tr.IdleConnTimeout != 90*time.Second ||
		!tr.ForceAttemptHTTP2 || tr.TLSHandshakeTimeout != 10*time.Second || tr.ResponseHeaderTimeout != 0 ||
		tr.MaxConnsPerHost != 0 || tr.Proxy == nil || tr.DialContext == nil || tr.ExpectContinueTimeout != time.Second {
		t.Errorf("NewTransport: %+v", tr)
	}
	if tr == http.DefaultTransport || runtime.NewTransport() == tr {
		t.Error("NewTransport must return a new transport each time")
	}
	if dt := http.DefaultTransport.(*http.Transport); dt.MaxIdleConnsPerHost != 0 {
		t.Errorf("http.DefaultTransport modified: MaxIdleConnsPerHost %d", dt.MaxIdleConnsPerHost)
	}
}

// TestDefaultTransportReusesConnections: 64 concurrent calls through a
// client without WithHTTPClient open about 64 connections once and reuse
// them (http.DefaultTransport keeps 2 idle per host and opens new ones).
func TestDefaultTransportReusesConnections(t *testing.T) {
	checkGoroutines(t)
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(time.Millisecond)
		w.Write([]byte(`{}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := mustClient(t, srv.URL, nil)
	const workers, rounds = 64, 20
	run := func() {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for range rounds {
					if _, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/")); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	run() // warm-up: dials race at first, so a few more than 64 may open
	if n := conns.Load(); n > 2*workers {
		t.Errorf("warm-up: %d calls opened %d connections; want at most %d", workers*rounds, n, 2*workers)
	}
	conns.Store(0)
	run() // steady state: the idle pool holds every connection
	if n := conns.Load(); n > 4 {
		t.Errorf("steady state: %d calls opened %d new connections; want about 0", workers*rounds, n)
	}
}

// TestUserClientNeverModified: a client given with WithHTTPClient, and its
// transport, are the same objects with the same fields after calls.
func TestUserClientNeverModified(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.Write([]byte(`{}`))
	})
	tr := &http.Transport{MaxIdleConnsPerHost: 3, IdleConnTimeout: 7 * time.Second}
	redirects := 0
	hc := &http.Client{Transport: tr, Timeout: 9 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		redirects++
		return nil
	}}
	t.Cleanup(tr.CloseIdleConnections)
	before := *hc
	trBefore := tr.Clone()
	c := mustClient(t, srv.URL, nil, runtime.WithHTTPClient(hc))
	for range 3 {
		do(t, c, runtime.NewRequest(listPets, "/"))
	}
	if hc.Transport != tr || hc.Timeout != before.Timeout || hc.Jar != before.Jar ||
		reflect.ValueOf(hc.CheckRedirect).Pointer() != reflect.ValueOf(before.CheckRedirect).Pointer() {
		t.Errorf("client modified: %+v, was %+v", *hc, before)
	}
	if tr.MaxIdleConnsPerHost != trBefore.MaxIdleConnsPerHost || tr.IdleConnTimeout != trBefore.IdleConnTimeout ||
		tr.MaxIdleConns != trBefore.MaxIdleConns || tr.ForceAttemptHTTP2 != trBefore.ForceAttemptHTTP2 ||
		tr.TLSHandshakeTimeout != trBefore.TLSHandshakeTimeout || tr.DisableKeepAlives != trBefore.DisableKeepAlives {
		t.Errorf("transport modified")
	}
	if redirects != 1 || srv.count() != 4 {
		t.Errorf("the user's CheckRedirect ran %d times; %d requests", redirects, srv.count())
	}
}

// TestAttemptTimeoutError: the per-attempt timeout has its own error, which
// still matches context.DeadlineExceeded; the caller's deadline does not
// match it.
func TestAttemptTimeoutError(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, func(_ int, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := mustClient(t, srv.URL, nil, runtime.WithMaxRetries(0), runtime.WithoutCircuitBreaker())

	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"), runtime.WithTimeout(30*time.Millisecond))
	var te *runtime.AttemptTimeoutError
	var ue *url.Error
	if !errors.Is(err, runtime.ErrAttemptTimeout) || !errors.Is(err, context.DeadlineExceeded) ||
		!errors.As(err, &te) || te.Timeout != 30*time.Millisecond || te.Attempt != 1 || !errors.As(err, &ue) {
		t.Fatalf("per-attempt timeout: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "listPets: GET http://") || !strings.Contains(err.Error(), "attempt 1 timed out after 30ms") {
		t.Errorf("message %q", err)
	}

	// Retried: the last attempt's number is reported, and the give-up is
	// wrapped around it.
	_, err = c.Do(context.Background(), runtime.NewRequest(listPets, "/"), runtime.WithTimeout(20*time.Millisecond),
		runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond}))
	if !errors.As(err, &te) || te.Attempt != 2 || !errors.Is(err, runtime.ErrRetriesExhausted) {
		t.Errorf("retried timeouts: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = c.Do(ctx, runtime.NewRequest(listPets, "/"), runtime.WithTimeout(5*time.Second))
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, runtime.ErrAttemptTimeout) || errors.As(err, &te) {
		t.Errorf("caller's deadline: %v", err)
	}

	// A streamed response whose headers do not come in time.
	r := runtime.NewRequest(listPets, "/")
	r.StreamResponse()
	_, err = c.Do(context.Background(), r, runtime.WithTimeout(30*time.Millisecond))
	if !errors.Is(err, runtime.ErrAttemptTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("streamed: %v", err)
	}
}

// TestGiveUpMessageSingular: "after 1 attempt", not "after 1 attempts".
func TestGiveUpMessageSingular(t *testing.T) {
	srv := newScript(t, always(503, nil))
	c := mustClient(t, srv.URL, nil, runtime.WithRetryBudget(runtime.NewRetryBudget(0)))
	err := do(t, c, runtime.NewRequest(listPets, "/")).Error(nil)
	if !errors.Is(err, runtime.ErrRetryBudgetExhausted) || !strings.HasSuffix(err.Error(), "(runtime: retry budget exhausted after 1 attempt)") {
		t.Errorf("message %q", err)
	}
}
