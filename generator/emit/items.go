package emit

import (
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// itemsUnion declares the union a schema with items but no type becomes
// (ir.Type.ItemsOnly): an array of the items, one item, or any other JSON
// value. Raw keeps the JSON of a value neither variant takes, and beside
// a variant the JSON as received when the variant does not hold it
// exactly (runtime.DecodeExact), so a decoded value is sent back as it
// came; MarshalJSON prefers Raw.
func itemsUnion(f *jen.File, t *ir.Type) {
	var arr, item *ir.Variant
	for _, v := range t.Variants {
		if v.Type.Kind == ir.Array && v.Type.Source == t.Source && arr == nil {
			arr = v
		} else {
			item = v
		}
	}
	f.Type().Id(t.Name).StructFunc(func(g *jen.Group) {
		for _, v := range t.Variants {
			g.Id(v.GoName).Op("*").Add(goType(v.Type))
		}
		g.Add(doc("Raw holds the JSON of a value no variant takes (null included) or, beside the variant,\n" +
			"the JSON as received when the variant does not hold all of it. MarshalJSON sends Raw\n" +
			"when it is set: clear it to send an edited variant."))
		g.Id("Raw").Qual("encoding/json", "RawMessage")
	})
	recv := jen.Id("u")
	f.Line()
	valueMethod(f, t, "Value returns the variant that is set (a pointer), else the Raw JSON, else nil.")
	f.Line()
	f.Add(doc("MarshalJSON encodes Raw when it is set, else the variant that is set, else null."))
	f.Func().Params(recv.Clone().Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).BlockFunc(func(g *jen.Group) {
		g.If(jen.Id("u").Dot("Raw").Op("!=").Nil()).Block(jen.Return(jen.Qual(implPath, "MarshalRaw").Call(jen.Id("u").Dot("Raw"))))
		for _, v := range t.Variants {
			g.If(jen.Id("u").Dot(v.GoName).Op("!=").Nil()).Block(jen.Return(jen.Qual(implPath, "Marshal").Call(jen.Id("u").Dot(v.GoName))))
		}
		g.Return(jen.Qual(implPath, "MarshalRaw").Call(jen.Nil()))
	})
	f.Line()
	decode := func(v *ir.Variant) jen.Code {
		return jen.Block(
			jen.Id("v").Op(":=").New(goType(v.Type)),
			jen.If(jen.List(jen.Id("ok"), jen.Err()).Op(":=").Qual(implPath, "DecodeExact").Call(jen.Id("data"), jen.Id("v")), jen.Err().Op("==").Nil()).Block(
				jen.List(jen.Id("u").Dot(v.GoName), jen.Id("exact")).Op("=").List(jen.Id("v"), jen.Id("ok")),
			),
		)
	}
	if item != nil {
		f.Add(docf("UnmarshalJSON decodes an array into %s and any other value but null into %s; it keeps\nthe JSON in Raw when no variant takes it or the one that does cannot hold all of it.", arr.GoName, item.GoName))
	} else {
		f.Add(docf("UnmarshalJSON decodes an array into %s; it keeps the JSON in Raw when that is not\nan array of the items or %s cannot hold all of it.", arr.GoName, arr.GoName))
	}
	f.Func().Params(recv.Clone().Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().BlockFunc(func(g *jen.Group) {
		g.Op("*").Id("u").Op("=").Id(t.Name).Values()
		g.Id("kind").Op(":=").Qual(implPath, "KindOf").Call(jen.Id("data"))
		g.Id("exact").Op(":=").False()
		g.If(jen.Id("kind").Op("==").Qual(implPath, "JSONArray")).Add(decode(arr))
		if item != nil {
			g.If(jen.Id("u").Dot(arr.GoName).Op("==").Nil().Op("&&").Id("kind").Op("!=").Qual(implPath, "JSONNull")).Add(decode(item))
		}
		g.If(jen.Op("!").Id("exact")).Block(jen.Id("u").Dot("Raw").Op("=").Qual(implPath, "CloneRaw").Call(jen.Id("data")))
		g.Return(jen.Nil())
	})
}
