package golden

import (
	"encoding/json"
	"testing"

	unioncycle "github.com/connectorgen/connectorgen/golden/union-cycle/want"
)

// TestUnionCyclesTerminate: unions that contain themselves through union
// variants only (OO = oneOf [OO, string]; A = oneOf [B, string] with B =
// anyOf [A, integer]; C → D (an alias of E) → E → C; a discriminator
// mapping a value to its own union) decode every JSON value to a value or
// an error. Before, each decoder called itself on the same input until
// the goroutine stack overflowed, a fatal error no recover stops.
func TestUnionCyclesTerminate(t *testing.T) {
	inputs := []string{`"x"`, `1`, `1.5`, `true`, `null`, `{}`, `[]`, `[1,[true,"s"]]`, `{"kind":"pet"}`,
		`{"kind":"cat","meows":true}`, `{"a":1}`, `"`, ``, `[`}
	targets := map[string]func() any{
		"OO": func() any { return new(unioncycle.Oo) }, "A": func() any { return new(unioncycle.A) },
		"B": func() any { return new(unioncycle.B) }, "C": func() any { return new(unioncycle.C) },
		"D": func() any { return new(unioncycle.D) }, "Pet": func() any { return new(unioncycle.Pet) },
		"Tree": func() any { return new(unioncycle.Tree) }, "Holder": func() any { return new(unioncycle.Holder) },
	}
	for name, newT := range targets {
		for _, in := range inputs {
			v := newT()
			if err := json.Unmarshal([]byte(in), v); err != nil {
				continue // an error is an answer too
			}
			if _, err := json.Marshal(v); err != nil {
				t.Errorf("%s from %s: decoded, but does not encode: %v", name, in, err)
			}
		}
	}

	// The values each union accepted before still land in a variant.
	var a unioncycle.A
	if err := json.Unmarshal([]byte(`5`), &a); err != nil || a.Int == nil || *a.Int != 5 {
		t.Errorf("A from 5 (an integer through B): %+v, %v", a, err)
	}
	var b unioncycle.B
	if err := json.Unmarshal([]byte(`"s"`), &b); err != nil || b.A == nil || b.A.String == nil || *b.A.String != "s" {
		t.Errorf(`B from "s" (a string through A): %+v, %v`, b, err)
	}
	var c unioncycle.C
	if err := json.Unmarshal([]byte(`[true,2]`), &c); err != nil || c.Array == nil || len(*c.Array) != 2 ||
		(*c.Array)[0].Bool == nil || (*c.Array)[1].Float == nil {
		t.Errorf("C from [true,2]: %+v, %v", c, err)
	}
	_, out := roundTrip[unioncycle.C](t, `[true,2,[false]]`)
	sameJSON(t, out, `[true,2,[false]]`)
	var e unioncycle.D
	if err := json.Unmarshal([]byte(`false`), &e); err != nil || e.C == nil || e.C.Bool == nil || *e.C.Bool {
		t.Errorf("D from false (a boolean through C): %+v, %v", e, err)
	}
	var p unioncycle.Pet
	if err := json.Unmarshal([]byte(`{"kind":"pet"}`), &p); err != nil || p.Raw == nil {
		t.Errorf(`Pet from {"kind":"pet"}: kept raw, got %+v, %v`, p, err)
	}
	pet, out := roundTrip[unioncycle.Pet](t, `{"kind":"cat","meows":true}`)
	if pet.Cat == nil || !pet.Cat.Meows.Value {
		t.Errorf("Pet from a cat: %+v", pet)
	}
	sameJSON(t, out, `{"kind":"cat","meows":true}`)
}
