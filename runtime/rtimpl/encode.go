package rtimpl

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/runtime"
)

// The struct tag marking a generated object's field of undeclared members:
//
//	AdditionalProperties map[string]json.RawMessage `json:"-" jsonextra:""`
//
// A struct with a field tagged jsonextra or jsonname, or with a field of
// type [Opt] or [Nullable], is coded by the runtime from its fields alone
// ([Marshal], [Unmarshal]): its own MarshalJSON and UnmarshalJSON, which
// call those, are there for encoding/json's sake and are not called again.
// Generated code of API version 4 tags its objects so, in place of version
// 3's DecodeFrom methods and MarshalWithExtra calls; version 5 adds those
// methods to every object with an Opt or Nullable member.
const extraTag = "jsonextra"

// EncoderTo is implemented by types that write their own JSON to an
// [Encoder]: generated oneOf/anyOf unions (API version 4). [Marshal] calls
// EncodeTo instead of MarshalJSON, so a nested value is written into the
// one output buffer rather than marshalled apart and copied at every
// level.
type EncoderTo interface {
	EncodeTo(e *Encoder) error
}

// Encoder writes one JSON document in one pass into one buffer, with
// encoding/json's output (struct fields in order, map keys sorted, floats
// in the shortest form that round-trips, invalid UTF-8 replaced by U+FFFD)
// except that HTML characters (<, >, &) are not escaped, as in
// [Request.SetJSONBody]. An Encoder is made by [Marshal] and handed to
// [EncoderTo] methods; it is not safe for concurrent use.
type Encoder struct {
	buf   []byte
	depth int
}

var encoderPool = sync.Pool{New: func() any { return new(Encoder) }}

// maxPooledBuffer is the largest buffer (bytes) an Encoder goes back to
// the pool with: request bodies up to 8 MiB are written without growing a
// new buffer each time; a larger one is left to the garbage collector.
const maxPooledBuffer = 8 << 20

// Marshal returns the JSON encoding of v in compact form, as json.Marshal
// does but without HTML escaping, writing every value once: time and
// memory are linear in the output's size. Generated objects write their
// declared members in field order, then the members held in their field
// tagged jsonextra (in key order, leaving out any that a declared member
// already names); generated unions write the variant that is set. Values
// nested deeper than [MaxDepth] (a cycle of pointers) fail with a
// [*DepthError]; a NaN or infinite float with a *json.UnsupportedValueError;
// a MarshalJSON method's error is returned wrapped in a
// *json.MarshalerError, as encoding/json does.
func Marshal(v any) ([]byte, error) {
	return marshalWith(func(e *Encoder) error { return e.Encode(v) })
}

// marshalWith runs write on a pooled Encoder and returns a copy of what it
// wrote.
func marshalWith(write func(e *Encoder) error) ([]byte, error) {
	e := encoderPool.Get().(*Encoder)
	e.buf, e.depth = e.buf[:0], 0
	err := write(e)
	var out []byte
	if err == nil {
		out = slices.Clone(e.buf)
	}
	if cap(e.buf) <= maxPooledBuffer {
		encoderPool.Put(e)
	}
	return out, err
}

// Encode appends the JSON encoding of v (see [Marshal]).
func (e *Encoder) Encode(v any) error {
	var err error
	e.buf, err = e.any(e.buf, v)
	return err
}

// any appends the JSON of v to b.
func (e *Encoder) any(b []byte, v any) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	rv := reflect.ValueOf(v)
	return e.value(b, rv, encPlanOf(rv.Type()))
}

// Bytes returns the JSON written so far; it aliases the Encoder's buffer.
func (e *Encoder) Bytes() []byte { return e.buf }

