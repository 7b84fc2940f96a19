package runtime

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// Response is a received response whose body has been read and closed by
// [Client.Do], unless the request asked for a streamed body
// ([Request.StreamResponse]) and the status is 2xx: then Body is nil and
// the open body is taken with [Response.Stream]. It remembers the operation, method and (credential-free) URL
// so errors built from it say which call failed.
type Response struct {
	// StatusCode is the HTTP status code, e.g. 404.
	StatusCode int
	// Status is the status line text, e.g. "404 Not Found".
	Status string
	// Header holds the response headers.
	Header http.Header
	// Body is the body read by Do: complete for status < 400, at most
	// WithMaxErrorBodyBytes bytes for status >= 400.
	Body []byte
	// Truncated reports that an error body was longer than Body.
	Truncated bool
	// Attempts is how many times the request was sent, retries included.
	Attempts int

	exchange exchange
	gaveUp   error         // ErrRetriesExhausted or ErrRetryBudgetExhausted, or nil
	stream   io.ReadCloser // open body of a streamed 2xx response, or nil
	limit    int64         // WithMaxResponseBytes of the call, to buffer stream
}

// scrub replaces the call's secrets in s.
func (r *Response) scrub(s string) string {
	if r.exchange.creds == nil {
		return s
	}
	return scrubSecrets(s, r.exchange.secrets)
}

// Redact returns s with the secret values of the call's credentials (as
// sent, percent-encoded or Go-quoted) replaced by "REDACTED", for code that
// builds its own errors from what a server sent, which may echo them:
// runtime/graphql scrubs the GraphQL errors it returns with it.
func (r *Response) Redact(s string) string { return r.scrub(s) }

// responseView is what a Response prints: its exported fields, scrubbed.
type responseView struct {
	StatusCode int
	Status     string
	Header     http.Header
	Body       []byte
	Truncated  bool
	Attempts   int
}

// GoString (the %#v verb) returns the response in Go syntax with the
// call's credentials scrubbed from Header and Body (a server may echo
// them).
func (r *Response) GoString() string {
	return r.scrub(fmt.Sprintf("&runtime.Response{StatusCode:%d, Status:%q, Header:%#v, Body:[]byte(%q), Truncated:%t, Attempts:%d}",
		r.StatusCode, r.Status, scrubHeader(r.Header, r.scrub), r.scrub(string(r.Body)), r.Truncated, r.Attempts))
}

// Format prints the exported fields with the call's credentials scrubbed
// from Header and Body, for every verb; %#v prints GoString.
func (r *Response) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, r.GoString())
		return
	}
	v := responseView{
		StatusCode: r.StatusCode, Status: r.Status, Header: scrubHeader(r.Header, r.scrub),
		Body: []byte(r.scrub(string(r.Body))), Truncated: r.Truncated, Attempts: r.Attempts,
	}
	if verb == 'v' {
		io.WriteString(f, "&")
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}

// MediaType returns the Content-Type without parameters, lower-cased
// (RFC 9110 §8.3.1), e.g. "application/json"; the raw header when it does
// not parse; "" when absent.
func (r *Response) MediaType() string {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}

// Text returns the body as a string. A streamed body is read (up to
// WithMaxResponseBytes) and closed first; a read error yields what was read.
func (r *Response) Text() string {
	_ = r.buffer()
	return string(r.Body)
}

// Error returns an [*APIError] describing this response. When detail is a
// non-nil pointer and the body decodes into it as JSON, APIError.Detail is
// set to detail; otherwise Detail stays nil and only the raw body is kept.
//
// When Do stopped retrying a retryable status because it ran out of
// attempts or of retry budget, the *APIError is wrapped so that errors.Is
// matches [ErrRetriesExhausted] or [ErrRetryBudgetExhausted]; errors.As
// still finds the *APIError.
func (r *Response) Error(detail any) error {
	e := &APIError{
		Operation: r.exchange.op, Method: r.exchange.method, URL: r.exchange.url(),
		StatusCode: r.StatusCode, Status: r.Status, Header: r.Header,
		RequestID: requestID(r.Header), Body: r.Body, Truncated: r.Truncated,
		Attempts: r.Attempts, secrets: r.exchange.secrets,
	}
	if detail != nil && len(r.Body) > 0 && !r.Truncated && json.Unmarshal(r.Body, detail) == nil {
		e.Detail = detail
	}
	return wrapGiveUp(e, r.gaveUp, r.Attempts)
}

// requestIDHeaders are the headers vendors use for a request id to quote to
// support, in lookup order.
var requestIDHeaders = []string{
	"Request-Id", "X-Request-Id", "X-Amzn-Requestid", "X-Github-Request-Id", "Cf-Ray",
}

// requestID returns the first request id header found, or "".
func requestID(h http.Header) string {
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}
