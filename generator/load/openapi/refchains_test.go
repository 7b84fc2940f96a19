package openapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
)

// chainSpec is a one-line JSON document whose only operation returns S0,
// where each of n components refers to the next: as the whole schema
// (link "alias": S0 = {$ref: S1}) or through a property ("property"); the
// last is an object. version is the openapi version; sibling, when not
// empty, is written next to each alias's $ref.
func chainSpec(n int, link, version, sibling string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"openapi":%q,"info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok",`+
		`"content":{"application/json":{"schema":{"$ref":"#/components/schemas/S0"}}}}}}}},"components":{"schemas":{`, version)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		switch {
		case i == n-1:
			fmt.Fprintf(&b, `"S%d":{"type":"object","properties":{"a":{"type":"string"}}}`, i)
		case link == "property":
			fmt.Fprintf(&b, `"S%d":{"type":"object","properties":{"next":{"$ref":"#/components/schemas/S%d"}}}`, i, i+1)
		default:
			fmt.Fprintf(&b, `"S%d":{%s"$ref":"#/components/schemas/S%d"}`, i, sibling, i+1)
		}
	}
	b.WriteString(`}}}`)
	return []byte(b.String())
}

// 20,000 components each only a $ref to the next load in linear time (they
// took minutes when kin-openapi re-walked the chain from each), and each
// stays an alias of the final object, as with a short chain.
func TestRefChainLoads(t *testing.T) {
	for _, version := range []string{"3.0.3", "3.1.0"} {
		api, diags := Load(context.Background(), "chain.json", chainSpec(20000, "alias", version, ""))
		if api == nil || len(diags) != 0 {
			t.Fatalf("%s: %v", version, diags)
		}
		types := map[string]*ir.Type{}
		for _, ty := range api.Types {
			types[ty.SpecName] = ty
		}
		for _, name := range []string{"S0", "S1", "S19998"} {
			if ty := types[name]; ty == nil || ty.Kind != ir.Alias || ty.Elem != types["S19999"] {
				t.Errorf("%s: %s is not an alias of S19999: %+v", version, name, ty)
			}
		}
	}
}

// In OpenAPI 3.0 the fields next to a $ref are ignored, so a chain of
// aliases with descriptions is collapsed too; in 3.1 they add to the
// target (kin-openapi merges them into a copy), so such a chain cannot be
// shortened and one longer than MaxAliasHops is a located error instead
// of a quadratic load.
func TestRefChainSiblings(t *testing.T) {
	sibling := `"description":"d",`
	if api, diags := Load(context.Background(), "chain.json", chainSpec(5000, "alias", "3.0.3", sibling)); api == nil || len(diags) != 0 {
		t.Fatalf("3.0: %v", diags)
	}
	if api, diags := Load(context.Background(), "chain.json", chainSpec(MaxAliasHops, "alias", "3.1.0", sibling)); api == nil || len(diags) != 0 {
		t.Fatalf("3.1, %d aliases: %v", MaxAliasHops, diags)
	}
	api, diags := Load(context.Background(), "chain.json", chainSpec(5000, "alias", "3.1.0", sibling))
	if api != nil || len(diags) != 1 {
		t.Fatalf("3.1, 5000 aliases: want one error, got %v", diags)
	}
	d := diags[0]
	// S4998 is the last alias; counting back, S(4999-65) is the 65th.
	if d.Severity != diag.Error || d.Pointer != "#/components/schemas/S4934" || d.Pos.Line != 1 || d.Pos.Col == 0 ||
		!strings.Contains(d.Message, "more than 64") {
		t.Errorf("got %s", d)
	}
}

// Components that are only $refs to each other in a cycle describe no
// value: schemas become free-form with one located warning, as do the
// aliases leading into the cycle; parameters in a cycle are an error.
func TestRefCycle(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/In"}
components:
  schemas:
    In: {$ref: "#/components/schemas/A"}
    A: {$ref: "#/components/schemas/B"}
    B: {$ref: "#/components/schemas/A"}
`
	api, diags := Load(context.Background(), "cycle.yaml", []byte(spec))
	if api == nil || len(diags) != 1 {
		t.Fatalf("want one warning, got %v", diags)
	}
	if got := diags[0].String(); !strings.Contains(got, "cycle.yaml:15:5: #/components/schemas/A: warning: $ref cycle: A → B → A") {
		t.Errorf("got %s", got)
	}
	for _, ty := range api.Types {
		if r := ty.Resolve(); r.Kind != ir.Any {
			t.Errorf("%s is %v, want free-form", ty.SpecName, r.Kind)
		}
	}
	params := strings.Replace(spec, "components:\n", `components:
  parameters:
    P: {$ref: "#/components/parameters/Q"}
    Q: {$ref: "#/components/parameters/P"}
`, 1)
	api, diags = Load(context.Background(), "cycle.yaml", []byte(params))
	if api != nil || !diags.HasErrors() {
		t.Fatalf("parameter cycle: want an error, got %v", diags)
	}
	// The schemas' cycle is still warned about.
	if got := fmt.Sprint(diags); len(diags) != 2 || diags[0].Severity != diag.Error ||
		!strings.Contains(got, "cycle.yaml:14:5: #/components/parameters/P: $ref cycle: P → Q → P") {
		t.Errorf("got %s", got)
	}
}

