package rtimpl_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// stdJSON is what runtime.Marshal must write: encoding/json without HTML
// escaping and without the trailing newline.
func stdJSON(t testing.TB, v any) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type encInner struct {
	A string  `json:"a"`
	B *int    `json:"b,omitempty"`
	C []byte  `json:"c"`
	D float32 `json:"d"`
}

type encValueMarshaler struct{ N int }

func (m encValueMarshaler) MarshalJSON() ([]byte, error) {
	return []byte(" { \"n\" : [ 1 , 2 ] } "), nil // compacted on output
}

type encPtrMarshaler struct{ N int }

func (m *encPtrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"ptr"`), nil }

type encText struct{ S string }

func (t encText) MarshalText() ([]byte, error) { return []byte("<" + t.S + ">"), nil }

type encEmbedded struct {
	encInner
	Z int `json:"z"`
}

type encStringOpt struct {
	N int64 `json:"n,string"`
}

type encOdd struct {
	//lint:ignore SA5008 the point: a tag name encoding/json does not use
	Bad   int `json:"a\"b"` // not a name encoding/json uses: the field name is
	Dup1  int `json:"dup"`
	Dup   int // the Go name "Dup" is another member name, "dup" ≠ "Dup"
	inner int //lint:ignore U1000 an unexported field, which the encoder skips
}

type encZeroer struct{ V int }

func (z encZeroer) IsZero() bool { return z.V == 7 }

type encKitchen struct {
	S        string                      `json:"s"`
	I        int64                       `json:"i"`
	U        uint8                       `json:"u"`
	F        float64                     `json:"f"`
	B        bool                        `json:"b"`
	P        *encInner                   `json:"p"`
	Pnil     *encInner                   `json:"pnil"`
	Empty    string                      `json:"empty,omitempty"`
	Zero     time.Time                   `json:"zero,omitzero"`
	T        time.Time                   `json:"t"`
	Slice    []encInner                  `json:"slice"`
	NilSlice []int                       `json:"nilSlice"`
	Arr      [2]int                      `json:"arr"`
	Map      map[string]int              `json:"map"`
	NilMap   map[string]int              `json:"nilMap,omitempty"`
	Any      any                         `json:"any"`
	Raw      json.RawMessage             `json:"raw"`
	NilRaw   json.RawMessage             `json:"nilRaw"`
	Num      json.Number                 `json:"num"`
	VM       encValueMarshaler           `json:"vm"`
	PM       encPtrMarshaler             `json:"pm"`
	Text     encText                     `json:"text"`
	Date     runtime.Date                `json:"date"`
	I64      runtime.Int64String         `json:"i64"`
	Zeroer   encZeroer                   `json:"zeroer,omitzero"`
	Zeroer2  encZeroer                   `json:"zeroer2,omitzero"`
	Big      *big.Float                  `json:"big"`
	Nested   map[string][]map[string]any `json:"nested"`
	Untagged string
	Dash     string `json:"-"`
	DashName string `json:"-,"`
	unexp    int
}

func kitchen() encKitchen {
	n := 5
	return encKitchen{
		S: "héllo \"<world>\" & \u2028\u2029 \x01\x1f\t\n\r\b\f \\ \xff end", I: -42, U: 200, F: 1e-7, B: true,
		P:     &encInner{A: "x", B: &n, C: []byte("bytes\x00"), D: 0.1},
		T:     time.Date(2024, 2, 29, 13, 4, 5, 123000000, time.FixedZone("X", 5*3600+1800)),
		Slice: []encInner{{A: "1"}, {A: "2", C: []byte{}}},
		Arr:   [2]int{1, 2}, Map: map[string]int{"z": 1, "a": 2, "é": 3, "A": 4},
		Any: map[string]any{"k": []any{1.5, "s", nil, true}},
		Raw: json.RawMessage(" {\"a\" :\t[1, 2]}\n"), Num: "1.5e3",
		VM: encValueMarshaler{1}, PM: encPtrMarshaler{2}, Text: encText{"t"},
		Date: runtime.Date{Year: 2024, Month: 2, Day: 29}, I64: 1 << 60,
		Zeroer: encZeroer{7}, Zeroer2: encZeroer{0},
		Big:      big.NewFloat(1.25),
		Nested:   map[string][]map[string]any{"b": {{"y": 1, "x": 2}}, "a": nil},
		Untagged: "u", Dash: "no", DashName: "yes", unexp: 1,
	}
}

// TestMarshalMatchesEncodingJSON checks runtime.Marshal byte for byte
// against encoding/json (without HTML escaping) on every kind of value the
// encoder writes itself and on those it hands to encoding/json.
func TestMarshalMatchesEncodingJSON(t *testing.T) {
	k := kitchen()
	cases := map[string]any{
		"kitchen":       k,
		"kitchen ptr":   &k,
		"nil":           nil,
		"nil ptr":       (*encKitchen)(nil),
		"embedded":      encEmbedded{encInner: encInner{A: "e"}, Z: 1},
		"string option": encStringOpt{N: 12},
		"odd names":     encOdd{Bad: 1, Dup1: 2, Dup: 3},
		"floats":        []float64{0, math.Copysign(0, -1), 1, -1.5, 1e20, 1e21, 123456789e15, 1e-6, 9.99e-7, 5e-324, math.MaxFloat64, 0.1, 1.0 / 3},
		"float32s":      []float32{0.1, 1e20, 1e21, 1e-6, 9.99e-7, math.MaxFloat32, 1.0 / 3},
		"ints":          []any{int8(-128), uint64(math.MaxUint64), int64(math.MinInt64), uintptr(7)},
		"strings":       []string{"", "\u007f", "\U0001F600", "a\u2028b", "\xed\xa0\x80", "<>&", "\x00"},
		"map any":       map[string]any{"b": []any{}, "a": map[string]any{}, "c": json.Number("7")},
		"bytes":         [][]byte{nil, {}, {0xff, 0x00, 0x10}},
		"array of ptr":  [3]*int{},
		"named map":     map[encMapKey]encText{"k": {"v"}},
		"int map":       map[int]string{2: "b", 1: "a"},
		"raw array":     []json.RawMessage{json.RawMessage(`[ ]`), json.RawMessage(`"x"`)},
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			want, wantErr := stdJSON(t, v)
			got, err := rtimpl.Marshal(v)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("error %v, encoding/json's %v", err, wantErr)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("runtime.Marshal:\n%s\nencoding/json:\n%s", got, want)
			}
		})
	}
}

type encMapKey string

// TestMarshalOptNullable: Opt and Nullable, which encoding/json would write
// as their fields, are written as their value, null, or left out.
func TestMarshalOptNullable(t *testing.T) {
	type inner struct {
		Opt     runtime.Opt[string]                           `json:"opt,omitzero"`
		OptSet  runtime.Opt[int]                              `json:"optSet,omitzero"`
		OptNull runtime.Opt[int]                              `json:"optNull"`
		Absent  runtime.Nullable[string]                      `json:"absent,omitzero"`
		Null    runtime.Nullable[string]                      `json:"null"`
		NullVal runtime.Nullable[string]                      `json:"nullVal"`
		Stale   runtime.Opt[int]                              `json:"stale,omitzero"`
		Nested  runtime.Opt[[]runtime.Nullable[runtime.Date]] `json:"nested"`
	}
	v := inner{
		OptSet: runtime.Some(3), Null: runtime.NullValue[string](), NullVal: runtime.NewNullable("v"),
		Stale:  runtime.Opt[int]{Value: 9}, // Value without Set: absent
		Nested: runtime.Some([]runtime.Nullable[runtime.Date]{runtime.NullValue[runtime.Date](), runtime.NewNullable(runtime.Date{Year: 2024, Month: 2, Day: 29})}),
	}
	const want = `{"optSet":3,"optNull":null,"null":null,"nullVal":"v","nested":[null,"2024-02-29"]}`
	for _, x := range []any{v, &v} {
		got, err := rtimpl.Marshal(x)
		if err != nil || string(got) != want {
			t.Errorf("Marshal(%T) = %s, %v; want %s", x, got, err, want)
		}
	}
	var back inner
	if err := rtimpl.Unmarshal([]byte(want), &back); err != nil {
		t.Fatal(err)
	}
	v.Stale = runtime.Opt[int]{}
	if !reflect.DeepEqual(back, v) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, v)
	}
}

// TestMarshalErrors checks the errors encoding/json reports are reported.
func TestMarshalErrors(t *testing.T) {
	for name, v := range map[string]any{
		"NaN":         math.NaN(),
		"Inf":         []float64{math.Inf(-1)},
		"bad raw":     json.RawMessage(`{"a":`),
		"bad number":  json.Number("1.2.3"),
		"bad date":    runtime.Date{Year: 2023, Month: 2, Day: 29},
		"time year":   time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"channel":     map[string]any{"c": make(chan int)},
		"bad marshal": struct{ M badMarshaler }{},
	} {
		t.Run(name, func(t *testing.T) {
			_, wantErr := stdJSON(t, v)
			_, err := rtimpl.Marshal(v)
			if err == nil || wantErr == nil {
				t.Fatalf("runtime.Marshal error %v, encoding/json's %v: both should fail", err, wantErr)
			}
		})
	}
}

type badMarshaler struct{}

func (badMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{"unterminated"`), nil }

