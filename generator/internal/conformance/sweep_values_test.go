package conformance

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
)

// swValues builds request values for the conformance sweep (TestSweep):
// a JSON value for each parameter and body, driven by the IR type that
// the generated Go field has, preferring the spec's own values.
//
// At every level it takes, in order, the first of the schema's `example`,
// (3.1) `examples` items, `default` and first `enum` value that fits the
// IR type (swFits: JSON type, enum, bounds, lengths, pattern, required
// members, recursively); else it builds one: objects with their required
// members only (readOnly ones left out), arrays with minItems items (at
// least one), strings of their format or matching their pattern, numbers
// inside their bounds, a union's first variant with its discriminator
// tag. Recursion is cut at swMaxDepth (a required member that leads back
// to its own type).
type swValues struct {
	doc any // the spec as the loader reads it (rtDocument)
	// form is set while a form or multipart body is built: Prism reads
	// only the declared properties of such a body (prism-http
	// deserializeFormBody), so undeclared required members are not sent.
	form bool
	// inParam is set while a parameter's value is built (text on the wire).
	inParam bool
	// formEnc is a form body's encoding while it is built, and deep is set
	// while one of its deepObject members is (see deepNeeded).
	formEnc map[string]ir.Encoding
	deep    bool
}

// swMaxDepth bounds nesting of built values.
const swMaxDepth = 12

// param returns the JSON value of a parameter: the parameter's own
// `example` or `examples`, else its schema's.
func (g *swValues) param(p *ir.Param) any {
	g.inParam = true
	defer func() { g.inParam = false }()
	if node, ok := swLookup(g.doc, p.Source).(map[string]any); ok {
		for _, v := range swExamplesOf(g.doc, node) {
			if g.fits(p.Type, v, 0) {
				return v
			}
		}
	}
	return g.value(p.Type, 0)
}

// body returns the JSON value of a request body: the media type's
// `example` or `examples`, else its schema's.
func (g *swValues) body(b *ir.Body) any {
	g.form = b.Kind == ir.BodyForm || b.Kind == ir.BodyMultipart
	if b.Kind == ir.BodyForm {
		g.formEnc = b.Encoding
	}
	defer func() { g.form, g.formEnc = false, nil }()
	if node, ok := swLookup(g.doc, b.Source).(map[string]any); ok {
		media := node
		if content, ok := node["content"].(map[string]any); ok {
			media, _ = content[b.MediaType].(map[string]any)
		}
		if media != nil {
			for _, v := range swExamplesOf(g.doc, media) {
				if g.fits(b.Type, v, 0) {
					return g.siblingRequired(b.Type, media, v)
				}
			}
			return g.siblingRequired(b.Type, media, g.value(b.Type, 0))
		}
	}
	return g.value(b.Type, 0)
}

// siblingRequired adds to an object body the members that a `required`
// beside the media type schema's $ref names (DigitalOcean's
// add_load_balancer_droplets: {$ref: ..., required: [droplet_ids]}). OpenAPI
// 3.0 ignores a $ref's siblings, and so does the loader, but Prism applies
// them. It returns a copy when it adds any.
func (g *swValues) siblingRequired(t *ir.Type, media map[string]any, v any) any {
	schema, _ := media["schema"].(map[string]any)
	m, ok := v.(map[string]any)
	if _, isRef := schema["$ref"]; !ok || !isRef || t == nil {
		return v
	}
	req, _ := schema["required"].([]any)
	t = t.Resolve()
	var out map[string]any
	for _, r := range req {
		name, _ := r.(string)
		if _, present := m[name]; present || name == "" {
			continue
		}
		var val any
		for _, f := range t.Fields {
			if f.JSONName == name && !f.ReadOnly {
				val = g.field(f, 0)
			}
		}
		if val == nil && t.Extra != nil && !g.form {
			val = g.extra(t.Extra, 0)
		}
		if val == nil {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(m)+1)
			for k, x := range m {
				out[k] = x
			}
		}
		out[name] = val
	}
	if out == nil {
		return v
	}
	return out
}

