// Package link joins package runtime to package rtimpl without either
// exporting its internals to users: runtime sets the hooks below in its init,
// and rtimpl, which imports runtime, calls them. Values cross as any and are
// asserted back to their runtime type on the other side.
package link

import (
	"context"
	"io"
	"net/http"
)

// Request is the part of a runtime.Request that rtimpl's builders write: the
// query, headers, cookies and body of one call. The zero value is empty.
type Request struct {
	Query   []string    // encoded name=value pairs, in call order
	Header  http.Header // nil until a header is set
	Cookies []string    // name, encoded value, alternating
	// Body returns the body and its Content-Type; nil means no body. It is
	// called once per call, when the request is first sent.
	Body func() (io.Reader, string, error)
	Err  error // the first encoding error, returned by Client.Do
}

// Fail keeps the first encoding error for Client.Do to report.
func (r *Request) Fail(err error) {
	if err != nil && r.Err == nil {
		r.Err = err
	}
}

// Hooks set by package runtime's init.
var (
	// RequestOf returns the builder state of a *runtime.Request.
	RequestOf func(r any) *Request
	// Decoding buffers the body of a *runtime.Response if it was streamed
	// and returns what decoding it needs.
	Decoding func(resp any) (Decode, error)
	// ReportDrift hands the []runtime.Drift found in a *runtime.Response's
	// body (total counts those past the list's cap) to the call's observers
	// and logger.
	ReportDrift func(resp any, drift any, total int)
	// PageURL returns a runtime.CallOption that sends a call to the next
	// page's URL u instead of its path and query.
	PageURL func(u string) any
	// PageLimits returns WithMaxPages's and WithMaxItems's limits among a
	// []runtime.CallOption (0: none).
	PageLimits func(opts any) (pages, items int)
)

// Decode is what decoding a response body needs from its call.
type Decode struct {
	Ctx       context.Context // the call's context
	Operation string          // the operation id
	Method    string          // the request's HTTP method
	Tolerant  bool            // mismatched values are drift, not errors (no WithStrictDecoding)
	Validate  bool            // WithResponseValidation: the decoded value's Validate runs
}
