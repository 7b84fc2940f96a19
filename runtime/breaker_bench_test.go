package runtime_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// BenchmarkDoResilience measures what the circuit breaker, the rate limiter
// and an observer add to Client.Do, on the same keep-alive loopback GET as
// BenchmarkDo: "bare" is net/http alone, "off" the runtime without breaker
// and limiter, "defaults" what NewClient gives (a breaker per host and the
// adaptive limiter), "paced" a token bucket (1e9/s, never waiting) plus an
// Observer with all hooks. Subtract "bare" for the runtime's own cost.
func BenchmarkDoResilience(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":42,"name":"Rex"}`)
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	op := &runtime.Operation{ID: "getPet", Method: "GET", Idempotent: true, Security: [][]string{{"headerKey"}}}
	obs := runtime.Observer{
		Attempt:            func(context.Context, runtime.AttemptEvent) {},
		Call:               func(context.Context, runtime.CallEvent) {},
		BreakerStateChange: func(context.Context, string, runtime.BreakerState, runtime.BreakerState) {},
		LimiterWait:        func(context.Context, runtime.LimiterEvent) {},
	}
	for _, bc := range []struct {
		name string
		opts []runtime.ClientOption
	}{
		{"off", []runtime.ClientOption{runtime.WithoutCircuitBreaker(), runtime.WithoutRateLimit()}},
		{"defaults", nil},
		{"paced", []runtime.ClientOption{runtime.WithRateLimit(runtime.RateLimit{Rate: 1e9, Burst: 1e6}), runtime.WithObserver(obs)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			opts := append([]runtime.ClientOption{runtime.WithHTTPClient(hc),
				runtime.WithCredential("headerKey", auth.APIKey("sk_test_123"))}, bc.opts...)
			c, err := runtime.NewClient(srv.URL, schemes, opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.Do(ctx, runtime.NewRequest(op, "/pets/42"))
				if err != nil || resp.StatusCode != 200 {
					b.Fatal(resp, err)
				}
			}
		})
	}
	b.Run("bare", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/pets/42", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-API-Key", "sk_test_123")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(resp.Status, err)
			}
		}
	})
}

// stubDoer answers every request at once, without a network.
type stubDoer struct{}

func (stubDoer) Do(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

// BenchmarkGateStub isolates the cost of the breaker and limiter in Do: the
// same call with a Doer that answers at once, off and with the defaults.
func BenchmarkGateStub(b *testing.B) {
	op := &runtime.Operation{ID: "getPet", Method: "GET", Idempotent: true}
	for _, bc := range []struct {
		name string
		opts []runtime.ClientOption
	}{
		{"off", []runtime.ClientOption{runtime.WithoutCircuitBreaker(), runtime.WithoutRateLimit()}},
		{"defaults", nil},
		{"paced", []runtime.ClientOption{runtime.WithRateLimit(runtime.RateLimit{Rate: 1e9, Burst: 1e6})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := runtime.NewClient("http://api.example.com", nil, append([]runtime.ClientOption{runtime.WithHTTPClient(stubDoer{})}, bc.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Do(ctx, runtime.NewRequest(op, "/pets/42")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
