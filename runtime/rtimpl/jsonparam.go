package rtimpl

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// Parameters with content: OpenAPI 3.1 §4.8.12.3 lets a parameter declare
// a content map (one media type with a schema) instead of schema and
// style. With application/json, the value is serialized as JSON text and
// that text is the parameter's value, escaped as its location requires.
// The JSON is compact and map keys are sorted (encoding/json), so the
// output is deterministic; the encoder does not escape HTML characters,
// and neither do [Opt] and [Nullable], though other values that marshal
// themselves may write < as \u003c, which is the same JSON.

// jsonParam returns v's compact JSON text; ok is false when there is
// nothing to send: v absent, null or nil (see [FormatParam]), or a nil
// slice or map.
func jsonParam(v any) (text string, ok bool, err error) {
	v, ok = unwrap(v)
	if !ok {
		return "", false, nil
	}
	if rv := reflect.ValueOf(v); (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.IsNil() {
		return "", false, nil
	}
	b, err := compactJSON(v)
	if err != nil {
		return "", false, err
	}
	return string(b), true, nil
}

// AddQueryJSON adds query parameter name whose value is v's compact JSON
// text (a parameter with content application/json), percent-encoded as
// any query value: {"a":1} gives name=%7B%22a%22%3A1%7D. Absent, null and
// nil values add nothing. A marshalling error is returned by [Client.Do].
func AddQueryJSON(r *runtime.Request, name string, v any) {
	b := builder(r)
	text, ok, err := jsonParam(v)
	if err != nil {
		b.Fail(fmt.Errorf("query parameter %q: %w", name, err))
	}
	if ok {
		b.addQueryPair(name, text)
	}
}

// SetHeaderJSON sets header name to v's compact JSON text (a parameter
// with content application/json). Characters outside ASCII are written as
// JSON \u escapes, which mean the same JSON, so the header value is plain
// ASCII. Absent, null and nil values set nothing. A marshalling error is
// returned by [Client.Do].
func SetHeaderJSON(r *runtime.Request, name string, v any) {
	b := builder(r)
	text, ok, err := jsonParam(v)
	if err != nil {
		b.Fail(fmt.Errorf("header %q: %w", name, err))
	}
	if ok {
		b.setHeader(name, asciiJSON(text))
	}
}

// AddCookieJSON adds cookie name whose value is v's compact JSON text (a
// parameter with content application/json), with "%" and the bytes RFC
// 6265 §4.1.1 does not allow in a cookie value (DQUOTE, comma, space, ...)
// percent-encoded: {"a":"b c"} gives name={%22a%22:%22b%20c%22}. Absent,
// null and nil values add nothing. A marshalling error is returned by
// [Client.Do].
func AddCookieJSON(r *runtime.Request, name string, v any) {
	b := builder(r)
	text, ok, err := jsonParam(v)
	if err != nil {
		b.Fail(fmt.Errorf("cookie %q: %w", name, err))
	}
	if ok {
		b.Cookies = append(b.Cookies, name, link.CookieEscape(strings.ReplaceAll(text, "%", "%25")))
	}
}

// PathParamJSON returns v's compact JSON text escaped for a path segment
// as [PathParam] escapes a string ({"a":1} gives %7B%22a%22:1%7D), for
// path parameter name of op declared with content application/json. An
// absent value gives "". The error, from encoding/json, names the
// operation and the parameter as [Client.Do]'s encoding errors do.
func PathParamJSON(op *runtime.Operation, name string, v any) (string, error) {
	text, _, err := jsonParam(v)
	if err != nil {
		return "", fmt.Errorf("%s: encoding request: path parameter %q: %w", op.ID, name, err)
	}
	return pathEscape(text), nil
}

// asciiJSON rewrites the non-ASCII characters of JSON text as \u escapes
// (UTF-16 surrogate pairs beyond the BMP, RFC 8259 §7). They can only
// occur inside strings, where an escape means the same character.
func asciiJSON(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c < utf8.RuneSelf:
			b.WriteRune(c)
		case c > 0xFFFF:
			c -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(c>>10), 0xDC00+(c&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}
