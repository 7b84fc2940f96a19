package runtime_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

type owner struct {
	Name  string              `json:"name"`
	Email runtime.Opt[string] `json:"email,omitzero"`
}

type pet struct {
	Name     string                      `json:"name"`
	Tag      runtime.Opt[string]         `json:"tag,omitzero"`
	Owner    runtime.Nullable[owner]     `json:"owner,omitzero"`
	Age      runtime.Opt[int]            `json:"age"`     // optional without omitzero
	Deleted  runtime.Nullable[bool]      `json:"deleted"` // required nullable
	Scores   []runtime.Opt[int]          `json:"scores,omitzero"`
	Nicks    []runtime.Nullable[string]  `json:"nicks,omitzero"`
	Metadata runtime.Opt[map[string]any] `json:"metadata,omitzero"`
}

func TestOptNullableJSONRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   pet
		want string
	}{
		{
			name: "absent",
			in:   pet{Name: "rex"},
			want: `{"name":"rex","age":null,"deleted":null}`,
		},
		{
			name: "values",
			in: pet{
				Name: "rex", Tag: runtime.Some("dog"), Age: runtime.Some(0),
				Owner:   runtime.NewNullable(owner{Name: "ann", Email: runtime.Some("a@x")}),
				Deleted: runtime.NewNullable(false),
				Scores:  []runtime.Opt[int]{runtime.Some(1), {}, runtime.Some(3)},
				Nicks:   []runtime.Nullable[string]{runtime.NewNullable("r"), runtime.NullValue[string]()},
			},
			want: `{"name":"rex","tag":"dog","owner":{"name":"ann","email":"a@x"},"age":0,"deleted":false,"scores":[1,null,3],"nicks":["r",null]}`,
		},
		{
			name: "nulls",
			in:   pet{Name: "rex", Owner: runtime.NullValue[owner](), Deleted: runtime.NullValue[bool]()},
			want: `{"name":"rex","owner":null,"age":null,"deleted":null}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := rtimpl.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Fatalf("marshal:\n got %s\nwant %s", b, tc.want)
			}
			var back pet
			if err := rtimpl.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			// A null sent for a plain Opt decodes as absent, and a required
			// nullable that was absent comes back as null; everything else
			// round-trips exactly.
			want := tc.in
			if !want.Deleted.Set {
				want.Deleted = runtime.NullValue[bool]()
			}
			if !reflect.DeepEqual(back, want) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", back, want)
			}
		})
	}
}

func TestOptDecodeStates(t *testing.T) {
	var p pet
	if err := rtimpl.Unmarshal([]byte(`{"name":"x","tag":null,"owner":null,"metadata":{"k":1}}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Tag.Set {
		t.Errorf("null for Opt: want absent, got %+v", p.Tag)
	}
	if !p.Owner.Set || !p.Owner.Null {
		t.Errorf("null for Nullable: want Set+Null, got %+v", p.Owner)
	}
	if p.Age.Set || p.Deleted.Set {
		t.Errorf("missing fields: want absent, got age=%+v deleted=%+v", p.Age, p.Deleted)
	}
	if m := p.Metadata.Value; !p.Metadata.Set || m["k"] != float64(1) {
		t.Errorf("metadata = %+v", p.Metadata)
	}
	var bad pet
	if err := rtimpl.Unmarshal([]byte(`{"age":"old"}`), &bad); err == nil {
		t.Error("want error decoding a string into Opt[int]")
	}
	var n runtime.Nullable[int]
	if err := rtimpl.Unmarshal([]byte(`true`), &n); err == nil {
		t.Error("want error decoding a bool into Nullable[int]")
	}
}

// TestOptNullableHaveNoMethods pins the reason they are plain data: every
// method of a generic type is compiled once per type argument, and a large
// connector has thousands of them (docs/design.md, "Compile cost").
func TestOptNullableHaveNoMethods(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[runtime.Opt[string]](), reflect.TypeFor[*runtime.Opt[string]](),
		reflect.TypeFor[runtime.Nullable[int]](), reflect.TypeFor[*runtime.Nullable[int]](),
	} {
		if n := typ.NumMethod(); n != 0 {
			t.Errorf("%v has %d methods, want none", typ, n)
		}
	}
}

