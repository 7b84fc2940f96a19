package openapi

import (
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
)

// unionCycles breaks the cycles a union's variants make through union
// variants only: a variant that is the union itself (OO = oneOf [OO,
// string]), or a union that leads back to it through other unions' variants
// (A = oneOf [B, string], B = anyOf [A, integer]). No object or array
// stands between them to consume input, so a decoder trying the variant
// would decode the same JSON into the same union again, without end, until
// the stack overflows. Such a variant is replaced by the variants it
// reaches that do not lead back (none for the union itself: its other
// variants are already alternatives), with a located warning. The values
// the union accepts do not change; only the Go field that holds them does.
// Unions are visited in declaration order, so the result is deterministic.
func (l *lowerer) unionCycles() {
	for _, u := range l.api.Types {
		if u.Kind != ir.Union || !reachesUnion(u, u, map[*ir.Type]bool{}) {
			continue
		}
		u.Variants = l.acyclicVariants(u, u, u.Variants, map[*ir.Type]bool{u: true})
	}
}

// acyclicVariants returns vs, variants of a union in u's cycle, with each
// one that leads back to u replaced by its own acyclic variants. expanded
// holds the unions already replaced, so that each is expanded once. Only
// u's own variants (from == u) are warned about.
func (l *lowerer) acyclicVariants(u, from *ir.Type, vs []*ir.Variant, expanded map[*ir.Type]bool) []*ir.Variant {
	var out []*ir.Variant
	have := map[*ir.Type]bool{}
	add := func(v *ir.Variant) {
		if !have[v.Type] {
			have[v.Type] = true
			out = append(out, v)
		}
	}
	for _, v := range vs {
		r := v.Type.Resolve()
		if r.Kind != ir.Union || !reachesUnion(r, u, map[*ir.Type]bool{}) {
			add(v)
			continue
		}
		if r == u {
			if from != u {
				continue
			}
			l.warn(v.Source, "this %s variant is the union %s itself, with nothing between to consume input: "+
				"decoding would never end; dropped (its other variants are already alternatives)", keyword(from), u.Source)
			continue
		}
		if expanded[r] {
			continue
		}
		expanded[r] = true
		inner := l.acyclicVariants(u, r, r.Variants, expanded)
		var took []string
		for _, iv := range inner {
			cp := &ir.Variant{Type: iv.Type, Source: iv.Source}
			if u.Discriminator != "" && r.Discriminator == u.Discriminator {
				cp.Tags = iv.Tags
			}
			add(cp)
			took = append(took, iv.Source)
		}
		if from != u {
			continue
		}
		l.warn(v.Source, "this %s variant, the union %s, leads back to the union %s through union variants only: "+
			"decoding would never end; replaced by its variants (%s)", keyword(from), r.Source, u.Source, strings.Join(took, ", "))
	}
	return out
}

// reachesUnion reports whether target is t, or a variant of the union t,
// transitively through the variants of unions only.
func reachesUnion(t, target *ir.Type, seen map[*ir.Type]bool) bool {
	for _, v := range t.Variants {
		r := v.Type.Resolve()
		if r == target {
			return true
		}
		if r.Kind == ir.Union && !seen[r] {
			seen[r] = true
			if reachesUnion(r, target, seen) {
				return true
			}
		}
	}
	return false
}

// keyword names a union's kind as the spec spells it.
func keyword(u *ir.Type) string {
	if u.AnyOf {
		return "anyOf"
	}
	return "oneOf"
}
