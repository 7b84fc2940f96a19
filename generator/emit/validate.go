package emit

import (
	"fmt"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// validation decides which named types get a Validate method: those whose
// schema has validation keywords, or that hold such a value. It is a
// fixpoint over the type graph, so recursive types terminate.
type validation struct {
	needs map[*ir.Type]bool
}

func newValidation(api *ir.API) *validation {
	v := &validation{needs: map[*ir.Type]bool{}}
	for changed := true; changed; {
		changed = false
		for _, t := range api.Types {
			if !v.needs[t] && v.declNeeds(t) {
				v.needs[t], changed = true, true
			}
		}
	}
	return v
}

func (v *validation) declNeeds(t *ir.Type) bool {
	switch t.Kind {
	case ir.Object:
		for _, f := range t.Fields {
			required := f.Required && !f.ReadOnly && !f.WriteOnly
			if v.valueNeeds(f.Type) || required && canBeUnset(f.Type, presenceOf(f.Type, required, f.Nullable, f.Indirect), f.Nullable) {
				return true
			}
		}
		return t.Extra != nil && v.extraNeeds(t, t.Extra)
	case ir.Union:
		for _, vr := range t.Variants {
			if v.valueNeeds(vr.Type) {
				return true
			}
		}
		return false
	case ir.Alias, ir.Enum, ir.Any, ir.Opaque:
		return false
	}
	return v.shapeNeeds(t)
}

// valueNeeds reports whether a value of type t has anything to check.
func (v *validation) valueNeeds(t *ir.Type) bool {
	if t.Named {
		return v.needs[t.Resolve()]
	}
	return v.shapeNeeds(t)
}

func (v *validation) shapeNeeds(t *ir.Type) bool {
	switch t.Kind {
	case ir.Array:
		return t.Limits != nil || v.valueNeeds(t.Elem)
	case ir.Map:
		return t.Limits != nil || v.extraNeeds(t, t.Elem)
	case ir.String:
		return t.Limits != nil && t.Format == ""
	case ir.Int, ir.Float:
		return t.Limits != nil
	}
	return false
}

// validateMethod declares Validate on a named type that needs one.
func (v *validation) validateMethod(f *jen.File, t *ir.Type) {
	if !v.needs[t] {
		return
	}
	f.Line()
	keywords := "(lengths, bounds,\npatterns, item and member counts)"
	if t.Kind == ir.Object {
		keywords = "(required members,\nlengths, bounds, patterns, item and member counts)"
	}
	f.Add(doc(fmt.Sprintf("Validate checks %s against the schema's validation keywords %s and returns every violation as a\n*runtime.ValidationError with JSON pointers. Enums are open: unknown values pass.", t.Name, keywords)))
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("Validate").Params().Error().BlockFunc(func(g *jen.Group) {
		g.Var().Id("c").Qual(implPath, "Checker")
		switch t.Kind {
		case ir.Object:
			for _, fl := range t.Fields {
				p, required := fieldPresence(fl)
				v.present(g, jen.Lit("/"+diag.EscapeToken(fl.JSONName)), jen.Id("v").Dot(fl.GoName), fl.Type,
					p, required, fl.Nullable, 0)
			}
			if t.Extra != nil && v.extraNeeds(t, t.Extra) {
				v.extraMembers(g, jen.Lit(""), jen.Id("v").Dot("AdditionalProperties"), t, t.Extra, 0)
			}
		case ir.Union:
			for _, vr := range t.Variants {
				if v.valueNeeds(vr.Type) {
					g.If(jen.Id("v").Dot(vr.GoName).Op("!=").Nil()).BlockFunc(func(g *jen.Group) {
						x := jen.Op("*").Id("v").Dot(vr.GoName)
						if !vr.Type.Named && vr.Type.Kind == ir.Map {
							// A map is indexed: *v.Map[k] would index the pointer.
							g.Id("m").Op(":=").Add(x)
							x = jen.Id("m")
						}
						v.check(g, jen.Lit(""), x, vr.Type, 0)
					})
				}
			}
		default:
			v.checkShape(g, jen.Lit(""), jen.Id("v"), t, 0)
		}
		g.Return(jen.Id("c").Dot("Err").Call())
	})
}

// canBeUnset reports whether a required value of type t held in
// presence p can be left unset in Go, so that it would go out as null or
// not at all: a nil slice, map, free-form value or struct pointer, a
// Nullable never set, or a union held by value with no variant and no
// Raw. A zero string, number or struct is a set value, and so is a nil
// pointer to a nullable struct (it is sent as null).
func canBeUnset(t *ir.Type, p presence, isNullable bool) bool {
	return unsetCond(jen.Id("x"), t, p, isNullable) != nil
}

// unsetCond is the condition under which required value x of type t held
// in presence p is unset (see canBeUnset), or nil when every Go value of
// it is a set one.
func unsetCond(x jen.Code, t *ir.Type, p presence, isNullable bool) jen.Code {
	switch p {
	case pointer:
		if isNullable {
			return nil // nil is null
		}
		return jen.Add(x).Op("==").Nil()
	case bare:
		return jen.Add(x).Op("==").Nil()
	case nullable:
		// A required nullable value must be set, to null if need be
		// (runtime.NullValue): a Nullable never set is a forgotten member.
		return jen.Op("!").Add(x).Dot("Set")
	case plain:
		if r := t.Resolve(); r.Kind == ir.Union && r.GoType == nil {
			return jen.Add(x).Dot("Value").Call().Op("==").Nil()
		}
	}
	return nil
}

// present checks a field or parameter in its Go representation, skipping
// absent and null values. A required one that is unset in Go (see
// canBeUnset) is a violation, "required", at ptr (JSON Schema 2020-12
// §6.5.3), and is not checked further.
func (v *validation) present(g *jen.Group, ptr, x jen.Code, t *ir.Type, p presence, required, isNullable bool, depth int) {
	if required {
		if cond := unsetCond(x, t, p, isNullable); cond != nil {
			missing := jen.Id("c").Dot("Add").Call(ptr, jen.Lit("required"))
			if !v.valueNeeds(t) {
				g.If(cond).Block(missing)
				return
			}
			stmt := g.If(cond).Block(missing).Else()
			switch p {
			case nullable:
				stmt.If(jen.Op("!").Add(x).Dot("Null")).BlockFunc(func(g *jen.Group) {
					v.check(g, ptr, jen.Add(x).Dot("Value"), t, depth)
				})
			case pointer:
				stmt.BlockFunc(func(g *jen.Group) { v.check(g, ptr, jen.Op("*").Add(x), t, depth) })
			default:
				stmt.BlockFunc(func(g *jen.Group) { v.check(g, ptr, x, t, depth) })
			}
			return
		}
	}
	if !v.valueNeeds(t) {
		return
	}
	inner := func(val jen.Code) func(*jen.Group) {
		return func(g *jen.Group) { v.check(g, ptr, val, t, depth) }
	}
	switch {
	case p == optional:
		g.If(jen.Add(x).Dot("Set")).BlockFunc(inner(jen.Add(x).Dot("Value")))
	case p == nullable:
		g.If(jen.Add(x).Dot("Set").Op("&&").Op("!").Add(x).Dot("Null")).BlockFunc(inner(jen.Add(x).Dot("Value")))
	case p == pointer:
		g.If(jen.Add(x).Op("!=").Nil()).BlockFunc(inner(jen.Op("*").Add(x)))
	case p == bare && !required:
		g.If(jen.Add(x).Op("!=").Nil()).BlockFunc(inner(x))
	default:
		v.check(g, ptr, x, t, depth)
	}
}

// check validates value x of type t at pointer ptr.
func (v *validation) check(g *jen.Group, ptr, x jen.Code, t *ir.Type, depth int) {
	if t.Named {
		if v.valueNeeds(t) {
			g.Id("c").Dot("Nested").Call(ptr, x)
		}
		return
	}
	v.checkShape(g, ptr, x, t, depth)
}

// checkShape validates x by t's structure (t's own keywords, then items).
func (v *validation) checkShape(g *jen.Group, ptr, x jen.Code, t *ir.Type, depth int) {
	switch t.Kind {
	case ir.String:
		if t.Limits != nil && t.Format == "" {
			if t.Named {
				x = jen.String().Call(x)
			}
			g.Id("c").Dot("String").Call(ptr, x, limitsLit(t.Limits))
		}
	case ir.Int, ir.Float:
		if t.Limits != nil {
			g.Id("c").Dot("Number").Call(ptr, jen.Float64().Call(x), limitsLit(t.Limits))
		}
	case ir.Array:
		if l := t.Limits; l != nil {
			if l.MinItems != nil || l.MaxItems != nil {
				g.Id("c").Dot("Count").Call(ptr, jen.Len(x), intLit(l.MinItems), intLit(l.MaxItems), jen.Lit("items"))
			}
			if l.UniqueItems {
				g.Id("c").Dot("Unique").Call(ptr, x)
			}
		}
		if v.valueNeeds(t.Elem) {
			i, item := fmt.Sprintf("i%d", depth), fmt.Sprintf("item%d", depth)
			g.For(jen.List(jen.Id(i), jen.Id(item)).Op(":=").Range().Add(x)).BlockFunc(func(g *jen.Group) {
				v.check(g, jen.Qual(implPath, "Index").Call(ptr, jen.Id(i)), jen.Id(item), t.Elem, depth+1)
			})
		}
	case ir.Map:
		if l := t.Limits; l != nil && (l.MinProperties != nil || l.MaxProperties != nil) {
			g.Id("c").Dot("Count").Call(ptr, jen.Len(x), intLit(l.MinProperties), intLit(l.MaxProperties), jen.Lit("members"))
		}
		if v.extraNeeds(t, t.Elem) {
			v.extraMembers(g, ptr, x, t, t.Elem, depth)
		}
	}
}

// extraNeeds reports whether the members beyond an object's declared
// ones, held in a map of elem, have anything to check: their values, or,
// with patternProperties, their names and the values of those matching
// each pattern.
func (v *validation) extraNeeds(t, elem *ir.Type) bool {
	if len(t.Patterns) == 0 {
		return v.valueNeeds(elem)
	}
	res, all := patternRegexps(t)
	if t.PatternsOnly && all && len(res) > 0 || t.Rest != nil && all && v.valueNeeds(t.Rest) {
		return true
	}
	for _, p := range t.Patterns {
		if p.RE2 && p.Type != nil && v.valueNeeds(p.Type) {
			return true
		}
	}
	return false
}

// extraMembers validates the members of map x beyond an object's declared
// ones: every value against elem, or, with patternProperties, each value
// against the pattern its name matches (all of them when several do, JSON
// Schema 2020-12 §10.3.2.2), a name matching none against
// additionalProperties: false or its schema.
func (v *validation) extraMembers(g *jen.Group, ptr, x jen.Code, t, elem *ir.Type, depth int) {
	if len(t.Patterns) == 0 {
		v.mapValues(g, ptr, x, elem, depth)
		return
	}
	k := fmt.Sprintf("k%d", depth)
	at := func() jen.Code { return jen.Qual(implPath, "Key").Call(ptr, jen.Id(k)) }
	res, all := patternRegexps(t)
	g.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(x))).BlockFunc(func(g *jen.Group) {
		if t.PatternsOnly && all && len(res) > 0 {
			g.Id("c").Dot("MemberName").Call(append([]jen.Code{at(), jen.Id(k)}, res...)...)
		}
		for _, p := range t.Patterns {
			if p.RE2 && p.Type != nil && v.valueNeeds(p.Type) {
				g.If(jen.Qual(implPath, "Pattern").Call(jen.Lit(p.Pattern)).Dot("MatchString").Call(jen.Id(k))).BlockFunc(func(g *jen.Group) {
					v.check(g, at(), jen.Add(x).Index(jen.Id(k)), p.Type, depth+1)
				})
			}
		}
		if t.Rest != nil && all && v.valueNeeds(t.Rest) {
			g.If(jen.Op("!").Qual(implPath, "MatchAny").Call(append([]jen.Code{jen.Id(k)}, res...)...)).BlockFunc(func(g *jen.Group) {
				v.check(g, at(), jen.Add(x).Index(jen.Id(k)), t.Rest, depth+1)
			})
		}
	})
}

