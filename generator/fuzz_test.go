package generator_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/connectorgen/connectorgen/generator/graphql"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// maxFuzzSpec bounds a fuzz input: larger inputs only slow the fuzzer.
const maxFuzzSpec = 64 << 10

// addSpecSeeds adds the golden specs (ext: spec.yaml, spec.json) and up
// to n small corpus specs of the given formats (MANIFEST.tsv's format
// column) to f's corpus.
func addSpecSeeds(f *testing.F, glob string, formats []string, n int) {
	paths, _ := filepath.Glob(filepath.Join(gobuild.RepoRoot(), "golden", "*", glob))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	dir := corpusDir()
	m, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		return // no corpus here: the golden seeds suffice
	}
	defer m.Close()
	sc := bufio.NewScanner(m)
	for sc.Scan() && n > 0 {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || !slices.ContainsFunc(formats, func(p string) bool { return strings.HasPrefix(cols[2], p) }) {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(dir, cols[0])); err == nil && len(b) <= 16<<10 {
			f.Add(b)
			n--
		}
	}
}

// checkGenerated fails on an internal-error diagnostic, or on a generated
// Go file that does not parse or carries a directive (gotext.CheckSource).
func checkGenerated(t *testing.T, res *generator.Result, err error) {
	t.Helper()
	var list diag.List
	if err != nil && !errors.As(err, &list) {
		t.Fatalf("error is not a diagnostic list: %v", err)
	}
	if res == nil {
		t.Fatal("nil result")
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "internal error") {
			t.Fatalf("internal error: %s", d.String())
		}
	}
	for _, file := range res.Files {
		if strings.HasSuffix(file.Name, ".go") {
			if err := gotext.CheckSource(file.Name, file.Content); err != nil {
				t.Fatalf("%v", err)
			}
		}
	}
}

// FuzzGenerate runs the whole generator on arbitrary spec bytes: it must
// not panic, report no internal error, and every Go file it returns must
// parse and carry no directive. Seeds: the golden specs and, when the
// shared corpus is present (CONNECTORGEN_CORPUS), a few small corpus
// specs. `make fuzz-generator` runs it for $(FUZZTIME_GENERATOR).
func FuzzGenerate(f *testing.F) {
	addSpecSeeds(f, "spec.*", []string{"openapi", "swagger"}, 8)
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: \"a\\0b*/\\n//go:generate x\", version: \"1\\u2028\"}\npaths: {}\n"))
	f.Fuzz(func(t *testing.T, spec []byte) {
		if len(spec) > maxFuzzSpec {
			return
		}
		res, err := within(t, func() (*generator.Result, error) {
			return generator.Generate(context.Background(), generator.Config{SpecFile: "spec.yaml", Spec: spec, Package: "fuzz", Version: "fuzz"})
		})
		checkGenerated(t, res, err)
	})
}

// fuzzOperations are the operations FuzzGenerateGraphQL's schemas are
// paired with; only schemas that define the fields they select generate.
const fuzzOperations = "# doc\nquery Q($id: ID!) { node(id: $id) { id } }\n"

// FuzzGenerateGraphQL runs the GraphQL generator on an arbitrary schema
// and operation document, with the same checks as FuzzGenerate.
func FuzzGenerateGraphQL(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(gobuild.RepoRoot(), "golden", "graphql-*"))
	for _, dir := range paths {
		schema, err1 := os.ReadFile(filepath.Join(dir, "schema.graphql"))
		ops, _ := filepath.Glob(filepath.Join(dir, "operations", "*.graphql"))
		for _, op := range ops {
			if b, err := os.ReadFile(op); err1 == nil && err == nil {
				f.Add(schema, b)
			}
		}
	}
	f.Add([]byte("\"\"\"d */ `x`\"\"\"\ntype Query { \"\"\"f\\u0000\"\"\" node(id: ID!): N }\ntype N { id: ID }\n"), []byte(fuzzOperations))
	f.Add([]byte("type Query { node(id: ID!): N }\ntype N { id: ID }\n"), []byte("query Q { node(id: \"`\\ufeff\") { id } }\n"))
	f.Fuzz(func(t *testing.T, schema, ops []byte) {
		if len(schema)+len(ops) > maxFuzzSpec {
			return
		}
		res, err := within(t, func() (*generator.Result, error) {
			return generator.GenerateGraphQL(context.Background(), generator.GraphQLConfig{SchemaFile: "schema.graphql", Schema: schema,
				Operations: []graphql.Source{{Name: "ops.graphql", Text: ops}}, Package: "fuzz", Version: "fuzz"})
		})
		checkGenerated(t, res, err)
	})
}

// fuzzDeadline bounds one generation of a fuzz input (at most 64 KiB): a
// slower one is a failure the fuzzer records, not a hang.
const fuzzDeadline = 10 * time.Second

// within runs generate and fails t when it takes longer than fuzzDeadline.
func within(t *testing.T, generate func() (*generator.Result, error)) (*generator.Result, error) {
	t.Helper()
	type result struct {
		res *generator.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := generate()
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		return r.res, r.err
	case <-time.After(fuzzDeadline):
		t.Fatalf("generation took more than %v", fuzzDeadline)
		return nil, nil
	}
}