// Union appends a generated union's value: the first of variants (nil or
// non-nil pointers, in the union's order) that is set, with u's
// discriminator member set to the variant's first tag when the variant
// leaves it empty (OpenAPI 3.1 §4.8.25); for an anyOf (u.AnyOf) with
// several set, one object holding all their members (the first variant's
// value wins a shared member; JSON Schema 2020-12 §10.2.1.2); with none
// set, raw as it is, or null.
func (e *Encoder) Union(u *Union, raw json.RawMessage, variants ...any) error {
	set, first := 0, -1
	for i, v := range variants {
		if CountSet(v) > 0 {
			set++
			if first < 0 {
				first = i
			}
		}
	}
	switch {
	case set > 1 && u.AnyOf:
		return e.merge(variants)
	case first < 0:
		if len(raw) == 0 {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		var err error
		e.buf, err = e.compact(e.buf, raw, nil)
		return err
	}
	v := variants[first]
	if u.Discriminator == "" || first >= len(u.Variants) || len(u.Variants[first].Tags) == 0 || discriminatorSet(v, u.Discriminator) == 1 {
		return e.Encode(v)
	}
	return e.variant(v, u.Discriminator, u.Variants[first].Tags[0])
}

// variant appends v, a variant of a discriminated union, with its
// discriminator member prop set to tag when v leaves it absent or empty:
// then written again, members in key order ([MarshalVariant]). v is
// encoded by e, within its depth limit; what follows handles raw JSON.
func (e *Encoder) variant(v any, prop, tag string) error {
	start := len(e.buf)
	if err := e.Encode(v); err != nil {
		return err
	}
	out := e.buf[start:]
	if KindOf(out) != JSONObject || DiscriminatorValue(out, prop) != "" {
		return nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(out, &members); err != nil {
		return err
	}
	members[prop] = appendString(nil, tag)
	b, err := Marshal(members)
	if err == nil {
		e.buf = append(e.buf[:start], b...)
	}
	return err
}

// merge appends the set variants of an anyOf as one object holding all
// their members, the first variant's value winning a shared member
// ([MergeObjects]). Each variant is encoded by e, within its depth limit.
func (e *Encoder) merge(variants []any) error {
	start := len(e.buf)
	merged := map[string]json.RawMessage{}
	for _, v := range variants {
		if CountSet(v) == 0 {
			continue
		}
		at := len(e.buf)
		if err := e.Encode(v); err != nil {
			return err
		}
		var members map[string]json.RawMessage // copies: e.buf is reused below
		if err := json.Unmarshal(e.buf[at:], &members); err != nil {
			return fmt.Errorf("anyOf variant %T is not a JSON object: %w", v, err)
		}
		for k, m := range members {
			if _, ok := merged[k]; !ok {
				merged[k] = m
			}
		}
	}
	b, err := Marshal(merged)
	if err == nil {
		e.buf = append(e.buf[:start], b...)
	}
	return err
}

// discriminatorSet tells from the Go value whether the variant v (a
// pointer) writes a non-empty string as its member prop: 1 when it does,
// -1 when it does not (a declared string field that is empty or an unset
// Opt), 0 when that cannot be told without encoding it.
func discriminatorSet(v any, prop string) int {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return 0
	}
	rv = rv.Elem()
	p := encPlanOf(rv.Type())
	if p.kind != encStruct {
		return 0
	}
	for i := range p.field {
		f := &p.field[i]
		if f.name != prop {
			continue
		}
		fv := rv.Field(f.index)
		switch f.plan.kind {
		case encString:
			return setIf(fv.Len() > 0)
		case encOpt:
			if f.plan.elem.kind == encString {
				return setIf(fv.Field(1).Bool() && fv.Field(0).Len() > 0)
			}
		}
		return 0
	}
	return 0
}

func setIf(ok bool) int {
	if ok {
		return 1
	}
	return -1
}

// compact appends the JSON text raw without insignificant white space,
// after checking that it is one JSON value; t, when not nil, is the type
// whose MarshalJSON returned it, for the error.
func (e *Encoder) compact(b, raw []byte, t reflect.Type) ([]byte, error) {
	if !json.Valid(raw) {
		err := json.Compact(new(bytes.Buffer), raw) // its *json.SyntaxError
		if err == nil {
			err = errors.New("json: invalid JSON value")
		}
		if t != nil && t != rawType {
			return b, &json.MarshalerError{Type: t, Err: err}
		}
		return b, err
	}
	// Valid JSON: white space outside strings only separates tokens.
	in := false // inside a string
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case in:
			b = append(b, c)
			if c == '\\' && i+1 < len(raw) {
				i++
				b = append(b, raw[i])
			} else if c == '"' {
				in = false
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			b = append(b, c)
			in = c == '"'
		}
	}
	return b, nil
}

