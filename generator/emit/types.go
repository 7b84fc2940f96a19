package emit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// types declares every named type of pkg (nil: of the unsplit
// connector), in name order so that a regenerated file's diff follows the
// spec's diff.
func (e *emitter) types(f *jen.File, pkg *ir.Package) {
	errs := errorBodies(e.api)
	var ts []*ir.Type
	for _, t := range e.api.Types {
		if t.Package == pkg {
			ts = append(ts, t)
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	for _, t := range ts {
		f.Add(typeDoc(t))
		switch t.Kind {
		case ir.Object:
			e.object(f, t)
		case ir.Enum:
			enum(f, t)
		case ir.Union:
			if t.ItemsOnly {
				itemsUnion(f, t)
			} else {
				union(f, t)
			}
		case ir.Alias:
			f.Type().Id(t.Name).Op("=").Add(goType(t.Elem))
		case ir.Any:
			f.Type().Id(t.Name).Op("=").Add(shape(t))
		default:
			if t.Kind == ir.String && (t.Format == "date-time" || t.Format == "date") {
				f.Type().Id(t.Name).Op("=").Add(shape(t))
			} else {
				f.Type().Id(t.Name).Add(shape(t))
			}
		}
		e.valid.validateMethod(f, t)
		if errs[t] {
			errorMethod(f, t)
		}
		f.Line()
	}
}

// typeDoc leads with the spec's description of the type (or its title),
// then says where the type comes from.
func typeDoc(t *ir.Type) *jen.Statement {
	what := fmt.Sprintf("%s is the schema %s.", t.Name, t.Source)
	if p := t.Parent; p != nil && len(t.Source) > maxDocPointer && p.Name != "" && strings.HasPrefix(t.Source, p.Source+"/") {
		// Deeply nested: the full pointer would repeat every ancestor's,
		// making the output grow with the square of the nesting.
		what = fmt.Sprintf("%s is the schema %s of %s.", t.Name, strings.TrimPrefix(t.Source, p.Source), p.Name)
	}
	return doc(specDoc(t.Doc), what, deprecated(t.Deprecated))
}

// maxDocPointer is the longest JSON pointer a type's doc comment spells
// out; a longer one of an inline type is written relative to its parent.
const maxDocPointer = 200

// object declares a struct; a schema with additionalProperties keeps the
// extra members in AdditionalProperties, encoded inline.
func (e *emitter) object(f *jen.File, t *ir.Type) {
	f.Type().Id(t.Name).StructFunc(func(g *jen.Group) {
		for _, fl := range t.Fields {
			p, required := fieldPresence(fl)
			g.Add(fieldDoc(fl))
			g.Id(fl.GoName).Add(wrapped(fl.Type, p)).Tag(jsonTag(fl.JSONName, required))
		}
		if t.Extra != nil {
			g.Add(doc(extraDoc(t)))
			g.Id("AdditionalProperties").Map(jen.String()).Add(goType(t.Extra)).Tag(map[string]string{"json": "-", "jsonextra": ""})
		}
	})
	if t.Extra != nil {
		codecMethods(f, t, "MarshalJSON encodes the declared members and AdditionalProperties as one object.",
			"UnmarshalJSON decodes the declared members, and every other member into AdditionalProperties.")
	} else if hasNamedMembers(t) {
		codecMethods(f, t, "MarshalJSON encodes the members, each under its exact name.",
			"UnmarshalJSON decodes the members, each from its exact name.")
	} else if hasWrappedMembers(t) {
		codecMethods(f, t, "MarshalJSON encodes the members; an absent optional member is left out.",
			"UnmarshalJSON decodes the members; a member not in data is left absent.")
	}
}

// hasWrappedMembers reports whether a field of t is a runtime.Opt or a
// runtime.Nullable. They are plain data (no MarshalJSON of their own:
// each method would be compiled once per type argument), so t needs
// codec methods for encoding/json to write them as values.
func hasWrappedMembers(t *ir.Type) bool {
	for _, fl := range t.Fields {
		if p, _ := fieldPresence(fl); p == optional || p == nullable {
			return true
		}
	}
	return false
}

// fieldPresence is how the object property fl is held (presenceOf), and
// whether it is required on the wire in both directions: a readOnly or
// writeOnly member is absent from one of them, so it is never required.
func fieldPresence(fl *ir.Field) (p presence, required bool) {
	required = fl.Required && !fl.ReadOnly && !fl.WriteOnly
	return presenceOf(fl.Type, required, fl.Nullable, fl.Indirect), required
}

// codecMethods gives the object t, which encoding/json cannot code from its
// tags alone (AdditionalProperties, tagged jsonextra, members tagged
// jsonname, or Opt and Nullable members), a MarshalJSON and an UnmarshalJSON that hand it to the
// runtime. The runtime codes such a struct from its fields (one pass,
// never calling these methods again), so they are there for
// encoding/json's sake: a connector type nested in the user's own types
// round-trips. marshalDoc and unmarshalDoc are their docs.
func codecMethods(f *jen.File, t *ir.Type, marshalDoc, unmarshalDoc string) {
	recv := jen.Id("v")
	f.Add(doc(marshalDoc))
	f.Func().Params(recv.Clone().Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(implPath, "Marshal").Call(jen.Op("&").Id("v"))),
	)
	f.Add(doc(unmarshalDoc))
	unmarshalVia(f, t, recv)
}

// unmarshalVia declares t's UnmarshalJSON: runtime.Unmarshal, which parses
// data once and decodes t, and every generated type inside, from the one
// parse (so decoding takes time linear in len(data)).
func unmarshalVia(f *jen.File, t *ir.Type, recv *jen.Statement) {
	f.Func().Params(recv.Clone().Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Qual(implPath, "Unmarshal").Call(jen.Id("data"), recv.Clone())),
	)
	f.Line()
}

// extraDoc documents an object's AdditionalProperties field: the members
// not declared, from additionalProperties or patternProperties.
func extraDoc(t *ir.Type) string {
	if t.ExtraUndeclared {
		return "AdditionalProperties keeps the undeclared members (raw JSON), so a value survives a round trip."
	}
	if len(t.Patterns) == 0 {
		return "AdditionalProperties holds the members not declared above (additionalProperties)."
	}
	var pats []string
	for _, p := range t.Patterns {
		pats = append(pats, strconv.Quote(p.Pattern))
	}
	what := "members whose names match the patternProperties " + strings.Join(pats, ", ")
	switch {
	case t.PatternsOnly:
		what += "; no other member is allowed"
	case t.Rest != nil:
		what += ", and the others (additionalProperties)"
	}
	return "AdditionalProperties holds the members not declared above: " + what + "."
}

func fieldDoc(fl *ir.Field) *jen.Statement {
	return doc(specDoc(fl.Doc), deprecated(fl.Deprecated))
}

// enum declares an open enum: the constants name the known values, and
// any other value decodes and round-trips unchanged.
func enum(f *jen.File, t *ir.Type) {
	f.Type().Id(t.Name).Add(shape(t.Elem))
	if len(t.Enum) == 0 {
		return
	}
	f.Line()
	f.Add(docf("Known values of %s.", t.Name))
	f.Const().DefsFunc(func(g *jen.Group) {
		for _, v := range t.Enum {
			g.Id(v.GoName).Id(t.Name).Op("=").Add(enumLit(v.Value))
		}
	})
}

func enumLit(v any) jen.Code {
	switch x := v.(type) {
	case string:
		return jen.Lit(x)
	case int64:
		return jen.Op(strconv.FormatInt(x, 10))
	case float64:
		return jen.Op(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return jen.Lit(fmt.Sprint(v))
}
