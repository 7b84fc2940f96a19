package runtime

// Nullable is a member that may be absent (!Set), JSON null (Set && Null) or
// a value: a schema whose type includes "null" (3.0 "nullable: true"). Like
// [Opt] it is plain data; build one with [NewNullable] or [NullValue].
type Nullable[T any] struct {
	Value T    // meaningful when Set && !Null
	Set   bool // present, as null or a value
	Null  bool // an explicit JSON null (when Set)
}

// NullValue returns an explicit null.
func NullValue[T any]() Nullable[T] { return Nullable[T]{Set: true, Null: true} }

// NewNullable returns a Nullable holding the value v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{Value: v, Set: true} }
