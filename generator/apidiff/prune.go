package apidiff

import (
	"cmp"
	"slices"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/diff"
)

// The schema diffs oasdiff computes form a graph: the diff of a schema
// every operation refers to is one node, shared by all of them, and a
// graph of schemas referring to each other (Stripe's expandable fields,
// anyOf [string, $ref]) is a graph of nodes. oasdiff's checker walks it as
// a tree: once per operation, status, media type and check, and once per
// reference path below, so a change to a schema reached by many paths is
// found once per path (1.8 million findings, 60 GB of property-path
// strings and four minutes on a Stripe upgrade), though it is one change.
//
// pruneDiff makes the checker see each node's subtree once: walking the
// request and response body schemas of every operation in a fixed order,
// a node met again is replaced by a copy without its sub-schema diffs, so
// its own changes are still found where it is referenced (and fold into
// the same group), but nothing below it is walked twice. The operations
// each change reaches, which the pruned walk no longer tells, are
// computed on the graph before pruning: reach maps a schema's position in
// a spec to the operations whose bodies contain it.

// reachIndex maps positions in the specs to the operations that reach the
// schema there.
type reachIndex struct {
	files map[string]*spanIndex
	// exact maps the positions of the properties an object schema gained
	// or lost, or whose requiredness changed, to the operations reaching
	// that object: oasdiff reports such a change at the property's schema
	// (for a $ref, the component's), which other objects may use too.
	exact map[string]map[[2]int]*opSet
}

// spanIndex holds the blocks of the schemas of one spec file, sorted by
// start, each with the innermost block that encloses it.
type spanIndex struct {
	spans []span
}

type span struct {
	startLine, startCol, endLine, endCol int
	parent                               int // index of the enclosing span, -1 for none
	ops                                  *opSet
}

func before(l1, c1, l2, c2 int) bool { return l1 < l2 || l1 == l2 && c1 <= c2 }

func (s span) contains(line, col int) bool {
	return before(s.startLine, s.startCol, line, col) && before(line, col, s.endLine, s.endCol)
}

// find returns the operations reaching the innermost schema whose block
// holds line:col, nil when none does.
func (x *reachIndex) find(file string, line, col int) *opSet {
	if x == nil {
		return nil
	}
	if s := x.exact[file][[2]int{line, col}]; s != nil {
		return s
	}
	si := x.files[file]
	if si == nil {
		return nil
	}
	i := sort.Search(len(si.spans), func(i int) bool {
		s := si.spans[i]
		return !before(s.startLine, s.startCol, line, col)
	}) - 1
	// the last block starting at or before line:col, or one enclosing it
	for i >= 0 && !si.spans[i].contains(line, col) {
		i = si.spans[i].parent
	}
	if i < 0 {
		return nil
	}
	return si.spans[i].ops
}

