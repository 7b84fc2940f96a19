// Package config reads connectorgen.yaml, the file that tells
// `connectorgen generate -config` what to generate.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/connectorgen/connectorgen/generator/diag"
	"gopkg.in/yaml.v3"
)

// File is connectorgen.yaml. Paths are relative to the file's directory.
type File struct {
	// Spec is the path of the OpenAPI or Swagger spec.
	Spec string `yaml:"spec"`
	// Schema is the path of a GraphQL schema (SDL or introspection JSON),
	// instead of Spec.
	Schema string `yaml:"schema"`
	// Operations is a glob of the GraphQL operation documents (with Schema).
	Operations string `yaml:"operations"`
	// Scalars binds GraphQL custom scalars to Go types (with Schema).
	Scalars map[string]string `yaml:"scalars"`
	// Package is the Go package name of the connector.
	Package string `yaml:"package"`
	// Out is the directory the connector is written to.
	Out string `yaml:"out"`
}

var (
	lineRE    = regexp.MustCompile(`line (\d+): (.*)`)
	unknownRE = regexp.MustCompile(`field (\S+) not found in type`)
)

// Parse decodes a config file's text; name is its path, for diagnostics
// and to resolve relative paths. Unknown keys, wrong types and missing
// required keys are errors with line numbers.
func Parse(name string, data []byte) (*File, diag.List) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlDiags(name, err)
	}
	var diags diag.List
	need := func(key, val string) {
		if val == "" {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name, Line: 1}, Pointer: "#",
				Message: fmt.Sprintf("missing required key %q", key)})
		}
	}
	switch {
	case f.Schema != "" && f.Spec != "":
		diags = append(diags, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name, Line: 1}, Pointer: "#",
			Message: `keys "spec" and "schema" exclude each other (OpenAPI or GraphQL)`})
	case f.Schema != "":
		need("operations", f.Operations)
	default:
		need("spec", f.Spec)
	}
	need("package", f.Package)
	need("out", f.Out)
	if diags.HasErrors() {
		return nil, diags
	}
	dir := filepath.Dir(name)
	f.Spec, f.Out = join(dir, f.Spec), join(dir, f.Out)
	if f.Schema != "" {
		f.Schema, f.Operations = join(dir, f.Schema), join(dir, f.Operations)
	}
	return &f, nil
}

func join(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// yamlDiags turns yaml.v3's errors ("line 3: field foo not found in type
// config.File") into located diagnostics.
func yamlDiags(name string, err error) diag.List {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var out diag.List
	for _, m := range msgs {
		d := diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name}, Pointer: "#", Message: m}
		if g := lineRE.FindStringSubmatch(m); g != nil {
			d.Pos.Line, _ = strconv.Atoi(g[1])
			d.Message = g[2]
		}
		if g := unknownRE.FindStringSubmatch(d.Message); g != nil {
			d.Pointer = "#/" + g[1]
			d.Message = fmt.Sprintf("unknown key %q (known keys: spec, schema, operations, scalars, package, out)", g[1])
		}
		out = append(out, d)
	}
	return out
}
