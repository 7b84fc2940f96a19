package rtimpl

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/runtime"
)

// MaxDepth is the deepest nesting of JSON arrays and objects [Unmarshal]
// and generated decoders accept (encoding/json's own limit); deeper input
// fails with a [*DepthError] before anything is decoded.
const MaxDepth = 10000

// ErrTooDeep is matched by errors.Is for a [*DepthError].
var ErrTooDeep = errors.New("runtime: JSON nested too deeply")

// DepthError reports JSON whose arrays and objects nest deeper than Limit.
// Offset is the byte offset of the bracket that went past it.
type DepthError struct {
	Limit  int
	Offset int64
}

// Error says how deep the limit is and where the input went past it.
func (e *DepthError) Error() string {
	return fmt.Sprintf("runtime: JSON nested more than %d levels deep (at byte offset %d)", e.Limit, e.Offset)
}

// Is reports whether target is [ErrTooDeep].
func (e *DepthError) Is(target error) bool { return target == ErrTooDeep }

// DecoderFrom is implemented by types that decode themselves from a
// [Decoder] positioned at their value: generated unions (and objects up to
// API version 3). The Decoder calls DecodeFrom instead of UnmarshalJSON,
// so that a nested value is read from the one parse of the whole document
// rather than re-scanned at every level.
type DecoderFrom interface {
	DecodeFrom(d *Decoder) error
}

// Decoder decodes one JSON document into Go values with encoding/json's
// rules (member names matched case-insensitively, null leaving non-pointer
// values alone, the first type mismatch reported after the rest is
// decoded), in time linear in the document's size whatever the schema:
// the text is validated and split into a tape of values once, each
// object's members can be looked at without decoding them (for a union to
// pick its variant), and every value is decoded once, except that anyOf
// variants and union fallbacks may decode a value again within a budget of
// four times the document's size. A Decoder is made by [Unmarshal] and
// [UnmarshalContext] and handed to [DecoderFrom] methods; it is not safe
// for concurrent use.
type Decoder struct {
	data   []byte
	tape   []token
	cur    int32           // the value a DecodeFrom method is to decode
	ctx    context.Context // nil: never cancelled
	steps  int             // values decoded, to poll ctx now and then
	ctxErr error           // ctx's error once seen; decoding stops
	saved  error           // first type mismatch, reported at the end
	budget int             // bytes a union may still decode again
	unions []openUnion     // unions being decoded, innermost last

	tolerant     bool         // mismatches become drift instead of an error
	required     bool         // required members (see plan.required) are checked: drift when tolerant, else an error
	drift        []driftToken // the mismatches seen when tolerant, at most MaxDriftPerResponse
	drifted      int          // how many there were in all
	lastMismatch int32        // tape index of the latest, so its Opt, Nullable or pointer stays unset
}

// driftToken is a mismatch seen by a tolerant decode: the tape index of
// the value and the Go type it was to decode into; or, with member set,
// the required member member absent from the object at tape index i.
type driftToken struct {
	i      int32
	want   reflect.Type
	member string
}

// token is one JSON value, or an object member's name, of the tape.
type token struct {
	kind       JSONKind
	start, end int32 // byte offsets of the value's text
	next       int32 // tape index of the token after this value's last one
}

// Unmarshal decodes the JSON text data into v, a non-nil pointer, as
// json.Unmarshal does, in time linear in len(data) (see [Decoder]). Input
// nested deeper than [MaxDepth] fails with a [*DepthError]. Syntax errors
// and type mismatches are encoding/json's (*json.SyntaxError,
// *json.UnmarshalTypeError).
func Unmarshal(data []byte, v any) error {
	return UnmarshalContext(context.Background(), data, v)
}

// UnmarshalContext is [Unmarshal] that gives up with ctx's error once ctx
// is done, checking it every 1024 values (a nil ctx never ends).
func UnmarshalContext(ctx context.Context, data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &json.InvalidUnmarshalError{Type: reflect.TypeOf(v)}
	}
	p := planOf(rv.Elem().Type())
	return decodeDocument(ctx, data, func(d *Decoder) error { return d.value(0, rv.Elem(), p) })
}

