package rtimpl

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// DecodeExact decodes data into v with encoding/json's usual rules and
// reports whether v holds all of it: whether v encodes back to the same
// JSON value (members in any order, numbers compared as written). It is
// false when decoding dropped members v's type does not declare, filled
// in absent ones, or changed a number's spelling (1.0 for 1). Generated
// types for a schema with items but no type use it to keep the JSON as
// received beside a typed value that does not hold it exactly.
func DecodeExact(data []byte, v any) (exact bool, err error) {
	if err := json.Unmarshal(data, v); err != nil {
		return false, err
	}
	back, err := json.Marshal(v)
	if err != nil {
		return false, nil
	}
	a, errA := decodeNumbers(data)
	b, errB := decodeNumbers(back)
	return errA == nil && errB == nil && reflect.DeepEqual(a, b), nil
}

// decodeNumbers decodes a JSON value into any, numbers as json.Number.
func decodeNumbers(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
