package runtime_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// loopbackPet is the 34-byte body of GET /pets/42 in the loopback benchmarks
// (the codec-bench harness's petstore-pet.json).
const loopbackPet = `{"id":42,"name":"Rex","tag":"dog"}`

// benchPet is what loopbackPet decodes into.
type benchPet struct {
	ID   int64   `json:"id"`
	Name string  `json:"name"`
	Tag  *string `json:"tag,omitempty"`
}

// benchPetID is the path parameter, a variable as in generated code (a
// constant would not be boxed into PathParam's interface).
var benchPetID = "42"

// opShowPet is declared as generated code declares the petstore's
// showPetById: idempotent GET, no security requirement.
var opShowPet = &runtime.Operation{ID: "showPetById", Method: "GET", Path: "/pets/{petId}", Idempotent: true}

// loopbackServer answers every request with loopbackPet. The client
// shares one keep-alive transport between the benchmarked variants.
func loopbackServer(tb testing.TB) (*httptest.Server, *http.Client) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, loopbackPet)
	}))
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	tb.Cleanup(func() { tr.CloseIdleConnections(); srv.Close() })
	return srv, &http.Client{Transport: tr}
}

// bareCall is one call without the runtime: http.NewRequestWithContext, a
// keep-alive GET on the shared client, io.ReadAll and json.Unmarshal.
func bareCall(ctx context.Context, hc *http.Client, base string, out *benchPet) error {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/pets/42", nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	return json.Unmarshal(body, out)
}

// runtimeCall is the same call as generated code makes it: NewRequest with
// a PathParam, Client.Do with the client's default chain (retry policy and
// budget, circuit breaker, rate limiter, per-attempt timeout; no observer,
// no logger), DecodeJSON.
func runtimeCall(ctx context.Context, c *runtime.Client, out *benchPet) error {
	r := runtime.NewRequest(opShowPet, "/pets/"+rtimpl.PathParam(benchPetID))
	resp, err := c.Do(ctx, r)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return resp.Error(nil)
	}
	return rtimpl.DecodeJSON(resp, out)
}

// BenchmarkLoopback measures the runtime's own cost per call: one
// keep-alive GET /pets/42 on a loopback server returning a 34-byte pet,
// through Client.Do with the default runtime chain ("runtime") beside a bare
// http.Client + io.ReadAll + json.Unmarshal ("bare") on the same transport.
// The difference in ns/op and allocs/op is the runtime's overhead (issue 11:
// at most 3 µs and 10 allocations). cpu-ns/op is the process's CPU time per
// call, server included, which the machine's other jobs disturb less than
// wall time. The same comparison beside ogen and oapi-codegen is the
// codec-bench harness's BenchmarkLoopback (docs/design.md).
func BenchmarkLoopback(b *testing.B) {
	srv, hc := loopbackServer(b)
	ctx := context.Background()
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		ct := startCPU(b)
		for b.Loop() {
			var p benchPet
			if err := bareCall(ctx, hc, srv.URL, &p); err != nil {
				b.Fatal(err)
			}
		}
		ct.stop(b)
	})
	b.Run("runtime", func(b *testing.B) {
		c, err := runtime.NewClient(srv.URL, nil, runtime.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		ct := startCPU(b)
		for b.Loop() {
			var p benchPet
			if err := runtimeCall(ctx, c, &p); err != nil {
				b.Fatal(err)
			}
		}
		ct.stop(b)
	})
}
