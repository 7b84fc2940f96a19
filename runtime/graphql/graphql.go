// Package graphql is the GraphQL transport of connectors that connectorgen
// generates from a GraphQL schema and operation documents.
//
// A generated connector's methods call [Client.MakeRequest] (the types
// genqlient generates for it are rewritten to import this package instead
// of github.com/Khan/genqlient/graphql). [HTTPClient]
// implements it on top of [runtime.Client], so a GraphQL call gets what
// every connectorgen call gets: credentials, timeouts, retries with backoff
// and a retry budget, middleware and redacted logs. Each call is a
// runtime.Operation whose ID is the GraphQL operation name; queries are
// idempotent and retried, mutations are retried only when they carry an
// idempotency key (runtime.WithIdempotencyKey, for an API that honours it).
//
// A response with GraphQL errors (GraphQL spec §7.1.2) comes back as an
// [*Errors] (each entry an [*Error] with message, path, locations and
// extensions) together with whatever data the server returned: the
// generated functions return both, so partial data is never lost. The
// call's credentials are scrubbed from every string of the errors, which a
// server may echo them in.
//
// The package depends only on the standard library and the runtime.
package graphql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// Client sends one GraphQL request and decodes the response into resp.
// A connector's Client.GraphQL returns its [HTTPClient], the one
// connectors use.
type Client interface {
	// MakeRequest sends req and decodes the response into resp: resp.Data
	// must be a pointer to the operation's response type. It returns an
	// [*Errors] when the response carries GraphQL errors, after decoding
	// the data that came with them.
	MakeRequest(ctx context.Context, req *Request, resp *Response) error
}

// Request is a GraphQL request (GraphQL over HTTP, POST with a JSON body).
type Request struct {
	// Query is the document: the operation and the fragments it uses.
	Query string `json:"query"`
	// Variables is the operation's variables, encoded with encoding/json.
	Variables any `json:"variables,omitempty"`
	// OpName is the name of the operation to execute.
	OpName string `json:"operationName"`
}

// Response is a GraphQL response (GraphQL spec §7.1).
type Response struct {
	// Data receives the "data" member; set it to a pointer before the call.
	Data any `json:"data"`
	// Extensions is the "extensions" member, if any.
	Extensions map[string]any `json:"extensions,omitempty"`
	// Errors is the "errors" member, if any.
	Errors []*Error `json:"errors,omitempty"`
}

// Location is a position in the request document (GraphQL spec §7.1.2).
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Error is one entry of a response's "errors" (GraphQL spec §7.1.2).
type Error struct {
	// Message describes the error.
	Message string `json:"message"`
	// Path is the response path of the field that failed: field names
	// (string) and list indices (int), e.g. ["repository", "issues", 0].
	Path []any `json:"path,omitempty"`
	// Locations are the positions in the document the error refers to.
	Locations []Location `json:"locations,omitempty"`
	// Extensions holds server-specific details, e.g. {"code": "NOT_FOUND"}.
	Extensions map[string]any `json:"extensions,omitempty"`
}

