package generator

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"

	"github.com/connectorgen/connectorgen/generator/graphql"
)

// The specs below hold H wherever a spec carries text; each test replaces
// H with a hostile text, as a quoted string (JSON escapes, which YAML and
// GraphQL strings read alike).

const hostileOpenAPI3 = `openapi: 3.0.3
info:
  title: H
  version: H
  description: H
  termsOfService: H
  contact: {name: H, url: H, email: H}
  license: {name: H, url: H}
externalDocs: {description: H, url: H}
servers:
  - url: https://api.example.com/{v}
    description: H
    variables:
      v: {default: H, description: H, enum: [H]}
tags:
  - {name: H, description: H, externalDocs: {description: H, url: H}}
security: [{key: []}]
paths:
  /things/{id}:
    summary: H
    description: H
    parameters:
      - {name: id, in: path, required: true, description: H, example: H, schema: {type: string, default: H, description: H}}
    get:
      operationId: getThing
      tags: [H]
      summary: H
      description: H
      externalDocs: {description: H, url: H}
      parameters:
        - {name: H, in: query, description: H, schema: {type: string, enum: [H, plain], default: H, example: H}}
        - {name: X-Trace, in: header, description: H, schema: {type: string}}
      responses:
        '200':
          description: H
          headers:
            X-Rate: {description: H, schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {name: H}
        default:
          description: H
          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}
    post:
      operationId: H
      summary: H
      deprecated: true
      requestBody:
        description: H
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/Thing'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Thing'}}
      responses:
        '201': {description: H}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key, description: H}
  schemas:
    Thing:
      title: H
      description: H
      type: object
      required: [name]
      properties:
        name: {type: string, description: H, default: H, example: H, pattern: '^[a-z]+$'}
        kind: {type: string, enum: [H, other], description: H}
        when: {type: string, format: date-time, description: H, deprecated: true}
        pet: {$ref: '#/components/schemas/Pet'}
      additionalProperties: {type: string, description: H}
      example: {name: H}
    Pet:
      description: H
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: petType, mapping: {H: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
    Cat: {type: object, description: H, required: [petType], properties: {petType: {type: string}, meow: {type: string, description: H}}}
    Dog: {type: object, description: H, required: [petType], properties: {petType: {type: string}, bark: {type: boolean, description: H}}}
    Problem: {type: object, description: H, properties: {detail: {type: string, description: H}}}
    Level: {type: integer, enum: [1, 2], description: H}
`

const hostileSwagger2 = `swagger: "2.0"
info: {title: H, version: H, description: H, contact: {name: H}, license: {name: H}}
host: api.example.com
basePath: /v1
schemes: [https]
tags: [{name: H, description: H}]
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Key, description: H}
paths:
  /things/{id}:
    get:
      operationId: getThing
      summary: H
      description: H
      tags: [H]
      parameters:
        - {name: id, in: path, required: true, type: string, description: H}
        - {name: H, in: query, type: string, enum: [H, plain], default: H, description: H}
      responses:
        '200': {description: H, schema: {$ref: '#/definitions/Thing'}, headers: {X-Rate: {type: integer, description: H}}}
    put:
      operationId: putThing
      description: H
      consumes: [application/json]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: body, in: body, description: H, schema: {$ref: '#/definitions/Thing'}}
      responses:
        '204': {description: H}
definitions:
  Thing:
    title: H
    description: H
    type: object
    properties:
      name: {type: string, description: H, default: H, example: H}
      kind: {type: string, enum: [H, other], description: H}
`

const hostileSchema = `"""H"""
schema { query: Query mutation: Mutation }

"""H"""
directive @tag("""H""" name: String = H) on FIELD_DEFINITION

"""H"""
type Query {
  """H"""
  thing("""H""" id: ID!, """H""" label: String = H): Thing @tag(name: H)
  """H"""
  search(kind: Kind = PLAIN): [Result!]
}

type Mutation {
  """H"""
  save("""H""" input: ThingInput!): Thing
}

"""H"""
type Thing implements Node { id: ID!, """H""" name: String, """H""" kind: Kind }

"""H"""
interface Node { """H""" id: ID! }

"""H"""
type Other implements Node { id: ID!, """H""" note: String }

"""H"""
union Result = Thing | Other

"""H"""
enum Kind { """H""" PLAIN """H""" ODD @deprecated(reason: H) }

"""H"""
input ThingInput { """H""" name: String = H, """H""" kind: Kind }

"""H"""
scalar When
`

