package main

import (
	"context"
	"fmt"
	"io"

	"github.com/connectorgen/connectorgen/generator/config"
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
	return generateFrom(ctx, &config.File{Schema: schema, Operations: operations, Package: pkg, Out: out}, stderr)
}
