package runtime

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// Response is a response [Client.Do] received, its body read and closed
// (or, for a 2xx to [Request.StreamResponse], left open for
// [Response.Stream]). Errors built from it name the operation and URL.
type Response struct {
	StatusCode int         // e.g. 404
	Status     string      // e.g. "404 Not Found"
	Header     http.Header // as received
	Body       []byte      // whole below 400; from 400, at most WithMaxErrorBodyBytes
	Truncated  bool        // an error body was longer than Body
	Attempts   int         // sends of the request, retries included

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

// Redact returns s with the call's secret values (as sent, escaped or
// quoted) replaced by "REDACTED", for errors built from what a server sent.
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

// GoString (%#v) returns the response in Go syntax, secrets scrubbed.
func (r *Response) GoString() string {
	return r.scrub(fmt.Sprintf("&runtime.Response{StatusCode:%d, Status:%q, Header:%#v, Body:[]byte(%q), Truncated:%t, Attempts:%d}",
		r.StatusCode, r.Status, scrubHeader(r.Header, r.scrub), r.scrub(string(r.Body)), r.Truncated, r.Attempts))
}

// Format prints the exported fields, secrets scrubbed from Header and Body.
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

// MediaType returns the Content-Type without parameters, lower-cased (RFC
// 9110 §8.3.1), e.g. "application/json"; "" when absent.
func (r *Response) MediaType() string {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}

// Text returns the body as a string, reading a streamed one first.
func (r *Response) Text() string {
	_ = r.buffer()
	return string(r.Body)
}

// Error returns an [*APIError] for this response, its Detail set to detail
// when the body decodes into it as JSON. After retries ran out it also
// matches [ErrRetriesExhausted] or [ErrRetryBudgetExhausted] (errors.Is).
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
