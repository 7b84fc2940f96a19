package emit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// goType is the Go type expression of t: its name when declared, else its
// shape.
func goType(t *ir.Type) *jen.Statement {
	if t == nil {
		return jen.Any()
	}
	if t.GoType != nil && !(t.Named && t.Name != "") {
		return jen.Qual(t.GoType.Path, t.GoType.Name)
	}
	if t.Named && t.Name != "" {
		if t.Package != nil { // split by tag: qualified unless declared in the file's own package
			return jen.Qual(t.Package.Path, t.Name)
		}
		return jen.Id(t.Name)
	}
	return shape(t)
}

// shape is the Go type of t's structure, ignoring its name.
func shape(t *ir.Type) *jen.Statement {
	if t.GoType != nil {
		return jen.Qual(t.GoType.Path, t.GoType.Name)
	}
	switch t.Kind {
	case ir.Bool:
		return jen.Bool()
	case ir.Int:
		switch t.Format {
		case "int32":
			return jen.Int32()
		case "int64-string":
			return jen.Qual(rtPath, "Int64String")
		}
		return jen.Int64()
	case ir.Float:
		// float64 for format: float too: servers send more digits than a
		// float32 holds (DigitalOcean's prices, Meraki's coordinates), and
		// decoding must not round them.
		return jen.Float64()
	case ir.String:
		switch t.Format {
		case "date-time":
			return jen.Qual("time", "Time")
		case "date":
			return jen.Qual(rtPath, "Date")
		case "byte":
			return jen.Index().Byte()
		case "binary":
			return jen.Qual(rtPath, "File") // a multipart file part, streamed
		}
		return jen.String()
	case ir.Array:
		return jen.Index().Add(goType(t.Elem))
	case ir.Map:
		return jen.Map(jen.String()).Add(goType(t.Elem))
	case ir.Enum, ir.Alias:
		return goType(t.Elem)
	case ir.Opaque:
		return jen.Qual("encoding/json", "RawMessage")
	}
	return jen.Any()
}

// nilable reports whether the Go type of t has nil as its zero value
// (slices, maps, interfaces), so absence needs no wrapper.
func nilable(t *ir.Type) bool {
	if t.Resolve().GoType != nil {
		return false // a user type: wrapped in Opt when optional
	}
	switch t.Resolve().Kind {
	case ir.Array, ir.Map, ir.Any, ir.Opaque:
		return true
	case ir.String:
		return t.Resolve().Format == "byte"
	}
	return false
}

// isStruct reports whether t is declared as a struct (object or union), so
// results are returned by pointer.
func isStruct(t *ir.Type) bool {
	k := t.Resolve().Kind
	return k == ir.Object || k == ir.Union
}

// presence is how a value's absence and null are represented.
type presence int

const (
	plain    presence = iota // required, not nullable: T
	optional                 // may be absent: runtime.Opt[T]
	nullable                 // may be null (and absent): runtime.Nullable[T]
	pointer                  // recursive struct: *T
	bare                     // nil-able Go type: absence and null are nil
)

// presenceOf chooses the representation for a value with these flags.
// readOnly and writeOnly properties are optional whatever the spec
// requires, since they are present in only one direction.
func presenceOf(t *ir.Type, required, isNullable, indirect bool) presence {
	switch {
	case indirect:
		return pointer
	case nilable(t) && !isNullable:
		return bare // nil is absent; a nullable one needs Nullable to keep an explicit null
	case isNullable:
		return nullable
	case !required && isStruct(t):
		// *T, nil when absent: an Opt[T] per struct type would instantiate
		// Opt's methods once per type, which made Stripe's connector take
		// minutes and gigabytes to compile.
		return pointer
	case !required:
		return optional
	}
	return plain
}

// wrapped applies a presence to a type expression.
func wrapped(t *ir.Type, p presence) *jen.Statement {
	switch p {
	case optional:
		return jen.Qual(rtPath, "Opt").Types(goType(t))
	case nullable:
		return jen.Qual(rtPath, "Nullable").Types(goType(t))
	case pointer:
		return jen.Op("*").Add(goType(t))
	}
	return goType(t)
}

// jsonTag is the struct tag of a property: omitzero for anything that
// may be absent (nil slices and maps included, so an empty one is still
// sent); required values are always encoded, null included.
func jsonTag(name string, required bool) map[string]string {
	if !tagKeyOK(name) {
		// The runtime's MarshalNamed/UnmarshalNamed (and MarshalWithExtra,
		// UnmarshalWithExtra) encode the field under its exact name.
		tag := map[string]string{"json": "-", "jsonname": name}
		if !required {
			tag["jsonopt"] = "omitzero"
		}
		return tag
	}
	if !required {
		name += ",omitzero"
	}
	return map[string]string{"json": name}
}

// tagKeyOK reports whether encoding/json takes name as a struct tag key
// for exactly that member name: letters, digits and the punctuation
// !#$%&()*+-./:;<=>?@[]^_{|}~ and space (encoding/json's isValidTag), not
// empty and not "-" (which skips the field). Any other member (`a,b`,
// "it's", "temp°C", `x"y`, an emoji) is held in a field tagged json:"-"
// jsonname:"<name>" and encoded by the runtime.
func tagKeyOK(name string) bool {
	if name == "" || name == "-" || !utf8.ValidString(name) {
		return false
	}
	for _, c := range name {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// hasNamedMembers reports whether an object has a member tagKeyOK refuses,
// so that its MarshalJSON and UnmarshalJSON must encode it by name.
func hasNamedMembers(t *ir.Type) bool {
	for _, fl := range t.Fields {
		if !tagKeyOK(fl.JSONName) {
			return true
		}
	}
	return false
}
