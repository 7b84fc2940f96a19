package openapi

import (
	"fmt"
	"go/token"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi3"
)

const componentsPrefix = "#/components/schemas/"

// componentSchemas declares every components/schemas entry first, so that
// $refs and recursive references resolve to one type, then lowers them.
func (l *lowerer) componentSchemas() {
	if l.doc.Components == nil {
		return
	}
	schemas := l.doc.Components.Schemas
	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t := &ir.Type{Named: true, Component: true, SpecName: name, Source: diag.Pointer("components", "schemas", name)}
		l.components[name] = t
		if sr := schemas[name]; sr != nil && sr.Value != nil && sr.Ref == "" {
			l.bySchema[sr.Value] = t
		}
	}
	for _, name := range names {
		t := l.components[name]
		sr := schemas[name]
		l.api.Types = append(l.api.Types, t)
		if sr == nil || sr.Value == nil {
			t.Kind = ir.Any
			continue
		}
		if sr.Ref != "" {
			l.alias(t, l.schemaType(sr, t.Source, nil, nil, name))
			continue
		}
		if got := l.lowerInto(t, sr.Value); got != t {
			l.alias(t, got)
		}
	}
}

// alias makes a component that stands for another type: a Go alias for a
// named target, or the target's shape under the component's name.
func (l *lowerer) alias(t, target *ir.Type) {
	if target.Named {
		t.Kind, t.Elem = ir.Alias, target
		return
	}
	name, src, doc := t.SpecName, t.Source, t.Doc
	*t = *target
	t.Named, t.Component, t.SpecName, t.Source = true, true, name, src
	if doc != "" {
		t.Doc = doc
	}
}

// schemaType returns the type of a schema reference met at ptr. parent, op
// and part place an inline declaration for naming.
func (l *lowerer) schemaType(sr *openapi3.SchemaRef, ptr string, parent *ir.Type, op *ir.Operation, part string) *ir.Type {
	if sr == nil || sr.Value == nil {
		if sr != nil && sr.Ref != "" {
			l.warn(ptr, "unresolved $ref %q; using a free-form value", sr.Ref)
		}
		return &ir.Type{Kind: ir.Any, Source: ptr}
	}
	if t, ok := l.bySchema[sr.Value]; ok {
		return t
	}
	if name, ok := componentName(sr.Ref); ok {
		if t, ok := l.components[name]; ok {
			return t
		}
	}
	if sr.Ref != "" && strings.HasPrefix(sr.Ref, "#/") {
		// A $ref into another schema's property or elsewhere: name the
		// type after where it lives, so every referrer shares it.
		if t, ok := l.byRef[sr.Ref]; ok {
			return t
		}
		t := &ir.Type{Source: sr.Ref, Part: refHint(sr.Ref)}
		l.byRef[sr.Ref] = t
		if got := l.lowerInto(t, sr.Value); got != t {
			l.byRef[sr.Ref] = got
			return got
		}
		return t
	}
	t := &ir.Type{Source: ptr, Parent: parent, Op: op, Part: part}
	return l.lowerInto(t, sr.Value)
}

// componentName returns the schema name a $ref to a component names;
// Swagger 2.0's "#/definitions/X" counts, as converted specs keep some.
func componentName(ref string) (string, bool) {
	for _, prefix := range []string{componentsPrefix, "#/definitions/"} {
		if name, ok := strings.CutPrefix(ref, prefix); ok && !strings.Contains(name, "/") {
			return unescape(name), true
		}
	}
	return "", false
}

func unescape(tok string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
}

// refHint makes a naming hint from a $ref's last meaningful tokens:
// "#/components/schemas/X/properties/y" → "X y".
func refHint(ref string) string {
	var words []string
	for _, tok := range diag.Tokens(ref) {
		switch tok {
		case "components", "schemas", "properties", "items", "parameters", "schema", "content":
			continue
		}
		words = append(words, tok)
	}
	return strings.Join(words, " ")
}