type encCycle struct {
	Next *encCycle `json:"next"`
}

// TestMarshalCycle checks that a cycle of pointers fails with a
// *DepthError instead of running out of stack.
func TestMarshalCycle(t *testing.T) {
	c := &encCycle{}
	c.Next = c
	_, err := rtimpl.Marshal(c)
	if !errors.Is(err, rtimpl.ErrTooDeep) {
		t.Fatalf("Marshal of a cycle: %v, want a *DepthError", err)
	}
}

// TestMarshalDeepLinear checks that nesting does not make encoding
// re-scan: a value nested 5,000 levels deep is written with one pass (its
// allocations do not grow with depth beyond the output buffer's).
func TestMarshalDeepLinear(t *testing.T) {
	var head *encCycle
	for range rtimpl.MaxDepth / 2 {
		head = &encCycle{Next: head}
	}
	got, err := rtimpl.Marshal(head)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := stdJSON(t, head)
	if !bytes.Equal(got, want) {
		t.Fatalf("deep value differs from encoding/json's")
	}
	if raceEnabled {
		return // the race detector's instrumentation allocates
	}
	allocs := testing.AllocsPerRun(5, func() { rtimpl.Marshal(head) })
	if allocs > 4 {
		t.Errorf("Marshal of a 5,000-level value: %.0f allocations, want at most 4 (one pass into one buffer)", allocs)
	}
}

