// Package openapi lowers an OpenAPI 3.0/3.1 or Swagger 2.0 document into the
// IR. It is the only package that imports kin-openapi.
package openapi

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"
)

// Load parses the spec text (JSON or YAML), resolves its internal $refs and
// lowers it to an ir.API. file names the spec in diagnostics. It returns
// every diagnostic found, positioned; the API is nil when any is an error.
// External $refs are refused: connectorgen reads one self-contained file.
func Load(ctx context.Context, file string, data []byte) (*ir.API, diag.List) {
	loc := &locator{data: data}
	if d, ok := checkVersion(data); !ok {
		return nil, positioned(file, loc, diag.List{d})
	}
	data, repairs := repair(data)
	loc.data = data
	stubs, err := externalStubs(data)
	if err != nil {
		return nil, positioned(file, loc, append(repairs, parseError(err)))
	}
	doc, err := parse(data, stubs)
	if err != nil {
		return nil, positioned(file, loc, append(append(repairs, stubs.warnings()...), parseError(err)))
	}
	l := newLowerer(doc)
	l.swagger2 = isSwagger2(data)
	l.diags = append(append(l.diags, repairs...), stubs.warnings()...)
	l.validate(ctx)
	api := l.lower()
	diags := positioned(file, loc, l.diags)
	if diags.HasErrors() {
		return nil, diags
	}
	return api, diags
}

// parse reads an OpenAPI 3.x document, or converts a Swagger 2.0 one;
// references into other files resolve to stubs (see externalStubs).
func parse(data []byte, stubs *stubSet) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	loader.ReadFromURIFunc = stubReader(stubs)
	if isSwagger2(data) {
		var doc2 openapi2.T
		if _, err := yaml.Unmarshal(data, &doc2, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
			return nil, err
		}
		doc, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return nil, err
		}
		if err := loader.ResolveRefsIn(doc, nil); err != nil {
			return nil, err
		}
		return doc, nil
	}
	return loader.LoadFromData(data)
}

