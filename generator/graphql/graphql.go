// Package graphql generates a connector from a GraphQL schema and the
// consumer's operation documents. It is the only importer of genqlient and
// gqlparser.
//
// It validates the schema and the operations with gqlparser first, so every
// problem is a located diagnostic (file:line:col), then lets genqlient type
// the operations (response, input, enum, fragment and interface/union types)
// and adapts its output into a connector (adapt.go): genqlient's import of
// github.com/Khan/genqlient/graphql is rewritten to the runtime's
// github.com/connectorgen/connectorgen/runtime/graphql, input values become
// runtime.Opt and runtime.Nullable, and genqlient's operation functions give
// way to the connector's own files, emitted with jennifer (connector.go):
// client.go (Client, New, one <Op>Variables struct and method per
// operation) and types.go (MarshalJSON of input types, the <Interface>Unknown
// fallback variants). A consumer imports the runtime module only.
package graphql

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/Khan/genqlient/generate"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/dave/jennifer/jen"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"
	gqlparser "github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	_ "github.com/vektah/gqlparser/v2/validator/rules" // registers the spec's validation rules
)

// Source is one input file: its name (for diagnostics) and text.
type Source struct {
	Name string
	Text []byte
}

// Config is one GraphQL generation.
type Config struct {
	// Schema is the schema: SDL, or an introspection result as JSON.
	Schema Source
	// Operations are the operation documents (.graphql), fragments included.
	Operations []Source
	// Package is the Go package name of the connector.
	Package string
	// Version is the generator version written in the header.
	Version string
	// Scalars binds custom scalars to Go types ("time.Time",
	// "encoding/json.RawMessage", "example.com/pkg.Type"), over the defaults.
	Scalars map[string]string
	// Bindings binds GraphQL types to Go types with coding functions
	// (genqlient's bindings); over Scalars.
	Bindings map[string]Binding
	// Casing is genqlient's casing of enum values: "default" or "raw" for
	// every enum (AllEnums, else Default) or some (Enums, by GraphQL name).
	// Enums whose values differ only in case are always named by
	// connectorgen (numbered).
	Casing Casing
	// StructReferences makes response fields of object type pointers
	// (genqlient's use_struct_references).
	StructReferences bool
}

// Binding is one binding of a GraphQL type: the Go type ("time.Time") and
// optionally the functions coding it ("encoding/json.Marshal").
type Binding struct {
	Type, Marshaler, Unmarshaler string
}

// Casing is genqlient's casing option.
type Casing struct {
	Default, AllEnums string
	Enums             map[string]string
}

const (
	runtimePath     = "github.com/connectorgen/connectorgen/runtime"
	runtimeGraphQL  = runtimePath + "/graphql"
	runtimeImpl     = runtimePath + "/rtimpl"
	runtimeAuth     = runtimePath + "/auth"
	genqlientClient = "github.com/Khan/genqlient/graphql"
)

// defaultScalars bind well-known custom scalars; any other custom scalar is
// encoding/json.RawMessage (its JSON kept as is), which can be overridden
// with Config.Scalars.
var defaultScalars = map[string]string{
	"DateTime": "time.Time", "ISO8601DateTime": "time.Time",
	"Date": runtimePath + ".Date",
	"URI":  "string", "URL": "string", "HTML": "string", "GitObjectID": "string", "GitRefname": "string",
	"GitSSHRemote": "string", "GitTimestamp": "string", "PreciseDateTime": "string", "X509Certificate": "string",
	"Base64String": "string", "UUID": "string", "JSONString": "string", "Email": "string",
	"PositiveInt": "int", "Minute": "int", "Hour": "int", "Day": "int",
}

// operation is what the connector needs to know about one operation.
type operation struct {
	Name    string
	Type    string // query or mutation
	Pos     diag.Pos
	NamePos diag.Pos // where the name stands
	Def     *gqlast.OperationDefinition
}