// sendOptional reports whether an optional parameter is sent all the same:
// a deepObject query parameter whose object has required members, which
// Prism 5.14.2 validates as an empty object when it is absent (Apideck's
// sort: "Request query parameter sort must have required property 'by'").
func (g *swValues) sendOptional(p *ir.Param) bool {
	if p.Required || p.In != "query" || p.Style != "deepObject" || p.Type == nil {
		return false
	}
	t := p.Type.Resolve()
	if t.Kind != ir.Object {
		return false
	}
	for _, f := range t.Fields {
		if f.Required {
			return true
		}
	}
	return false
}

// raw returns the bytes of a raw (binary or text) request body: the
// media type's schema decides, a `format: byte` string being base64 text
// (Xero accounting's application/octet-stream attachments, which Prism
// checks as such), else fallback.
func (g *swValues) raw(b *ir.Body, fallback string) string {
	node, ok := swLookup(g.doc, b.Source).(map[string]any)
	if !ok {
		return fallback
	}
	schema, _ := node["schema"].(map[string]any) // Swagger 2.0 in: body
	if content, ok := node["content"].(map[string]any); ok {
		media, _ := content[b.MediaType].(map[string]any)
		schema, _ = media["schema"].(map[string]any)
	}
	if ref, ok := schema["$ref"].(string); ok {
		schema, _ = swLookup(g.doc, ref).(map[string]any)
	}
	if f, _ := schema["format"].(string); f == "byte" {
		return base64.StdEncoding.EncodeToString([]byte(fallback))
	}
	return fallback
}

// swExamplesOf lists the example values a parameter, media type or schema
// object carries: example, examples (a map of Example objects or, in a
// 3.1 schema, an array), default.
func swExamplesOf(doc any, node map[string]any) []any {
	var out []any
	if v, ok := node["example"]; ok {
		out = append(out, v)
	}
	switch ex := node["examples"].(type) {
	case []any:
		out = append(out, ex...)
	case map[string]any:
		sortedEach(ex, func(_ string, e any) {
			if m, ok := e.(map[string]any); ok {
				if ref, ok := m["$ref"].(string); ok {
					m, _ = swLookup(doc, ref).(map[string]any)
				}
				if v, ok := m["value"]; ok {
					out = append(out, v)
				}
			}
		})
	}
	if v, ok := node["default"]; ok {
		out = append(out, v)
	}
	return out
}

// own returns the spec's values for t's schema that fit t.
func (g *swValues) own(t *ir.Type, depth int) (any, bool) {
	node, ok := swLookup(g.doc, t.Source).(map[string]any)
	if !ok {
		return nil, false
	}
	for _, v := range swExamplesOf(g.doc, node) {
		if g.fits(t, v, depth) {
			return v, true
		}
	}
	return nil, false
}

// value builds a JSON value of type t.
func (g *swValues) value(t *ir.Type, depth int) any {
	if t == nil {
		return map[string]any{}
	}
	if v, ok := g.own(t, depth); ok {
		return v
	}
	if t.Kind == ir.Alias && t.Elem != nil {
		return g.value(t.Elem, depth)
	}
	if t.Kind == ir.Enum && len(t.Enum) > 0 {
		return t.Enum[0].Value
	}
	switch t.Kind {
	case ir.Bool:
		return true
	case ir.Int:
		return swNumber(t.Limits, true)
	case ir.Float:
		return swNumber(t.Limits, false)
	case ir.String, ir.Enum:
		if t.Format == "" {
			// The IR keeps the formats its Go types need; Prism checks
			// others (uuid, email, uri...) too.
			if node, ok := swLookup(g.doc, t.Source).(map[string]any); ok {
				if f, ok := node["format"].(string); ok {
					t2 := *t
					t2.Format = f
					return swString(&t2)
				}
			}
		}
		return swString(t)
	case ir.Array:
		n := 1
		if l := t.Limits; l != nil && l.MinItems != nil && *l.MinItems > n {
			n = *l.MinItems
		}
		if depth >= swMaxDepth {
			n = 0
		}
		items := make([]any, 0, n)
		for i := range n {
			v := g.value(t.Elem, depth+1)
			if i > 0 && t.Limits != nil && t.Limits.UniqueItems {
				v = swVary(v, i)
			}
			items = append(items, v)
		}
		return items
	case ir.Map:
		m := map[string]any{}
		if l := t.Limits; l != nil && l.MinProperties != nil && depth < swMaxDepth {
			for i := range *l.MinProperties {
				m["key"+strconv.Itoa(i)] = g.value(t.Elem, depth+1)
			}
		}
		return m
	case ir.Object:
		return g.object(t, depth)
	case ir.Union:
		return g.union(t, depth)
	case ir.Opaque, ir.Any:
		return map[string]any{}
	}
	return map[string]any{}
}

