// Package config reads connectorgen.yaml, the file that tells
// `connectorgen generate -config` what to generate.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"io"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"golang.org/x/mod/module"
	"gopkg.in/yaml.v3"
)

// File is connectorgen.yaml. Paths are relative to the file's directory.
type File struct {
	// Spec is the path of the OpenAPI or Swagger spec.
	Spec string `yaml:"spec"`
	// Schema is the path of a GraphQL schema (SDL or introspection JSON),
	// instead of Spec.
	Schema string `yaml:"schema"`
	// Operations is a glob of the GraphQL operation documents (with Schema).
	Operations string `yaml:"operations"`
	// Scalars binds GraphQL custom scalars to Go types (with Schema).
	Scalars map[string]string `yaml:"scalars"`
	// Bindings binds GraphQL types (custom scalars, also enums and object
	// types) to Go types, with the functions that code them when the Go
	// type's own JSON methods do not: genqlient's bindings (with Schema). A
	// scalar's binding here takes precedence over scalars.
	Bindings map[string]Binding `yaml:"bindings"`
	// Casing is how GraphQL names become Go names: genqlient's casing
	// option (with Schema).
	Casing *Casing `yaml:"casing"`
	// StructReferences makes a response field of object type a pointer
	// (nil when not selected or null) instead of a struct value:
	// genqlient's use_struct_references (with Schema).
	StructReferences bool `yaml:"struct_references"`
	// Package is the Go package name of the connector.
	Package string `yaml:"package"`
	// Out is the directory the connector is written to.
	Out string `yaml:"out"`

	// Include keeps only the operations it matches (OpenAPI only); empty
	// keeps all.
	Include Filter `yaml:"include"`
	// Exclude drops the operations it matches, after Include (OpenAPI only).
	Exclude Filter `yaml:"exclude"`
	// IdempotencyHeader is a request header the API accepts idempotency
	// keys in although the spec does not declare it (Stripe's
	// Idempotency-Key); every unsafe operation then carries it.
	IdempotencyHeader string `yaml:"idempotency_header"`
	// Names overrides Go names, like x-go-name: the key is a JSON pointer
	// into the spec ("#/components/schemas/Pet", "#/paths/~1pets/get",
	// a parameter or a property) or "operation:<operationId>".
	Names map[string]string `yaml:"names"`
	// Types maps schemas to Go types, like x-go-type: the key is a JSON
	// pointer to a schema, the value "string", "time.Duration" or
	// "math/big.Float".
	Types map[string]string `yaml:"types"`
	// UndeclaredMembers is "keep" (the default) to keep the members an
	// object schema does not declare, when it does not forbid them, in
	// the struct's AdditionalProperties map; "drop" to decode such objects
	// faster and lose those members (OpenAPI only).
	UndeclaredMembers string `yaml:"undeclared_members"`
	// Split is "tags" to generate one Go package per operation tag under
	// Out, beside a root package with the client and the shared types;
	// "" (the default) generates one package (OpenAPI only).
	Split string `yaml:"split"`
	// ImportPath is the import path of the package in Out, which tag
	// packages import. With split: tags; when empty, the CLI derives it
	// from the go.mod above Out.
	ImportPath string `yaml:"import_path"`
	// Changelog makes `connectorgen generate` write CHANGES.md in Out
	// whenever a regeneration changes the generated Go files: the changes
	// of the Go API since the connector on disk, as `connectorgen diff`
	// reports them (OpenAPI only).
	Changelog bool `yaml:"changelog"`
	// Pagination are rules saying how operations page their lists, for
	// what detection cannot see or gets wrong (OpenAPI only); the first
	// rule matching an operation applies. See PageRule.
	Pagination []PageRule `yaml:"pagination"`
	// Webhooks says how the connector's webhook receiver tells the
	// provider's events apart, and declares events the spec does not list
	// (OpenAPI only). See Webhooks.
	Webhooks *Webhooks `yaml:"webhooks"`
	// Fakes makes generate also write <out>/<package>fake: a typed fake
	// server of the API for consumers' tests (OpenAPI only; needs
	// import_path, which the CLI derives from the go.mod above out).
	Fakes bool `yaml:"fakes"`

	name  string         // the file's path, for diagnostics
	lines map[string]int // "names\x00key" → line of key
	cols  map[string]int // the same keys → column of key
}

