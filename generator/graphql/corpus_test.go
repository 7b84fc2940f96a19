package graphql

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/connectorgen/connectorgen/generator/diag"
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
		})
	}
}
