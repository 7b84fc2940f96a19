// Package gobuild compiles generated connectors in a scratch module, the
// way a consumer would: they import only the runtime module, found
// through a replace directive to this repository's runtime/ directory.
package gobuild

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// RepoRoot returns the repository's root: the directory of this source
// file, two levels up.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CorpusModule and CorpusVersion are the module path and generator
// version of every corpus connector the generator's tests build
// (TestCorpus, TestRoundTrip, TestSweep), and package cNN names the
// manifest's NNth OpenAPI/Swagger spec in each: the same connector is then
// the same sources under the same import path, compiled once per build
// cache (see Go).
const (
	CorpusModule  = "corpus.test"
	CorpusVersion = "corpus"
)

// WriteModule writes dir/go.mod for module name, requiring the runtime
// module from this repository ($CONNECTORGEN_RUNTIME_DIR overrides).
func WriteModule(dir, name string) error {
	rt := filepath.Join(RepoRoot(), "runtime")
	if dir := os.Getenv("CONNECTORGEN_RUNTIME_DIR"); dir != "" {
		rt = dir // another runtime checkout, e.g. to test old generated code against it
	}
	mod := fmt.Sprintf(`module %s

go 1.24

require github.com/connectorgen/connectorgen/runtime v0.0.0

replace github.com/connectorgen/connectorgen/runtime => %s
`, name, rt)
	return os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644)
}

// Go runs the go command with args in dir and returns its combined output
// in the error when it fails.
//
// Builds are -trimpath: a compiled package's cache key then holds its
// import path and sources but not the directory, so a connector generated
// again into another scratch module under the same import path (the
// corpus, round-trip and sweep tests each build Stripe's) is compiled once
// per go build cache, not once per test and run.
func Go(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod -trimpath", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %v: %v\n%s", args, err, out.String())
	}
	return nil
}

// BuildAndVet runs `go build` and `go vet` on the packages (patterns
// relative to dir, "./..." by default).
func BuildAndVet(ctx context.Context, dir string, pkgs ...string) error {
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	if err := Go(ctx, dir, append([]string{"build", "-o", os.DevNull}, pkgs...)...); err != nil {
		return err
	}
	return Go(ctx, dir, append([]string{"vet"}, pkgs...)...)
}