// Validation stays a warning located at the schema at fault, however
// deep: it validates each schema once (see validate).
func TestValidateNestedSchema(t *testing.T) {
	spec := strings.Replace(string(chainSpec(3, "property", "3.0.3", "")),
		`"S2":{"type":"object","properties":{"a":{"type":"string"}}}`,
		`"S2":{"type":"object","properties":{"a":{"type":"object","properties":{"list":{"type":"string","readOnly":true,"writeOnly":true}}}}}`, 1)
	_, diags := Load(context.Background(), "v.json", []byte(spec))
	if len(diags) != 1 || diags[0].Severity != diag.Warning || diags[0].Pointer != "#/components/schemas/S2/properties/a/properties/list" ||
		!strings.Contains(diags[0].Message, "readOnly and writeOnly") {
		t.Errorf("got %v", diags)
	}
}

// BenchmarkRefChain loads n components each only a $ref to the next:
// linear in n (ns/op doubles with n).
func BenchmarkRefChain(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000, 8000, 20000} {
		spec := chainSpec(n, "alias", "3.0.3", "")
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if api, diags := Load(context.Background(), "chain.json", spec); api == nil {
					b.Fatal(diags)
				}
			}
		})
	}
}

// BenchmarkPropertyChain loads n components each holding the next in a
// property, which kin-openapi's validation walked from every component:
// linear in n.
func BenchmarkPropertyChain(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000, 8000, 20000} {
		spec := chainSpec(n, "property", "3.0.3", "")
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if api, diags := Load(context.Background(), "chain.json", spec); api == nil {
					b.Fatal(diags)
				}
			}
		})
	}
}

// swagger2ChainSpec is chainSpec for Swagger 2.0: n definitions S0..S(n-1),
// each an alias of the next, the last an object.
func swagger2ChainSpec(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"produces":["application/json"],` +
		`"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/S0"}}}}}},"definitions":{`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		if i == n-1 {
			fmt.Fprintf(&b, `"S%d":{"type":"object","properties":{"a":{"type":"string"}}}`, i)
		} else {
			fmt.Fprintf(&b, `"S%d":{"$ref":"#/definitions/S%d"}`, i, i+1)
		}
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// The Swagger 2.0 path converts before kin-openapi resolves (in
// openapi2conv), so collapseAliases comes too late there;
// shortenAliasChains makes the same 20,000-alias chain load in linear
// time (4,000 took 19 s before), with every alias still an alias of the
// final object and its $ref as written. An alias cycle still loads.
func TestSwagger2RefChainLoads(t *testing.T) {
	api, diags := Load(context.Background(), "chain.json", swagger2ChainSpec(20000))
	if api == nil || len(diags) != 0 {
		t.Fatalf("%v", diags)
	}
	types := map[string]*ir.Type{}
	for _, ty := range api.Types {
		types[ty.SpecName] = ty
	}
	for _, name := range []string{"S0", "S1", "S19998"} {
		if ty := types[name]; ty == nil || ty.Kind != ir.Alias || ty.Elem != types["S19999"] {
			t.Errorf("%s is not an alias of S19999: %+v", name, ty)
		}
	}
	cycle := []byte(`{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{},"definitions":{` +
		`"A":{"$ref":"#/definitions/B"},"B":{"$ref":"#/definitions/A"},"C":{"$ref":"#/definitions/A"}}}`)
	if api, diags := Load(context.Background(), "cycle.json", cycle); api == nil {
		t.Errorf("alias cycle: %v", diags)
	}
}
