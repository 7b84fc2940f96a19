package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pairs and their pinned reports live in generator/apidiff/testdata;
// these tests check the command: flags, exit codes, output streams.
const diffData = "../../generator/apidiff/testdata/"

func TestDiffExitCodes(t *testing.T) {
	base := diffData + "petstore-expanded.yaml"
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"breaking", []string{"-old", base, "-new", diffData + "parameter-required.yaml", "-package", "petstore"}, 1,
			[]string{"Go API (apidiff): 1 breaking change", "\n  operation findPets (GET /pets)\n",
				"    breaking: FindPetsRequest.Limit: changed from runtime.Opt[int32] to int32",
				"1 Go API change, 1 wire change in operation findPets (GET /pets)",
				"Wire (oasdiff v1.33.0", "request-parameter-became-required", "breaking: 1 change of the Go API, 1 breaking change on the wire"}},
		{"additive", []string{"-old", base, "-new", diffData + "optional-property-added.yaml", "-package", "petstore", "-all"}, 0,
			[]string{"\n  schema #/components/schemas/NewPet\n", `    compatible: NewPet.Birthday: added [property "birthday"]`, "new-optional-request-property", "no breaking changes"}},
		// The reproduction of issue 13: one enum value added to a schema
		// reached through a graph of anyOf members is one change, absorbed.
		{"absorbed", []string{"-old", diffData + "anyof-graph.yaml", "-new", diffData + "enum-value-added-anyof-graph.yaml", "-package", "repro"}, 0,
			[]string{"0 breaking changes, 0 warnings, 1 absorbed, 0 info", "absorbed     1  response-property-enum-value-added", "no breaking changes"}},
		{"markdown", []string{"-old", base, "-new", diffData + "operation-removed.yaml", "-package", "petstore", "-format", "markdown"}, 1,
			[]string{"**Verdict:** breaking: 2 changes of the Go API, 1 breaking change on the wire", "| Go API (apidiff) | 2 | 0 | | |",
				"#### operation deletePet (DELETE /pets/{id})", "- **breaking**: removed `(*Client).DeletePet`, `DeletePetRequest`"}},
		{"explicit runtime", []string{"-old", base, "-new", base, "-package", "petstore", "-runtime", "../../runtime"}, 0,
			[]string{"no breaking changes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runCLI(append([]string{"diff"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; output:\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestDiffJSON(t *testing.T) {
	code, out := runCLI("diff", "-old", diffData+"petstore-expanded.yaml", "-new", diffData+"operation-removed.yaml", "-package", "petstore", "-json")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	var rep struct {
		Breaking bool `json:"breaking"`
		GoAPI    []struct {
			Object string `json:"object"`
			Source struct {
				Kind        string `json:"kind"`
				OperationID string `json:"operationId"`
			} `json:"source"`
		} `json:"goAPI"`
		Wire []struct {
			Level, ID  string
			Operations []string
		} `json:"wireChanges"`
		Findings []any `json:"wire"` // only with -all
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, out)
	}
	if !rep.Breaking || len(rep.GoAPI) != 2 || rep.GoAPI[0].Object != "(*Client).DeletePet" ||
		rep.GoAPI[0].Source.Kind != "operation" || rep.GoAPI[0].Source.OperationID != "deletePet" {
		t.Errorf("unexpected Go API changes: %+v", rep)
	}
	if len(rep.Wire) != 1 || rep.Wire[0].ID != "api-removed-without-deprecation" || rep.Wire[0].Level != "error" ||
		len(rep.Wire[0].Operations) != 1 || rep.Wire[0].Operations[0] != "operation deletePet (DELETE /pets/{id})" {
		t.Errorf("unexpected wire changes: %+v", rep.Wire)
	}
	if rep.Findings != nil {
		t.Errorf("oasdiff's findings one by one without -all: %v", rep.Findings)
	}
	code, out = runCLI("diff", "-old", diffData+"petstore-expanded.yaml", "-new", diffData+"operation-removed.yaml", "-package", "petstore", "-json", "-all")
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || len(rep.Findings) != 2 {
		t.Errorf("-json -all: exit %d, %v, %d findings, want 2:\n%s", code, err, len(rep.Findings), out)
	}
}

