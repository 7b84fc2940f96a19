package golden

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	operations "github.com/connectorgen/connectorgen/golden/operations/want"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// TestMalformedOptionalHeaderKeepsTheBody: a declared optional response
// header whose value does not parse as its type (Prism sends "null" for a
// boolean or integer header without an example; Twilio's specs lost 160
// operations per mode to it in the conformance sweep) is left unset, the
// raw value stays in the response's Header, and the body still decodes.
func TestMalformedOptionalHeaderKeepsTheBody(t *testing.T) {
	rate := "null"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Rate-Limit", rate)
		w.Write([]byte(`{"id":"i1","name":"x"}`))
	}))
	defer srv.Close()
	c, err := operations.New(srv.URL, operations.WithQueryKey(auth.APIKey("k")))
	if err != nil {
		t.Fatal(err)
	}
	req := operations.StyledPathRequest{Color: "red", IDs: []int64{1, 2}}
	out, err := c.StyledPath(context.Background(), req)
	if err != nil {
		t.Fatalf("a malformed optional header failed the call: %v", err)
	}
	if out.XRateLimit.Set || out.Header.Get("X-Rate-Limit") != "null" || out.OK == nil || out.OK.ID != "i1" {
		t.Errorf("got rate %+v, raw %q, body %+v", out.XRateLimit, out.Header.Get("X-Rate-Limit"), out.OK)
	}

	rate = "42"
	if out, err = c.StyledPath(context.Background(), req); err != nil || !out.XRateLimit.Set || out.XRateLimit.Value != 42 {
		t.Errorf("well-formed header: %+v, %v", out, err)
	}
}
