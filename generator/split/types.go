package split

import "github.com/connectorgen/connectorgen/generator/ir"

// assignTypes puts each named type in the one tag package whose
// operations reach it, or in the root when several tags, none, or a root
// type reach it. A root type thus never refers to a tag package's type,
// and a tag package never to another's, so imports never cycle. The
// webhook events' types count as the root's: its Webhooks receiver uses
// them.
func assignTypes(api *ir.API, root *ir.Package) {
	owners := map[*ir.Type]map[*ir.Package]bool{}
	ops := api.Operations
	for _, w := range api.Webhooks {
		w.Op.Package = root
		ops = append(ops[:len(ops):len(ops)], w.Op)
	}
	for _, op := range ops {
		for _, t := range opTypes(op) {
			reach(t, func(n *ir.Type) bool {
				if owners[n] == nil {
					owners[n] = map[*ir.Package]bool{}
				}
				if owners[n][op.Package] {
					return false
				}
				owners[n][op.Package] = true
				return true
			})
		}
	}
	inRoot := map[*ir.Type]bool{}
	for _, t := range api.Types {
		if len(owners[t]) != 1 {
			reach(t, func(n *ir.Type) bool {
				if inRoot[n] {
					return false
				}
				inRoot[n] = true
				return true
			})
		}
	}
	for _, t := range api.Types {
		t.Package = root
		if !inRoot[t] {
			for p := range owners[t] { // exactly one
				t.Package = p
			}
		}
	}
}

// opTypes lists the types an operation's declarations refer to.
func opTypes(op *ir.Operation) []*ir.Type {
	var out []*ir.Type
	for _, p := range op.Params {
		out = append(out, p.Type)
	}
	for _, b := range op.Bodies() {
		out = append(out, b.Type)
	}
	for _, r := range op.Responses {
		out = append(out, r.Type)
		for _, h := range r.Headers {
			out = append(out, h.Type)
		}
	}
	return out
}

// reach calls visit on each named type reachable from t (t included when
// named), descending past a named type only when visit returns true, so
// recursive types terminate.
func reach(t *ir.Type, visit func(*ir.Type) bool) {
	walk(t, visit, map[*ir.Type]bool{})
}

// walk is reach with a guard on unnamed types, which a loader bug could
// make cyclic.
func walk(t *ir.Type, visit func(*ir.Type) bool, seen map[*ir.Type]bool) {
	if t == nil || seen[t] {
		return
	}
	if t.Named {
		if !visit(t) {
			return
		}
	} else {
		seen[t] = true
	}
	walk(t.Elem, visit, seen)
	walk(t.Extra, visit, seen)
	walk(t.Rest, visit, seen)
	for _, p := range t.Patterns {
		walk(p.Type, visit, seen)
	}
	for _, f := range t.Fields {
		walk(f.Type, visit, seen)
	}
	for _, v := range t.Variants {
		walk(v.Type, visit, seen)
	}
}
