// Package fake is the shared half of the typed fakes connectorgen
// generates (`fakes: true` in connectorgen.yaml): a loopback HTTP server
// for a consumer's tests that routes each request to its operation,
// records it, injects faults, and answers what the test's typed handler
// returns. The generated <pkg>fake package adds one On<Op> method per
// operation and the code that decodes and validates each request into the
// connector's own <Op>Request type; this package never imports a
// connector.
//
// The connector under test is the real one, pointed at Server.URL.
package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// Route is one operation of a generated fake: its operationId, HTTP
// method and path as a pattern of literal segments and {wildcards}
// ("/pets/{p0}"; a trailing "{$}" is ignored), and the generated function
// that decodes, validates and answers a request (reading the wildcards
// with Request.PathValue). Pattern is "" for an operation the fake cannot
// route (a path template with a parameter inside a segment): its calls
// answer 501.
type Route struct {
	Operation string
	Method    string
	Pattern   string
	Serve     func(s *Server, w http.ResponseWriter, r *http.Request)
}

// Call is one request the fake received, as sent.
type Call struct {
	Operation string // operationId; "" for a request no route matched
	Method    string
	Path      string // the escaped path
	Query     string // the raw query
	Header    http.Header
	Body      []byte
	At        time.Time
}

// Fault is what the fake does instead of (or before) calling an
// operation's handler: wait Delay, then close the connection without an
// answer (Reset), or answer Status (with Retry-After when RetryAfter is
// set, in seconds, and an application/problem+json body), or, with
// neither, call the handler. Times is how many calls it applies to, in
// order (0: every call from now on).
type Fault struct {
	Status     int
	RetryAfter int
	Delay      time.Duration
	Reset      bool
	Times      int
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to give the connector under test.
	URL string

	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	handlers map[string]any
	calls    []Call
	faults   map[string][]*Fault
}

// MaxBodyBytes bounds a request body the fake reads (10 MiB).
const MaxBodyBytes = 10 << 20

// New starts a fake serving routes on loopback for the test t; it is
// closed when t ends. A request is routed to the operation of its method
// whose pattern matches its path segment by segment, a literal segment
// before a wildcard at the first place they differ (OpenAPI: concrete
// paths match before templated ones), so two templates that overlap
// (/issue/{id}/votes, /issue/properties/{key}) both route; a request no
// route matches answers 501.
func New(t testing.TB, routes []Route) *Server {
	t.Helper()
	s := &Server{t: t, handlers: map[string]any{}, faults: map[string][]*Fault{}}
	var table []compiled
	for _, rt := range routes {
		if rt.Pattern == "" {
			continue // a parameter inside a segment: answers 501
		}
		table = append(table, compiled{route: rt, segs: splitPattern(rt.Pattern), serve: s.serve(rt)})
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, values := match(table, r); c != nil {
			for name, v := range values {
				r.SetPathValue(name, v)
			}
			c.serve(w, r)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes))
		s.record("", r, body)
		s.problem(w, http.StatusNotImplemented, "no operation of the spec matches "+r.Method+" "+r.URL.Path)
	}))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// compiled is a Route with its pattern cut into segments.
type compiled struct {
	route Route
	segs  []segment
	serve http.HandlerFunc
}

// segment is a literal path segment or a wildcard's name.
type segment struct{ literal, wildcard string }

// splitPattern cuts a Route's pattern into its segments.
func splitPattern(pattern string) []segment {
	var out []segment
	for _, seg := range strings.Split(strings.TrimSuffix(pattern, "{$}"), "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, segment{wildcard: seg[1 : len(seg)-1]})
		} else {
			out = append(out, segment{literal: seg})
		}
	}
	return out
}