// FuzzMarshal compares runtime.Marshal with encoding/json on strings,
// floats, byte slices and JSON values built from the input.
func FuzzMarshal(f *testing.F) {
	f.Add("héllo\u2028<\x01>", 1e21, float32(1e-7), []byte{0xff}, int64(-1), `{"a":[1,"x",null,{"b":true}]}`)
	f.Add("\xff\xfe", 5e-324, float32(0), []byte(nil), int64(0), `[1e400]`)
	f.Fuzz(func(t *testing.T, s string, fl float64, f32 float32, b []byte, n int64, doc string) {
		var anyDoc any
		_ = json.Unmarshal([]byte(doc), &anyDoc)
		v := struct {
			S   string          `json:"s"`
			K   map[string]int  `json:"k"`
			F   float64         `json:"f"`
			F32 float32         `json:"f32"`
			B   []byte          `json:"b"`
			N   int64           `json:"n"`
			Doc any             `json:"doc"`
			Raw json.RawMessage `json:"raw,omitempty"`
			Num json.Number     `json:"num,omitempty"`
		}{S: s, K: map[string]int{s: 1, strings.ToUpper(s): 2}, F: fl, F32: f32, B: b, N: n, Doc: anyDoc}
		if json.Valid([]byte(doc)) {
			v.Raw = json.RawMessage(doc)
		}
		v.Num = json.Number(s)
		want, wantErr := stdJSON(t, v)
		got, err := rtimpl.Marshal(v)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, encoding/json's %v", err, wantErr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("runtime.Marshal:\n%s\nencoding/json:\n%s", got, want)
		}
		// An Opt is written as its value would be.
		opt, err1 := rtimpl.Marshal(struct {
			O runtime.Opt[string] `json:"o,omitzero"`
		}{runtime.Some(s)})
		plain, err2 := rtimpl.Marshal(struct {
			O string `json:"o"`
		}{s})
		if err1 != nil || err2 != nil || !bytes.Equal(opt, plain) {
			t.Fatalf("Opt: %s, %v; plain %s, %v", opt, err1, plain, err2)
		}
	})
}