// decodeDocument parses data and runs decode on the Decoder at its value;
// it returns ctx's error, decode's, or the first type mismatch.
func decodeDocument(ctx context.Context, data []byte, decode func(*Decoder) error) error {
	d := decoderPool.Get().(*Decoder)
	*d = Decoder{data: data, ctx: ctx, budget: 4 * len(data), tape: d.tape[:0], unions: d.unions[:0]}
	defer func() {
		if cap(d.tape) <= maxPooledTape {
			*d = Decoder{tape: d.tape[:0], unions: d.unions[:0]} // nothing of data kept
			decoderPool.Put(d)
		}
	}()
	if err := d.parse(); err != nil {
		return err
	}
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	err := decode(d)
	switch {
	case d.ctxErr != nil:
		return d.ctxErr
	case err != nil:
		return err
	}
	return d.saved
}

// decoderPool keeps Decoders with their tapes, so a decode does not
// allocate and clear a new tape. DecoderFrom methods must not keep the
// Decoder they are handed.
var decoderPool = sync.Pool{New: func() any { return new(Decoder) }}

// maxPooledTape is the longest tape (tokens) a Decoder goes back to the
// pool with; one for a larger document is left to the garbage collector.
const maxPooledTape = 1 << 18

// parse validates data and builds the tape.
func (d *Decoder) parse() error {
	if len(d.data) >= 1<<31-1 {
		return errors.New("runtime: JSON text of 2 GiB or more")
	}
	return d.split()
}

// errSplit reports text split does not understand; parse then returns
// encoding/json's own error for it.
var errSplit = errors.New("runtime: invalid JSON")

// split builds the tape of data, checking the whole syntax (RFC 8259; as
// json.Valid, UTF-8 is not checked) and the nesting depth on the way: one
// pass over the text. Text that is not JSON gets encoding/json's
// *json.SyntaxError.
func (d *Decoder) split() error {
	data := d.data
	if want := len(data)/8 + 4; cap(d.tape) < want {
		d.tape = make([]token, 0, want)
	}
	var stack []int32 // open containers
	pos := 0
	ws := func() {
		for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r') {
			pos++
		}
	}
	bad := func() error {
		var probe struct{}
		if err := json.Unmarshal(data, &probe); err != nil {
			return err
		}
		return errSplit
	}
	wantKey := false // inside an object, at a member name
	for {
		ws()
		if pos >= len(data) {
			return bad()
		}
		start := pos
		var kind JSONKind
		switch c := data[pos]; {
		case wantKey && c != '"':
			return bad() // a member name must be a string
		case c == '{' || c == '[':
			if len(stack) >= MaxDepth {
				return &DepthError{Limit: MaxDepth, Offset: int64(pos)}
			}
			kind = JSONArray
			if c == '{' {
				kind = JSONObject
			}
			stack = append(stack, int32(len(d.tape)))
			d.tape = append(d.tape, token{kind: kind, start: int32(pos)})
			pos++
			ws()
			if pos < len(data) && (data[pos] == '}' || data[pos] == ']') {
				break // empty: closed below
			}
			wantKey = kind == JSONObject
			continue
		case c == '"':
			end, ok := scanString(data, pos)
			if !ok {
				return bad()
			}
			pos = end
			kind = JSONString
		case c == 't' || c == 'f' || c == 'n':
			lit := "null"
			kind = JSONNull
			switch c {
			case 't':
				lit, kind = "true", JSONBool
			case 'f':
				lit, kind = "false", JSONBool
			}
			if !bytes.HasPrefix(data[pos:], []byte(lit)) {
				return bad()
			}
			pos += len(lit)
		case c == '-' || c >= '0' && c <= '9':
			end, ok := scanNumber(data, pos)
			if !ok {
				return bad()
			}
			pos = end
			kind = JSONNumber
		default:
			return bad()
		}
		if kind != JSONObject && kind != JSONArray {
			n := int32(len(d.tape))
			d.tape = append(d.tape, token{kind: kind, start: int32(start), end: int32(pos), next: n + 1})
			if wantKey {
				ws()
				if pos >= len(data) || data[pos] != ':' {
					return bad()
				}
				pos++
				wantKey = false
				continue
			}
		}
		// A value ended: close the containers it ends, then expect the
		// next member or element.
		for {
			ws()
			if len(stack) == 0 {
				if pos != len(data) {
					return bad()
				}
				return nil
			}
			top := stack[len(stack)-1]
			if pos >= len(data) {
				return bad()
			}
			c := data[pos]
			if c == ',' {
				pos++
				wantKey = d.tape[top].kind == JSONObject
				break
			}
			if c == '}' && d.tape[top].kind == JSONObject || c == ']' && d.tape[top].kind == JSONArray {
				pos++
				d.tape[top].end = int32(pos)
				d.tape[top].next = int32(len(d.tape))
				stack = stack[:len(stack)-1]
				continue
			}
			return bad()
		}
	}
}

