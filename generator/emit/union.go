package emit

import (
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
	f.Add(doc("Value returns the variant that is set (a pointer), the Raw JSON of an unknown one, or nil."))
	f.Func().Params(recv.Clone().Id(t.Name)).Id("Value").Params().Any().BlockFunc(func(g *jen.Group) {
		for _, v := range t.Variants {
			g.If(jen.Id("u").Dot(v.GoName).Op("!=").Nil()).Block(jen.Return(jen.Id("u").Dot(v.GoName)))
		}
		g.If(jen.Id("u").Dot("Raw").Op("!=").Nil()).Block(jen.Return(jen.Id("u").Dot("Raw")))
		g.Return(jen.Nil())
	})
	f.Line()
	if t.AnyOf {
		f.Add(doc("MarshalJSON encodes the variant that is set (with its discriminator value), several set\nvariants as one object holding all their members, else Raw, else null."))
	} else {
		f.Add(doc("MarshalJSON encodes the variant that is set (with its discriminator value), else Raw, else null."))
	}
	f.Func().Params(recv.Clone().Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).BlockFunc(func(g *jen.Group) {
		if t.AnyOf {
			anyOfMarshal(g, t)
		}
		for _, v := range t.Variants {
			enc := jen.Qual("encoding/json", "Marshal").Call(jen.Id("u").Dot(v.GoName))
			if t.Discriminator != "" && len(v.Tags) > 0 {
				enc = jen.Qual(rtPath, "MarshalVariant").Call(jen.Id("u").Dot(v.GoName), jen.Lit(t.Discriminator), jen.Lit(v.Tags[0]))
			}
			g.If(jen.Id("u").Dot(v.GoName).Op("!=").Nil()).Block(jen.Return(enc))
		}
		g.Return(jen.Qual(rtPath, "MarshalRaw").Call(jen.Id("u").Dot("Raw")))
	})
	f.Line()
	if t.Discriminator != "" && hasTags(t) {
		f.Add(docf("UnmarshalJSON picks the variant named by the %q member; an unknown value is kept in Raw.", t.Discriminator))
		f.Func().Params(recv.Clone().Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
			discriminated(t)...)
		return
	}
	f.Add(doc("UnmarshalJSON picks the first variant of the value's JSON type that decodes without unknown\nmembers, then the first that decodes at all; a value no variant takes is kept in Raw."))
	f.Func().Params(recv.Clone().Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		inferred(t)...)
}

func hasTags(t *ir.Type) bool {
	for _, v := range t.Variants {
		if len(v.Tags) > 0 {
			return true
		}
	}
	return false
}

// discriminated switches on the discriminator property's value.
func discriminated(t *ir.Type) []jen.Code {
	var cases []jen.Code
	for _, v := range t.Variants {
		if len(v.Tags) == 0 {
			continue
		}
		var vals []jen.Code
		for _, tag := range v.Tags {
			vals = append(vals, jen.Lit(tag))
		}
		cases = append(cases, jen.Case(vals...).Block(
			jen.Id("u").Dot(v.GoName).Op("=").New(goType(v.Type)),
			jen.Return(jen.Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Id("u").Dot(v.GoName))),
		))
	}
	return []jen.Code{
		jen.Op("*").Id("u").Op("=").Id(t.Name).Values(),
		jen.Switch(jen.Qual(rtPath, "DiscriminatorValue").Call(jen.Id("data"), jen.Lit(t.Discriminator))).Block(cases...),
		jen.Id("u").Dot("Raw").Op("=").Qual(rtPath, "CloneRaw").Call(jen.Id("data")),
		jen.Return(jen.Nil()),
	}
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