// lowerInto fills t from schema s, or returns another existing type when s
// is only a reference to it (allOf of a single $ref).
func (l *lowerer) lowerInto(t *ir.Type, s *openapi3.Schema) *ir.Type {
	t.GoNameOverride = goName(s.Extensions)
	if gt := l.goType(s.Extensions, t.Source); gt != nil {
		t.Kind, t.GoType = ir.Any, gt
		t.Doc = firstNonEmpty(s.Description, s.Title, t.Doc)
		return t
	}
	t.Doc = firstNonEmpty(s.Description, s.Title, t.Doc)
	t.Deprecated = s.Deprecated
	t.Nullable = nullable(s)
	switch {
	case len(s.AllOf) > 0:
		return l.allOf(t, s)
	case (len(s.OneOf) > 0 || len(s.AnyOf) > 0) && len(s.Properties) == 0:
		return l.union(t, s)
	case len(s.Enum) > 0 && l.enum(t, s):
		return t
	}
	t.Limits = l.limits(s, t.Source)
	switch c := s.Const.(type) {
	case string, bool:
		t.Const = c
	case float64:
		if c == float64(int64(c)) {
			t.Const = int64(c)
		} else {
			t.Const = c
		}
	}
	types := nonNullTypes(s)
	switch {
	case len(types) > 1:
		t.Kind = ir.Any
	case len(types) == 0 && s.Const != nil:
		t.Kind = constKind(s.Const)
	case len(types) == 0 && len(s.Properties) == 0 && s.Items == nil && s.AdditionalProperties.Schema == nil &&
		len(s.PatternProperties) == 0:
		t.Kind = ir.Any
	case isUntypedItems(s) && !l.inParam:
		l.untypedItems(t, s)
	case len(types) == 0 && s.Items != nil:
		l.array(t, s)
	case len(types) == 0 || types[0] == "object":
		l.object(t, s)
	case types[0] == "array":
		l.array(t, s)
	default:
		t.Kind, t.Format = primitive(types[0], s.Format)
		if l.multipart && types[0] == "string" && s.Format == "binary" {
			t.Format = "binary"
		}
	}
	return t
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// nonNullTypes lists the schema's types without "null" (OpenAPI 3.1 type
// arrays).
func nonNullTypes(s *openapi3.Schema) []string {
	if s.Type == nil {
		return nil
	}
	var out []string
	for _, v := range s.Type.Slice() {
		if v != "null" {
			out = append(out, v)
		}
	}
	return out
}

// isUntypedItems reports whether s has items but no type, nor any keyword
// that would make it a struct, map, union or enum (see untypedItems).
func isUntypedItems(s *openapi3.Schema) bool {
	return len(nonNullTypes(s)) == 0 && s.Items != nil && len(s.Properties) == 0 &&
		s.AdditionalProperties.Schema == nil && len(s.PatternProperties) == 0 &&
		len(s.AllOf)+len(s.OneOf)+len(s.AnyOf)+len(s.Enum) == 0 && s.Const == nil
}

// nullable reports whether null is a valid instance: 3.0 nullable, a 3.1
// "null" type, a null enum value, a null oneOf/anyOf member, or items
// without a type (which constrain arrays only).
func nullable(s *openapi3.Schema) bool {
	if s.Nullable || (s.Type != nil && s.Type.IncludesNull()) || isUntypedItems(s) {
		return true
	}
	for _, v := range s.Enum {
		if v == nil {
			return true
		}
	}
	for _, m := range append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...) {
		if m != nil && m.Value != nil && isNullOnly(m.Value) {
			return true
		}
	}
	if len(s.AllOf) == 1 && s.AllOf[0] != nil && s.AllOf[0].Value != nil && s.AllOf[0].Value != s {
		return nullable(s.AllOf[0].Value)
	}
	return false
}

func isNullOnly(s *openapi3.Schema) bool {
	return s.Type != nil && len(s.Type.Slice()) == 1 && s.Type.Is("null")
}

func constKind(v any) ir.Kind {
	switch v.(type) {
	case string:
		return ir.String
	case bool:
		return ir.Bool
	case float64:
		return ir.Float
	}
	return ir.Any
}

// primitive maps a JSON Schema type and format to a scalar kind.
func primitive(typ, format string) (ir.Kind, string) {
	switch typ {
	case "boolean":
		return ir.Bool, ""
	case "integer":
		if format == "int32" {
			return ir.Int, "int32"
		}
		return ir.Int, "int64"
	case "number":
		switch format {
		case "float":
			return ir.Float, "float"
		case "int32", "int64":
			return ir.Int, format
		}
		return ir.Float, "double"
	case "string":
		switch format {
		case "date-time", "date", "byte":
			return ir.String, format
		case "int64", "int32":
			return ir.Int, "int64-string" // an integer carried as a JSON string
		}
		return ir.String, ""
	case "null":
		return ir.Any, ""
	}
	return ir.Any, ""
}