// An encPlan says how to encode one Go type.
type encPlan struct {
	kind  encKind
	typ   reflect.Type
	elem  *encPlan   // pointer, slice, array and map elements; Opt and Nullable values
	field []encField // struct members, in output order
	extra int        // index of the jsonextra field, or -1
	known *structMembers
}

type encKind uint8

const (
	encFallback     encKind = iota // encoding/json
	encHook                        // EncoderTo
	encMarshaler                   // json.Marshaler (value receiver)
	encPtrMarshaler                // json.Marshaler (pointer receiver)
	encText                        // encoding.TextMarshaler (value receiver)
	encPtrText                     // encoding.TextMarshaler (pointer receiver)
	encPointer
	encInterface
	encStruct
	encSlice
	encArray
	encBytes
	encMap
	encString
	encBool
	encInt
	encUint
	encFloat32
	encFloat64
	encRaw
	encNumber
	encTime
	encDate
	encInt64String
	encOpt
	encNullable
)

// encField is one member a struct writes.
type encField struct {
	index int
	name  string // the member name
	key   []byte // the quoted name and ':'
	plan  *encPlan
	omit  omitRule
}

// omitRule says when a member is left out: bits of the options, and for
// omitzero how zero is told.
type omitRule uint8

const (
	omitNever  omitRule = 0
	omitEmpty  omitRule = 1 << iota // ",omitempty"
	omitZero                        // ",omitzero", or jsonopt:"omitzero"
	zeroUnset                       // omitzero of an Opt or Nullable: Set is false
	zeroMethod                      // omitzero of a type with an IsZero method
)

// omitRuleOf returns the rule of a field of type t with the options
// omitempty and omitzero as given.
func omitRuleOf(t reflect.Type, empty, zero bool) omitRule {
	var r omitRule
	if empty {
		r |= omitEmpty
	}
	if zero {
		r |= omitZero
		switch {
		case wrapperOf(t) != notWrapper:
			r |= zeroUnset
		case t.Implements(isZeroerType) || reflect.PointerTo(t).Implements(isZeroerType):
			r |= zeroMethod
		}
	}
	return r
}

var (
	encPlans   sync.Map // reflect.Type -> *encPlan
	encPlansMu sync.Mutex

	encoderToType     = reflect.TypeFor[EncoderTo]()
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
	numberType        = reflect.TypeFor[json.Number]()
	timeType          = reflect.TypeFor[time.Time]()
	dateType          = reflect.TypeFor[runtime.Date]()
	int64StringType   = reflect.TypeFor[runtime.Int64String]()
)

// encPlanOf returns the plan of t, building it (and those of the types it
// holds) once.
func encPlanOf(t reflect.Type) *encPlan {
	if p, ok := encPlans.Load(t); ok {
		return p.(*encPlan)
	}
	encPlansMu.Lock()
	defer encPlansMu.Unlock()
	building := map[reflect.Type]*encPlan{}
	p := buildEncPlan(t, building)
	for t, p := range building {
		encPlans.Store(t, p)
	}
	return p
}

