package runtime_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// BenchmarkDo compares a keep-alive loopback GET through Client.Do (API key
// credential, default retry policy and budget, no middleware, no logging)
// with the same GET on a bare http.Client sharing the transport. The
// difference is the runtime's own cost per call.
func BenchmarkDo(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":42,"name":"Rex"}`)
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}

	b.Run("runtime", func(b *testing.B) {
		op := &runtime.Operation{ID: "getPet", Method: "GET", Idempotent: true, Security: [][]string{{"headerKey"}}}
		c, err := runtime.NewClient(srv.URL, schemes, runtime.WithHTTPClient(hc),
			runtime.WithCredential("headerKey", auth.APIKey("sk_test_123")))
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
	// With per-call options: a header and a timeout given to each call,
	// the cost of applying them (a copy of the settings) included.
	b.Run("runtime-call-options", func(b *testing.B) {
		op := &runtime.Operation{ID: "getPet", Method: "GET", Idempotent: true, Security: [][]string{{"headerKey"}}}
		c, err := runtime.NewClient(srv.URL, schemes, runtime.WithHTTPClient(hc),
			runtime.WithCredential("headerKey", auth.APIKey("sk_test_123")))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			resp, err := c.Do(ctx, runtime.NewRequest(op, "/pets/42"), runtime.WithHeader("X-Trace", "1"), runtime.WithTimeout(time.Minute))
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(resp, err)
			}
		}
	})
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