// Generate returns the connector's files by name, or the diagnostics that
// prevent it (every error located in its file).
func Generate(ctx context.Context, cfg Config) (map[string][]byte, diag.List) {
	schemaName := cfg.Schema.Name
	sdl := string(cfg.Schema.Text)
	if t := bytes.TrimSpace(cfg.Schema.Text); len(t) > 0 && t[0] == '{' {
		s, err := introspectionToSDL(t)
		if err != nil {
			return nil, diag.List{errAt(diag.Pos{File: schemaName, Line: 1, Col: 1}, "#", "cannot read introspection result: "+err.Error())}
		}
		sdl = s
	}
	schema, sdl, warnings := loadSchema(schemaName, sdl)
	if warnings.HasErrors() {
		return nil, warnings
	}
	ops, diags := loadOperations(schema, cfg.Operations)
	if diags.HasErrors() {
		return nil, append(warnings, diags...)
	}
	prepared, placeholder := prepareOperations(cfg.Operations)
	genCfg := cfg
	genCfg.Operations = prepared
	generated, err := runGenqlient(schema, sdl, genCfg)
	if err != nil {
		var le *genqlientError
		if errors.As(err, &le) {
			return nil, diag.List{errAt(le.pos, locateOperation(ops, le.pos), le.msg)}
		}
		return nil, diag.List{errAt(diag.Pos{File: schemaName}, "#", "genqlient: "+err.Error())}
	}
	sum := hashInputs(cfg)
	header := fmt.Sprintf("// Code generated by connectorgen %s from %s (sha256:%s). DO NOT EDIT.\n",
		gotext.Line(cfg.Version), gotext.Line(filepath.Base(schemaName)), sum)
	operationsGo, ad, diags := rewrite(generated, header, placeholder, schema, ops)
	if diags.HasErrors() {
		return nil, append(warnings, diags...)
	}
	if diags := checkDeclared(schemaName, schema, ad); diags.HasErrors() {
		return nil, append(warnings, diags...)
	}
	clientGo, err := clientFile(header, cfg.Package, ad)
	if err != nil {
		return nil, diag.List{errAt(diag.Pos{File: schemaName}, "#", "internal error (please report): "+err.Error())}
	}
	docGo, err := docFile(header, cfg, ops)
	if err != nil {
		return nil, diag.List{errAt(diag.Pos{File: schemaName}, "#", "internal error (please report): "+err.Error())}
	}
	typesGo, err := typesFile(header, cfg.Package, ad)
	if err != nil {
		return nil, diag.List{errAt(diag.Pos{File: schemaName}, "#", "internal error (please report): "+err.Error())}
	}
	files := map[string][]byte{
		"operations.go": operationsGo,
		"client.go":     clientGo,
		"doc.go":        docGo,
		"README.md":     readme(header, cfg, ops),
	}
	if typesGo != nil {
		files["types.go"] = typesGo
	}
	for name, b := range files {
		if strings.HasSuffix(name, ".go") {
			if err := gotext.CheckSource(name, b); err != nil {
				return nil, diag.List{errAt(diag.Pos{File: schemaName}, "#", "internal error (please report): "+err.Error())}
			}
		}
	}
	return files, warnings
}

func errAt(pos diag.Pos, locator, msg string) diag.Diagnostic {
	return diag.Diagnostic{Severity: diag.Error, Pos: pos, Pointer: locator, Message: msg}
}

