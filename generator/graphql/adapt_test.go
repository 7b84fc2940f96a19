package graphql

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// TestAdaptEdgeCases generates small connectors whose names or types push
// adapt's rules (issue 14) and checks the Go it chose, then builds and vets
// them all as a consumer would.
func TestAdaptEdgeCases(t *testing.T) {
	cases := []struct {
		name, schema, ops string
		want              map[string][]string // file -> regexps that must match
	}{{
		name: "inputcycle",
		// A cycle through a non-null field and a nullable one: the nullable
		// side is held by pointer; a nullable self-reference too; a list
		// needs no pointer; a non-null field with a default is an Opt.
		schema: `type Query { find(a: A, n: Int): Int }
input A { b: B! self: A many: [A!] limit: Int! = 5 }
input B { a: A note: String }`,
		ops: `query Find($a: A, $n: Int! = 3) { find(a: $a, n: $n) }`,
		want: map[string][]string{
			"operations.go": {`B\s+B\s+` + "`json:\"b\"`", `Self\s+runtime\.Nullable\[\*A\]`, `Many\s+runtime\.Nullable\[\[\]A\]`,
				`Limit\s+runtime\.Opt\[int\]`, `A\s+runtime\.Nullable\[\*A\]`, `Note\s+runtime\.Nullable\[string\]`},
			"client.go": {`A runtime\.Nullable\[A\] ` + "`json:\"a,omitzero\"`", `N runtime\.Opt\[int\] ` + "`json:\"n,omitzero\"`"},
		},
	}, {
		name: "unknownname",
		// genqlient already declares PetUnknown for the implementation
		// named Unknown: the fallback variant gets "_".
		schema: `type Query { pet: Pet }
interface Pet { name: String! }
type Dog implements Pet { name: String! barks: Boolean! }
type Unknown implements Pet { name: String! }`,
		ops: `query Pet { pet { name ... on Dog { barks } } }`,
		want: map[string][]string{
			"operations.go": {`type PetPetUnknown struct`},
			"types.go":      {`type PetPetUnknown_ struct`, `func __decodeUnknownPetPet\(b \[\]byte, v \*PetPet\) error`},
		},
	}, {
		name: "enumnumbers",
		// A numbered name a later value would take naturally is taken by
		// then: numbering goes on with an underscore.
		schema: `type Query { e(v: E): E }
enum E { A a A2 }`,
		ops: `query Get($v: E) { e(v: $v) }`,
		want: map[string][]string{
			"operations.go": {`EA\s+E = "A"`, `EA2\s+E = "a"`, `EA2_2\s+E = "A2"`},
		},
	}}
	mod := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, diags := Generate(context.Background(), Config{Schema: Source{Name: "schema.graphql", Text: []byte(tc.schema)},
				Operations: []Source{{Name: "ops.graphql", Text: []byte(tc.ops)}}, Package: tc.name, Version: "t"})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for file, res := range tc.want {
				for _, re := range res {
					if !regexp.MustCompile(re).Match(out[file]) {
						t.Errorf("%s does not match %s:\n%s", file, re, out[file])
					}
				}
			}
			writeTree(t, filepath.Join(mod, tc.name), out)
		})
	}
	if testing.Short() {
		return
	}
	if err := gobuild.WriteModule(mod, "graphqladapt.test"); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.BuildAndVet(context.Background(), mod); err != nil {
		t.Fatal(err)
	}
}