// match returns the route for r (see New) and its wildcards' values,
// percent-decoded, or nil. A HEAD request may take a GET route.
func match(table []compiled, r *http.Request) (*compiled, map[string]string) {
	method := r.Method
	parts := strings.Split(r.URL.EscapedPath(), "/")
	var best *compiled
	for i := range table {
		c := &table[i]
		if len(c.segs) != len(parts) || c.route.Method != method && !(method == http.MethodHead && c.route.Method == http.MethodGet) {
			continue
		}
		ok := true
		for j, seg := range c.segs {
			if seg.wildcard == "" && seg.literal != unescape(parts[j]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if best == nil || better(c, best, method) {
			best = c
		}
	}
	if best == nil {
		return nil, nil
	}
	values := map[string]string{}
	for j, seg := range best.segs {
		if seg.wildcard != "" {
			values[seg.wildcard] = unescape(parts[j])
		}
	}
	return best, values
}

// better reports whether route a beats route b for a request of method:
// a route of the method itself beats a GET taking a HEAD, then the more
// specific one wins.
func better(a, b *compiled, method string) bool {
	if ae, be := a.route.Method == method, b.route.Method == method; ae != be {
		return ae
	}
	return moreSpecific(a, b)
}

// moreSpecific reports whether a has a literal segment where b has a
// wildcard, at the first place they differ.
func moreSpecific(a, b *compiled) bool {
	for j := range a.segs {
		aw, bw := a.segs[j].wildcard != "", b.segs[j].wildcard != ""
		if aw != bw {
			return !aw
		}
	}
	return false
}

// unescape percent-decodes one path segment (as it is, when malformed).
func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// serve wraps a route: the request is read, recorded, faulted, then
// handed to the generated code.
func (s *Server) serve(rt Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		if err != nil || len(body) > MaxBodyBytes {
			s.problem(w, http.StatusRequestEntityTooLarge, "request body unreadable or over fake.MaxBodyBytes")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.record(rt.Operation, r, body)
		if f := s.fault(rt.Operation); f != nil {
			if f.Delay > 0 {
				select {
				case <-time.After(f.Delay):
				case <-r.Context().Done():
					return
				}
			}
			switch {
			case f.Reset:
				if hj, ok := w.(http.Hijacker); ok {
					if conn, _, err := hj.Hijack(); err == nil {
						conn.Close()
						return
					}
				}
				panic(http.ErrAbortHandler)
			case f.Status != 0:
				if f.RetryAfter > 0 {
					w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
				}
				s.problem(w, f.Status, "injected fault")
				return
			}
		}
		rt.Serve(s, w, r)
	}
}

func (s *Server) record(op string, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Operation: op, Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, At: time.Now()})
}

// fault takes the next fault of op, or nil.
func (s *Server) fault(op string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.faults[op]
	if len(fs) == 0 {
		return nil
	}
	f := fs[0]
	if f.Times > 0 {
		if f.Times--; f.Times == 0 {
			s.faults[op] = fs[1:]
		}
	}
	return f
}

// Inject queues f for the calls of operation op (an operationId), after
// the faults already queued for it.
func (s *Server) Inject(op string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], &f)
}

