// Package emit turns a named IR API into Go source files. It is the only
// package that imports jennifer; it invents no names (the naming pass did)
// and does no disk I/O.
package emit

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/templates"
	"github.com/dave/jennifer/jen"
)

const rtPath = "github.com/connectorgen/connectorgen/runtime"

// GeneratedVersion is the generated-code API version this emitter writes;
// the runtime's MinVersion..MaxVersion must include it.
const GeneratedVersion = 1

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
}

// Emit returns the connector's files by name: doc.go, client.go,
// types.go, operations.go and README.md. Errors mean a bug in the
// emitter (unformattable code), never bad input.
func Emit(api *ir.API, o Options) (map[string][]byte, error) {
	header, err := templates.Render("header.tmpl", o)
	if err != nil {
		return nil, err
	}
	e := &emitter{api: api, opts: o, header: strings.TrimSpace(string(header)), valid: newValidation(api)}
	out := map[string][]byte{}
	for name, build := range map[string]func(*jen.File){
		"client.go":     e.client,
		"types.go":      e.types,
		"operations.go": e.operations,
	} {
		f := jen.NewFile(o.Package)
		f.HeaderComment(e.header)
		f.ImportName(rtPath, "runtime")
		build(f)
		var buf bytes.Buffer
		if err := f.Render(&buf); err != nil {
			return nil, fmt.Errorf("emit %s: %w", name, err)
		}
		out[name] = groupImports(buf.Bytes())
	}
	data := e.templateData()
	for name, tmpl := range map[string]string{"doc.go": "doc.go.tmpl", "README.md": "README.md.tmpl"} {
		b, err := templates.Render(tmpl, data)
		if err != nil {
			return nil, fmt.Errorf("emit %s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
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
	title := e.api.Title
	if title == "" {
		title = "the API"
	}
	return map[string]any{
		"Header": e.header, "Package": e.opts.Package, "Title": title, "APIVersion": e.api.Version,
		"Description": commentLines(e.api.Description, 0), "SpecFile": e.opts.SpecFile,
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
		return `BasicAuth(user, password)`
	case s.Type == "apiKey":
		return `APIKey(key)`
	}
	return `BearerToken(token)`
}
