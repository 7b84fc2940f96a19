// Command connectorgen generates typed Go API clients (connectors) from
// OpenAPI 3.0/3.1 and Swagger 2.0 specs.
//
//	connectorgen generate -spec FILE -package NAME -out DIR
//	connectorgen generate -config connectorgen.yaml
//	connectorgen check -config connectorgen.yaml   # CI gate: exit 1 and a diff when stale
//	connectorgen diff -old OLD_SPEC -new NEW_SPEC -package NAME   # what a spec change breaks
//
// It works from go generate: add `tool github.com/connectorgen/connectorgen/cmd/connectorgen`
// to go.mod and write `//go:generate go tool connectorgen generate -config connectorgen.yaml`.
// Diagnostics go to stderr as file:line:col: #/json/pointer: message; the
// exit code is 1 on any error, 2 on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "generate":
		return generate(ctx, args[1:], stderr)
	case "check":
		return check(ctx, args[1:], stdout, stderr)
	case "diff":
		return diff(ctx, args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "connectorgen", version())
		return 0
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "connectorgen: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  connectorgen generate -spec FILE -package NAME -out DIR
  connectorgen generate -schema SCHEMA -operations GLOB -package NAME -out DIR   (GraphQL)
  connectorgen generate -config connectorgen.yaml
  connectorgen check    (same flags as generate: exit 1 with a diff when the files on disk are stale)
  connectorgen diff -old OLD_SPEC -new NEW_SPEC -package NAME [-json] [-all] [-runtime DIR]
  connectorgen diff -config connectorgen.yaml -new NEW_SPEC   (or -old OLD_SPEC)
                        (what the change breaks in the Go API and on the wire: exit 1 when anything breaks)
  connectorgen version
`)
}

// helpOrUsageError is the exit code of a command whose flags did not parse:
// 0 when -h or -help asked for the usage (the flag package printed it),
// 2 for a usage error.
func helpOrUsageError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
