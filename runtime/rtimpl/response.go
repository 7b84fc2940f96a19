package rtimpl

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strconv"

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
		if drift, total, err = unmarshalTolerant(x.Ctx, r.Body, v); err == nil {
			if x.Validate {
				invalid := violations(v)
				total += len(invalid)
				drift = append(drift, invalid[:min(len(invalid), max(0, runtime.MaxDriftPerResponse-len(drift)))]...)
			}
			if total > 0 {
				link.ReportDrift(r, drift, total)
			}
		}
	default:
		if err = unmarshalRequired(x.Ctx, r.Body, v); err == nil && x.Validate {
			err = validate(v)
		}
	}
	if err == nil {
		return nil
	}
	return &runtime.DecodeError{
		Operation: x.Operation, StatusCode: r.StatusCode,
		MediaType: r.MediaType(), Err: err,
	}
}

// validator is a generated type with constraints.
type validator interface{ Validate() error }

// validate runs the Validate of the decoded value v (a pointer), or of
// each item of a slice or each value of a map it points to, and returns
// the first *runtime.ValidationError, its pointers prefixed with the
// item's place.
func validate(v any) error {
	var first error
	walkValidate(v, func(prefix string, err error) bool {
		var ve *runtime.ValidationError
		if errors.As(err, &ve) && prefix != "" {
			out := &runtime.ValidationError{Violations: make([]runtime.Violation, len(ve.Violations))}
			for i, vi := range ve.Violations {
				out.Violations[i] = runtime.Violation{Pointer: prefix + vi.Pointer, Message: vi.Message}
			}
			err = out
		}
		first = err
		return false
	})
	return first
}

// violations is validate's findings as drift: each violation with its
// pointer, Expected the constraint, Got "invalid".
func violations(v any) []runtime.Drift {
	var out []runtime.Drift
	walkValidate(v, func(prefix string, err error) bool {
		var ve *runtime.ValidationError
		if !errors.As(err, &ve) {
			out = append(out, runtime.Drift{Pointer: prefix, Expected: err.Error(), Got: "invalid"})
			return true
		}
		for _, vi := range ve.Violations {
			out = append(out, runtime.Drift{Pointer: prefix + vi.Pointer, Expected: vi.Message, Got: "invalid"})
		}
		return true
	})
	return out
}

// walkValidate calls found with each failing Validate's error below v:
// v's own, else its items' (slices, arrays, maps of validators, one level
// down), prefixed with their JSON pointer; it stops when found returns
// false.
func walkValidate(v any, found func(prefix string, err error) bool) {
	if val, ok := v.(validator); ok {
		if err := val.Validate(); err != nil {
			found("", err)
		}
		return
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return
	}
	rv = rv.Elem()
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range rv.Len() {
			if val, ok := rv.Index(i).Interface().(validator); ok {
				if err := val.Validate(); err != nil && !found("/"+strconv.Itoa(i), err) {
					return
				}
			}
		}
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return
		}
		keys := rv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if val, ok := rv.MapIndex(k).Interface().(validator); ok {
				if err := val.Validate(); err != nil && !found("/"+escapeToken(k.String()), err) {
					return
				}
			}
		}
	}
}
