package generator

import (
	"bytes"
	"context"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/emit"
	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/generator/naming"
	"github.com/connectorgen/connectorgen/generator/paging"
	"github.com/connectorgen/connectorgen/generator/split"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// hostileTexts are the values spec text is replaced with: each tries to
// end a comment or a literal, to start a directive line, or to hide code.
var hostileTexts = []string{
	"*/ func init() { panic(1) } /*",
	"x\n//go:generate rm -rf /",
	"x\r//go:generate rm -rf /\r\n//line x.go:1",
	"nul\x00byte",
	"`); func init() { panic(1) }; var _ = (`",
	`"); func init() { panic(1) }; var _ = ("`,
	"x\u2028//go:generate rm -rf /\u2029y\u0085//go:build ignore",
	"bidi \u202e} \u2066panic(1)\u2069 \u2066{\u2069 \u202a\u202b\u202c\u202d \ufeff",
	"//line x:1",
	"\n+build ignore\n\n",
	"bad\xff\xfeutf8 \x7f\u0090",
	"/*line x.go:1*/ //export F\n//extern f",
}

// allHostile is every hostile text at once.
var allHostile = strings.Join(hostileTexts, " ")

// structural lists the IR's string fields that are not free text: the
// emitter relies on their form, and an earlier stage guarantees it. Every
// other string field (a new one included) gets hostile text in
// TestInjectionIR; a field added here needs a reason.
var structural = map[string]string{
	"API.Security":             "scheme names, matched against SecurityScheme.Name",
	"Operation.Method":         "an HTTP method the loader took from the path item's keys",
	"Operation.Path":           "a path template the emitter splits at its {parameters}",
	"Operation.Security":       "scheme names, matched against SecurityScheme.Name",
	"Operation.GoNameOverride": "x-go-name: the loader and config accept only Go identifiers",
	"Operation.Name":           "a Go identifier from the names pass",
	"Operation.RequestName":    "a Go identifier from the names pass",
	"Operation.ResponseName":   "a Go identifier from the names pass",
	"Alternative.Name":         "a Go identifier from the names pass",
	"Alternative.RequestName":  "a Go identifier from the names pass",
	"Param.Name":               "matched against the {name} of the path template (otherwise free text, quoted)",
	"Param.In":                 "path, query, header or cookie (the loader checks)",
	"Param.Style":              "an OpenAPI style name, mapped to a runtime constant",
	"Param.GoNameOverride":     "x-go-name: a Go identifier",
	"Param.GoName":             "a Go identifier from the names pass",
	"Body.MediaType":           "a media type the loader parsed into Kind",
	"Response.Status":          "a status code or range the loader checked",
	"Response.MediaType":       "a media type the loader parsed into Kind",
	"Response.OtherMedia":      "media types",
	"Header.GoName":            "a Go identifier from the names pass",
	"SecurityScheme.Type":      "an OpenAPI security scheme type",
	"SecurityScheme.In":        "header, query or cookie",
	"SecurityScheme.Scheme":    "an HTTP authentication scheme name",
	"SecurityScheme.GoName":    "a Go identifier from the names pass",
	"Type.Format":              "a format keyword that selects a Go type",
	"Type.GoNameOverride":      "x-go-name: a Go identifier",
	"Type.Name":                "a Go identifier from the names pass",
	"Field.GoNameOverride":     "x-go-name: a Go identifier",
	"Field.GoName":             "a Go identifier from the names pass",
	"WebhookMatch.In":          "header or body, set by the generator's webhooks pass",
	"WebhookMatch.Name":        "filled after loading (generator/webhooks.go) from connectorgen.yaml or a member's JSON name; emitted only as a string literal and through doc (golden hostile-text, TestHostileTextIsData)",
	"WebhookMatch.Value":       "filled after loading (generator/webhooks.go) from an enum or const value, an extension or connectorgen.yaml; emitted only as a string literal and through doc (golden hostile-text, TestHostileTextIsData)",
	"EnumValue.GoName":         "a Go identifier from the names pass",
	"Variant.GoName":           "a Go identifier from the names pass",
	"Package.Path":             "an import path from the configuration",
	"Package.Name":             "a package name from the split pass",
	"GoType.Path":              "x-go-type: an import path the loader checks",
	"GoType.Name":              "x-go-type: a Go identifier the loader checks",
	"Limits.Pattern":           "a regular expression the loader keeps only when Go compiles it",
	"PatternProperty.Pattern":  "a regular expression, checked against RE2",
	"Encoding.Style":           "an OpenAPI style name, mapped to a runtime constant",
	"Pagination.Scheme":        "one of package ir's PageScheme constants (package paging sets it; the config checks a rule's)",
	"Pagination.Origin":        "detected, config or an extension's name, set by package paging; generate -v prints it, nothing emits it",
	"Pagination.IterName":      "a Go identifier from the names pass",
	"Pagination.PagesName":     "a Go identifier from the names pass",
}

// inject appends text to every free-text string of the IR reachable from
// v (fields not in structural), and returns the field names it set.
func inject(v reflect.Value, text string, seen map[uintptr]bool, set map[string]bool, owner string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		inject(v.Elem(), text, seen, set, owner)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if s, ok := v.Interface().(string); ok && v.CanSet() {
			v.Set(reflect.ValueOf(s + text))
			set[owner] = true
			return
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name := v.Type().Name() + "." + f.Name
			if _, skip := structural[name]; skip || !f.IsExported() {
				continue
			}
			inject(v.Field(i), text, seen, set, name)
		}
	case reflect.Slice:
		for i := range v.Len() {
			inject(v.Index(i), text, seen, set, owner)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + text)
			set[owner] = true
		}
	}
}