// Binding is one entry of bindings: a Go type and, optionally, the
// functions coding it. Functions are named "import/path.Func"; a
// marshaler is called as Func(&v) and returns ([]byte, error), an
// unmarshaler as Func(data, &v) and returns error (encoding/json.Marshal
// and encoding/json.Unmarshal fit).
type Binding struct {
	Type        string `yaml:"type"`
	Marshaler   string `yaml:"marshaler"`
	Unmarshaler string `yaml:"unmarshaler"`
}

// Casing is genqlient's casing option: "default" (Go casing: FOO_BAR
// becomes FooBar) or "raw" (the GraphQL name as is), for every name
// (Default), every enum (AllEnums) or some enums by GraphQL name (Enums).
type Casing struct {
	Default  string            `yaml:"default"`
	AllEnums string            `yaml:"all_enums"`
	Enums    map[string]string `yaml:"enums"`
}

// PageRule is one entry of pagination: which operations it selects (an
// operationId, or a path glob as in Filter.Paths with an optional
// method) and how they page. Members are paths of JSON names from the
// page's body joined by "." ("response_metadata.next_cursor"); parameters
// are names of the operation's query parameters.
type PageRule struct {
	Operation string `yaml:"operation"` // operationId
	Path      string `yaml:"path"`      // path template or glob: "/v1/**"
	Method    string `yaml:"method"`    // with path: GET, POST, ...; empty: any

	// Scheme is cursor, last-item, next-url, link-header, offset, page,
	// or none (no iterator, whatever detection finds).
	Scheme string `yaml:"scheme"`
	// Param is the request parameter taking the cursor, the last item's
	// key, the offset or the page number.
	Param string `yaml:"param"`
	// Next is the member holding the next cursor (cursor) or URL
	// (next-url).
	Next string `yaml:"next"`
	// Items is the member holding the page's items; empty: detected (the
	// body when it is an array, or its one array member).
	Items string `yaml:"items"`
	// More is a boolean member announcing another page (has_more).
	More string `yaml:"more"`
	// Key is the item member whose last value is the next cursor
	// (last-item); empty means "id".
	Key string `yaml:"key"`
	// Total is the member holding the total number of items (offset),
	// TotalPages that of pages (page).
	Total      string `yaml:"total"`
	TotalPages string `yaml:"total_pages"`
	// Limit is the page size parameter (limit, per_page).
	Limit string `yaml:"limit"`
}

// Webhooks is the webhooks section. Header and Member name what carries
// a delivery's event: a request header (GitHub's X-GitHub-Event), a body
// member by JSON pointer (Stripe's /type, GitHub's /action), or both. Each
// event's value of them is, in order: its entry in Events, the extension
// of its operation that HeaderValue or MemberValue names (a dotted path:
// x-github.subcategory), the single enum or const value of its header
// parameter or body member, and, for an event of Events, its name.
type Webhooks struct {
	Header      string `yaml:"header"`
	HeaderValue string `yaml:"header_value"`
	Member      string `yaml:"member"`
	MemberValue string `yaml:"member_value"`
	// Events are events beside the spec's webhooks and callbacks, by
	// name: each a schema of the spec for its body.
	Events map[string]WebhookEvent `yaml:"events"`
}

// WebhookEvent is one event of Webhooks.Events.
type WebhookEvent struct {
	Schema string `yaml:"schema"` // JSON pointer of the body's schema: #/components/schemas/charge
	Header string `yaml:"header"` // the value of Webhooks.Header that selects it
	Member string `yaml:"member"` // the value of Webhooks.Member that selects it; default: the event's name
}

// Pagination schemes of PageRule.Scheme.
const (
	PageCursor     = "cursor"
	PageLastItem   = "last-item"
	PageNextURL    = "next-url"
	PageLinkHeader = "link-header"
	PageOffset     = "offset"
	PageNumber     = "page"
	PageNone       = "none"
)

