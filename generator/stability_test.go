package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
)

const baseSpec = `openapi: 3.0.3
info: {title: Stability, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
components:
  schemas:
    Actor: {type: object, properties: {login: {type: string}}}
    PetColor: {type: string}
    Pet:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
        owner: {type: object, properties: {name: {type: string}}}
#EXTRA_SCHEMAS
`

// Additions that must not rename anything generated from baseSpec: new
// unrelated schemas and operations, schemas and operations whose names
// collide with existing ones but rank lower (not the exact spelling), a
// new property and a new enum value, an inline type whose derived name is
// a component's. (The converse, a new component named like an existing
// inline type, renames the inline type: components take precedence.)
var additions = map[string][2]string{
	"unrelated schema": {"#EXTRA_SCHEMAS", "    Order: {type: object, properties: {id: {type: integer}}}"},
	"colliding schema": {"#EXTRA_SCHEMAS", "    actor: {type: object, properties: {id: {type: integer}}}"},
	"colliding inline": {"        name: {type: string}", "        name: {type: string}\n        color: {type: string, enum: [red]}"},
	"new operation": {"components:", `  /orders:
    get:
      operationId: get-pet
      responses: {'204': {description: none}}
components:`},
	"new property":   {"        name: {type: string}", "        name: {type: string}\n        age: {type: integer}"},
	"new enum value": {"enum: [cat, dog]", "enum: [cat, dog, bird]"},
}

var declRE = regexp.MustCompile(`(?m)^(type \w+|\t\w+ +\w+ = |func \(c \*Client\) \w+|\t\w+ +[\w.\[\]*]+ +` + "`" + `json:"[^"]+")`)

func decls(t *testing.T, spec string) map[string]bool {
	t.Helper()
	res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "spec.yaml", Spec: []byte(spec), Package: "p", Version: "t"})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	out := map[string]bool{}
	for _, f := range res.Files {
		for _, m := range declRE.FindAllString(string(f.Content), -1) {
			out[strings.Join(strings.Fields(m), " ")] = true
		}
	}
	return out
}

func TestAdditionsDoNotRename(t *testing.T) {
	before := decls(t, baseSpec)
	if len(before) < 8 {
		t.Fatalf("too few declarations found (%d): the test's pattern is stale", len(before))
	}
	for name, edit := range additions {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(baseSpec, edit[0]) {
				t.Fatalf("anchor %q not in spec", edit[0])
			}
			after := decls(t, strings.Replace(baseSpec, edit[0], edit[1], 1))
			for d := range before {
				if !after[d] {
					t.Errorf("declaration %q changed or vanished", d)
				}
			}
		})
	}
}

// TestFirstParameterKeepsSignature: an operation without parameters or body
// takes an (empty) request struct, so the spec adding its first optional
// parameter adds a field, and the method's signature, and so every caller,
// stay as they were.
func TestFirstParameterKeepsSignature(t *testing.T) {
	const noParams = "      responses: {'204': {description: none}}\n"
	spec := strings.Replace(baseSpec, "components:", `  /pets:
    get:
      operationId: listPets
`+noParams+`components:`, 1)
	sig := func(spec string) string {
		t.Helper()
		res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "spec.yaml", Spec: []byte(spec), Package: "p", Version: "t"})
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(`(?m)^func \(c \*Client\) ListPets\(.*$`)
		for _, f := range res.Files {
			if m := re.Find(f.Content); m != nil {
				return strings.Replace(string(m), "_ ListPetsRequest", "req ListPetsRequest", 1)
			}
		}
		t.Fatal("no ListPets method generated")
		return ""
	}
	before := sig(spec)
	after := sig(strings.Replace(spec, noParams, "      parameters: [{name: limit, in: query, schema: {type: integer}}]\n"+noParams, 1))
	if !strings.Contains(before, "ListPetsRequest") || before != after {
		t.Errorf("adding an optional parameter changed the signature:\n%s\n%s", before, after)
	}
}

// TestOutputIndependentOfGOMAXPROCS generates a real spec with one and
// with eight Ps, several times each, and wants the same bytes every time.
func TestOutputIndependentOfGOMAXPROCS(t *testing.T) {
	spec, err := os.ReadFile(filepath.Join("..", "specs", "petstore.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var first map[string]string
	for _, procs := range []int{1, 8, 1, 8} {
		prev := goruntime.GOMAXPROCS(procs)
		res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "petstore.yaml", Spec: spec, Package: "p", Version: "t"})
		goruntime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range res.Files {
			got[f.Name] = string(f.Content)
		}
		if first == nil {
			first = got
			continue
		}
		for name, content := range got {
			if first[name] != content {
				t.Fatalf("GOMAXPROCS=%d: %s differs", procs, name)
			}
		}
	}
}

// TestReusableObjectsNamedFromComponent: the inline schemas of
// components/parameters, requestBodies, responses and headers are named
// from their component's key, not from the first operation that uses them,
// so adding an operation (here one whose path sorts first) renames none
// (issue 13: adding /accounts renamed ListPetsSort to ListAccountsSort).
func TestReusableObjectsNamedFromComponent(t *testing.T) {
	const spec = `openapi: 3.0.3
info: {title: Reuse, version: "1"}
paths:
#FIRST
  /pets:
    post:
      operationId: listPets
      parameters: [{$ref: '#/components/parameters/sort'}, {$ref: '#/components/parameters/direction'}]
      requestBody: {$ref: '#/components/requestBodies/Filter'}
      responses:
        '200': {$ref: '#/components/responses/PetList'}
components:
  schemas:
    Direction: {type: object, properties: {x: {type: string}}}
  parameters:
    sort: {name: sort, in: query, schema: {type: string, enum: [name, age]}}
    direction: {name: direction, in: query, schema: {type: string, enum: [asc, desc]}}
  requestBodies:
    Filter:
      content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}
  responses:
    PetList:
      description: ok
      headers: {X-Rate: {$ref: '#/components/headers/Rate'}}
      content: {application/json: {schema: {type: object, properties: {next: {type: string}}}}}
  headers:
    Rate: {schema: {type: string, enum: [low, high]}}
`
	const first = `  /accounts:
    post:
      operationId: listAccounts
      parameters: [{$ref: '#/components/parameters/sort'}, {$ref: '#/components/parameters/direction'}]
      requestBody: {$ref: '#/components/requestBodies/Filter'}
      responses:
        '200': {$ref: '#/components/responses/PetList'}
`
	before := decls(t, spec)
	for _, want := range []string{
		"type Sort",           // components/parameters/sort
		"type DirectionParam", // components/parameters/direction: the schema Direction keeps its name
		"type Direction",
		"type Filter",  // components/requestBodies/Filter
		"type PetList", // components/responses/PetList
		"type Rate",    // components/headers/Rate
	} {
		if !before[want] {
			t.Errorf("no declaration %q", want)
		}
	}
	after := decls(t, strings.Replace(spec, "#FIRST\n", first, 1))
	for d := range before {
		if !after[d] {
			t.Errorf("declaration %q changed or vanished when an operation was added", d)
		}
	}
}
