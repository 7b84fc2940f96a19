// Package generator is connectorgen's façade: a spec in, the files of a
// typed Go connector out, in memory, with located diagnostics. It does no
// disk I/O; the CLI reads specs and writes files.
package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/emit"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/generator/naming"
	"github.com/connectorgen/connectorgen/generator/paging"
	"github.com/connectorgen/connectorgen/generator/split"
)

// Config is one generation.
type Config struct {
	// SpecFile names the spec in diagnostics and in the generated header
	// (only its base name goes into generated files).
	SpecFile string
	// Spec is the spec's text: OpenAPI 3.0/3.1 or Swagger 2.0, JSON or YAML.
	Spec []byte
	// Package is the Go package name of the connector.
	Package string
	// Version is the generator version written in the header.
	Version string
	// Settings is connectorgen.yaml, for its OpenAPI settings beyond
	// spec, package and out: include, exclude, names, types,
	// idempotency_header, split and import_path. Nil for none.
	Settings *config.File
}

// File is one generated file.
type File struct {
	Name    string // slash-separated path under the output directory, e.g. "types.go" or "pets/operations.go"
	Content []byte
}

// Result is what a generation produced.
type Result struct {
	Files       []File // sorted by name
	Diagnostics diag.List
	// Symbols maps every identifier the connector declares from the spec
	// to its source, keyed as golang.org/x/exp/apidiff spells identifiers
	// ("Pet", "Pet.Name", "(*Client).ListPets"); see Symbol. Set when
	// generation succeeds.
	Symbols map[string]Symbol
	// Pagination says, per operation that is paginated or looks like a
	// list, which scheme its <Op>Iter follows or why it has none (package
	// paging); `connectorgen generate -v` prints it.
	Pagination []paging.Decision
}

// Generate loads, names and emits. It returns an error (a diag.List) when
// any diagnostic is an error; the result's diagnostics then say where.
// It never panics on bad input: a panic inside a stage is reported as an
// internal error.
func Generate(ctx context.Context, cfg Config) (res *Result, err error) {
	res = &Result{}
	defer recoverInternal(cfg.SpecFile, res, &err)
	if !validPackage(res, cfg.Package) {
		return res, res.Diagnostics
	}
	api, diags := openapi.Load(ctx, cfg.SpecFile, cfg.Spec)
	res.Diagnostics = diags
	if diags.HasErrors() {
		return res, diags
	}
	if d := webhooks(api, cfg.Settings); len(d) > 0 {
		for i := range d {
			if d[i].Pos.File == "" { // a pointer into the spec: its line and column
				d[i] = openapi.Locate(cfg.SpecFile, cfg.Spec, diag.List{d[i]})[0]
			}
		}
		res.Diagnostics = append(res.Diagnostics, d...)
		if d.HasErrors() {
			return res, res.Diagnostics
		}
	}
	idemHeader := ""
	if cfg.Settings != nil {
		d := customize(api, cfg.Settings)
		res.Diagnostics = append(res.Diagnostics, d...)
		if d.HasErrors() {
			return res, res.Diagnostics
		}
		idemHeader = cfg.Settings.IdempotencyHeader
	}
	decisions, d := paging.Apply(api, cfg.Settings)
	res.Pagination = decisions
	if len(d) > 0 {
		res.Diagnostics = append(res.Diagnostics, d...)
		return res, res.Diagnostics
	}
	if d := naming.Assign(api); len(d) > 0 {
		d = openapi.Locate(cfg.SpecFile, cfg.Spec, d)
		for i := range d {
			d[i].Pointer = shortPointer(d[i].Pointer)
			if cfg.Settings != nil {
				pinnedInConfig(&d[i], api, cfg.Settings)
			}
		}
		d.Sort()
		res.Diagnostics = append(res.Diagnostics, d...)
		if d.HasErrors() {
			return res, res.Diagnostics
		}
	}
	if cfg.Settings != nil && cfg.Settings.Split == config.SplitTags {
		if cfg.Settings.ImportPath == "" {
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: cfg.Settings.Name()},
				Pointer: "#/import_path", Message: "split: tags needs import_path, the import path of the package in out (the CLI derives it from the go.mod above out)"})
			return res, res.Diagnostics
		}
		split.ByTag(api, cfg.Settings.ImportPath, cfg.Package)
	}
	fakes := ""
	if cfg.Settings != nil && cfg.Settings.Fakes {
		if cfg.Settings.ImportPath == "" {
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: cfg.Settings.Name()},
				Pointer: "#/import_path", Message: "fakes: true needs import_path, the import path of the package in out (the CLI derives it from the go.mod above out)"})
			return res, res.Diagnostics
		}
		fakes = cfg.Settings.ImportPath
	}
	sum := sha256.Sum256(cfg.Spec)
	files, err := emit.Emit(api, emit.Options{
		Package: cfg.Package, SpecFile: filepath.Base(cfg.SpecFile),
		SpecSHA256: hex.EncodeToString(sum[:]), Version: cfg.Version,
		IdempotencyHeader: idemHeader, FakesOf: fakes,
	})
	if err != nil {
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: cfg.SpecFile},
			Pointer: "#", Message: "internal error (please report): " + err.Error()})
		return res, res.Diagnostics
	}
	for name, content := range files {
		res.Files = append(res.Files, File{Name: name, Content: content})
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Name < res.Files[j].Name })
	res.Symbols = symbols(api)
	return res, nil
}

// pinnedInConfig moves a pin error of the names pass (at the pinned
// thing's pointer followed by "/x-go-name") to the names: entry of
// connectorgen.yaml that set the pin, when one did (the config's names
// override x-go-name).
func pinnedInConfig(d *diag.Diagnostic, api *ir.API, s *config.File) {
	ptr, ok := strings.CutSuffix(d.Pointer, "/x-go-name")
	if !ok || d.Severity != diag.Error {
		return
	}
	key := ""
	if _, found := s.Names[ptr]; found {
		key = ptr
	}
	for _, op := range api.Operations {
		if _, found := s.Names["operation:"+op.ID]; found && op.Source == ptr {
			key = "operation:" + op.ID
		}
	}
	if key == "" {
		return
	}
	d.Pos = diag.Pos{File: s.Name(), Line: s.Line("names", key)}
	d.Pointer = "#/names/" + diag.EscapeToken(key)
	if key != ptr {
		d.Message += " (pinning " + ptr + ")"
	}
}

// shortPointer elides the middle of a JSON pointer longer than 200 bytes
// (a schema nested hundreds deep) at token boundaries: the diagnostic's
// line and column already locate it, and full pointers of every level of
// a deep nesting would make the diagnostics grow with its square.
func shortPointer(ptr string) string {
	const head, tail = 100, 80
	if len(ptr) <= head+tail+20 {
		return ptr
	}
	h := ptr[:head]
	h = h[:strings.LastIndexByte(h, '/')]
	t := ptr[len(ptr)-tail:]
	t = t[strings.IndexByte(t, '/'):]
	return h + "/…" + t
}

// recoverInternal turns a panic inside a stage into an internal-error
// diagnostic on res and the error *err; deferred by the façades.
func recoverInternal(file string, res *Result, err *error) {
	if p := recover(); p != nil {
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: file},
			Pointer: "#", Message: fmt.Sprintf("internal error (please report): %v", p)})
		*err = res.Diagnostics
	}
}

// validPackage reports whether name can be a connector's package name
// (config.CheckPackage), recording an error on res when not.
func validPackage(res *Result, name string) bool {
	err := config.CheckPackage(name)
	if err == nil {
		return true
	}
	res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Pointer: "#", Message: err.Error()})
	return false
}