// Matches reports whether the rule selects the operation with this id,
// method and path template.
func (r PageRule) Matches(id, method, path string) bool {
	if r.Operation != "" {
		return r.Operation == id
	}
	return r.Path != "" && MatchPath(r.Path, path) && (r.Method == "" || strings.EqualFold(r.Method, method))
}

// Selector renders what the rule selects: "operation listPets" or
// "path GET /v1/**".
func (r PageRule) Selector() string {
	if r.Operation != "" {
		return "operation " + r.Operation
	}
	if r.Method != "" {
		return "path " + strings.ToUpper(r.Method) + " " + r.Path
	}
	return "path " + r.Path
}

// Casing algorithms.
const (
	CasingDefault = "default"
	CasingRaw     = "raw"
)

// SplitTags is the value of split that makes one package per tag.
const SplitTags = "tags"

// Values of undeclared_members.
const (
	UndeclaredKeep = "keep"
	UndeclaredDrop = "drop"
)

// Filter selects operations: one matches when any list matches it.
type Filter struct {
	// Tags are operation tags, matched exactly.
	Tags []string `yaml:"tags"`
	// Paths are path templates as in the spec, or globs of them: "*"
	// matches within one segment, "**" any number of segments
	// ("/repos/**", "/pets/*").
	Paths []string `yaml:"paths"`
	// OperationIDs are operationIds (or the IDs derived from method and
	// path when the spec has none), matched exactly.
	OperationIDs []string `yaml:"operationIds"`
}

// Empty reports whether the filter selects nothing by itself.
func (f Filter) Empty() bool {
	return len(f.Tags) == 0 && len(f.Paths) == 0 && len(f.OperationIDs) == 0
}

// Name returns the config file's path as given to Parse.
func (f *File) Name() string { return f.name }

// Line returns the line of key in the config's map section ("names",
// "types", "include" or "exclude"), or 0 when unknown. For include and
// exclude, key is "tags/0", "paths/2", ...
func (f *File) Line(section, key string) int { return f.lines[section+"\x00"+key] }

// MatchPath reports whether an operation path matches a glob of Filter.Paths:
// segments are compared with path.Match, and a "**" segment matches zero or
// more segments.
func MatchPath(glob, p string) bool {
	return matchSegs(strings.Split(glob, "/"), strings.Split(p, "/"))
}

func matchSegs(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegs(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], p[0]); !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}

// ParseGoType splits a Go type as x-go-type and types: write it ("string",
// "time.Duration", "math/big.Float") into import path and name; ok is
// false when it does not end in a Go identifier.
func ParseGoType(s string) (pkgPath, name string, ok bool) {
	name = s
	if i := strings.LastIndex(s, "."); i > 0 {
		pkgPath, name = s[:i], s[i+1:]
	}
	return pkgPath, name, token.IsIdentifier(name)
}

// CheckGoType reports what is wrong with a Go type written as x-go-type
// and types: write it, once split by ParseGoType, or nil: a name without
// an import path must be a predeclared type (string, int64, any, error…;
// the connector's package declares no other the spec could mean), and a
// qualified one must name an exported identifier of a valid import path
// (golang.org/x/mod/module.CheckImportPath).
func CheckGoType(pkgPath, name string) error {
	if !token.IsIdentifier(name) {
		return fmt.Errorf("%q is not a Go identifier", name)
	}
	if pkgPath == "" {
		if _, ok := types.Universe.Lookup(name).(*types.TypeName); !ok || name == "comparable" {
			return fmt.Errorf("%s is not a predeclared Go type; qualify it with its import path (e.g. math/big.Float)", name)
		}
		return nil
	}
	if err := module.CheckImportPath(pkgPath); err != nil {
		return err
	}
	if !token.IsExported(name) {
		return fmt.Errorf("%s is not exported by %s", name, pkgPath)
	}
	return nil
}

// IsStandardImport reports whether an import path names a package of the
// standard library: its first element has no dot (the go command's rule).
func IsStandardImport(pkgPath string) bool {
	first, _, _ := strings.Cut(pkgPath, "/")
	return !strings.Contains(first, ".")
}

// Keys returns the yaml keys of a struct type, in declaration order.
func Keys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

