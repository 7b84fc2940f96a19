package generator_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/naming"
)

// nestedSpec nests an inline object schema levels deep under the response
// schema of one operation, as one line of JSON.
func nestedSpec(levels int) string {
	return `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok",` +
		`"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Deep"}}}}}}}},"components":{"schemas":{"Deep":` +
		strings.Repeat(`{"type":"object","properties":{"child":`, levels) + `{"type":"string"}` +
		strings.Repeat(`}}`, levels) + `}}}`
}

var typeDecl = regexp.MustCompile(`(?m)^type (\w+) `)

// Schemas nested hundreds deep: derived names stop growing at
// naming.MaxDerivedName (cut with a hash suffix, distinct, each cut
// warned about once at its schema), and the output grows linearly with
// the nesting, not with its square (names and doc pointers of every level
// no longer repeat all their ancestors').
func TestDeepNesting(t *testing.T) {
	size := map[int]int{}
	for _, levels := range []int{100, 200, 400, 800} {
		spec := nestedSpec(levels)
		res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "deep.json", Spec: []byte(spec), Package: "p", Version: "t"})
		if err != nil {
			t.Fatalf("%d levels: %v", levels, err)
		}
		seen := map[string]bool{}
		longest := 0
		for _, f := range res.Files {
			size[levels] += len(f.Content)
			for _, m := range typeDecl.FindAllSubmatch(f.Content, -1) {
				name := string(m[1])
				if seen[name] {
					t.Errorf("%d levels: type %s declared twice", levels, name)
				}
				seen[name] = true
				longest = max(longest, len(name))
			}
		}
		if longest > naming.MaxDerivedName {
			t.Errorf("%d levels: a type name has %d characters, more than %d", levels, longest, naming.MaxDerivedName)
		}
		// The objects are Deep and DeepChild…Child with 1 to levels-1
		// Childs; 39 fit in 200 characters, so 40 to levels-1 are cut.
		if want := max(levels-40, 0); len(res.Diagnostics) != want {
			t.Errorf("%d levels: %d diagnostics, want %d warnings", levels, len(res.Diagnostics), want)
		}
		for _, d := range res.Diagnostics {
			if !strings.Contains(d.Message, "cut to 200") || d.Pos.Line != 1 || d.Pos.Col == 0 || len(d.String()) > 600 {
				t.Errorf("%d levels: %.700s", levels, d)
				break
			}
		}
		t.Logf("%d levels: %d bytes of output, %d types", levels, size[levels], len(seen))
	}
	for _, n := range []int{400, 800} {
		if r := float64(size[n]) / float64(size[n/2]); r > 2.2 {
			t.Errorf("output for %d levels is %.2f times that for %d: not linear", n, r, n/2)
		}
	}
}

// A cut name does not depend on anything but the spec: two generations
// give the same names.
func TestDeepNestingDeterministic(t *testing.T) {
	spec := []byte(nestedSpec(60))
	var outs [2]string
	for i := range outs {
		res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "deep.json", Spec: spec, Package: "p", Version: "t"})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			outs[i] += string(f.Content)
		}
	}
	if outs[0] != outs[1] {
		t.Fatal("two generations differ")
	}
}