// patternRegexps returns runtime.Pattern calls for t's checkable patterns,
// and whether every pattern is checkable (RE2 syntax).
func patternRegexps(t *ir.Type) (res []jen.Code, all bool) {
	all = true
	for _, p := range t.Patterns {
		if !p.RE2 {
			all = false
			continue
		}
		res = append(res, jen.Qual(implPath, "Pattern").Call(jen.Lit(p.Pattern)))
	}
	return res, all
}

// mapValues validates every value of a map, in key order.
func (v *validation) mapValues(g *jen.Group, ptr, x jen.Code, elem *ir.Type, depth int) {
	k := fmt.Sprintf("k%d", depth)
	g.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(x))).BlockFunc(func(g *jen.Group) {
		v.check(g, jen.Qual(implPath, "Key").Call(ptr, jen.Id(k)), jen.Add(x).Index(jen.Id(k)), elem, depth+1)
	})
}

func intLit(n *int) jen.Code {
	if n == nil {
		return jen.Nil()
	}
	return jen.Qual(implPath, "Int").Call(jen.Lit(*n))
}

func floatLit(x *float64) jen.Code {
	if x == nil {
		return jen.Null()
	}
	return jen.Qual(implPath, "Float").Call(jen.Lit(*x))
}

// limitsLit renders the scalar keywords as a runtime.Limits literal.
func limitsLit(l *ir.Limits) jen.Code {
	d := jen.Dict{}
	set := func(name string, c jen.Code) { d[jen.Id(name)] = c }
	if l.MinLength != nil {
		set("MinLength", intLit(l.MinLength))
	}
	if l.MaxLength != nil {
		set("MaxLength", intLit(l.MaxLength))
	}
	if l.Pattern != "" {
		set("Pattern", jen.Qual(implPath, "Pattern").Call(jen.Lit(l.Pattern)))
	}
	if l.Minimum != nil {
		set("Minimum", floatLit(l.Minimum))
		if l.ExclusiveMinimum {
			set("ExclusiveMin", jen.True())
		}
	}
	if l.Maximum != nil {
		set("Maximum", floatLit(l.Maximum))
		if l.ExclusiveMax {
			set("ExclusiveMax", jen.True())
		}
	}
	if l.MultipleOf != nil {
		set("MultipleOf", floatLit(l.MultipleOf))
	}
	return jen.Qual(implPath, "Limits").Values(d)
}

