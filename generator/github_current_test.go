package generator_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// githubPackage is the npm package and version whose
// package/generated/api.github.com.json is GitHub's current REST
// description (OpenAPI 3.0.3, 1,223 operations), newer than the corpus's
// 2022 copy.
const (
	githubPackage    = "@octokit/openapi@23.0.2"
	githubTarball    = "octokit-openapi-23.0.2.tgz"
	githubSpecInTar  = "package/generated/api.github.com.json"
	githubOperations = 1223
)

// TestGitHubCurrent generates, builds and vets a connector for GitHub's
// current spec, fetched with `npm pack` (cached under the user cache
// directory, connectorgen/npm). It is skipped with -short, where npm is
// absent, or where the registry cannot be reached; set
// CONNECTORGEN_GITHUB_SPEC to a copy of api.github.com.json to use it
// instead. Generation takes about 1 s and the build about 15 s on 2 cores.
func TestGitHubCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches and builds GitHub's current spec; skipped with -short")
	}
	spec := npmSpec(t, githubPackage, githubTarball, githubSpecInTar, "CONNECTORGEN_GITHUB_SPEC")
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	res, err := generator.Generate(ctx, generator.Config{SpecFile: "api.github.com.json", Spec: data, Package: "github", Version: "test"})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	t.Logf("generated in %v, %d diagnostics", time.Since(start).Round(time.Millisecond), len(res.Diagnostics))
	mod := t.TempDir()
	out := filepath.Join(mod, "github")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(out, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		if operationsFile(f.Name) {
			for _, m := range sendRE.FindAllSubmatch(f.Content, -1) {
				ops[string(m[1])] = true
			}
		}
	}
	if len(ops) != githubOperations {
		t.Errorf("%d operations have a method, want %d", len(ops), githubOperations)
	}
	if err := gobuild.WriteModule(mod, "github.test"); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := gobuild.BuildAndVet(ctx, mod, "./github"); err != nil {
		msg := err.Error()
		if len(msg) > 4000 {
			msg = msg[:4000] + "…"
		}
		t.Fatalf("build and vet: %s", msg)
	}
	t.Logf("built and vetted in %v", time.Since(start).Round(time.Millisecond))
}

// npmSpec returns the path of the file inTar of the npm package pkg
// (whose npm pack tarball is named tarball): the file named by the
// environment variable env, the cached copy, or one fetched with npm pack
// into the cache. It skips the test where npm or tar is absent or the
// registry cannot be reached.
func npmSpec(t *testing.T, githubPackage, githubTarball, githubSpecInTar, env string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = t.TempDir()
	}
	dir := filepath.Join(cache, "connectorgen", "npm", strings.TrimSuffix(githubTarball, ".tgz"))
	spec := filepath.Join(dir, filepath.FromSlash(githubSpecInTar))
	if _, err := os.Stat(spec); err == nil {
		return spec
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not found; cannot fetch " + githubPackage)
	}
	tar, err := exec.LookPath("tar")
	if err != nil {
		t.Skip("tar not found; cannot unpack " + githubPackage)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "fetch-")
	if err != nil {
		if err = os.MkdirAll(filepath.Dir(dir), 0o755); err == nil {
			tmp, err = os.MkdirTemp(filepath.Dir(dir), "fetch-")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	pack := exec.CommandContext(ctx, npm, "pack", "--silent", githubPackage)
	pack.Dir = tmp
	if out, err := pack.CombinedOutput(); err != nil {
		t.Skipf("npm pack %s failed (offline?): %v\n%s", githubPackage, err, out)
	}
	unpack := exec.CommandContext(ctx, tar, "xzf", githubTarball, githubSpecInTar)
	unpack.Dir = tmp
	if out, err := unpack.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	// The directory is renamed into place whole, so a concurrent or
	// interrupted run never sees half a spec.
	if err := os.Remove(filepath.Join(tmp, githubTarball)); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, os.ErrExist) {
		if _, statErr := os.Stat(spec); statErr != nil {
			t.Fatal(err)
		}
	}
	return spec
}
