// Package emit turns a named IR API into Go source files. It is the only
// package that imports jennifer; it invents no names (the naming pass did)
// and does no disk I/O.
package emit

import (
	"bytes"
	"fmt"
	"go/format"
	"path"
	"strings"

	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/templates"
	"github.com/dave/jennifer/jen"
)

// rtPath is the runtime package a program uses (options, errors, Opt);
// authPath its credentials (Credential, SecurityScheme); implPath its
// generated-code half (codec, validation, parameters).
const (
	rtPath   = "github.com/connectorgen/connectorgen/runtime"
	authPath = rtPath + "/auth"
	implPath = rtPath + "/rtimpl"
)

// GeneratedVersion is the generated-code API version this emitter writes;
// the runtime's MinVersion..MaxVersion must include it.
const GeneratedVersion = 9

// Options are the inputs of emission besides the API.
type Options struct {
	Package    string // Go package name
	SpecFile   string // base name of the spec, for the header
	SpecSHA256 string // hex SHA-256 of the spec bytes
	Version    string // generator version, for the header
	// IdempotencyHeader is the header unsafe operations carry idempotency
	// keys in when the spec declares none (connectorgen.yaml's
	// idempotency_header); "" for none.
	IdempotencyHeader string
	// FakesOf is the connector's import path when connectorgen.yaml says
	// fakes: true: Emit then also writes <Package>fake/fake.go, the typed
	// fake server (see fakes); "" for none.
	FakesOf string
}

// Emit returns the connector's files by path: doc.go, client.go,
// types.go, operations.go and README.md; for a connector split by tag
// (api.Packages set) the root has no operations.go and each tag package
// adds <name>/doc.go, client.go, types.go (when it owns types) and
// operations.go. A types.go or operations.go larger than 2 MiB is
// replaced by several files named after the names they declare
// (types.a.go, types.b-d.go, ...; see splitFile). Every Go file is
// checked with gotext.CheckSource: it parses and carries no directive.
// Errors mean a bug in the emitter (unformattable or unsafe code), never
// bad input.
func Emit(api *ir.API, o Options) (map[string][]byte, error) {
	header, err := templates.Render("header.tmpl", o)
	if err != nil {
		return nil, err
	}
	e := &emitter{api: api, opts: o, header: strings.TrimSpace(string(header)), valid: newValidation(api)}
	out := map[string][]byte{}
	var root *ir.Package
	goFiles := map[string]func(*jen.File){
		"client.go":     e.client,
		"types.go":      func(f *jen.File) { e.types(f, nil) },
		"operations.go": func(f *jen.File) { e.operations(f, nil) },
	}
	if len(api.Packages) > 0 {
		root = api.Packages[0]
		goFiles = map[string]func(*jen.File){
			"client.go": e.client,
			"types.go":  func(f *jen.File) { e.types(f, root) },
		}
	}
	if len(api.Webhooks) > 0 {
		goFiles["webhooks.go"] = e.webhooks
	}
	if err := e.render(out, root, "", goFiles); err != nil {
		return nil, err
	}
	data := e.templateData()
	for name, tmpl := range map[string]string{"doc.go": "doc.go.tmpl", "README.md": "README.md.tmpl"} {
		b, err := templates.Render(tmpl, data)
		if err == nil && strings.HasSuffix(name, ".go") {
			b, err = format.Source(b) // gofmt reformats doc comments: spec prose can hold indented lines
		}
		if err != nil {
			return nil, fmt.Errorf("emit %s: %w", name, err)
		}
		out[name] = b
	}
	for _, pkg := range api.Packages[min(1, len(api.Packages)):] {
		if err := e.tagPackage(out, pkg); err != nil {
			return nil, err
		}
	}
	if o.FakesOf != "" {
		if err := e.fakes(out); err != nil {
			return nil, err
		}
	}
	for name, b := range out {
		if strings.HasSuffix(name, ".go") {
			if err := gotext.CheckSource(name, b); err != nil {
				return nil, fmt.Errorf("emit %s: %w", name, err) // a text path that bypasses gotext: a bug
			}
		}
	}
	return out, nil
}

// newFile starts a Go file of package name at import path path, with the
// generated-code header.
func (e *emitter) newFile(path, name string) *jen.File {
	f := jen.NewFilePathName(path, name)
	f.HeaderComment(e.header)
	return f
}

