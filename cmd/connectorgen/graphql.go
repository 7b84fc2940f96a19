package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/graphql"
)

// produceGraphQL handles -schema and -operations given as flags.
func produceGraphQL(ctx context.Context, cfgPath, spec, schema, operations, pkg, out string, stderr io.Writer) (*output, int) {
	if cfgPath != "" || spec != "" {
		fmt.Fprintln(stderr, "connectorgen: -schema and -operations exclude -config and -spec")
		return nil, 2
	}
	if schema == "" || operations == "" || pkg == "" || out == "" {
		fmt.Fprintln(stderr, "connectorgen: generate needs -schema, -operations, -package and -out for GraphQL")
		return nil, 2
	}
	if !packageFlagOK(pkg, stderr) {
		return nil, 1
	}
	return generateGraphQL(ctx, &config.File{Schema: schema, Operations: operations, Package: pkg, Out: out}, stderr)
}

// generateGraphQL reads the schema and the documents the glob matches and
// generates a GraphQL connector in memory.
func generateGraphQL(ctx context.Context, cfg *config.File, stderr io.Writer) (*output, int) {
	data, err := os.ReadFile(cfg.Schema)
	if err != nil {
		fmt.Fprintf(stderr, "%s: #: cannot read schema: %v\n", cfg.Schema, pathError(err))
		return nil, 1
	}
	names, err := filepath.Glob(cfg.Operations)
	if err != nil {
		fmt.Fprintf(stderr, "connectorgen: bad -operations glob %q: %v\n", cfg.Operations, err)
		return nil, 1
	}
	if len(names) == 0 {
		fmt.Fprintf(stderr, "%s: #: no operation documents match the glob\n", cfg.Operations)
		return nil, 1
	}
	sort.Strings(names)
	var ops []graphql.Source
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			fmt.Fprintf(stderr, "%s: #: cannot read operations: %v\n", n, pathError(err))
			return nil, 1
		}
		ops = append(ops, graphql.Source{Name: n, Text: b})
	}
	res, err := generator.GenerateGraphQL(ctx, generator.GraphQLConfig{
		SchemaFile: cfg.Schema, Schema: data, Operations: ops,
		Package: cfg.Package, Version: version(), Scalars: cfg.Scalars})
	printDiags(stderr, res.Diagnostics)
	if err != nil {
		return nil, 1
	}
	return &output{dir: cfg.Out, pkg: cfg.Package, source: filepath.Base(cfg.Schema), files: res.Files}, 0
}