// textFields lists every exported string-bearing field of the IR's types
// (string, []string, any, and through pointers, slices and maps), so the
// test notices a field that no spec fills.
func textFields(t reflect.Type, seen map[reflect.Type]bool, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := t.Name() + "." + f.Name
		ft := f.Type
		for ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.String || ft.Kind() == reflect.Interface {
			if _, skip := structural[name]; !skip {
				out[name] = true
			}
		}
		textFields(f.Type, seen, out)
	}
}

// checkGo asserts what the emitter guarantees of every generated Go file:
// it parses, carries no directive on any line or in any comment, has no
// hidden characters (gotext.CheckSource) and is gofmt-stable.
func checkGo(t *testing.T, name string, src []byte) {
	t.Helper()
	if err := gotext.CheckSource(name, src); err != nil {
		t.Errorf("%v\n%s", err, src)
		return
	}
	again, err := format.Source(src)
	if err != nil || !bytes.Equal(again, src) {
		t.Errorf("%s is not gofmt-stable (err %v)", name, err)
	}
}

// checkFiles runs checkGo on every .go file and checks the README keeps
// every hostile text on its line.
func checkFiles(t *testing.T, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		if strings.HasSuffix(name, ".go") {
			checkGo(t, name, b)
		} else if bytes.ContainsAny(b, "\x00\r\u2028\u202e") {
			t.Errorf("%s holds a control, line separator or bidi character", name)
		}
	}
}

// irCase is a spec of the golden cases loaded and named as Generate does.
type irCase struct {
	name     string
	settings *config.File
	spec     []byte
}

func goldenIRCases(t *testing.T) []irCase {
	dirs, _ := filepath.Glob(filepath.Join(gobuild.RepoRoot(), "golden", "*", "connectorgen.yaml"))
	var out []irCase
	for _, p := range dirs {
		data, _ := os.ReadFile(p)
		cfg, diags := config.Parse("connectorgen.yaml", data)
		if cfg == nil || diags.HasErrors() || cfg.Spec == "" {
			continue
		}
		spec, err := os.ReadFile(filepath.Join(filepath.Dir(p), cfg.Spec))
		if err != nil {
			continue
		}
		out = append(out, irCase{filepath.Base(filepath.Dir(p)), cfg, spec})
	}
	if len(out) < 10 {
		t.Fatalf("only %d golden OpenAPI cases found", len(out))
	}
	return out
}