// inferred dispatches on the value's JSON type, trying the variants that
// can hold it in order: strictly (no unknown members) first, then leniently.
func inferred(t *ir.Type) []jen.Code {
	byKind := map[string][]*ir.Variant{}
	var order []string
	for _, v := range t.Variants {
		for _, k := range jsonKinds(v.Type) {
			if _, ok := byKind[k]; !ok {
				order = append(order, k)
			}
			byKind[k] = append(byKind[k], v)
		}
	}
	var cases []jen.Code
	for _, k := range order {
		if t.AnyOf && k == "JSONObject" && len(byKind[k]) > 1 {
			cases = append(cases, jen.Case(jen.Qual(rtPath, k)).Block(anyOfObjects(byKind[k])...))
			continue
		}
		var body []jen.Code
		for _, decoder := range []string{"DecodeStrict", "DecodeLenient"} {
			for _, v := range byKind[k] {
				body = append(body, jen.If(
					jen.Id("v").Op(":=").New(goType(v.Type)),
					decodes(decoder, v.Type),
				).Block(jen.Id("u").Dot(v.GoName).Op("=").Id("v"), jen.Return(jen.Nil())))
			}
			if k != "JSONObject" {
				break // strictness only matters for objects
			}
		}
		cases = append(cases, jen.Case(jen.Qual(rtPath, k)).Block(body...))
	}
	return []jen.Code{
		jen.Op("*").Id("u").Op("=").Id(t.Name).Values(),
		jen.Switch(jen.Qual(rtPath, "KindOf").Call(jen.Id("data"))).Block(cases...),
		jen.Id("u").Dot("Raw").Op("=").Qual(rtPath, "CloneRaw").Call(jen.Id("data")),
		jen.Return(jen.Nil()),
	}
}

// decodes is the condition that data decodes into v, of variant type t,
// with decoder: strictly, an object must also have t's required members
// (not a write-only one, which a response lacks), so that a value is not
// taken for a variant whose required members it lacks.
func decodes(decoder string, t *ir.Type) jen.Code {
	dec := jen.Qual(rtPath, decoder).Call(jen.Id("data"), jen.Id("v")).Op("==").Nil()
	if decoder != "DecodeStrict" || t.Resolve().Kind != ir.Object {
		return dec
	}
	var names []jen.Code
	for _, f := range t.Resolve().Fields {
		if f.Required && !f.WriteOnly {
			names = append(names, jen.Lit(f.JSONName))
		}
	}
	if len(names) == 0 {
		return dec
	}
	return jen.Qual(rtPath, "HasMembers").Call(append([]jen.Code{jen.Id("data")}, names...)...).Op("&&").Add(dec)
}

// anyOfObjects keeps every object variant of an anyOf that the value
// matches: those that decode strictly, or failing any, all that decode.
func anyOfObjects(vs []*ir.Variant) []jen.Code {
	var body []jen.Code
	for _, decoder := range []string{"DecodeStrict", "DecodeLenient"} {
		for _, v := range vs {
			body = append(body, jen.If(
				jen.Id("v").Op(":=").New(goType(v.Type)),
				decodes(decoder, v.Type),
			).Block(jen.Id("u").Dot(v.GoName).Op("=").Id("v")))
		}
		var set []jen.Code
		for _, v := range vs {
			set = append(set, jen.Id("u").Dot(v.GoName).Op("!=").Nil())
		}
		cond := set[0]
		for _, c := range set[1:] {
			cond = jen.Add(cond).Op("||").Add(c)
		}
		body = append(body, jen.If(cond).Block(jen.Return(jen.Nil())))
	}
	return body
}

// anyOfMarshal merges the members of every variant that is set.
func anyOfMarshal(g *jen.Group, t *ir.Type) {
	var parts []jen.Code
	for _, v := range t.Variants {
		parts = append(parts, jen.Id("u").Dot(v.GoName))
	}
	g.If(jen.Id("n").Op(":=").Qual(rtPath, "CountSet").Call(parts...), jen.Id("n").Op(">").Lit(1)).Block(
		jen.Return(jen.Qual(rtPath, "MergeObjects").Call(parts...)))
}
