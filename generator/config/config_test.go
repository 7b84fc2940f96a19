package config

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const (
	referencePath = "../../docs/connectorgen.reference.yaml"
	schemaPath    = "../../docs/connectorgen.schema.json"
	schemaURL     = "https://github.com/connectorgen/connectorgen/docs/connectorgen.schema.json"
)

func TestReferenceParses(t *testing.T) {
	data, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := Parse("connectorgen.yaml", data)
	if f == nil {
		t.Fatalf("reference does not parse:\n%v", diags)
	}
	if f.IdempotencyHeader != "Idempotency-Key" || f.Names["operation:getPet"] != "FetchPet" ||
		f.Types["#/components/schemas/Money"] != "math/big.Float" || !slices.Contains(f.Include.Paths, "/pets/**") {
		t.Errorf("reference parsed to %+v", f)
	}
	// Every key of File and Filter appears in the reference, set or
	// commented out (the GraphQL keys exclude the OpenAPI ones).
	for _, k := range append(Keys(reflect.TypeFor[File]()), Keys(reflect.TypeFor[Filter]())...) {
		if !regexp.MustCompile(`(?m)^(# )?\s*` + regexp.QuoteMeta(k) + `:`).Match(data) {
			t.Errorf("reference lacks key %q", k)
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlToJSON converts a YAML document into the instance jsonschema validates.
func yamlToJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestSchemaValidatesReference(t *testing.T) {
	sch := compileSchema(t)
	data, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(yamlToJSON(t, data)); err != nil {
		t.Errorf("reference does not validate: %v", err)
	}
	// The commented-out GraphQL keys validate too, in a GraphQL config.
	gql := "schema: schema.graphql\noperations: 'q/*.graphql'\nscalars: {Money: encoding/json.RawMessage}\npackage: gh\nout: gh\n"
	if err := sch.Validate(yamlToJSON(t, []byte(gql))); err != nil {
		t.Errorf("GraphQL config does not validate: %v", err)
	}
	for _, bad := range []string{
		"spec: a.yaml\npackage: p\nout: o\nemit_interfaces: true\n",
		"spec: a.yaml\npackage: p\nout: o\ninclude: {tagz: [a]}\n",
		"spec: a.yaml\npackage: p\nout: o\nnames: {Pet: Animal}\n",
		"package: p\nout: o\n",
	} {
		if err := sch.Validate(yamlToJSON(t, []byte(bad))); err == nil {
			t.Errorf("schema accepts %q", bad)
		}
	}
}

// TestSchemaKeys keeps the JSON Schema and config.File in step.
func TestSchemaKeys(t *testing.T) {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       struct {
			Filter struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"filter"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	sortedKeys := func(t reflect.Type) []string { k := Keys(t); slices.Sort(k); return k }
	if got, want := keys(s.Properties), sortedKeys(reflect.TypeFor[File]()); !slices.Equal(got, want) {
		t.Errorf("schema properties %v, config.File keys %v", got, want)
	}
	if got, want := keys(s.Defs.Filter.Properties), sortedKeys(reflect.TypeFor[Filter]()); !slices.Equal(got, want) {
		t.Errorf("schema filter properties %v, config.Filter keys %v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"unknown key", "spec: a\npackage: p\nout: o\nfoo: 1\n", `x.yaml:4: #/foo: unknown key "foo" (known keys: spec, schema, operations, scalars, bindings, casing, struct_references, package, out, include, exclude, idempotency_header, names, types, undeclared_members, split, import_path, changelog, pagination, webhooks, fakes)`},
		{"graphql key with a spec", "spec: a\npackage: p\nout: o\ncasing: {default: raw}\n", `x.yaml:4: #/casing: key "casing" applies to GraphQL schemas only`},
		{"bad casing", "schema: s\noperations: o\npackage: p\nout: o\ncasing: {enums: {Color: upper}}\n", `x.yaml:5: #/casing/enums/Color: casing "upper": want "default" or "raw"`},
		{"bad binding type", "schema: s\noperations: o\npackage: p\nout: o\nbindings:\n  Money: {type: 'not a type'}\n", `x.yaml:6: #/bindings/Money/type: "not a type" is not a Go type (want e.g. time.Time or math/big.Float)`},
		{"half a binding", "schema: s\noperations: o\npackage: p\nout: o\nbindings:\n  Money: {type: encoding/json.Number, marshaler: encoding/json.Marshal}\n", `x.yaml:6: #/bindings/Money: binding "Money" names a marshaler or an unmarshaler: give both, or neither`},
		{"unknown filter key", "spec: a\npackage: p\nout: o\ninclude:\n  tagz: [a]\n", `x.yaml:5: #/tagz: unknown key "tagz" (known keys: tags, paths, operationIds)`},
		{"bad name", "spec: a\npackage: p\nout: o\nnames:\n  '#/components/schemas/A': lower\n", `x.yaml:5: #/names/#~1components~1schemas~1A: name "lower" is not an exported Go identifier`},
		{"bad name key", "spec: a\npackage: p\nout: o\nnames:\n  Pet: Animal\n", `x.yaml:5: #/names/Pet: key "Pet" is neither a JSON pointer (#/...) nor operation:<operationId>`},
		{"bad type", "spec: a\npackage: p\nout: o\ntypes:\n  '#/a': 'big.'\n", `x.yaml:5: #/types/#~1a: "big." is not a Go type (want e.g. string, time.Duration or math/big.Float)`},
		{"unqualified type", "spec: a\npackage: p\nout: o\ntypes:\n  '#/a': Money\n", `x.yaml:5: #/types/#~1a: "Money" is not a Go type: Money is not a predeclared Go type; qualify it with its import path (e.g. math/big.Float)`},
		{"bad import path", "spec: a\npackage: p\nout: o\ntypes:\n  '#/a': '../x.T'\n", `x.yaml:5: #/types/#~1a: "../x.T" is not a Go type: malformed import path "../x": invalid path element ".."`},
		{"bad glob", "spec: a\npackage: p\nout: o\nexclude:\n  paths:\n    - /ok/*\n    - 'pets[/**'\n", `x.yaml:7: #/exclude/paths/1: bad path glob "pets[/**" (want a path starting with /; * and ** for segments)`},
		{"bad header", "spec: a\npackage: p\nout: o\nidempotency_header: 'Idem Key'\n", `x.yaml:4: #/idempotency_header: "Idem Key" is not an HTTP header name`},
		{"bad undeclared_members", "spec: a\npackage: p\nout: o\nundeclared_members: ignore\n", `x.yaml:4: #/undeclared_members: undeclared_members is "ignore"; want "keep" or "drop"`},
		{"bad split", "spec: a\npackage: p\nout: o\nsplit: tag\n", `x.yaml:4: #/split: split is "tag"; the only value is "tags" (one package per operation tag)`},
		{"bad import path", "spec: a\npackage: p\nout: o\nsplit: tags\nimport_path: 'example.com/a b'\n", `x.yaml:5: #/import_path: "example.com/a b" is not a Go import path: malformed import path "example.com/a b": invalid char ' '`},
		{"split with schema", "schema: s\noperations: o\npackage: p\nout: o\nsplit: tags\n", `x.yaml:5: #/split: key "split" applies to OpenAPI specs only`},
		{"package main", "spec: a\nout: o\n# the connector\npackage: main\n", `x.yaml:4:1: #/package: package name "main" makes a command, which other packages cannot import`},
		{"package main in a flow mapping", "{spec: a, out: o, package: main}\n", `x.yaml:1:19: #/package: package name "main" makes a command, which other packages cannot import`},
		{"package blank", "spec: a\npackage: _\nout: o\n", `x.yaml:2:1: #/package: package name "_" is the blank identifier, which cannot be imported by name`},
		{"package keyword", "spec: a\npackage: type\nout: o\n", `x.yaml:2:1: #/package: package name "type" is a Go keyword`},
		{"package digit", "spec: a\npackage: 2fa\nout: o\n", `x.yaml:2:1: #/package: package name "2fa" is not a Go identifier`},
		{"package of graphql", "schema: s\noperations: o\npackage: documentation\nout: o\n", `x.yaml:3:1: #/package: the go tool ignores the files of package "documentation"`},
		{"pagination scheme", "spec: a\npackage: p\nout: o\npagination:\n  - {operation: listPets, scheme: cursor}\n  - {operation: listOwners, scheme: token}\n", `x.yaml:6: #/pagination/1/scheme: scheme "token": want cursor, last-item, next-url, link-header, offset, page or none`},
		{"pagination selector", "spec: a\npackage: p\nout: o\npagination:\n  - operation: listPets\n    path: /pets\n    scheme: page\n", `x.yaml:5: #/pagination/0: a pagination rule needs operation or path, not both`},
		{"pagination method", "spec: a\npackage: p\nout: o\npagination:\n  - {operation: listPets, method: GET, scheme: page}\n", `x.yaml:5: #/pagination/0/method: method goes with path, not operation`},
		{"pagination path", "spec: a\npackage: p\nout: o\npagination:\n  - {path: pets, scheme: page}\n", `x.yaml:5: #/pagination/0/path: bad path glob "pets" (want a path starting with /; * and ** for segments)`},
		{"pagination with schema", "schema: s\noperations: o\npackage: p\nout: o\npagination:\n  - {operation: a, scheme: none}\n", `x.yaml:5: #/pagination: key "pagination" applies to OpenAPI specs only`},
		{"openapi keys with schema", "schema: s\noperations: o\npackage: p\nout: o\nidempotency_header: K\n", `x.yaml:5: #/idempotency_header: key "idempotency_header" applies to OpenAPI specs only`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, diags := Parse("x.yaml", []byte(c.text))
			if f != nil {
				t.Fatalf("Parse accepted %q", c.text)
			}
			if got := strings.TrimSpace(diags.Error()); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestCheckPackage: the package names a connector may have.
func TestCheckPackage(t *testing.T) {
	for name, ok := range map[string]bool{"petstore": true, "Petstore": true, "p2": true, "string": true, "error": true, "runtime": true, "é": true,
		"main": false, "documentation": false, "_": false, "func": false, "type": false, "2fa": false, "not-ident": false, "": false, "a b": false} {
		if err := CheckPackage(name); (err == nil) != ok {
			t.Errorf("CheckPackage(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestLines(t *testing.T) {
	f, diags := Parse("x.yaml", []byte("spec: a\npackage: p\nout: o\nnames:\n  operation:x: X\ninclude:\n  tags: [a, b]\n  paths:\n    - /a\n    - /b/**\n"))
	if f == nil {
		t.Fatal(diags)
	}
	for _, c := range []struct {
		section, key string
		want         int
	}{{"names", "operation:x", 5}, {"include", "tags/1", 7}, {"include", "paths/1", 10}, {"types", "nope", 0}} {
		if got := f.Line(c.section, c.key); got != c.want {
			t.Errorf("Line(%q, %q) = %d, want %d", c.section, c.key, got, c.want)
		}
	}
}

func TestMatchPath(t *testing.T) {
	for _, c := range []struct {
		glob, path string
		want       bool
	}{
		{"/pets/*", "/pets/{petId}", true},
		{"/pets/*", "/pets", false},
		{"/pets/*", "/pets/{petId}/photos", false},
		{"/repos/**", "/repos", true},
		{"/repos/**", "/repos/{owner}/{repo}/issues", true},
		{"/repos/**", "/reposx", false},
		{"/**/issues", "/repos/{owner}/{repo}/issues", true},
		{"/a/**/c", "/a/c", true},
		{"/pets", "/pets", true},
		{"/pets", "/pets/1", false},
		{"/p*", "/pets", true},
	} {
		if got := MatchPath(c.glob, c.path); got != c.want {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}

func TestParseGoType(t *testing.T) {
	for _, c := range []struct {
		in, path, name string
		ok             bool
	}{
		{"string", "", "string", true},
		{"time.Duration", "time", "Duration", true},
		{"math/big.Float", "math/big", "Float", true},
		{"github.com/shopspring/decimal.Decimal", "github.com/shopspring/decimal", "Decimal", true},
		{"big.", "big", "", false},
	} {
		p, n, ok := ParseGoType(c.in)
		if p != c.path || n != c.name || ok != c.ok {
			t.Errorf("ParseGoType(%q) = %q, %q, %v", c.in, p, n, ok)
		}
	}
}

func TestCheckGoType(t *testing.T) {
	for _, c := range []struct {
		path, name string
		ok         bool
	}{
		{"", "string", true}, {"", "any", true}, {"", "error", true}, {"", "int64", true},
		{"time", "Duration", true}, {"github.com/shopspring/decimal", "Decimal", true},
		{"", "Decimal", false}, {"", "comparable", false}, {"", "nil", false}, {"", "true", false},
		{"time", "duration", false}, {"../evil", "T", false}, {"a b/c", "T", false}, {"/abs", "T", false},
	} {
		if err := CheckGoType(c.path, c.name); (err == nil) != c.ok {
			t.Errorf("CheckGoType(%q, %q) = %v, want ok %v", c.path, c.name, err, c.ok)
		}
	}
	if !IsStandardImport("math/big") || IsStandardImport("github.com/x/y") || IsStandardImport("example.com") {
		t.Error("IsStandardImport")
	}
}
