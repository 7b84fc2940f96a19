package rtimpl

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/runtime"
)

// Native fuzz targets for the codec's and parameters' parsers of server
// input; see runtime/fuzz_test.go. Crashers found are kept as regression
// seeds in testdata/fuzz/<target>/.

// FuzzUnionHelpers drives the helpers generated union decoders use:
// KindOf agrees with encoding/json on valid JSON, DiscriminatorValue and
// HasMembers agree with a plain decode, and DecodeStrict accepts only what
// a lenient decode accepts, with the same result.
func FuzzUnionHelpers(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"a","n":1}`, `{"kind":"b","tags":["x"]}`, `{"kind":"b","tags":["x"],"more":true}`,
		` [1,2]`, `"s"`, `true`, `null`, `-0.5e3`, `{"kind":1}`, `{"kind":"a"} {}`, `{"KIND":"a"}`, ``,
	} {
		f.Add([]byte(seed), "kind")
	}
	f.Fuzz(func(t *testing.T, data []byte, prop string) {
		if json.Valid(data) {
			// UseNumber: a number beyond float64's range is still a number.
			var v any
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("json.Valid input does not decode: %v", err)
			}
			want := map[reflect.Kind]JSONKind{reflect.Map: JSONObject, reflect.Slice: JSONArray,
				reflect.String: JSONString, reflect.Bool: JSONBool}[reflect.ValueOf(v).Kind()]
			switch v.(type) {
			case nil:
				want = JSONNull
			case json.Number:
				want = JSONNumber
			}
			if got := KindOf(data); got != want {
				t.Fatalf("KindOf = %v, want %v", got, want)
			}
		}
		var obj map[string]json.RawMessage
		isObj := json.Unmarshal(data, &obj) == nil && obj != nil
		var want string
		if isObj {
			_ = json.Unmarshal(obj[prop], &want)
		}
		if got := DiscriminatorValue(data, prop); got != want {
			t.Fatalf("DiscriminatorValue = %q, want %q", got, want)
		}
		_, has := obj[prop]
		if got := HasMembers(data, prop); got != (isObj && has) {
			t.Fatalf("HasMembers = %v, object %v, has %v", got, isObj, has)
		}
		for _, mk := range []func() any{func() any { return new(unionA) }, func() any { return new(unionB) }} {
			strict, lenient := mk(), mk()
			if DecodeStrict(data, strict) != nil {
				continue
			}
			if err := DecodeLenient(data, lenient); err != nil {
				t.Fatalf("strict accepted what lenient refuses: %v", err)
			}
			if !reflect.DeepEqual(strict, lenient) {
				t.Fatalf("strict %+v, lenient %+v", strict, lenient)
			}
		}
	})
}

// FuzzUnmarshalWithExtra decodes objects with undeclared members: it
// succeeds exactly when a plain decode does, agrees with it on declared
// members, keeps no declared member as extra, and encoding is stable after
// one decode (decode, encode, decode, encode gives the same bytes).
func FuzzUnmarshalWithExtra(f *testing.F) {
	for _, seed := range []string{
		`{"id":"a","tags":["x"],"new_field":{"n":1}}`, `{"id":"b"}`, `{"id":"c","id":"d","x":1,"x":2}`,
		`{"ID":"a","x":1}`, `{"id":"a","ID":"b","z":null}`, `{"tags":null,"\u0069d":"e"}`, `[]`, `null`, `{"id":1,"x":2}`,
		`{"data":[{"id":"a","tags":["x"],"new_field":{"n":1}},{"id":"b"}],"has_more":true}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got item
		err := json.Unmarshal(data, &got)
		var plain plainItem
		if perr := json.Unmarshal(data, &plain); (err == nil) != (perr == nil) {
			t.Fatalf("UnmarshalWithExtra: %v; plain decode: %v", err, perr)
		}
		var got4 itemV4
		if err4 := json.Unmarshal(data, &got4); (err == nil) != (err4 == nil) {
			t.Fatalf("API version 3 object: %v; version 4: %v", err, err4)
		}
		if err != nil {
			return
		}
		if got.ID != got4.ID || !reflect.DeepEqual(got.Tags, got4.Tags) || !reflect.DeepEqual(got.AdditionalProperties, got4.AdditionalProperties) {
			t.Fatalf("API version 3 object: %+v; version 4: %+v", got, got4)
		}
		if a, b := mustMarshal(t, got), mustMarshal(t, got4); !bytes.Equal(a, b) {
			t.Fatalf("API version 3 object encodes as %s; version 4 as %s", a, b)
		}
		if got.ID != plain.ID || !reflect.DeepEqual(got.Tags, plain.Tags) {
			t.Fatalf("declared members %q %q, plain %q %q", got.ID, got.Tags, plain.ID, plain.Tags)
		}
		for k := range got.AdditionalProperties {
			if k == "id" || k == "tags" {
				t.Fatalf("declared member %q kept as extra", k)
			}
		}
		once, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var back item
		if err := json.Unmarshal(once, &back); err != nil {
			t.Fatalf("%s does not decode: %v", once, err)
		}
		twice, err := json.Marshal(back)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("unstable: %s then %s (%v)", once, twice, err)
		}
	})
}