// hashInputs is the SHA-256 of the schema and the operation documents
// (each name's base and text), in name order.
func hashInputs(cfg Config) string {
	h := sha256.New()
	h.Write(cfg.Schema.Text)
	srcs := append([]Source(nil), cfg.Operations...)
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Name < srcs[j].Name })
	for _, s := range srcs {
		fmt.Fprintf(h, "\x00%s\x00", filepath.Base(s.Name))
		h.Write(s.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// gqlDiags turns gqlparser errors into diagnostics.
func gqlDiags(defaultFile string, err error, locate func(file string, line int) string) diag.List {
	var list gqlerror.List
	switch e := err.(type) {
	case gqlerror.List:
		list = e
	case *gqlerror.Error:
		list = gqlerror.List{e}
	default:
		return diag.List{errAt(diag.Pos{File: defaultFile}, "#", err.Error())}
	}
	var out diag.List
	for _, e := range list {
		pos := diag.Pos{File: defaultFile}
		if f, _ := e.Extensions["file"].(string); f != "" {
			pos.File = f
		}
		if len(e.Locations) > 0 && e.Locations[0].Line > 0 {
			pos.Line, pos.Col = e.Locations[0].Line, e.Locations[0].Column
		}
		loc := "#"
		if locate != nil {
			loc = locate(pos.File, pos.Line)
		}
		out = append(out, errAt(pos, loc, e.Message))
	}
	out.Sort()
	return out
}

// loadSchema parses and validates the schema, adding the built-in types
// unless the schema declares them (introspection-derived SDL often does).
// When it repairs the schema, the returned SDL is the repaired schema.
func loadSchema(name, sdl string) (*gqlast.Schema, string, diag.List) {
	doc, err := gqlparser.ParseSchemas(&gqlast.Source{Name: name, Input: sdl})
	if err != nil {
		return nil, "", gqlDiags(name, err, nil)
	}
	// Real schemas repeat fields (GitHub's defines
	// EnterpriseOwnerInfo.repositoryDeployKeySetting twice, identically);
	// keep the first definition, with a located warning, as a GraphQL
	// server would have to.
	var warnings diag.List
	for _, d := range append(append(gqlast.DefinitionList{}, doc.Definitions...), doc.Extensions...) {
		seen := map[string]bool{}
		kept := d.Fields[:0]
		for _, f := range d.Fields {
			if seen[f.Name] {
				warnings = append(warnings, diag.Diagnostic{Severity: diag.Warning, Pos: posOf(name, f.Position), Pointer: d.Name + "." + f.Name,
					Message: fmt.Sprintf("field %s.%s is defined more than once; the first definition is used", d.Name, f.Name)})
				continue
			}
			seen[f.Name] = true
			kept = append(kept, f)
		}
		d.Fields = kept
	}
	// Descriptions become genqlient's doc comments: cleaned first, and the
	// SDL genqlient reads is then the cleaned document.
	if cleanSchema(doc) || len(warnings) > 0 {
		var b strings.Builder
		formatter.NewFormatter(&b).FormatSchemaDocument(doc)
		sdl = b.String()
	}
	hasBuiltins := false
	for _, d := range doc.Definitions {
		if d.Name == "String" {
			hasBuiltins = true
		}
	}
	if !hasBuiltins {
		prelude, err := gqlparser.ParseSchema(validator.Prelude)
		if err != nil {
			return nil, "", gqlDiags(name, err, nil)
		}
		doc.Merge(prelude)
	}
	schema, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		return nil, "", append(warnings, gqlDiags(name, err, nil)...)
	}
	if schema.Query == nil {
		return nil, "", append(warnings, errAt(diag.Pos{File: name}, "#", "schema has no query type"))
	}
	return schema, sdl, warnings
}

// loadOperations parses every document and validates them together
// against the schema (GraphQL spec §5): unknown fields, arguments and
// types, conflicting selections, unused or undefined variables and
// fragments. Operations must be named; subscriptions are not supported.
func loadOperations(schema *gqlast.Schema, srcs []Source) ([]operation, diag.List) {
	var diags diag.List
	if len(srcs) == 0 {
		return nil, diag.List{errAt(diag.Pos{}, "#", "no operation documents: give at least one .graphql file with operations")}
	}
	merged := &gqlast.QueryDocument{}
	var ops []operation
	methods := map[string]string{}
	for _, src := range srcs {
		doc, err := gqlparser.ParseQuery(&gqlast.Source{Name: src.Name, Input: string(src.Text)})
		if err != nil {
			diags = append(diags, gqlDiags(src.Name, err, nil)...)
			continue
		}
		for _, op := range doc.Operations {
			pos := posOf(src.Name, op.Position)
			switch {
			case op.Name == "":
				diags = append(diags, errAt(pos, "#", fmt.Sprintf("unnamed %s: every operation needs a name, which becomes its Go function", op.Operation)))
			case op.Operation == gqlast.Subscription:
				diags = append(diags, errAt(pos, "subscription "+op.Name, "subscriptions are not supported (they need a WebSocket transport)"))
			default:
				if why := checkOpName(op.Name, methods); why != "" {
					diags = append(diags, errAt(opNamePos(src.Name, src.Text, op), string(op.Operation)+" "+op.Name, why+"; rename the operation"))
				}
				ops = append(ops, operation{Name: op.Name, Type: string(op.Operation), Pos: pos, NamePos: opNamePos(src.Name, src.Text, op), Def: op})
			}
			for _, v := range op.VariableDefinitions {
				if token.IsKeyword(v.Variable) {
					diags = append(diags, errAt(posOf(src.Name, v.Position), string(op.Operation)+" "+op.Name,
						fmt.Sprintf("variable $%s is a Go keyword and cannot name a Go parameter; rename it", v.Variable)))
				}
			}
		}
		merged.Operations = append(merged.Operations, doc.Operations...)
		merged.Fragments = append(merged.Fragments, doc.Fragments...)
	}
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags
	}
	if len(merged.Operations) == 0 {
		var names []string
		for _, s := range srcs {
			names = append(names, s.Name)
		}
		return nil, diag.List{errAt(diag.Pos{File: srcs[0].Name}, "#", "no operations found in "+strings.Join(names, ", "))}
	}
	// Before validation, whose check of overlapping fields also grows with
	// the square of a fragment chain.
	if d := checkSpreadCost(merged); d != nil {
		return nil, d
	}
	if errs := validator.ValidateWithRules(schema, merged, nil); len(errs) > 0 { // nil: the specification's rules
		return nil, gqlDiags(srcs[0].Name, errs, definitionLocator(merged))
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Name < ops[j].Name })
	return ops, nil
}

