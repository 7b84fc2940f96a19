package emit

import (
	"fmt"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// union declares a oneOf/anyOf as a struct with one pointer per variant:
// after decoding exactly one is set, or Raw holds a value no variant
// matched (a variant newer than this client). Value returns the set one,
// for an exhaustive type switch.
func union(f *jen.File, t *ir.Type) {
	f.Type().Id(t.Name).StructFunc(func(g *jen.Group) {
		for _, v := range t.Variants {
			g.Id(v.GoName).Op("*").Add(goType(v.Type))
		}
		g.Add(doc("Raw holds the JSON of a value that matched no variant."))
		g.Id("Raw").Qual("encoding/json", "RawMessage")
	})
	recv := jen.Id("u")
	f.Line()
	valueMethod(f, t, "Value returns the variant that is set (a pointer), the Raw JSON of an unknown one, or nil.")
	f.Line()
	set := "the variant that is set"
	if t.Discriminator != "" && hasTags(t) {
		set += fmt.Sprintf(" (with its %q value)", t.Discriminator)
	}
	if t.AnyOf {
		f.Add(doc("MarshalJSON encodes " + set + ", several set\nvariants as one object holding all their members, else Raw, else null."))
	} else {
		f.Add(doc("MarshalJSON encodes " + set + ", else Raw, else null."))
	}
	f.Func().Params(recv.Clone().Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(implPath, "Marshal").Call(jen.Op("&").Id("u"))),
	)
	f.Line()
	f.Add(doc("EncodeTo writes MarshalJSON's output to e (one pass into one buffer)."))
	args := []jen.Code{jen.Op("&").Id(unionVar(t)), jen.Id("u").Dot("Raw")}
	for _, v := range t.Variants {
		args = append(args, jen.Id("u").Dot(v.GoName))
	}
	f.Func().Params(recv.Clone().Op("*").Id(t.Name)).Id("EncodeTo").Params(jen.Id("e").Op("*").Qual(implPath, "Encoder")).Error().Block(
		jen.Return(jen.Id("e").Dot("Union").Call(args...)),
	)
	f.Line()
	f.Add(doc("UnmarshalJSON decodes the value into the variant it matches (see DecodeFrom)."))
	unmarshalVia(f, t, recv)
	what := "UnmarshalJSON reading from d (one parse of the whole document). It picks\nthe variant from a shallow look at the value, then decodes the value once: "
	if t.Discriminator != "" && hasTags(t) {
		what += fmt.Sprintf("the one named by the %q member\n(an unknown value is kept in Raw); without that member, ", t.Discriminator)
	}
	what += "the first variant of the value's JSON type\nwhose members it has exactly, else the first it fits"
	if t.AnyOf {
		what += " (an object goes to every object variant it\nmatches)"
	}
	what += ". A value no variant takes is kept in Raw."
	f.Add(doc("DecodeFrom is " + what))
	args = []jen.Code{jen.Op("&").Id(unionVar(t)), jen.Op("&").Id("u").Dot("Raw")}
	for _, v := range t.Variants {
		args = append(args, jen.Op("&").Id("u").Dot(v.GoName))
	}
	f.Func().Params(recv.Clone().Op("*").Id(t.Name)).Id("DecodeFrom").Params(jen.Id("d").Op("*").Qual(implPath, "Decoder")).Error().Block(
		jen.Return(jen.Id("d").Dot("Union").Call(args...)),
	)
	f.Line()
	f.Add(docf("%s describes %s's variants to the runtime's decoder and encoder.", unionVar(t), t.Name))
	f.Var().Id(unionVar(t)).Op("=").Qual(implPath, "Union").Values(unionDesc(t)...)
}

// unionVar names the package variable describing the union t.
func unionVar(t *ir.Type) string { return "union" + t.Name }

func hasTags(t *ir.Type) bool {
	for _, v := range t.Variants {
		if len(v.Tags) > 0 {
			return true
		}
	}
	return false
}

