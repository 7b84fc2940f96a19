package openapi

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/getkin/kin-openapi/openapi3"
)

// MaxAliasHops bounds how many components that are only a $ref, and
// whose target collapseAliases cannot fill in, a reference may pass through
// before it reaches a value: kin-openapi resolves such a chain again at
// every reference to it, so an unbounded one costs the square of its
// length. Only OpenAPI 3.1 components that add keywords next to their
// $ref (which kin-openapi merges into a copy of the target) are left
// unfilled; real specs chain a handful of them at most.
const MaxAliasHops = 64

// collapseAliases fills in, before kin-openapi resolves the document, the
// value of every component that is only a $ref to another component of
// its kind (schemas, parameters, responses, request bodies, headers,
// examples, links, callbacks, security schemes), following chains of such
// aliases to the final value. The $ref text is kept, so the IR still names
// each alias after the component it refers to.
//
// kin-openapi v0.152.0 resolves a $ref through a copy of its target
// (Loader.resolveComponent), and an alias's copy is resolved again, so each
// component of a chain A → B → … → Z re-walks the rest of the chain, and
// so does every reference to one of them: the square of the chain's
// length (2,000 chained schemas took 1.6 s, 20,000 did not finish in two
// minutes). A component whose value is already set is not resolved again,
// so filling aliases in here makes every chain cost its length once.
//
// An alias is filled in when it carries nothing but the $ref (and x-
// extensions), or the document is OpenAPI 3.0, where the fields next to a
// $ref are ignored. Schemas whose aliases form a cycle (A → B → A) stand
// for no value: each becomes a free-form schema, with a located warning.
// Other components in such a cycle, and a chain through more than
// MaxAliasHops aliases that cannot be filled in, are located errors.
func collapseAliases(doc *openapi3.T) diag.List {
	c := doc.Components
	if c == nil {
		return nil
	}
	oas31 := doc.IsOpenAPI31OrLater()
	var a aliases
	meta := func(summary, description *string) bool { return !oas31 || summary == nil && description == nil }
	collapse(&a, "schemas", c.Schemas, func(r *openapi3.SchemaRef) (string, bool, *openapi3.Schema) {
		return r.Ref, !oas31 || refOnly(r), r.Value
	}, func(r *openapi3.SchemaRef, v *openapi3.Schema) { r.Value = v },
		func(r *openapi3.SchemaRef) { r.Ref, r.Value = "", &openapi3.Schema{} })
	collapse(&a, "parameters", c.Parameters, func(r *openapi3.ParameterRef) (string, bool, *openapi3.Parameter) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.ParameterRef, v *openapi3.Parameter) { r.Value = v }, nil)
	collapse(&a, "headers", c.Headers, func(r *openapi3.HeaderRef) (string, bool, *openapi3.Header) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.HeaderRef, v *openapi3.Header) { r.Value = v }, nil)
	collapse(&a, "requestBodies", c.RequestBodies, func(r *openapi3.RequestBodyRef) (string, bool, *openapi3.RequestBody) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.RequestBodyRef, v *openapi3.RequestBody) { r.Value = v }, nil)
	collapse(&a, "responses", c.Responses, func(r *openapi3.ResponseRef) (string, bool, *openapi3.Response) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.ResponseRef, v *openapi3.Response) { r.Value = v }, nil)
	collapse(&a, "securitySchemes", c.SecuritySchemes, func(r *openapi3.SecuritySchemeRef) (string, bool, *openapi3.SecurityScheme) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.SecuritySchemeRef, v *openapi3.SecurityScheme) { r.Value = v }, nil)
	collapse(&a, "examples", c.Examples, func(r *openapi3.ExampleRef) (string, bool, *openapi3.Example) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.ExampleRef, v *openapi3.Example) { r.Value = v }, nil)
	collapse(&a, "links", c.Links, func(r *openapi3.LinkRef) (string, bool, *openapi3.Link) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.LinkRef, v *openapi3.Link) { r.Value = v }, nil)
	collapse(&a, "callbacks", c.Callbacks, func(r *openapi3.CallbackRef) (string, bool, *openapi3.Callback) {
		return r.Ref, meta(r.Summary, r.Description), r.Value
	}, func(r *openapi3.CallbackRef, v *openapi3.Callback) { r.Value = v }, nil)
	return a.diags
}

