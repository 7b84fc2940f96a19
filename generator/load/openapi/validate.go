package openapi

import (
	"context"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/getkin/kin-openapi/openapi3"
)

// validate runs kin-openapi's validation. Real specs carry wrong examples,
// defaults and patterns, and small spec bugs that do not stop generation;
// so failures are warnings, located where the message allows.
//
// kin-openapi's Schema.Validate walks every schema the one it starts from
// reaches, afresh for every component, parameter and media type, so a
// document whose schemas reach each other costs the product of its size
// and their reach: 4,000 components each holding the next in a property
// took 4.5 s, Stripe's spec 3 s. Here every schema is validated once: while
// the document is validated, each schema in it stands in for a shallow copy
// whose subschemas are empty (the $ref objects around them are kept, so
// their own fields are still checked), then each shallow copy is validated
// on its own, with the pointer of the place it was first met. Validating a
// schema checks nothing across its subschemas, so the verdict is the same
// in linear time; the document's schemas are restored before lowering.
func (l *lowerer) validate(ctx context.Context) {
	opts := []openapi3.ValidationOption{
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
		openapi3.DisableSchemaFormatValidation(),
	}
	w := schemaWalk{seen: map[*openapi3.Schema]bool{}}
	w.doc(l.doc)
	saved := make([]openapi3.Schema, len(w.list))
	for i, p := range w.list {
		saved[i] = *p.schema
		*p.schema = shallow(saved[i])
	}
	defer func() {
		for i, p := range w.list {
			*p.schema = saved[i]
		}
	}()
	if err := l.doc.Validate(ctx, opts...); err != nil {
		l.warn(validationPointer(err.Error()), "spec does not validate (generating anyway): %s", oneLine(err.Error()))
		return
	}
	if l.doc.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.IsOpenAPI31OrLater())
	}
	for _, p := range w.list {
		if err := p.schema.Validate(ctx, opts...); err != nil {
			l.warn(p.ptr, "spec does not validate (generating anyway): %s", oneLine(err.Error()))
			return
		}
	}
}

// emptySchema stands for every subschema of a shallow copy.
var emptySchema = &openapi3.Schema{}

// shallow returns a copy of s whose subschemas are empty: each $ref object
// is copied with its own fields and the empty schema as its value.
func shallow(s openapi3.Schema) openapi3.Schema {
	one := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil || r.Value == nil {
			return r // an unresolved $ref stays one, to be reported
		}
		c := *r
		c.Value = emptySchema
		return &c
	}
	list := func(rs openapi3.SchemaRefs) openapi3.SchemaRefs {
		if rs == nil {
			return nil
		}
		out := make(openapi3.SchemaRefs, len(rs))
		for i, r := range rs {
			out[i] = one(r)
		}
		return out
	}
	named := func(m openapi3.Schemas) openapi3.Schemas {
		if m == nil {
			return nil
		}
		out := make(openapi3.Schemas, len(m))
		for k, r := range m {
			out[k] = one(r)
		}
		return out
	}
	s.OneOf, s.AnyOf, s.AllOf, s.PrefixItems = list(s.OneOf), list(s.AnyOf), list(s.AllOf), list(s.PrefixItems)
	s.Not, s.Items, s.Contains, s.PropertyNames = one(s.Not), one(s.Items), one(s.Contains), one(s.PropertyNames)
	s.If, s.Then, s.Else, s.ContentSchema = one(s.If), one(s.Then), one(s.Else), one(s.ContentSchema)
	s.Properties, s.PatternProperties = named(s.Properties), named(s.PatternProperties)
	s.DependentSchemas, s.Defs = named(s.DependentSchemas), named(s.Defs)
	s.AdditionalProperties.Schema = one(s.AdditionalProperties.Schema)
	s.UnevaluatedItems.Schema = one(s.UnevaluatedItems.Schema)
	s.UnevaluatedProperties.Schema = one(s.UnevaluatedProperties.Schema)
	return s
}

// placed is a schema and the pointer of the place it was first met.
type placed struct {
	schema *openapi3.Schema
	ptr    string
}

// schemaWalk lists every schema of a document once, components first,
// then paths and webhooks, each in name order.
type schemaWalk struct {
	seen map[*openapi3.Schema]bool
	list []placed
}

func (w *schemaWalk) doc(doc *openapi3.T) {
	if c := doc.Components; c != nil {
		for _, k := range sortedKeys(c.Schemas) {
			w.schema(c.Schemas[k], diag.Pointer("components", "schemas", k))
		}
		for _, k := range sortedKeys(c.Parameters) {
			if p := c.Parameters[k]; p != nil {
				w.parameter(p.Value, diag.Pointer("components", "parameters", k))
			}
		}
		for _, k := range sortedKeys(c.Headers) {
			if h := c.Headers[k]; h != nil && h.Value != nil {
				w.parameter(&h.Value.Parameter, diag.Pointer("components", "headers", k))
			}
		}
		for _, k := range sortedKeys(c.RequestBodies) {
			if b := c.RequestBodies[k]; b != nil && b.Value != nil {
				w.content(b.Value.Content, diag.Pointer("components", "requestBodies", k, "content"))
			}
		}
		for _, k := range sortedKeys(c.Responses) {
			w.response(c.Responses[k], diag.Pointer("components", "responses", k))
		}
		for _, k := range sortedKeys(c.Callbacks) {
			w.callback(c.Callbacks[k], diag.Pointer("components", "callbacks", k))
		}
	}
	if doc.Paths != nil {
		m := doc.Paths.Map()
		for _, k := range sortedKeys(m) {
			w.pathItem(m[k], diag.Pointer("paths", k))
		}
	}
	for _, k := range sortedKeys(doc.Webhooks) {
		w.pathItem(doc.Webhooks[k], diag.Pointer("webhooks", k))
	}
}