func posOf(file string, p *gqlast.Position) diag.Pos {
	if p == nil {
		return diag.Pos{File: file}
	}
	return diag.Pos{File: file, Line: p.Line, Col: p.Column}
}

// definitionLocator names the operation or fragment that contains a
// position: the last definition of the file starting at or before it.
func definitionLocator(doc *gqlast.QueryDocument) func(string, int) string {
	type def struct {
		file string
		line int
		name string
	}
	var defs []def
	for _, op := range doc.Operations {
		if op.Position != nil {
			defs = append(defs, def{op.Position.Src.Name, op.Position.Line, string(op.Operation) + " " + op.Name})
		}
	}
	for _, f := range doc.Fragments {
		if f.Position != nil {
			defs = append(defs, def{f.Position.Src.Name, f.Position.Line, "fragment " + f.Name})
		}
	}
	return func(file string, line int) string {
		best, bestLine := "#", 0
		for _, d := range defs {
			if d.file == file && d.line <= line && d.line >= bestLine {
				best, bestLine = d.name, d.line
			}
		}
		return best
	}
}

// runGenqlient writes the schema and documents to a scratch directory
// (genqlient reads files) and returns the Go file it generates.
func runGenqlient(schema *gqlast.Schema, sdl string, cfg Config) ([]byte, error) {
	dir, err := os.MkdirTemp("", "connectorgen-graphql-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	schemaPath := filepath.Join(dir, "schema.graphql")
	if err := os.WriteFile(schemaPath, []byte(sdl), 0o644); err != nil {
		return nil, err
	}
	var opPaths []string
	for i, src := range cfg.Operations {
		p := filepath.Join(dir, fmt.Sprintf("op%04d.graphql", i))
		if err := os.WriteFile(p, src.Text, 0o644); err != nil {
			return nil, err
		}
		opPaths = append(opPaths, p)
	}
	bindings := map[string]*generate.TypeBinding{}
	for name, def := range schema.Types {
		if def.Kind != gqlast.Scalar || def.BuiltIn || builtinScalars[name] {
			continue
		}
		goType, ok := cfg.Scalars[name]
		if !ok {
			goType, ok = defaultScalars[name]
		}
		if !ok {
			goType = "encoding/json.RawMessage"
		}
		bindings[name] = &generate.TypeBinding{Type: goType}
	}
	for name, b := range cfg.Bindings {
		bindings[name] = &generate.TypeBinding{Type: b.Type, Marshaler: b.Marshaler, Unmarshaler: b.Unmarshaler}
	}
	// Not ValidateAndFillDefaults: it runs `go list` to find the package
	// path, which the connector does not need, and prints warnings.
	gc := &generate.Config{
		Schema:      generate.StringList{schemaPath},
		Operations:  opPaths,
		Generated:   filepath.Join(dir, "operations.go"),
		Package:     cfg.Package,
		ContextType: "context.Context",
		Bindings:    bindings,
		// Nullable fields and variables are pointers: genqlient's "generic"
		// option breaks on interface and union fields and applies to
		// responses too; adapt rewrites the input types to runtime.Opt and
		// runtime.Nullable instead.
		Optional:         "pointer",
		StructReferences: cfg.StructReferences,
		Casing: generate.Casing{Default: generate.CasingAlgorithm(cfg.Casing.Default),
			AllEnums: generate.CasingAlgorithm(cfg.Casing.AllEnums)},
	}
	for name, algo := range cfg.Casing.Enums {
		if gc.Casing.Enums == nil {
			gc.Casing.Enums = map[string]generate.CasingAlgorithm{}
		}
		gc.Casing.Enums[name] = generate.CasingAlgorithm(algo)
	}
	for _, name := range collidingEnums(schema) { // named by renameEnumValues
		if gc.Casing.Enums == nil {
			gc.Casing.Enums = map[string]generate.CasingAlgorithm{}
		}
		gc.Casing.Enums[name] = generate.CasingRaw
	}
	files, err := generate.Generate(gc)
	if err != nil {
		msg := err.Error()
		// genqlient's message starts with the scratch path and a line.
		for i, p := range opPaths {
			if rest, ok := strings.CutPrefix(msg, p+":"); ok {
				return nil, locatedError(cfg.Operations[i], rest)
			}
			msg = strings.ReplaceAll(msg, p, cfg.Operations[i].Name)
		}
		if rest, ok := strings.CutPrefix(msg, schemaPath+":"); ok && sdl == string(cfg.Schema.Text) {
			return nil, locatedError(cfg.Schema, rest)
		}
		return nil, fmt.Errorf("%s", strings.ReplaceAll(msg, schemaPath, cfg.Schema.Name))
	}
	out, ok := files[gc.Generated]
	if !ok {
		return nil, fmt.Errorf("no output file")
	}
	return out, nil
}

var genqlientHeader = regexp.MustCompile(`^// Code generated by github.com/Khan/genqlient, DO NOT EDIT.\n`)

// rewrite gives genqlient's file connectorgen's header, imports the
// runtime's graphql package instead of genqlient's, makes its comments and
// operation texts safe (safeComments, quoteOperations, with the backtick
// placeholder of prepareOperations) and adapts it to the connector (adapt).
func rewrite(src []byte, header string, placeholder rune, schema *gqlast.Schema, ops []operation) ([]byte, *adapted, diag.List) {
	internal := func(err error) diag.List {
		return diag.List{errAt(diag.Pos{}, "#", "internal error (please report): "+err.Error())}
	}
	src = genqlientHeader.ReplaceAll(src, nil)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "operations.go", src, parser.ParseComments)
	if err != nil {
		return nil, nil, internal(err)
	}
	safeComments(f)
	quoteOperations(f, placeholder)
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == genqlientClient {
			imp.Path.Value = strconv.Quote(runtimeGraphQL)
		}
	}
	ad, diags := adapt(fset, f, schema, ops)
	if diags.HasErrors() {
		return nil, nil, diags
	}
	if ad.imports["runtime"] == "" {
		ad.imports["runtime"] = runtimePath
	}
	var buf bytes.Buffer
	buf.WriteString(header + "\n")
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, nil, internal(err)
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, nil, internal(err)
	}
	return out, ad, nil
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, fset, e)
	return b.String()
}