// load runs the stages of Generate before emission; nil when the spec has
// errors (a negative golden case).
func (c irCase) load(t *testing.T) *ir.API {
	api, diags := openapi.Load(context.Background(), c.name+".yaml", c.spec)
	if diags.HasErrors() {
		return nil
	}
	if customize(api, c.settings).HasErrors() {
		return nil
	}
	if _, d := paging.Apply(api, c.settings); d.HasErrors() {
		return nil
	}
	naming.Assign(api)
	if c.settings.Split == config.SplitTags {
		split.ByTag(api, c.settings.ImportPath, c.settings.Package)
	}
	return api
}

// TestInjectionIR appends each hostile text to every free-text string of
// the IR (found by reflection, so a new field is covered without editing
// this test) of every golden OpenAPI and Swagger 2.0 case, emits, and
// checks every Go file: it parses, carries no directive, no hidden
// character, and is gofmt-stable. It also fails when some free-text field
// of the IR is filled by no golden spec, so coverage cannot silently shrink.
func TestInjectionIR(t *testing.T) {
	cases := goldenIRCases(t)
	covered := map[string]bool{}
	for _, c := range cases {
		for i, text := range append(hostileTexts, allHostile) {
			api := c.load(t)
			if api == nil {
				break
			}
			inject(reflect.ValueOf(api), text, map[uintptr]bool{}, covered, "API")
			files, err := emit.Emit(api, emit.Options{Package: c.settings.Package, SpecFile: "spec.yaml" + text,
				SpecSHA256: "0", Version: "v0" + text})
			if err != nil {
				t.Errorf("%s, text %d: %v", c.name, i, err)
				continue
			}
			checkFiles(t, files)
		}
	}
	all := map[string]bool{}
	textFields(reflect.TypeOf(ir.API{}), map[reflect.Type]bool{}, all)
	var missing []string
	for f := range all {
		if !covered[f] {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("free-text IR fields no golden spec fills (add a golden case that does, or list them in structural with a reason): %v", missing)
	}
}

// TestInjectionBuildsAndImports emits the petstore golden case with every
// hostile text in every free-text field, then builds and vets it in a
// scratch module and runs a program importing it: it must print what the
// program prints and nothing else (no spec code ran at init), and `go
// generate -n` must find no command to run.
func TestInjectionBuildsAndImports(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated code; skipped with -short")
	}
	var c irCase
	for _, gc := range goldenIRCases(t) {
		if gc.name == "petstore" {
			c = gc
		}
	}
	api := c.load(t)
	if api == nil {
		t.Fatal("petstore golden case does not load")
	}
	inject(reflect.ValueOf(api), allHostile, map[uintptr]bool{}, map[string]bool{}, "API")
	files, err := emit.Emit(api, emit.Options{Package: "hostile", SpecFile: "spec.yaml", SpecSHA256: "0", Version: "v0"})
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, files)
	runImporter(t, files, "hostile")
}

// runImporter writes files as package pkg of a scratch module with a main
// package importing it, builds and vets both, runs `go generate -n` (no
// command may be listed) and runs main (its output must be exactly "ok").
func runImporter(t *testing.T, files map[string][]byte, pkg string) {
	t.Helper()
	mod := t.TempDir()
	for name, b := range files {
		p := filepath.Join(mod, pkg, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main := fmt.Sprintf("package main\n\nimport (\n\t\"fmt\"\n\n\t%q\n)\n\nfunc main() {\n\t_, _ = %s.New(\"http://127.0.0.1:1\")\n\tfmt.Print(\"ok\")\n}\n", "scratch/"+pkg, pkg)
	if err := os.MkdirAll(filepath.Join(mod, "cmd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "cmd", "main.go"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.WriteModule(mod, "scratch"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := gobuild.BuildAndVet(ctx, mod); err != nil {
		t.Fatal(err)
	}
	out, err := goOutput(ctx, mod, "generate", "-n", "./...")
	if err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("go generate -n lists commands from generated code (err %v):\n%s", err, out)
	}
	out, err = goOutput(ctx, mod, "run", "./cmd")
	if err != nil || out != "ok" {
		t.Fatalf("importing the connector ran spec code: output %q, err %v", out, err)
	}
}

// goOutput runs the go command in dir (as gobuild.Go does) and returns its
// standard output.
func goOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("go %v: %v\n%s", args, err, stderr.String())
	}
	return string(out), nil
}