// scanString returns the offset just past the JSON string that starts at
// data[pos] (a '"'), or false when it is not one: a control character, an
// unknown escape, or no closing quote.
func scanString(data []byte, pos int) (int, bool) {
	pos++
	for pos < len(data) {
		switch c := data[pos]; {
		case c == '"':
			return pos + 1, true
		case c < 0x20:
			return 0, false
		case c == '\\':
			if pos+1 >= len(data) {
				return 0, false
			}
			switch data[pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				pos += 2
			case 'u':
				if pos+5 >= len(data) || !isHex(data[pos+2]) || !isHex(data[pos+3]) || !isHex(data[pos+4]) || !isHex(data[pos+5]) {
					return 0, false
				}
				pos += 6
			default:
				return 0, false
			}
		default:
			pos++
		}
	}
	return 0, false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber returns the offset just past the JSON number that starts at
// data[pos], or false when the text there is not one (RFC 8259 §6:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?).
func scanNumber(data []byte, pos int) (int, bool) {
	if data[pos] == '-' {
		pos++
	}
	switch {
	case pos >= len(data) || !isDigit(data[pos]):
		return 0, false
	case data[pos] == '0':
		pos++
	default:
		for pos < len(data) && isDigit(data[pos]) {
			pos++
		}
	}
	if pos < len(data) && data[pos] == '.' {
		pos++
		if pos >= len(data) || !isDigit(data[pos]) {
			return 0, false
		}
		for pos < len(data) && isDigit(data[pos]) {
			pos++
		}
	}
	if pos < len(data) && (data[pos] == 'e' || data[pos] == 'E') {
		pos++
		if pos < len(data) && (data[pos] == '+' || data[pos] == '-') {
			pos++
		}
		if pos >= len(data) || !isDigit(data[pos]) {
			return 0, false
		}
		for pos < len(data) && isDigit(data[pos]) {
			pos++
		}
	}
	return pos, true
}

// raw returns the text of the value at tape index i.
func (d *Decoder) raw(i int32) []byte {
	t := &d.tape[i]
	return d.data[t.start:t.end:t.end]
}

// Kind returns the JSON kind of the value the Decoder is at.
func (d *Decoder) Kind() JSONKind { return d.tape[d.cur].kind }

// Raw returns a copy of the text of the value the Decoder is at.
func (d *Decoder) Raw() json.RawMessage { return CloneRaw(d.raw(d.cur)) }

// members calls f with the tape indexes of each member name and value of
// the object at i, in order, until f returns false.
func (d *Decoder) members(i int32, f func(name, value int32) bool) {
	for k := i + 1; k < d.tape[i].next; {
		v := k + 1
		if !f(k, v) {
			return
		}
		k = d.tape[v].next
	}
}

// str returns the string the JSON string at tape index i holds.
func (d *Decoder) str(i int32) string {
	b := d.raw(i)
	if s, ok := plainString(b); ok {
		return s
	}
	var s string
	_ = json.Unmarshal(b, &s) // validated: cannot fail
	return s
}

// plainString returns the text of a quoted JSON string without escapes,
// control characters or invalid UTF-8, which is its value.
func plainString(b []byte) (string, bool) {
	in := b[1 : len(b)-1]
	for _, c := range in {
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			if c >= utf8.RuneSelf && utf8.Valid(in) && !hasEscapeOrControl(in) {
				return string(in), true
			}
			return "", false
		}
	}
	return string(in), true
}

// lenientLayouts are the date-time spellings, other than RFC 3339, that
// servers send for a "format: date-time" string: no offset (read as UTC),
// a space for the T, an offset without its colon, a date alone (midnight
// UTC). JSON Schema's format is an annotation (2020-12 §7.2.1): such a
// string is valid against the schema, so refusing it would make a whole
// response undecodable for a value the spec allows (Linode's and Asana's
// examples). Encoding writes RFC 3339 again.
var lenientLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02",
}

// lenientTime parses s, which is not RFC 3339, by lenientLayouts.
func lenientTime(s []byte) (time.Time, bool) {
	if len(s) < len("2006-01-02") || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range lenientLayouts {
		if tm, err := time.Parse(layout, string(s)); err == nil {
			return tm, true
		}
	}
	return time.Time{}, false
}

func hasEscapeOrControl(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c < 0x20 {
			return true
		}
	}
	return false
}

