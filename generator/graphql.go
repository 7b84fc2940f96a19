package generator

import (
	"context"
	"sort"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/graphql"
)

// GraphQLConfig is one generation from a GraphQL schema and operations.
type GraphQLConfig struct {
	// SchemaFile names the schema in diagnostics and in the generated
	// header (only its base name goes into generated files).
	SchemaFile string
	// Schema is the schema's text: SDL, or an introspection result (JSON).
	Schema []byte
	// Operations are the operation documents, by file name.
	Operations []graphql.Source
	// Package is the Go package name of the connector.
	Package string
	// Version is the generator version written in the header.
	Version string
	// Scalars binds custom scalars to Go types, e.g. "DateTime": "time.Time".
	Scalars map[string]string
	// Bindings, Casing and StructReferences are connectorgen.yaml's
	// bindings, casing and struct_references (see config.File).
	Bindings         map[string]config.Binding
	Casing           *config.Casing
	StructReferences bool
}

// GenerateGraphQL validates the operations against the schema and emits a
// connector with one method per operation (generator/graphql). Like
// Generate, it returns a diag.List error when any diagnostic is an error.
func GenerateGraphQL(ctx context.Context, cfg GraphQLConfig) (res *Result, err error) {
	res = &Result{}
	defer recoverInternal(cfg.SchemaFile, res, &err)
	if !validPackage(res, cfg.Package) {
		return res, res.Diagnostics
	}
	files, diags := graphql.Generate(ctx, graphql.Config{
		Schema: graphql.Source{Name: cfg.SchemaFile, Text: cfg.Schema}, Operations: cfg.Operations,
		Package: cfg.Package, Version: cfg.Version, Scalars: cfg.Scalars,
		Bindings: bindings(cfg.Bindings), Casing: casing(cfg.Casing), StructReferences: cfg.StructReferences,
	})
	res.Diagnostics = diags
	if diags.HasErrors() {
		return res, diags
	}
	for name, content := range files {
		res.Files = append(res.Files, File{Name: name, Content: content})
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Name < res.Files[j].Name })
	return res, nil
}

func bindings(in map[string]config.Binding) map[string]graphql.Binding {
	out := map[string]graphql.Binding{}
	for k, b := range in {
		out[k] = graphql.Binding{Type: b.Type, Marshaler: b.Marshaler, Unmarshaler: b.Unmarshaler}
	}
	return out
}

func casing(c *config.Casing) graphql.Casing {
	if c == nil {
		return graphql.Casing{}
	}
	return graphql.Casing{Default: c.Default, AllEnums: c.AllEnums, Enums: c.Enums}
}
