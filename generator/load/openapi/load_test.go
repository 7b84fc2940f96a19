package openapi

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// The version key is the top-level one, wherever it stands in the
// mapping: Kubernetes sorts its keys, so "swagger" comes after 4 MB of
// definitions; the OAI petstore examples indent their whole root mapping.
func TestDocVersion(t *testing.T) {
	pad := strings.Repeat(" ", 5000)
	cases := []struct {
		name, text, key, version string
	}{
		{"json first", `{"swagger": "2.0", "info": {}}`, "swagger", "2.0"},
		{"json last, after 4 KiB", `{"definitions": {"A": {"description": "` + pad + `"}}, "paths": {}, "swagger": "2.0"}`, "swagger", "2.0"},
		{"json nested property first", "{\n  \"definitions\": {\"A\": {\"properties\": {\n    \"swagger\": {\"type\": \"string\"}}}},\n  \"openapi\": \"3.0.3\"\n}", "openapi", "3.0.3"},
		{"json minified", `{"info":{},"openapi":"3.1.0"}`, "openapi", "3.1.0"},
		{"json byte order mark", "\uFEFF{\"openapi\": \"3.0.0\"}", "openapi", "3.0.0"},
		{"yaml", "openapi: 3.0.3\ninfo: {}\n", "openapi", "3.0.3"},
		{"yaml last", "info:\n  title: x\n  swagger: not this\npaths: {}\nswagger: '2.0'\n", "swagger", "2.0"},
		{"yaml indented root", "---\n  swagger: \"2.0\"\n  info: \n    version: 1\n", "swagger", "2.0"},
		{"yaml comment and directive", "%YAML 1.2\n# a spec\n---\nopenapi: \"3.1.0\" # the version\n", "openapi", "3.1.0"},
		{"yaml quoted key", "\"openapi\": 3.0.1\n", "openapi", "3.0.1"},
		{"json without version", `{"info": {}}`, "", ""},
	}
	for _, c := range cases {
		key, version, _ := docVersion([]byte(c.text))
		if key != c.key || version != c.version {
			t.Errorf("%s: docVersion = %q %q, want %q %q", c.name, key, version, c.key, c.version)
		}
	}
}

// Every spec of the shared corpus is read as the format its manifest
// names; Kubernetes and three OAI examples used to be read as OpenAPI 3.
func TestIsSwagger2Corpus(t *testing.T) {
	dir := os.Getenv("CONNECTORGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join(gobuild.RepoRoot(), "..", "shared", "corpus")
	}
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not found at %s: %v", dir, err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || cols[0] == "path" || cols[2] == "graphql" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, cols[0]))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := IsSwagger2(data), cols[2] == "swagger2"; got != want {
			t.Errorf("%s (%s): IsSwagger2 = %v", cols[0], cols[2], got)
		}
		if _, d, ok := checkVersion(data); !ok {
			t.Errorf("%s: %s", cols[0], d.Message)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no spec in the manifest")
	}
}

