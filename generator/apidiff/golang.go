package apidiff

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator"
	xapidiff "golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"
)

// GoChange is one change of the generated Go API, as apidiff reports it.
type GoChange struct {
	// Breaking is apidiff's verdict: false for a compatible change (an
	// addition).
	Breaking bool `json:"breaking"`
	// Object is the identifier apidiff names: "Pet", "Pet.Name",
	// "(*Client).ListPets".
	Object string `json:"object"`
	// Change is apidiff's description: "removed", "changed from string to
	// runtime.Opt[string]".
	Change string `json:"change"`
	// Source is what in the spec the identifier was generated from.
	Source Source `json:"source"`
	// Note is set on a change connectorgen found that apidiff does not
	// report (see missedTypeArgs).
	Note string `json:"note,omitempty"`
}

const (
	scratchModule = "connectorgen.diff"
	runtimePath   = "github.com/connectorgen/connectorgen/runtime"
)

// compareGo type-checks both generated connectors in two scratch modules
// with the same module path (so that types one package refers to in
// another, as in a connector split by tag, correspond by path) and runs
// apidiff on them, package by package.
func compareGo(ctx context.Context, old, new *generator.Result, opts Options) ([]GoChange, error) {
	oldFiles, newFiles := old.Files, new.Files
	dir, err := os.MkdirTemp("", "connectorgen-diff-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var mods [2]*xapidiff.Module
	for i, files := range [][]generator.File{oldFiles, newFiles} {
		sub := filepath.Join(dir, []string{"old", "new"}[i])
		if err := writeScratch(sub, opts.RuntimeDir, files); err != nil {
			return nil, err
		}
		if mods[i], err = loadScratch(ctx, sub, opts.RuntimeDir); err != nil {
			return nil, err
		}
	}
	oldIdx, newIdx := old.Symbols, new.Symbols
	var out []GoChange
	reported := map[string]bool{}
	for _, c := range xapidiff.ModuleChanges(mods[0], mods[1]).Changes {
		obj, change, ok := strings.Cut(c.Message, ": ")
		if !ok {
			obj, change = "", c.Message
		}
		if p, isPkg := strings.CutPrefix(obj, "package "+scratchModule+"/"); isPkg {
			obj, change = "./"+p, "package "+change // a tag package removed or added
		}
		reported[obj] = true
		out = append(out, GoChange{
			Breaking: !c.Compatible,
			Object:   obj,
			Change:   strings.ReplaceAll(tidyTypes(change), scratchModule+".", opts.Package+"."),
			Source:   trace(unqualified(obj), oldIdx, newIdx),
		})
	}
	for _, op := range mods[0].Packages {
		for _, np := range mods[1].Packages {
			if op.Path() != np.Path() {
				continue
			}
			prefix := ""
			if rel, ok := strings.CutPrefix(op.Path(), scratchModule+"/"); ok {
				prefix = "./" + rel + "."
			}
			for _, c := range missedTypeArgs(op, np, reported, prefix) {
				c.Source = trace(unqualified(c.Object), oldIdx, newIdx)
				out = append(out, c)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Breaking != out[j].Breaking {
			return out[i].Breaking
		}
		if out[i].Object != out[j].Object {
			return out[i].Object < out[j].Object
		}
		return out[i].Change < out[j].Change
	})
	return out, nil
}

// unqualified drops apidiff's "./pets." prefix of an identifier in a tag
// package: names are unique across a split connector's packages.
func unqualified(obj string) string {
	if rest, ok := strings.CutPrefix(obj, "./"); ok {
		if i := strings.Index(rest, "."); i >= 0 {
			return rest[i+1:]
		}
	}
	return obj
}

// loadScratch type-checks every package of a scratch module.
func loadScratch(ctx context.Context, dir, runtimeDir string) (*xapidiff.Module, error) {
	cfg := &packages.Config{
		Context: ctx,
		// NeedDeps type-checks every package from source: without it
		// go/packages asks go list for export data, which compiles the
		// generated package (a minute for Stripe's, twice per diff).
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedDeps,
		Dir:  dir,
		Env:  append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GO111MODULE=on"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, fmt.Errorf("type-checking the generated code: %v", err)
	}
	mod := &xapidiff.Module{Path: scratchModule}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			var msgs []string
			for _, e := range p.Errors {
				msgs = append(msgs, e.Error())
			}
			return nil, fmt.Errorf("the generated code does not type-check against the runtime in %s (is it the runtime this generator needs?):\n%s",
				runtimeDir, strings.Join(msgs, "\n"))
		}
		if p.Types == nil {
			return nil, fmt.Errorf("type-checking the generated code: package %s not loaded", p.PkgPath)
		}
		mod.Packages = append(mod.Packages, p.Types)
	}
	sort.Slice(mod.Packages, func(i, j int) bool { return mod.Packages[i].Path() < mod.Packages[j].Path() })
	return mod, nil
}

// writeScratch lays out one scratch module in dir: the generated files
// (tag packages in their subdirectories); go.mod requires the runtime
// through a replace, like a consumer's module would, and go.sum starts
// from the runtime's own so that its dependencies need no checksum lookup.
func writeScratch(dir, runtimeDir string, files []generator.File) error {
	rt, err := filepath.Abs(runtimeDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mod := fmt.Sprintf("module %s\n\ngo 1.24\n\nrequire %s v0.0.0\n\nreplace %s => %s\n", scratchModule, runtimePath, runtimePath, rt)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		return err
	}
	if sum, err := os.ReadFile(filepath.Join(rt, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
			return err
		}
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.Content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// tidyTypes shortens the runtime's import path in apidiff's type strings.
func tidyTypes(s string) string {
	return strings.ReplaceAll(s, runtimePath+".", "runtime.")
}
