// Package openapi lowers an OpenAPI 3.0/3.1 or Swagger 2.0 document into the
// IR. It is the only package that imports kin-openapi.
package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"
)

// Load parses the spec text (JSON or YAML), resolves its internal $refs and
// lowers it to an ir.API. file names the spec in diagnostics. It returns
// every diagnostic found, positioned; the API is nil when any is an error.
// External $refs are refused: connectorgen reads one self-contained file.
func Load(ctx context.Context, file string, data []byte) (*ir.API, diag.List) {
	loc := &locator{data: data}
	if d, ok := checkSyntax(data); !ok {
		return nil, positioned(file, loc, diag.List{d})
	}
	key, d, ok := checkVersion(data)
	if !ok {
		return nil, positioned(file, loc, diag.List{d})
	}
	swagger2 := key == "swagger"
	data, repairs := repair(data)
	loc.data = data
	stubs, err := externalStubs(data)
	if err != nil {
		return nil, positioned(file, loc, append(repairs, parseError(err)))
	}
	if !isJSONText(data) {
		// Read as YAML 1.2 here; the parsers would read YAML 1.1.
		j, root, err := yamlToJSON(data)
		if err != nil {
			return nil, positioned(file, loc, append(repairs, parseError(err)))
		}
		if len(root.Content) > 0 {
			loc.root = root.Content[0]
		}
		loc.parsed = true
		data = j
	}
	data, mended := mendShapes(data)
	repairs = append(repairs, mended...)
	doc, convDiags, err := parse(data, swagger2, stubs)
	if err != nil {
		diags := append(append(repairs, stubs.warnings()...), convDiags...)
		if err != errAliases {
			diags = append(diags, parseError(err))
		}
		return nil, positioned(file, loc, diags)
	}
	l := newLowerer(doc)
	l.swagger2 = swagger2
	if _, ok := doc.Extensions[xWebhooksKey]; ok && !strings.HasPrefix(doc.OpenAPI, "3.1") {
		// Read from x-webhooks (xWebhooks) and resolved with the rest; kept
		// out of the document that is validated, where 3.0 has no webhooks.
		l.xWebhooks, doc.Webhooks = doc.Webhooks, nil
	}
	l.diags = append(append(append(l.diags, repairs...), stubs.warnings()...), convDiags...)
	l.validate(ctx)
	api := l.lower()
	diags := positioned(file, loc, l.diags)
	if diags.HasErrors() {
		return nil, diags
	}
	return api, diags
}

// parse reads an OpenAPI 3.x document, or converts a Swagger 2.0 one
// (see ConvertSwagger2, whose warnings it returns); references into other
// files resolve to stubs (see externalStubs).
func parse(data []byte, swagger2 bool, stubs *stubSet) (*openapi3.T, diag.List, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	loader.ReadFromURIFunc = stubReader(stubs)
	if swagger2 {
		var doc2 openapi2.T
		if _, err := yaml.Unmarshal(data, &doc2, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
			return nil, nil, err
		}
		// The stand-ins serve references into other files here too.
		doc, diags, err := ConvertSwagger2(&doc2, loader, nil)
		if err != nil {
			return nil, diags, err
		}
		aliasDiags := collapseAliases(doc)
		diags = append(diags, aliasDiags...)
		if aliasDiags.HasErrors() {
			return nil, diags, errAliases
		}
		if err := loader.ResolveRefsIn(doc, nil); err != nil {
			return nil, diags, err
		}
		return doc, diags, nil
	}
	doc, err := unmarshal(data)
	if err != nil {
		return nil, nil, err
	}
	xWebhooks(doc)
	if diags := collapseAliases(doc); diags.HasErrors() {
		return nil, diags, errAliases
	} else if err := loader.ResolveRefsIn(doc, nil); err != nil {
		return nil, diags, err
	} else {
		return doc, diags, nil
	}
}

// errAliases stops loading after collapseAliases reported errors.
var errAliases = errors.New("$ref chains")

// unmarshal decodes an OpenAPI 3.x document as openapi3.Loader.LoadFromData
// does, as JSON or else YAML, without resolving its $refs.
func unmarshal(data []byte) (*openapi3.T, error) {
	doc := &openapi3.T{}
	jsonErr := json.Unmarshal(data, doc)
	if jsonErr == nil {
		return doc, nil
	}
	doc = &openapi3.T{}
	if _, yamlErr := yaml.Unmarshal(data, doc, yaml.DecodeOpts{DisableTimestamps: true}); yamlErr != nil {
		return nil, fmt.Errorf("failed to unmarshal data: json error: %v, yaml error: %v", jsonErr, yamlErr)
	}
	return doc, nil
}