// TestMarshalRawNotJoined: white space inside raw JSON that separates
// tokens is not a license to join them: "1 2" and "tr ue" stay errors.
func TestMarshalRawNotJoined(t *testing.T) {
	for _, raw := range []string{`1 2`, `tr ue`, `{"a":1} {}`, `[1,2 3]`} {
		if b, err := rtimpl.Marshal(json.RawMessage(raw)); err == nil {
			t.Errorf("Marshal(RawMessage(%q)) = %s, want an error", raw, b)
		}
	}
	b, err := rtimpl.Marshal(map[string]json.RawMessage{"a": json.RawMessage(" [ 1 , \"x y\\\" z\" ]\n")})
	if err != nil || string(b) != `{"a":[1,"x y\" z"]}` {
		t.Errorf("Marshal of spaced raw JSON: %s, %v", b, err)
	}
}

// oddCoded is a runtime-coded struct (jsonextra) with what would make
// encoding/json's rules apply: a tag name encoding/json does not use and
// an embedded field. Marshal must still code it itself: encoding/json would call its
// MarshalJSON, which calls Marshal again.
type oddCoded struct {
	encInner
	A int `json:"x"`
	//lint:ignore SA5008 the point: a tag name encoding/json does not use
	B     int                        `json:"a\"b"`
	Extra map[string]json.RawMessage `json:"-" jsonextra:""`
}

func (v oddCoded) MarshalJSON() ([]byte, error) { return rtimpl.Marshal(&v) }

// TestMarshalCodedNeverRecurses: see oddCoded.
func TestMarshalCodedNeverRecurses(t *testing.T) {
	b, err := rtimpl.Marshal(oddCoded{A: 1, B: 2})
	if err != nil || !strings.Contains(string(b), `"x":1`) || !strings.Contains(string(b), `"a\"b":2`) {
		t.Fatalf("Marshal(oddCoded) = %s, %v", b, err)
	}
}

// TestUnmarshalCodedNeverRecurses: a runtime-coded struct with an embedded
// field (unexported here, so skipped) is still decoded by the runtime,
// every member after it included.
func TestUnmarshalCodedNeverRecurses(t *testing.T) {
	var v oddCodedIn
	if err := rtimpl.Unmarshal([]byte(`{"encInner":{"a":"q"},"x":1,"y":2}`), &v); err != nil || v.A != 1 || string(v.Extra["y"]) != "2" {
		t.Fatalf("Unmarshal into a coded struct with an embedded field: %+v, %v", v, err)
	}
}

type oddCodedIn struct {
	encInner
	A     int                        `json:"x"`
	Extra map[string]json.RawMessage `json:"-" jsonextra:""`
}

func (v *oddCodedIn) UnmarshalJSON(b []byte) error { return rtimpl.Unmarshal(b, v) }

// cycAny is an anyOf whose first variant refers back to it.
type cycAny struct {
	A *cycObj
	B *cycNum
}

var cycAnyDesc = rtimpl.Union{AnyOf: true, Variants: []rtimpl.Variant{{}, {}}}

func (u *cycAny) EncodeTo(e *rtimpl.Encoder) error { return e.Union(&cycAnyDesc, nil, u.A, u.B) }

type cycObj struct {
	Next *cycAny `json:"next"`
}

type cycNum struct {
	X int `json:"x"`
}

// TestMarshalCycleThroughUnions: a cycle through an anyOf with two
// variants set (merged) or a variant without its discriminator (written
// again) still ends in a *DepthError, not a stack overflow: the variants
// are encoded within the one Encoder's depth.
func TestMarshalCycleThroughUnions(t *testing.T) {
	u := &cycAny{A: &cycObj{}, B: &cycNum{X: 1}}
	u.A.Next = u
	if _, err := rtimpl.Marshal(u); !errors.Is(err, rtimpl.ErrTooDeep) {
		t.Fatalf("Marshal of a cycle through a merged anyOf: %v, want a *DepthError", err)
	}
	// Not a cycle: the merge writes both variants' members.
	b, err := rtimpl.Marshal(&cycAny{A: &cycObj{}, B: &cycNum{X: 1}})
	if err != nil || string(b) != `{"next":null,"x":1}` {
		t.Fatalf("merged anyOf: %s, %v", b, err)
	}
}
