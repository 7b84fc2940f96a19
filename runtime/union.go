package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// JSONKind is the type of a JSON value (RFC 8259 §3), read from its first
// byte; generated oneOf/anyOf decoders switch on it.
type JSONKind int

// JSON kinds. JSONInvalid is empty or malformed input.
const (
	JSONInvalid JSONKind = iota
	JSONObject
	JSONArray
	JSONString
	JSONNumber
	JSONBool
	JSONNull
)

// KindOf returns the kind of the JSON value in data, ignoring leading
// white space. It does not validate the rest of the value.
func KindOf(data []byte) JSONKind {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return JSONInvalid
	}
	switch c := data[0]; {
	case c == '{':
		return JSONObject
	case c == '[':
		return JSONArray
	case c == '"':
		return JSONString
	case c == 't' || c == 'f':
		return JSONBool
	case c == 'n':
		return JSONNull
	case c == '-' || c >= '0' && c <= '9':
		return JSONNumber
	}
	return JSONInvalid
}

// DiscriminatorValue returns the string value of member prop of the JSON
// object in data (OpenAPI 3.1 §4.8.25 discriminator), or "" when data is
// not an object or the member is absent or not a string.
func DiscriminatorValue(data []byte, prop string) string {
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return ""
	}
	var v string
	if raw, ok := probe[prop]; !ok || json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return v
}

// DecodeStrict decodes data into v, failing on members v does not
// declare; generated unions use it to tell object variants apart. A
// generated struct keeps undeclared members in its AdditionalProperties
// map (its UnmarshalJSON, which DisallowUnknownFields does not reach), so
// a non-empty map fails too.
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	// Only JSON white space may follow the value (RFC 8259 §2): Decoder.More
	// says false before a stray "}" or "]", which json.Unmarshal refuses.
	for off := dec.InputOffset(); off < int64(len(data)); off++ {
		switch data[off] {
		case ' ', '\t', '\n', '\r':
		default:
			return fmt.Errorf("runtime: invalid character %q after top-level value at offset %d", data[off], off)
		}
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Struct {
		if extra := rv.Elem().FieldByName("AdditionalProperties"); extra.Kind() == reflect.Map && extra.Len() > 0 {
			return errUndeclaredMembers
		}
	}
	return nil
}

var errUndeclaredMembers = errors.New("runtime: object has members its type does not declare")

// DecodeLenient decodes data into v with encoding/json's usual rules.
func DecodeLenient(data []byte, v any) error {
	return json.Unmarshal(data, v)
}

// CloneRaw copies data, so a kept raw value does not alias a decoder's
// buffer.
func CloneRaw(data []byte) json.RawMessage {
	return append(json.RawMessage(nil), data...)
}

// MarshalRaw encodes kept raw JSON as it is, or null when there is none.
func MarshalRaw(raw json.RawMessage) ([]byte, error) {
	if len(raw) == 0 {
		return []byte("null"), nil
	}
	return raw, nil
}

// MarshalVariant encodes one variant of a discriminated oneOf/anyOf and
// makes sure its discriminator member prop holds value (OpenAPI 3.1
// §4.8.25): a variant built in Go often leaves it empty. A value the
// caller set is kept. HTML characters are not escaped, as in
// [Request.SetJSONBody].
func MarshalVariant(v any, prop, value string) ([]byte, error) {
	data, err := compactJSON(v)
	if err != nil || KindOf(data) != JSONObject || DiscriminatorValue(data, prop) != "" {
		return data, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, err
	}
	members[prop], _ = compactJSON(value)
	return compactJSON(members)
}

// CountSet returns how many of the variant pointers are non-nil.
func CountSet(variants ...any) int {
	n := 0
	for _, v := range variants {
		if rv := reflect.ValueOf(v); v != nil && !(rv.Kind() == reflect.Pointer && rv.IsNil()) {
			n++
		}
	}
	return n
}

// MergeObjects encodes the non-nil variants of an anyOf as one JSON object
// holding all their members (the first variant's value wins a shared
// member), since a value matching several anyOf schemas carries the
// members of each (JSON Schema 2020-12 §10.2.1.2). HTML characters are
// not escaped, as in [Request.SetJSONBody].
func MergeObjects(variants ...any) ([]byte, error) {
	merged := map[string]json.RawMessage{}
	for _, v := range variants {
		if CountSet(v) == 0 {
			continue
		}
		data, err := compactJSON(v)
		if err != nil {
			return nil, err
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(data, &members); err != nil {
			return nil, fmt.Errorf("anyOf variant %T is not a JSON object: %w", v, err)
		}
		for k, m := range members {
			if _, ok := merged[k]; !ok {
				merged[k] = m
			}
		}
	}
	return compactJSON(merged)
}