// object builds t's required members (readOnly ones are never sent).
func (g *swValues) object(t *ir.Type, depth int) map[string]any {
	m := map[string]any{}
	if depth >= swMaxDepth {
		return m
	}
	declared := map[string]bool{}
	for _, f := range t.Fields {
		declared[f.JSONName] = true
		if f.ReadOnly {
			continue
		}
		if !f.Required {
			// Prism builds a form's deepObject member from the schema,
			// every object property an object whether sent or not, and
			// then checks their required members (Stripe's
			// automatic_payment_methods: "must have required property
			// 'enabled'"): such members are sent.
			top := depth == 0 && g.formEnc != nil && g.formEnc[f.JSONName].Style == "deepObject"
			if !(top || g.deep) || !g.deepNeeded(f.Type, 0) {
				continue
			}
			was := g.deep
			g.deep = true
			m[f.JSONName] = g.field(f, depth)
			g.deep = was
			continue
		}
		if depth == 0 && g.formEnc != nil && g.formEnc[f.JSONName].Style == "deepObject" {
			was := g.deep
			g.deep = true
			m[f.JSONName] = g.field(f, depth)
			g.deep = was
			continue
		}
		m[f.JSONName] = g.field(f, depth)
	}
	// An anyOf or oneOf of required lists only (GitHub's gists/update:
	// anyOf [{required: [description]}, {required: [files]}]) asks for
	// the members of one of them: the first's are built.
	if node, ok := swLookup(g.doc, t.Source).(map[string]any); ok {
		for _, name := range swRequiredChoice(node) {
			if _, ok := m[name]; ok {
				continue
			}
			for _, f := range t.Fields {
				if f.JSONName == name && !f.ReadOnly {
					m[name] = g.field(f, depth)
				}
			}
		}
	}
	// A name the schema requires but does not declare (Postmark's
	// EditTemplateRequest requires TemplateId, Linode's resizeDisk body
	// password) has no field; where the type keeps undeclared members
	// (Extra) it is sent there, as JSON Schema then demands it present;
	// in a JSON body only (see form).
	if t.Extra != nil && !g.form {
		for _, name := range g.requiredNames(swLookup(g.doc, t.Source), 0) {
			if !declared[name] {
				if _, ok := m[name]; !ok {
					m[name] = g.extra(t.Extra, depth)
				}
			}
		}
	}
	return m
}

// swRequiredChoice returns the first required list of a schema's anyOf
// (else oneOf) whose members are all bare required lists.
func swRequiredChoice(node map[string]any) []string {
	for _, key := range []string{"anyOf", "oneOf"} {
		subs, _ := node[key].([]any)
		bare := len(subs) > 0
		for _, sub := range subs {
			m, ok := sub.(map[string]any)
			if !ok || m["required"] == nil {
				bare = false
				break
			}
			for k := range m {
				if k != "required" && k != "description" && k != "title" {
					bare = false
				}
			}
		}
		if !bare {
			continue
		}
		var out []string
		req, _ := subs[0].(map[string]any)["required"].([]any)
		for _, r := range req {
			if name, ok := r.(string); ok {
				out = append(out, name)
			}
		}
		return out
	}
	return nil
}