// aliases collects the diagnostics of collapseAliases.
type aliases struct{ diags diag.List }

// refOnly reports whether a schema $ref carries no keyword next to it
// (x- extensions aside), so that its value is exactly its target's.
func refOnly(r *openapi3.SchemaRef) bool {
	m, err := r.MarshalYAML()
	if err != nil {
		return false
	}
	obj, ok := m.(map[string]any)
	if !ok {
		return false
	}
	for k := range obj {
		if k != "$ref" && !strings.HasPrefix(k, "x-") {
			return false
		}
	}
	return true
}

// collapse fills in the aliases of one section of components. view
// returns a component's $ref, whether it may be filled in (it adds nothing
// to its target) and its value; fill sets the value; free, when not nil,
// makes a member of an alias cycle a free-form value (else the cycle is an
// error). Each component is visited once and chains are followed
// iteratively, so the work is linear in the number of components however
// long the chains.
func collapse[R any, V any](a *aliases, section string, m map[string]*R,
	view func(*R) (ref string, pure bool, value *V), fill func(*R, *V), free func(*R)) {
	const (
		unseen = iota
		onPath
		done
	)
	prefix := "#/components/" + section + "/"
	state := make(map[string]int, len(m))
	// value is the final value of each component done (nil when unknown);
	// hops counts the aliases not filled in that a reference to it passes
	// before kin-openapi finds a value.
	value := make(map[string]*V, len(m))
	hops := map[string]int{}
	pure := map[string]bool{}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, start := range names {
		var path []string // aliases met, in order; each refers to the next
		cur := start
		for state[cur] == unseen {
			r := m[cur]
			if r == nil {
				state[cur] = done
				break
			}
			ref, p, v := view(r)
			target, isAlias := strings.CutPrefix(ref, prefix)
			target = unescape(target)
			if ref == "" || v != nil || !isAlias || strings.Contains(target, "/") || m[target] == nil {
				// A value, or a $ref kin-openapi resolves on its own.
				state[cur], value[cur] = done, v
				if ref != "" && v == nil {
					hops[cur] = 1
				}
				break
			}
			state[cur], pure[cur] = onPath, p
			path = append(path, cur)
			cur = target
		}
		if state[cur] == onPath {
			k := slices.Index(path, cur)
			a.cycle(section, path[k:], free != nil)
			for _, name := range path[k:] {
				state[name] = done
				if free != nil {
					free(m[name])
					_, _, value[name] = view(m[name])
				}
			}
			path = path[:k]
		}
		end, endHops := value[cur], hops[cur]
		for i := len(path) - 1; i >= 0; i-- {
			name := path[i]
			state[name] = done
			if !pure[name] || end == nil && endHops > 0 {
				endHops++
				end, hops[name] = nil, endHops
				if endHops == MaxAliasHops+1 {
					a.diags = append(a.diags, diag.Diagnostic{Severity: diag.Error, Pointer: diag.Pointer("components", section, name),
						Message: fmt.Sprintf("this $ref starts a chain of more than %d $refs that connectorgen cannot shorten "+
							"(components that add keywords next to their $ref, or end in a $ref into another component), "+
							"which kin-openapi resolves again at every reference: refer to the final component instead", MaxAliasHops)})
				}
				continue
			}
			value[name] = end
			if end != nil {
				fill(m[name], end)
			}
		}
	}
}

// cycle reports a cycle of aliases, each referring to the next and the
// last to the first: a warning when its members become free-form, else
// an error.
func (a *aliases) cycle(section string, members []string, free bool) {
	chain := strings.Join(append(slices.Clone(members), members[0]), " → ")
	d := diag.Diagnostic{Severity: diag.Error, Pointer: diag.Pointer("components", section, members[0]),
		Message: fmt.Sprintf("$ref cycle: %s only refer to each other, so none has a value", chain)}
	if free {
		d.Severity = diag.Warning
		d.Message = fmt.Sprintf("$ref cycle: %s only refer to each other, so none describes a value: each is free-form", chain)
	}
	a.diags = append(a.diags, d)
}
