// Package depcheck holds the test that keeps the project's dependency
// direction (docs/design.md; the package docs state the same rules): cmd →
// generator → loaders → IR, emitters reading the IR; the runtime module
// importing nothing of the generator; each third-party library behind the
// one package that wraps it.
package depcheck

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/connectorgen/connectorgen"

// list runs go list in dir and returns each package's import path and its
// direct imports (deps false) or every package it depends on (deps true).
func list(t *testing.T, dir string, deps bool, patterns ...string) map[string][]string {
	t.Helper()
	format := `{{.ImportPath}} {{join .Imports " "}}`
	if deps {
		format = `{{.ImportPath}} {{join .Deps " "}}`
	}
	cmd := exec.Command("go", append([]string{"list", "-f", format}, patterns...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list in %s: %v\n%s", dir, err, stderr.Bytes())
	}
	pkgs := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			pkgs[f[0]] = f[1:]
		}
	}
	return pkgs
}

func root(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func hasPrefix(imports []string, prefixes ...string) []string {
	var hits []string
	for _, imp := range imports {
		for _, p := range prefixes {
			if imp == p || strings.HasPrefix(imp, p+"/") {
				hits = append(hits, imp)
				break
			}
		}
	}
	return hits
}

// TestDependencyDirection checks the direct and transitive imports of
// every package of the generator module against the rules.
func TestDependencyDirection(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := root(t)
	direct := list(t, dir, false, "./cmd/...", "./generator/...", "./templates/...", "./internal/...")
	all := list(t, dir, true, "./cmd/...", "./generator/...", "./templates/...")
	rules := []struct {
		what    string
		allowed func(pkg string) bool // the packages that may import it directly
		prefix  []string
	}{
		{"kin-openapi", in(mod+"/generator/load/openapi", mod+"/generator/apidiff"), []string{"github.com/getkin/kin-openapi"}},
		{"jennifer", in(mod+"/generator/emit", mod+"/generator/graphql"), []string{"github.com/dave/jennifer"}},
		{"genqlient and gqlparser", in(mod + "/generator/graphql"), []string{"github.com/Khan/genqlient", "github.com/vektah/gqlparser/v2"}},
		{"oasdiff and x/exp/apidiff", in(mod+"/generator/apidiff", mod+"/generator/load/openapi"), []string{"github.com/oasdiff", "golang.org/x/exp/apidiff"}},
		{"cmd", in(), []string{mod + "/cmd"}},
	}
	for pkg, imports := range direct {
		if !strings.HasPrefix(pkg, mod) {
			continue
		}
		for _, r := range rules {
			if hits := hasPrefix(imports, r.prefix...); len(hits) > 0 && !r.allowed(pkg) {
				t.Errorf("%s imports %s (%s), which only its wrapping package may", pkg, strings.Join(hits, ", "), r.what)
			}
		}
	}
	// The IR is the bottom of the generator: it depends on no other
	// package of the module and on no library of a loader or an emitter.
	for _, pkg := range []string{mod + "/generator/ir", mod + "/generator/diag", mod + "/generator/names"} {
		if hits := hasPrefix(all[pkg], mod, "github.com/getkin", "github.com/dave", "github.com/Khan", "github.com/vektah"); len(hits) > 0 {
			t.Errorf("%s depends on %s", pkg, strings.Join(hits, ", "))
		}
	}
	// Loaders run before naming, splitting and emitting; emitters read the
	// IR and never a loader or its library.
	for pkg, deps := range all {
		switch {
		case strings.HasPrefix(pkg, mod+"/generator/load/"):
			if hits := hasPrefix(deps, mod+"/generator/emit", mod+"/generator/naming", mod+"/generator/split", mod+"/generator/graphql", mod+"/templates"); len(hits) > 0 {
				t.Errorf("loader %s depends on %s", pkg, strings.Join(hits, ", "))
			}
		case pkg == mod+"/generator/emit" || pkg == mod+"/generator/naming" || pkg == mod+"/generator/split":
			if hits := hasPrefix(deps, mod+"/generator/load", "github.com/getkin/kin-openapi", mod+"/generator/config"); len(hits) > 0 {
				t.Errorf("%s depends on %s", pkg, strings.Join(hits, ", "))
			}
		}
	}
	if len(all[mod+"/generator/ir"]) == 0 && all[mod+"/generator/ir"] == nil {
		t.Fatal("go list did not list generator/ir: the rules checked nothing")
	}
}

func in(pkgs ...string) func(string) bool {
	return func(p string) bool { return slices.Contains(pkgs, p) }
}

// TestRuntimeImportsNoGenerator: the runtime module and its adapter modules
// depend on nothing of the generator module (consumers build them alone).
func TestRuntimeImportsNoGenerator(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, sub := range []string{"runtime", "runtime/otel", "runtime/redislimit", "runtime/webhookredis"} {
		all := list(t, filepath.Join(root(t), sub), true, "./...")
		if len(all) == 0 {
			t.Fatalf("%s: go list listed nothing", sub)
		}
		for pkg, deps := range all {
			for _, d := range deps {
				if strings.HasPrefix(d, mod+"/") && !strings.HasPrefix(d, mod+"/runtime") {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
}
