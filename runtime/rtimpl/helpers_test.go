package rtimpl_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// Generated code pins the API version it was written for like this.
var (
	_ = rtimpl.EnforceVersion(8 - rtimpl.MinVersion)
	_ = rtimpl.EnforceVersion(rtimpl.MaxVersion - 8)
)

// seen is what the test server received.
type seen struct {
	Method     string
	RequestURI string
	Path       string
	RawQuery   string
	Header     http.Header
	Body       string
	Form       map[string][]string
	User, Pass string
	HasBasic   bool
}

// capture is a loopback server that records requests and replies with a
// configurable response.
type capture struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []seen
	reply func(w http.ResponseWriter)
}

func newCapture(t *testing.T) *capture {
	t.Helper()
	c := &capture{reply: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}}
	c.Server = httptest.NewServer(http.HandlerFunc(c.handle))
	t.Cleanup(c.Close)
	return c
}

func (c *capture) handle(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s := seen{
		Method: r.Method, RequestURI: r.RequestURI, Path: r.URL.Path,
		RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b),
	}
	s.User, s.Pass, s.HasBasic = r.BasicAuth()
	c.mu.Lock()
	c.reqs = append(c.reqs, s)
	reply := c.reply
	c.mu.Unlock()
	reply(w)
}

// last returns the most recent request; it fails the test if there is none.
func (c *capture) last(t *testing.T) seen {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.reqs) == 0 {
		t.Fatal("server received no request")
	}
	return c.reqs[len(c.reqs)-1]
}

func (c *capture) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

var getPet = &runtime.Operation{ID: "getPet", Method: "GET", Path: "/pets/{petId}", Idempotent: true}

// mustClient builds a client for base or fails the test.
func mustClient(t *testing.T, base string, schemes []auth.SecurityScheme, opts ...runtime.ClientOption) *runtime.Client {
	t.Helper()
	c, err := runtime.NewClient(base, schemes, opts...)
	if err != nil {
		t.Fatalf("NewClient(%q): %v", base, err)
	}
	return c
}

// do sends r and fails the test on error.
func do(t *testing.T, c *runtime.Client, r *runtime.Request) *runtime.Response {
	t.Helper()
	resp, err := c.Do(context.Background(), r)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	return resp
}