// array lowers an array; missing items mean any value.
func (l *lowerer) array(t *ir.Type, s *openapi3.Schema) {
	t.Kind = ir.Array
	t.Elem = l.schemaType(s.Items, t.Source+"/items", namedOr(t), t.Op, itemPart(t))
}

// untypedItems lowers a schema with items but no type. JSON Schema applies
// items to arrays only (2020-12 §10.3.1.2): any other value is valid too.
// Specs write it for an array that lacks its type (GitHub's
// check-run.pull_requests) and, as Slack does throughout, for one value of
// the items' schema (objs_conversation is {items: {anyOf: [...]}}, and its
// instances are objects). Neither reading alone decodes every valid value,
// so t becomes a union of an array of the items and, when the items have a
// shape, one item; any other value (null too) is kept as raw JSON, and so
// is a value a variant does not hold exactly (Slack's examples have
// members the items' closed objects do not declare). The array keywords
// (minItems, ...) constrain the array variant. A parameter's such schema
// stays an array: its style serializes arrays and scalars only.
func (l *lowerer) untypedItems(t *ir.Type, s *openapi3.Schema) {
	l.warn(t.Source, "items without type: array: JSON Schema applies items to arrays only, so the value is an array of the items, one item, or any other JSON value (a union)")
	t.Kind, t.ItemsOnly = ir.Union, true
	l.declare(t, s)
	arr := &ir.Type{Kind: ir.Array, Source: t.Source, Parent: t, Part: "Array", Limits: t.Limits}
	t.Limits = nil
	arr.Elem = l.schemaType(s.Items, t.Source+"/items", t, nil, "Item")
	t.Variants = append(t.Variants, &ir.Variant{Type: arr, Source: t.Source})
	if item := arr.Elem.Resolve(); item.Kind != ir.Any || item.GoType != nil {
		t.Variants = append(t.Variants, &ir.Variant{Type: arr.Elem, Source: t.Source + "/items"})
	}
}

// namedOr returns the enclosing named type for inline declarations below t:
// t itself when t is declared, else t's own parent.
func namedOr(t *ir.Type) *ir.Type {
	if t.Named || t.Kind == ir.Object || t.Kind == ir.Union || t.Kind == ir.Enum {
		return t
	}
	return t.Parent
}

// itemPart names an inline element type: "Item" under a declared type, or
// the singular of the property under an anonymous array.
func itemPart(t *ir.Type) string {
	if t.Named || t.Component {
		return "Item"
	}
	return t.Part + " Item"
}

// object lowers an object: a struct when it has properties, else a map.
func (l *lowerer) object(t *ir.Type, s *openapi3.Schema) {
	ap := s.AdditionalProperties
	if len(s.Properties) == 0 {
		t.Kind = ir.Map
		if len(s.PatternProperties) > 0 {
			t.Elem = l.patterns(t, patternsOf(s.PatternProperties, t.Source), ap, t.Parent, t.Op, t.Part+" Value")
			return
		}
		if ap.Schema != nil {
			t.Elem = l.schemaType(ap.Schema, t.Source+"/additionalProperties", t.Parent, t.Op, t.Part+" Value")
		} else {
			t.Elem = &ir.Type{Kind: ir.Any}
		}
		return
	}
	t.Kind, t.Named = ir.Object, true
	l.declare(t, s)
	l.fields(t, s.Properties, requiredSet(s.Required), t.Source)
	switch {
	case len(s.PatternProperties) > 0:
		t.Extra = l.patterns(t, patternsOf(s.PatternProperties, t.Source), ap, t, nil, "Pattern")
	case ap.Schema != nil:
		t.Extra = l.schemaType(ap.Schema, t.Source+"/additionalProperties", t, nil, "Additional")
	case ap.Has != nil && *ap.Has:
		t.Extra = &ir.Type{Kind: ir.Any}
	case ap.Has == nil:
		keepUndeclared(t)
	}
}

// keepUndeclared gives an object whose schema does not mention
// additionalProperties a map of the members it does not declare, as raw
// JSON: JSON Schema allows them, and a client that dropped them would
// lose a newer server's fields on a read-modify-write.
func keepUndeclared(t *ir.Type) {
	t.Extra, t.ExtraUndeclared = &ir.Type{Kind: ir.Opaque}, true
}

// pattern is one patternProperties entry met at ptr.
type pattern struct {
	expr string
	sr   *openapi3.SchemaRef
	ptr  string
}

// patternsOf lists a schema's patternProperties, in pattern order.
func patternsOf(pp openapi3.Schemas, ptr string) []pattern {
	out := make([]pattern, 0, len(pp))
	for _, expr := range sortedKeys(pp) {
		out = append(out, pattern{expr, pp[expr], ptr + "/patternProperties/" + diag.EscapeToken(expr)})
	}
	return out
}

