package generator

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
)

// customize applies connectorgen.yaml's names, types, include and exclude
// to a loaded API, before the names pass. Overrides apply first, against
// the whole spec, so a pointer to an operation the filter then drops is
// not an error. Unknown pointers are errors at the config's line.
func customize(api *ir.API, s *config.File) diag.List {
	if s.UndeclaredMembers == config.UndeclaredDrop {
		for _, t := range api.Types {
			if t.ExtraUndeclared {
				t.Extra, t.ExtraUndeclared = nil, false
			}
		}
	}
	idx := index(api)
	var diags diag.List
	at := func(sev diag.Severity, section, key, format string, args ...any) {
		ptr := "#/" + section
		switch {
		case key == "":
		case section == "include" || section == "exclude":
			ptr += "/" + key // "tags/0"
		default:
			ptr += "/" + diag.EscapeToken(key)
		}
		diags = append(diags, diag.Diagnostic{Severity: sev, Pos: diag.Pos{File: s.Name(), Line: s.Line(section, key)},
			Pointer: ptr, Message: fmt.Sprintf(format, args...)})
	}
	for _, k := range sorted(s.Names) {
		name := s.Names[k]
		if id, ok := strings.CutPrefix(k, "operation:"); ok {
			if op := idx.opsByID[id]; op != nil {
				op.GoNameOverride = name
			} else {
				at(diag.Error, "names", k, "no operation has operationId %q", id)
			}
			continue
		}
		switch {
		case idx.ops[k] != nil:
			idx.ops[k].GoNameOverride = name
		case idx.params[k] != nil:
			idx.params[k].GoNameOverride = name
		case idx.fields[k] != nil:
			idx.fields[k].GoNameOverride = name
		case idx.types[k] != nil && idx.types[k].Component:
			idx.types[k].GoNameOverride = name
		case idx.types[k] != nil:
			at(diag.Error, "names", k, "%s is an inline schema; names apply to component schemas, operations, parameters and properties", k)
		default:
			at(diag.Error, "names", k, "%s is not a component schema, operation, parameter or property of the spec", k)
		}
	}
	mapped := map[*ir.Type]bool{}
	for _, k := range sorted(s.Types) {
		path, name, _ := config.ParseGoType(s.Types[k])
		gt := &ir.GoType{Path: path, Name: name}
		switch {
		case idx.types[k] != nil:
			t := idx.types[k]
			// As x-go-type: an inline schema is then no declaration of its own.
			*t = ir.Type{Kind: ir.Any, GoType: gt, Source: t.Source, Doc: t.Doc, Named: t.Component, Component: t.Component,
				SpecName: t.SpecName, Parent: t.Parent, Op: t.Op, Part: t.Part, GoNameOverride: t.GoNameOverride}
			mapped[t] = true
		case idx.fields[k] != nil:
			idx.fields[k].Type = &ir.Type{Kind: ir.Any, GoType: gt, Source: k}
		case idx.params[k] != nil:
			idx.params[k].Type = &ir.Type{Kind: ir.Any, GoType: gt, Source: k}
		default:
			at(diag.Error, "types", k, "%s is not a schema, property or parameter of the spec", k)
		}
	}
	if len(mapped) > 0 { // inline types inside a mapped schema are gone
		api.Types = slices.DeleteFunc(api.Types, func(t *ir.Type) bool {
			if !t.Named {
				return true
			}
			for p := t.Parent; p != nil; p = p.Parent {
				if mapped[p] {
					return true
				}
			}
			return false
		})
	}
	if diags.HasErrors() {
		return diags
	}
	if s.Include.Empty() && s.Exclude.Empty() {
		return diags
	}
	inc := newMatcher(s.Include)
	exc := newMatcher(s.Exclude)
	var kept []*ir.Operation
	for _, op := range api.Operations {
		in := s.Include.Empty() || inc.match(op)
		if exc.match(op) || !in {
			continue
		}
		kept = append(kept, op)
	}
	for _, m := range []struct {
		section string
		m       *matcher
	}{{"include", inc}, {"exclude", exc}} {
		for _, k := range m.m.unused() {
			at(diag.Warning, m.section, k, "matches no operation")
		}
	}
	roots := kept
	for _, w := range api.Webhooks {
		roots = append(roots[:len(roots):len(roots)], w.Op)
	}
	types := reachable(roots)
	nTypes := len(api.Types)
	api.Types = slices.DeleteFunc(api.Types, func(t *ir.Type) bool { return !types[t] })
	section := "include"
	if s.Include.Empty() {
		section = "exclude"
	}
	if len(kept) == 0 {
		at(diag.Warning, section, "", "include and exclude leave no operation")
	}
	at(diag.Info, section, "", "kept %d of %d operations (%d excluded) and %d of %d types",
		len(kept), len(api.Operations), len(api.Operations)-len(kept), len(api.Types), nTypes)
	api.Operations = kept
	return diags
}