// isSwagger2 looks for a top-level "swagger" key near the top of the text.
func isSwagger2(data []byte) bool {
	head := data[:min(len(data), 4096)]
	return bytes.Contains(head, []byte(`"swagger"`)) || bytes.HasPrefix(head, []byte("swagger:")) || bytes.Contains(head, []byte("\nswagger:"))
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseError turns a parser failure into a diagnostic, keeping the line
// the YAML parser names when it names one.
func parseError(err error) diag.Diagnostic {
	msg := err.Error()
	if _, yamlErr, ok := strings.Cut(msg, "yaml error: "); ok {
		msg = yamlErr // the text is YAML; the JSON parser's complaint is noise
	}
	msg = strings.TrimPrefix(msg, "error converting YAML to JSON: ")
	d := diag.Diagnostic{Severity: diag.Error, Pointer: "#", Message: "cannot load spec: " + msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		d.Pos.Line, _ = strconv.Atoi(m[1])
	}
	if ref := refInError(msg); ref != "" {
		d.Pointer = ref
	}
	return d
}

var externalInMsg = regexp.MustCompile(`external reference "([^"]+)" is not followed`)

var refPattern = regexp.MustCompile(`"(#/[^"]*)"|(#/[^\s:"]+)`)

// refInError finds the unresolvable JSON pointer a resolution error names.
func refInError(msg string) string {
	if !strings.Contains(msg, "resolv") && !strings.Contains(msg, "reference") {
		return ""
	}
	m := refPattern.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}

// positioned fills each diagnostic's file and, where unknown, its line and
// column from the pointer.
func positioned(file string, loc *locator, diags diag.List) diag.List {
	for i := range diags {
		d := &diags[i]
		d.Pos.File = file
		if d.Pos.Line != 0 {
			continue
		}
		if strings.Contains(d.Message, "failed to resolve") {
			if line, col, ok := loc.refPos(d.Pointer); ok {
				d.Pos.Line, d.Pos.Col = line, col
				d.Message = fmt.Sprintf("$ref %q does not resolve: %s", d.Pointer, d.Message)
				continue
			}
		}
		if m := externalInMsg.FindStringSubmatch(d.Message); m != nil {
			if line, col, ok := loc.refPos(m[1]); ok {
				d.Pos.Line, d.Pos.Col = line, col
				continue
			}
		}
		d.Pos.Line, d.Pos.Col = loc.pos(d.Pointer)
	}
	diags.Sort()
	return diags
}

// validate runs kin-openapi's validation. Real specs carry wrong examples,
// defaults and patterns, and small spec bugs that do not stop generation;
// so failures are warnings, located where the message allows.
func (l *lowerer) validate(ctx context.Context) {
	err := l.doc.Validate(ctx,
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
		openapi3.DisableSchemaFormatValidation(),
	)
	if err != nil {
		l.warn(validationPointer(err.Error()), "spec does not validate (generating anyway): %s", oneLine(err.Error()))
	}
}

var (
	pathInMsg = regexp.MustCompile(`invalid path (\S+): invalid operation (\w+)`)
	compInMsg = regexp.MustCompile(`invalid components: (schema|parameter|response|security scheme|request body|header) "([^"]+)"`)
)

// validationPointer derives a JSON pointer from kin-openapi's message text.
func validationPointer(msg string) string {
	if m := pathInMsg.FindStringSubmatch(msg); m != nil {
		return diag.Pointer("paths", m[1], strings.ToLower(m[2]))
	}
	if m := compInMsg.FindStringSubmatch(msg); m != nil {
		section := map[string]string{"schema": "schemas", "parameter": "parameters", "response": "responses",
			"security scheme": "securitySchemes", "request body": "requestBodies", "header": "headers"}[m[1]]
		return diag.Pointer("components", section, m[2])
	}
	return "#"
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// lowerer carries the state of one lowering.
type lowerer struct {
	doc   *openapi3.T
	api   *ir.API
	diags diag.List
	// bySchema maps each schema that has a declaration to its type, so that
	// $refs and recursion land on one type.
	bySchema   map[*openapi3.Schema]*ir.Type
	components map[string]*ir.Type
	// swagger2 is set for converted Swagger 2.0 documents.
	swagger2 bool
	// multipart is set while a multipart body's schema is lowered: its
	// binary strings are file parts.
	multipart bool
	// byRef maps $refs that point outside components/schemas to the one
	// type every referrer shares.
	byRef map[string]*ir.Type
}

func newLowerer(doc *openapi3.T) *lowerer {
	return &lowerer{
		doc:        doc,
		api:        &ir.API{},
		bySchema:   map[*openapi3.Schema]*ir.Type{},
		components: map[string]*ir.Type{},
		byRef:      map[string]*ir.Type{},
	}
}

func (l *lowerer) warn(ptr, format string, args ...any) {
	l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

func (l *lowerer) fail(ptr, format string, args ...any) {
	l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// lower builds the API: info, servers, security, component schemas, then
// operations in path order.
func (l *lowerer) lower() *ir.API {
	if info := l.doc.Info; info != nil {
		l.api.Title, l.api.Version, l.api.Description = info.Title, info.Version, info.Description
	}
	l.servers()
	l.securitySchemes()
	l.api.Security = requirements(l.doc.Security)
	l.componentSchemas()
	l.operations()
	return l.api
}

var versionRE = regexp.MustCompile(`(?m)^\s*"?(openapi|swagger)"?\s*:\s*["']?([^"',\s}]+)`)

// checkVersion accepts Swagger 2.0 and OpenAPI 3.0.x and 3.1.x, read from
// the top-level key before parsing, so that another version gets a clear
// error instead of a half-understood client.
func checkVersion(data []byte) (diag.Diagnostic, bool) {
	m := versionRE.FindSubmatch(data)
	if m == nil {
		return diag.Diagnostic{Severity: diag.Error, Pointer: "#",
			Message: `not an OpenAPI or Swagger document: no top-level "openapi" or "swagger" version`}, false
	}
	key, v := string(m[1]), string(m[2])
	ok := key == "swagger" && v == "2.0" || key == "openapi" && (strings.HasPrefix(v, "3.0") || strings.HasPrefix(v, "3.1"))
	if ok {
		return diag.Diagnostic{}, true
	}
	return diag.Diagnostic{Severity: diag.Error, Pointer: "#/" + key,
		Message: fmt.Sprintf("unsupported %s version %q: connectorgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1", key, v)}, false
}