// htmlBody holds <, > and & in every wrapper a generated body uses.
type htmlBody struct {
	Title  runtime.Opt[string]                 `json:"title,omitzero"`
	Note   runtime.Nullable[string]            `json:"note,omitzero"`
	Tags   []runtime.Opt[string]               `json:"tags,omitzero"`
	Inner  runtime.Opt[htmlInner]              `json:"inner,omitzero"`
	Extras runtime.Nullable[map[string]string] `json:"extras,omitzero"`
}

type htmlInner struct {
	Name runtime.Nullable[string] `json:"name"`
}

// Opt and Nullable do not escape HTML characters, so a request body goes
// out as SetJSONBody documents (<, >, & literal) however deep they sit;
// (encoding/json, the caller's choice for their own types, escapes them.)
func TestJSONBodyKeepsHTMLInOptNullable(t *testing.T) {
	const s = "<a href=\"x?y=1&z=2\">Tom & Jerry</a>"
	body := htmlBody{
		Title:  runtime.Some(s),
		Note:   runtime.NewNullable(s),
		Tags:   []runtime.Opt[string]{runtime.Some("<b>"), runtime.Some("&")},
		Inner:  runtime.Some(htmlInner{Name: runtime.NewNullable(">")}),
		Extras: runtime.NewNullable(map[string]string{"<k>": "&v"}),
	}
	const want = `{"title":"<a href=\"x?y=1&z=2\">Tom & Jerry</a>","note":"<a href=\"x?y=1&z=2\">Tom & Jerry</a>",` +
		`"tags":["<b>","&"],"inner":{"name":">"},"extras":{"<k>":"&v"}}`

	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	for _, ct := range []string{"application/json", "application/merge-patch+json"} {
		r := runtime.NewRequest(&runtime.Operation{ID: "put", Method: "PUT", Path: "/x"}, "/x")
		rtimpl.SetJSONBodyAs(r, ct, body)
		do(t, c, r)
		if got := srv.last(t); got.Body != want || got.Header.Get("Content-Type") != ct {
			t.Errorf("%s: sent %s\n want %s", ct, got.Body, want)
		}
	}

	// The helpers generated MarshalJSON methods call, likewise.
	extra, err := rtimpl.MarshalWithExtra(htmlInner{Name: runtime.NewNullable("<n>")}, map[string]string{"x&y": "<v>"})
	if err != nil || string(extra) != `{"name":"<n>","x&y":"<v>"}` {
		t.Errorf("MarshalWithExtra = %s, %v", extra, err)
	}
	variant, err := rtimpl.MarshalVariant(htmlInner{Name: runtime.NewNullable("<n>")}, "kind", "a&b")
	if err != nil || string(variant) != `{"kind":"a&b","name":"<n>"}` {
		t.Errorf("MarshalVariant = %s, %v", variant, err)
	}
	merged, err := rtimpl.MergeObjects(&htmlInner{Name: runtime.NewNullable("<n>")}, &map[string]string{"&": ">"})
	if err != nil || string(merged) != `{"&":">","name":"<n>"}` {
		t.Errorf("MergeObjects = %s, %v", merged, err)
	}
}

// optObject is what generated code of API version 5 declares for an object
// with optional members: encoding/json reaches the runtime through its
// methods, and the runtime codes it from its fields without calling them
// again (an Opt field makes it runtime-coded).
type optObject struct {
	Name runtime.Opt[string]       `json:"name,omitzero"`
	Next *optObject                `json:"next,omitzero"`
	Note runtime.Nullable[float64] `json:"note,omitzero"`
}

func (v optObject) MarshalJSON() ([]byte, error)     { return rtimpl.Marshal(&v) }
func (v *optObject) UnmarshalJSON(data []byte) error { return rtimpl.Unmarshal(data, v) }

func TestOptObjectThroughEncodingJSON(t *testing.T) {
	in := optObject{Name: runtime.Some("a"), Next: &optObject{Note: runtime.NullValue[float64]()}}
	const want = `{"name":"a","next":{"note":null}}`
	b, err := json.Marshal(in)
	if err != nil || string(b) != want {
		t.Fatalf("json.Marshal = %s, %v; want %s", b, err, want)
	}
	var back optObject
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Fatalf("json.Unmarshal = %+v, %v", back, err)
	}
}