// member returns the tape index of the value of the member named name
// (exactly) of the object at i.
func (d *Decoder) member(i int32, name string) (int32, bool) {
	found := int32(-1)
	d.members(i, func(k, v int32) bool {
		if d.keyIs(k, name) {
			found = v // the last of duplicates wins, as in encoding/json
		}
		return true
	})
	return found, found >= 0
}

// keyIs reports whether the member name at tape index k is name.
func (d *Decoder) keyIs(k int32, name string) bool {
	b := d.raw(k)
	if len(b) == len(name)+2 && string(b[1:len(b)-1]) == name {
		return true
	}
	return d.str(k) == name
}

// step counts a value decoded and polls ctx every 1024 values.
func (d *Decoder) step() error {
	if d.ctxErr != nil {
		return d.ctxErr
	}
	d.steps++
	if d.ctx != nil && d.steps&1023 == 0 {
		d.ctxErr = d.ctx.Err()
	}
	return d.ctxErr
}

// spend takes n bytes from the budget for decoding a value again, and
// reports whether there were enough.
func (d *Decoder) spend(n int) bool {
	if n > d.budget {
		return false
	}
	d.budget -= n
	return true
}

// Decode decodes the value the Decoder is at into v, a non-nil pointer.
func (d *Decoder) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &json.InvalidUnmarshalError{Type: reflect.TypeOf(v)}
	}
	return d.value(d.cur, rv.Elem(), planOf(rv.Elem().Type()))
}

// typeError records a type mismatch as encoding/json does: the first is
// returned once the rest is decoded.
func (d *Decoder) typeError(i int32, t reflect.Type) {
	if d.tolerant {
		d.mismatch(i, t)
		return
	}
	if d.saved != nil {
		return
	}
	what := kindNames[d.tape[i].kind]
	if d.tape[i].kind == JSONNumber {
		what = "number " + string(d.raw(i))
	}
	d.saved = &json.UnmarshalTypeError{Value: what, Type: t, Offset: int64(d.tape[i].end)}
}

// fallback decodes the value at i into v with encoding/json: leaves and
// types this decoder does not take apart.
func (d *Decoder) fallback(i int32, v reflect.Value) error {
	err := json.Unmarshal(d.raw(i), v.Addr().Interface())
	if err != nil && d.tolerant {
		// The text is valid JSON (parse checked it): whatever failed (a
		// type, a date, a number's format) is the value not matching.
		v.SetZero()
		d.mismatch(i, v.Type())
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if d.saved == nil {
			te.Offset += int64(d.tape[i].start)
			d.saved = te
		}
		return nil
	}
	return err
}

