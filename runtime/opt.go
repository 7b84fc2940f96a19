package runtime

// Opt is an optional value: absent, or present with a value. It models an
// OpenAPI property that is not in "required" (OpenAPI 3.1 §4.8.24, JSON
// Schema "required"), keeping "absent" apart from the zero value. Read Set
// and Value; build one with [Some] or a composite literal.
//
// An absent Opt is left out of a JSON object, a query and a header, and JSON
// null decodes as absent. Generated types code their Opt members themselves;
// encoding/json sees only the two fields ({"Value":…,"Set":…}), so a struct
// of your own holding an Opt is coded with rtimpl.Marshal and
// rtimpl.Unmarshal. Opt has no methods on purpose: a generic type's methods
// are compiled once per type argument (docs/design.md, "Compile cost").
type Opt[T any] struct {
	// Value is the value; meaningful only when Set is true.
	Value T
	// Set reports whether the value is present.
	Set bool
}

// Some returns a present Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Set: true} }
