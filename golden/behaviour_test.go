package golden

import (
	"encoding/json"
	"testing"

	types "github.com/connectorgen/connectorgen/golden/types/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// These tests exercise generated code (the golden "types" case) on the
// wire: what the representation choices promise must hold in JSON.

func roundTrip[T any](t *testing.T, in string) (T, string) {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatalf("decode %s: %v", in, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return v, string(out)
}

func sameJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestOneOfDiscriminator(t *testing.T) {
	pet, out := roundTrip[types.Pet](t, `{"petType":"Cat","meows":true}`)
	if pet.Cat == nil || !pet.Cat.Meows || pet.Dog != nil {
		t.Fatalf("decoded %+v", pet)
	}
	sameJSON(t, out, `{"petType":"Cat","meows":true}`)
	// Built in Go without the discriminator: encoding sets it.
	b, _ := json.Marshal(types.Pet{Cat: &types.Cat{Meows: true}})
	sameJSON(t, string(b), `{"petType":"Cat","meows":true}`)
	// An unknown variant is kept, not lost.
	pet, out = roundTrip[types.Pet](t, `{"petType":"Parrot","talks":true}`)
	if pet.Raw == nil || pet.Value() == nil {
		t.Fatalf("unknown variant not kept: %+v", pet)
	}
	sameJSON(t, out, `{"petType":"Parrot","talks":true}`)
}

func TestAnyOfKeepsEveryMatchingVariant(t *testing.T) {
	in := `{"name":"n","created_at":"2024-01-02T03:04:05Z"}`
	v, out := roundTrip[types.AnyOfTwo](t, in)
	if v.Named == nil || v.Timestamps == nil || v.Named.Name != "n" {
		t.Fatalf("want both variants set, got %+v", v)
	}
	sameJSON(t, out, in)
}

func TestOneOfByJSONType(t *testing.T) {
	s, _ := roundTrip[types.StringOrObject](t, `"plain"`)
	if s.String == nil || *s.String != "plain" {
		t.Errorf("string variant: %+v", s)
	}
	o, _ := roundTrip[types.StringOrObject](t, `{"name":"x"}`)
	if o.Named == nil || o.Named.Name != "x" {
		t.Errorf("object variant: %+v", o)
	}
}

func TestOpenEnumRoundTrips(t *testing.T) {
	type wrap struct {
		S types.Status `json:"s"`
	}
	v, out := roundTrip[wrap](t, `{"s":"paused"}`)
	if v.S != "paused" {
		t.Errorf("unknown enum value became %q", v.S)
	}
	sameJSON(t, out, `{"s":"paused"}`)
}

func TestOptionalAndNullableStayApart(t *testing.T) {
	b, _ := json.Marshal(types.Presence{Req: "a"})
	sameJSON(t, string(b), `{"req":"a","req_nullable":null}`)
	b, _ = json.Marshal(types.Presence{Req: "a", ReqNullable: runtime.NewNullable("x"),
		Opt: runtime.Some("o"), OptNullable: runtime.NullValue[string]()})
	sameJSON(t, string(b), `{"req":"a","req_nullable":"x","opt":"o","opt_nullable":null}`)
	p, _ := roundTrip[types.Presence](t, `{"req":"a","req_nullable":null,"opt_nullable":null}`)
	if !p.OptNullable.Null || p.Opt.Set || !p.ReqNullable.Null {
		t.Errorf("absent/null lost: %+v", p)
	}
	p, _ = roundTrip[types.Presence](t, `{"req":"a","req_nullable":"v"}`)
	if p.OptNullable.Set || p.ReqNullable.Value != "v" {
		t.Errorf("absent read as set: %+v", p)
	}
	// A nullable array keeps an explicit null apart from absence and from
	// an empty array (a PATCH that clears a list sends null).
	for _, in := range []string{
		`{"req":"a","req_nullable":null,"opt_array_nullable":null}`,
		`{"req":"a","req_nullable":null,"opt_array_nullable":[]}`,
		`{"req":"a","req_nullable":null,"opt_array_nullable":["x"]}`,
		`{"req":"a","req_nullable":null}`,
	} {
		_, out := roundTrip[types.Presence](t, in)
		sameJSON(t, out, in)
	}
}

func TestAdditionalPropertiesKept(t *testing.T) {
	in := `{"kind":"k","x":1.5,"y":2}`
	v, out := roundTrip[types.PropsAndMap](t, in)
	if v.Kind != "k" || v.AdditionalProperties["x"] != 1.5 || len(v.AdditionalProperties) != 2 {
		t.Fatalf("decoded %+v", v)
	}
	sameJSON(t, out, in)
}

func TestRecursiveTypes(t *testing.T) {
	in := `{"value":"root","children":[{"value":"a"}],"parent":{"value":"up"}}`
	v, out := roundTrip[types.Node](t, in)
	if len(v.Children) != 1 || v.Parent == nil || v.Parent.Value != "up" {
		t.Fatalf("decoded %+v", v)
	}
	sameJSON(t, out, in)
}

func TestGoTypeMapping(t *testing.T) {
	in := `{"amount":12.345678901234567890123,"price":"1.5"}`
	v, out := roundTrip[types.Priced](t, in)
	if v.Amount.String() != "12.345678901234567890123" {
		t.Errorf("json.Number lost digits: %s", v.Amount)
	}
	if f, _ := v.Price.Value.Float64(); f != 1.5 {
		t.Errorf("big.Float price = %v", f)
	}
	if out != `{"amount":12.345678901234567890123,"price":"1.5"}` {
		t.Errorf("re-encoded as %s", out)
	}
}

// TestUndeclaredMembersKept: a schema that does not forbid other members
// keeps them, so a value from a newer server survives a read-modify-write.
func TestUndeclaredMembersKept(t *testing.T) {
	in := `{"name":"x","added_later":{"a":[1,2]},"flag":true}`
	v, out := roundTrip[types.Named](t, in)
	if v.Name != "x" || string(v.AdditionalProperties["added_later"]) != `{"a":[1,2]}` {
		t.Fatalf("decoded %+v", v)
	}
	sameJSON(t, out, in)
}
