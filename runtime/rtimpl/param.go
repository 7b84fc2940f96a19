package rtimpl

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

// FormatParam renders one scalar parameter value as text, unescaped:
//
//   - string as is; bool as "true"/"false"; all int and uint types in base 10;
//   - float32/float64 in plain decimal without exponent (strconv 'f', -1);
//   - []byte as standard base64 (OpenAPI format "byte", RFC 4648 §4);
//   - time.Time as RFC 3339 with nanoseconds (format "date-time");
//   - [Date] as "YYYY-MM-DD" (format "date");
//   - [Opt] and [Nullable] unwrapped, pointers dereferenced; absent, null
//     and nil pointers give "";
//   - then encoding.TextMarshaler, then fmt.Stringer;
//   - then named types of basic kinds (e.g. `type Status string`) by kind;
//   - anything else as fmt.Sprint would.
func FormatParam(v any) string {
	v, ok := unwrap(v)
	if !ok {
		return ""
	}
	if s, ok := formatBasic(v); ok {
		return s
	}
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case runtime.Date:
		return x.String()
	case encoding.TextMarshaler:
		if b, err := x.MarshalText(); err == nil {
			return string(b)
		}
	case fmt.Stringer:
		return x.String()
	}
	return formatKind(reflect.ValueOf(v))
}

// formatBasic formats the predeclared scalar types without reflection.
func formatBasic(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.FormatInt(int64(x), 10), true
	case int8:
		return strconv.FormatInt(int64(x), 10), true
	case int16:
		return strconv.FormatInt(int64(x), 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint:
		return strconv.FormatUint(uint64(x), 10), true
	case uint8:
		return strconv.FormatUint(uint64(x), 10), true
	case uint16:
		return strconv.FormatUint(uint64(x), 10), true
	case uint32:
		return strconv.FormatUint(uint64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case uintptr:
		return strconv.FormatUint(uint64(x), 10), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case []byte:
		return base64.StdEncoding.EncodeToString(x), true
	case json.Number:
		return string(x), true
	}
	return "", false
}

// formatKind formats named types by their underlying kind.
func formatKind(rv reflect.Value) string {
	switch rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 64)
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(rv.Bytes())
		}
	}
	return fmt.Sprint(rv.Interface())
}

// PathParam renders a path parameter in OpenAPI "simple" style, not exploded
// (OpenAPI 3.1 §4.8.12.4; RFC 6570 §3.2.2): a scalar as [FormatParam] does,
// a slice as comma-separated items, an object as comma-separated key,value
// pairs. Each item is escaped with url.PathEscape (so "/" becomes %2F,
// space %20, non-ASCII UTF-8 percent-encoded); the separating commas are not.
// A value that is exactly "." or ".." is sent as %2E or %2E%2E so it cannot
// act as a dot-segment (RFC 3986 §5.2.4). Absent values give "".
func PathParam(v any) string {
	switch x := v.(type) { // the common cases, without a []string
	case string:
		return pathEscape(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	}
	parts, err := simpleParts(v)
	if err != nil {
		return url.PathEscape(fmt.Sprint(v))
	}
	for i, p := range parts {
		parts[i] = pathEscape(p)
	}
	return strings.Join(parts, ",")
}

// pathEscape is url.PathEscape that also neutralises dot-segments.
func pathEscape(s string) string {
	if s == "." || s == ".." {
		return strings.Repeat("%2E", len(s))
	}
	return url.PathEscape(s)
}

// simpleParts splits v into the unescaped items of a non-exploded "simple"
// serialization: one item for a scalar, one per element for a list, key and
// value alternating for an object (keys sorted). Absent values give none.
func simpleParts(v any) ([]string, error) {
	sh, err := shapeOf(v)
	if err != nil || sh.kind == shapeNone {
		return nil, err
	}
	switch sh.kind {
	case shapeScalar:
		return []string{sh.scalar}, nil
	case shapeList:
		return sh.items, nil
	}
	return objectPairs(sh.object), nil
}

// shapeKind classifies a parameter value per the OpenAPI style tables.
type shapeKind int

const (
	shapeNone   shapeKind = iota // absent or null: nothing to send
	shapeScalar                  // primitive
	shapeList                    // array
	shapeObject                  // object
)

// shape is a parameter value normalized for the style encoders.
type shape struct {
	kind   shapeKind
	scalar string         // shapeScalar
	items  []string       // shapeList: formatted items
	object map[string]any // shapeObject: JSON-generic object
}

// shapeOf unwraps v and classifies it. Structs and maps go through
// [Marshal], so json tags, omitzero, custom marshalers and Opt/Nullable apply; a value
// whose JSON is not an object (e.g. a oneOf of strings) is classified by its
// JSON. Errors come from json.Marshal.
func shapeOf(v any) (shape, error) {
	v, ok := unwrap(v)
	if !ok {
		return shape{}, nil
	}
	if isScalar(v) {
		return shape{kind: shapeScalar, scalar: FormatParam(v)}, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		items, err := listItems(rv)
		return shape{kind: shapeList, items: items}, err
	}
	g, err := toGeneric(v)
	if err != nil {
		return shape{}, err
	}
	return genericShape(g), nil
}

// genericShape classifies a JSON-generic value.
func genericShape(g any) shape {
	switch x := g.(type) {
	case nil:
		return shape{}
	case map[string]any:
		return shape{kind: shapeObject, object: x}
	case []any:
		items := make([]string, 0, len(x))
		for _, e := range x {
			if e != nil {
				items = append(items, genericText(e))
			}
		}
		return shape{kind: shapeList, items: items}
	}
	return shape{kind: shapeScalar, scalar: genericText(g)}
}

// listItems formats each present element of a slice or array; absent or
// null elements are skipped, non-scalar ones become compact JSON.
func listItems(rv reflect.Value) ([]string, error) {
	items := make([]string, 0, rv.Len())
	for i := range rv.Len() {
		e, ok := unwrap(rv.Index(i).Interface())
		if !ok {
			continue
		}
		if isScalar(e) {
			items = append(items, FormatParam(e))
			continue
		}
		g, err := toGeneric(e)
		if err != nil {
			return nil, err
		}
		if g != nil {
			items = append(items, genericText(g))
		}
	}
	return items, nil
}

// objectPairs returns key, value, key, value... with keys sorted; null
// members are skipped and nested values become compact JSON.
func objectPairs(obj map[string]any) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if obj[k] != nil {
			out = append(out, k, genericText(obj[k]))
		}
	}
	return out
}

