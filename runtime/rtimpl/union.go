package rtimpl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
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
	return marshalWith(func(e *Encoder) error { return e.variant(v, prop, value) })
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
	return marshalWith(func(e *Encoder) error { return e.merge(variants) })
}

// Union describes a generated oneOf/anyOf for [Decoder.Union]. Variants
// are in the schema's order, as the union type's fields are.
type Union struct {
	// Discriminator is the member naming the variant (OpenAPI 3.1
	// §4.8.25), or "".
	Discriminator string
	// AnyOf is set for an anyOf: an object may match several variants.
	AnyOf bool
	// Variants describe the variants, in field order.
	Variants []Variant
}

// Variant describes one variant of a [Union].
type Variant struct {
	// Tags are the discriminator values that name the variant.
	Tags []string
	// Kinds are the JSON kinds the variant's type decodes from.
	Kinds []JSONKind
	// Required are the members an object must have to be taken for the
	// variant when there is no usable discriminator (JSON Schema 2020-12
	// §6.5.3; write-only members left out, as a response lacks them).
	Required []string
	// Const maps members whose schema allows one string only (an enum of
	// one value, as Stripe's "object") to that value: an object holding
	// another value there is not taken for the variant strictly.
	Const map[string]string
}

// Union decodes the value d is at into one of variants, pointers to the
// union's variant fields (**T, in the order of u.Variants), or keeps it in
// *raw when no variant takes it. The variant is picked from a shallow look
// at the value, then the value is decoded once:
//
//   - an object whose discriminator member holds a string: the variant
//     tagged with it (an unknown value goes to *raw);
//   - otherwise, among the variants of the value's JSON kind, the first
//     whose members the object has exactly (its required members present,
//     no member it does not declare, each member of a JSON kind its field
//     takes), else the first whose declared members are of kinds it takes;
//     an array goes to the first variant whose element type takes every
//     element's kind; a string, number or bool to the first variant that
//     decodes it;
//   - for an anyOf, an object goes to every object variant it matches
//     exactly (else every one it fits), each decoding it (see [Decoder]
//     for the budget that keeps this linear).
//
// A value whose chosen variant fails to decode is tried on the next one
// while the budget lasts, and kept in *raw when none takes it. Only an
// error of the discriminated variant, or the context's, is returned.
func (d *Decoder) Union(u *Union, raw *json.RawMessage, variants ...any) error {
	i := d.cur
	tok := d.tape[i]
	if len(variants) != len(u.Variants) {
		return fmt.Errorf("runtime: union with %d variants described by %d", len(variants), len(u.Variants))
	}
	// A union reached again on the same value through its own variants
	// (oneOf [U, string] inside U) takes nothing there: that breaks the
	// cycle, and the caller tries its next variant.
	for k := len(d.unions) - 1; k >= 0 && d.unions[k].at == i; k-- {
		if d.unions[k].u == u {
			return errUnionCycle
		}
	}
	d.unions = append(d.unions, openUnion{at: i, u: u})
	defer func() { d.unions = d.unions[:len(d.unions)-1] }()
	var buf [8]reflect.Value
	slots := buf[:0]
	for _, v := range variants {
		slot := reflect.ValueOf(v).Elem() // the *T field
		slot.SetZero()
		slots = append(slots, slot)
	}
	*raw = nil
	if u.Discriminator != "" && tok.kind == JSONObject {
		if val, ok := d.member(i, u.Discriminator); ok && d.tape[val].kind == JSONString {
			tag := d.str(val)
			for k, v := range u.Variants {
				if slices.Contains(v.Tags, tag) {
					nv := reflect.New(slots[k].Type().Elem())
					if err := d.value(i, nv.Elem(), planOf(nv.Elem().Type())); err != nil {
						return err
					}
					slots[k].Set(nv)
					return nil
				}
			}
			*raw = CloneRaw(d.raw(i))
			return nil
		}
	}
	var cbuf, obuf [8]int
	cands, order := cbuf[:0], obuf[:0]
	for k, v := range u.Variants {
		if slices.Contains(v.Kinds, tok.kind) {
			cands = append(cands, k)
		}
	}
	switch tok.kind {
	case JSONObject:
		var loose []int
		for _, k := range cands {
			p := planOf(slots[k].Type().Elem())
			switch {
			case d.fits(i, p, u.Variants[k].Required, true) && d.consts(i, u.Variants[k].Const):
				order = append(order, k)
			case d.fits(i, p, nil, false):
				loose = append(loose, k)
			}
		}
		if u.AnyOf && len(cands) > 1 {
			if len(order) == 0 {
				order = loose
			}
			return d.anyOf(i, raw, slots, order)
		}
		order = append(order, loose...)
	case JSONArray:
		for _, k := range cands {
			if d.fits(i, planOf(slots[k].Type().Elem()), nil, false) {
				order = append(order, k)
			}
		}
	default:
		order = cands
	}
	for n, k := range order {
		if n > 0 && (tok.kind == JSONObject || tok.kind == JSONArray) && !d.spend(int(tok.end-tok.start)) {
			break
		}
		ok, err := d.try(i, slots[k])
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	*raw = CloneRaw(d.raw(i))
	return nil
}

// openUnion is a union being decoded at tape index at.
type openUnion struct {
	at int32
	u  *Union
}

var errUnionCycle = errors.New("runtime: union contains itself")

// anyOf decodes the object at i into each variant of order that takes it
// (the first always, the others while the budget lasts), else keeps it in
// *raw.
func (d *Decoder) anyOf(i int32, raw *json.RawMessage, slots []reflect.Value, order []int) error {
	tok := d.tape[i]
	took := false
	for _, k := range order {
		if took && !d.spend(int(tok.end-tok.start)) {
			break
		}
		ok, err := d.try(i, slots[k])
		if err != nil {
			return err
		}
		took = took || ok
	}
	if !took {
		*raw = CloneRaw(d.raw(i))
	}
	return nil
}

// try decodes the value at i into a new value for slot (a *T) and sets
// slot when it decodes without error or type mismatch. Only the context's
// error is returned.
func (d *Decoder) try(i int32, slot reflect.Value) (bool, error) {
	saved, tolerant := d.saved, d.tolerant
	d.saved, d.tolerant = nil, false // a trial is strict: a mismatch means another variant
	nv := reflect.New(slot.Type().Elem())
	err := d.value(i, nv.Elem(), planOf(nv.Elem().Type()))
	ok := err == nil && d.saved == nil
	d.saved, d.tolerant = saved, tolerant
	if d.ctxErr != nil {
		return false, d.ctxErr
	}
	if ok {
		slot.Set(nv)
	}
	return ok, nil
}

// consts reports whether every member of the object at i named in c
// holds the string c gives it (or is absent).
func (d *Decoder) consts(i int32, c map[string]string) bool {
	for name, want := range c {
		if v, ok := d.member(i, name); ok && (d.tape[v].kind != JSONString || d.str(v) != want) {
			return false
		}
	}
	return true
}

// fits reports from a shallow look whether the value at i suits the type
// of plan p: the value's JSON kind is one the type takes and the required
// members are present; for a struct, each member the struct declares is of
// a JSON kind its field takes, and, when strict, the struct declares every
// member; for a map, every member is of a kind its values take; for a
// slice, every element is of a kind its elements take. Types this decoder
// does not take apart fit anything of their kinds.
func (d *Decoder) fits(i int32, p *plan, required []string, strict bool) bool {
	for p.kind == planPointer {
		p = p.elem
	}
	if !p.kinds.has(d.tape[i].kind) {
		return false
	}
	for _, r := range required {
		if _, ok := d.member(i, r); !ok {
			return false
		}
	}
	if p.kind == planHook && p.exact == nil && p.typ.Kind() == reflect.Struct && p.kinds == 1<<JSONObject {
		// A generated object: its fields are those of the struct.
		p = structFields(p)
	}
	ok := true
	switch {
	case p.exact != nil && d.tape[i].kind == JSONObject:
		d.members(i, func(k, v int32) bool {
			f := p.field(d, k)
			switch {
			case f == nil:
				ok = !strict
			default:
				ok = f.plan.kinds.has(d.tape[v].kind)
			}
			return ok
		})
	case p.kind == planMap && d.tape[i].kind == JSONObject:
		d.members(i, func(_, v int32) bool {
			ok = p.elem.kinds.has(d.tape[v].kind)
			return ok
		})
	case p.kind == planSlice && d.tape[i].kind == JSONArray:
		for k := i + 1; ok && k < d.tape[i].next; k = d.tape[k].next {
			ok = p.elem.kinds.has(d.tape[k].kind)
		}
	}
	return ok
}

var (
	fieldsCache sync.Map // reflect.Type -> *plan with the struct's members
)

// structFields returns a plan listing the members of the generated object
// type of hook plan p, for fits.
func structFields(p *plan) *plan {
	if f, ok := fieldsCache.Load(p.typ); ok {
		return f.(*plan)
	}
	plansMu.Lock()
	building := map[reflect.Type]*plan{}
	f := &plan{typ: p.typ, kind: planStruct, kinds: p.kinds}
	structPlan(f, building)
	for t, bp := range building {
		plans.Store(t, bp)
	}
	plansMu.Unlock()
	fieldsCache.Store(p.typ, f)
	return f
}