var (
	lineRE    = regexp.MustCompile(`line (\d+): (.*)`)
	unknownRE = regexp.MustCompile(`field (\S+) not found in type`)
)

// Parse decodes a config file's text; name is its path, for diagnostics
// and to resolve relative paths. Unknown keys, wrong types and missing
// required keys are errors with line numbers.
func Parse(name string, data []byte) (*File, diag.List) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlDiags(name, err)
	}
	var diags diag.List
	need := func(key, val string) {
		if val == "" {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name, Line: 1}, Pointer: "#",
				Message: fmt.Sprintf("missing required key %q", key)})
		}
	}
	switch {
	case f.Schema != "" && f.Spec != "":
		diags = append(diags, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name, Line: 1}, Pointer: "#",
			Message: `keys "spec" and "schema" exclude each other (OpenAPI or GraphQL)`})
	case f.Schema != "":
		need("operations", f.Operations)
	default:
		need("spec", f.Spec)
	}
	need("package", f.Package)
	need("out", f.Out)
	f.name = name
	f.lines, f.cols = keyLines(data)
	bad := func(line int, ptr, format string, args ...any) {
		diags = append(diags, diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name, Line: line}, Pointer: ptr,
			Message: fmt.Sprintf(format, args...)})
	}
	if f.Package != "" {
		if err := CheckPackage(f.Package); err != nil {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error,
				Pos:     diag.Pos{File: name, Line: f.lines["\x00package"], Col: f.cols["\x00package"]},
				Pointer: "#/package", Message: err.Error()})
		}
	}
	if f.Schema == "" {
		for key, set := range map[string]bool{"bindings": len(f.Bindings) > 0, "casing": f.Casing != nil, "struct_references": f.StructReferences,
			"scalars": len(f.Scalars) > 0} {
			if set {
				bad(f.lines["\x00"+key], "#/"+key, "key %q applies to GraphQL schemas only", key)
			}
		}
	}
	for _, k := range sortedKeys(f.Bindings) {
		b := f.Bindings[k]
		ptr := "#/bindings/" + diag.EscapeToken(k)
		if p, n, ok := ParseGoType(b.Type); !ok {
			bad(f.Line("bindings", k), ptr+"/type", "%q is not a Go type (want e.g. time.Time or math/big.Float)", b.Type)
		} else if err := CheckGoType(p, n); err != nil {
			bad(f.Line("bindings", k), ptr+"/type", "%q is not a Go type: %v", b.Type, err)
		}
		for _, fn := range []struct{ key, val string }{{"marshaler", b.Marshaler}, {"unmarshaler", b.Unmarshaler}} {
			if fn.val == "" {
				continue
			}
			if p, n, ok := ParseGoType(fn.val); !ok || p == "" || !token.IsExported(n) {
				bad(f.Line("bindings", k), ptr+"/"+fn.key, "%q is not a function of a package (want e.g. encoding/json.Marshal)", fn.val)
			}
		}
		if (b.Marshaler == "") != (b.Unmarshaler == "") {
			bad(f.Line("bindings", k), ptr, "binding %q names a marshaler or an unmarshaler: give both, or neither", k)
		}
	}
	if c := f.Casing; c != nil {
		check := func(ptr, v string) {
			if v != "" && v != CasingDefault && v != CasingRaw {
				bad(f.lines["\x00casing"], ptr, "casing %q: want %q or %q", v, CasingDefault, CasingRaw)
			}
		}
		check("#/casing/default", c.Default)
		check("#/casing/all_enums", c.AllEnums)
		for _, k := range sortedKeys(c.Enums) {
			check("#/casing/enums/"+diag.EscapeToken(k), c.Enums[k])
		}
	}
	if f.Schema != "" {
		for key, set := range map[string]bool{"include": !f.Include.Empty(), "exclude": !f.Exclude.Empty(),
			"idempotency_header": f.IdempotencyHeader != "", "names": len(f.Names) > 0, "types": len(f.Types) > 0,
			"split": f.Split != "", "undeclared_members": f.UndeclaredMembers != "", "changelog": f.Changelog,
			"pagination": len(f.Pagination) > 0, "webhooks": f.Webhooks != nil, "fakes": f.Fakes} {
			if set {
				bad(f.lines["\x00"+key], "#/"+key, "key %q applies to OpenAPI specs only", key)
			}
		}
	}
	for _, sec := range []struct {
		key string
		f   Filter
	}{{"include", f.Include}, {"exclude", f.Exclude}} {
		for i, g := range sec.f.Paths {
			if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil || !strings.HasPrefix(g, "/") {
				k := fmt.Sprintf("paths/%d", i)
				bad(f.Line(sec.key, k), "#/"+sec.key+"/"+k, "bad path glob %q (want a path starting with /; * and ** for segments)", g)
			}
		}
	}
	for i, r := range f.Pagination {
		ptr, line := fmt.Sprintf("#/pagination/%d", i), f.Line("pagination", strconv.Itoa(i))
		switch {
		case (r.Operation == "") == (r.Path == ""):
			bad(line, ptr, "a pagination rule needs operation or path, not both")
		case r.Method != "" && r.Path == "":
			bad(line, ptr+"/method", "method goes with path, not operation")
		case r.Path != "" && !strings.HasPrefix(r.Path, "/"):
			bad(line, ptr+"/path", "bad path glob %q (want a path starting with /; * and ** for segments)", r.Path)
		}
		switch r.Scheme {
		case PageCursor, PageLastItem, PageNextURL, PageLinkHeader, PageOffset, PageNumber, PageNone:
		default:
			bad(line, ptr+"/scheme", "scheme %q: want cursor, last-item, next-url, link-header, offset, page or none", r.Scheme)
		}
	}
	if w := f.Webhooks; w != nil {
		line := f.lines["\x00webhooks"]
		if w.Header != "" && !validHeader(w.Header) {
			bad(line, "#/webhooks/header", "%q is not an HTTP header name", w.Header)
		}
		if w.Member != "" && !strings.HasPrefix(w.Member, "/") {
			bad(line, "#/webhooks/member", "member %q is not a JSON pointer (want /type, /data/object)", w.Member)
		}
		for _, k := range sortedKeys(w.Events) {
			e := w.Events[k]
			if !strings.HasPrefix(e.Schema, "#/") {
				bad(f.Line("webhooks", "events"), "#/webhooks/events/"+diag.EscapeToken(k)+"/schema", "event %q needs schema, a JSON pointer (#/components/schemas/...)", k)
			}
			if e.Header != "" && w.Header == "" {
				bad(f.Line("webhooks", "events"), "#/webhooks/events/"+diag.EscapeToken(k)+"/header", "event %q gives a header value but webhooks has no header", k)
			}
		}
	}
	if f.IdempotencyHeader != "" && !validHeader(f.IdempotencyHeader) {
		bad(f.lines["\x00idempotency_header"], "#/idempotency_header", "%q is not an HTTP header name", f.IdempotencyHeader)
	}
	if u := f.UndeclaredMembers; u != "" && u != UndeclaredKeep && u != UndeclaredDrop {
		bad(f.lines["\x00undeclared_members"], "#/undeclared_members", "undeclared_members is %q; want %q or %q", u, UndeclaredKeep, UndeclaredDrop)
	}
	if f.Split != "" && f.Split != SplitTags {
		bad(f.lines["\x00split"], "#/split", "split is %q; the only value is %q (one package per operation tag)", f.Split, SplitTags)
	}
	if f.ImportPath != "" && module.CheckImportPath(f.ImportPath) != nil {
		bad(f.lines["\x00import_path"], "#/import_path", "%q is not a Go import path: %v", f.ImportPath, module.CheckImportPath(f.ImportPath))
	}
	for _, k := range sortedKeys(f.Names) {
		if v := f.Names[k]; !token.IsIdentifier(v) || !token.IsExported(v) {
			bad(f.Line("names", k), "#/names/"+diag.EscapeToken(k), "name %q is not an exported Go identifier", v)
		}
		if !strings.HasPrefix(k, "#/") && !strings.HasPrefix(k, "operation:") {
			bad(f.Line("names", k), "#/names/"+diag.EscapeToken(k), "key %q is neither a JSON pointer (#/...) nor operation:<operationId>", k)
		}
	}
	for _, k := range sortedKeys(f.Types) {
		if p, n, ok := ParseGoType(f.Types[k]); !ok {
			bad(f.Line("types", k), "#/types/"+diag.EscapeToken(k), "%q is not a Go type (want e.g. string, time.Duration or math/big.Float)", f.Types[k])
		} else if err := CheckGoType(p, n); err != nil {
			bad(f.Line("types", k), "#/types/"+diag.EscapeToken(k), "%q is not a Go type: %v", f.Types[k], err)
		}
		if !strings.HasPrefix(k, "#/") {
			bad(f.Line("types", k), "#/types/"+diag.EscapeToken(k), "key %q is not a JSON pointer (#/...)", k)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	dir := filepath.Dir(name)
	f.Spec, f.Out = join(dir, f.Spec), join(dir, f.Out)
	if f.Schema != "" {
		f.Schema, f.Operations = join(dir, f.Schema), join(dir, f.Operations)
	}
	return &f, nil
}

// CheckPackage reports whether name can be the package name of a
// connector: a Go identifier (so not a keyword, and not starting with a
// digit) other than the blank identifier, and not a name the go tool
// treats specially: "main" makes a command, which no package can import,
// and go/build ignores the files of package "documentation". Names of
// predeclared identifiers (string, error) are allowed: generated code
// imports such a package under an alias.
func CheckPackage(name string) error {
	switch {
	case token.IsKeyword(name):
		return fmt.Errorf("package name %q is a Go keyword", name)
	case !token.IsIdentifier(name):
		return fmt.Errorf("package name %q is not a Go identifier", name)
	case name == "_":
		return errors.New(`package name "_" is the blank identifier, which cannot be imported by name`)
	case name == "main":
		return errors.New(`package name "main" makes a command, which other packages cannot import`)
	case name == "documentation":
		return errors.New(`the go tool ignores the files of package "documentation"`)
	}
	return nil
}

func validHeader(s string) bool {
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return s != ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// keyLines maps the keys of the config to their lines and columns:
// top-level keys under "\x00key", map entries under "section\x00key" and
// list entries of include and exclude under "include\x00tags/0" (lines
// only).
func keyLines(data []byte) (lines, cols map[string]int) {
	lines, cols = map[string]int{}, map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return lines, cols
	}
	top := doc.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		key, val := top[i].Value, top[i+1]
		lines["\x00"+key] = top[i].Line
		cols["\x00"+key] = top[i].Column
		if val.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(val.Content); j += 2 {
			k, v := val.Content[j], val.Content[j+1]
			lines[key+"\x00"+k.Value] = k.Line
			cols[key+"\x00"+k.Value] = k.Column
			if v.Kind == yaml.SequenceNode {
				for n, item := range v.Content {
					lines[fmt.Sprintf("%s\x00%s/%d", key, k.Value, n)] = item.Line
				}
			}
		}
	}
	for i := 0; i+1 < len(top); i += 2 {
		if key, val := top[i].Value, top[i+1]; val.Kind == yaml.SequenceNode {
			for n, item := range val.Content { // pagination's rules: "pagination\x000"
				lines[fmt.Sprintf("%s\x00%d", key, n)] = item.Line
			}
		}
	}
	return lines, cols
}

func join(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// yamlDiags turns yaml.v3's errors ("line 3: field foo not found in type
// config.File") into located diagnostics.
func yamlDiags(name string, err error) diag.List {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var out diag.List
	for _, m := range msgs {
		d := diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: name}, Pointer: "#", Message: m}
		if g := lineRE.FindStringSubmatch(m); g != nil {
			d.Pos.Line, _ = strconv.Atoi(g[1])
			d.Message = g[2]
		}
		if g := unknownRE.FindStringSubmatch(d.Message); g != nil {
			d.Pointer = "#/" + g[1]
			known := Keys(reflect.TypeFor[File]())
			if strings.HasSuffix(d.Message, "config.Filter") {
				known = Keys(reflect.TypeFor[Filter]())
			}
			d.Message = fmt.Sprintf("unknown key %q (known keys: %s)", g[1], strings.Join(known, ", "))
		}
		out = append(out, d)
	}
	return out
}
