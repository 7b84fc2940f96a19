package names

import (
	"cmp"
	"slices"
)

// Claim asks a [Namespace] for a name on behalf of one thing in the spec.
type Claim struct {
	// Want is the desired Go identifier, already converted (for example
	// with [Exported]).
	Want string
	// Key is the stable, unique key of the thing being named, for example
	// the JSON pointer "#/components/schemas/Actor".
	Key string
	// Priority ranks claims with the same Want: lower wins the bare name.
	Priority int
	// Exact is true when the spec's own name already equals Want (schema
	// "Actor" -> "Actor"). Exact claims beat non-exact ones.
	Exact bool
	// Suffixes are alternative suffixes, tried in order before numbering
	// when the claim loses the bare name, for example {"Schema", "Object"}.
	Suffixes []string
}

// compareRank orders claims with the same Want: Exact first, then lower
// Priority, then smaller Key.
func compareRank(a, b Claim) int {
	if a.Exact != b.Exact {
		if a.Exact {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Key, b.Key))
}

// compareGrouped orders claims by Want and within a Want by rank.
func compareGrouped(a, b Claim) int {
	return cmp.Or(cmp.Compare(a.Want, b.Want), compareRank(a, b))
}

// compareSameKey orders claims by Key and, among claims with the same Key,
// puts the one that counts first: Exact, lower Priority, smaller Want, then
// smaller Suffixes.
func compareSameKey(a, b Claim) int {
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return cmp.Or(compareRank(a, b), cmp.Compare(a.Want, b.Want),
		slices.Compare(a.Suffixes, b.Suffixes))
}

// dedupe returns one claim per Key, the one that sorts first by
// compareSameKey, without changing claims.
func dedupe(claims []Claim) []Claim {
	sorted := slices.Clone(claims)
	slices.SortFunc(sorted, compareSameKey)
	return slices.CompactFunc(sorted, func(a, b Claim) bool { return a.Key == b.Key })
}
