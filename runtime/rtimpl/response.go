package rtimpl

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// DecodeJSON unmarshals the body of r into v with encoding/json's rules, in
// time linear in the body's size ([UnmarshalContext]). An empty body is no
// value, not an error, where there can be no content or any value fits: a
// 204 or 205 response (RFC 9110 §15.3.5, §15.3.6: no content, whatever
// the spec declares), the response to a HEAD request (§9.3.2: never
// content), or v a *any or *json.RawMessage (a free-form schema);
// v is left as it is. It returns a [*DecodeError] (operation id, status,
// media type, cause) when the body is otherwise empty (cause
// [ErrEmptyBody]), truncated, nested deeper than [MaxDepth]
// (cause a [*DepthError]), or not valid JSON, and the call's context
// error (wrapped the same way; errors.Is finds it) when the context ends
// while decoding. A value that does not match its Go type (a string for a
// number, an unparseable date-time) is left unset and reported as [Drift]
// to the call's observers and logger; with [WithStrictDecoding] it is a
// *DecodeError (cause *json.UnmarshalTypeError or the parse error) as
// from [Unmarshal]. A required member that is absent (a field without
// omitzero, which generated code gives only the members a schema lists in
// "required") is left zero and reported as Drift with Got "absent"; with
// WithStrictDecoding it is a *DecodeError (cause [*MissingMemberError]).
// The media type is not checked first: servers often label JSON
// text/plain.
func DecodeJSON(r *runtime.Response, v any) error {
	x, err := link.Decoding(r)
	switch {
	case err != nil:
	case len(r.Body) == 0 && (r.StatusCode == http.StatusNoContent || r.StatusCode == http.StatusResetContent ||
		x.Method == http.MethodHead):
		return nil
	case len(r.Body) == 0:
		switch v.(type) {
		case *any, *json.RawMessage:
			return nil
		}
		err = runtime.ErrEmptyBody
	case r.Truncated:
		err = errors.New("body truncated at the error-body limit")
	case x.Tolerant:
		var drift []runtime.Drift
		var total int
		if drift, total, err = unmarshalTolerant(x.Ctx, r.Body, v); err == nil && total > 0 {
			link.ReportDrift(r, drift, total)
		}
	default:
		err = unmarshalRequired(x.Ctx, r.Body, v)
	}
	if err == nil {
		return nil
	}
	return &runtime.DecodeError{
		Operation: x.Operation, StatusCode: r.StatusCode,
		MediaType: r.MediaType(), Err: err,
	}
}