// FuzzDecodeHeader decodes one response header value into every type a
// generated response header may have: no panic, and integers and floats
// that decode print back to a value that decodes the same.
func FuzzDecodeHeader(f *testing.F) {
	for _, seed := range []string{"42", " -7 ", "9223372036854775808", "1.5e300", "NaN", "true", "a, b ,c",
		"2026-03-01T12:00:00Z", "Sun, 01 Mar 2026 12:00:30 GMT", `{"a":1}`, "2024-02-29", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\x00") {
			return // not a header value net/http delivers
		}
		h := http.Header{"X-V": {v}}
		var (
			s   string
			b   bool
			i   int64
			i32 int32
			fl  float64
			tm  time.Time
			ss  []string
			d   runtime.Date
			o   runtime.Opt[int64]
			m   map[string]any
		)
		for _, dst := range []any{&s, &b, &i, &i32, &fl, &tm, &ss, &d, &o, &m} {
			_ = DecodeHeader(h, "X-V", dst)
		}
		if s != v {
			t.Fatalf("string %q, want %q", s, v)
		}
		var again int64
		if DecodeHeader(h, "X-V", &again) == nil {
			h2 := http.Header{"X-V": {strconv.FormatInt(again, 10)}}
			var back int64
			if err := DecodeHeader(h2, "X-V", &back); err != nil || back != again {
				t.Fatalf("int64 %d decodes back as %d, %v", again, back, err)
			}
		}
		var f64 float64
		if DecodeHeader(h, "X-V", &f64) == nil && !math.IsNaN(f64) {
			h2 := http.Header{"X-V": {strconv.FormatFloat(f64, 'g', -1, 64)}}
			var back float64
			if err := DecodeHeader(h2, "X-V", &back); err != nil || back != f64 {
				t.Fatalf("float64 %v decodes back as %v, %v", f64, back, err)
			}
		}
	})
}

// FuzzDecodeSyntax: the decoder's one pass accepts exactly the texts
// encoding/json accepts (it no longer runs json.Valid after its own
// split), with the same values, into an interface and into a struct of
// strings, numbers and nested values.
func FuzzDecodeSyntax(f *testing.F) {
	for _, seed := range []string{
		`{"a":"x\u00e9\n","b":[1,-0.5e+3,true,false,null],"c":{"d":"\ud83d\ude00"}}`, `"\x"`, `01`, `1.`, `-`, `1e`,
		`[1,]`, `{"a":1,}`, `nul`, `truex`, "\"\x01\"", `"\u12G4"`, ` [ ] `, `{"a" 1}`, `[1 2]`, `"\/"`, `1E+9`, `-0`,
	} {
		f.Add([]byte(seed))
	}
	type doc struct {
		A string         `json:"a"`
		B []any          `json:"b"`
		C map[string]any `json:"c"`
		N float64        `json:"n"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want any
		err := Unmarshal(data, &got)
		werr := json.Unmarshal(data, &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("runtime.Unmarshal: %v; encoding/json: %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("runtime.Unmarshal: %#v; encoding/json: %#v", got, want)
		}
		var gd, wd doc
		err = Unmarshal(data, &gd)
		werr = json.Unmarshal(data, &wd)
		if (err == nil) != (werr == nil) {
			t.Fatalf("into a struct: runtime.Unmarshal: %v; encoding/json: %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(gd, wd) {
			t.Fatalf("into a struct: runtime.Unmarshal: %#v; encoding/json: %#v", gd, wd)
		}
	})
}

// unionA and unionB are object variants as generated unions declare them.
type unionA struct {
	Kind string  `json:"kind"`
	N    float64 `json:"n"`
}

type unionB struct {
	Kind string   `json:"kind"`
	Tags []string `json:"tags,omitzero"`
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzNextLink: NextLink never panics, returns a target written between
// angle brackets in the input (or ""), and finds the target of a well-formed
// next link whatever precedes it.
func FuzzNextLink(f *testing.F) {
	for _, seed := range []string{`<https://x/?page=2>; rel="next"`, `<a>; rel=prev, <b>; rel="next last"`,
		`<a>; title="x, y; z"; rel=next`, `<`, `<>;`, `<a>; rel="`, `;;;,,,<<>>`, `<a>; t="\"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := NextLink(http.Header{"Link": {v}})
		if got != "" && !strings.Contains(v, "<"+got+">") {
			t.Fatalf("NextLink(%q) = %q, not a target of the input", v, got)
		}
		target := strings.Map(func(r rune) rune {
			if r == '>' || r == '<' {
				return -1
			}
			return r
		}, v)
		h := http.Header{"Link": {"<" + target + `>; rel="next"`}}
		if got := NextLink(h); got != target {
			t.Fatalf("NextLink of a next link to %q = %q", target, got)
		}
	})
}
