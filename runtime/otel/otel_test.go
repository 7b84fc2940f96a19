package otel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	rotel "github.com/connectorgen/connectorgen/runtime/otel"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"
)

var getPet = &runtime.Operation{ID: "getPet", Method: "GET", Path: "/pets/{petId}", Idempotent: true, Security: [][]string{{"key"}}}

var schemes = []auth.SecurityScheme{{Name: "key", Type: "apiKey", In: "query", ParamName: "api_key"}}

// setup returns an instrumented client for srv with its span exporter and
// metric reader.
func setup(t *testing.T, srv *httptest.Server, opts ...runtime.ClientOption) (*runtime.Client, *tracetest.InMemoryExporter, *sdkmetric.ManualReader) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		tp.Shutdown(context.Background())
		mp.Shutdown(context.Background())
	})
	inst, err := rotel.New(rotel.Config{TracerProvider: tp, MeterProvider: mp, Propagators: propagation.TraceContext{}})
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	base := []runtime.ClientOption{
		inst.Option(), runtime.WithHTTPClient(&http.Client{Transport: tr}),
		runtime.WithCredential("key", auth.APIKey("sk_live_secret")),
		runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
	}
	c, err := runtime.NewClient(srv.URL, schemes, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, exp, reader
}

// collect returns the data points of the metrics read, by metric name, as
// "attr=value,... => value" lines.
func collect(t *testing.T, reader *sdkmetric.ManualReader) map[string][]string {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	attrs := func(s attribute.Set) string {
		var parts []string
		for _, kv := range s.ToSlice() {
			parts = append(parts, string(kv.Key)+"="+kv.Value.String())
		}
		return strings.Join(parts, ",")
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], attrs(p.Attributes)+" => "+itoa(p.Value))
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], attrs(p.Attributes)+" => "+itoa(p.Value))
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], attrs(p.Attributes)+" => n"+itoa(int64(p.Count)))
				}
			}
		}
	}
	return out
}

func itoa(v int64) string { return attribute.Int64Value(v).String() }

func TestSpansAndMetrics(t *testing.T) {
	defer goleak.VerifyNone(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(503)
			return
		}
		if r.Header.Get("Traceparent") == "" {
			t.Error("no traceparent header")
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, exp, reader := setup(t, srv)
	resp, err := c.Do(context.Background(), runtime.NewRequest(getPet, "/pets/1"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	for i, s := range spans {
		got := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes {
			got[kv.Key] = kv.Value
		}
		if s.Name != "getPet" || got["url.template"].AsString() != "/pets/{petId}" || got["connectorgen.operation.id"].AsString() != "getPet" {
			t.Errorf("span %d: %s %v", i, s.Name, got)
		}
		if u := got["url.full"].AsString(); u != srv.URL+"/pets/1" {
			t.Errorf("span %d: url.full %q", i, u)
		}
		for _, kv := range s.Attributes {
			if strings.Contains(kv.Value.String(), "sk_live_secret") {
				t.Errorf("span %d: secret in %s", i, kv.Key)
			}
		}
		rc, has := got["http.request.resend_count"]
		if (i == 0 && has) || (i == 1 && rc.AsInt64() != 1) {
			t.Errorf("span %d: resend_count %v %v", i, rc.String(), has)
		}
		if st := got["http.response.status_code"].AsInt64(); st != []int64{503, 200}[i] {
			t.Errorf("span %d: status %d", i, st)
		}
	}
	m := collect(t, reader)
	host := strings.TrimPrefix(srv.URL, "http://")
	base := "connectorgen.operation.id=getPet,http.request.method=GET"
	want := map[string][]string{
		"connectorgen.client.calls":         {base + ",http.response.status_code=200,server.address=" + host + " => 1"},
		"connectorgen.client.call.duration": {base + ",http.response.status_code=200,server.address=" + host + " => n1"},
		"connectorgen.client.retries":       {"connectorgen.operation.id=getPet,error.type=503,http.request.method=GET,http.response.status_code=503,server.address=" + host + " => 1"},
	}
	for name, w := range want {
		if strings.Join(m[name], "|") != strings.Join(w, "|") {
			t.Errorf("%s = %q, want %q", name, m[name], w)
		}
	}
	if len(m["connectorgen.client.attempts"]) != 2 || len(m["http.client.request.duration"]) != 2 {
		t.Errorf("attempts %q, otelhttp durations %q", m["connectorgen.client.attempts"], m["http.client.request.duration"])
	}
}

func TestBreakerAndLimiterMetrics(t *testing.T) {
	defer goleak.VerifyNone(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After-Ms", "30")
			w.WriteHeader(429)
		default:
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	c, exp, reader := setup(t, srv, runtime.WithMaxRetries(0),
		runtime.WithCircuitBreaker(runtime.BreakerSettings{ConsecutiveFailures: 2}))
	for range 3 {
		c.Do(context.Background(), runtime.NewRequest(getPet, "/pets/1"))
	}
	_, err := c.Do(context.Background(), runtime.NewRequest(getPet, "/pets/1"))
	if !errors.Is(err, runtime.ErrCircuitOpen) {
		t.Fatalf("err = %v", err)
	}
	m := collect(t, reader)
	host := strings.TrimPrefix(srv.URL, "http://")
	if got := strings.Join(m["connectorgen.client.breaker.transitions"], "|"); got != "connectorgen.breaker.name="+host+",connectorgen.breaker.state=open => 1" {
		t.Errorf("transitions %q", got)
	}
	if got := strings.Join(m["connectorgen.client.breaker.state"], "|"); got != "connectorgen.breaker.name="+host+" => 2" {
		t.Errorf("state %q", got)
	}
	if got := strings.Join(m["connectorgen.client.limiter.wait.duration"], "|"); got != "connectorgen.limiter.key="+host+",connectorgen.limiter.outcome=ok,connectorgen.operation.id=getPet => n1" {
		t.Errorf("limiter waits %q", got)
	}
	calls := strings.Join(m["connectorgen.client.calls"], "|")
	if !strings.Contains(calls, "error.type=circuit_open") || !strings.Contains(calls, "error.type=429") {
		t.Errorf("calls %q", calls)
	}
	if len(exp.GetSpans()) != 3 { // the refused call sent nothing
		t.Errorf("%d spans", len(exp.GetSpans()))
	}
}

// TestDriftMetric: the values of a response left unset as drift are
// counted per operation and status.
func TestDriftMetric(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":"seven","tags":["a",2,"c"]}`))
	}))
	defer srv.Close()
	c, _, reader := setup(t, srv)
	resp, err := c.Do(context.Background(), runtime.NewRequest(getPet, "/pets/1"))
	if err != nil {
		t.Fatal(err)
	}
	var pet struct {
		ID   int64    `json:"id"`
		Tags []string `json:"tags"`
	}
	if err := rtimpl.DecodeJSON(resp, &pet); err != nil {
		t.Fatal(err)
	}
	got := collect(t, reader)["connectorgen.client.response.drift"]
	if want := "connectorgen.operation.id=getPet,http.response.status_code=200 => 2"; strings.Join(got, "|") != want {
		t.Errorf("drift metric = %q, want %q", got, want)
	}
}