func exported(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

func count(ops []operation) (q, m int) {
	for _, op := range ops {
		if op.Type == "mutation" {
			m++
		} else {
			q++
		}
	}
	return
}

// docFile is doc.go: the package comment, emitted with jennifer.
func docFile(header string, cfg Config, ops []operation) ([]byte, error) {
	q, m := count(ops)
	f := jen.NewFile(cfg.Package)
	f.HeaderComment(strings.TrimSuffix(header, "\n"))
	f.PackageComment(gotext.Comment(
		fmt.Sprintf("Package %s is a typed GraphQL client generated from %s and %s: %s, %s.",
			cfg.Package, filepath.Base(cfg.Schema.Name), plural(len(cfg.Operations), "operation document", "operation documents"),
			plural(q, "query", "queries"), plural(m, "mutation", "mutations")),
		"Create a client with New(endpoint, options...) and call one method per operation; every method "+
			"takes a context.Context first, the operation's <Operation>Variables struct (when it has variables), "+
			"then per-call options, and returns the operation's typed response. A nullable variable or input "+
			"field is a runtime.Nullable and a defaulted one a runtime.Opt: left unset, it is left out of the "+
			"request (the server keeps the field or applies the default); runtime.NullValue sends an explicit null.",
		"Interfaces and unions are Go interfaces whose concrete types are chosen by __typename; a type added "+
			"to the schema later decodes into the <Interface>Unknown variant, which keeps its JSON.",
		"Calls go through the runtime package (github.com/connectorgen/connectorgen/runtime): credentials, "+
			"timeouts, retries (queries only; a mutation only with runtime.WithIdempotencyKey), middleware and "+
			"redacted logs. GraphQL errors are a *graphql.Errors (github.com/connectorgen/connectorgen/runtime/graphql) "+
			"returned together with the partial data."))
	return render(f)
}

func readme(header string, cfg Config, ops []operation) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- %s -->\n", strings.TrimSuffix(strings.TrimPrefix(header, "// "), "\n"))
	fmt.Fprintf(&b, "# %s\n\nA typed Go client for a GraphQL API, generated by\n[connectorgen](https://github.com/connectorgen/connectorgen) from %s.\n\n",
		cfg.Package, gotext.MarkdownCode(filepath.Base(cfg.Schema.Name)))
	b.WriteString("| operation | type | method |\n|---|---|---|\n")
	for _, op := range ops {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", op.Name, op.Type, exported(op.Name))
	}
	fmt.Fprintf(&b, "\n## Use\n\n```go\nclient, err := %s.New(endpoint, %s.WithBearer(auth.BearerToken(token)))\nif err != nil {\n\treturn err\n}\n```\n\n", cfg.Package, cfg.Package)
	b.WriteString("Each method takes the operation's `<Operation>Variables` struct. A nullable variable or input\nfield is a `runtime.Nullable[T]`, a defaulted one a `runtime.Opt[T]`: left unset, it is left out of\nthe request, so the server keeps the field or applies the default; `runtime.NullValue[T]()` sends\nan explicit null.\n\n")
	b.WriteString("GraphQL errors are `*graphql.Errors` (message, path, locations, extensions), returned with the\npartial data. Regenerate instead of editing: the files carry a `DO NOT EDIT` header with the\nSHA-256 of the schema and operations.\n")
	return []byte(b.String())
}

