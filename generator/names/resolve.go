package names

import "slices"

// Resolve hands out names to claims following the collision rules of the
// package documentation and returns them by Key. The result does not depend
// on the order of claims. A claim whose Key already has a name in the
// Namespace keeps it.
func (n *Namespace) Resolve(claims []Claim) map[string]string {
	fresh := n.unnamed(dedupe(claims))
	slices.SortFunc(fresh, compareGrouped)
	losers := n.assignBare(fresh)
	for _, c := range losers {
		n.assign(c.Key, n.fallback(c))
	}
	out := make(map[string]string, len(claims))
	for _, c := range claims {
		out[c.Key] = n.byKey[c.Key]
	}
	return out
}

// unnamed returns the claims whose Key has no name yet.
func (n *Namespace) unnamed(claims []Claim) []Claim {
	return slices.DeleteFunc(claims, func(c Claim) bool {
		_, ok := n.byKey[c.Key]
		return ok
	})
}

// assignBare gives each group of sorted claims with the same Want its bare
// Want, to the best-ranked claim, if the name is free. It returns the
// claims left without a name, in order.
func (n *Namespace) assignBare(sorted []Claim) []Claim {
	var losers []Claim
	for i, c := range sorted {
		if (i == 0 || sorted[i-1].Want != c.Want) && !n.taken[c.Want] {
			n.assign(c.Key, c.Want)
			continue
		}
		losers = append(losers, c)
	}
	return losers
}

// fallback returns the first free alternative name for c: Want with each
// of its Suffixes, then numbered Wants.
func (n *Namespace) fallback(c Claim) string {
	for _, s := range c.Suffixes {
		if !n.taken[c.Want+s] {
			return c.Want + s
		}
	}
	for i := 2; ; i++ {
		if name := numbered(c.Want, i); !n.taken[name] {
			return name
		}
	}
}