// patterns lowers patternProperties (JSON Schema 2020-12 §10.3.2.2) into
// t.Patterns, with additionalProperties beside them as t.PatternsOnly
// (false) or t.Rest (a schema), and returns the value type of the map that
// holds the members: the patterns' (and Rest's) common Go type, or a
// free-form value, with a warning, when they differ. A pattern that is not
// RE2 syntax is kept for typing but not checked, with a warning.
func (l *lowerer) patterns(t *ir.Type, pats []pattern, ap openapi3.AdditionalProperties, parent *ir.Type, op *ir.Operation, part string) *ir.Type {
	var types []*ir.Type
	for _, p := range pats {
		pt := l.schemaType(p.sr, p.ptr, parent, op, part)
		_, err := regexp.Compile(p.expr)
		if err != nil {
			l.warn(p.ptr, "patternProperties pattern %q is not valid Go (RE2) syntax; member names are not checked against it: %v", p.expr, err)
		}
		t.Patterns = append(t.Patterns, &ir.PatternProperty{Pattern: p.expr, RE2: err == nil, Type: pt})
		types = append(types, pt)
	}
	switch {
	case ap.Has != nil && !*ap.Has:
		t.PatternsOnly = true
	case ap.Schema != nil:
		t.Rest = l.schemaType(ap.Schema, t.Source+"/additionalProperties", parent, op, "Additional")
		types = append(types, t.Rest)
	case ap.Has != nil && *ap.Has:
		types = append(types, &ir.Type{Kind: ir.Any})
	}
	for _, x := range types[1:] {
		if !sameGoType(types[0], x) {
			l.warn(t.Source+"/patternProperties", "patternProperties (and additionalProperties) have schemas of different Go types; "+
				"the members they describe are kept as free-form values and their values are not validated")
			for _, p := range t.Patterns {
				p.Type = nil
			}
			t.Rest = nil
			return &ir.Type{Kind: ir.Any}
		}
	}
	return types[0]
}

// sameGoType reports whether a and b are the same Go type: the same
// declared type, or unnamed types of one shape (string and string with a
// pattern, say, whose validation keywords differ).
func sameGoType(a, b *ir.Type) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Named || b.Named || a.GoType != nil || b.GoType != nil || a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case ir.Any:
		return true
	case ir.Bool, ir.Int, ir.Float, ir.String:
		return a.Format == b.Format
	case ir.Array, ir.Map:
		return sameGoType(a.Elem, b.Elem)
	}
	return false
}

// declare records a named inline type so references and recursion find it.
func (l *lowerer) declare(t *ir.Type, s *openapi3.Schema) {
	if _, ok := l.bySchema[s]; !ok {
		l.bySchema[s] = t
	}
	if !t.Component {
		t.Named = true
		l.api.Types = append(l.api.Types, t)
	}
}

func requiredSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// fields appends t's properties in name order; ptr is where they live.
func (l *lowerer) fields(t *ir.Type, props openapi3.Schemas, required map[string]bool, ptr string) {
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		pr := props[name]
		fptr := ptr + "/properties/" + diag.EscapeToken(name)
		f := &ir.Field{JSONName: name, Required: required[name], Source: fptr}
		f.Type = l.schemaType(pr, fptr, t, nil, name)
		if pr != nil && pr.Value != nil {
			v := pr.Value
			f.Nullable, f.ReadOnly, f.WriteOnly, f.Deprecated = nullable(v), v.ReadOnly, v.WriteOnly, v.Deprecated
			f.GoNameOverride = goName(v.Extensions)
			if pr.Ref == "" { // a $ref's description is its type's doc, not repeated on each field
				f.Doc = firstNonEmpty(v.Description, v.Title)
			}
		}
		t.Fields = append(t.Fields, f)
	}
}

// enum lowers a string, integer or number enum; it returns false when the
// values do not fit one scalar type, and the schema is lowered as that
// scalar instead.
func (l *lowerer) enum(t *ir.Type, s *openapi3.Schema) bool {
	types := nonNullTypes(s)
	base := "string"
	if len(types) == 1 {
		base = types[0]
	}
	var values []*ir.EnumValue
	for _, v := range s.Enum {
		if v == nil {
			continue
		}
		ev, ok := enumValue(base, v)
		if !ok {
			return false
		}
		values = append(values, ev)
	}
	if len(values) == 0 || base == "boolean" {
		return false
	}
	kind, format := primitive(base, s.Format)
	if kind != ir.String && kind != ir.Int && kind != ir.Float {
		return false
	}
	t.Kind, t.Enum = ir.Enum, dedupe(values)
	t.Elem = &ir.Type{Kind: kind, Format: format}
	if kind == ir.String {
		t.Elem.Format = ""
	}
	l.declare(t, s)
	return true
}

