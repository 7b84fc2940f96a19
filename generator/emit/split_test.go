package emit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/emit"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// bigSpec returns an OpenAPI spec of n operations, each with a request
// body and a response schema of its own named after words from a fixed
// list (so that names spread over letters and share first words), with
// descriptions, validation keywords, an enum, an inline object and
// additionalProperties; tags, when given, are assigned in turn.
func bigSpec(n int, tags ...string) []byte {
	first := []string{"Account", "Balance", "Charge", "Customer", "Invoice", "Payment", "PaymentIntent", "Post", "Get", "Zebra"}
	second := []string{"Settings", "Item", "Line", "Source", "Transfer", "Refund", "Review"}
	paths := map[string]any{}
	schemas := map[string]any{}
	prose := strings.Repeat("Text of the spec that documents this member at length. ", 6)
	for i := range n {
		name := fmt.Sprintf("%s%s%d", first[i%len(first)], second[i/len(first)%len(second)], i)
		schemas[name] = map[string]any{
			"type":                 "object",
			"description":          name + ": " + prose,
			"required":             []string{"id"},
			"additionalProperties": map[string]any{"type": "string"},
			"properties": map[string]any{
				"id":     map[string]any{"type": "string", "maxLength": 64, "description": prose},
				"amount": map[string]any{"type": "integer", "minimum": 0, "description": prose},
				"status": map[string]any{"type": "string", "enum": []string{"open", "paid", "void"}, "description": prose},
				"when":   map[string]any{"type": "string", "format": "date-time"},
				"detail": map[string]any{"type": "object", "properties": map[string]any{
					"note": map[string]any{"type": "string", "pattern": "^[a-z]+$"},
				}},
			},
		}
		op := map[string]any{
			"operationId": fmt.Sprintf("%s%sUpdate%d", first[(i*3)%len(first)], second[i%len(second)], i),
			"description": prose,
			"parameters":  []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}},
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + name}}}},
			"responses": map[string]any{"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + name}}}}},
		}
		if len(tags) > 0 {
			op["tags"] = []string{tags[i%len(tags)]}
		}
		paths[fmt.Sprintf("/things%d/{id}", i)] = map[string]any{"post": op}
	}
	spec, err := json.Marshal(map[string]any{
		"openapi": "3.0.3", "info": map[string]any{"title": "Big", "version": "1"},
		"paths": paths, "components": map[string]any{"schemas": schemas},
	})
	if err != nil {
		panic(err)
	}
	return spec
}

