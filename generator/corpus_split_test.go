package generator_test

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// splitSpecs are corpus specs with many tags: GitHub (31 tags, 1,000+
// operations), a Swagger 2.0 spec and specs whose tags need cleaning up
// (spaces, capitals, clashing names).
var splitSpecs = []string{
	"openapi/github/api.github.com.json",
	"openapi/gitea.io/1.16.0_dev-138-gdb1e3d02a.swagger.yaml",
	"openapi/asana.com/1.0.openapi.yaml",
	"openapi/docker.com/engine.1.33.openapi.yaml",
	"openapi/box.com/2.0.0.openapi.yaml",
}

// descriptorRE matches the one runtime.Operation each operation declares.
var descriptorRE = regexp.MustCompile(`(?m)^var op\w+ = &runtime\.Operation\{`)

// TestCorpusSplit generates real specs with split: tags, then builds and
// vets every package: no import cycle, every reference resolved, and
// every operation of the spec a method of exactly one package. It compiles
// five large connectors no other test shares (80 s of a cold CI run), so it
// runs in the full tier only: `make corpus`, or CONNECTORGEN_CORPUS_FULL=1.
// `make test` covers split: tags with the golden split cases and the
// emitter's split tests.
func TestCorpusSplit(t *testing.T) {
	if testing.Short() || os.Getenv("CONNECTORGEN_CORPUS_FULL") == "" {
		t.Skip("builds five split corpus connectors; runs with CONNECTORGEN_CORPUS_FULL=1 (make corpus)")
	}
	dir := corpusDir()
	all := readManifest(t, dir)
	mod := t.TempDir()
	ctx := context.Background()
	for i, p := range splitSpecs {
		var spec *corpusSpec
		for _, s := range all {
			if s.path == p {
				spec = s
			}
		}
		if spec == nil {
			t.Fatalf("%s is not in the corpus manifest", p)
		}
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		pkg := "s" + string(rune('a'+i))
		res, err := generator.Generate(ctx, generator.Config{SpecFile: p, Spec: data, Package: pkg, Version: "corpus",
			Settings: &config.File{Split: config.SplitTags, ImportPath: "corpus.test/" + pkg}})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		methods, pkgs := 0, map[string]bool{}
		for _, f := range res.Files {
			file := filepath.Join(mod, pkg, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			if operationsFile(f.Name) {
				methods += len(descriptorRE.FindAllIndex(f.Content, -1))
				pkgs[path.Dir(f.Name)] = true
			}
		}
		t.Logf("%s: %d operations in %d tag packages", p, methods, len(pkgs))
		if methods != spec.operations {
			t.Errorf("%s: %d operation descriptors, the spec has %d operations", p, methods, spec.operations)
		}
	}
	if err := gobuild.WriteModule(mod, "corpus.test"); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.BuildAndVet(ctx, mod); err != nil {
		t.Fatal(err)
	}
}
