package runtime

import (
	"io"

	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// Request is one call of an [Operation] being built (by package rtimpl in
// generated code); an encoding error is kept for [Client.Do] to return. It
// is not safe for concurrent use.
type Request struct {
	op     *Operation
	path   string
	p      link.Request // query, headers, cookies, body, first error
	stream bool         // leave a 2xx body open: StreamResponse
}

// NewRequest starts a request for op to path, expanded and escaped (e.g.
// "/pets/42") and appended to the client's base URL.
func NewRequest(op *Operation, path string) *Request {
	return &Request{op: op, path: path}
}

// Operation returns the operation passed to [NewRequest].
func (r *Request) Operation() *Operation { return r.op }

// SetBody sends body with the Content-Type (none when empty); a
// *bytes.Buffer, *bytes.Reader or *strings.Reader can be resent.
func (r *Request) SetBody(contentType string, body io.Reader) {
	r.p.Body = func() (io.Reader, string, error) { return body, contentType, nil }
}

// queryEscape percent-encodes a query component (RFC 3986 §2.1).
func queryEscape(s string) string { return link.QueryEscape(s) }
