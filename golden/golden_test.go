// Package golden holds connectorgen's golden cases, one directory each
// (after sqlc's endtoend tests): the spec, connectorgen.yaml, want/ (the
// whole expected tree) and stderr.txt (the expected diagnostics, for
// cases with warnings or that must fail). Run `go test ./golden -update`
// to rewrite the expectations after an intended change, and review the
// diff.
package golden

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/internal/gobuild"
	"github.com/pmezard/go-difflib/difflib"
)

var update = flag.Bool("update", false, "rewrite want/ and stderr.txt from the generator's output")

// run generates one case the way the CLI would, with paths relative to
// the case directory so the output does not depend on the checkout.
func run(t *testing.T, dir string) (map[string][]byte, string) {
	t.Helper()
	cfg, diags := generator.ReadConfig(dir, "connectorgen.yaml")
	if cfg == nil {
		return nil, diags.Error() + "\n"
	}
	res, _ := generator.GenerateFrom(context.Background(), dir, cfg, "v0.0.0-golden")
	var stderr strings.Builder
	for _, d := range res.Diagnostics {
		stderr.WriteString(d.String() + "\n")
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Name] = f.Content
	}
	return files, stderr.String()
}

func cases(t *testing.T) []string {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			files, stderr := run(t, name)
			again, stderr2 := run(t, name)
			if !equalTrees(files, again) || stderr != stderr2 {
				t.Fatal("two runs of the generator differ: output is not deterministic")
			}
			if *update {
				writeCase(t, name, files, stderr)
				return
			}
			compareTree(t, filepath.Join(name, "want"), files)
			compareFile(t, filepath.Join(name, "stderr.txt"), stderr)
		})
	}
}

// TestGoldenCompiles builds and vets every expected tree in one scratch
// module, as a consumer would.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated code; skipped with -short")
	}
	mod := t.TempDir()
	n := 0
	for _, name := range cases(t) {
		want := filepath.Join(name, "want")
		if _, err := os.Stat(want); err != nil {
			continue
		}
		if err := os.CopyFS(filepath.Join(mod, want), os.DirFS(want)); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no golden case has a want/ tree")
	}
	// The module path is the golden module's, so the import paths of a
	// split connector (import_path in its connectorgen.yaml) resolve.
	if err := gobuild.WriteModule(mod, "github.com/connectorgen/connectorgen/golden"); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.BuildAndVet(context.Background(), mod); err != nil {
		t.Fatal(err)
	}
}

func equalTrees(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// compareTree fails on every missing, extra or changed file, with a
// unified diff for changes.
func compareTree(t *testing.T, dir string, got map[string][]byte) {
	t.Helper()
	want := map[string][]byte{}
	_ = filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil // a missing want/ means no files are expected
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, path)
		want[filepath.ToSlash(rel)] = b
		return nil
	})
	var names []string
	for n := range got {
		names = append(names, n)
	}
	for n := range want {
		if _, ok := got[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		w, inWant := want[n]
		g, inGot := got[n]
		switch {
		case !inWant:
			t.Errorf("%s/%s: extra file generated (run with -update if intended)", dir, n)
		case !inGot:
			t.Errorf("%s/%s: expected file not generated", dir, n)
		case !bytes.Equal(w, g):
			t.Errorf("%s/%s differs (-want +got):\n%s", dir, n, diff(string(w), string(g)))
		}
	}
}

func compareFile(t *testing.T, path, got string) {
	t.Helper()
	want, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs (-want +got):\n%s", path, diff(string(want), got))
	}
}

func diff(a, b string) string {
	s, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a), B: difflib.SplitLines(b), FromFile: "want", ToFile: "got", Context: 3})
	return s
}

func writeCase(t *testing.T, name string, files map[string][]byte, stderr string) {
	t.Helper()
	want := filepath.Join(name, "want")
	if err := os.RemoveAll(want); err != nil {
		t.Fatal(err)
	}
	for n, b := range files {
		path := filepath.Join(want, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(name, "stderr.txt")
	if stderr == "" {
		_ = os.Remove(path)
		return
	}
	if err := os.WriteFile(path, []byte(stderr), 0o644); err != nil {
		t.Fatal(err)
	}
}
