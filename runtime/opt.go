package runtime

// Opt is an optional member (not in "required", OpenAPI 3.1 §4.8.24):
// absent (!Set) or a value, the zero value kept apart from absence. Build
// one with [Some]. It is left out of JSON, queries and headers when absent;
// JSON null reads as absent. It has no methods (docs/design.md, "Compile
// cost"): a struct of your own holding one is coded with rtimpl.Marshal and
// rtimpl.Unmarshal, not encoding/json.
type Opt[T any] struct {
	Value T    // meaningful when Set
	Set   bool // present
}

// Some returns a present Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Set: true} }
