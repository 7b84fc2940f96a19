package rtimpl

import (
	"encoding/json"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

// item and list mimic generated structs whose schemas do not forbid
// undeclared members: each keeps them in AdditionalProperties.
type item struct {
	ID                   string                     `json:"id"`
	Tags                 []string                   `json:"tags,omitzero"`
	AdditionalProperties map[string]json.RawMessage `json:"-"`
}

func (v item) MarshalJSON() ([]byte, error) {
	type plain item
	return MarshalWithExtra(plain(v), v.AdditionalProperties)
}

func (v *item) UnmarshalJSON(data []byte) error {
	type plain item
	return UnmarshalWithExtra(data, (*plain)(v), &v.AdditionalProperties)
}

type list struct {
	Data                 []item                     `json:"data"`
	AdditionalProperties map[string]json.RawMessage `json:"-"`
}

func (v *list) UnmarshalJSON(data []byte) error {
	type plain list
	return UnmarshalWithExtra(data, (*plain)(v), &v.AdditionalProperties)
}

// plainItem and plainList are the same shapes without the map: what
// undeclared_members: drop generates.
// itemV4 is item as API version 4 generates it: tagged jsonextra, coded by
// the runtime from its fields.
type itemV4 struct {
	ID                   string                     `json:"id"`
	Tags                 []string                   `json:"tags,omitzero"`
	AdditionalProperties map[string]json.RawMessage `json:"-" jsonextra:""`
}

func (v itemV4) MarshalJSON() ([]byte, error) { return Marshal(&v) }

func (v *itemV4) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }

type plainItem struct {
	ID   string   `json:"id"`
	Tags []string `json:"tags,omitzero"`
}

type plainList struct {
	Data []plainItem `json:"data"`
}

func TestUndeclaredMembersSurvive(t *testing.T) {
	in := `{"data":[{"id":"a","tags":["x"],"new_field":{"n":1}},{"id":"b"}],"has_more":true}`
	var l list
	if err := json.Unmarshal([]byte(in), &l); err != nil {
		t.Fatal(err)
	}
	if string(l.AdditionalProperties["has_more"]) != "true" || string(l.Data[0].AdditionalProperties["new_field"]) != `{"n":1}` ||
		l.Data[1].AdditionalProperties != nil {
		t.Fatalf("decoded %+v", l)
	}
	out, err := json.Marshal(l.Data[0])
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"id":"a","tags":["x"],"new_field":{"n":1}}` {
		t.Errorf("encoded %s", out)
	}
	// A malformed declared member is an error, not a silent fallback.
	if err := json.Unmarshal([]byte(`{"data":[{"id":1}]}`), &l); err == nil {
		t.Error("a number for a string member decoded without error")
	}
}

var benchDoc = func() []byte {
	var items []map[string]any
	for range 20 {
		items = append(items, map[string]any{"id": "cus_123", "tags": []string{"a", "b"}})
	}
	b, _ := json.Marshal(map[string]any{"data": items})
	return b
}()

// BenchmarkDecodeUndeclaredKept and BenchmarkDecodeUndeclaredDropped
// compare undeclared_members: keep and drop on a list without undeclared
// members (the common case, served by UnmarshalWithExtra's fast path).
func BenchmarkDecodeUndeclaredKept(b *testing.B) {
	for b.Loop() {
		var v list
		if err := json.Unmarshal(benchDoc, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeUndeclaredDropped(b *testing.B) {
	for b.Loop() {
		var v plainList
		if err := json.Unmarshal(benchDoc, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// named mimics a generated struct with members encoding/json cannot name
// by tag: they are held in fields tagged jsonname.
type named struct {
	Empty string             `json:"-" jsonname:""`
	Comma runtime.Opt[int]   `json:"-" jsonname:"a,b" jsonopt:"omitzero"`
	Quote *string            `json:"-" jsonname:"x\"y" jsonopt:"omitzero"`
	Plain runtime.Opt[bool]  `json:"ok,omitzero"`
	Skip  runtime.Opt[[]int] `json:"-" jsonname:"-" jsonopt:"omitzero"`
}

func (v named) MarshalJSON() ([]byte, error) {
	type plain named
	return MarshalNamed(plain(v))
}

func (v *named) UnmarshalJSON(data []byte) error {
	type plain named
	return UnmarshalNamed(data, (*plain)(v))
}

func TestNamedMembers(t *testing.T) {
	in := `{"ok":true,"":"e","a,b":2,"x\"y":"q","-":[1],"other":0}`
	var v named
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.Empty != "e" || v.Comma != runtime.Some(2) || v.Quote == nil || *v.Quote != "q" || !v.Plain.Value || len(v.Skip.Value) != 1 {
		t.Fatalf("decoded %+v", v)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ok":true,"":"e","a,b":2,"x\"y":"q","-":[1]}`; string(out) != want {
		t.Errorf("encoded %s, want %s", out, want)
	}
	// Zero: the required member is sent, the omitzero ones are not.
	if out, _ := json.Marshal(named{}); string(out) != `{"":""}` {
		t.Errorf("zero encoded %s", out)
	}
	// With AdditionalProperties: a named member is declared, not extra.
	var extra map[string]json.RawMessage
	var p named
	type plain named
	if err := UnmarshalWithExtra([]byte(in), (*plain)(&p), &extra); err != nil || len(extra) != 1 || extra["other"] == nil {
		t.Fatalf("extra %v, %v", extra, err)
	}
	out, err = MarshalWithExtra(plain(p), map[string]int{"a,b": 9, "z": 1})
	if want := `{"ok":true,"":"e","a,b":2,"x\"y":"q","-":[1],"z":1}`; err != nil || string(out) != want {
		t.Errorf("encoded %s, %v; want %s", out, err, want)
	}
}

// A member whose name differs from a declared one only in case is decoded
// by encoding/json into the declared field; it is not kept as extra too,
// which made a round trip flip the field's value ({"ID":"b","id":"a"}
// encoded as {"id":"a","ID":"b"}, decoding back as "b"). An extra entry
// of such a name is not written either.
func TestUndeclaredMembersCaseVariants(t *testing.T) {
	var v item
	if err := json.Unmarshal([]byte(`{"ID":"b","id":"a","x":1}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.ID != "a" || len(v.AdditionalProperties) != 1 || string(v.AdditionalProperties["x"]) != "1" {
		t.Fatalf("decoded %+v", v)
	}
	v.AdditionalProperties["Id"] = json.RawMessage(`"c"`)
	v.AdditionalProperties["\u212Ad"] = json.RawMessage(`"k"`) // KELVIN SIGN folds to k, not i: kept
	out, err := json.Marshal(v)
	if err != nil || string(out) != "{\"id\":\"a\",\"x\":1,\"\u212Ad\":\"k\"}" {
		t.Errorf("encoded %s, %v", out, err)
	}
}
