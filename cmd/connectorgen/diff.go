package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/apidiff"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
)

// diff runs `connectorgen diff`: it generates the connector of both specs
// in memory and reports what the change breaks, in the generated Go API
// (apidiff) and on the wire (oasdiff); for a GraphQL project (-config with
// schema:), in the Go API and in the operations that no longer validate. It exits 1 when anything breaks or
// on errors, 0 otherwise, 2 on bad usage.
func diff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oldSpec := fs.String("old", "", "the spec the connector is generated from now")
	newSpec := fs.String("new", "", "the changed spec")
	pkg := fs.String("package", "", "Go package name of the connector")
	cfgPath := fs.String("config", "", "connectorgen.yaml: the package name, and the spec for whichever of -old and -new is not given")
	asJSON := fs.Bool("json", false, "write the report as JSON (-format json)")
	format := fs.String("format", "text", "report format: text, markdown (for a pull request comment) or json")
	all := fs.Bool("all", false, "also list compatible Go API changes, the wire changes the connector absorbs and oasdiff's info-level findings")
	rtDir := fs.String("runtime", "", "directory of the runtime module to type-check the generated code against\n(default: the one the current module requires)")
	if err := fs.Parse(args); err != nil {
		return helpOrUsageError(err)
	}
	if *asJSON {
		if *format != "text" && *format != "json" {
			fmt.Fprintf(stderr, "connectorgen: -json and -format %s disagree\n", *format)
			return 2
		}
		*format = "json"
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "connectorgen: -format %q: want text, markdown or json\n", *format)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "connectorgen: diff takes no arguments (got %q); use -old and -new\n", fs.Arg(0))
		return 2
	}
	var settings *config.File
	if *cfgPath != "" {
		if *pkg != "" {
			fmt.Fprintln(stderr, "connectorgen: -config excludes -package")
			return 2
		}
		if *oldSpec != "" && *newSpec != "" {
			fmt.Fprintln(stderr, "connectorgen: with -config, give -old or -new, not both (the other is the config's spec)")
			return 2
		}
		cfg, code := readConfig(*cfgPath, stderr)
		if cfg == nil {
			return code
		}
		if cfg.Schema != "" {
			return diffGraphQL(ctx, cfg, *oldSpec, *newSpec, *rtDir, *format, *all, stdout, stderr)
		}
		*pkg = cfg.Package
		settings = cfg
		if *oldSpec == "" {
			*oldSpec = cfg.Spec
		} else {
			*newSpec = cfg.Spec
		}
	}
	if *oldSpec == "" || *newSpec == "" || *pkg == "" {
		fmt.Fprintln(stderr, "connectorgen: diff needs -old, -new and -package, or -config with -old or -new")
		return 2
	}
	if settings == nil && !packageFlagOK(*pkg, stderr) {
		return 1
	}
	var specs [2]apidiff.Spec
	for i, path := range []string{*oldSpec, *newSpec} {
		data, d := generator.ReadInput(path, "spec")
		if d != nil {
			fmt.Fprintln(stderr, d)
			return 1
		}
		specs[i] = apidiff.Spec{File: path, Data: data}
	}
	rt, err := runtimeDir(ctx, *rtDir)
	if err != nil {
		fmt.Fprintf(stderr, "connectorgen: %v\n", err)
		return 1
	}
	rep, diags, err := apidiff.Compare(ctx, specs[0], specs[1], apidiff.Options{Package: *pkg, Version: version(), RuntimeDir: rt, Settings: settings,
		Findings: *format == "json" && *all})
	printDiags(stderr, diags)
	if err != nil {
		if !errors.As(err, new(diag.List)) { // else the diagnostics said it
			fmt.Fprintf(stderr, "connectorgen: %v\n", err)
		}
		return 1
	}
	return writeReport(rep, *format, *all, stdout, stderr)
}

// diffGraphQL compares a GraphQL project's connector generated against
// two schemas: the config's and the one -old or -new names.
func diffGraphQL(ctx context.Context, cfg *config.File, oldSchema, newSchema, rtFlag, format string, all bool, stdout, stderr io.Writer) int {
	switch {
	case oldSchema == "" && newSchema == "":
		fmt.Fprintln(stderr, "connectorgen: diff -config with a GraphQL schema needs -old or -new: the other schema")
		return 2
	case oldSchema == "":
		oldSchema = cfg.Schema
	default:
		newSchema = cfg.Schema
	}
	rt, err := runtimeDir(ctx, rtFlag)
	if err != nil {
		fmt.Fprintf(stderr, "connectorgen: %v\n", err)
		return 1
	}
	rep, diags, err := apidiff.CompareGraphQL(ctx, cfg, oldSchema, newSchema, apidiff.Options{Package: cfg.Package, Version: version(), RuntimeDir: rt})
	printDiags(stderr, diags)
	if err != nil {
		if !errors.As(err, new(diag.List)) {
			fmt.Fprintf(stderr, "connectorgen: %v\n", err)
		}
		return 1
	}
	return writeReport(rep, format, all, stdout, stderr)
}

// writeReport prints the report in the format asked for and returns the
// exit code: 1 when anything breaks.
func writeReport(rep *apidiff.Report, format string, all bool, stdout, stderr io.Writer) int {
	var err error
	switch format {
	case "json":
		err = rep.JSON(stdout, all)
	case "markdown":
		err = rep.Markdown(stdout, all)
	default:
		err = rep.Text(stdout, all)
	}
	if err != nil {
		fmt.Fprintf(stderr, "connectorgen: %v\n", err)
		return 1
	}
	if rep.Breaking() {
		return 1
	}
	return 0
}

// readConfig reads connectorgen.yaml, printing its diagnostics.
func readConfig(path string, stderr io.Writer) (*config.File, int) {
	f, diags := generator.ReadConfig("", path)
	printDiags(stderr, diags)
	if f == nil {
		return nil, 1
	}
	return f, 0
}

const runtimeModule = "github.com/connectorgen/connectorgen/runtime"

// runtimeDir finds the runtime module the generated code is type-checked
// against: -runtime, else the one the current module requires (go list -m),
// else, inside connectorgen's own repository, its runtime/ directory.
func runtimeDir(ctx context.Context, flagDir string) (string, error) {
	if flagDir != "" {
		if _, err := os.Stat(filepath.Join(flagDir, "go.mod")); err != nil {
			return "", fmt.Errorf("-runtime %s: not a module directory (no go.mod)", flagDir)
		}
		return flagDir, nil
	}
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", runtimeModule)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err == nil {
		if dir := strings.TrimSpace(out.String()); dir != "" {
			return dir, nil
		}
	}
	if dir, ok := repoRuntime(); ok {
		return dir, nil
	}
	return "", errors.New("cannot find the runtime module (" + runtimeModule + ") to type-check the generated code: " +
		"run diff in a module that requires it, or pass -runtime DIR")
}

// repoRuntime finds runtime/ of connectorgen's repository from the current
// directory or one of its parents.
func repoRuntime() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "runtime", "go.mod"))
		if err == nil && bytes.HasPrefix(mod, []byte("module "+runtimeModule+"\n")) {
			return filepath.Join(dir, "runtime"), true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
