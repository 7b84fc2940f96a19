package runtime

import "encoding/json"

// Nullable is a field that may be absent, JSON null, or a value: the three
// states of an OpenAPI 3.1 schema whose type includes "null" (or 3.0
// "nullable: true"). States:
//
//	absent: Set == false
//	null:   Set && Null
//	value:  Set && !Null
//
// Tag optional fields `json:",omitzero"` so absence is left out of the JSON;
// a required nullable field (no omitzero) that was never set encodes as null.
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

// Get returns the value and true when present and not null, otherwise T's
// zero value and false.
func (n Nullable[T]) Get() (T, bool) {
	if !n.Set || n.Null {
		var zero T
		return zero, false
	}
	return n.Value, true
}

// IsNull reports an explicit null (present, and null).
func (n Nullable[T]) IsNull() bool { return n.Set && n.Null }

// IsZero reports absence; encoding/json's omitzero option uses it, so null
// is still sent while absent is left out.
func (n Nullable[T]) IsZero() bool { return !n.Set }

// MarshalJSON encodes null when null or absent, otherwise Value. HTML
// characters are not escaped, as in [Request.SetJSONBody]; json.Marshal of
// the enclosing value still escapes them. Errors are those of json.Marshal
// on Value.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Set || n.Null {
		return []byte("null"), nil
	}
	return compactJSON(&n.Value) // a pointer, so pointer-receiver marshalers apply
}

// UnmarshalJSON records JSON null as Set && Null and anything else as a value
// decoded into Value. Errors are those of json.Unmarshal on Value.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		*n = NullValue[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = NewNullable(v)
	return nil
}