// render builds the Go files of one package into out, under dir. A nil
// pkg is the single package of an unsplit connector.
func (e *emitter) render(out map[string][]byte, pkg *ir.Package, dir string, files map[string]func(*jen.File)) error {
	for name, build := range files {
		f := jen.NewFile(e.opts.Package)
		if pkg != nil {
			f = jen.NewFilePathName(pkg.Path, pkg.Name)
		}
		f.HeaderComment(e.header)
		f.ImportName(rtPath, "runtime")
		f.ImportName(implPath, "rtimpl")
		f.ImportName(authPath, "auth")
		if ps := e.api.Packages; len(ps) > 0 && path.Base(ps[0].Path) != ps[0].Name {
			f.ImportAlias(ps[0].Path, ps[0].Name) // the directory is not named like the package
		}
		build(f)
		var buf bytes.Buffer
		if err := f.Render(&buf); err != nil {
			return fmt.Errorf("emit %s: %w", path.Join(dir, name), err)
		}
		src := groupImports(buf.Bytes())
		parts := map[string][]byte{name: src}
		if len(src) > maxFileBytes {
			var err error
			if parts, err = splitFile(name, src, e.unitStarts(name, pkg), maxFileBytes); err != nil {
				return err
			}
		}
		for n, b := range parts {
			out[path.Join(dir, n)] = b
		}
	}
	return nil
}

// unitStarts maps the identifier that starts each unit of the file name
// of pkg (nil: of the unsplit connector) to the unit's name, for
// splitFile: in types.go each type's name, in operations.go each
// operation's descriptor variable. Other files have no units.
func (e *emitter) unitStarts(name string, pkg *ir.Package) map[string]string {
	starts := map[string]string{}
	switch name {
	case "types.go":
		for _, t := range e.api.Types {
			if t.Package == pkg {
				starts[t.Name] = t.Name
			}
		}
	case "operations.go":
		for _, op := range e.api.Operations {
			if op.Package == pkg {
				starts[descVar(op)] = op.Name
			}
		}
	}
	return starts
}

type emitter struct {
	api    *ir.API
	opts   Options
	header string
	valid  *validation
}

// templateData feeds doc.go and README.md.
func (e *emitter) templateData() map[string]any {
	type scheme struct{ Name, Kind, Option, Example string }
	var schemes []scheme
	for _, s := range e.api.SecuritySchemes {
		schemes = append(schemes, scheme{Name: s.Name, Kind: schemeKind(s), Option: s.GoName, Example: credentialExample(s)})
	}
	server := ""
	if len(e.api.Servers) > 0 {
		server = e.api.Servers[0].URL
	}
	title := e.title()
	type tagPkg struct {
		Path, Tag  string
		Operations int
	}
	var pkgs []tagPkg
	for _, p := range e.api.Packages[min(1, len(e.api.Packages)):] {
		tag := "(no tag)"
		if len(p.Tags) > 0 {
			tag = p.Tags[0]
		}
		pkgs = append(pkgs, tagPkg{Path: p.Path, Tag: tag, Operations: e.countOps(p)})
	}
	paginated, iter, iterReq := 0, "", ""
	for _, op := range e.api.Operations {
		if p := op.Pagination; p != nil && p.IterName != "" {
			paginated++
			if iter == "" && op.Package == nil {
				iter, iterReq = p.IterName, op.RequestName
			}
		}
	}
	// The first event with a declared type, for the webhooks example.
	on, arg := "", ""
	for _, w := range e.api.Webhooks {
		if t := eventType(w); t != nil && isNamed(t) && (t.Package == nil || len(e.api.Packages) > 0 && t.Package == e.api.Packages[0]) {
			on, arg = "On"+w.Op.Name, "*"+e.opts.Package+"."+t.Name
			break
		}
	}
	return map[string]any{"Packages": pkgs, "Paginated": paginated, "Iter": iter, "IterRequest": iterReq,
		"Webhooks": len(e.api.Webhooks), "WebhookOn": on, "WebhookArg": arg, "Fakes": e.opts.FakesOf != "",
		"Header": e.header, "Package": e.opts.Package, "Title": title, "APIVersion": e.api.Version,
		"Description": e.api.Description, "SpecFile": e.opts.SpecFile,
		"Operations": len(e.api.Operations), "Types": len(e.api.Types), "Server": server, "Schemes": schemes,
	}
}

func schemeKind(s *ir.SecurityScheme) string {
	switch s.Type {
	case "apiKey":
		return fmt.Sprintf("API key in %s %q", s.In, s.ParamName)
	case "http":
		return "HTTP " + s.Scheme
	}
	return s.Type
}

func credentialExample(s *ir.SecurityScheme) string {
	switch {
	case s.Type == "http" && s.Scheme == "basic":
		return `Basic(user, password)`
	case s.Type == "apiKey":
		return `APIKey(key)`
	}
	return `BearerToken(token)`
}