func TestDiffConfig(t *testing.T) {
	dir := t.TempDir()
	spec, err := filepath.Abs(diffData + "petstore-expanded.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "connectorgen.yaml")
	os.WriteFile(cfg, []byte("spec: "+spec+"\npackage: petstore\nout: petstore\n"), 0o644)
	code, out := runCLI("diff", "-config", cfg, "-new", diffData+"operation-removed.yaml")
	if code != 1 || !strings.Contains(out, "(package petstore)") || !strings.Contains(out, "removed (*Client).DeletePet, DeletePetRequest") {
		t.Errorf("-config with -new: exit %d, output:\n%s", code, out)
	}
}

func TestDiffErrors(t *testing.T) {
	dir := t.TempDir()
	base := diffData + "petstore-expanded.yaml"
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n"), 0o644)
	gql := filepath.Join(dir, "gql.yaml")
	os.WriteFile(gql, []byte("schema: s.graphql\noperations: '*.graphql'\npackage: p\nout: p\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "diff needs -old, -new and -package"},
		{[]string{"-old", base, "-new", base}, 2, "diff needs -old, -new and -package"},
		{[]string{"-old", base, "-new", base, "-package", "p", "extra"}, 2, "takes no arguments"},
		{[]string{"-config", gql, "-package", "p", "-new", base}, 2, "-config excludes -package"},
		{[]string{"-config", gql, "-old", base, "-new", base}, 2, "not both"},
		{[]string{"-config", gql, "-new", base}, 1, "cannot read schema"},
		{[]string{"-config", gql}, 2, "needs -old or -new"},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
		{[]string{"-format", "html", "-old", base, "-new", base, "-package", "p"}, 2, `-format "html": want text, markdown or json`},
		{[]string{"-json", "-format", "markdown", "-old", base, "-new", base, "-package", "p"}, 2, "-json and -format markdown disagree"},
		{[]string{"-old", filepath.Join(dir, "missing.yaml"), "-new", base, "-package", "p"}, 1, "cannot read spec"},
		{[]string{"-old", base, "-new", bad, "-package", "p"}, 1, bad + ":7:"},
		{[]string{"-old", base, "-new", base, "-package", "not-an-ident"}, 1, "not a Go identifier"},
		{[]string{"-old", base, "-new", base, "-package", "p", "-runtime", dir}, 1, "not a module directory"},
	} {
		code, msg := runCLI(append([]string{"diff"}, tc.args...)...)
		if code != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d containing %q", tc.args, code, msg, tc.code, tc.want)
		}
	}
}

// TestGenerateChangelog: with -changelog, a regeneration that changes the
// Go API writes CHANGES.md (listed in the manifest, so a later run may
// replace it); one that changes nothing keeps it; check accepts it.
func TestGenerateChangelog(t *testing.T) {
	out := filepath.Join(t.TempDir(), "petstore")
	gen := func(spec string, args ...string) (int, string) {
		return runCLI(append([]string{"generate", "-spec", diffData + spec, "-package", "petstore", "-out", out}, args...)...)
	}
	if code, msg := gen("petstore-expanded.yaml", "-changelog"); code != 0 {
		t.Fatalf("first generate: exit %d: %s", code, msg)
	}
	if _, err := os.Stat(filepath.Join(out, "CHANGES.md")); err == nil {
		t.Fatal("CHANGES.md written with no connector before")
	}
	if code, msg := gen("operation-removed.yaml", "-changelog"); code != 0 {
		t.Fatalf("regenerate: exit %d: %s", code, msg)
	}
	changes, err := os.ReadFile(filepath.Join(out, "CHANGES.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!-- Code generated by connectorgen ", "# Changes to the Go API of package petstore",
		"**Verdict:** breaking: 2 breaking changes", "## operation deletePet (DELETE /pets/{id})",
		"- **breaking**: removed `(*Client).DeletePet`, `DeletePetRequest`"} {
		if !strings.Contains(string(changes), want) {
			t.Errorf("CHANGES.md lacks %q:\n%s", want, changes)
		}
	}
	manifest, _ := os.ReadFile(filepath.Join(out, ".connectorgen-manifest"))
	if !strings.Contains(string(manifest), `file "CHANGES.md"`) {
		t.Errorf("the manifest does not list CHANGES.md:\n%s", manifest)
	}
	if code, msg := gen("operation-removed.yaml", "-changelog"); code != 0 {
		t.Fatalf("regenerate unchanged: exit %d: %s", code, msg)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "CHANGES.md")); string(again) != string(changes) {
		t.Errorf("an unchanged regeneration rewrote CHANGES.md:\n%s", again)
	}
	code, msg := runCLI("check", "-spec", diffData+"operation-removed.yaml", "-package", "petstore", "-out", out, "-changelog")
	if code != 0 {
		t.Errorf("check -changelog: exit %d: %s", code, msg)
	}
}

// TestDiffGraphQL: diff -config with a GraphQL project compares its
// operations' connector against the other schema (the cases and their
// reports are in generator/apidiff's TestGraphQLReports).
func TestDiffGraphQL(t *testing.T) {
	abs, err := filepath.Abs(diffData + "graphql")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(abs)
	for _, tc := range []struct {
		schema string
		code   int
		want   string
	}{
		{"field-removed.graphql", 1, "touches (*Client).GetIssue, GetIssueIssue"},
		{"enum-value-removed.graphql", 1, "breaking: StateLocked: removed [enum value]"},
		{"field-added.graphql", 0, "no breaking changes"},
	} {
		code, out := runCLI("diff", "-config", "connectorgen.yaml", "-new", tc.schema, "-runtime", filepath.Join(abs, "../../../../runtime"))
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d, want %d with %q:\n%s", tc.schema, code, tc.code, tc.want, out)
		}
	}
}
