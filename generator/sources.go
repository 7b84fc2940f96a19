package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/graphql"
)

// This file is the one place that reads a generation's inputs from disk: the
// CLI's generate, check and diff commands and the golden harness all call it,
// so a file that cannot be read is reported the same way everywhere.

// ReadConfig reads and parses the connectorgen.yaml at path, relative to dir
// ("" for the current directory) and named as path in diagnostics. It
// returns nil and the diagnostics when the file cannot be read (located at
// path, "#") or does not parse; warnings come with a non-nil config.
func ReadConfig(dir, path string) (*config.File, diag.List) {
	data, err := ReadInput(filepath.Join(dir, path), "config")
	if err != nil {
		err.Pos.File = path
		return nil, diag.List{*err}
	}
	return config.Parse(path, data)
}

// ReadInput reads the input file at path (a spec, schema, config or
// operation document: what says which, for the message). The error is
// located at the file, "#", and names the cause without repeating the path
// ("spec.yaml: #: cannot read spec: no such file or directory").
func ReadInput(path, what string) ([]byte, *diag.Diagnostic) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: path}, Pointer: "#",
			Message: fmt.Sprintf("cannot read %s: %v", what, err)}
	}
	return data, nil
}

// GenerateFrom reads the sources cfg names and generates the connector: the
// OpenAPI or Swagger spec (cfg.Spec), or the GraphQL schema (cfg.Schema) and
// the operation documents cfg.Operations matches (a filepath.Match glob,
// read in name order). Paths in cfg are relative to dir ("" for the current
// directory) and are written as cfg gives them in diagnostics and generated
// headers, so output does not depend on where dir is. version is the
// generator version for the header. Like [Generate], it returns a diag.List
// error when any diagnostic is an error, an unreadable or missing input
// included.
func GenerateFrom(ctx context.Context, dir string, cfg *config.File, version string) (*Result, error) {
	fail := func(d diag.Diagnostic) (*Result, error) {
		l := diag.List{d}
		return &Result{Diagnostics: l}, l
	}
	if cfg.Schema == "" {
		spec, err := ReadInput(filepath.Join(dir, cfg.Spec), "spec")
		if err != nil {
			err.Pos.File = cfg.Spec
			return fail(*err)
		}
		return Generate(ctx, Config{SpecFile: cfg.Spec, Spec: spec, Package: cfg.Package, Version: version, Settings: cfg})
	}
	schema, err := ReadInput(filepath.Join(dir, cfg.Schema), "schema")
	if err != nil {
		err.Pos.File = cfg.Schema
		return fail(*err)
	}
	names, gerr := filepath.Glob(filepath.Join(dir, cfg.Operations))
	switch {
	case gerr != nil:
		return fail(diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: cfg.Operations}, Pointer: "#",
			Message: fmt.Sprintf("bad operations glob: %v", gerr)})
	case len(names) == 0:
		return fail(diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: cfg.Operations}, Pointer: "#",
			Message: "no operation documents match the glob"})
	}
	sort.Strings(names)
	ops := make([]graphql.Source, 0, len(names))
	for _, n := range names {
		rel := n
		if dir != "" {
			if r, err := filepath.Rel(dir, n); err == nil {
				rel = filepath.ToSlash(r)
			}
		}
		text, err := ReadInput(n, "operations")
		if err != nil {
			err.Pos.File = rel
			return fail(*err)
		}
		ops = append(ops, graphql.Source{Name: rel, Text: text})
	}
	return GenerateGraphQL(ctx, GraphQLConfig{SchemaFile: cfg.Schema, Schema: schema, Operations: ops,
		Package: cfg.Package, Version: version, Scalars: cfg.Scalars,
		Bindings: cfg.Bindings, Casing: cfg.Casing, StructReferences: cfg.StructReferences})
}