const hostileOperations = `# C
# C
query GetThing($id: ID!, $label: String = H) {
  # C
  thing(id: $id, label: $label) { id name kind }
  other: thing(id: H) { ...ThingParts }
  search { __typename ... on Thing { name } ... on Other { note } }
}

# C
fragment ThingParts on Thing { name kind }

# C
mutation SaveThing {
  save(input: {name: H, kind: ODD}) { id }
}
`

// fill replaces H with text as a quoted string and C (in GraphQL
// comments, which end at any control character) with text on one line.
func fill(spec, text string) []byte {
	q := asciiQuote(text)
	comment := strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, text)
	spec = strings.ReplaceAll(spec, "# C", "# "+comment)
	// Block strings ("""H""") hold the text as it is; """ and \ cannot
	// appear in them unescaped, so they get the quoted form instead.
	spec = strings.ReplaceAll(spec, `"""H"""`, q)
	return []byte(strings.ReplaceAll(spec, "H", q))
}

// asciiQuote quotes s with the escapes JSON, YAML and GraphQL strings
// share: \", \\ and \uXXXX (UTF-16) for everything outside printable
// ASCII; an invalid byte becomes U+FFFD.
func asciiQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= ' ' && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hostileTextsAndAll() []string { return append(append([]string{}, hostileTexts...), allHostile) }

// generateHostile runs Generate on spec with text filled in; it must
// succeed and pass checkFiles.
func generateHostile(t *testing.T, name, spec, text string) map[string][]byte {
	t.Helper()
	res, err := Generate(context.Background(), Config{SpecFile: name, Spec: fill(spec, text), Package: "hostile", Version: "v0"})
	if err != nil {
		t.Fatalf("%s with %q: %v", name, text, err)
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Name] = f.Content
	}
	checkFiles(t, files)
	return files
}

func generateHostileGraphQL(t *testing.T, text string) map[string][]byte {
	t.Helper()
	res, err := GenerateGraphQL(context.Background(), GraphQLConfig{SchemaFile: "schema.graphql", Schema: fill(hostileSchema, text),
		Operations: []graphql.Source{{Name: "ops.graphql", Text: fill(hostileOperations, text)}}, Package: "hostile", Version: "v0"})
	if err != nil {
		t.Fatalf("GraphQL with %q: %v", text, err)
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Name] = f.Content
	}
	checkFiles(t, files)
	return files
}

// TestInjectionSpecs puts each hostile text in every text position of an
// OpenAPI 3.0 spec, a Swagger 2.0 spec and a GraphQL schema with its
// operations (descriptions, comments, string values, defaults), and checks
// the generated files (checkFiles). The spec text must survive as data: the
// OpenAPI title, and the GraphQL string values in the operation text.
func TestInjectionSpecs(t *testing.T) {
	for _, text := range hostileTextsAndAll() {
		files := generateHostile(t, "openapi3.yaml", hostileOpenAPI3, text)
		generateHostile(t, "swagger2.yaml", hostileSwagger2, text)
		gql := generateHostileGraphQL(t, text)
		if got := operationArgument(t, gql["operations.go"], "GetThing_Operation"); got != strings.Map(func(r rune) rune { return r }, text) {
			t.Errorf("GraphQL operation text sends id %q, want %q", got, text)
		}
		if !strings.Contains(string(files["client.go"]), "// Client calls ") {
			t.Errorf("client.go lost the Client comment")
		}
	}
}

// TestInjectionSpecsBuild builds, vets and imports the OpenAPI 3.0 and the
// GraphQL connector generated with every hostile text at once.
func TestInjectionSpecsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated code; skipped with -short")
	}
	t.Run("openapi3", func(t *testing.T) {
		runImporter(t, generateHostile(t, "openapi3.yaml", hostileOpenAPI3, allHostile), "hostile")
	})
	t.Run("graphql", func(t *testing.T) { runImporter(t, generateHostileGraphQL(t, allHostile), "hostile") })
}

// operationArgument returns the string value of the id argument of the
// aliased field "other" in the operation text that constant name of src
// holds: what the server receives.
func operationArgument(t *testing.T, src []byte, name string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "operations.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Names[0].Name != name {
			return true
		}
		ast.Inspect(vs.Values[0], func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				text.WriteString(s)
			}
			return true
		})
		return false
	})
	doc, err := gqlparser.ParseQuery(&gqlast.Source{Input: text.String()})
	if err != nil {
		t.Fatalf("operation text %q does not parse: %v", text.String(), err)
	}
	for _, sel := range doc.Operations[0].SelectionSet {
		if f, ok := sel.(*gqlast.Field); ok && f.Alias == "other" {
			return f.Arguments.ForName("id").Value.Raw
		}
	}
	t.Fatalf("no field other in %q", text.String())
	return ""
}
