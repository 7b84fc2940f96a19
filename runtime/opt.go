package runtime

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// Opt is an optional value: absent, or present with a value. It models an
// OpenAPI property that is not in "required" (OpenAPI 3.1 §4.8.24 / JSON
// Schema "required"), keeping "absent" apart from the zero value.
//
// Tag fields `json:",omitzero"` (Go 1.24+): [Opt.IsZero] reports absence, so
// absent fields are left out of the JSON. Without omitzero an absent Opt
// encodes as null. For a field that may also be JSON null, use [Nullable].
type Opt[T any] struct {
	// Value is the value; meaningful only when Set is true.
	Value T
	// Set reports whether the value is present.
	Set bool
}

// Some returns a present Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Set: true} }

// Get returns the value and true when present, or T's zero value and false.
func (o Opt[T]) Get() (T, bool) {
	if !o.Set {
		var zero T
		return zero, false
	}
	return o.Value, true
}

// Or returns the value when present, otherwise def.
func (o Opt[T]) Or(def T) T {
	if !o.Set {
		return def
	}
	return o.Value
}

// IsZero reports whether the value is absent; encoding/json's omitzero
// option uses it to leave absent fields out.
func (o Opt[T]) IsZero() bool { return !o.Set }

// MarshalJSON encodes Value, or null when absent (only reached when the field
// lacks omitzero). HTML characters are not escaped, as in [Request.SetJSONBody];
// json.Marshal of the enclosing value still escapes them. Errors are those of
// json.Marshal on Value.
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.Set {
		return []byte("null"), nil
	}
	return compactJSON(&o.Value) // a pointer, so pointer-receiver marshalers (big.Float) apply
}

// UnmarshalJSON decodes b into Value and marks the Opt present. JSON null
// leaves it absent: real servers send null for fields the spec does not mark
// nullable, and rejecting that would make whole responses undecodable.
// Errors are those of json.Unmarshal on Value.
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		*o = Opt[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Opt[T]{Value: v, Set: true}
	return nil
}

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
