package apidiff

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/internal/gobuild"
	"github.com/oasdiff/oasdiff/checker"
)

var update = flag.Bool("update", false, "rewrite the expected reports in testdata")

// Each case compares a spec of the shared corpus (copied into testdata)
// with an edited copy, but for allof-unflattenable, hand-written;
// testdata/README.md says what each edit is.
var cases = []struct {
	name, old, pkg string
	breaking       bool
	split          bool // connectorgen.yaml's split: tags
}{
	{"operation-removed", "petstore-expanded.yaml", "petstore", true, false},
	{"parameter-required", "petstore-expanded.yaml", "petstore", true, false},
	{"property-type-changed", "petstore-expanded.yaml", "petstore", true, false},
	{"optional-property-type-changed", "petstore-expanded.yaml", "petstore", true, false},
	{"optional-property-added", "petstore-expanded.yaml", "petstore", false, false},
	{"schema-renamed", "petstore-expanded.yaml", "petstore", true, false},
	{"enum-value-added", "tictactoe.yaml", "tictactoe", false, false},
	{"enum-value-added-anyof-graph", "anyof-graph.yaml", "repro", false, false},
	{"v2-operation-removed", "petstore-expanded-v2.yaml", "petstore", true, false},
	{"unchanged", "petstore-expanded.yaml", "petstore", false, false},
	{"allof-unflattenable", "allof-conflict.yaml", "things", true, false},
	{"split-type-moved", "shop.yaml", "shop", true, true},
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReports pins the text report (what `connectorgen diff` prints) and
// the complete JSON report (`-json -all`) of every case.
func TestReports(t *testing.T) {
	rt := filepath.Join(gobuild.RepoRoot(), "runtime")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			oldPath := filepath.Join("testdata", tc.old)
			newPath := filepath.Join("testdata", tc.name+".yaml")
			if tc.name == "unchanged" {
				newPath = oldPath
			}
			opts := Options{Package: tc.pkg, Version: "test", RuntimeDir: rt}
			if tc.split {
				opts.Settings = &config.File{Split: config.SplitTags}
			}
			rep, diags, err := Compare(context.Background(),
				Spec{File: oldPath, Data: read(t, oldPath)}, Spec{File: newPath, Data: read(t, newPath)}, opts)
			if err != nil {
				t.Fatalf("%v\n%v", err, diags)
			}
			// With every finding kept, oasdiff's checker walks the schema
			// diffs unpruned: the changes must be the same.
			opts.Findings = true
			full, diags, err := Compare(context.Background(),
				Spec{File: oldPath, Data: read(t, oldPath)}, Spec{File: newPath, Data: read(t, newPath)}, opts)
			if err != nil {
				t.Fatalf("%v\n%v", err, diags)
			}
			var pruned, unpruned bytes.Buffer
			rep.Text(&pruned, true)
			full.Text(&unpruned, true)
			if pruned.String() != unpruned.String() {
				t.Errorf("the pruned walk reports\n%s\nthe full walk\n%s", pruned.String(), unpruned.String())
			}
			if got := rep.Breaking(); got != tc.breaking {
				t.Errorf("Breaking() = %v, want %v", got, tc.breaking)
			}
			var text, md, js bytes.Buffer
			if err := rep.Text(&text, false); err != nil {
				t.Fatal(err)
			}
			if err := rep.Markdown(&md, false); err != nil {
				t.Fatal(err)
			}
			if err := full.JSON(&js, true); err != nil {
				t.Fatal(err)
			}
			for _, out := range []struct {
				file string
				got  []byte
			}{
				{filepath.Join("testdata", "want", tc.name+".txt"), text.Bytes()},
				{filepath.Join("testdata", "want", tc.name+".json"), js.Bytes()},
				{filepath.Join("testdata", "want", tc.name+".md"), md.Bytes()},
			} {
				if *update {
					if err := os.WriteFile(out.file, out.got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(out.file)
				if err != nil {
					t.Fatalf("%v (run go test -update to write it)", err)
				}
				if !bytes.Equal(out.got, want) {
					t.Errorf("%s differs (go test -update rewrites it); got:\n%s", out.file, out.got)
				}
			}
		})
	}
}

func TestCandidates(t *testing.T) {
	for obj, want := range map[string][]string{
		"Pet":                 {"Pet"},
		"Pet.Name":            {"Pet.Name", "Pet"},
		"(*Client).ListPets":  {"(*Client).ListPets", "(*Client)", "Client"},
		"(*Owner).Raw.Nested": {"(*Owner).Raw.Nested", "(*Owner).Raw", "(*Owner)", "Owner"},
		"A.B.C":               {"A.B.C", "A.B", "A"},
	} {
		if got := candidates(obj); !reflect.DeepEqual(got, want) {
			t.Errorf("candidates(%q) = %q, want %q", obj, got, want)
		}
	}
}