// genqlientError is an error of genqlient's located in an input file.
type genqlientError struct {
	pos diag.Pos
	msg string
}

func (e *genqlientError) Error() string { return e.pos.String() + ": " + e.msg }

// locatedError turns genqlient's "LINE: message" about src into a
// genqlientError at file:line:col, the column that of the line's first
// character that is not white space (genqlient reports lines only), or
// nil when rest does not start with a line number.
func locatedError(src Source, rest string) error {
	lineText, msg, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(lineText)
	if !ok || err != nil || line < 1 {
		return fmt.Errorf("%s:%s", src.Name, rest)
	}
	pos := diag.Pos{File: src.Name, Line: line}
	if lines := strings.Split(string(src.Text), "\n"); line <= len(lines) {
		l := lines[line-1]
		pos.Col = utf8.RuneCountInString(l) - utf8.RuneCountInString(strings.TrimLeft(l, " \t")) + 1
	}
	return &genqlientError{pos: pos, msg: msg}
}

// locateOperation names the operation of ops that contains pos (the last
// one of its file starting at or before its line), or "#".
func locateOperation(ops []operation, pos diag.Pos) string {
	best, line := "#", 0
	for _, op := range ops {
		if op.Pos.File == pos.File && op.Pos.Line <= pos.Line && op.Pos.Line >= line {
			best, line = op.Type+" "+op.Name, op.Pos.Line
		}
	}
	return best
}

// plural returns "1 query" or "2 queries".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