// bodyRoots calls fn for every request and response body schema diff of
// every modified operation, in path, method, status and media type order,
// with the operation's name and a setter replacing the link.
func bodyRoots(d *diff.Diff, fn func(op string, n *diff.SchemaDiff, set func(*diff.SchemaDiff))) {
	if d == nil || d.PathsDiff == nil {
		return
	}
	media := func(op string, c *diff.ContentDiff) {
		if c == nil {
			return
		}
		for _, mt := range sortedMapKeys(c.MediaTypeModified) {
			m := c.MediaTypeModified[mt]
			if m == nil {
				continue
			}
			if m.SchemaDiff != nil {
				fn(op, m.SchemaDiff, func(n *diff.SchemaDiff) { m.SchemaDiff = n })
			}
			if m.ItemSchemaDiff != nil {
				fn(op, m.ItemSchemaDiff, func(n *diff.SchemaDiff) { m.ItemSchemaDiff = n })
			}
		}
	}
	for _, path := range sortedMapKeys(d.PathsDiff.Modified) {
		item := d.PathsDiff.Modified[path]
		if item == nil || item.OperationsDiff == nil {
			continue
		}
		for _, method := range sortedMapKeys(item.OperationsDiff.Modified) {
			o := item.OperationsDiff.Modified[method]
			if o == nil {
				continue
			}
			id := ""
			if o.Revision != nil {
				id = o.Revision.OperationID
			} else if o.Base != nil {
				id = o.Base.OperationID
			}
			op := Source{Kind: "operation", OperationID: id, Method: method, Path: path}.String()
			if o.RequestBodyDiff != nil {
				media(op, o.RequestBodyDiff.ContentDiff)
			}
			if o.ResponsesDiff != nil {
				for _, status := range sortedMapKeys(o.ResponsesDiff.Modified) {
					if r := o.ResponsesDiff.Modified[status]; r != nil {
						media(op, r.ContentDiff)
					}
				}
			}
		}
	}
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// children calls fn for each sub-schema diff of n with a setter replacing
// the link.
func children(n *diff.SchemaDiff, fn func(c *diff.SchemaDiff, set func(*diff.SchemaDiff))) {
	single := []**diff.SchemaDiff{&n.NotDiff, &n.ItemsDiff, &n.AdditionalPropertiesDiff, &n.ContainsDiff, &n.PropertyNamesDiff,
		&n.UnevaluatedItemsDiff, &n.UnevaluatedPropertiesDiff, &n.IfDiff, &n.ThenDiff, &n.ElseDiff, &n.ContentSchemaDiff}
	for _, p := range single {
		if *p != nil {
			fn(*p, func(c *diff.SchemaDiff) { *p = c })
		}
	}
	for _, sub := range []*diff.SubschemasDiff{n.AllOfDiff, n.AnyOfDiff, n.OneOfDiff, n.PrefixItemsDiff} {
		if sub == nil {
			continue
		}
		for _, m := range sub.Modified {
			if m != nil && m.Diff != nil {
				fn(m.Diff, func(c *diff.SchemaDiff) { m.Diff = c })
			}
		}
	}
	for _, sub := range []*diff.SchemasDiff{n.PropertiesDiff, n.PatternPropertiesDiff, n.DependentSchemasDiff, n.DefsDiff} {
		if sub == nil {
			continue
		}
		for _, name := range sortedMapKeys(sub.Modified) {
			if c := sub.Modified[name]; c != nil {
				fn(c, func(c *diff.SchemaDiff) { sub.Modified[name] = c })
			}
		}
	}
}

// leaf is a copy of n without its sub-schema diffs: its own changes (a
// property or variant added or removed, a keyword changed) stay.
func leaf(n *diff.SchemaDiff) *diff.SchemaDiff {
	cp := *n
	cp.NotDiff, cp.ItemsDiff, cp.AdditionalPropertiesDiff, cp.ContainsDiff, cp.PropertyNamesDiff = nil, nil, nil, nil, nil
	cp.UnevaluatedItemsDiff, cp.UnevaluatedPropertiesDiff, cp.IfDiff, cp.ThenDiff, cp.ElseDiff, cp.ContentSchemaDiff = nil, nil, nil, nil, nil, nil
	for _, p := range []**diff.SubschemasDiff{&cp.AllOfDiff, &cp.AnyOfDiff, &cp.OneOfDiff, &cp.PrefixItemsDiff} {
		if *p != nil {
			sub := **p
			sub.Modified = nil
			*p = &sub
		}
	}
	for _, p := range []**diff.SchemasDiff{&cp.PropertiesDiff, &cp.PatternPropertiesDiff, &cp.DependentSchemasDiff, &cp.DefsDiff} {
		if *p != nil {
			sub := **p
			sub.Modified = nil
			*p = &sub
		}
	}
	return &cp
}

// pruneDiff computes which operations reach each schema diff node, then
// prunes the graph to a tree (see above). files names the specs: old's
// and new's file names, for the positions of base and revision schemas.
func pruneDiff(d *diff.Diff, oldFile, newFile string, ops *opTable) *reachIndex {
	// 1. reach, on the graph as oasdiff built it
	reach := map[*diff.SchemaDiff]*opSet{}
	var order []*diff.SchemaDiff
	bodyRoots(d, func(op string, root *diff.SchemaDiff, _ func(*diff.SchemaDiff)) {
		id := ops.id(op)
		seen := map[*diff.SchemaDiff]bool{}
		var visit func(n *diff.SchemaDiff)
		visit = func(n *diff.SchemaDiff) {
			if seen[n] {
				return
			}
			seen[n] = true
			s := reach[n]
			if s == nil {
				s = &opSet{table: ops}
				reach[n] = s
				order = append(order, n)
			}
			s.add(id)
			children(n, func(c *diff.SchemaDiff, _ func(*diff.SchemaDiff)) { visit(c) })
		}
		visit(root)
	})
	// 2. prune: each node's subtree is walked from its first link only
	expanded := map[*diff.SchemaDiff]bool{}
	var walk func(n *diff.SchemaDiff, set func(*diff.SchemaDiff))
	walk = func(n *diff.SchemaDiff, set func(*diff.SchemaDiff)) {
		if expanded[n] {
			set(leaf(n))
			return
		}
		expanded[n] = true
		children(n, walk)
	}
	bodyRoots(d, func(_ string, root *diff.SchemaDiff, set func(*diff.SchemaDiff)) { walk(root, set) })

	// 3. positions: each node's base schema in the old file, revision
	// schema in the new one
	idx := &reachIndex{files: map[string]*spanIndex{}, exact: map[string]map[[2]int]*opSet{}}
	member := func(file string, obj *openapi3.Schema, name string, ops *opSet) {
		if obj == nil || obj.Properties[name] == nil || obj.Properties[name].Value == nil {
			return
		}
		o := obj.Properties[name].Value.Origin
		if o == nil || o.Key == nil || o.Key.Line == 0 {
			return
		}
		m := idx.exact[file]
		if m == nil {
			m = map[[2]int]*opSet{}
			idx.exact[file] = m
		}
		k := [2]int{o.Key.Line, o.Key.Column}
		if m[k] == nil {
			m[k] = &opSet{table: ops.table}
		}
		m[k].union(ops)
	}
	add := func(file string, s *openapi3.Schema, ops *opSet) {
		if s == nil || s.Origin == nil || s.Origin.Key == nil || s.Origin.Key.Line == 0 || s.Origin.Key.EndLine == 0 {
			return
		}
		k := s.Origin.Key
		si := idx.files[file]
		if si == nil {
			si = &spanIndex{}
			idx.files[file] = si
		}
		si.spans = append(si.spans, span{startLine: k.Line, startCol: k.Column, endLine: k.EndLine, endCol: k.EndColumn, ops: ops})
	}
	for _, n := range order {
		add(oldFile, n.Base, reach[n])
		add(newFile, n.Revision, reach[n])
		if p := n.PropertiesDiff; p != nil {
			for _, name := range p.Deleted {
				member(oldFile, n.Base, name, reach[n])
			}
			for _, name := range p.Added {
				member(newFile, n.Revision, name, reach[n])
			}
		}
		if r := n.RequiredDiff; r != nil {
			for _, name := range append(append([]string(nil), r.Added...), r.Deleted...) {
				member(oldFile, n.Base, name, reach[n])
				member(newFile, n.Revision, name, reach[n])
			}
		}
	}
	for _, si := range idx.files {
		si.nest()
	}
	return idx
}

// nest sorts the spans by start (outer first at equal starts) and links
// each to the innermost span enclosing it. Spans of one schema met through
// several nodes (a schema compared with two others) share a block: their
// operations are merged into the first.
func (si *spanIndex) nest() {
	slices.SortFunc(si.spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.startLine, b.startLine), cmp.Compare(a.startCol, b.startCol),
			-cmp.Compare(a.endLine, b.endLine), -cmp.Compare(a.endCol, b.endCol))
	})
	out := si.spans[:0]
	for _, s := range si.spans {
		if n := len(out); n > 0 && out[n-1].startLine == s.startLine && out[n-1].startCol == s.startCol &&
			out[n-1].endLine == s.endLine && out[n-1].endCol == s.endCol {
			merged := &opSet{table: s.ops.table}
			merged.union(out[n-1].ops)
			merged.union(s.ops)
			out[n-1].ops = merged
			continue
		}
		out = append(out, s)
	}
	si.spans = out
	var stack []int
	for i := range si.spans {
		s := &si.spans[i]
		for len(stack) > 0 && !si.spans[stack[len(stack)-1]].contains(s.startLine, s.startCol) {
			stack = stack[:len(stack)-1]
		}
		s.parent = -1
		if len(stack) > 0 {
			s.parent = stack[len(stack)-1]
		}
		stack = append(stack, i)
	}
}