// deepNeeded reports whether Prism's deepObject deserializer, which makes
// every object property of the schema an object, would then find required
// members missing below t: t is an object with a required member, or with
// an object member for which that holds.
func (g *swValues) deepNeeded(t *ir.Type, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	t = t.Resolve()
	if t.Kind != ir.Object {
		return false
	}
	for _, f := range t.Fields {
		if f.ReadOnly {
			continue
		}
		if f.Required || g.deepNeeded(f.Type, depth+1) {
			return true
		}
	}
	return false
}

// requiredNames lists the names a schema's required lists hold, its allOf
// members' included.
func (g *swValues) requiredNames(schema any, depth int) []string {
	node, ok := schema.(map[string]any)
	if !ok || depth > 20 {
		return nil
	}
	if ref, ok := node["$ref"].(string); ok {
		return g.requiredNames(swLookup(g.doc, ref), depth+1)
	}
	var out []string
	req, _ := node["required"].([]any)
	for _, r := range req {
		if name, ok := r.(string); ok {
			out = append(out, name)
		}
	}
	all, _ := node["allOf"].([]any)
	for _, sub := range all {
		out = append(out, g.requiredNames(sub, depth+1)...)
	}
	return out
}

// extra builds the value of an undeclared required member: of the Extra
// type when it says one, else a string.
func (g *swValues) extra(t *ir.Type, depth int) any {
	if r := t.Resolve(); r == nil || r.Kind == ir.Any || r.Kind == ir.Opaque {
		return "abc"
	}
	return g.value(t, depth+1)
}

// field builds one member: the property's own example (next to a $ref in
// 3.1, or of an inline schema) first.
func (g *swValues) field(f *ir.Field, depth int) any {
	if f.Source != "" && (f.Type == nil || f.Source != f.Type.Source) {
		if node, ok := swLookup(g.doc, f.Source).(map[string]any); ok {
			for _, v := range swExamplesOf(g.doc, node) {
				if g.fits(f.Type, v, depth+1) {
					return v
				}
			}
		}
	}
	return g.value(f.Type, depth+1)
}

// union builds the first variant, with its discriminator tag. Where that
// value would match several variants of a oneOf, which Prism refuses
// ("must match exactly one schema in oneOf"), it takes the first later
// variant whose value matches that variant only (GitHub's workflow_id path
// parameter, oneOf [integer, string]: 1 is also the string "1" on the
// wire, "abc" is a string only); when none does, the first.
func (g *swValues) union(t *ir.Type, depth int) any {
	if len(t.Variants) == 0 || depth >= swMaxDepth {
		return map[string]any{}
	}
	build := func(v *ir.Variant) any {
		val := g.value(v.Type, depth+1)
		if m, ok := val.(map[string]any); ok && t.Discriminator != "" && len(v.Tags) > 0 {
			m[t.Discriminator] = v.Tags[0]
		}
		return val
	}
	first := build(t.Variants[0])
	if t.AnyOf || t.Discriminator != "" || len(t.Variants) < 2 || g.matches(t, first, depth) <= 1 {
		return first
	}
	for _, v := range t.Variants[1:] {
		if val := build(v); g.matches(t, val, depth) == 1 {
			return val
		}
	}
	return first
}

// matches counts the variants of t that val fits; in a parameter, whose
// value is text on the wire, a number or boolean also fits a string.
func (g *swValues) matches(t *ir.Type, val any, depth int) int {
	n := 0
	for _, v := range t.Variants {
		fits := g.fits(v.Type, val, depth+1)
		if !fits && g.inParam && v.Type != nil && v.Type.Resolve().Kind == ir.String {
			switch val.(type) {
			case bool, float64, int64, json.Number:
				fits = true
			}
		}
		if fits {
			n++
		}
	}
	return n
}

// swVary makes the i-th item of a uniqueItems array differ from the first.
func swVary(v any, i int) any {
	switch x := v.(type) {
	case string:
		return x + strconv.Itoa(i)
	case json.Number:
		f, _ := x.Float64()
		return f + float64(i)
	case float64:
		return x + float64(i)
	case int64:
		return x + int64(i)
	}
	return v
}

