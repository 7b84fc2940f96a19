package graphql

import (
	"go/ast"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// relayPage is the Relay connection a query pages through (GraphQL Cursor
// Connections Specification): one field taking an `after` argument bound
// to a variable of the operation, selecting pageInfo { hasNextPage
// endCursor } and its items, as nodes { ... } or edges { node { ... } }.
// The connector gets <Op>Iter for it, which asks page after page with the
// variable set to the last endCursor while hasNextPage, and yields the
// items.
type relayPage struct {
	field       string   // the connection's response path, "repository.issues", for docs
	after       varField // the variables struct's field of the cursor variable
	path        []step   // from the response type to the connection
	pageInfo    step     // the connection's pageInfo field
	hasNext     step     // pageInfo's hasNextPage field
	cursor      step     // pageInfo's endCursor field
	items       step     // the connection's nodes or edges field
	node        *step    // with edges: the edge's node field
	edgePointer bool     // with edges: the edges are pointers (nullable)
	item        ast.Expr // the type of an item, as in operations.go
}

// step is one struct field on the way: its Go name, and whether its type
// is a pointer (a nullable object) that may be nil.
type step struct {
	name    string
	pointer bool
}

// detectRelay finds the Relay connection the query oc pages through, or
// nil: detection is conservative, a query gets an iterator only when
// exactly one field qualifies, reached from the root through objects
// only (no list on the way), and every Go field on the way is found by
// its JSON name in genqlient's types.
func detectRelay(oc *opCode, types map[string]*ast.TypeSpec) *relayPage {
	if oc.op.Def.Operation != gqlast.Query || oc.varsType == "" {
		return nil
	}
	type found struct {
		keys  []string
		field *gqlast.Field
		after string // the variable's name
	}
	var hits []found
	var walk func(sel gqlast.SelectionSet, keys []string)
	walk = func(sel gqlast.SelectionSet, keys []string) {
		for _, s := range sel {
			f, ok := s.(*gqlast.Field)
			if !ok {
				continue // fields under fragments are not followed
			}
			k := append(append([]string(nil), keys...), responseKey(f))
			if v := afterVariable(f); v != "" && isConnection(f.SelectionSet) {
				hits = append(hits, found{keys: k, field: f, after: v})
				continue
			}
			walk(f.SelectionSet, k)
		}
	}
	walk(oc.op.Def.SelectionSet, nil)
	if len(hits) != 1 {
		return nil
	}
	h := hits[0]
	rp := &relayPage{field: strings.Join(h.keys, ".")}
	for _, v := range oc.vars {
		if v.def != nil && v.def.Variable == h.after && isStringLike(v.def.Type) {
			rp.after = v
		}
	}
	if rp.after.goName == "" {
		return nil
	}
	// Go fields, from the response type down.
	typ := oc.result
	for _, k := range h.keys {
		st, ok := fieldOf(types, typ, k)
		if !ok {
			return nil
		}
		rp.path = append(rp.path, st.step)
		typ = st.typeName
	}
	pi, ok := fieldOf(types, typ, "pageInfo")
	if !ok {
		return nil
	}
	rp.pageInfo = pi.step
	hn, ok1 := fieldOf(types, pi.typeName, "hasNextPage")
	ec, ok2 := fieldOf(types, pi.typeName, "endCursor")
	if !ok1 || !ok2 || !isIdent(hn.expr, "bool") || !isStringExpr(ec.expr) {
		return nil
	}
	rp.hasNext, rp.cursor = hn.step, ec.step
	if it, ok := fieldOf(types, typ, "nodes"); ok && it.list {
		rp.items, rp.item = it.step, it.elem
		return rp
	}
	ed, ok := fieldOf(types, typ, "edges")
	if !ok || !ed.list {
		return nil
	}
	edgeType := ed.elem
	if star, ok := edgeType.(*ast.StarExpr); ok {
		edgeType, rp.edgePointer = star.X, true
	}
	id, ok := edgeType.(*ast.Ident)
	if !ok {
		return nil
	}
	nd, ok := fieldOf(types, id.Name, "node")
	if !ok || nd.list {
		return nil
	}
	rp.items, rp.node, rp.item = ed.step, &nd.step, nd.expr
	return rp
}

func responseKey(f *gqlast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// afterVariable is the variable bound to f's `after` argument, "" when
// there is none.
func afterVariable(f *gqlast.Field) string {
	for _, a := range f.Arguments {
		if a.Name == "after" && a.Value != nil && a.Value.Kind == gqlast.Variable {
			return a.Value.Raw
		}
	}
	return ""
}

// isConnection reports whether a selection holds pageInfo { hasNextPage
// endCursor } (unaliased) and nodes or edges { node }.
func isConnection(sel gqlast.SelectionSet) bool {
	var pageInfo, items bool
	for _, s := range sel {
		f, ok := s.(*gqlast.Field)
		if !ok || f.Alias != "" && f.Alias != f.Name {
			continue
		}
		switch f.Name {
		case "pageInfo":
			var next, end bool
			for _, ps := range f.SelectionSet {
				if pf, ok := ps.(*gqlast.Field); ok && (pf.Alias == "" || pf.Alias == pf.Name) {
					next = next || pf.Name == "hasNextPage"
					end = end || pf.Name == "endCursor"
				}
			}
			pageInfo = next && end
		case "nodes":
			items = true
		case "edges":
			for _, es := range f.SelectionSet {
				if ef, ok := es.(*gqlast.Field); ok && ef.Name == "node" && (ef.Alias == "" || ef.Alias == ef.Name) {
					items = true
				}
			}
		}
	}
	return pageInfo && items
}

// isStringLike reports whether a cursor variable's type is String or ID,
// nullable or not: what endCursor (String) can be fed back into.
func isStringLike(t *gqlast.Type) bool {
	return t != nil && t.Elem == nil && (t.NamedType == "String" || t.NamedType == "ID")
}

// goField is a struct field found by its JSON name.
type goField struct {
	step
	expr     ast.Expr // its type
	typeName string   // the named type it holds (through a pointer), "" for others
	list     bool     // a slice
	elem     ast.Expr // a slice's element type
}

// fieldOf finds the field of struct type typ whose JSON name is key.
func fieldOf(types map[string]*ast.TypeSpec, typ, key string) (goField, bool) {
	ts := types[typ]
	if ts == nil {
		return goField{}, false
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return goField{}, false
	}
	for _, f := range st.Fields.List {
		if len(f.Names) != 1 || jsonTagName(f) != key {
			continue
		}
		g := goField{step: step{name: f.Names[0].Name}, expr: f.Type}
		t := f.Type
		if star, ok := t.(*ast.StarExpr); ok {
			g.pointer, t = true, star.X
		}
		switch t := t.(type) {
		case *ast.Ident:
			g.typeName = t.Name
		case *ast.ArrayType:
			if g.pointer {
				return goField{}, false
			}
			g.list, g.elem = true, t.Elt
		}
		return g, true
	}
	return goField{}, false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isStringExpr reports whether e is string or *string.
func isStringExpr(e ast.Expr) bool {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	return isIdent(e, "string")
}
