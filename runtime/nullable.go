package runtime

// Nullable is a field that may be absent, JSON null, or a value: the three
// states of an OpenAPI 3.1 schema whose type includes "null" (or 3.0
// "nullable: true"). States:
//
//	absent: Set == false
//	null:   Set && Null
//	value:  Set && !Null
//
// Like [Opt], Nullable is plain data without methods (see Opt for why and
// for how it is coded): read Set, Null and Value; build one with
// [NewNullable], [NullValue] or a composite literal. An absent Nullable is
// left out of a JSON object; a present null is written as null.
type Nullable[T any] struct {
	// Value is the value; meaningful only when Set && !Null.
	Value T
	// Set reports whether the field is present (as null or a value).
	Set bool
	// Null reports an explicit JSON null; meaningful only when Set.
	Null bool
}

// NullValue returns an explicit null.
func NullValue[T any]() Nullable[T] { return Nullable[T]{Set: true, Null: true} }

// NewNullable returns a Nullable holding the value v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{Value: v, Set: true} }
