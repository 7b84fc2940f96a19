// Package apidiff tells what a spec change breaks, at two levels:
//
//   - the generated Go API: both specs are generated in memory, type-checked
//     in a scratch module against the runtime, and compared with
//     golang.org/x/exp/apidiff (removed or renamed identifiers, changed field
//     types, changed signatures); each change is traced back to the schema,
//     operation or security scheme the identifier comes from, as the
//     generator reports it (generator.Result.Symbols, from the IR);
//   - the wire: the specs themselves are compared by oasdiff's breaking-change
//     checker (github.com/oasdiff/oasdiff), whose findings are reported as
//     oasdiff words them.
//
// It backs `connectorgen diff`.
package apidiff

import (
	"context"
	"errors"
	"slices"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
)

// Spec is one side of a comparison.
type Spec struct {
	// File names the spec in diagnostics and reports; relative $refs to
	// other files resolve from its directory for the wire comparison.
	File string
	// Data is the spec's text.
	Data []byte
}

// Options configure a comparison.
type Options struct {
	// Package is the Go package name the connectors are generated with.
	Package string
	// Version is the generator version written into the generated headers.
	Version string
	// RuntimeDir is the directory of the runtime module the generated code is
	// type-checked against (see the CLI for how it is found).
	RuntimeDir string
	// Settings is connectorgen.yaml (include, exclude, names, types,
	// idempotency_header, split), applied to both specs; nil for none.
	// Its import_path is ignored: both connectors are type-checked in
	// scratch modules.
	Settings *config.File
	// Findings keeps every oasdiff finding in Report.Wire, besides the
	// changes they fold into (Report.WireGroups). There can be millions:
	// ask only to print them (connectorgen diff -json -all).
	Findings bool
}

// Compare generates both specs, compares the generated Go APIs and the specs'
// wire contracts. Diagnostics (generation warnings, and the located errors
// that stop the comparison: a spec that does not generate or that oasdiff
// cannot load) are returned in diags for the caller to print; err is non-nil
// when the comparison could not be made, and is a diag.List when diags
// already say why.
func Compare(ctx context.Context, old, new Spec, opts Options) (rep *Report, diags diag.List, err error) {
	if opts.RuntimeDir == "" {
		return nil, nil, errors.New("no runtime module directory to type-check the generated code against")
	}
	settings := opts.Settings
	if settings != nil && settings.Split != "" {
		// Both sides are type-checked as the scratch module's root package.
		cp := *settings
		cp.ImportPath = scratchModule
		settings = &cp
	}
	var results [2]*generator.Result
	for i, s := range []Spec{old, new} {
		res, err := generator.Generate(ctx, generator.Config{SpecFile: s.File, Spec: s.Data, Package: opts.Package, Version: opts.Version,
			Settings: settings})
		if res != nil {
			diags = appendNew(diags, res.Diagnostics...)
		}
		if err != nil {
			return nil, diags, diags
		}
		results[i] = res
	}
	rep = &Report{Old: old.File, New: new.File, Package: opts.Package}
	rep.GoAPI, err = compareGo(ctx, results[0], results[1], opts)
	if err != nil {
		return nil, diags, err
	}
	rep.Wire, rep.WireGroups, rep.AllOfFlattened, rep.WireNotes, err = compareWire(old, new, opts.Findings)
	if err != nil {
		var located diag.List
		if errors.As(err, &located) {
			diags = append(diags, located...)
			return nil, diags, diags
		}
		return nil, diags, err
	}
	return rep, diags, nil
}

// appendNew appends the diagnostics not already in l (comparing a spec
// with itself would say everything twice).
func appendNew(l diag.List, ds ...diag.Diagnostic) diag.List {
	for _, d := range ds {
		if !slices.Contains(l, d) {
			l = append(l, d)
		}
	}
	return l
}
