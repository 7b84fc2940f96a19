package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// TestHealth: calls through a client feed a Health; it turns unhealthy
// when more than half of the calls in its window fail, when responses
// drift, when a breaker opens or the probe fails, says why, serves that
// as a readiness check, and heals once the window has passed.
func TestHealth(t *testing.T) {
	var mode atomic.Value
	mode.Store("ok")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch mode.Load() {
		case "fail":
			w.WriteHeader(http.StatusBadGateway)
		case "drift":
			w.Write([]byte(`{"id":"seven","name":"rex"}`))
		default:
			w.Write([]byte(`{"id":7,"name":"rex"}`))
		}
	}))
	defer srv.Close()
	var mu sync.Mutex
	now := time.Unix(1_000_000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	h := &runtime.Health{Now: clock, Window: time.Minute}
	c, err := runtime.NewClient(srv.URL, nil, runtime.WithObserver(h.Observer()), runtime.WithMaxRetries(0), runtime.WithoutCircuitBreaker())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	call := func(n int) {
		for range n {
			resp, err := c.Do(ctx, runtime.NewRequest(getDriftPet, "/pets/7"))
			if err == nil && resp.StatusCode == 200 {
				var v struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				}
				_ = rtimpl.DecodeJSON(resp, &v)
			}
		}
	}
	call(12)
	if err := h.Check(ctx); err != nil {
		t.Fatalf("healthy partner: %v", err)
	}
	mode.Store("fail")
	call(15)
	err = h.Check(ctx)
	if !errors.Is(err, runtime.ErrUnhealthy) || !strings.Contains(err.Error(), "15 of 27 calls failed") {
		t.Fatalf("failing partner: %v", err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	var rep runtime.HealthReport
	if rec.Code != 503 || json.Unmarshal(rec.Body.Bytes(), &rep) != nil || rep.Failed != 15 || len(rep.Reasons) != 1 {
		t.Errorf("readiness: %d %s", rec.Code, rec.Body)
	}

	advance(2 * time.Minute) // the window has passed
	mode.Store("drift")
	call(10)
	if err := h.Check(ctx); err == nil || !strings.Contains(err.Error(), "10 of 10 responses drifted") {
		t.Errorf("drifting partner: %v", err)
	}
	advance(2 * time.Minute)
	mode.Store("ok")
	call(10)
	if err := h.Check(ctx); err != nil {
		t.Errorf("healed partner: %v", err)
	}
	h.Probe = func(context.Context) error { return errors.New("status endpoint down") }
	if err := h.Check(ctx); err == nil || !strings.Contains(err.Error(), "probe: status endpoint down") {
		t.Errorf("probe failing: %v", err)
	}
	h.Probe = nil
	h.Observer().BreakerStateChange(ctx, "api.example.com", runtime.BreakerClosed, runtime.BreakerOpen)
	if err := h.Check(ctx); err == nil || !strings.Contains(err.Error(), "circuit breaker api.example.com open") {
		t.Errorf("open breaker: %v", err)
	}
}
