package openapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi3"
)

// allOf merges the members' properties into one struct. A lone member
// with nothing beside it but annotations (description, a required list
// of its own properties) stands for the member itself: allOf of a single
// $ref, or of a single oneOf. A oneOf/anyOf among the members is
// distributed: allOf [Base, oneOf [A, B]] becomes the union of the merged
// structs Base+A and Base+B.
func (l *lowerer) allOf(t *ir.Type, s *openapi3.Schema) *ir.Type {
	if i, ok := soleMember(s); ok {
		return l.schemaType(s.AllOf[i], t.Source+"/allOf/"+strconv.Itoa(i), t.Parent, t.Op, t.Part)
	}
	m := &merged{props: openapi3.Schemas{}, required: map[string]bool{}, visited: map[*openapi3.Schema]bool{}}
	m.add(l, s, t.Source)
	if g := l.alternatives(s, m.groups); g != nil {
		return l.distribute(t, s, g)
	}
	if len(m.props) == 0 {
		// allOf of scalars or of empty schemas: the first typed member wins.
		for i, mem := range s.AllOf {
			if mem != nil && mem.Value != nil && !isNullOnly(mem.Value) && (mem.Ref != "" || mem.Value.Type != nil) {
				return l.schemaType(mem, t.Source+"/allOf/"+strconv.Itoa(i), t.Parent, t.Op, t.Part)
			}
		}
		t.Kind = ir.Map
		t.Elem = &ir.Type{Kind: ir.Any}
		return t
	}
	t.Kind = ir.Object
	l.declare(t, s)
	l.fields(t, m.props, m.required, t.Source)
	switch {
	case len(m.patterns) > 0:
		slices.SortFunc(m.patterns, func(a, b pattern) int { return strings.Compare(a.expr, b.expr) })
		t.Extra = l.patterns(t, m.patterns, openapi3.AdditionalProperties{Schema: m.extra}, t, nil, "Pattern")
	case m.extra != nil:
		t.Extra = l.schemaType(m.extra, t.Source+"/additionalProperties", t, nil, "Additional")
	case m.open:
		t.Extra = &ir.Type{Kind: ir.Any}
	case !m.closed:
		keepUndeclared(t)
	}
	return t
}

// soleMember returns the index of the one member of s.AllOf that has a
// shape, when s adds nothing but annotations: no properties or
// alternatives of its own, and no other member with a shape or a
// required list.
func soleMember(s *openapi3.Schema) (int, bool) {
	if len(s.Properties) > 0 || len(s.OneOf)+len(s.AnyOf) > 0 || len(s.Required) > 0 {
		return 0, false
	}
	found := -1
	for i, mem := range s.AllOf {
		switch {
		case mem == nil || mem.Value == nil || isNullOnly(mem.Value):
		case mem.Ref == "" && shapeless(mem.Value) && len(mem.Value.Required) == 0:
		case found >= 0:
			return 0, false
		default:
			found = i
		}
	}
	return found, found >= 0
}

// shapeless reports whether s says nothing about a value's shape: only
// annotations (title, description, examples, readOnly, ...) and
// constraints such as required.
func shapeless(s *openapi3.Schema) bool {
	return s.Type == nil && s.Format == "" && len(s.Properties) == 0 && s.Items == nil && len(s.PrefixItems) == 0 &&
		len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) == 0 && len(s.Enum) == 0 && s.Const == nil &&
		s.AdditionalProperties.Schema == nil && s.AdditionalProperties.Has == nil && len(s.PatternProperties) == 0
}

func nonNullMembers(refs openapi3.SchemaRefs) openapi3.SchemaRefs {
	var out openapi3.SchemaRefs
	for _, r := range refs {
		if r != nil && r.Value != nil && !isNullOnly(r.Value) {
			out = append(out, r)
		}
	}
	return out
}

// merged accumulates an allOf's properties; the first definition of a
// property wins.
type merged struct {
	props    openapi3.Schemas
	required map[string]bool
	extra    *openapi3.SchemaRef
	patterns []pattern // patternProperties, the first definition of each
	visited  map[*openapi3.Schema]bool
	groups   []altGroup // the oneOf/anyOf met on the way
	// open and closed record additionalProperties true and false in any
	// member.
	open, closed bool
}

// altGroup is a oneOf or anyOf inside an allOf.
type altGroup struct {
	holder *openapi3.Schema // the schema carrying it
	ptr    string           // the holder's JSON pointer
}

