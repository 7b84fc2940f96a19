package apidiff

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/internal/gobuild"
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
	{"enum-value-added", "tictactoe.yaml", "tictactoe", true, false},
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
			if got := rep.Breaking(); got != tc.breaking {
				t.Errorf("Breaking() = %v, want %v", got, tc.breaking)
			}
			var text, js bytes.Buffer
			if err := rep.Text(&text, false); err != nil {
				t.Fatal(err)
			}
			if err := rep.JSON(&js, true); err != nil {
				t.Fatal(err)
			}
			for _, out := range []struct {
				file string
				got  []byte
			}{
				{filepath.Join("testdata", "want", tc.name+".txt"), text.Bytes()},
				{filepath.Join("testdata", "want", tc.name+".json"), js.Bytes()},
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
// repository's Petstore (security scheme, enum, oneOf, headers, bodies).
func TestTrace(t *testing.T) {
	spec := filepath.Join(gobuild.RepoRoot(), "specs", "petstore.yaml")
	res, err := generator.Generate(context.Background(), generator.Config{SpecFile: spec, Spec: read(t, spec), Package: "petstore", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := indexSources(res.Files)
	if err != nil {
		t.Fatal(err)
	}
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