func buildEncPlan(t reflect.Type, building map[reflect.Type]*encPlan) *encPlan {
	if p, ok := encPlans.Load(t); ok {
		return p.(*encPlan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &encPlan{typ: t, extra: -1}
	building[t] = p
	pt := reflect.PointerTo(t)
	switch {
	case t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface:
		// Below; a pointer's element plan decides how it is written.
	case pt.Implements(encoderToType):
		p.kind = encHook
		return p
	case t == rawType:
		p.kind = encRaw
		return p
	case t == numberType:
		p.kind = encNumber
		return p
	case t == timeType:
		p.kind = encTime
		return p
	case t == dateType:
		p.kind = encDate
		return p
	case t == int64StringType:
		p.kind = encInt64String
		return p
	case wrapperOf(t) == optWrapper:
		p.kind = encOpt
		p.elem = buildEncPlan(t.Field(0).Type, building)
		return p
	case wrapperOf(t) == nullableWrapper:
		p.kind = encNullable
		p.elem = buildEncPlan(t.Field(0).Type, building)
		return p
	case t.Kind() == reflect.Struct && runtimeCoded(t):
		// Never handed to encoding/json: its MarshalJSON calls Marshal.
		p.kind = encStruct
		encStructPlan(p, building, true)
		return p
	case t.Implements(marshalerType):
		p.kind = encMarshaler
		return p
	case pt.Implements(marshalerType):
		p.kind = encPtrMarshaler
		return p
	case t.Implements(textMarshalerType):
		p.kind = encText
		return p
	case pt.Implements(textMarshalerType):
		p.kind = encPtrText
		return p
	}
	switch t.Kind() {
	case reflect.Pointer:
		p.kind = encPointer
		p.elem = buildEncPlan(t.Elem(), building)
	case reflect.Interface:
		p.kind = encInterface
	case reflect.Struct:
		if encStructPlan(p, building, false) {
			p.kind = encStruct
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(marshalerType) && !reflect.PointerTo(t.Elem()).Implements(textMarshalerType) {
			p.kind = encBytes
			break
		}
		p.kind = encSlice
		p.elem = buildEncPlan(t.Elem(), building)
	case reflect.Array:
		p.kind = encArray
		p.elem = buildEncPlan(t.Elem(), building)
	case reflect.Map:
		if t.Key().Kind() == reflect.String && !t.Key().Implements(textMarshalerType) && !reflect.PointerTo(t.Key()).Implements(textMarshalerType) {
			p.kind = encMap
			p.elem = buildEncPlan(t.Elem(), building)
		}
	case reflect.String:
		p.kind = encString
	case reflect.Bool:
		p.kind = encBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = encInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = encUint
	case reflect.Float32:
		p.kind = encFloat32
	case reflect.Float64:
		p.kind = encFloat64
	}
	return p
}

// runtimeCoded reports whether the struct t is coded by the runtime from
// its fields, its own MarshalJSON and UnmarshalJSON never called: it has a
// field tagged jsonextra or jsonname, or a field of type Opt or Nullable
// (which have no JSON methods, so encoding/json cannot code t: a
// MarshalJSON of t is there to hand it to the runtime).
func runtimeCoded(t reflect.Type) bool {
	for i := range t.NumField() {
		if wrapperOf(t.Field(i).Type) != notWrapper {
			return true
		}
		tag := t.Field(i).Tag
		if _, ok := tag.Lookup(extraTag); ok {
			return true
		}
		if _, ok := tag.Lookup(nameTag); ok {
			return true
		}
	}
	return false
}

// encStructPlan fills in the members of the struct plan p: fields with a
// json name in field order, then those tagged jsonname. It reports false
// for a struct only encoding/json writes right (an embedded field, the
// ",string" option, a tag name encoding/json would not use, two fields of
// one name), unless coded (runtimeCoded), where embedded fields count as
// ordinary ones, ",string" is ignored, any tag name is used, and the first
// of two fields of one name wins (it is never handed to encoding/json,
// whose call of its MarshalJSON would come back here).
func encStructPlan(p *encPlan, building map[reflect.Type]*encPlan, coded bool) bool {
	t := p.typ
	var named []encField
	seen := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup(extraTag); ok && f.Type.Kind() == reflect.Map && f.Type.Key().Kind() == reflect.String {
			p.extra = i
			continue
		}
		if n, ok := f.Tag.Lookup(nameTag); ok {
			omit := omitRuleOf(f.Type, false, f.Tag.Get(optTag) == "omitzero")
			named = append(named, encField{index: i, name: n, key: memberKey(n), plan: buildEncPlan(f.Type, building), omit: omit})
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		if f.Anonymous && !coded {
			return false
		}
		if !f.IsExported() {
			continue
		}
		name, opts, _ := cutComma(tag)
		if hasOpt(opts, "string") && !coded {
			return false
		}
		if name == "" {
			name = f.Name
		} else if !validTagName(name) && !coded {
			return false
		}
		if seen[name] {
			if coded {
				continue // the first field of a name wins
			}
			return false
		}
		seen[name] = true
		omit := omitRuleOf(f.Type, hasOpt(opts, "omitempty"), hasOpt(opts, "omitzero"))
		p.field = append(p.field, encField{index: i, name: name, key: memberKey(name), plan: buildEncPlan(f.Type, building), omit: omit})
	}
	p.field = append(p.field, named...)
	if p.extra >= 0 {
		p.elem = buildEncPlan(t.Field(p.extra).Type.Elem(), building)
		p.known = membersOf(t)
	}
	return true
}

// memberKey returns name quoted as a JSON string, and a colon.
func memberKey(name string) []byte {
	return append(appendString(nil, name), ':')
}

// validTagName reports whether encoding/json uses name from a json tag
// (its isValidTag): letters, digits and !#$%&()*+-./:;<=>?@[]^_{|}~ and
// space.
func validTagName(name string) bool {
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// value appends the JSON of v, of plan p, to b. Like every method below it
// passes the buffer along rather than storing it in e, so that appending
// costs no write barrier.
func (e *Encoder) value(b []byte, v reflect.Value, p *encPlan) ([]byte, error) {
	switch p.kind {
	case encString:
		return appendString(b, v.String()), nil
	case encBool:
		return strconv.AppendBool(b, v.Bool()), nil
	case encInt:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case encUint:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case encFloat64:
		return appendFloat(b, v.Float(), 64)
	case encFloat32:
		return appendFloat(b, v.Float(), 32)
	case encStruct, encMap:
		if p.kind == encMap && v.IsNil() {
			return append(b, "null"...), nil
		}
		return e.object(b, v, p)
	case encPointer, encInterface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if err := e.enter(); err != nil {
			return b, err
		}
		ev := v.Elem()
		ep := p.elem
		if ep == nil {
			ep = encPlanOf(ev.Type())
		}
		b, err := e.value(b, ev, ep)
		e.depth--
		return b, err
	case encSlice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return e.array(b, v, p)
	case encArray:
		return e.array(b, v, p)
	case encBytes:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
		return append(b, '"'), nil
	case encOpt:
		if !v.Field(1).Bool() {
			return append(b, "null"...), nil
		}
		return e.value(b, v.Field(0), p.elem)
	case encNullable:
		if !v.Field(1).Bool() || v.Field(2).Bool() {
			return append(b, "null"...), nil
		}
		return e.value(b, v.Field(0), p.elem)
	case encRaw:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return e.compact(b, v.Bytes(), p.typ)
	case encNumber:
		s := v.String()
		if s == "" {
			s = "0" // encoding/json writes an empty json.Number so
		}
		if !isValidNumber(s) {
			return b, fmt.Errorf("json: invalid number literal %q", s)
		}
		return append(b, s...), nil
	case encInt64String:
		b = append(b, '"')
		b = strconv.AppendInt(b, v.Int(), 10)
		return append(b, '"'), nil
	case encDate:
		d := runtime.Date{Year: int(v.Field(0).Int()), Month: time.Month(v.Field(1).Int()), Day: int(v.Field(2).Int())}
		switch {
		case d == runtime.Date{}:
			return append(b, "null"...), nil
		}
		text, err := d.MarshalText()
		if err != nil {
			return b, &json.MarshalerError{Type: p.typ, Err: err}
		}
		b = append(b, '"')
		b = append(b, text...)
		return append(b, '"'), nil
	case encTime:
		var t time.Time
		if v.CanAddr() {
			t = *v.Addr().Interface().(*time.Time)
		} else {
			t = v.Interface().(time.Time)
		}
		_, off := t.Zone()
		if y := t.Year(); y < 0 || y > 9999 || off <= -24*3600 || off >= 24*3600 {
			return e.marshaler(b, v, p) // its error
		}
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	case encHook:
		if err := e.enter(); err != nil {
			return b, err
		}
		if !v.CanAddr() {
			c := reflect.New(v.Type()).Elem()
			c.Set(v)
			v = c
		}
		e.buf = b
		err := v.Addr().Interface().(EncoderTo).EncodeTo(e)
		e.depth--
		return e.buf, err
	case encMarshaler:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return append(b, "null"...), nil
		}
		return e.marshaler(b, v, p)
	case encPtrMarshaler:
		if v.CanAddr() {
			return e.marshaler(b, v.Addr(), p)
		}
	case encPtrText:
		if v.CanAddr() {
			return e.text(b, v.Addr(), p)
		}
		// encoding/json calls it only on addressable values: below.
	case encText:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return append(b, "null"...), nil
		}
		return e.text(b, v, p)
	}
	return e.fallback(b, v)
}

// text appends the output of v's MarshalText as a JSON string.
func (e *Encoder) text(b []byte, v reflect.Value, p *encPlan) ([]byte, error) {
	t, err := v.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return b, &json.MarshalerError{Type: p.typ, Err: err}
	}
	return appendString(b, string(t)), nil
}

// enter counts one level of nesting, failing beyond MaxDepth.
func (e *Encoder) enter() error {
	e.depth++
	if e.depth > MaxDepth {
		e.depth--
		return &DepthError{Limit: MaxDepth, Offset: int64(len(e.buf))}
	}
	return nil
}

// marshaler appends the output of v's MarshalJSON, compacted.
func (e *Encoder) marshaler(b []byte, v reflect.Value, p *encPlan) ([]byte, error) {
	out, err := v.Interface().(json.Marshaler).MarshalJSON()
	if err != nil {
		return b, &json.MarshalerError{Type: p.typ, Err: err}
	}
	return e.compact(b, out, p.typ)
}

// fallback appends v as encoding/json writes it, without HTML escaping.
func (e *Encoder) fallback(b []byte, v reflect.Value) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v.Interface()); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}

