package golden

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	queryinpath "github.com/connectorgen/connectorgen/golden/query-in-path/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// TestQueryInPathKeyOnTheWire: a paths key holding a query string sends
// its path as the path and its members as the query: fixed ones with
// every call, templated ones from their parameters (declared in path or
// query), where before the "?" went out percent-encoded inside the path.
func TestQueryInPathKeyOnTheWire(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.RequestURI()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := queryinpath.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		call func() error
		want string
	}{
		{func() error {
			return c.Latest(ctx, queryinpath.LatestRequest{Term: "cat & dog", Amount: 5})
		}, "/api/iconsets/v3/latest?term=cat%20%26%20dog&amount=5"},
		{func() error {
			return c.ListItemsA(ctx, queryinpath.ListItemsARequest{Page: runtime.Some[int64](2)})
		}, "/items?type=a%20b&debug=&page=2"},
		{func() error { return c.ListItemsB(ctx, queryinpath.ListItemsBRequest{}) }, "/items?type=b"},
		{func() error { return c.AddSharedLink(ctx, queryinpath.AddSharedLinkRequest{FileID: "12345"}) }, "/files/12345"},
		{func() error { return c.Send(ctx, queryinpath.SendRequest{}) }, "/queue/?x=1"},
		{func() error {
			return c.GetThing(ctx, queryinpath.GetThingRequest{ID: "a/b", Q: "x", To: 9, View: "full", Format: runtime.Some("xml")})
		}, "/things/a%2Fb?q=x&to=9&format=xml&view=full"},
	} {
		got = ""
		if err := tc.call(); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("request URI %s, want %s", got, tc.want)
		}
	}
	// The moved path parameter is validated as a query parameter.
	err = c.Latest(ctx, queryinpath.LatestRequest{Term: "x", Amount: 0})
	if v, ok := err.(*runtime.ValidationError); !ok || len(v.Violations) != 1 || v.Violations[0].Pointer != "/query/amount" {
		t.Errorf("Latest with amount 0: %v", err)
	}
}
