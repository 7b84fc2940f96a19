package graphql

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// TestCorpus generates a connector from each GraphQL schema of the shared
// corpus (../shared/corpus/graphql, or $CONNECTORGEN_CORPUS/graphql) with
// the operation set in testdata/corpus/<name>: fragments, interfaces and
// unions, enums, input objects, custom scalars and connection pagination.
func TestCorpus(t *testing.T) {
	root := os.Getenv("CONNECTORGEN_CORPUS")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	mod := t.TempDir()
	built := 0
	for _, name := range []string{"github", "saleor", "swapi"} {
		t.Run(name, func(t *testing.T) {
			schemaPath := filepath.Join(root, "graphql", name, "schema.graphql")
			schema, err := os.ReadFile(schemaPath)
			if err != nil {
				t.Skipf("corpus absent: %v", err)
			}
			files, _ := filepath.Glob(filepath.Join("testdata", "corpus", name, "*.graphql"))
			var ops []Source
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				ops = append(ops, Source{Name: f, Text: b})
			}
			out, diags := Generate(context.Background(), Config{Schema: Source{Name: schemaPath, Text: schema},
				Operations: ops, Package: name, Version: "corpus"})
			for _, d := range diags {
				if d.Severity == diag.Error {
					t.Error(d.String())
				} else {
					t.Log(d.String())
				}
			}
			for _, f := range []string{"client.go", "operations.go", "doc.go", "README.md"} {
				if len(out[f]) == 0 {
					t.Errorf("%s not generated", f)
				}
			}
			writeTree(t, filepath.Join(mod, name), out)
			built++
		})
	}
	if built == 0 || testing.Short() {
		return
	}
	// The connectors must build and vet as a consumer would build them.
	if err := gobuild.WriteModule(mod, "graphqlcorpus.test"); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.BuildAndVet(context.Background(), mod); err != nil {
		t.Fatal(err)
	}
}

func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIntrospectionInput feeds the SWAPI schema as an introspection result
// (testdata/swapi.introspection.json, made by graphql-js's
// introspectionFromSchema from the corpus SDL) and checks that the
// connector's operations are the same as from the SDL itself.
func TestIntrospectionInput(t *testing.T) {
	intro, err := os.ReadFile(filepath.Join("testdata", "swapi.introspection.json"))
	if err != nil {
		t.Fatal(err)
	}
	ops, err := os.ReadFile(filepath.Join("testdata", "corpus", "swapi", "ops.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	gen := func(schema Source) map[string][]byte {
		out, diags := Generate(context.Background(), Config{Schema: schema,
			Operations: []Source{{Name: "ops.graphql", Text: ops}}, Package: "swapi", Version: "t"})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", schema.Name, diags)
		}
		return out
	}
	fromJSON := gen(Source{Name: "swapi.json", Text: intro})
	root := os.Getenv("CONNECTORGEN_CORPUS")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	sdl, err := os.ReadFile(filepath.Join(root, "graphql", "swapi", "schema.graphql"))
	if err != nil {
		t.Skipf("corpus absent: %v", err)
	}
	fromSDL := gen(Source{Name: "swapi.graphql", Text: sdl})
	if a, b := body(fromJSON["operations.go"]), body(fromSDL["operations.go"]); a != b || a == "" {
		t.Errorf("operations.go from introspection differs from the one from SDL")
	}
}

// body drops the header line, which names the input file and its hash.
func body(b []byte) string {
	s := string(b)
	if i := strings.Index(s, "\n"); i >= 0 {
		return s[i:]
	}
	return s
}