// requestNeeds reports whether an operation's request has anything to check.
func (v *validation) requestNeeds(op *ir.Operation) bool {
	for _, p := range op.Params {
		if v.valueNeeds(p.Type) || p.Required && canBeUnset(p.Type, presenceOf(p.Type, p.Required, false, false), false) {
			return true
		}
	}
	b := op.Body
	return b != nil && b.Type != nil && (b.Kind == ir.BodyJSON || b.Kind == ir.BodyForm) &&
		(v.valueNeeds(b.Type) || b.Required && canBeUnset(b.Type, presenceOf(b.Type, b.Required, false, false), false))
}

// requestValidate declares Validate on an operation's request type:
// parameters at /<in>/<name>, the body at /body.
func (v *validation) requestValidate(f *jen.File, op *ir.Operation) {
	f.Line()
	f.Add(doc(fmt.Sprintf("Validate checks the parameters and body of %s against the schema before\nanything is sent; violations are named /<location>/<parameter> and /body/...", op.Name)))
	f.Func().Params(jen.Id("v").Id(op.RequestName)).Id("Validate").Params().Error().BlockFunc(func(g *jen.Group) {
		g.Var().Id("c").Qual(implPath, "Checker")
		for _, p := range op.Params {
			v.present(g, jen.Lit("/"+p.In+"/"+diag.EscapeToken(p.Name)), jen.Id("v").Dot(p.GoName), p.Type,
				presenceOf(p.Type, p.Required, false, false), p.Required, false, 0)
		}
		if b := op.Body; b != nil && b.Type != nil && (b.Kind == ir.BodyJSON || b.Kind == ir.BodyForm) {
			v.present(g, jen.Lit("/body"), jen.Id("v").Dot("Body"), b.Type, presenceOf(b.Type, b.Required, false, false), b.Required, false, 0)
		}
		g.Return(jen.Id("c").Dot("Err").Call())
	})
}
