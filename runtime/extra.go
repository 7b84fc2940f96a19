package runtime

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MarshalWithExtra encodes the struct v (declared members) and adds the
// members of extra that v does not declare, in key order: an object schema
// with additionalProperties (JSON Schema 2020-12 §10.3.2.3). A declared
// member always wins over an extra one of the same name, or of a name
// encoding/json would decode into it (names match case-insensitively), so
// what is written decodes back the same. HTML characters are not escaped,
// as in [Request.SetJSONBody].
func MarshalWithExtra[T any](v any, extra map[string]T) ([]byte, error) {
	base, err := compactJSON(v)
	if err != nil || len(extra) == 0 {
		return base, err
	}
	known := knownMembers(reflect.TypeOf(v))
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known[foldName(k)] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return base, nil
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(base[:len(base)-1]) // drop "}"
	first := len(base) == 2       // "{}"
	for _, k := range keys {
		kb, _ := compactJSON(k)
		vb, err := compactJSON(extra[k])
		if err != nil {
			return nil, err
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalWithExtra decodes data into the struct pointer v and every
// member v does not declare into *extra, so no member is lost. A member
// encoding/json decodes into a declared field (whose name it matches
// case-insensitively) is not also kept in extra. It returns encoding/json's
// errors.
func UnmarshalWithExtra[T any](data []byte, v any, extra *map[string]T) error {
	*extra = nil
	// Fast path: most objects have no member beyond the declared ones, and
	// one strict decode says so without a second pass over the members.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil || !strings.HasPrefix(err.Error(), "json: unknown field ") {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := knownMembers(reflect.TypeOf(v))
	for k, raw := range all {
		if known[foldName(k)] {
			continue
		}
		var x T
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
		if *extra == nil {
			*extra = map[string]T{}
		}
		(*extra)[k] = x
	}
	return nil
}

var membersCache sync.Map // reflect.Type -> map[string]bool

// knownMembers returns the JSON member names a struct type declares,
// folded with foldName.
func knownMembers(t reflect.Type) map[string]bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if m, ok := membersCache.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for i := 0; t.Kind() == reflect.Struct && i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "":
			name = f.Name
		}
		m[foldName(name)] = true
	}
	membersCache.Store(t, m)
	return m
}

// foldName folds name the way encoding/json matches member names to
// fields (its foldName: ASCII letters upper-cased, other runes through
// unicode.ToUpper(unicode.ToLower(r))), so two names fold alike exactly
// when encoding/json treats them as the same field.
func foldName(name string) string {
	ascii := true
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= utf8.RuneSelf {
			ascii = false
			break
		} else if 'a' <= c && c <= 'z' {
			ascii = false
		}
	}
	if ascii {
		return name // already folded: no allocation
	}
	out := make([]byte, 0, len(name))
	for _, r := range name {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			out = append(out, byte(r))
			continue
		}
		out = utf8.AppendRune(out, unicode.ToUpper(unicode.ToLower(r)))
	}
	return string(out)
}