func TestSourceString(t *testing.T) {
	for _, tc := range []struct {
		s    Source
		want string
	}{
		{Source{Kind: "schema", Pointer: "#/components/schemas/Pet", Detail: `property "id"`}, `schema #/components/schemas/Pet, property "id"`},
		{Source{Kind: "operation", OperationID: "listPets", Method: "GET", Path: "/pets"}, "operation listPets (GET /pets)"},
		{Source{Kind: "operation", Method: "GET", Path: "/pets"}, "operation GET /pets"},
		{Source{Kind: "security scheme", Name: "apiKey"}, `security scheme "apiKey"`},
		{Source{Kind: "server"}, "servers"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestTrace checks the tracing of each kind of generated identifier on the
// repository's Petstore (security scheme, enum, oneOf, headers, bodies),
// from the symbols the generator reports.
func TestTrace(t *testing.T) {
	spec := filepath.Join(gobuild.RepoRoot(), "specs", "petstore.yaml")
	res, err := generator.Generate(context.Background(), generator.Config{SpecFile: spec, Spec: read(t, spec), Package: "petstore", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	idx := res.Symbols
	for obj, want := range map[string]string{
		"Pet":                           "schema #/components/schemas/Pet",
		"Pet.Name":                      `schema #/components/schemas/Pet, property "name"`,
		"Pet.Validate":                  "schema #/components/schemas/Pet",
		"(*Owner).UnmarshalJSON":        "schema #/components/schemas/Owner",
		"Owner.Person":                  "schema #/components/schemas/Owner",
		"PetVaccinationsItem":           "schema #/components/schemas/Pet/properties/vaccinations/items",
		"PetStatusSold":                 `schema #/components/schemas/PetStatus, enum value "sold"`,
		"Problem.AdditionalProperties":  "schema #/components/schemas/Problem, additionalProperties",
		"(*Client).ListPets":            "operation listPets (GET /pets)",
		"ListPetsRequest":               "operation listPets (GET /pets)",
		"ListPetsRequest.XRequestID":    `operation listPets (GET /pets), header parameter "X-Request-ID"`,
		"GetPetRequest.PetID":           `operation getPet (GET /pets/{petId}), path parameter "petId"`,
		"CreatePetRequest.Body":         "operation createPet (POST /pets), request body",
		"ListPetsRequest.Validate":      "operation listPets (GET /pets)",
		"ListPetsResponse":              "operation listPets (GET /pets)",
		"ListPetsResponse.OK":           "operation listPets (GET /pets), 200 response",
		"ListPetsResponse.XNextCursor":  `operation listPets (GET /pets), response header "X-Next-Cursor"`,
		"ListPetsResponse.StatusCode":   "operation listPets (GET /pets)",
		"WithAPIKey":                    `security scheme "apiKey"`,
		"DefaultServerURL":              "servers",
		"New":                           "client",
		"Client":                        "client",
		"(*Client).NoSuchOperationEver": "client",
	} {
		if got := trace(obj, idx, idx).String(); got != want {
			t.Errorf("trace(%q) = %q, want %q", obj, got, want)
		}
	}
}

func TestAbsorbedBy(t *testing.T) {
	for id, want := range map[string]string{
		"response-property-enum-value-added":            absorbedEnum,
		"response-write-only-property-enum-value-added": absorbedEnum,
		"response-property-max-length-increased":        absorbedConstraints,
		"response-body-min-items-unset":                 absorbedConstraints,
		"response-property-pattern-removed":             absorbedConstraints,
		"response-header-max-increased":                 absorbedConstraints,
		"response-optional-property-added":              absorbedMembers,
		// what a connector generated from the old spec does not absorb
		"request-property-enum-value-removed":    "",
		"request-parameter-max-length-decreased": "",
		"response-property-type-changed":         "",
		"response-property-became-nullable":      "",
		"response-required-property-removed":     "",
		"response-property-one-of-added":         "",
		"response-body-pattern-property-added":   "",
		"response-body-min-contains-increased":   "",
		"api-removed-without-deprecation":        "",
	} {
		if got := absorbedBy(id); got != want {
			t.Errorf("absorbedBy(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestGroupWire checks the folding of findings: by rule and location when
// there is one, by rule and text when there is none; a group's text is
// its finding with the shortest arguments (the most direct path).
func TestGroupWire(t *testing.T) {
	at := func(line, col int) checker.CommonChange {
		return checker.CommonChange{RevisionSource: &checker.Source{File: "new.yaml", Line: line, Column: col}}
	}
	l := func(id string, args ...any) string { return strings.ReplaceAll(fmt.Sprint(args...), "`", "") } // oasdiff quotes the arguments
	places := map[string]*placeIndex{"new.yaml": {starts: []placeStart{{10, 5, "#/components/schemas/Card"}, {30, 5, "#/paths/~1pets"}}}}
	const enumAdded = "response-property-enum-value-added"
	found := []checker.Change{
		checker.ApiChange{Level: checker.ERR, Id: enumAdded, Operation: "GET", Path: "/a", Args: []any{"jcb ", "x/card/brand"}, CommonChange: at(19, 50)},
		checker.ApiChange{Level: checker.ERR, Id: enumAdded, Operation: "GET", Path: "/b", Args: []any{"jcb ", "card/brand"}, CommonChange: at(19, 50)},
		checker.ApiChange{Level: checker.ERR, Id: enumAdded, Operation: "GET", Path: "/b", Args: []any{"discover ", "card/brand"}, CommonChange: at(19, 56)},
		checker.ApiChange{Level: checker.ERR, Id: "request-parameter-became-required", Operation: "GET", Path: "/pets", Args: []any{"limit"}, CommonChange: at(38, 11)},
		checker.ApiChange{Level: checker.WARN, Id: "api-tag-removed", Operation: "GET", Path: "/a", Args: []any{"x"}},
		checker.ApiChange{Level: checker.WARN, Id: "api-tag-removed", Operation: "GET", Path: "/b", Args: []any{"x"}},
		checker.ApiChange{Level: checker.WARN, Id: "api-tag-removed", Operation: "GET", Path: "/b", Args: []any{"y"}},
	}
	got := groupWire(found, l, places, nil, nil)
	type brief struct {
		id, text, component string
		ops                 int
		breaking            bool
	}
	var briefs []brief
	for _, g := range got {
		briefs = append(briefs, brief{g.ID, g.Text, g.Component, len(g.Operations()), g.Breaking()})
	}
	want := []brief{
		{"request-parameter-became-required", "limit", "#/paths/~1pets", 1, true},
		// warnings, by place: "operation GET /b" before "operations GET /a, GET /b"
		{"api-tag-removed", "y", "", 1, false},
		{"api-tag-removed", "x", "", 2, false},
		// absorbed: a change reaching one operation is listed under it, one
		// reaching several under its component
		{enumAdded, "jcb card/brand", "#/components/schemas/Card", 2, false},
		{enumAdded, "discover card/brand", "#/components/schemas/Card", 1, false},
	}
	if !reflect.DeepEqual(briefs, want) {
		t.Errorf("groups:\n%+v\nwant\n%+v", briefs, want)
	}
	if p := places["new.yaml"].find(5, 1); p != "" {
		t.Errorf("a position before every object: %q", p)
	}
}

// TestOpSetFirst checks the k smallest names of an operation set without
// listing it.
func TestOpSetFirst(t *testing.T) {
	tab := &opTable{index: map[string]int{}}
	s := &opSet{table: tab}
	for _, name := range []string{"e", "b", "d", "a", "c", "b"} {
		s.add(tab.id(name))
	}
	if got := s.first(3); !reflect.DeepEqual(got, []string{"a", "b", "c"}) || s.len() != 5 {
		t.Errorf("first(3) = %q, len %d", got, s.len())
	}
	if got := s.list(); !reflect.DeepEqual(got, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("list() = %q", got)
	}
}

// TestGraphQLReports compares a GraphQL project's connector against an
// edited schema (testdata/graphql): a selected field removed breaks an
// operation, reported with the Go identifiers it touches; an enum value
// removed changes the Go API; a field added that no operation selects
// changes nothing. The text reports are pinned in testdata/want.
func TestGraphQLReports(t *testing.T) {
	rt := filepath.Join(gobuild.RepoRoot(), "runtime")
	dir := filepath.Join("testdata", "graphql")
	cfg := &config.File{Schema: filepath.Join(dir, "schema.graphql"), Operations: filepath.Join(dir, "operations", "*.graphql"), Package: "tracker", Out: "tracker"}
	for _, tc := range []struct {
		name     string
		breaking bool
	}{
		{"field-removed", true},
		{"enum-value-removed", true},
		{"field-added", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, diags, err := CompareGraphQL(context.Background(), cfg, cfg.Schema, filepath.Join(dir, tc.name+".graphql"),
				Options{Package: "tracker", Version: "test", RuntimeDir: rt})
			if err != nil {
				t.Fatalf("%v\n%v", err, diags)
			}
			if rep.Breaking() != tc.breaking {
				t.Errorf("Breaking() = %v, want %v", rep.Breaking(), tc.breaking)
			}
			var text bytes.Buffer
			if err := rep.Text(&text, true); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", "want", "graphql-"+tc.name+".txt")
			if *update {
				if err := os.WriteFile(file, text.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(text.Bytes(), want) {
				t.Errorf("%s differs (go test -update rewrites it); got:\n%s", file, text.Bytes())
			}
		})
	}
}
