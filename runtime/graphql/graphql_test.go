package graphql_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/graphql"
)

func TestOperationType(t *testing.T) {
	doc := `# comment with mutation Foo
fragment F on T { a }
"desc" query Q($x: String = "mutation M") { a(b: "}") }
"""block } mutation M"""
mutation M { b { c } }
subscription S { d }`
	for name, want := range map[string]string{"Q": "query", "M": "mutation", "S": "subscription", "X": "", "": "query"} {
		if got := graphql.OperationType(doc, name); got != want {
			t.Errorf("OperationType(%q) = %q, want %q", name, got, want)
		}
	}
	if got := graphql.OperationType("{ a }", ""); got != "query" {
		t.Errorf("shorthand: %q", got)
	}
	if got := graphql.OperationType("\nmutation CreateX($a: Int!) {\n  x(a: $a) { id }\n}\n", "CreateX"); got != "mutation" {
		t.Errorf("mutation: %q", got)
	}
}

type data struct {
	Viewer *struct {
		Login string `json:"login"`
	} `json:"viewer"`
	Repo *struct {
		Name string `json:"name"`
	} `json:"repo"`
}

func server(t *testing.T, h func(w http.ResponseWriter, body map[string]any, n int32)) string {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(b, &body); err != nil || r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request", 400)
			return
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no auth", http.StatusUnauthorized)
			return
		}
		h(w, body, n.Add(1))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

var schemes = []auth.SecurityScheme{{Name: "bearer", Type: "http", Scheme: "bearer"}}
var security = [][]string{{"bearer"}, {}}

func newClient(t *testing.T, url string) *graphql.HTTPClient {
	c, err := graphql.NewClient(url, schemes, security,
		runtime.WithCredential("bearer", auth.BearerToken("tok")), runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 2}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPartialDataAndTypedErrors(t *testing.T) {
	url := server(t, func(w http.ResponseWriter, body map[string]any, _ int32) {
		if body["operationName"] != "Q" || body["variables"].(map[string]any)["x"] != "y" {
			w.WriteHeader(400)
			return
		}
		io.WriteString(w, `{"data":{"viewer":{"login":"octo"},"repo":null},
			"errors":[{"message":"not found","path":["repo",0],"locations":[{"line":2,"column":3}],"extensions":{"code":"NOT_FOUND"}}]}`)
	})
	c := newClient(t, url)
	var d data
	resp := &graphql.Response{Data: &d}
	err := c.MakeRequest(context.Background(), &graphql.Request{OpName: "Q", Query: "query Q { viewer { login } }", Variables: map[string]string{"x": "y"}}, resp)
	var errs *graphql.Errors
	if !errors.As(err, &errs) || len(errs.List) != 1 {
		t.Fatalf("err = %v", err)
	}
	var one *graphql.Error
	if !errors.As(err, &one) || one.Message != "not found" || one.PathString() != "repo.0" || one.Path[1] != 0 ||
		one.Locations[0] != (graphql.Location{Line: 2, Column: 3}) || one.Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("error entry = %#v", one)
	}
	if d.Viewer == nil || d.Viewer.Login != "octo" || d.Repo != nil {
		t.Fatalf("partial data lost: %+v", d)
	}
	if got := err.Error(); got != "Q: graphql: not found (path repo.0, line 2 column 3)" {
		t.Errorf("Error() = %q", got)
	}
}

func TestQueryRetriedMutationNot(t *testing.T) {
	for _, tc := range []struct {
		doc, op string
		opts    []runtime.CallOption
		calls   int32
		ok      bool
	}{
		{"query Q { viewer { login } }", "Q", nil, 2, true},
		{"mutation M { viewer { login } }", "M", nil, 1, false},
		{"mutation M { viewer { login } }", "M", []runtime.CallOption{runtime.WithIdempotencyKey("k1")}, 2, true},
	} {
		var calls atomic.Int32
		url := server(t, func(w http.ResponseWriter, _ map[string]any, n int32) {
			calls.Store(n)
			if n == 1 {
				w.WriteHeader(503)
				return
			}
			io.WriteString(w, `{"data":{"viewer":{"login":"octo"}}}`)
		})
		c := newClient(t, url)
		var d data
		ctx := graphql.WithOptions(context.Background(), tc.opts...)
		err := c.MakeRequest(ctx, &graphql.Request{OpName: tc.op, Query: tc.doc}, &graphql.Response{Data: &d})
		if (err == nil) != tc.ok || calls.Load() != tc.calls {
			t.Errorf("%s: err=%v calls=%d, want ok=%v calls=%d", tc.op, err, calls.Load(), tc.ok, tc.calls)
		}
		var apiErr *runtime.APIError
		if !tc.ok && (!errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Operation != "M") {
			t.Errorf("%s: want a 503 *runtime.APIError, got %v", tc.op, err)
		}
	}
}

func TestErrorStatusWithGraphQLBody(t *testing.T) {
	url := server(t, func(w http.ResponseWriter, _ map[string]any, _ int32) {
		w.Header().Set("Content-Type", "application/graphql-response+json")
		w.WriteHeader(400)
		io.WriteString(w, `{"errors":[{"message":"Cannot query field \"x\""}]}`)
	})
	c := newClient(t, url)
	err := c.MakeRequest(context.Background(), &graphql.Request{OpName: "Q", Query: "query Q { x }"}, &graphql.Response{Data: &data{}})
	var errs *graphql.Errors
	var apiErr *runtime.APIError
	if !errors.As(err, &errs) || errs.StatusCode != 400 || !errors.As(err, &apiErr) {
		t.Fatalf("err = %#v", err)
	}
}
