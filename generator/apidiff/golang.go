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

// compareGo type-checks both generated packages in one scratch module (so
// they share the runtime's types) and runs apidiff on them.
func compareGo(ctx context.Context, oldFiles, newFiles []generator.File, opts Options) ([]GoChange, error) {
	dir, err := os.MkdirTemp("", "connectorgen-diff-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := writeScratch(dir, opts.RuntimeDir, oldFiles, newFiles); err != nil {
		return nil, err
	}
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     dir,
		Env:     append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GO111MODULE=on"),
		Tests:   false,
	}
	pkgs, err := packages.Load(cfg, "./old", "./new")
	if err != nil {
		return nil, fmt.Errorf("type-checking the generated code: %v", err)
	}
	byPath := map[string]*packages.Package{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			var msgs []string
			for _, e := range p.Errors {
				msgs = append(msgs, e.Error())
			}
			return nil, fmt.Errorf("the generated code does not type-check against the runtime in %s (is it the runtime this generator needs?):\n%s",
				opts.RuntimeDir, strings.Join(msgs, "\n"))
		}
		byPath[p.PkgPath] = p
	}
	oldPkg, newPkg := byPath[scratchModule+"/old"], byPath[scratchModule+"/new"]
	if oldPkg == nil || newPkg == nil || oldPkg.Types == nil || newPkg.Types == nil {
		return nil, fmt.Errorf("type-checking the generated code: packages not loaded")
	}
	oldIdx, err := indexSources(oldFiles)
	if err != nil {
		return nil, err
	}
	newIdx, err := indexSources(newFiles)
	if err != nil {
		return nil, err
	}
	var out []GoChange
	reported := map[string]bool{}
	for _, c := range xapidiff.Changes(oldPkg.Types, newPkg.Types).Changes {
		obj, change, ok := strings.Cut(c.Message, ": ")
		if !ok {
			obj, change = "", c.Message
		}
		reported[obj] = true
		out = append(out, GoChange{
			Breaking: !c.Compatible,
			Object:   obj,
			Change:   tidyTypes(change),
			Source:   trace(obj, oldIdx, newIdx),
		})
	}
	for _, c := range missedTypeArgs(oldPkg.Types, newPkg.Types, reported) {
		c.Source = trace(c.Object, oldIdx, newIdx)
		out = append(out, c)
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

// writeScratch lays out the scratch module: old/ and new/ hold the two
// generated packages; go.mod requires the runtime through a replace, like
// a consumer's module would, and go.sum starts from the runtime's own so
// that its dependencies need no checksum lookup.
func writeScratch(dir, runtimeDir string, oldFiles, newFiles []generator.File) error {
	rt, err := filepath.Abs(runtimeDir)
	if err != nil {
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
	for sub, files := range map[string][]generator.File{"old": oldFiles, "new": newFiles} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Name, ".go") {
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, sub, f.Name), f.Content, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// tidyTypes shortens the runtime's import path in apidiff's type strings.
func tidyTypes(s string) string {
	return strings.ReplaceAll(s, runtimePath+".", "runtime.")
}