// unwrap strips Opt/Nullable and pointers. ok is false when nothing is to be
// sent: nil, absent, null, or a nil pointer. Pointers implementing
// encoding.TextMarshaler are kept, since their method may need the pointer.
func unwrap(v any) (any, bool) {
	for {
		if v == nil {
			return nil, false
		}
		if inner, ok, isWrapper := optionalOf(v); isWrapper {
			if !ok {
				return nil, false
			}
			v = inner
			continue
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer {
			return v, true
		}
		if rv.IsNil() {
			return nil, false
		}
		if _, tm := v.(encoding.TextMarshaler); tm {
			return v, true
		}
		v = rv.Elem().Interface()
	}
}

// isScalar reports whether an unwrapped value serializes as one primitive.
func isScalar(v any) bool {
	switch v.(type) {
	case []byte, time.Time, runtime.Date, json.Number, encoding.TextMarshaler:
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice:
		return rv.Type().Elem().Kind() == reflect.Uint8
	case reflect.Array, reflect.Map, reflect.Struct:
		return false
	}
	return true
}

// toGeneric converts v to its JSON-generic form (map[string]any, []any,
// string, json.Number, bool, nil); numbers stay json.Number so large
// integers keep their digits. v is encoded by [Marshal] (json tags,
// omitzero, custom marshalers; Opt and Nullable, which encoding/json would
// write as their fields); errors are its.
func toGeneric(v any) (any, error) {
	b, err := Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var g any
	err = dec.Decode(&g)
	return g, err
}

// genericText formats a JSON-generic value: primitives as text, arrays and
// objects as compact JSON (the style tables leave nesting undefined).
func genericText(g any) string {
	switch x := g.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(g)
	return string(b)
}

// flatten emits g in bracket notation under prefix: objects as
// prefix[key] (keys sorted), arrays as prefix[index], primitives as
// prefix=value; null members and empty containers emit nothing. With an
// empty prefix, top-level object keys are used bare. This is OpenAPI
// deepObject (§4.8.12.4) extended to nesting the way Stripe, Rails and the
// qs library read it.
func flatten(prefix string, g any, emit func(name, value string)) {
	switch x := g.(type) {
	case nil:
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			flatten(bracket(prefix, k), x[k], emit)
		}
	case []any:
		for i, e := range x {
			flatten(bracket(prefix, strconv.Itoa(i)), e, emit)
		}
	default:
		emit(prefix, genericText(x))
	}
}

// bracket appends one bracketed path segment to prefix.
func bracket(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "[" + key + "]"
}