// unionDesc is the runtime.Union literal of t: its discriminator, and per
// variant the discriminator values, JSON kinds and required members.
func unionDesc(t *ir.Type) []jen.Code {
	var out []jen.Code
	if t.Discriminator != "" && hasTags(t) {
		out = append(out, jen.Id("Discriminator").Op(":").Lit(t.Discriminator))
	}
	if t.AnyOf {
		out = append(out, jen.Id("AnyOf").Op(":").True())
	}
	var vs []jen.Code
	for _, v := range t.Variants {
		var fields []jen.Code
		if t.Discriminator != "" && len(v.Tags) > 0 {
			var tags []jen.Code
			for _, tag := range v.Tags {
				tags = append(tags, jen.Lit(tag))
			}
			fields = append(fields, jen.Id("Tags").Op(":").Index().String().Values(tags...))
		}
		var kinds []jen.Code
		for _, k := range jsonKinds(v.Type) {
			kinds = append(kinds, jen.Qual(implPath, k))
		}
		fields = append(fields, jen.Id("Kinds").Op(":").Index().Qual(implPath, "JSONKind").Values(kinds...))
		if names := requiredMembers(v.Type); len(names) > 0 {
			fields = append(fields, jen.Id("Required").Op(":").Index().String().Values(names...))
		}
		if c := constMembers(v.Type); len(c) > 0 {
			fields = append(fields, jen.Id("Const").Op(":").Map(jen.String()).String().Values(c...))
		}
		vs = append(vs, jen.Values(fields...))
	}
	out = append(out, jen.Id("Variants").Op(":").Index().Qual(implPath, "Variant").Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, vs...))
	return out
}

// jsonKinds lists the runtime JSON kinds a variant's type can decode from.
func jsonKinds(t *ir.Type) []string {
	r := t.Resolve()
	switch r.Kind {
	case ir.Object, ir.Map:
		return []string{"JSONObject"}
	case ir.Array:
		return []string{"JSONArray"}
	case ir.Bool:
		return []string{"JSONBool"}
	case ir.Int, ir.Float:
		if r.Format == "int64-string" {
			return []string{"JSONString", "JSONNumber"}
		}
		return []string{"JSONNumber"}
	case ir.String:
		return []string{"JSONString"}
	case ir.Enum:
		if r.Elem != nil && r.Elem.Kind == ir.String {
			return []string{"JSONString"}
		}
		return []string{"JSONNumber"}
	}
	return []string{"JSONObject", "JSONArray", "JSONString", "JSONNumber", "JSONBool"}
}

// constMembers lists, as map entries, the members of object variant type
// t whose schema allows a single string (an enum of one value), with it.
func constMembers(t *ir.Type) []jen.Code {
	if t.Resolve().Kind != ir.Object {
		return nil
	}
	var out []jen.Code
	for _, f := range t.Resolve().Fields {
		if e := f.Type.Resolve(); e.Kind == ir.Enum && len(e.Enum) == 1 {
			if s, ok := e.Enum[0].Value.(string); ok {
				out = append(out, jen.Lit(f.JSONName).Op(":").Lit(s))
			}
		}
	}
	return out
}

// requiredMembers lists the members an object of variant type t must have
// to be taken for it (required, not write-only: a response lacks those),
// so that a value is not taken for a variant whose required members it
// lacks.
func requiredMembers(t *ir.Type) []jen.Code {
	if t.Resolve().Kind != ir.Object {
		return nil
	}
	var names []jen.Code
	for _, f := range t.Resolve().Fields {
		if f.Required && !f.WriteOnly {
			names = append(names, jen.Lit(f.JSONName))
		}
	}
	return names
}

// valueMethod writes the union t's Value method, which returns the variant
// that is set (a pointer), else Raw when set, else nil; comment is its doc.
func valueMethod(f *jen.File, t *ir.Type, comment string) {
	f.Add(doc(comment))
	f.Func().Params(jen.Id("u").Id(t.Name)).Id("Value").Params().Any().BlockFunc(func(g *jen.Group) {
		for _, v := range t.Variants {
			g.If(jen.Id("u").Dot(v.GoName).Op("!=").Nil()).Block(jen.Return(jen.Id("u").Dot(v.GoName)))
		}
		g.If(jen.Id("u").Dot("Raw").Op("!=").Nil()).Block(jen.Return(jen.Id("u").Dot("Raw")))
		g.Return(jen.Nil())
	})
}
