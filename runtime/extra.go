package runtime

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// MarshalWithExtra encodes the struct v (declared members) and adds the
// members of extra that v does not declare, in key order: an object schema
// with additionalProperties (JSON Schema 2020-12 §10.3.2.3). A declared
// member always wins over an extra one of the same name. HTML characters
// are not escaped, as in [Request.SetJSONBody].
func MarshalWithExtra[T any](v any, extra map[string]T) ([]byte, error) {
	base, err := compactJSON(v)
	if err != nil || len(extra) == 0 {
		return base, err
	}
	known := knownMembers(reflect.TypeOf(v))
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known[k] {
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
// member v does not declare into *extra, so no member is lost. It returns
// encoding/json's errors.
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
		if known[k] {
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

// knownMembers returns the JSON member names a struct type declares.
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
		m[name] = true
	}
	membersCache.Store(t, m)
	return m
}
