package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
)

// generate runs `connectorgen generate`.
func generate(ctx context.Context, args []string, stderr io.Writer) int {
	o, code := produce(ctx, "generate", args, stderr)
	if o == nil {
		return code
	}
	addChangelog(ctx, o, true, stderr)
	p := makePlan(*o)
	for _, w := range p.warnings {
		fmt.Fprintln(stderr, w)
	}
	if len(p.problems) > 0 {
		for _, msg := range p.problems {
			fmt.Fprintln(stderr, msg)
		}
		fmt.Fprintf(stderr, "connectorgen: nothing written to %s: connectorgen writes and removes only the files it generated for this connector\n", o.dir)
		return 1
	}
	if err := p.apply(); err != nil {
		fmt.Fprintf(stderr, "%v\nconnectorgen: the connector in %s was left as it was\n", err, o.dir)
		return 1
	}
	return 0
}

// produce parses the flags shared by generate and check, reads the spec and
// generates in memory. It returns the connector, or nil and the exit code.
func produce(ctx context.Context, name string, args []string, stderr io.Writer) (*output, int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "", "OpenAPI 3.x or Swagger 2.0 spec (JSON or YAML)")
	pkg := fs.String("package", "", "Go package name of the connector")
	out := fs.String("out", "", "output directory")
	cfgPath := fs.String("config", "", "connectorgen.yaml (instead of -spec, -package, -out)")
	schema := fs.String("schema", "", "GraphQL schema, SDL or introspection JSON (instead of -spec)")
	operations := fs.String("operations", "", "glob of GraphQL operation documents (with -schema)")
	verbose := fs.Bool("v", false, "also print, per list operation, the pagination scheme of its <Op>Iter or why it has none")
	changelog := fs.Bool("changelog", false, "write CHANGES.md in out when the Go API changes: what changed since the connector on disk (OpenAPI; the config's changelog: true)")
	if err := fs.Parse(args); err != nil {
		return nil, helpOrUsageError(err)
	}
	if *schema != "" || *operations != "" {
		return produceGraphQL(ctx, *cfgPath, *spec, *schema, *operations, *pkg, *out, stderr)
	}
	cfg, code := resolveConfig(*cfgPath, *spec, *pkg, *out, stderr)
	if cfg == nil {
		return nil, code
	}
	cfg.Changelog = cfg.Changelog || *changelog
	if cfg.Schema == "" && (cfg.Split == config.SplitTags || cfg.Fakes) && cfg.ImportPath == "" {
		p, err := importPathOf(cfg.Out)
		if err != nil {
			what := "split: tags"
			if cfg.Split != config.SplitTags {
				what = "fakes: true"
			}
			fmt.Fprintf(stderr, "connectorgen: %s needs import_path, and it cannot be derived: %v\n", what, err)
			return nil, 1
		}
		cfg.ImportPath = p
	}
	o, code := generateFrom(ctx, cfg, stderr)
	if *verbose && o != nil {
		for _, d := range o.res.Pagination {
			fmt.Fprintf(stderr, "%s: %s: pagination: %s\n", filepath.Base(cfg.Spec), d.Pointer, d)
		}
	}
	return o, code
}

// generateFrom reads the sources cfg names and generates in memory.
func generateFrom(ctx context.Context, cfg *config.File, stderr io.Writer) (*output, int) {
	res, err := generator.GenerateFrom(ctx, "", cfg, version())
	printDiags(stderr, res.Diagnostics)
	if err != nil {
		return nil, 1
	}
	source := cfg.Spec
	if cfg.Schema != "" {
		source = cfg.Schema
	}
	return &output{dir: cfg.Out, pkg: cfg.Package, source: filepath.Base(source), files: res.Files, res: res, cfg: cfg}, 0
}

// resolveConfig takes either -config or the three flags.
func resolveConfig(cfgPath, spec, pkg, out string, stderr io.Writer) (*config.File, int) {
	if cfgPath != "" {
		if spec != "" || pkg != "" || out != "" {
			fmt.Fprintln(stderr, "connectorgen: -config excludes -spec, -package and -out")
			return nil, 2
		}
		return readConfig(cfgPath, stderr)
	}
	if spec == "" || pkg == "" || out == "" {
		fmt.Fprintln(stderr, "connectorgen: generate needs -spec, -package and -out, or -config")
		return nil, 2
	}
	if !packageFlagOK(pkg, stderr) {
		return nil, 1
	}
	return &config.File{Spec: spec, Package: pkg, Out: out}, 0
}

// packageFlagOK checks the -package flag as config.CheckPackage checks
// the config's package key, naming the flag in the error.
func packageFlagOK(pkg string, stderr io.Writer) bool {
	if err := config.CheckPackage(pkg); err != nil {
		fmt.Fprintf(stderr, "connectorgen: -package: %v\n", err)
		return false
	}
	return true
}

func pathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func printDiags(w io.Writer, diags diag.List) {
	for _, d := range diags {
		fmt.Fprintln(w, d.String())
	}
}

// version is the module version when installed with go install or go
// tool, else "devel".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