// value decodes the value at tape index i into the addressable v. When
// tolerant, a pointer whose target did not match is left nil.
func (d *Decoder) value(i int32, v reflect.Value, p *plan) error {
	if err := d.step(); err != nil {
		return err
	}
	t := &d.tape[i]
	if p.kind == planPointer && d.tolerant && t.kind != JSONNull {
		return d.tolerantPointer(i, v, p)
	}
	for p.kind == planPointer { // a loop, not a call: one stack frame less per level
		if t.kind == JSONNull {
			v.SetZero()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(p.typ.Elem()))
		}
		v, p = v.Elem(), p.elem
	}
	switch p.kind {
	case planHook:
		d.cur = i
		return v.Addr().Interface().(DecoderFrom).DecodeFrom(d)
	case planOpt: // as Opt.DecodeFrom: null leaves it absent
		if t.kind == JSONNull {
			v.SetZero()
			return nil
		}
		x := v.Field(0)
		x.SetZero()
		if err := d.value(i, x, p.elem); err != nil {
			return err
		}
		if d.tolerant && d.lastMismatch == i {
			v.SetZero() // a mismatched value is absent, not a zero value
			return nil
		}
		v.Field(1).SetBool(true)
		return nil
	case planNullable: // as Nullable.DecodeFrom
		x := v.Field(0)
		x.SetZero()
		v.Field(1).SetBool(true)
		if t.kind == JSONNull {
			v.Field(2).SetBool(true)
			return nil
		}
		v.Field(2).SetBool(false)
		err := d.value(i, x, p.elem)
		if err == nil && d.tolerant && d.lastMismatch == i {
			v.SetZero() // a mismatched value is absent, not a zero value
		}
		return err
	case planTime, planDate:
		if t.kind == JSONString {
			if b := d.raw(i); !hasEscapeOrControl(b[1 : len(b)-1]) {
				// UnmarshalText parses as UnmarshalJSON does, without the quotes.
				if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(b[1 : len(b)-1]); err == nil {
					return nil
				}
				if p.kind == planTime {
					if tm, ok := lenientTime(b[1 : len(b)-1]); ok {
						v.Set(reflect.ValueOf(tm))
						return nil
					}
				}
			}
		}
	case planStruct:
		switch t.kind {
		case JSONObject:
			if p.extra == 0 {
				return d.object(i, v, p, nil)
			}
			return d.objectExtra(i, v, p)
		case JSONNull:
			return nil
		}
		d.typeError(i, p.typ)
		return nil
	case planSlice:
		switch t.kind {
		case JSONArray:
			n := 0
			for k := i + 1; k < t.next; k = d.tape[k].next {
				n++
			}
			s := reflect.MakeSlice(p.typ, n, n)
			j := 0
			for k := i + 1; k < t.next; k = d.tape[k].next {
				if err := d.value(k, s.Index(j), p.elem); err != nil {
					return err
				}
				j++
			}
			v.Set(s)
			return nil
		case JSONNull:
			v.SetZero()
			return nil
		}
		d.typeError(i, p.typ)
		return nil
	case planMap:
		switch t.kind {
		case JSONObject:
			if v.IsNil() {
				v.Set(reflect.MakeMap(p.typ))
			}
			var err error
			d.members(i, func(k, val int32) bool {
				e := reflect.New(p.typ.Elem()).Elem()
				if err = d.value(val, e, p.elem); err != nil {
					return false
				}
				v.SetMapIndex(reflect.ValueOf(d.str(k)).Convert(p.typ.Key()), e)
				return true
			})
			return err
		case JSONNull:
			v.SetZero()
			return nil
		}
		d.typeError(i, p.typ)
		return nil
	case planString:
		if t.kind == JSONString {
			if s, ok := plainString(d.raw(i)); ok {
				v.SetString(s)
				return nil
			}
		}
	case planBool:
		switch t.kind {
		case JSONBool:
			v.SetBool(d.data[t.start] == 't')
			return nil
		}
	case planInt:
		if t.kind == JSONNumber {
			if n, err := strconv.ParseInt(string(d.raw(i)), 10, 64); err == nil && !v.OverflowInt(n) {
				v.SetInt(n)
				return nil
			}
		}
	case planUint:
		if t.kind == JSONNumber {
			if n, err := strconv.ParseUint(string(d.raw(i)), 10, 64); err == nil && !v.OverflowUint(n) {
				v.SetUint(n)
				return nil
			}
		}
	case planFloat:
		if t.kind == JSONNumber {
			if f, err := strconv.ParseFloat(string(d.raw(i)), p.typ.Bits()); err == nil && !v.OverflowFloat(f) {
				v.SetFloat(f)
				return nil
			}
		}
	}
	if t.kind == JSONNull && p.kind != planFallback {
		return nil // null leaves a basic value alone
	}
	return d.fallback(i, v)
}

// object decodes the members of the object at i into the struct v of plan
// p; members it does not declare go to extra (nil: dropped).
func (d *Decoder) object(i int32, v reflect.Value, p *plan, extra func(name string, value int32) error) error {
	var seen uint64 // required members present, by fieldPlan.bit
	for k := i + 1; k < d.tape[i].next; k = d.tape[k+1].next {
		var err error
		switch f := p.field(d, k); {
		case f != nil:
			seen |= f.bit
			err = d.value(k+1, v.Field(f.index), f.plan)
		case extra != nil:
			err = extra(d.str(k), k+1)
		default:
			err = d.step()
		}
		if err != nil {
			return err
		}
	}
	if d.required && seen != p.requiredBits {
		d.missing(i, p, seen)
	}
	return nil
}

// missing records the required members of plan p that the object at tape
// index i lacks (seen holds the present ones): drift when tolerant, else
// the decode's error (the first only).
func (d *Decoder) missing(i int32, p *plan, seen uint64) {
	for _, r := range p.required {
		if seen&r.bit != 0 {
			continue
		}
		if d.tolerant {
			d.drifted++
			if len(d.drift) < runtime.MaxDriftPerResponse {
				d.drift = append(d.drift, driftToken{i: i, want: r.typ, member: r.name})
			}
			continue
		}
		if d.saved == nil {
			d.saved = &MissingMemberError{Pointer: d.pointer(i) + "/" + escapeToken(r.name), Type: r.typ}
		}
	}
}

