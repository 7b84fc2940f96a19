package runtime

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Style is an OpenAPI parameter serialization style (OpenAPI 3.1 §4.8.12.4
// Style Values; RFC 6570 for form and simple).
type Style string

// Parameter styles. Query parameters default to StyleForm with explode,
// path and header parameters to StyleSimple.
const (
	// StyleForm: name=value, arrays repeated (explode) or comma-joined.
	StyleForm Style = "form"
	// StyleSpaceDelimited: array items joined by %20.
	StyleSpaceDelimited Style = "spaceDelimited"
	// StylePipeDelimited: array items joined by %7C ("|").
	StylePipeDelimited Style = "pipeDelimited"
	// StyleDeepObject: objects as name[key]=value.
	StyleDeepObject Style = "deepObject"
	// StyleSimple: comma-joined, used for path and header parameters.
	StyleSimple Style = "simple"
	// StyleLabel: path values prefixed by "." (RFC 6570 label expansion).
	StyleLabel Style = "label"
	// StyleMatrix: path values as ";name=value" (RFC 6570 path-style expansion).
	StyleMatrix Style = "matrix"
)

// Request is one call of an [Operation] under construction: the expanded
// path, parameters and body. Setters never fail; an encoding error is kept
// and returned by [Client.Do]. A Request is not safe for concurrent use.
type Request struct {
	op      *Operation
	path    string
	query   []string    // encoded name=value pairs, in call order
	header  http.Header // nil until a header is set
	cookies []string    // name, encoded value, alternating
	body    func() (io.Reader, string, error)
	err     error
	stream  bool // leave a 2xx body open: StreamResponse
}

// NewRequest starts a request for op. path is the operation's path with its
// parameters already expanded and escaped (see [PathParam]), e.g. "/pets/42";
// it is appended to the client's base URL.
func NewRequest(op *Operation, path string) *Request {
	return &Request{op: op, path: path}
}

// Operation returns the operation passed to [NewRequest].
func (r *Request) Operation() *Operation { return r.op }

// fail keeps the first encoding error for Do to report.
func (r *Request) fail(err error) {
	if err != nil && r.err == nil {
		r.err = err
	}
}

// AddQuery adds query parameter name serialized per style and explode
// (OpenAPI 3.1 §4.8.12.4, percent-encoded per RFC 3986 §3.4 as in the
// OpenAPI 3.1.1 style table). Absent, null and nil values, and empty arrays,
// add nothing (RFC 6570 §2.3 "undefined").
//
//   - scalar: name=v for every style.
//   - array, form: explode name=a&name=b; otherwise name=a,b.
//   - array, spaceDelimited: name=a%20b; pipeDelimited: name=a%7Cb
//     (with explode both behave like exploded form).
//   - object, form: explode k1=v1&k2=v2; otherwise name=k1,v1,k2,v2; the
//     delimited styles join key,value pairs with %20 or %7C instead.
//   - deepObject: name[k]=v, nested objects name[a][b]=v, arrays inside
//     name[k][0]=v (brackets percent-encoded as %5B %5D).
//
// Structs and maps are converted through encoding/json (tags and omitzero
// apply); object keys are sorted so the output is deterministic. Nested
// values that a style cannot express become compact JSON, except under
// deepObject and exploded form, which use bracket notation.
func (r *Request) AddQuery(name string, value any, style Style, explode bool) {
	if style == StyleDeepObject {
		r.addDeepObject(name, value)
		return
	}
	sh, err := shapeOf(value)
	if err != nil {
		r.fail(fmt.Errorf("query parameter %q: %w", name, err))
		return
	}
	switch sh.kind {
	case shapeScalar:
		r.addQueryPair(name, sh.scalar)
	case shapeList:
		r.addQueryList(name, sh.items, style, explode)
	case shapeObject:
		if explode {
			flatten("", sh.object, r.addQueryPair)
			return
		}
		r.addQueryJoined(name, objectPairs(sh.object), style)
	}
}

// addDeepObject serializes value in bracket notation under name.
func (r *Request) addDeepObject(name string, value any) {
	v, ok := unwrap(value)
	if !ok {
		return
	}
	if isScalar(v) {
		r.addQueryPair(name, FormatParam(v))
		return
	}
	g, err := toGeneric(v)
	if err != nil {
		r.fail(fmt.Errorf("query parameter %q: %w", name, err))
		return
	}
	flatten(name, g, r.addQueryPair)
}

// addQueryList adds an array parameter.
func (r *Request) addQueryList(name string, items []string, style Style, explode bool) {
	if len(items) == 0 {
		return
	}
	if !explode {
		r.addQueryJoined(name, items, style)
		return
	}
	for _, it := range items {
		r.addQueryPair(name, it)
	}
}

// addQueryJoined adds name=item<sep>item..., escaping items but not the
// style's separator, so a separator inside an item stays distinguishable.
func (r *Request) addQueryJoined(name string, items []string, style Style) {
	if len(items) == 0 {
		return
	}
	esc := make([]string, len(items))
	for i, it := range items {
		esc[i] = queryEscape(it)
	}
	r.query = append(r.query, queryEscape(name)+"="+strings.Join(esc, styleSeparator(style)))
}

// styleSeparator is the already-encoded separator of a non-exploded style.
func styleSeparator(s Style) string {
	switch s {
	case StyleSpaceDelimited:
		return "%20"
	case StylePipeDelimited:
		return "%7C"
	}
	return ","
}

// addQueryPair adds one name=value pair.
func (r *Request) addQueryPair(name, value string) {
	r.query = append(r.query, queryPair(name, value))
}

// SetHeader sets header name to value in "simple" style (OpenAPI 3.1
// §4.8.12.4): scalars as [FormatParam], arrays and objects comma-joined as
// in [PathParam] but unescaped. Absent or null values set nothing.
func (r *Request) SetHeader(name string, value any) {
	parts, err := simpleParts(value)
	if err != nil {
		r.fail(fmt.Errorf("header %q: %w", name, err))
		return
	}
	if parts != nil {
		r.setHeader(name, strings.Join(parts, ","))
	}
}

// setHeader sets header name to value, making the header map on first use.
func (r *Request) setHeader(name, value string) {
	if r.header == nil {
		r.header = make(http.Header)
	}
	r.header.Set(name, value)
}

// AddCookie adds cookie name with value rendered like [Request.SetHeader];
// bytes not allowed in an RFC 6265 §4.1.1 cookie-value are percent-encoded.
// Absent or null values add nothing.
func (r *Request) AddCookie(name string, value any) {
	parts, err := simpleParts(value)
	if err != nil {
		r.fail(fmt.Errorf("cookie %q: %w", name, err))
		return
	}
	if parts == nil {
		return
	}
	for i, p := range parts {
		parts[i] = cookieEscape(p)
	}
	r.cookies = append(r.cookies, name, strings.Join(parts, ","))
}

// SetJSONBody sends v as JSON (Content-Type application/json). v is
// marshalled by Do, so marshalling errors are returned from [Client.Do].
// HTML characters are not escaped (<, >, & stay literal).
func (r *Request) SetJSONBody(v any) { r.SetJSONBodyAs("application/json", v) }

// SetJSONBodyAs sends v as JSON with the given Content-Type, a JSON media
// type other than application/json such as application/merge-patch+json
// (RFC 7396) or application/vnd.api+json; otherwise as [Request.SetJSONBody].
func (r *Request) SetJSONBodyAs(contentType string, v any) {
	r.body = func() (io.Reader, string, error) {
		b, err := compactJSON(v)
		if err != nil {
			return nil, "", err
		}
		return bytes.NewReader(b), contentType, nil
	}
}

// compactJSON marshals v without HTML escaping and without a trailing
// newline: [Marshal].
func compactJSON(v any) ([]byte, error) { return Marshal(v) }

// SetFormBody sends v as application/x-www-form-urlencoded. v must encode
// to a JSON object (a struct or map); it is flattened in bracket notation,
// Stripe's convention: a=1, obj[k]=v, obj[k][n]=v, arr[0]=x, arr[1][k]=v.
// Keys are sorted, array order is kept, null and absent members are
// skipped. A url.Values is sent as is (keys sorted). Errors are returned
// from [Client.Do].
func (r *Request) SetFormBody(v any) {
	r.body = func() (io.Reader, string, error) {
		s, err := encodeForm(v)
		if err != nil {
			return nil, "", err
		}
		return strings.NewReader(s), "application/x-www-form-urlencoded", nil
	}
}

// encodeForm flattens v into a urlencoded form body.
func encodeForm(v any) (string, error) {
	if vals, ok := v.(url.Values); ok {
		return strings.ReplaceAll(vals.Encode(), "+", "%20"), nil
	}
	obj, err := formObject(v)
	if err != nil {
		return "", err
	}
	var pairs []string
	flatten("", obj, func(name, value string) {
		pairs = append(pairs, queryPair(name, value))
	})
	return strings.Join(pairs, "&"), nil
}

// SetBody sends body as is with the given Content-Type (omitted when
// empty). Readers of type *bytes.Buffer, *bytes.Reader and *strings.Reader
// get a Content-Length and can be resent on redirects.
func (r *Request) SetBody(contentType string, body io.Reader) {
	r.body = func() (io.Reader, string, error) { return body, contentType, nil }
}

// queryPair encodes one name=value pair.
func queryPair(name, value string) string {
	return queryEscape(name) + "=" + queryEscape(value)
}

// queryEscape percent-encodes a query component; spaces become %20 rather
// than "+", which only form decoders read as a space (RFC 3986 §2.1).
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// appendQuery joins two encoded query strings with "&".
func appendQuery(q, more string) string {
	switch {
	case q == "":
		return more
	case more == "":
		return q
	}
	return q + "&" + more
}