// swNumber returns a number inside the bounds: 1 when allowed, else the
// lowest (or highest) allowed value, a multiple of multipleOf.
func swNumber(l *ir.Limits, integer bool) any {
	v := 1.0
	if l != nil {
		step := 1.0
		if l.MultipleOf != nil && *l.MultipleOf > 0 {
			step = *l.MultipleOf
			v = step
		}
		if !integer && step == 1 {
			step = 0.5
		}
		if l.Minimum != nil && (v < *l.Minimum || l.ExclusiveMinimum && v <= *l.Minimum) {
			v = *l.Minimum
			if l.MultipleOf != nil && *l.MultipleOf > 0 {
				v = math.Ceil(v / *l.MultipleOf) * *l.MultipleOf
			} else if integer {
				v = math.Ceil(v)
			}
			if l.ExclusiveMinimum && v <= *l.Minimum {
				v += step
			}
		}
		if l.Maximum != nil && (v > *l.Maximum || l.ExclusiveMax && v >= *l.Maximum) {
			v = *l.Maximum
			if l.MultipleOf != nil && *l.MultipleOf > 0 {
				v = math.Floor(v / *l.MultipleOf) * *l.MultipleOf
			} else if integer {
				v = math.Floor(v)
			}
			if l.ExclusiveMax && v >= *l.Maximum {
				v -= step
			}
		}
	}
	if integer {
		return int64(v)
	}
	return v
}

// swFormats are sample strings of the formats Prism (ajv-formats) checks.
var swFormats = map[string]string{
	"date-time":     "2024-01-02T03:04:05Z",
	"date":          "2024-01-02",
	"time":          "03:04:05Z",
	"email":         "user@example.com",
	"uri":           "https://example.com/a",
	"url":           "https://example.com/a",
	"uri-reference": "https://example.com/a",
	"hostname":      "example.com",
	"ipv4":          "192.0.2.1",
	"ipv6":          "2001:db8::1",
	"uuid":          "3fa85f64-5717-4562-b3fc-2c963f66afa6",
	"byte":          "YWJj",
	"int64":         "1",
	"int32":         "1",
	"duration":      "P1D",
	"password":      "secret",
}

// swString returns a string of t's format, or one matching its pattern,
// within its lengths.
func swString(t *ir.Type) any {
	if t.Format == "binary" {
		return map[string]any{} // runtime.File: the program gives it content
	}
	s, ok := swFormats[t.Format]
	if !ok {
		s = "abc"
	}
	l := t.Limits
	if l != nil && l.Pattern != "" && !ok {
		if p, ok := swMatching(l.Pattern, l); ok {
			return p
		}
	}
	if l != nil {
		if l.MinLength != nil {
			for utf8.RuneCountInString(s) < *l.MinLength {
				s += "a"
			}
		}
		if l.MaxLength != nil && utf8.RuneCountInString(s) > *l.MaxLength {
			s = string([]rune(s)[:*l.MaxLength])
		}
	}
	return s
}

// swMatching returns a string matching pattern (searched, as JSON Schema
// does: unanchored), built from the regular expression's syntax tree:
// the first alternative, the first character of each class, each
// repetition at its minimum (at least once for `+`), padded with the
// pattern's last repeatable piece up to minLength when that still matches.
func swMatching(pattern string, l *ir.Limits) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	check, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	min := 0
	if l.MinLength != nil {
		min = *l.MinLength
	}
	for _, extra := range []int{0, 1, 2, 4, 8, 16, 32} {
		var b strings.Builder
		swBuild(&b, re, extra, min)
		s := b.String()
		n := utf8.RuneCountInString(s)
		if check.MatchString(s) && n >= min && (l.MaxLength == nil || n <= *l.MaxLength) {
			return s, true
		}
	}
	return "", false
}