// isJSONText reports whether spec text is JSON: its first byte after a
// byte order mark and white space is '{' or '['. Anything else is YAML.
func isJSONText(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// IsSwagger2 reports whether the spec text (JSON or YAML) is a Swagger 2.0
// document: whether its top-level mapping has a "swagger" key, wherever in
// the mapping the key stands (Kubernetes sorts it last, after megabytes of
// definitions) and however the mapping is indented.
func IsSwagger2(data []byte) bool {
	key, _, _ := docVersion(data)
	return key == "swagger"
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
	doc *openapi3.T
	// xWebhooks are a 3.0 document's x-webhooks, read as webhooks.
	xWebhooks map[string]*openapi3.PathItem
	api       *ir.API
	diags     diag.List
	// bySchema maps each schema that has a declaration to its type, so that
	// $refs and recursion land on one type.
	bySchema   map[*openapi3.Schema]*ir.Type
	components map[string]*ir.Type
	// swagger2 is set for converted Swagger 2.0 documents.
	swagger2 bool
	// multipart is set while a multipart body's schema is lowered: its
	// binary strings are file parts.
	multipart bool
	// inParam is set while a parameter's schema is lowered: a parameter is
	// serialized by its style, so items without a type make it an array
	// (see untypedItems).
	inParam bool
	// byRef maps $refs that point outside components/schemas to the one
	// type every referrer shares.
	byRef map[string]*ir.Type
	// imports are the import paths outside the standard library that
	// x-go-type values added, each reported once.
	imports map[string]bool
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
	l.webhooks()
	l.unionCycles()
	return l.api
}

// versionRE is the lenient fallback of docVersion: the first line, at any
// indentation, that starts with an "openapi" or "swagger" key.
var versionRE = regexp.MustCompile(`(?m)^\s*"?(openapi|swagger)"?\s*:\s*["']?([^"',\s}]+)`)

// rootKeyRE matches a YAML line holding an "openapi" or "swagger" key,
// once the line's indentation is cut off.
var rootKeyRE = regexp.MustCompile(`^["']?(openapi|swagger)["']?[ \t]*:[ \t]*["']?([^"'\s#]*)`)

// docVersion finds the version key ("openapi" or "swagger") of the
// document's top-level mapping and its value. A JSON document is decoded
// for its top-level keys, so that a key standing after the rest (as in
// Kubernetes, whose keys are sorted) is found; a YAML one is scanned for
// the key at the indentation of the mapping's first key (a document may
// indent its whole root mapping), so that a nested "swagger" property is
// not taken for it. Text neither reading finds falls back to versionRE.
func docVersion(data []byte) (key, version string, ok bool) {
	text := bytes.TrimPrefix(data, []byte("\uFEFF"))
	if trimmed := bytes.TrimLeft(text, " \t\r\n"); bytes.HasPrefix(trimmed, []byte("{")) {
		var top map[string]json.RawMessage
		if json.Unmarshal(trimmed, &top) == nil {
			for _, k := range []string{"openapi", "swagger"} {
				if raw, found := top[k]; found {
					var s string
					if json.Unmarshal(raw, &s) != nil {
						s = string(bytes.TrimSpace(raw)) // a number: 2.0
					}
					return k, s, true
				}
			}
			return "", "", false
		}
	} else if key, version, ok := yamlRootVersion(text); ok {
		return key, version, true
	}
	if m := versionRE.FindSubmatch(data); m != nil {
		return string(m[1]), string(m[2]), true
	}
	return "", "", false
}

// yamlRootVersion scans block YAML for the version key of the root
// mapping: at the indentation of the first line that holds content.
func yamlRootVersion(text []byte) (key, version string, ok bool) {
	indent := -1
	for line := range bytes.Lines(text) {
		line = bytes.TrimRight(line, "\r\n")
		body := bytes.TrimLeft(line, " ")
		n := len(line) - len(body)
		switch {
		case len(bytes.TrimSpace(body)) == 0, body[0] == '#':
			continue
		case indent < 0 && n == 0 && (bytes.HasPrefix(body, []byte("---")) || body[0] == '%'):
			continue // document start or directive
		case indent < 0:
			if body[0] == '{' || body[0] == '[' {
				return "", "", false // flow style: leave it to the fallback
			}
			indent = n
		}
		if n != indent {
			continue
		}
		if m := rootKeyRE.FindSubmatch(body); m != nil {
			return string(m[1]), string(m[2]), true
		}
	}
	return "", "", false
}

// checkVersion accepts Swagger 2.0 and OpenAPI 3.0.x and 3.1.x, read from
// the top-level key before parsing, so that another version gets a clear
// error instead of a half-understood client. It returns the key found,
// "swagger" or "openapi".
func checkVersion(data []byte) (string, diag.Diagnostic, bool) {
	key, v, found := docVersion(data)
	if !found {
		return "", diag.Diagnostic{Severity: diag.Error, Pointer: "#",
			Message: `not an OpenAPI or Swagger document: no top-level "openapi" or "swagger" version`}, false
	}
	if versionIsNumber(data, key) {
		return key, diag.Diagnostic{Severity: diag.Error, Pointer: "#/" + key,
			Message: fmt.Sprintf("the %s version must be a string (%q), not the number %s", key, v, v)}, false
	}
	ok := key == "swagger" && v == "2.0" || key == "openapi" && (strings.HasPrefix(v, "3.0") || strings.HasPrefix(v, "3.1"))
	if ok {
		return key, diag.Diagnostic{}, true
	}
	return key, diag.Diagnostic{Severity: diag.Error, Pointer: "#/" + key,
		Message: fmt.Sprintf("unsupported %s version %q: connectorgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1", key, v)}, false
}

// yamlNumberVersion matches a root-level version key whose value is a
// plain scalar YAML reads as a number (3.0, 2.0, 3.1, 3).
var yamlNumberVersion = regexp.MustCompile(`(?m)^(openapi|swagger)[ \t]*:[ \t]*([0-9]+(\.[0-9]+)?)[ \t]*(#.*)?\r?$`)

// versionIsNumber reports whether the document's version key holds a
// number (JSON 2.0, YAML plain 3.0) instead of the string the
// specifications require, which kin-openapi refuses with a decoding error
// that names neither the key nor the fix.
func versionIsNumber(data []byte, key string) bool {
	text := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n")
	if bytes.HasPrefix(text, []byte("{")) {
		var top map[string]json.RawMessage
		if json.Unmarshal(text, &top) != nil {
			return false
		}
		raw := bytes.TrimSpace(top[key])
		return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
	}
	for _, m := range yamlNumberVersion.FindAllSubmatch(text, -1) {
		if string(m[1]) == key {
			return true
		}
	}
	return false
}