func (m *merged) add(l *lowerer, s *openapi3.Schema, ptr string) {
	if m.visited[s] {
		return
	}
	m.visited[s] = true
	for name, p := range s.Properties {
		if _, ok := m.props[name]; !ok {
			m.props[name] = p
		}
	}
	for _, r := range s.Required {
		m.required[r] = true
	}
	if s.AdditionalProperties.Schema != nil && m.extra == nil {
		m.extra = s.AdditionalProperties.Schema
	}
	if has := s.AdditionalProperties.Has; has != nil {
		m.open, m.closed = m.open || *has, m.closed || !*has
	}
	for _, p := range patternsOf(s.PatternProperties, ptr) {
		if !slices.ContainsFunc(m.patterns, func(q pattern) bool { return q.expr == p.expr }) {
			m.patterns = append(m.patterns, p)
		}
	}
	for i, mem := range s.AllOf {
		if mem != nil && mem.Value != nil {
			m.add(l, mem.Value, ptr+"/allOf/"+strconv.Itoa(i))
		}
	}
	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		m.groups = append(m.groups, altGroup{holder: s, ptr: ptr})
	}
}

// alternatives picks the oneOf/anyOf of an allOf to distribute, or nil.
// Ignored without a warning, because the merged struct is then exact:
// alternatives that only constrain (required sets, as DigitalOcean's
// "inbound or outbound rules"), and a parent's oneOf listing its subtypes
// (Pet: oneOf [Cat, Dog] with Cat: allOf [Pet, ...]) seen from a subtype.
// Only one group, on s or on one of its own members, is distributed;
// others are warned about.
func (l *lowerer) alternatives(s *openapi3.Schema, groups []altGroup) *altGroup {
	var out []altGroup
	for _, g := range groups {
		alts := nonNullMembers(append(slices.Clone(g.holder.OneOf), g.holder.AnyOf...))
		if !slices.ContainsFunc(alts, func(a *openapi3.SchemaRef) bool { return !shapeless(a.Value) }) {
			continue
		}
		if slices.ContainsFunc(alts, func(a *openapi3.SchemaRef) bool { return includes(a.Value, s, 8) }) {
			continue
		}
		out = append(out, g)
	}
	switch {
	case len(out) == 0:
		return nil
	case len(out) == 1 && (out[0].holder == s || slices.ContainsFunc(s.AllOf, func(m *openapi3.SchemaRef) bool {
		return m != nil && m.Value == out[0].holder
	})):
		return &out[0]
	}
	for _, g := range out {
		l.warn(g.ptr, "oneOf/anyOf nested this deep in allOf, or beside another one, is not distributed; only the shared properties are typed, and the alternatives' own members are kept in no field")
	}
	return nil
}

// includes reports whether s is target or has it among its allOf members,
// to depth levels.
func includes(s, target *openapi3.Schema, depth int) bool {
	if s == target {
		return true
	}
	if depth == 0 {
		return false
	}
	for _, m := range s.AllOf {
		if m != nil && m.Value != nil && includes(m.Value, target, depth-1) {
			return true
		}
	}
	return false
}

// distribute lowers allOf [Base..., oneOf [A, B]] as the union of
// allOf [Base..., A] and allOf [Base..., B]: each variant a struct with
// the shared and its own members, dispatched by the group's discriminator
// (or the allOf's own), with implicit discriminator values from the
// alternatives' component names.
func (l *lowerer) distribute(t *ir.Type, s *openapi3.Schema, g *altGroup) *ir.Type {
	base := *s
	if g.holder == s {
		base.OneOf, base.AnyOf, base.Discriminator = nil, nil, nil
	} else {
		base.AllOf = slices.Clone(s.AllOf)
		for i, m := range base.AllOf {
			if m != nil && m.Value == g.holder {
				h := *g.holder
				h.OneOf, h.AnyOf, h.Discriminator = nil, nil, nil
				base.AllOf[i] = &openapi3.SchemaRef{Value: &h}
			}
		}
	}
	refs, kw := g.holder.OneOf, "oneOf"
	if len(refs) == 0 {
		refs, kw = g.holder.AnyOf, "anyOf"
	}
	d := g.holder.Discriminator
	if d == nil {
		d = s.Discriminator
	}
	var members []unionMember
	for i, alt := range refs {
		if alt == nil || alt.Value == nil || isNullOnly(alt.Value) {
			continue
		}
		part := variantPart(alt.Value, len(members))
		if name, ok := componentName(alt.Ref); ok {
			part = name
		}
		variant := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: &base}, alt}}
		members = append(members, unionMember{schema: &openapi3.SchemaRef{Value: variant},
			ptr: g.ptr + "/" + kw + "/" + strconv.Itoa(i), tagRef: alt.Ref, part: part})
	}
	return l.unionOf(t, s, kw == "anyOf", d, members)
}