// MissingMemberError is a required member (one the spec lists in
// "required", a field without omitzero) absent from a response body
// decoded with [runtime.WithStrictDecoding]; without it such a member is
// [runtime.Drift] (Got "absent").
type MissingMemberError struct {
	Pointer string       // RFC 6901 pointer of the member, e.g. "/data/0/id"
	Type    reflect.Type // the field's Go type
}

func (e *MissingMemberError) Error() string {
	return "required member " + e.Pointer + " (" + e.Type.String() + ") is missing"
}

// objectExtra decodes the members of the object at i into the struct v of
// plan p, and those it does not declare into its field tagged jsonextra
// (set to nil first, so it holds exactly the undeclared members).
func (d *Decoder) objectExtra(i int32, v reflect.Value, p *plan) error {
	m := v.Field(p.extra - 1)
	m.SetZero()
	var raws map[string]json.RawMessage // m, when it holds raw JSON: no reflection per member
	var seen uint64                     // required members present, by fieldPlan.bit
	defer func() {
		if d.required && seen != p.requiredBits {
			d.missing(i, p, seen)
		}
	}()
	for k := i + 1; k < d.tape[i].next; k = d.tape[k+1].next {
		if f := p.field(d, k); f != nil {
			seen |= f.bit
			if err := d.value(k+1, v.Field(f.index), f.plan); err != nil {
				return err
			}
			if d.tolerant && d.lastMismatch == k+1 {
				// The member's value did not fit its field, which is left
				// unset: its JSON stays reachable beside the undeclared
				// members (encoding writes the field's, not this).
				if p.elem.typ == rawType && m.Type() == rawMapType {
					if raws == nil {
						raws = map[string]json.RawMessage{}
						m.Set(reflect.ValueOf(raws))
					}
					raws[d.str(k)] = CloneRaw(d.raw(k + 1))
				} else if p.elem.typ.Kind() == reflect.Interface {
					x := reflect.New(p.elem.typ).Elem()
					if err := d.value(k+1, x, p.elem); err == nil {
						if m.IsNil() {
							m.Set(reflect.MakeMap(m.Type()))
						}
						m.SetMapIndex(reflect.ValueOf(d.str(k)).Convert(m.Type().Key()), x)
					}
				}
			}
			continue
		}
		if p.elem.typ == rawType && m.Type() == rawMapType {
			if err := d.step(); err != nil {
				return err
			}
			if raws == nil {
				raws = map[string]json.RawMessage{}
				m.Set(reflect.ValueOf(raws))
			}
			raws[d.str(k)] = CloneRaw(d.raw(k + 1))
			continue
		}
		x := reflect.New(p.elem.typ).Elem()
		if err := d.value(k+1, x, p.elem); err != nil {
			return err
		}
		if m.IsNil() {
			m.Set(reflect.MakeMap(m.Type()))
		}
		m.SetMapIndex(reflect.ValueOf(d.str(k)).Convert(m.Type().Key()), x)
	}
	return nil
}

// DecodeObject decodes the object the Decoder is at into the struct v (a
// pointer; generated code passes its type without methods), its fields
// tagged jsonname by exact name, and every member v does not declare into
// *extra (nil: dropped), so no member is lost. JSON null leaves v alone.
// Generated objects' DecodeFrom methods call it.
func DecodeObject[T any](d *Decoder, v any, extra *map[string]T) error {
	i := d.cur
	rv := reflect.ValueOf(v).Elem()
	p := planOf(rv.Type())
	if extra != nil {
		*extra = nil
	}
	switch d.tape[i].kind {
	case JSONNull:
		return nil
	case JSONObject:
	default:
		return &json.UnmarshalTypeError{Value: "non-object", Type: rv.Type(), Offset: int64(d.tape[i].start)}
	}
	if p.kind != planStruct {
		return d.fallback(i, rv)
	}
	var keep func(string, int32) error
	if extra != nil {
		ep := planOf(reflect.TypeFor[T]())
		keep = func(name string, val int32) error {
			var x T
			if err := d.value(val, reflect.ValueOf(&x).Elem(), ep); err != nil {
				return err
			}
			if *extra == nil {
				*extra = map[string]T{}
			}
			(*extra)[name] = x
			return nil
		}
	}
	return d.object(i, rv, p, keep)
}

