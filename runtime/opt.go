package runtime

import (
	"bytes"
	"reflect"
	"strings"
)

// Opt is an optional value: absent, or present with a value. It models an
// OpenAPI property that is not in "required" (OpenAPI 3.1 §4.8.24 / JSON
// Schema "required"), keeping "absent" apart from the zero value.
//
// Opt is plain data: read Set and Value, build one with [Some] or a
// composite literal. It has no methods on purpose. A generic type's methods
// are compiled once for every type argument, with their pointer wrappers,
// whether they are called or not, and a large connector instantiates Opt
// and Nullable thousands of times (one per enum type of an optional field):
// for Stripe's spec their methods were a third of the compiler's peak memory
// and 40 % of its CPU time (docs/design.md, "Compile cost").
//
// The runtime's encoder, decoder, parameter and header code take Opt apart
// by reflection: an absent Opt is left out of a JSON object, a query or a
// header, JSON null decodes as absent, and [Marshal] and [Unmarshal] code
// it inside any struct, the generated ones and the caller's own alike.
// encoding/json sees only the two fields ({"Value":…,"Set":…}): generated
// types carry MarshalJSON and UnmarshalJSON that use the runtime, and a
// type of your own that holds an Opt should be coded with [Marshal] and
// [Unmarshal] too. Such a struct is coded from its fields by the runtime
// alone (its own MarshalJSON, if any, is not called), with one difference
// from encoding/json: an embedded struct field is a member named after
// its type, not promoted.
type Opt[T any] struct {
	// Value is the value; meaningful only when Set is true.
	Value T
	// Set reports whether the value is present.
	Set bool
}

// Some returns a present Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Set: true} }

// wrapper tells Opt and Nullable types apart from others.
type wrapper uint8

const (
	notWrapper wrapper = iota
	optWrapper
	nullableWrapper
)

// wrapperOf reports whether t is an Opt or a Nullable. Their methods are
// few on purpose (each method is compiled once per type argument, and a
// connector has thousands): parameters, headers, the encoder and the
// decoder take them apart by reflection instead.
func wrapperOf(t reflect.Type) wrapper {
	if t.Kind() != reflect.Struct || t.PkgPath() != runtimePkg {
		return notWrapper
	}
	switch name := t.Name(); {
	case strings.HasPrefix(name, "Opt["):
		return optWrapper
	case strings.HasPrefix(name, "Nullable["):
		return nullableWrapper
	}
	return notWrapper
}

// optionalOf unwraps the Opt or Nullable v: its value, and ok false when
// there is none to send (absent, or null: RFC 6570 §2.3 treats null as
// undefined). isWrapper is false when v is neither.
func optionalOf(v any) (val any, ok, isWrapper bool) {
	rv := reflect.ValueOf(v)
	switch wrapperOf(rv.Type()) {
	case optWrapper:
		if !rv.Field(1).Bool() {
			return nil, false, true
		}
	case nullableWrapper:
		if !rv.Field(1).Bool() || rv.Field(2).Bool() {
			return nil, false, true
		}
	default:
		return nil, false, false
	}
	return rv.Field(0).Interface(), true, true
}

// isJSONNull reports whether b is the JSON literal null (ignoring
// surrounding white space).
func isJSONNull(b []byte) bool {
	return bytes.Equal(bytes.TrimSpace(b), []byte("null"))
}