// array appends the elements of the slice or array v.
func (e *Encoder) array(b []byte, v reflect.Value, p *encPlan) ([]byte, error) {
	if err := e.enter(); err != nil {
		return b, err
	}
	b = append(b, '[')
	var err error
	for i := range v.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = e.value(b, v.Index(i), p.elem); err != nil {
			return b, err
		}
	}
	e.depth--
	return append(b, ']'), nil
}

// object appends the struct or map v as a JSON object.
func (e *Encoder) object(b []byte, v reflect.Value, p *encPlan) ([]byte, error) {
	if err := e.enter(); err != nil {
		return b, err
	}
	b = append(b, '{')
	var err error
	if p.kind == encMap {
		b, err = e.members(b, v, p.elem, nil, true)
	} else {
		var none bool
		b, none, err = e.fields(b, v, p)
		if err == nil && p.extra >= 0 {
			b, err = e.members(b, v.Field(p.extra), p.elem, p.known, none)
		}
	}
	if err != nil {
		return b, err
	}
	e.depth--
	return append(b, '}'), nil
}

// fields appends the members of the struct v of plan p that are not left
// out, and reports whether there were none.
func (e *Encoder) fields(b []byte, v reflect.Value, p *encPlan) (_ []byte, none bool, err error) {
	none = true
	for i := range p.field {
		f := &p.field[i]
		fv := v.Field(f.index)
		if f.omit != omitNever && omitted(fv, f.omit) {
			continue
		}
		if !none {
			b = append(b, ',')
		}
		none = false
		b = append(b, f.key...)
		if b, err = e.value(b, fv, f.plan); err != nil {
			return b, none, err
		}
	}
	return b, none, nil
}

