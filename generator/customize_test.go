package generator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
)

const customSpec = `openapi: 3.0.3
info: {title: Custom, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      tags: [pets]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /stores:
    post:
      operationId: createStore
      tags: [stores]
      parameters: [{name: Idempotency-Key, in: header, schema: {type: string}}]
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}, price: {$ref: '#/components/schemas/Money'}}}
    Money: {type: string}
    Store: {type: object, properties: {address: {type: object, properties: {city: {type: string}}}}}
`

func generateWith(t *testing.T, yml string) (map[string]string, string, error) {
	t.Helper()
	cfg, diags := config.Parse("connectorgen.yaml", []byte("spec: spec.yaml\npackage: custom\nout: out\n"+yml))
	if cfg == nil {
		t.Fatalf("config: %v", diags)
	}
	res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "spec.yaml", Spec: []byte(customSpec),
		Package: "custom", Version: "test", Settings: cfg})
	files := map[string]string{}
	for _, f := range res.Files {
		files[f.Name] = string(f.Content)
	}
	var ds []string
	for _, d := range res.Diagnostics {
		ds = append(ds, d.String())
	}
	return files, strings.Join(ds, "\n"), err
}

func TestFilter(t *testing.T) {
	for _, c := range []struct {
		name, yml, diags string
		has, hasNot      []string
	}{
		{"include tag", "include: {tags: [pets]}\n",
			"connectorgen.yaml: #/include: info: kept 2 of 3 operations (1 excluded) and 2 of 4 types",
			[]string{"func (c *Client) CreatePet(", "func (c *Client) GetPet(", "type Money string", "type Pet struct"},
			[]string{"CreateStore", "type Store", "StoreAddress"}},
		{"exclude path glob", "exclude: {paths: ['/pets/*']}\n",
			"connectorgen.yaml: #/exclude: info: kept 2 of 3 operations (1 excluded) and 4 of 4 types",
			[]string{"func (c *Client) CreatePet(", "func (c *Client) CreateStore(", "type StoreAddress struct"},
			[]string{"GetPet"}},
		{"include then exclude by id, unused entry warned", "include: {paths: ['/**']}\nexclude:\n  operationIds: [createPet, nope]\n",
			"connectorgen.yaml:6: #/exclude/operationIds/1: warning: matches no operation\nconnectorgen.yaml: #/include: info: kept 2 of 3 operations (1 excluded) and 4 of 4 types",
			[]string{"func (c *Client) GetPet(", "func (c *Client) CreateStore("},
			[]string{"CreatePet"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files, diags, err := generateWith(t, c.yml)
			if err != nil {
				t.Fatal(err)
			}
			if diags != c.diags {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", diags, c.diags)
			}
			all := files["operations.go"] + files["types.go"]
			for _, s := range c.has {
				if !strings.Contains(all, s) {
					t.Errorf("output lacks %q in\n%s", s, files["types.go"])
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(all, s) {
					t.Errorf("output has %q", s)
				}
			}
		})
	}
}

func TestNamesTypesIdempotency(t *testing.T) {
	files, diags, err := generateWith(t, `idempotency_header: Idempotency-Key
names:
  operation:getPet: FetchPet
  "#/paths/~1pets/post": AddPet
  "#/components/schemas/Pet": Animal
  "#/components/schemas/Pet/properties/name": Label
  "#/paths/~1pets~1{id}/get/parameters/0": PetID
types:
  "#/components/schemas/Money": math/big.Float
  "#/components/schemas/Store/properties/address": encoding/json.RawMessage
`)
	if err != nil || diags != "" {
		t.Fatalf("%v\n%s", err, diags)
	}
	all := files["operations.go"] + files["types.go"]
	for _, s := range []string{"func (c *Client) FetchPet(", "func (c *Client) AddPet(", "type Animal struct", "Label ",
		"PetID string", "type Money = big.Float", "json.RawMessage", `IdempotencyHeader: "Idempotency-Key"`} {
		if !strings.Contains(all, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	if strings.Contains(all, "StoreAddress") {
		t.Error("the inline type inside a mapped schema is still declared")
	}
	// createPet gets the configured header; createStore keeps its own
	// declared one; getPet (safe) gets none.
	if n := strings.Count(files["operations.go"], "IdempotencyHeader:"); n != 2 {
		t.Errorf("%d operations have an IdempotencyHeader, want 2", n)
	}
}

func TestUnknownPointers(t *testing.T) {
	_, diags, err := generateWith(t, `names:
  operation:nope: Nope
  "#/components/schemas/Missing": X
  "#/components/schemas/Store/properties/address": Addr
types:
  "#/components/schemas/Gone": string
`)
	if err == nil {
		t.Fatal("no error")
	}
	want := `connectorgen.yaml:6: #/names/#~1components~1schemas~1Missing: #/components/schemas/Missing is not a component schema, operation, parameter or property of the spec
connectorgen.yaml:5: #/names/operation:nope: no operation has operationId "nope"
connectorgen.yaml:9: #/types/#~1components~1schemas~1Gone: #/components/schemas/Gone is not a schema, property or parameter of the spec`
	if diags != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", diags, want)
	}
}