// swBuild writes a string matching re; open repetitions repeat extra
// more times than their minimum.
func swBuild(b *strings.Builder, re *syntax.Regexp, extra, min int) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		if len(re.Rune) > 0 {
			r := re.Rune[0]
			// Prefer a letter or digit inside the class.
			for i := 0; i+1 < len(re.Rune); i += 2 {
				lo, hi := re.Rune[i], re.Rune[i+1]
				for _, c := range "a0A" {
					if lo <= c && c <= hi {
						r = c
						goto found
					}
				}
			}
		found:
			b.WriteRune(r)
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a')
	case syntax.OpCapture:
		swBuild(b, re.Sub[0], extra, min)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			swBuild(b, s, extra, min)
		}
	case syntax.OpAlternate:
		swBuild(b, re.Sub[0], extra, min)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, -1
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
		}
		n := lo + extra
		if hi >= 0 && n > hi {
			n = hi
		}
		if lo == 0 && re.Op != syntax.OpStar && extra == 0 {
			n = lo
		}
		if n == 0 && lo == 0 && re.Op == syntax.OpStar {
			n = 0
		}
		for range n {
			swBuild(b, re.Sub[0], extra, min)
		}
	}
}

// fits reports whether the JSON value v (from the spec) is a valid value
// of type t: an example that does not fit is not used.
func (g *swValues) fits(t *ir.Type, v any, depth int) bool {
	if t == nil {
		return true
	}
	if depth > swMaxDepth*2 {
		return true
	}
	if v == nil {
		return false // null is never needed to call an operation
	}
	t0 := t
	if t.Kind == ir.Alias && t.Elem != nil {
		t = t.Resolve()
	}
	switch t.Kind {
	case ir.Bool:
		_, ok := v.(bool)
		return ok
	case ir.Int, ir.Float:
		f, ok := swFloat(v)
		if !ok || t.Kind == ir.Int && f != math.Trunc(f) {
			return false
		}
		if t.Format == "int32" && (f < math.MinInt32 || f > math.MaxInt32) {
			return false
		}
		return swInLimits(t0.Limits, f) && swInLimits(t.Limits, f)
	case ir.String:
		s, ok := v.(string)
		if !ok || t.Format == "binary" {
			return false
		}
		format := t.Format
		if format == "" {
			// The IR keeps the formats its Go types need; Prism checks
			// others too (Twilio's example Url "myUrl" of format uri).
			if node, ok := swLookup(g.doc, t.Source).(map[string]any); ok {
				format, _ = node["format"].(string)
			}
		}
		if sample, known := swFormats[format]; known && format != "password" && format != "byte" {
			if _, shaped := swShapes[format]; shaped {
				if !swSameShape(sample, s, format) {
					return false
				}
			}
		}
		return swStringOK(t0.Limits, s) && swStringOK(t.Limits, s)
	case ir.Enum:
		for _, e := range t.Enum {
			if swEqual(e.Value, v) {
				return true
			}
		}
		return false
	case ir.Array:
		items, ok := v.([]any)
		if !ok {
			return false
		}
		if l := t.Limits; l != nil {
			if l.MinItems != nil && len(items) < *l.MinItems || l.MaxItems != nil && len(items) > *l.MaxItems {
				return false
			}
		}
		for _, it := range items {
			if !g.fits(t.Elem, it, depth+1) {
				return false
			}
		}
		return true
	case ir.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, it := range m {
			if !g.fits(t.Elem, it, depth+1) {
				return false
			}
		}
		return true
	case ir.Object:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		declared := map[string]bool{}
		for _, f := range t.Fields {
			declared[f.JSONName] = true
			x, present := m[f.JSONName]
			if !present {
				if f.Required && !f.ReadOnly {
					return false
				}
				continue
			}
			if f.ReadOnly {
				return false
			}
			if x == nil && (f.Nullable || f.Type != nil && f.Type.Nullable) {
				continue
			}
			if !g.fits(f.Type, x, depth+1) {
				return false
			}
		}
		if t.Extra == nil {
			for k := range m {
				if !declared[k] {
					return false
				}
			}
		}
		return true
	case ir.Union:
		for _, va := range t.Variants {
			if g.fits(va.Type, v, depth+1) {
				if t.Discriminator != "" && len(va.Tags) > 0 {
					m, _ := v.(map[string]any)
					tag, _ := m[t.Discriminator].(string)
					if !swContains(va.Tags, tag) {
						continue
					}
				}
				return true
			}
		}
		return false
	}
	return true
}

