package rtimpl

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/internal/link"
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
func AddQuery(r *runtime.Request, name string, value any, style Style, explode bool) {
	b := builder(r)
	if style == StyleDeepObject {
		b.addDeepObject(name, value)
		return
	}
	sh, err := shapeOf(value)
	if err != nil {
		b.Fail(fmt.Errorf("query parameter %q: %w", name, err))
		return
	}
	switch sh.kind {
	case shapeScalar:
		b.addQueryPair(name, sh.scalar)
	case shapeList:
		b.addQueryList(name, sh.items, style, explode)
	case shapeObject:
		if explode {
			flatten("", sh.object, b.addQueryPair)
			return
		}
		b.addQueryJoined(name, objectPairs(sh.object), style)
	}
}

// addDeepObject serializes value in bracket notation under name.
func (b request) addDeepObject(name string, value any) {
	v, ok := unwrap(value)
	if !ok {
		return
	}
	if isScalar(v) {
		b.addQueryPair(name, FormatParam(v))
		return
	}
	g, err := toGeneric(v)
	if err != nil {
		b.Fail(fmt.Errorf("query parameter %q: %w", name, err))
		return
	}
	flatten(name, g, b.addQueryPair)
}

// addQueryList adds an array parameter.
func (b request) addQueryList(name string, items []string, style Style, explode bool) {
	if len(items) == 0 {
		return
	}
	if !explode {
		b.addQueryJoined(name, items, style)
		return
	}
	for _, it := range items {
		b.addQueryPair(name, it)
	}
}

// addQueryJoined adds name=item<sep>item..., escaping items but not the
// style's separator, so a separator inside an item stays distinguishable.
func (b request) addQueryJoined(name string, items []string, style Style) {
	if len(items) == 0 {
		return
	}
	esc := make([]string, len(items))
	for i, it := range items {
		esc[i] = queryEscape(it)
	}
	b.Query = append(b.Query, queryEscape(name)+"="+strings.Join(esc, styleSeparator(style)))
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
func (b request) addQueryPair(name, value string) {
	b.Query = append(b.Query, queryPair(name, value))
}

// SetHeader sets header name to value in "simple" style (OpenAPI 3.1
// §4.8.12.4): scalars as [FormatParam], arrays and objects comma-joined as
// in [PathParam] but unescaped. Absent or null values set nothing.
func SetHeader(r *runtime.Request, name string, value any) {
	b := builder(r)
	parts, err := simpleParts(value)
	if err != nil {
		b.Fail(fmt.Errorf("header %q: %w", name, err))
		return
	}
	if parts != nil {
		b.setHeader(name, strings.Join(parts, ","))
	}
}

// setHeader sets header name to value, making the header map on first use.
func (b request) setHeader(name, value string) {
	if b.Header == nil {
		b.Header = make(http.Header)
	}
	b.Header.Set(name, value)
}

// AddCookie adds cookie name with value rendered like [Request.SetHeader];
// bytes not allowed in an RFC 6265 §4.1.1 cookie-value are percent-encoded.
// Absent or null values add nothing.
func AddCookie(r *runtime.Request, name string, value any) {
	b := builder(r)
	parts, err := simpleParts(value)
	if err != nil {
		b.Fail(fmt.Errorf("cookie %q: %w", name, err))
		return
	}
	if parts == nil {
		return
	}
	for i, p := range parts {
		parts[i] = link.CookieEscape(p)
	}
	b.Cookies = append(b.Cookies, name, strings.Join(parts, ","))
}

// SetJSONBody sends v as JSON (Content-Type application/json). v is
// marshalled by Do, so marshalling errors are returned from [Client.Do].
// HTML characters are not escaped (<, >, & stay literal).
func SetJSONBody(r *runtime.Request, v any) { SetJSONBodyAs(r, "application/json", v) }

// SetJSONBodyAs sends v as JSON with the given Content-Type, a JSON media
// type other than application/json such as application/merge-patch+json
// (RFC 7396) or application/vnd.api+json; otherwise as [Request.SetJSONBody].
func SetJSONBodyAs(r *runtime.Request, contentType string, v any) {
	b := builder(r)
	b.Body = func() (io.Reader, string, error) {
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
func SetFormBody(r *runtime.Request, v any) {
	b := builder(r)
	b.Body = func() (io.Reader, string, error) {
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

// request is the builder state of a runtime.Request (runtime/internal/link).
type request struct{ *link.Request }

// builder returns the builder state of r.
func builder(r *runtime.Request) request { return request{link.RequestOf(r)} }

// queryPair encodes one name=value pair (RFC 3986 §3.4).
func queryPair(name, value string) string { return link.QueryPair(name, value) }

// queryEscape percent-encodes a query component (RFC 3986 §2.1).
func queryEscape(s string) string { return link.QueryEscape(s) }
