package rtimpl

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/runtime"
)

// kindNames are the JSON kinds as encoding/json's errors and Drift.Got
// name them.
var kindNames = [...]string{JSONObject: "object", JSONArray: "array", JSONString: "string", JSONNumber: "number", JSONBool: "bool", JSONNull: "null"}

// mismatch records that the value at tape index i does not fit type want.
func (d *Decoder) mismatch(i int32, want reflect.Type) {
	d.lastMismatch = i
	d.drifted++
	if len(d.drift) < runtime.MaxDriftPerResponse {
		d.drift = append(d.drift, driftToken{i: i, want: want})
	}
}

// drifts describes the recorded mismatches.
func (d *Decoder) drifts() []runtime.Drift {
	if len(d.drift) == 0 {
		return nil
	}
	out := make([]runtime.Drift, len(d.drift))
	for n, m := range d.drift {
		if m.member != "" {
			out[n] = runtime.Drift{Pointer: d.pointer(m.i) + "/" + escapeToken(m.member), Expected: m.want.String(), Got: "absent"}
			continue
		}
		raw := d.raw(m.i)
		if len(raw) > runtime.MaxDriftRaw {
			raw = raw[:runtime.MaxDriftRaw]
		}
		out[n] = runtime.Drift{Pointer: d.pointer(m.i), Expected: m.want.String(), Got: kindNames[d.tape[m.i].kind], Raw: CloneRaw(raw)}
	}
	return out
}

// pointer returns the JSON pointer of the value at tape index i, found by
// descending from the root through the containers holding i: a walk over
// their members, bounded by the tape's length (and done for at most
// MaxDriftPerResponse values of a document).
func (d *Decoder) pointer(i int32) string {
	var b strings.Builder
	at := int32(0)
	for at != i {
		t := d.tape[at]
		switch t.kind {
		case JSONObject:
			k := at + 1
			for ; k < t.next && d.tape[k+1].next <= i; k = d.tape[k+1].next {
			}
			if k >= t.next {
				return b.String()
			}
			b.WriteByte('/')
			b.WriteString(escapeToken(d.str(k)))
			at = k + 1
		case JSONArray:
			n, k := 0, at+1
			for ; k < t.next && d.tape[k].next <= i; k = d.tape[k].next {
				n++
			}
			if k >= t.next {
				return b.String()
			}
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(n))
			at = k
		default:
			return b.String()
		}
	}
	return b.String()
}

// escapeToken escapes a member name as a JSON pointer token (RFC 6901).
func escapeToken(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

// unmarshalRequired is UnmarshalContext that also fails, with a
// [*MissingMemberError], when a required member is absent: strict
// decoding of a response.
func unmarshalRequired(ctx context.Context, data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &json.InvalidUnmarshalError{Type: reflect.TypeOf(v)}
	}
	p := planOf(rv.Elem().Type())
	return decodeDocument(ctx, data, func(d *Decoder) error {
		d.required = true
		return d.value(0, rv.Elem(), p)
	})
}

// UnmarshalTolerant is [UnmarshalContext] that leaves a value that does
// not fit its type unset and a required member absent, and returns them as
// drift (at most runtime.MaxDriftPerResponse listed, total all) instead
// of failing; syntax errors, depth and the context still fail. A webhook
// receiver (package runtime/webhook) decodes events with it.
func UnmarshalTolerant(ctx context.Context, data []byte, v any) (drift []runtime.Drift, total int, err error) {
	return unmarshalTolerant(ctx, data, v)
}

// unmarshalTolerant is UnmarshalContext that leaves a mismatched value
// unset and returns it as drift instead of failing.
func unmarshalTolerant(ctx context.Context, data []byte, v any) (drift []runtime.Drift, total int, err error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, 0, &json.InvalidUnmarshalError{Type: reflect.TypeOf(v)}
	}
	p := planOf(rv.Elem().Type())
	err = decodeDocument(ctx, data, func(d *Decoder) error {
		d.tolerant, d.required, d.lastMismatch = true, true, -1
		err := d.value(0, rv.Elem(), p)
		drift, total = d.drifts(), d.drifted
		return err
	})
	return drift, total, err
}