// A parameter in a location OpenAPI 3 does not define is reported where
// it is declared and left out; before, it became a cookie.
func TestUnknownParameterLocation(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /items/{id}:
    patch:
      operationId: patchItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: body, in: body, required: true, schema: {type: object}}
        - $ref: '#/components/parameters/Form'
        - {name: trace, in: matrix, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '204': {description: Done.}
components:
  parameters:
    Form: {name: field, in: formData, schema: {type: string}}
`
	api, diags := Load(context.Background(), "spec.yaml", []byte(spec))
	if api == nil {
		t.Fatalf("Load failed: %v", diags)
	}
	var got []string
	for _, p := range api.Operations[0].Params {
		got = append(got, p.In+":"+p.Name)
	}
	if want := "path:id cookie:session"; strings.Join(got, " ") != want {
		t.Errorf("parameters = %v, want %s", got, want)
	}
	want := map[string]string{
		"#/paths/~1items~1{id}/patch/parameters/1/in": `parameter "body" is in "body", a Swagger 2.0 location`,
		"#/paths/~1items~1{id}/patch/parameters/2/in": `parameter "field" is in "formData", a Swagger 2.0 location`,
		"#/paths/~1items~1{id}/patch/parameters/3/in": `parameter "trace" is in "matrix", which is not path, query, header or cookie`,
	}
	for _, d := range diags {
		if msg, ok := want[d.Pointer]; ok && d.Severity == diag.Warning && strings.Contains(d.Message, msg) {
			if d.Pos.Line == 0 {
				t.Errorf("%s: no line", d)
			}
			delete(want, d.Pointer)
		}
	}
	for ptr, msg := range want {
		t.Errorf("no warning at %s: %s (got %v)", ptr, msg, diags)
	}
}

// Swagger 2.0 body and formData parameters reached through $ref: the body
// takes the operation's consumes and its schema stays shared; the form
// field keeps its own type though a definition has the same name, and no
// shared formData parameter becomes a component schema.
func TestSwagger2SharedParameters(t *testing.T) {
	spec := `swagger: "2.0"
info: {title: x, version: "1"}
consumes: [application/json]
parameters:
  patch: {name: body, in: body, required: true, schema: {type: object, properties: {a: {type: string}}}}
  Caption: {name: caption, in: formData, type: string, required: true}
  nobody: {name: body, in: body}
  unused: {name: extra, in: formData, type: integer}
paths:
  /a:
    patch:
      consumes: [application/merge-patch+json, application/json-patch+json]
      parameters: [{$ref: '#/parameters/patch'}]
      responses: {'204': {description: Done.}}
    put:
      parameters: [{$ref: '#/parameters/patch'}]
      responses: {'204': {description: Done.}}
    post:
      consumes: [application/x-www-form-urlencoded]
      parameters: [{$ref: '#/parameters/Caption'}]
      responses: {'204': {description: Done.}}
  /b:
    post:
      parameters: [{$ref: '#/parameters/nobody'}]
      responses: {'204': {description: Done.}}
definitions:
  Caption: {type: object, properties: {lang: {type: string}}}
`
	api, diags := Load(context.Background(), "spec.yaml", []byte(spec))
	if api == nil {
		t.Fatalf("Load failed: %v", diags)
	}
	ops := map[string]int{}
	for i, op := range api.Operations {
		ops[op.Method+" "+op.Path] = i
		if len(op.Params) != 0 {
			t.Errorf("%s %s: parameters %v", op.Method, op.Path, op.Params)
		}
		if op.Body == nil {
			t.Fatalf("%s %s: no body", op.Method, op.Path)
		}
	}
	patch, put := api.Operations[ops["PATCH /a"]], api.Operations[ops["PUT /a"]]
	if patch.Body.MediaType != "application/json-patch+json" || len(patch.Alternatives) != 1 ||
		patch.Alternatives[0].Body.MediaType != "application/merge-patch+json" {
		t.Errorf("PATCH /a: body %s, %d alternatives", patch.Body.MediaType, len(patch.Alternatives))
	}
	if put.Body.MediaType != "application/json" || len(put.Alternatives) != 0 {
		t.Errorf("PUT /a: body %s, %d alternatives", put.Body.MediaType, len(put.Alternatives))
	}
	if patch.Body.Type != put.Body.Type || patch.Body.Type != patch.Alternatives[0].Body.Type {
		t.Error("the shared body parameter's inline schema became several types")
	}
	form := api.Operations[ops["POST /a"]].Body
	if form.MediaType != "application/x-www-form-urlencoded" || !form.Required || len(form.Type.Fields) != 1 ||
		form.Type.Fields[0].JSONName != "caption" || form.Type.Fields[0].Type.Kind != ir.String {
		t.Errorf("POST /a: form body %+v", form)
	}
	for _, ty := range api.Types {
		if strings.HasPrefix(ty.Source, "#/components/schemas/") && ty.Source != "#/components/schemas/Caption" {
			t.Errorf("stray component schema %s", ty.Source) // the formData parameter's, before
		}
	}
	var warned bool
	for _, d := range diags {
		warned = warned || d.Pointer == "#/parameters/nobody" && strings.Contains(d.Message, "has no schema")
	}
	if !warned {
		t.Errorf("no warning for the body parameter without a schema: %v", diags)
	}
}