func enumValue(base string, v any) (*ir.EnumValue, bool) {
	switch base {
	case "string":
		s, ok := v.(string)
		return &ir.EnumValue{Value: s}, ok
	case "integer":
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			return nil, false
		}
		return &ir.EnumValue{Value: int64(f)}, true
	case "number":
		f, ok := v.(float64)
		return &ir.EnumValue{Value: f}, ok
	}
	return nil, false
}

func dedupe(values []*ir.EnumValue) []*ir.EnumValue {
	seen := map[any]bool{}
	out := values[:0]
	for _, v := range values {
		if !seen[v.Value] {
			seen[v.Value] = true
			out = append(out, v)
		}
	}
	return out
}

// union lowers oneOf/anyOf into a sum type; null members make it nullable
// and a single remaining member stands for itself.
func (l *lowerer) union(t *ir.Type, s *openapi3.Schema) *ir.Type {
	refs, kw := s.OneOf, "oneOf"
	if len(refs) == 0 {
		refs, kw = s.AnyOf, "anyOf"
	}
	var members []unionMember
	for i, m := range refs {
		if m != nil && m.Value != nil && !isNullOnly(m.Value) {
			members = append(members, unionMember{schema: m, ptr: t.Source + "/" + kw + "/" + strconv.Itoa(i),
				tagRef: m.Ref, part: variantPart(m.Value, len(members))})
		}
	}
	return l.unionOf(t, s, kw == "anyOf", s.Discriminator, members)
}

// unionMember is one alternative of a union as unionOf lowers it.
type unionMember struct {
	schema *openapi3.SchemaRef
	ptr    string // JSON pointer of the alternative
	tagRef string // the $ref whose component name is its implicit discriminator value
	part   string // naming hint for an inline alternative
}

// unionOf declares t as the sum of members (none: any value; one: that
// member itself), dispatched by d when the spec gives a discriminator.
func (l *lowerer) unionOf(t *ir.Type, s *openapi3.Schema, anyOf bool, d *openapi3.Discriminator, members []unionMember) *ir.Type {
	if len(members) == 0 {
		t.Kind = ir.Any
		return t
	}
	if len(members) == 1 {
		return l.schemaType(members[0].schema, members[0].ptr, t.Parent, t.Op, t.Part)
	}
	t.Kind, t.AnyOf = ir.Union, anyOf
	l.declare(t, s)
	tags := discriminatorTags(d)
	if d != nil {
		t.Discriminator = d.PropertyName
	}
	seen := map[*ir.Type]*ir.Variant{}
	for _, m := range members {
		vt := l.schemaType(m.schema, m.ptr, t, nil, m.part)
		v := seen[vt]
		if v == nil {
			v = &ir.Variant{Type: vt, Source: m.ptr}
			seen[vt] = v
			t.Variants = append(t.Variants, v)
		}
		if t.Discriminator != "" {
			v.Tags = append(v.Tags, variantTags(m.tagRef, tags)...)
		}
	}
	return t
}

// discriminatorTags maps each $ref to the discriminator values naming it.
func discriminatorTags(d *openapi3.Discriminator) map[string][]string {
	out := map[string][]string{}
	if d == nil {
		return out
	}
	keys := make([]string, 0, len(d.Mapping))
	for k := range d.Mapping {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ref := d.Mapping[k].Ref
		if !strings.HasPrefix(ref, "#") {
			ref = componentsPrefix + ref // a bare schema name
		}
		out[ref] = append(out[ref], k)
	}
	return out
}

// variantTags returns the explicit mapping values for ref, else the
// implicit one: the component's name (OpenAPI 3.1 §4.8.25).
func variantTags(ref string, tags map[string][]string) []string {
	if v, ok := tags[ref]; ok {
		return v
	}
	if name, ok := strings.CutPrefix(ref, componentsPrefix); ok {
		return []string{unescape(name)}
	}
	return nil
}

