package rtimpl

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A generated struct holds a member whose name encoding/json cannot use as
// a struct tag key ("", "-", "a,b", "it's", "temp°C", `x"y`, an emoji…:
// anything but letters, digits and !#$%&()*+-./:;<=>?@[]^_{|}~ and space)
// in a field tagged
//
//	json:"-" jsonname:"a,b"
//
// with jsonopt:"omitzero" added when the member is optional. encoding/json
// skips the field; [MarshalWithExtra], [UnmarshalWithExtra],
// [MarshalNamed] and [UnmarshalNamed] encode and decode it under its exact
// name (the jsonname value, a quoted Go string, holds any text), and
// multipart bodies name its part so.
const (
	nameTag = "jsonname"
	optTag  = "jsonopt"
)

// MarshalWithExtra encodes the struct v (declared members) and adds the
// members of extra that v does not declare, in key order: an object schema
// with additionalProperties (JSON Schema 2020-12 §10.3.2.3). A declared
// member always wins over an extra one of the same name, or of a name
// encoding/json would decode into it (names match case-insensitively), so
// what is written decodes back the same. Fields tagged jsonname are encoded
// under that exact name, after the others. HTML characters are not escaped,
// as in [Request.SetJSONBody].
func MarshalWithExtra[T any](v any, extra map[string]T) ([]byte, error) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if p := encPlanOf(rv.Type()); p.kind == encStruct && p.extra < 0 {
		e := encoderPool.Get().(*Encoder)
		defer encoderPool.Put(e)
		e.depth = 0
		b, none, err := e.fields(append(e.buf[:0], '{'), rv, p)
		if err == nil {
			b, err = e.members(b, reflect.ValueOf(extra), encPlanOf(reflect.TypeFor[T]()), membersOf(rv.Type()), none)
		}
		e.buf = b[:0]
		if err != nil {
			return nil, err
		}
		return append(slices.Clone(b), '}'), nil
	}
	base, err := compactJSON(v)
	if err != nil {
		return nil, err
	}
	sm := membersOf(reflect.TypeOf(v))
	if len(extra) == 0 && len(sm.named) == 0 {
		return base, nil
	}
	w := objectWriter{buf: bytes.NewBuffer(base[:len(base)-1]), first: len(base) == 2} // base without "}"
	if err := w.named(reflect.Indirect(reflect.ValueOf(v)), sm); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !sm.declares(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := w.member(k, extra[k]); err != nil {
			return nil, err
		}
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

// MarshalNamed encodes the struct v as encoding/json does, and its fields
// tagged jsonname under their exact names: the MarshalJSON of a generated
// struct that has such members and no AdditionalProperties.
func MarshalNamed(v any) ([]byte, error) {
	return MarshalWithExtra[json.RawMessage](v, nil)
}

// UnmarshalWithExtra decodes data into the struct pointer v and every
// member v does not declare into *extra, so no member is lost. A member
// encoding/json decodes into a declared field (whose name it matches
// case-insensitively) is not also kept in extra. Fields tagged jsonname are
// decoded from the member of that exact name. It returns encoding/json's
// errors, or a [*DepthError]. It reads data once, in time linear in its
// size (see [Decoder]); generated code of API version 3 calls
// [DecodeObject] from DecodeFrom instead.
func UnmarshalWithExtra[T any](data []byte, v any, extra *map[string]T) error {
	return decodeDocument(context.Background(), data, func(d *Decoder) error { return DecodeObject(d, v, extra) })
}

// UnmarshalNamed decodes data into the struct pointer v as encoding/json
// does, and its fields tagged jsonname from the members of those exact
// names: the UnmarshalJSON of a generated struct that has such members
// and no AdditionalProperties. Other undeclared members are ignored.
func UnmarshalNamed(data []byte, v any) error {
	return decodeDocument(context.Background(), data, func(d *Decoder) error { return DecodeObject[json.RawMessage](d, v, nil) })
}

// structMembers is what a generated struct type declares.
type structMembers struct {
	folded map[string]bool // the json-tagged member names, folded with foldName
	exact  map[string]bool // the jsonname member names, matched exactly
	named  []namedField    // the fields tagged jsonname, in field order
}

// declares reports whether the member k belongs to a declared field:
// encoding/json decodes it into one (case-insensitively), or it is a
// jsonname field's exact name.
func (sm *structMembers) declares(k string) bool {
	if sm.exact[k] {
		return true
	}
	var buf [64]byte
	return sm.folded[string(appendFolded(buf[:0], k))] // no allocation: a map index
}

// namedField is a field tagged jsonname.
type namedField struct {
	index    int
	name     string
	omitZero bool
}

var membersCache sync.Map // reflect.Type -> *structMembers

// membersOf returns the JSON members a struct type declares.
func membersOf(t reflect.Type) *structMembers {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if m, ok := membersCache.Load(t); ok {
		return m.(*structMembers)
	}
	sm := &structMembers{folded: map[string]bool{}, exact: map[string]bool{}}
	for i := 0; t.Kind() == reflect.Struct && i < t.NumField(); i++ {
		f := t.Field(i)
		if n, ok := f.Tag.Lookup(nameTag); ok {
			sm.exact[n] = true
			sm.named = append(sm.named, namedField{index: i, name: n, omitZero: f.Tag.Get(optTag) == "omitzero"})
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "":
			name = f.Name
		}
		sm.folded[foldName(name)] = true
	}
	membersCache.Store(t, sm)
	return sm
}

// objectWriter appends members to a JSON object being written.
type objectWriter struct {
	buf   *bytes.Buffer
	first bool
}

// member appends "name":value.
func (w *objectWriter) member(name string, value any) error {
	vb, err := compactJSON(value)
	if err != nil {
		return err
	}
	kb, _ := compactJSON(name)
	if !w.first {
		w.buf.WriteByte(',')
	}
	w.first = false
	w.buf.Write(kb)
	w.buf.WriteByte(':')
	w.buf.Write(vb)
	return nil
}

// named appends the jsonname fields of the struct value rv, leaving out
// an omitzero one that is zero (its IsZero method says so, or it is Go's
// zero value), as encoding/json's omitzero option does.
func (w *objectWriter) named(rv reflect.Value, sm *structMembers) error {
	for _, f := range sm.named {
		fv := rv.Field(f.index)
		if f.omitZero && isZero(fv) {
			continue
		}
		if err := w.member(f.name, fv.Interface()); err != nil {
			return err
		}
	}
	return nil
}

func isZero(v reflect.Value) bool {
	if wrapperOf(v.Type()) != notWrapper {
		return !v.Field(1).Bool() // an Opt or Nullable: absent unless Set
	}
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
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
	return string(appendFolded(make([]byte, 0, len(name)), name))
}

// appendFolded appends name folded as foldName does.
func appendFolded(out []byte, name string) []byte {
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
	return out
}

// DecodeNamed decodes the object d is at into the struct v (a pointer) as
// encoding/json does, and its fields tagged jsonname from the members of
// those exact names; other undeclared members are ignored. The DecodeFrom
// of a generated struct with such members and no AdditionalProperties
// calls it.
func DecodeNamed(d *Decoder, v any) error {
	return DecodeObject[json.RawMessage](d, v, nil)
}