// Calls returns the requests received so far, in order; with operation
// ids, only those of these operations.
func (s *Server) Calls(operations ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(operations) == 0 || contains(operations, c.Operation) {
			out = append(out, c)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SetHandler registers h (a func of the generated type) for operation op.
// Generated On<Op> methods call it.
func (s *Server) SetHandler(op string, h any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[op] = h
}

// Handler returns the handler registered for op, or nil.
func (s *Server) Handler(op string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handlers[op]
}

// Invalid reports a request that does not match the spec: it fails the
// test (t.Errorf, naming the operation and where, with the violation's
// JSON pointers for a *runtime.ValidationError) and answers 400. The
// connector under test sent it, so it is the test's finding.
func (s *Server) Invalid(w http.ResponseWriter, op, where string, err error) {
	s.t.Errorf("fake: %s: invalid request (%s): %v", op, where, err)
	s.problem(w, http.StatusBadRequest, fmt.Sprintf("invalid request (%s): %v", where, err))
}

// NotImplemented answers 501 for an operation without a handler,
// naming the On method to call.
func (s *Server) NotImplemented(w http.ResponseWriter, op, on string) {
	s.problem(w, http.StatusNotImplemented, fmt.Sprintf("no handler for %s: call %s on the fake", op, on))
}

// StatusError is what a handler returns to answer a status of the spec
// other than the success: Status, with Body (encoded as JSON; a []byte or
// string as is) and Header.
type StatusError struct {
	Status int
	Body   any
	Header http.Header
}

func (e *StatusError) Error() string { return "fake: answer " + strconv.Itoa(e.Status) }

// Status returns a *StatusError answering code with body.
func Status(code int, body any) error { return &StatusError{Status: code, Body: body} }

// Respond writes a handler's result: err a *StatusError as it says,
// another error as 500 (and a test error: a handler should not fail so),
// else status with body encoded as mediaType (JSON with the runtime's
// encoder; an io.Reader, []byte or string as is; nil as no content).
func (s *Server) Respond(w http.ResponseWriter, op string, status int, mediaType string, body any, err error) {
	var se *StatusError
	switch {
	case errors.As(err, &se):
		for k, v := range se.Header {
			w.Header()[k] = v
		}
		status, body, mediaType = se.Status, se.Body, "application/json"
		if _, ok := body.(string); ok {
			mediaType = "text/plain"
		}
	case err != nil:
		s.t.Errorf("fake: %s: the handler failed: %v", op, err)
		s.problem(w, http.StatusInternalServerError, "handler error: "+err.Error())
		return
	}
	if rc, ok := body.(io.ReadCloser); ok {
		defer rc.Close()
	}
	var data []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		data = b
	case string:
		data = []byte(b)
	case io.Reader:
		data, err = io.ReadAll(b)
	default:
		data, err = rtimpl.Marshal(b)
	}
	if err != nil {
		s.t.Errorf("fake: %s: cannot encode the handler's result: %v", op, err)
		s.problem(w, http.StatusInternalServerError, "encoding the result: "+err.Error())
		return
	}
	if data != nil && mediaType != "" {
		w.Header().Set("Content-Type", mediaType)
	}
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// problem answers status with an RFC 9457 problem document.
func (s *Server) problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail})
}

// Param decodes a path, query, header or cookie parameter's values into
// dst, a pointer to the request field (see rtimpl.DecodeParam); absent
// values leave it alone. A required parameter that is absent, or values
// that do not parse, are an invalid request.
func Param(values []string, required bool, dst any) error {
	if len(values) == 0 {
		if required {
			return errors.New("required, absent")
		}
		return nil
	}
	return rtimpl.DecodeParam(values, dst)
}

// Cookie returns the values of the request's cookie name.
func Cookie(r *http.Request, name string) []string {
	var out []string
	for _, c := range r.CookiesNamed(name) {
		out = append(out, c.Value)
	}
	return out
}

// JSONBody decodes the request body as JSON into dst (strictly: the
// request must match the spec); an empty body is absent, an error when
// required.
func JSONBody(r *http.Request, required bool, dst any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if required {
			return errors.New("required, absent")
		}
		return nil
	}
	return rtimpl.UnmarshalContext(r.Context(), data, dst)
}

// TextBody returns the request body as text.
func TextBody(r *http.Request) (string, error) {
	data, err := io.ReadAll(r.Body)
	return string(data), err
}

// RawBody returns the request body as a reader of its bytes, nil when
// empty.
func RawBody(r *http.Request) (io.Reader, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil || len(data) == 0 {
		return nil, err
	}
	return bytes.NewReader(data), nil
}

// MediaType returns the media type of the request's Content-Type, lower
// case, without parameters ("" when absent).
func MediaType(r *http.Request) string {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.ToLower(strings.TrimSpace(mt))
}