// A plan says how to decode into one Go type.
type plan struct {
	kind  planKind
	typ   reflect.Type
	elem  *plan                 // pointer, slice and map elements
	kinds kindSet               // JSON kinds a value of the type decodes from
	exact map[string]*fieldPlan // struct members by exact name, jsonname ones included
	fold  map[string]*fieldPlan // struct members by foldName
	named map[string]bool       // jsonname names, matched exactly only
	extra int                   // struct: index+1 of the field tagged jsonextra, or 0
	// required are the struct's required members: fields with a json tag
	// naming them and neither omitzero nor omitempty (generated code
	// writes optional members with omitzero), the first 64; requiredBits
	// ORs their bits.
	required     []requiredField
	requiredBits uint64
}

// requiredField is one of plan.required.
type requiredField struct {
	name string
	typ  reflect.Type
	bit  uint64
}

type planKind uint8

const (
	planFallback planKind = iota // encoding/json
	planHook                     // DecoderFrom
	planPointer
	planStruct
	planSlice
	planMap
	planString
	planBool
	planInt
	planUint
	planFloat
	planOpt      // Opt[T]: elem is T's plan
	planNullable // Nullable[T]: elem is T's plan
	planTime     // time.Time (RFC 3339, as its UnmarshalJSON)
	planDate     // Date
)

// fieldPlan is a struct field a member decodes into.
type fieldPlan struct {
	index int
	plan  *plan
	bit   uint64 // the field's bit in plan.requiredBits; 0 when optional
}

// field returns the field the member name at tape index k decodes into:
// exact name first, then encoding/json's case-insensitive match (not for
// jsonname fields).
func (p *plan) field(d *Decoder, k int32) *fieldPlan {
	b := d.raw(k)
	in := b[1 : len(b)-1]
	if f, ok := p.exact[string(in)]; ok && !hasEscapeOrControl(in) {
		return f
	}
	name := d.str(k)
	if f, ok := p.exact[name]; ok {
		return f
	}
	if f, ok := p.fold[foldName(name)]; ok && !p.named[name] {
		return f
	}
	return nil
}

// kindSet is a set of JSON kinds.
type kindSet uint8

const anyKind kindSet = 1<<JSONObject | 1<<JSONArray | 1<<JSONString | 1<<JSONNumber | 1<<JSONBool | 1<<JSONNull

func (s kindSet) has(k JSONKind) bool { return s&(1<<k) != 0 || k == JSONNull }

var (
	plans   sync.Map // reflect.Type -> *plan
	plansMu sync.Mutex

	hookType        = reflect.TypeFor[DecoderFrom]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawType         = reflect.TypeFor[json.RawMessage]()
)

// knownKinds are the JSON kinds of the runtime's and the standard
// library's leaf types with their own decoders.
var knownKinds = map[reflect.Type]kindSet{
	reflect.TypeFor[runtime.Int64String](): 1<<JSONString | 1<<JSONNumber,
}

// planOf returns the plan of t, building it (and those of the types it
// holds) once.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	building := map[reflect.Type]*plan{}
	p := buildPlan(t, building)
	for t, p := range building {
		plans.Store(t, p)
	}
	return p
}