// UnmarshalJSON decodes an error, with integral path entries as int
// (1e2 included, up to ±2^53) and null entries as nil.
func (e *Error) UnmarshalJSON(b []byte) error {
	type plain Error
	var p struct {
		plain
		Path []json.RawMessage `json:"path"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*e = Error(p.plain)
	e.Path = nil
	for _, raw := range p.Path {
		e.Path = append(e.Path, pathEntry(raw))
	}
	return nil
}

// pathEntry decodes one entry of a response path: a field name (string)
// or a list index (int); anything else as encoding/json decodes it.
func pathEntry(raw json.RawMessage) any {
	var v any
	_ = json.Unmarshal(raw, &v)
	if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) <= min(1<<53, math.MaxInt) {
		return int(f)
	}
	return v
}

// PathString renders Path with dots, e.g. "repository.issues.0.title".
func (e *Error) PathString() string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

// Error returns "message (path a.b.0, line 3 column 5)".
func (e *Error) Error() string {
	var where []string
	if len(e.Path) > 0 {
		where = append(where, "path "+e.PathString())
	}
	for _, l := range e.Locations {
		where = append(where, fmt.Sprintf("line %d column %d", l.Line, l.Column))
	}
	if len(where) == 0 {
		return e.Message
	}
	return e.Message + " (" + strings.Join(where, ", ") + ")"
}

// Errors is the error of a call whose response carried GraphQL errors. The
// data decoded from the same response is returned next to it.
// errors.As(err, &gqlErr) with a *Error finds the first entry.
type Errors struct {
	// Operation is the GraphQL operation name.
	Operation string
	// List holds the response's errors, in order.
	List []*Error
	// StatusCode is the HTTP status (200 unless the server uses the
	// application/graphql-response+json status codes).
	StatusCode int
	// HTTP is the *runtime.APIError when the status was not 2xx, else nil.
	HTTP error
}

// Error returns "<operation>: graphql: <first error>" plus a count of the
// others.
func (e *Errors) Error() string {
	msg := e.Operation + ": graphql: "
	switch len(e.List) {
	case 0:
		return msg + "error response"
	case 1:
		return msg + e.List[0].Error()
	}
	return fmt.Sprintf("%s%s (and %d more errors)", msg, e.List[0].Error(), len(e.List)-1)
}

// Unwrap returns the entries and the HTTP error, for errors.As and errors.Is.
func (e *Errors) Unwrap() []error {
	out := make([]error, 0, len(e.List)+1)
	for _, x := range e.List {
		out = append(out, x)
	}
	if e.HTTP != nil {
		out = append(out, e.HTTP)
	}
	return out
}

// HTTPClient is the [Client] of generated connectors: a GraphQL endpoint
// called through a [runtime.Client]. It is safe for concurrent use.
type HTTPClient struct {
	rt       *runtime.Client
	security [][]string

	mu  sync.Mutex
	ops map[opKey]*runtime.Operation
}

type opKey struct{ name, query string }

// NewClient returns a client for the GraphQL endpoint URL. schemes are the
// security schemes credentials may be given for (runtime.WithCredential)
// and security the requirements of every operation (an empty set allows
// anonymous calls). opts apply to every call.
func NewClient(endpoint string, schemes []auth.SecurityScheme, security [][]string, opts ...runtime.ClientOption) (*HTTPClient, error) {
	rt, err := runtime.NewClient(endpoint, schemes, opts...)
	if err != nil {
		return nil, err
	}
	return &HTTPClient{rt: rt, security: security, ops: map[opKey]*runtime.Operation{}}, nil
}

type optionsKey struct{}

// WithOptions returns ctx carrying per-call runtime options (for example
// runtime.WithIdempotencyKey or runtime.WithHeader) that [HTTPClient]
// applies after the client's own. Generated methods use it for their opts.
func WithOptions(ctx context.Context, opts ...runtime.CallOption) context.Context {
	if len(opts) == 0 {
		return ctx
	}
	prev, _ := ctx.Value(optionsKey{}).([]runtime.CallOption)
	all := append(append([]runtime.CallOption(nil), prev...), opts...)
	return context.WithValue(ctx, optionsKey{}, all)
}

// operation returns the runtime.Operation for req: ID the operation name,
// POST, idempotent for a query only.
func (c *HTTPClient) operation(req *Request) *runtime.Operation {
	k := opKey{req.OpName, req.Query}
	c.mu.Lock()
	defer c.mu.Unlock()
	if op := c.ops[k]; op != nil {
		return op
	}
	id := req.OpName
	if id == "" {
		id = "graphql"
	}
	op := &runtime.Operation{
		ID: id, Method: "POST", Security: c.security,
		Idempotent: OperationType(req.Query, req.OpName) == "query",
	}
	if len(c.ops) < 4096 {
		c.ops[k] = op
	}
	return op
}

// MakeRequest implements [Client]: it POSTs req as JSON through the
// runtime and decodes the response into resp. A non-2xx status becomes a
// *runtime.APIError, or an [*Errors] wrapping it when the body is a
// GraphQL response with errors (GraphQL over HTTP,
// application/graphql-response+json); data that came with errors is
// decoded into resp.Data in every case.
func (c *HTTPClient) MakeRequest(ctx context.Context, req *Request, resp *Response) error {
	if req == nil || resp == nil {
		return errors.New("graphql: MakeRequest called with a nil Request or Response")
	}
	op := c.operation(req)
	r := runtime.NewRequest(op, "")
	rtimpl.SetHeader(r, "Accept", "application/graphql-response+json, application/json;q=0.9")
	rtimpl.SetJSONBody(r, req)
	var opts []runtime.CallOption
	if ctx != nil {
		opts, _ = ctx.Value(optionsKey{}).([]runtime.CallOption)
	}
	hr, err := c.rt.Do(ctx, r, opts...)
	if err != nil {
		return err
	}
	if hr.StatusCode < 200 || hr.StatusCode >= 300 {
		apiErr := hr.Error(nil)
		if !hr.Truncated && json.Unmarshal(hr.Body, resp) == nil && len(resp.Errors) > 0 {
			scrubErrors(resp.Errors, hr.Redact)
			return &Errors{Operation: op.ID, List: resp.Errors, StatusCode: hr.StatusCode, HTTP: apiErr}
		}
		return apiErr
	}
	if err := rtimpl.DecodeJSON(hr, resp); err != nil {
		return err
	}
	if len(resp.Errors) > 0 {
		scrubErrors(resp.Errors, hr.Redact)
		return &Errors{Operation: op.ID, List: resp.Errors, StatusCode: hr.StatusCode}
	}
	return nil
}

// scrubErrors replaces the call's credentials in every string of list
// (message, path, extensions): a server may echo what it was sent, and
// errors get printed and logged.
func scrubErrors(list []*Error, redact func(string) string) {
	for _, e := range list {
		if e == nil {
			continue
		}
		e.Message = redact(e.Message)
		for i, p := range e.Path {
			e.Path[i] = scrubValue(p, redact)
		}
		if e.Extensions != nil {
			e.Extensions = scrubValue(e.Extensions, redact).(map[string]any)
		}
	}
}

// scrubValue applies redact to the strings of a decoded JSON value.
func scrubValue(v any, redact func(string) string) any {
	switch x := v.(type) {
	case string:
		return redact(x)
	case []any:
		for i := range x {
			x[i] = scrubValue(x[i], redact)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[redact(k)] = scrubValue(e, redact)
		}
		return out
	}
	return v
}

// NoUnmarshalJSON is for generated code only: embedded next to a type with
// an UnmarshalJSON method, it keeps that method from being promoted.
type NoUnmarshalJSON struct{}

// UnmarshalJSON is never called.
func (NoUnmarshalJSON) UnmarshalJSON([]byte) error {
	panic("graphql: NoUnmarshalJSON.UnmarshalJSON called")
}

// NoMarshalJSON is for generated code only: embedded next to a type with a
// MarshalJSON method, it keeps that method from being promoted.
type NoMarshalJSON struct{}

// MarshalJSON is never called.
func (NoMarshalJSON) MarshalJSON() ([]byte, error) {
	panic("graphql: NoMarshalJSON.MarshalJSON called")
}