type apiIndex struct {
	ops     map[string]*ir.Operation // by Source
	opsByID map[string]*ir.Operation
	params  map[string]*ir.Param
	fields  map[string]*ir.Field
	types   map[string]*ir.Type // the first type met with each Source
}

func index(api *ir.API) *apiIndex {
	x := &apiIndex{ops: map[string]*ir.Operation{}, opsByID: map[string]*ir.Operation{}, params: map[string]*ir.Param{},
		fields: map[string]*ir.Field{}, types: map[string]*ir.Type{}}
	seen := map[*ir.Type]bool{}
	var walk func(t *ir.Type)
	walk = func(t *ir.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		if _, ok := x.types[t.Source]; !ok && t.Source != "" {
			x.types[t.Source] = t
		}
		walk(t.Elem)
		walk(t.Extra)
		for _, f := range t.Fields {
			if _, ok := x.fields[f.Source]; !ok && f.Source != "" {
				x.fields[f.Source] = f
			}
			walk(f.Type)
		}
		for _, v := range t.Variants {
			walk(v.Type)
		}
	}
	for _, t := range api.Types {
		walk(t)
	}
	for _, op := range api.Operations {
		x.ops[op.Source] = op
		if _, ok := x.opsByID[op.ID]; !ok {
			x.opsByID[op.ID] = op
		}
		for _, p := range op.Params {
			if _, ok := x.params[p.Source]; !ok && p.Source != op.Source {
				x.params[p.Source] = p
			}
			walk(p.Type)
		}
		opTypes(op, walk)
	}
	return x
}

// opTypes calls visit with the body, response and header types of op.
func opTypes(op *ir.Operation, visit func(*ir.Type)) {
	for _, p := range op.Params {
		visit(p.Type)
	}
	for _, b := range op.Bodies() {
		visit(b.Type)
	}
	for _, r := range op.Responses {
		visit(r.Type)
		for _, h := range r.Headers {
			visit(h.Type)
		}
	}
}

// reachable returns the types the operations use, with everything they
// contain and the enclosing types of inline ones (whose names derive from
// them).
func reachable(ops []*ir.Operation) map[*ir.Type]bool {
	seen := map[*ir.Type]bool{}
	var walk func(t *ir.Type)
	walk = func(t *ir.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		walk(t.Elem)
		walk(t.Extra)
		walk(t.Parent)
		for _, f := range t.Fields {
			walk(f.Type)
		}
		for _, v := range t.Variants {
			walk(v.Type)
		}
	}
	for _, op := range ops {
		opTypes(op, walk)
	}
	return seen
}

// matcher matches operations against one Filter and remembers which of
// its entries matched any.
type matcher struct {
	f    config.Filter
	used map[string]bool // "tags/0", "paths/1", ...
}

func newMatcher(f config.Filter) *matcher { return &matcher{f: f, used: map[string]bool{}} }

func (m *matcher) match(op *ir.Operation) bool {
	hit := false
	for i, tag := range m.f.Tags {
		if slices.Contains(op.Tags, tag) {
			m.used[fmt.Sprintf("tags/%d", i)], hit = true, true
		}
	}
	for i, g := range m.f.Paths {
		if config.MatchPath(g, op.Path) {
			m.used[fmt.Sprintf("paths/%d", i)], hit = true, true
		}
	}
	for i, id := range m.f.OperationIDs {
		if op.ID == id {
			m.used[fmt.Sprintf("operationIds/%d", i)], hit = true, true
		}
	}
	return hit
}

func (m *matcher) unused() []string {
	var out []string
	for _, l := range []struct {
		key string
		n   int
	}{{"tags", len(m.f.Tags)}, {"paths", len(m.f.Paths)}, {"operationIds", len(m.f.OperationIDs)}} {
		for i := range l.n {
			if k := fmt.Sprintf("%s/%d", l.key, i); !m.used[k] {
				out = append(out, k)
			}
		}
	}
	return out
}

func sorted(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
