package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// union mimics a generated oneOf type whose JSON is not an object.
type union struct{ s string }

func (u union) MarshalJSON() ([]byte, error) { return []byte(`"` + u.s + `"`), nil }

type pair struct {
	A int `json:"a"`
}

type listUnion struct{}

func (listUnion) MarshalJSON() ([]byte, error) { return []byte(`[1,null,"x"]`), nil }

func TestQueryUnusualShapes(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	cases := []struct {
		value any
		want  string
	}{
		{union{"cat"}, "p=cat"},
		{listUnion{}, "p=1&p=x"},
		{[]pair{{1}, {2}}, "p=%7B%22a%22%3A1%7D&p=%7B%22a%22%3A2%7D"},
		{[]any{nil, 1.5, true}, "p=1.5&p=true"},
		{map[string]any{"n": map[string]int{"x": 1}, "z": nil}, "n%5Bx%5D=1"},
	}
	for _, tc := range cases {
		r := runtime.NewRequest(getPet, "/")
		rtimpl.AddQuery(r, "p", tc.value, rtimpl.StyleForm, true)
		do(t, c, r)
		if got := srv.last(t).RawQuery; got != tc.want {
			t.Errorf("%#v: query = %q, want %q", tc.value, got, tc.want)
		}
	}
	r := runtime.NewRequest(getPet, "/")
	rtimpl.AddQuery(r, "p", map[string]any{"n": map[string]int{"x": 1}, "s": "a"}, rtimpl.StyleForm, false)
	do(t, c, r)
	if got, want := srv.last(t).RawQuery, "p=n,%7B%22x%22%3A1%7D,s,a"; got != want {
		t.Errorf("nested non-exploded object = %q, want %q", got, want)
	}
}

func TestEncodingErrorsStopTheRequest(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	bad := map[string]any{"c": make(chan int)}
	for name, set := range map[string]func(*runtime.Request){
		"query":      func(r *runtime.Request) { rtimpl.AddQuery(r, "q", bad, rtimpl.StyleForm, true) },
		"deepObject": func(r *runtime.Request) { rtimpl.AddQuery(r, "q", bad, rtimpl.StyleDeepObject, true) },
		"header":     func(r *runtime.Request) { rtimpl.SetHeader(r, "X-Q", bad) },
		"cookie":     func(r *runtime.Request) { rtimpl.AddCookie(r, "q", bad) },
	} {
		r := runtime.NewRequest(getPet, "/")
		set(r)
		if r.Operation() != getPet {
			t.Fatal("Operation() does not return the operation")
		}
		if _, err := c.Do(context.Background(), r); err == nil || !strings.HasPrefix(err.Error(), "getPet: encoding request") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if srv.count() != 0 {
		t.Error("a request with an encoding error was sent")
	}
	if _, err := c.Do(context.Background(), nil); err == nil {
		t.Error("nil request: want error")
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(getPet, "/bad%zz")); err == nil {
		t.Error("badly escaped path: want error")
	}
}

// doerFunc is a test Doer.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestCustomDoer(t *testing.T) {
	var sent *http.Request
	d := doerFunc(func(r *http.Request) (*http.Response, error) {
		sent = r
		return &http.Response{StatusCode: 418, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("short"))}, nil
	})
	c := mustClient(t, "https://api.example.com/v1", nil, runtime.WithHTTPClient(d))
	resp := do(t, c, runtime.NewRequest(getPet, "/pets/1"))
	if sent.URL.String() != "https://api.example.com/v1/pets/1" || resp.Status != "418 I'm a teapot" {
		t.Errorf("url %s, status %q", sent.URL, resp.Status)
	}
	if !strings.HasSuffix(resp.Error(nil).Error(), ": 418 I'm a teapot: short") {
		t.Errorf("Error() = %q", resp.Error(nil))
	}

	// A Doer error that quotes the key is scrubbed but still unwraps.
	cause := errors.New("proxy refused key " + canary)
	d = doerFunc(func(*http.Request) (*http.Response, error) { return nil, cause })
	op := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{"headerKey"}}}
	c = mustClient(t, "https://api.example.com", schemes, runtime.WithHTTPClient(d), runtime.WithCredential("headerKey", auth.APIKey(canary)))
	_, err := c.Do(context.Background(), runtime.NewRequest(op, "/"))
	if leaks(err.Error()) || !errors.Is(err, cause) {
		t.Errorf("Doer error: %v", err)
	}
	// WithHTTPClient(nil) restores the default client.
	if _, err := runtime.NewClient("https://x.example.com", nil, runtime.WithHTTPClient(nil)); err != nil {
		t.Error(err)
	}
}

func TestMutualTLSMarker(t *testing.T) {
	srv := newCapture(t)
	mtls := []auth.SecurityScheme{{Name: "mtls", Type: "mutualTLS"}, {Name: "bearer", Type: "http", Scheme: "bearer"}}
	op := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{"mtls"}}}
	c := mustClient(t, srv.URL, mtls, runtime.WithCredential("mtls", auth.MutualTLS()))
	do(t, c, runtime.NewRequest(op, "/"))
	c = mustClient(t, srv.URL, mtls, runtime.WithCredential("bearer", auth.MutualTLS()))
	op.Security = [][]string{{"bearer"}}
	if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/")); err == nil {
		t.Error("MutualTLS on a bearer scheme: want error")
	}
}

func TestGoStringRedacted(t *testing.T) {
	for _, c := range []auth.Credential{auth.APIKey(canary), auth.Basic("u", canary), auth.BearerToken(canary)} {
		if g := c.(fmt.GoStringer).GoString(); g != "REDACTED" {
			t.Errorf("GoString = %q", g)
		}
	}
}

func TestDecodeTruncatedBody(t *testing.T) {
	srv := newCapture(t)
	srv.setReply(func(w http.ResponseWriter) {
		w.WriteHeader(500)
		io.WriteString(w, `{"code":"x","pad":"`+strings.Repeat("y", 100)+`"}`)
	})
	resp := do(t, mustClient(t, srv.URL, nil, runtime.WithMaxErrorBodyBytes(10)), runtime.NewRequest(getPet, "/"))
	var de *runtime.DecodeError
	if err := rtimpl.DecodeJSON(resp, new(map[string]any)); !errors.As(err, &de) || de.StatusCode != 500 {
		t.Errorf("truncated: %v", err)
	}
	var ae *runtime.APIError
	if errors.As(resp.Error(new(map[string]any)), &ae); ae.Detail != nil || !ae.Truncated {
		t.Errorf("truncated detail: %+v", ae)
	}
	resp = do(t, mustClient(t, srv.URL, nil, runtime.WithMaxErrorBodyBytes(-1)), runtime.NewRequest(getPet, "/"))
	if len(resp.Body) != 0 || !resp.Truncated {
		t.Errorf("negative cap: %d bytes, truncated %v", len(resp.Body), resp.Truncated)
	}
}

func TestNilContext(t *testing.T) {
	c := mustClient(t, "https://api.example.com", nil)
	var ctx context.Context // nil: the guard under test
	if _, err := c.Do(ctx, runtime.NewRequest(getPet, "/")); err == nil || !strings.HasPrefix(err.Error(), "getPet: ") {
		t.Errorf("nil context: %v", err)
	}
}