func buildPlan(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &plan{typ: t, kinds: anyKind}
	building[t] = p
	pt := reflect.PointerTo(t)
	switch {
	case t.Kind() == reflect.Pointer:
		// Below: null sets it nil, anything else goes to a new value,
		// whose own decoder (through its address) applies.
	case wrapperOf(t) == optWrapper:
		p.kind = planOpt
		p.elem = buildPlan(t.Field(0).Type, building)
		p.kinds = p.elem.kinds
		return p
	case wrapperOf(t) == nullableWrapper:
		p.kind = planNullable
		p.elem = buildPlan(t.Field(0).Type, building)
		p.kinds = p.elem.kinds
		return p
	case t == timeType:
		p.kind, p.kinds = planTime, 1<<JSONString
		return p
	case t == dateType:
		p.kind, p.kinds = planDate, 1<<JSONString
		return p
	case t.Kind() == reflect.Struct && !pt.Implements(hookType) && runtimeCoded(t):
		// A generated object (API version 4): decoded from its fields,
		// whatever its UnmarshalJSON (which calls Unmarshal) says.
		p.kind, p.kinds = planStruct, 1<<JSONObject
		structPlan(p, building)
		return p
	case pt.Implements(hookType):
		p.kind = planHook
		p.kinds = hookKinds(t)
		return p
	case pt.Implements(unmarshalerType) || t.Implements(unmarshalerType):
		p.kind = planFallback
		if k, ok := knownKinds[t]; ok {
			p.kinds = k
		} else if t == reflect.TypeFor[time.Time]() {
			p.kinds = 1 << JSONString
		}
		return p
	case pt.Implements(textType):
		p.kind = planFallback
		p.kinds = 1 << JSONString
		return p
	}
	switch t.Kind() {
	case reflect.Pointer:
		p.kind = planPointer
		p.elem = buildPlan(t.Elem(), building)
		p.kinds = p.elem.kinds
	case reflect.Struct:
		p.kinds = 1 << JSONObject
		if structPlan(p, building) {
			p.kind = planStruct
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			p.kinds = 1 << JSONString // base64
			break
		}
		p.kind = planSlice
		p.kinds = 1 << JSONArray
		p.elem = buildPlan(t.Elem(), building)
	case reflect.Array:
		p.kinds = 1 << JSONArray
	case reflect.Map:
		p.kinds = 1 << JSONObject
		if t.Key().Kind() == reflect.String && !reflect.PointerTo(t.Key()).Implements(textType) {
			p.kind = planMap
			p.elem = buildPlan(t.Elem(), building)
		}
	case reflect.String:
		p.kind, p.kinds = planString, 1<<JSONString
	case reflect.Bool:
		p.kind, p.kinds = planBool, 1<<JSONBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind, p.kinds = planInt, 1<<JSONNumber
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind, p.kinds = planUint, 1<<JSONNumber
	case reflect.Float32, reflect.Float64:
		p.kind, p.kinds = planFloat, 1<<JSONNumber
	}
	return p
}

// hookKinds returns the JSON kinds a DecoderFrom type takes: a generated
// union (a struct with a Raw json.RawMessage field) any, a generated
// object of API version 3 objects. (Opt and Nullable are plan kinds of
// their own.)
func hookKinds(t reflect.Type) kindSet {
	if t.Kind() != reflect.Struct {
		return anyKind
	}
	if f, ok := t.FieldByName("Raw"); ok && f.Type == rawType {
		return anyKind
	}
	return 1 << JSONObject
}

// runtimePkg is the import path of package runtime, where Opt and Nullable live.
var runtimePkg = reflect.TypeFor[runtime.Date]().PkgPath()

// structPlan fills in the members of the struct plan p, and reports
// whether this decoder can take the struct apart: not when a field is
// embedded or has the ",string" option, which encoding/json handles.
func structPlan(p *plan, building map[reflect.Type]*plan) bool {
	t := p.typ
	coded := runtimeCoded(t) // never handed to encoding/json: embedded fields are ordinary ones
	p.exact, p.fold, p.named = map[string]*fieldPlan{}, map[string]*fieldPlan{}, map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if n, ok := f.Tag.Lookup(nameTag); ok {
			fp := &fieldPlan{index: i, plan: buildPlan(f.Type, building)}
			p.exact[n] = fp
			p.named[n] = true
			continue
		}
		if _, ok := f.Tag.Lookup(extraTag); ok && f.Type.Kind() == reflect.Map && f.Type.Key().Kind() == reflect.String {
			p.extra = i + 1
			p.elem = buildPlan(f.Type.Elem(), building)
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
		}
		fp := &fieldPlan{index: i, plan: buildPlan(f.Type, building)}
		if tagName, _, _ := cutComma(tag); tagName != "" && !hasOpt(opts, "omitzero") && !hasOpt(opts, "omitempty") && len(p.required) < 64 {
			if _, dup := p.exact[name]; !dup {
				fp.bit = 1 << len(p.required)
				p.required = append(p.required, requiredField{name: name, typ: f.Type, bit: fp.bit})
				p.requiredBits |= fp.bit
			}
		}
		if _, dup := p.exact[name]; !dup {
			p.exact[name] = fp
		}
		if _, dup := p.fold[foldName(name)]; !dup {
			p.fold[foldName(name)] = fp
		}
	}
	return true
}

func cutComma(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func hasOpt(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = cutComma(opts)
		if o == name {
			return true
		}
	}
	return false
}

// tolerantPointer decodes the non-null value at i through the pointer v
// (plan p), and leaves v nil when that value did not match.
func (d *Decoder) tolerantPointer(i int32, v reflect.Value, p *plan) error {
	if v.IsNil() {
		v.Set(reflect.New(p.typ.Elem()))
	}
	err := d.value(i, v.Elem(), p.elem)
	if err == nil && d.lastMismatch == i {
		v.SetZero()
	}
	return err
}
