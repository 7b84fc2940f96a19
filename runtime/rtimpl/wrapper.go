package rtimpl

import (
	"reflect"
	"strings"
)

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