// variantPart names an inline variant by its title, or by its shape
// ("Object", "Empty" for Stripe's enum [""] that unsets a value), else by
// position.
func variantPart(s *openapi3.Schema, i int) string {
	switch types := nonNullTypes(s); {
	case strings.TrimSpace(s.Title) != "":
		return s.Title
	case len(s.Enum) == 1 && s.Enum[0] == "":
		return "Empty"
	case len(s.Properties) > 0 || len(types) == 1 && types[0] == "object":
		return "Object"
	case len(types) == 1:
		return types[0]
	}
	return "Variant" + strconv.Itoa(i+1)
}

// limits reads the validation keywords of s; a pattern Go's regexp
// (RE2) cannot compile is left out with a warning rather than failing
// at run time.
func (l *lowerer) limits(s *openapi3.Schema, ptr string) *ir.Limits {
	lim := &ir.Limits{
		MaxLength: intPtr(s.MaxLength), MaxItems: intPtr(s.MaxItems), MaxProperties: intPtr(s.MaxProps),
		Minimum: s.Min, Maximum: s.Max, MultipleOf: s.MultipleOf, UniqueItems: s.UniqueItems,
	}
	if s.MinLength > 0 {
		lim.MinLength = intPtr(&s.MinLength)
	}
	if s.MinItems > 0 {
		lim.MinItems = intPtr(&s.MinItems)
	}
	if s.MinProps > 0 {
		lim.MinProperties = intPtr(&s.MinProps)
	}
	lim.ExclusiveMinimum, lim.Minimum = exclusive(s.ExclusiveMin, s.Min)
	lim.ExclusiveMax, lim.Maximum = exclusive(s.ExclusiveMax, s.Max)
	if s.Pattern != "" {
		if _, err := regexp.Compile(s.Pattern); err != nil {
			l.warn(ptr, "pattern %q is not valid Go (RE2) syntax; it is not checked: %v", s.Pattern, err)
		} else {
			lim.Pattern = s.Pattern
		}
	}
	if *lim == (ir.Limits{}) {
		return nil
	}
	return lim
}

// exclusive folds 3.0's boolean and 3.1's numeric exclusive bounds.
func exclusive(b openapi3.ExclusiveBound, bound *float64) (bool, *float64) {
	switch {
	case b.Value != nil:
		return true, b.Value
	case b.IsTrue():
		return true, bound
	}
	return false, bound
}

func intPtr(u *uint64) *int {
	if u == nil || *u > math.MaxInt32 {
		return nil
	}
	n := int(*u)
	return &n
}

// goName reads the x-go-name extension: the Go identifier the spec's
// author wants, used as is when it is a valid exported identifier.
func goName(ext map[string]any) string {
	name, _ := ext["x-go-name"].(string)
	if token.IsIdentifier(name) && token.IsExported(name) {
		return name
	}
	return ""
}

// goType reads x-go-type ("string", "time.Duration",
// "github.com/shopspring/decimal.Decimal") and oapi-codegen's
// x-go-type-import {path: ...}. A value that does not end in a Go
// identifier is warned about and ignored; one naming no usable type (an
// unqualified name that is not predeclared, an invalid import path, an
// unexported name: config.CheckGoType) is an error, since the connector
// would not compile. An import outside the standard library gets an info
// line, once per path: the spec adds a dependency to the consumer's
// module, which a reviewer should see.
func (l *lowerer) goType(ext map[string]any, ptr string) *ir.GoType {
	raw, ok := ext["x-go-type"].(string)
	if !ok || raw == "" {
		return nil
	}
	gt := &ir.GoType{Name: raw}
	if i := strings.LastIndex(raw, "."); i > 0 {
		gt.Path, gt.Name = raw[:i], raw[i+1:]
	}
	if imp, ok := ext["x-go-type-import"].(map[string]any); ok {
		if p, ok := imp["path"].(string); ok && p != "" {
			gt.Path = p
		}
	}
	if !token.IsIdentifier(gt.Name) {
		l.warn(ptr, "x-go-type %q is not a Go type name; ignored", raw)
		return nil
	}
	if err := config.CheckGoType(gt.Path, gt.Name); err != nil {
		l.fail(ptr, "x-go-type %q: %v", raw, err)
		return nil
	}
	if gt.Path != "" && !config.IsStandardImport(gt.Path) && !l.imports[gt.Path] {
		if l.imports == nil {
			l.imports = map[string]bool{}
		}
		l.imports[gt.Path] = true
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Info, Pointer: ptr,
			Message: fmt.Sprintf("x-go-type imports %s, a package outside the standard library: the connector's module must require it", gt.Path)})
	}
	return gt
}