func (w *schemaWalk) pathItem(item *openapi3.PathItem, ptr string) {
	if item == nil {
		return
	}
	w.parameters(item.Parameters, ptr)
	ops := item.Operations()
	for _, method := range sortedKeys(ops) {
		op, at := ops[method], ptr+"/"+strings.ToLower(method)
		w.parameters(op.Parameters, at)
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			w.content(op.RequestBody.Value.Content, at+"/requestBody/content")
		}
		if op.Responses != nil {
			m := op.Responses.Map()
			for _, code := range sortedKeys(m) {
				w.response(m[code], at+"/responses/"+diag.EscapeToken(code))
			}
		}
		for _, k := range sortedKeys(op.Callbacks) {
			w.callback(op.Callbacks[k], at+"/callbacks/"+diag.EscapeToken(k))
		}
	}
}

func (w *schemaWalk) callback(cb *openapi3.CallbackRef, ptr string) {
	if cb == nil || cb.Value == nil {
		return
	}
	m := cb.Value.Map()
	for _, k := range sortedKeys(m) {
		w.pathItem(m[k], ptr+"/"+diag.EscapeToken(k))
	}
}

func (w *schemaWalk) response(r *openapi3.ResponseRef, ptr string) {
	if r == nil || r.Value == nil {
		return
	}
	for _, k := range sortedKeys(r.Value.Headers) {
		if h := r.Value.Headers[k]; h != nil && h.Value != nil {
			w.parameter(&h.Value.Parameter, ptr+"/headers/"+diag.EscapeToken(k))
		}
	}
	w.content(r.Value.Content, ptr+"/content")
}

func (w *schemaWalk) parameters(ps openapi3.Parameters, ptr string) {
	for i, p := range ps {
		if p != nil {
			w.parameter(p.Value, ptr+"/parameters/"+strconv.Itoa(i))
		}
	}
}

func (w *schemaWalk) parameter(p *openapi3.Parameter, ptr string) {
	if p == nil {
		return
	}
	w.schema(p.Schema, ptr+"/schema")
	w.content(p.Content, ptr+"/content")
}

func (w *schemaWalk) content(c openapi3.Content, ptr string) {
	for _, k := range sortedKeys(c) {
		mt := c[k]
		if mt == nil {
			continue
		}
		at := ptr + "/" + diag.EscapeToken(k)
		w.schema(mt.Schema, at+"/schema")
		for _, e := range sortedKeys(mt.Encoding) {
			if enc := mt.Encoding[e]; enc != nil {
				for _, h := range sortedKeys(enc.Headers) {
					if hr := enc.Headers[h]; hr != nil && hr.Value != nil {
						w.parameter(&hr.Value.Parameter, at+"/encoding/"+diag.EscapeToken(e)+"/headers/"+diag.EscapeToken(h))
					}
				}
			}
		}
	}
}

// schema lists r's schema and, depth first, the schemas it holds. It
// recurses as deep as the document nests, which checkSyntax has bounded.
func (w *schemaWalk) schema(r *openapi3.SchemaRef, ptr string) {
	if r == nil || r.Value == nil || w.seen[r.Value] {
		return
	}
	if strings.HasPrefix(r.Ref, "#/") {
		ptr = r.Ref // where the schema lives; pointers stay as long as the nesting of inline schemas
	}
	s := r.Value
	w.seen[s] = true
	w.list = append(w.list, placed{s, ptr})
	list := func(kw string, rs openapi3.SchemaRefs) {
		for i, c := range rs {
			w.schema(c, ptr+"/"+kw+"/"+strconv.Itoa(i))
		}
	}
	named := func(kw string, m openapi3.Schemas) {
		for _, k := range sortedKeys(m) {
			w.schema(m[k], ptr+"/"+kw+"/"+diag.EscapeToken(k))
		}
	}
	list("oneOf", s.OneOf)
	list("anyOf", s.AnyOf)
	list("allOf", s.AllOf)
	list("prefixItems", s.PrefixItems)
	w.schema(s.Not, ptr+"/not")
	w.schema(s.Items, ptr+"/items")
	w.schema(s.Contains, ptr+"/contains")
	w.schema(s.PropertyNames, ptr+"/propertyNames")
	w.schema(s.If, ptr+"/if")
	w.schema(s.Then, ptr+"/then")
	w.schema(s.Else, ptr+"/else")
	w.schema(s.ContentSchema, ptr+"/contentSchema")
	named("properties", s.Properties)
	named("patternProperties", s.PatternProperties)
	named("dependentSchemas", s.DependentSchemas)
	named("$defs", s.Defs)
	w.schema(s.AdditionalProperties.Schema, ptr+"/additionalProperties")
	w.schema(s.UnevaluatedItems.Schema, ptr+"/unevaluatedItems")
	w.schema(s.UnevaluatedProperties.Schema, ptr+"/unevaluatedProperties")
}
