package openapi

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// ConvertSwagger2 converts a Swagger 2.0 document to OpenAPI 3.0 with
// openapi2conv, mending what the conversion gets wrong about parameters
// shared through the top-level `parameters:` section, and returns located
// warnings about what it had to assume:
//
//   - A body parameter reached through a $ref becomes a shared request body
//     in the document-wide `consumes` media types (or */* when there are
//     none), not the operation's own: Kubernetes declares no global
//     `consumes`, so its PATCH bodies lost application/json-patch+json,
//     application/merge-patch+json and the rest. Each such operation gets
//     the body in its own media types, its schema still shared.
//   - A formData parameter reached through a $ref becomes a component
//     schema named after the parameter, a stray type beside the
//     definitions (or, when a definition has the same name, the form field
//     takes the definition's schema). They are inlined before conversion,
//     so they land in the operation's form body like any other field.
//   - Form fields with no `consumes` at all would be sent as */*, that is
//     as JSON, and so would form fields whose `consumes` lists only other
//     media types (application/json: Swagger 2.0 allows formData only in
//     application/x-www-form-urlencoded and multipart/form-data): they are
//     sent as multipart/form-data when one is a file and as
//     application/x-www-form-urlencoded otherwise, with a warning.
//   - A body parameter without a schema (which Swagger 2.0 requires)
//     would be no body at all: it becomes a free-form one, with a warning.
//
// loader resolves the converted document's $refs, those into other files
// through its ReadFromURIFunc, relative to location (nil: the working
// directory); a nil loader is openapi3.NewLoader(), which refuses them.
func ConvertSwagger2(doc2 *openapi2.T, loader *openapi3.Loader, location *url.URL) (*openapi3.T, diag.List, error) {
	var diags diag.List
	warn := func(ptr, format string, args ...any) {
		diags = append(diags, diag.Diagnostic{Severity: diag.Warning, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
	}
	for _, name := range sortedKeys(doc2.Parameters) {
		if p := doc2.Parameters[name]; p != nil && p.Ref == "" && p.In == "body" && p.Schema == nil {
			warn(diag.Pointer("parameters", name), "body parameter %q has no schema; sending any JSON value", p.Name)
			p.Schema = &openapi2.SchemaRef{Value: &openapi2.Schema{}}
		}
	}
	noSchema := func(params openapi2.Parameters, ptr string) {
		for i, p := range params {
			if p != nil && p.Ref == "" && p.In == "body" && p.Schema == nil {
				warn(ptr+"/parameters/"+strconv.Itoa(i), "body parameter %q has no schema; sending any JSON value", p.Name)
				p.Schema = &openapi2.SchemaRef{Value: &openapi2.Schema{}}
			}
		}
	}
	for _, path := range sortedKeys(doc2.Paths) {
		item := doc2.Paths[path]
		if item == nil {
			continue
		}
		inlineFormData(doc2, item.Parameters)
		noSchema(item.Parameters, diag.Pointer("paths", path))
		pathForm, pathFile := formFields(item.Parameters)
		for _, m := range methods {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			opPtr := diag.Pointer("paths", path, strings.ToLower(m))
			inlineFormData(doc2, op.Parameters)
			noSchema(op.Parameters, opPtr)
			form, file := formFields(op.Parameters)
			form, file = form || pathForm, file || pathFile
			consumes := op.Consumes
			if len(consumes) == 0 {
				consumes = doc2.Consumes
			}
			if form && !slices.ContainsFunc(consumes, formMedia) {
				mt := "application/x-www-form-urlencoded"
				if file {
					mt = "multipart/form-data"
				}
				if len(consumes) == 0 {
					warn(opPtr, "form parameters but no `consumes`; sending them as %s", mt)
				} else {
					// Swagger 2.0 (Parameter Object, in: formData) allows form
					// fields only in those two media types: GitLab v3 lists
					// application/json for its form operations.
					warn(opPtr, "form parameters but `consumes` lists no form media type (%s); sending them as %s",
						strings.Join(consumes, ", "), mt)
				}
				op.Consumes = []string{mt}
			}
		}
	}
	// Every $ref to a shared formData parameter is inlined: left in, they
	// would only become stray component schemas.
	for name, p := range doc2.Parameters {
		if p != nil && p.Ref == "" && p.In == "formData" {
			delete(doc2.Parameters, name)
		}
	}
	if loader == nil {
		loader = openapi3.NewLoader()
	}
	restore := shortenAliasChains(doc2)
	doc, err := openapi2conv.ToV3WithLoader(doc2, loader, location)
	if err != nil {
		return nil, diags, err
	}
	restore(doc)
	oneMediaPerConsumes(doc2, doc)
	sharedResponsesInProduces(doc2, doc)
	return doc, diags, nil
}

// formMedia reports whether a `consumes` entry is one of the media types
// that carry formData parameters (parameters allowed, case ignored).
func formMedia(mt string) bool {
	base, _, _ := strings.Cut(mt, ";")
	base = strings.ToLower(strings.TrimSpace(base))
	return base == "application/x-www-form-urlencoded" || base == "multipart/form-data"
}

// sharedParam returns the top-level parameter a "#/parameters/..." $ref
// names.
func sharedParam(doc2 *openapi2.T, ref string) *openapi2.Parameter {
	name, ok := strings.CutPrefix(ref, "#/parameters/")
	if !ok || strings.Contains(name, "/") {
		return nil
	}
	return doc2.Parameters[unescape(name)]
}

// inlineFormData replaces each $ref to a shared formData parameter in
// params by a copy of the parameter.
func inlineFormData(doc2 *openapi2.T, params openapi2.Parameters) {
	for i, p := range params {
		if p == nil || p.Ref == "" {
			continue
		}
		target := sharedParam(doc2, p.Ref)
		if target == nil || target.Ref != "" || target.In != "formData" {
			continue
		}
		cp := *target // the conversion writes into the parameter's extensions
		cp.Extensions = maps.Clone(target.Extensions)
		params[i] = &cp
	}
}

// formFields reports whether params declare formData parameters inline,
// and whether one of them is a file.
func formFields(params openapi2.Parameters) (form, file bool) {
	for _, p := range params {
		if p != nil && p.Ref == "" && p.In == "formData" {
			form = true
			file = file || p.Type != nil && p.Type.Is("file")
		}
	}
	return form, file
}

// oneMediaPerConsumes gives each converted operation whose body is a $ref
// to a shared body parameter (now "#/components/requestBodies/...") that
// body in the operation's own `consumes` media types, falling back to the
// document's, as openapi2conv does for a body declared in the operation.
// The schema stays the shared one, so every such operation has one type.
func oneMediaPerConsumes(doc2 *openapi2.T, doc *openapi3.T) {
	if doc.Paths == nil {
		return
	}
	for path, item2 := range doc2.Paths {
		item := doc.Paths.Value(path)
		if item2 == nil || item == nil {
			continue
		}
		for _, m := range methods {
			op2, op := item2.GetOperation(m), item.GetOperation(m)
			if op2 == nil || op == nil || op.RequestBody == nil || op.RequestBody.Value == nil ||
				!strings.HasPrefix(op.RequestBody.Ref, "#/components/requestBodies/") {
				continue
			}
			consumes := op2.Consumes
			if len(consumes) == 0 {
				consumes = doc2.Consumes
			}
			shared := op.RequestBody.Value
			var schema *openapi3.SchemaRef
			for _, mt := range sortedKeys(shared.Content) {
				if media := shared.Content[mt]; media != nil && media.Schema != nil {
					schema = media.Schema
					break
				}
			}
			body := *shared
			body.Content = openapi3.NewContentWithSchemaRef(schema, consumes)
			op.RequestBody = &openapi3.RequestBodyRef{Value: &body}
		}
	}
}

// sharedResponsesInProduces gives an operation's $ref to a shared response
// (#/responses/...) the operation's own `produces` media types.
// openapi2conv converts a shared response with the document's `produces`,
// but in Swagger 2.0 a response has no media type of its own: the
// operation's `produces` applies (Gitea's renderMarkdown answers
// text/html; with the document's [application/json, text/html] the
// connector asked for JSON and got 406). The $ref stays, so types are
// still named from the shared response's key.
func sharedResponsesInProduces(doc2 *openapi2.T, doc *openapi3.T) {
	if doc.Paths == nil {
		return
	}
	for path, item2 := range doc2.Paths {
		item := doc.Paths.Value(path)
		if item2 == nil || item == nil {
			continue
		}
		for _, m := range methods {
			op2, op := item2.GetOperation(m), item.GetOperation(m)
			if op2 == nil || op == nil || len(op2.Produces) == 0 || op.Responses == nil {
				continue
			}
			for _, status := range sortedKeys(op.Responses.Map()) {
				ref := op.Responses.Value(status)
				if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 || !strings.HasPrefix(ref.Ref, "#/components/responses/") {
					continue
				}
				shared := ref.Value
				var schema *openapi3.SchemaRef
				for _, mt := range sortedKeys(shared.Content) {
					if media := shared.Content[mt]; media != nil && media.Schema != nil {
						schema = media.Schema
						break
					}
				}
				if schema == nil {
					continue
				}
				resp := *shared
				resp.Content = openapi3.NewContentWithSchemaRef(schema, op2.Produces)
				op.Responses.Set(status, &openapi3.ResponseRef{Ref: ref.Ref, Value: &resp})
			}
		}
	}
}

// shortenAliasChains points every definition that is only a $ref to
// another definition (an alias) straight at the definition its chain ends
// in, and returns a function that puts the $ref text as written back into
// the converted document's components. openapi2conv resolves the converted
// document with kin-openapi, which re-walks the rest of an alias chain for
// every alias in it (the square of the chain's length: 4,000 chained
// definitions took 19 s); with every alias one hop from its value,
// resolving costs the chain's length once. collapseAliases does the same
// for OpenAPI 3 documents, before their resolution. Aliases in a cycle are
// left as they are (collapseAliases reports them after the conversion).
func shortenAliasChains(doc2 *openapi2.T) func(*openapi3.T) {
	const prefix = "#/definitions/"
	target := func(sr *openapi2.SchemaRef) (string, bool) {
		if sr == nil || sr.Ref == "" {
			return "", false
		}
		name, ok := strings.CutPrefix(sr.Ref, prefix)
		if !ok || strings.Contains(name, "/") {
			return "", false
		}
		name = unescape(name)
		_, exists := doc2.Definitions[name]
		return name, exists
	}
	final := map[string]string{} // alias -> the definition its chain ends in; "" for a cycle
	original := map[string]string{}
	for _, name := range sortedKeys(doc2.Definitions) {
		next, ok := target(doc2.Definitions[name])
		if !ok {
			continue
		}
		// Iteratively, so a chain of any length uses no deep recursion:
		// walk to the end (or a memoised alias), then record the walk.
		var walk []string
		seen := map[string]bool{name: true}
		cur, f := next, ""
		walk = append(walk, name)
		for {
			if m, ok := final[cur]; ok {
				f = m
				break
			}
			n, ok := target(doc2.Definitions[cur])
			if !ok {
				f = cur
				break
			}
			if seen[cur] {
				f = ""
				break
			}
			seen[cur] = true
			walk = append(walk, cur)
			cur = n
		}
		for _, w := range walk {
			final[w] = f
		}
	}
	for name, f := range final {
		sr := doc2.Definitions[name]
		if f == "" || sr.Ref == prefix+escapeToken(f) {
			continue
		}
		original[name] = sr.Ref
		sr.Ref = prefix + escapeToken(f)
	}
	return func(doc *openapi3.T) {
		for name, ref := range original {
			doc2.Definitions[name].Ref = ref
			if doc.Components != nil && doc.Components.Schemas[name] != nil {
				doc.Components.Schemas[name].Ref = openapi2conv.ToV3Ref(ref)
			}
		}
	}
}

// escapeToken escapes a JSON pointer reference token (RFC 6901 §3).
func escapeToken(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}