// keysPool holds scratch slices for sorting map keys.
var keysPool = sync.Pool{New: func() any { return new([]string) }}

// members appends the entries of the map m (string keys) in key order,
// each value of plan ep, leaving out the keys known declares (nil: none);
// first says no member has been written before them. The map of raw JSON
// values a generated object keeps its undeclared members in is read
// without reflection per entry.
func (e *Encoder) members(b []byte, m reflect.Value, ep *encPlan, known *structMembers, first bool) ([]byte, error) {
	if m.Len() == 0 {
		return b, nil
	}
	raws, isRaw := map[string]json.RawMessage(nil), m.Type() == rawMapType
	kp := keysPool.Get().(*[]string)
	keys := (*kp)[:0]
	defer func() {
		clear(keys)
		*kp = keys[:0]
		keysPool.Put(kp)
	}()
	if isRaw {
		raws = m.Interface().(map[string]json.RawMessage)
		for k := range raws {
			keys = append(keys, k)
		}
	} else {
		for it := m.MapRange(); it.Next(); {
			keys = append(keys, it.Key().String())
		}
	}
	if known != nil {
		keys = slices.DeleteFunc(keys, known.declares)
	}
	slices.Sort(keys)
	kt := m.Type().Key()
	var err error
	for _, k := range keys {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, k)
		b = append(b, ':')
		switch {
		case !isRaw:
			b, err = e.value(b, m.MapIndex(reflect.ValueOf(k).Convert(kt)), ep)
		case raws[k] == nil:
			b = append(b, "null"...)
		default:
			b, err = e.compact(b, raws[k], rawType)
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

var rawMapType = reflect.TypeFor[map[string]json.RawMessage]()

// omitted reports whether a field with the omitzero or omitempty option
// (rule) is left out: omitzero when the value is zero (its IsZero method
// says so, or it is Go's zero value), omitempty when it is false, 0, a nil
// pointer or interface, or an empty array, slice, map or string.
func omitted(v reflect.Value, rule omitRule) bool {
	if rule&omitEmpty != 0 && isEmpty(v) {
		return true
	}
	switch {
	case rule&omitZero == 0:
		return false
	case rule&zeroUnset != 0:
		return !v.Field(1).Bool()
	case rule&zeroMethod == 0:
		return v.IsZero()
	case v.Kind() == reflect.Pointer:
		return v.IsNil() || v.Interface().(interface{ IsZero() bool }).IsZero()
	default:
		t := v.Type()
		if !v.CanAddr() {
			c := reflect.New(t).Elem()
			c.Set(v)
			v = c
		}
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// appendFloat appends f as encoding/json does: the shortest decimal that
// reads back as the same float of that many bits, in exponent form below
// 1e-6 and from 1e21 on (ECMAScript's Number::toString), with a one-digit
// negative exponent written without the leading zero (1e-7, not 1e-07).
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, &json.UnsupportedValueError{Value: reflect.ValueOf(f), Str: strconv.FormatFloat(f, 'g', -1, bits)}
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 {
		if bits == 64 && (a < 1e-6 || a >= 1e21) || bits == 32 && (float32(a) < 1e-6 || float32(a) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// without HTML escaping: '"', '\\' and control characters (\b, \f, \n, \r,
// \t by name, the others as \u00XX), U+2028 and U+2029 (which end lines in
// JavaScript) as \u2028 and \u2029, and each byte of invalid UTF-8 as
// \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// isValidNumber reports whether s is a JSON number (RFC 8259 §6).
func isValidNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}