func generate(t *testing.T, spec []byte, settings *config.File) map[string][]byte {
	t.Helper()
	res, err := generator.Generate(context.Background(), generator.Config{SpecFile: "big.json", Spec: spec, Package: "big", Version: "test", Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range res.Files {
		out[f.Name] = f.Content
	}
	return out
}

// splitName is the name of a split file: the dot keeps it clear of the go
// command's _test, _GOOS and _GOARCH suffixes.
var splitName = regexp.MustCompile(`^(types|operations)\.[a-z0-9]+(-[a-z0-9]+)?(-[0-9]+)?\.go$`)

// TestSplitLargeOutput generates a spec whose types.go and operations.go
// render larger than the limit (lowered to 64 KB) and checks that they
// are split into several files, each within the limit, gofmt-clean,
// named so that every GOOS and GOARCH builds them, holding together
// exactly the declarations of the unsplit files; that the output is
// reproducible; and that the package builds and vets.
func TestSplitLargeOutput(t *testing.T) {
	const limit = 64 << 10
	spec := bigSpec(240)
	whole := generate(t, spec, nil)
	for _, name := range []string{"types.go", "operations.go"} {
		if len(whole[name]) <= 3*limit {
			t.Fatalf("the unsplit %s is %d bytes: the spec is too small to test splitting", name, len(whole[name]))
		}
	}
	defer emit.SetMaxFileBytes(limit)()
	split := generate(t, spec, nil)
	again := generate(t, spec, nil)
	if len(again) != len(split) {
		t.Errorf("a second run gave %d files, the first %d", len(again), len(split))
	}
	for name, b := range split {
		if !bytes.Equal(again[name], b) {
			t.Errorf("%s differs between two runs", name)
		}
	}

	dir := t.TempDir()
	counts := map[string]int{}
	for name, b := range split {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		kind, _, _ := strings.Cut(name, ".")
		if kind != "types" && kind != "operations" {
			if !bytes.Equal(b, whole[name]) {
				t.Errorf("%s changed with the limit", name)
			}
			continue
		}
		counts[kind]++
		if !splitName.MatchString(name) {
			t.Errorf("split file name %q", name)
		}
		if len(b) > limit {
			t.Errorf("%s is %d bytes, over the limit %d", name, len(b), limit)
		}
		if f, err := format.Source(b); err != nil || !bytes.Equal(f, b) {
			t.Errorf("%s is not gofmt-clean (%v)", name, err)
		}
	}
	if counts["types"] < 3 || counts["operations"] < 3 {
		t.Errorf("split into %d types and %d operations files, want several of each", counts["types"], counts["operations"])
	}
	for _, kind := range []string{"types", "operations"} {
		want := decls(t, whole[kind+".go"])
		var got []string
		for name, b := range split {
			if strings.HasPrefix(name, kind+".") {
				got = append(got, decls(t, b)...)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("the %s files declare %d declarations, not the %d of the unsplit %s.go (or others)", kind, len(got), len(want), kind)
		}
	}
	for _, ctx := range []build.Context{{GOOS: "linux", GOARCH: "amd64"}, {GOOS: "js", GOARCH: "wasm"}, {GOOS: "windows", GOARCH: "arm64"}, {GOOS: "plan9", GOARCH: "386"}} {
		ctx.Compiler, ctx.CgoEnabled = "gc", false
		for name := range split {
			if ok, err := ctx.MatchFile(dir, name); strings.HasSuffix(name, ".go") && (!ok || err != nil) {
				t.Errorf("%s/%s does not build %s (%v)", ctx.GOOS, ctx.GOARCH, name, err)
			}
		}
	}
	if testing.Short() {
		return
	}
	if err := gobuild.WriteModule(dir, "big.test"); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.BuildAndVet(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
}

// TestSplitTagPackages checks that the files of tag packages are split
// too.
func TestSplitTagPackages(t *testing.T) {
	defer emit.SetMaxFileBytes(64 << 10)()
	spec := bigSpec(200, "billing", "ledger")
	out := generate(t, spec, &config.File{Split: config.SplitTags, ImportPath: "example.com/big"})
	counts := map[string]int{}
	for name, b := range out {
		dir, base := filepath.Split(name)
		if splitName.MatchString(base) {
			counts[dir]++
		}
		if len(b) > 64<<10 {
			t.Errorf("%s is %d bytes, over the limit", name, len(b))
		}
	}
	if counts["billing/"] < 2 || counts["ledger/"] < 2 {
		t.Errorf("split files per directory: %v, want several in billing/ and ledger/", counts)
	}
}

// decls returns the source text of each top-level declaration of src but
// the imports, with its doc comment, sorted.
func decls(t *testing.T, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		start := d.Pos()
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
		case *ast.FuncDecl:
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
		}
		out = append(out, string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset]))
	}
	slices.Sort(out)
	return out
}

// TestWords checks how names are cut into the words split files are
// named after.
func TestWords(t *testing.T) {
	for name, want := range map[string]string{
		"PostPaymentIntentsBody": "post payment intents body",
		"URLPath":                "url path",
		"V1Items":                "v1 items",
		"HTTPSProxy2":            "https proxy2",
		"Snake_case_Name":        "snake case name",
		"Ünïcode":                "xnxcode",
		"A":                      "a",
		"ABc":                    "a bc",
		"_":                      "x",
	} {
		if got := strings.Join(emit.Words(name), " "); got != want {
			t.Errorf("words(%q) = %q, want %q", name, got, want)
		}
	}
}