// swSameShape checks a string of a well-known format loosely, by shape.
var swShapes = map[string]*regexp.Regexp{
	"date-time": regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`),
	"date":      regexp.MustCompile(`^\d{4}-\d\d-\d\d$`),
	"uuid":      regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`),
	"email":     regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`),
	"uri":       regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$`),
	"url":       regexp.MustCompile(`^(?i:https?|ftp)://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$`),
}

func swSameShape(_, s, format string) bool { return swShapes[format].MatchString(s) }

func swContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// swFloat reads a JSON number.
func swFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

// swEqual compares an enum value with a JSON value.
func swEqual(a, b any) bool {
	fa, oka := swFloat(a)
	fb, okb := swFloat(b)
	if oka && okb {
		return fa == fb
	}
	return a == b
}

func swInLimits(l *ir.Limits, f float64) bool {
	if l == nil {
		return true
	}
	if l.Minimum != nil && (f < *l.Minimum || l.ExclusiveMinimum && f == *l.Minimum) {
		return false
	}
	if l.Maximum != nil && (f > *l.Maximum || l.ExclusiveMax && f == *l.Maximum) {
		return false
	}
	if l.MultipleOf != nil && *l.MultipleOf > 0 {
		q := f / *l.MultipleOf
		if math.Abs(q-math.Round(q)) > 1e-9 {
			return false
		}
	}
	return true
}

func swStringOK(l *ir.Limits, s string) bool {
	if l == nil {
		return true
	}
	n := utf8.RuneCountInString(s)
	if l.MinLength != nil && n < *l.MinLength || l.MaxLength != nil && n > *l.MaxLength {
		return false
	}
	if l.Pattern != "" {
		re, err := regexp.Compile(l.Pattern)
		if err != nil || !re.MatchString(s) {
			return false
		}
	}
	return true
}

// swLookup resolves a JSON pointer in doc, following local $refs on the
// way and at the end (a parameter, request body or example given by
// reference). Where a token is not a member of a schema, it is looked for
// in the schema's allOf members (then anyOf, oneOf), in order: the loader
// merges allOf, and names a merged property by the pointer it would have in
// the merged schema (Linode's createClient body: allOf [$ref OAuthClient,
// {required: [...]}], whose redirect_uri the IR places at
// .../schema/properties/redirect_uri).
func swLookup(doc any, ptr string) any {
	if !strings.HasPrefix(ptr, "#") {
		return nil
	}
	deref := func(v any) any {
		for i := 0; i < 20; i++ {
			m, ok := v.(map[string]any)
			if !ok {
				return v
			}
			ref, ok := m["$ref"].(string)
			if !ok || !strings.HasPrefix(ref, "#") {
				return v
			}
			if u, err := url.PathUnescape(ref); err == nil {
				ref = u // a URI fragment: %7B is {
			}
			v = rtLookup(doc, ref)
		}
		return v
	}
	var walk func(v any, toks []string, depth int) any
	walk = func(v any, toks []string, depth int) any {
		v = deref(v)
		if len(toks) == 0 || v == nil || depth > 40 {
			return v
		}
		switch x := v.(type) {
		case map[string]any:
			if next, ok := x[toks[0]]; ok {
				return walk(next, toks[1:], depth+1)
			}
			for _, key := range []string{"allOf", "anyOf", "oneOf"} {
				subs, _ := x[key].([]any)
				for _, sub := range subs {
					if found := walk(sub, toks, depth+1); found != nil {
						return found
					}
				}
			}
		case []any:
			i, err := strconv.Atoi(toks[0])
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			return walk(x[i], toks[1:], depth+1)
		}
		return nil
	}
	return walk(doc, diag.Tokens(ptr), 0)
}
