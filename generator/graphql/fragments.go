package graphql

import (
	"fmt"

	"github.com/connectorgen/connectorgen/generator/diag"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// MaxSpreadCost bounds the work genqlient does to flatten one selection
// set's fragment spreads. genqlient embeds a struct per spread fragment
// and, for every struct type it writes, walks all the fields reachable
// through embeds, building each field's selector path ("F1.F2.F3.Id") as
// it goes (generate.goStructType.FlattenedFields in v0.8.1). The walk
// counts a fragment once per path that spreads it, so its cost is the sum,
// over those paths, of their lengths: it grows with the square of a chain
// of fragments each spreading the next (1,000 took 10 s, 3,000 more than
// a minute), and exponentially when fragments spread two others that
// spread the same one (33 fragments took 58 s). The cost is computed here
// in time linear in the documents, before gqlparser's validation (whose
// check of overlapping fields also grows with the square of a chain: 4 s
// of CPU for 3,000), and a selection set above the bound is an error at
// its operation or fragment instead of a hang. 100,000 allows a chain of
// about 300 fragments, far more than documents nest.
const MaxSpreadCost = 100_000

// spreadCost is genqlient's flattening work for one selection set: the
// entries its walk visits and the sum of their path lengths.
type spreadCost struct {
	entries, pathSum int64
}

// saturating caps costs so that exponential inputs cannot overflow.
const costCap = 1 << 40

func (c spreadCost) add(d spreadCost) spreadCost {
	return spreadCost{min(c.entries+d.entries, costCap), min(c.pathSum+d.pathSum, costCap)}
}

// checkSpreadCost reports the selection set (of an operation, a fragment
// or a field in either) whose flattening costs most, when that is more
// than MaxSpreadCost. It runs before validation: a spread of an unknown
// fragment counts as a field, and a fragment spreading itself (an error
// validation reports) adds nothing.
func checkSpreadCost(doc *gqlast.QueryDocument) diag.List {
	frags := map[string]*gqlast.FragmentDefinition{}
	for _, f := range doc.Fragments {
		frags[f.Name] = f
	}
	memo := map[string]spreadCost{}
	inProgress := map[string]bool{}
	var setCost func(set gqlast.SelectionSet) spreadCost
	fragCost := func(name string) spreadCost {
		if c, ok := memo[name]; ok {
			return c
		}
		f := frags[name]
		if f == nil || inProgress[name] {
			return spreadCost{}
		}
		inProgress[name] = true
		c := setCost(f.SelectionSet)
		inProgress[name] = false
		memo[name] = c
		return c
	}
	// setCost: a field is one entry at depth 1; a spread is one entry (the
	// embedded struct) plus the fragment's entries one level deeper; an
	// inline fragment's selections count as the enclosing set's.
	setCost = func(set gqlast.SelectionSet) spreadCost {
		var c spreadCost
		for _, sel := range set {
			switch s := sel.(type) {
			case *gqlast.Field:
				c = c.add(spreadCost{1, 1})
			case *gqlast.InlineFragment:
				c = c.add(setCost(s.SelectionSet))
			case *gqlast.FragmentSpread:
				f := fragCost(s.Name)
				c = c.add(spreadCost{1, 1}).add(spreadCost{f.entries, min(f.pathSum+f.entries, costCap)})
			}
		}
		return c
	}

	var worst struct {
		cost  int64
		pos   *gqlast.Position
		where string
	}
	consider := func(set gqlast.SelectionSet, pos *gqlast.Position, where string) {
		if c := setCost(set); c.pathSum > worst.cost {
			worst.cost, worst.pos, worst.where = c.pathSum, pos, where
		}
	}
	// Every selection set with sub-selections becomes a struct type.
	var fields func(set gqlast.SelectionSet, where string)
	fields = func(set gqlast.SelectionSet, where string) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *gqlast.Field:
				if len(s.SelectionSet) > 0 {
					consider(s.SelectionSet, s.Position, where)
					fields(s.SelectionSet, where)
				}
			case *gqlast.InlineFragment:
				fields(s.SelectionSet, where)
			}
		}
	}
	for _, op := range doc.Operations {
		where := string(op.Operation) + " " + op.Name
		consider(op.SelectionSet, op.Position, where)
		fields(op.SelectionSet, where)
	}
	for _, f := range doc.Fragments {
		where := "fragment " + f.Name
		consider(f.SelectionSet, f.Position, where)
		fields(f.SelectionSet, where)
	}
	if worst.cost <= MaxSpreadCost {
		return nil
	}
	file := ""
	if worst.pos != nil && worst.pos.Src != nil {
		file = worst.pos.Src.Name
	}
	cost := fmt.Sprint(worst.cost)
	if worst.cost >= costCap {
		cost = fmt.Sprintf("more than %d", int64(costCap))
	}
	return diag.List{errAt(posOf(file, worst.pos), worst.where, fmt.Sprintf(
		"fragment spreads nest too deep or too often: flattening this selection set visits fields along paths of total length %s (limit %d); "+
			"spread fewer fragments inside fragments", cost, MaxSpreadCost))}
}
