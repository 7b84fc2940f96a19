// Package drifttest turns a partner's drift from its spec into a failing
// test: run a connector against a recorded exchange (Serve) or a live
// sandbox with Options, and every response value that does not decode
// into its type, every required member that is absent and every
// constraint of the spec that a response breaks (runtime.WithResponseValidation)
// fails the test with its operation, status and JSON pointer.
//
//	srv := drifttest.Serve(t, drifttest.Exchange{Status: 200, Body: recorded})
//	c, _ := petstore.New(srv, drifttest.Options(t))
//	_, _ = c.GetPet(ctx, petstore.GetPetRequest{PetID: 7}) // fails t on any drift
package drifttest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

// Options returns a client (or call) option that validates every decoded
// response against the spec (runtime.WithResponseValidation) and reports
// each drift event of the calls it applies to as a test error: t.Errorf
// with the operation, the status and each drift's pointer, expected type
// or constraint and what came (never the value).
func Options(t testing.TB) runtime.Option {
	obs := runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) {
		t.Helper()
		op := ""
		if e.Operation != nil {
			op = e.Operation.ID
		}
		for _, d := range e.Drift {
			t.Errorf("drift in %s (status %d) at %s: expected %s, got %s", op, e.StatusCode, d.Pointer, d.Expected, d.Got)
		}
		if e.Total > len(e.Drift) {
			t.Errorf("drift in %s (status %d): %d more", op, e.StatusCode, e.Total-len(e.Drift))
		}
	}}
	return func(s *runtime.Settings) {
		runtime.WithResponseValidation()(s)
		runtime.WithObserver(obs)(s)
	}
}

// Exchange is one recorded response: its status (0 means 200), headers
// (Content-Type defaults to application/json) and body.
type Exchange struct {
	Status int
	Header http.Header
	Body   string
}

// Serve starts a loopback server for the test that answers each request
// with the next of exchanges, the last one again once they run out, and
// returns its URL; it is closed when the test ends.
func Serve(t testing.TB, exchanges ...Exchange) string {
	t.Helper()
	if len(exchanges) == 0 {
		t.Fatal("drifttest.Serve: no exchange")
	}
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		ex := exchanges[min(n, len(exchanges)-1)]
		n++
		mu.Unlock()
		for k, v := range ex.Header {
			w.Header()[k] = v
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		status := ex.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(ex.Body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
