package apidiff

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/names"
)

// InvalidOperation is an operation of the project that no longer
// validates against the new GraphQL schema: a selected field removed, an
// argument that became non-null given a nullable variable, an enum value
// it names removed. Each breaks the connector: it cannot be regenerated as
// it is, and the old one sends what the server now refuses.
type InvalidOperation struct {
	// Diagnostic is the validation error, located in the operation
	// document (file:line:col).
	Diagnostic string `json:"diagnostic"`
	// Operation is the operation's name, when the diagnostic names it.
	Operation string `json:"operation,omitempty"`
	// Touches are the Go identifiers of the old connector generated for
	// the operation: its Client method and the types named after it.
	Touches []string `json:"touches,omitempty"`
}

// CompareGraphQL compares the connector a GraphQL project (cfg: its
// operations, package and scalars; paths relative to the current
// directory) generates against the schema oldSchema with the one it
// generates against newSchema. An operation that no longer validates is
// reported with the Go identifiers it touches (Report.Invalid), and then
// the Go APIs are not compared; otherwise they are, as Compare does.
// Diagnostics of the old generation (which must succeed) are returned; err
// is a diag.List when they say why the comparison could not be made.
func CompareGraphQL(ctx context.Context, cfg *config.File, oldSchema, newSchema string, opts Options) (*Report, diag.List, error) {
	if opts.RuntimeDir == "" {
		return nil, nil, errors.New("no runtime module directory to type-check the generated code against")
	}
	gen := func(schema string) (*generator.Result, error) {
		c := *cfg
		c.Schema = schema
		return generator.GenerateFrom(ctx, "", &c, opts.Version)
	}
	oldRes, err := gen(oldSchema)
	if err != nil {
		return nil, oldRes.Diagnostics, err
	}
	diags := oldRes.Diagnostics
	rep := &Report{Old: oldSchema, New: newSchema, Package: cfg.Package, GraphQL: true}
	newRes, err := gen(newSchema)
	if err != nil {
		var located diag.List
		if !errors.As(err, &located) {
			return nil, diags, err
		}
		decls := declared(oldRes.Files)
		for _, d := range located {
			if d.Severity != diag.Error {
				continue
			}
			inv := InvalidOperation{Diagnostic: d.String()}
			if m := operationRE.FindStringSubmatch(d.Pointer + ":"); m != nil { // the pointer names the operation
				inv.Operation = m[1]
				inv.Touches = touching(decls, names.Exported(m[1]))
			}
			rep.Invalid = append(rep.Invalid, inv)
		}
		return rep, diags, nil
	}
	diags = appendNew(diags, newRes.Diagnostics...)
	oldRes.Symbols, newRes.Symbols = graphqlSymbols(oldRes.Files), graphqlSymbols(newRes.Files)
	rep.GoAPI, err = compareGo(ctx, oldRes, newRes, opts)
	if err != nil {
		return nil, diags, err
	}
	return rep, diags, nil
}

// operationRE finds the operation a GraphQL diagnostic names:
// "query GetUser: Cannot query field ...".
var operationRE = regexp.MustCompile(`^(?:query|mutation|subscription) (\w+):`)

// declared lists the exported package-level identifiers and Client
// methods ("(*Client).GetUser") of generated Go files.
func declared(files []generator.File) []string {
	var out []string
	for _, af := range parseGo(files) {
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							out = append(out, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								out = append(out, n.Name)
							}
						}
					}
				}
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv != nil && len(d.Recv.List) == 1 {
					if star, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok && isIdent(star.X, "Client") {
						out = append(out, "(*Client)."+d.Name.Name)
					}
					continue
				}
				out = append(out, d.Name.Name)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// touching returns the identifiers generated for the operation whose Go
// name is op: its Client method, and the types and functions named after
// it (genqlient names an operation's types <Op>Response, <Op><Field>...,
// connectorgen its <Op>Variables).
func touching(decls []string, op string) []string {
	var out []string
	for _, d := range decls {
		if namedAfter(d, op) {
			out = append(out, d)
		}
	}
	return out
}

// namedAfter reports whether the identifier d was generated for the
// operation whose Go name is op: its Client method, or a name op
// prefixes before an upper-case letter or "_" (GetIssueResponse,
// GetIssue_Operation, not GetIssues).
func namedAfter(d, op string) bool {
	return d == "(*Client)."+op || strings.HasPrefix(d, op) && len(d) > len(op) && (isUpper(d[len(op)]) || d[len(op)] == '_')
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }

// graphqlSymbols traces the identifiers of a GraphQL connector: a Client
// method is its operation, and so is every identifier named after an
// operation (its variables, response and selection types: the longest
// operation name that prefixes it); another type is the schema type of
// its name (an enum, an input object), and an enum constant that type's.
func graphqlSymbols(files []generator.File) map[string]Source {
	decls := declared(files)
	var ops []string
	for _, d := range decls {
		if m, ok := strings.CutPrefix(d, "(*Client)."); ok && m != "GraphQL" {
			ops = append(ops, m)
		}
	}
	slices.SortFunc(ops, func(a, b string) int { return len(b) - len(a) }) // longest first
	out := map[string]Source{"Client": {Kind: "client"}, "New": {Kind: "client"}}
	consts := constTypes(files)
	for _, d := range decls {
		if _, ok := out[d]; ok {
			continue
		}
		for _, op := range ops {
			if namedAfter(d, op) {
				out[d] = Source{Kind: "operation", OperationID: op}
				break
			}
		}
		if _, ok := out[d]; ok || strings.HasPrefix(d, "(*Client).") {
			continue
		}
		if t, ok := consts[d]; ok {
			out[d] = Source{Kind: "graphql type", Name: t, Detail: "enum value"}
		} else {
			out[d] = Source{Kind: "graphql type", Name: d}
		}
	}
	return out
}

// constTypes maps each typed constant of the files to its type's name.
func constTypes(files []generator.File) map[string]string {
	out := map[string]string{}
	for _, af := range parseGo(files) {
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); ok {
					for _, n := range vs.Names {
						out[n.Name] = id.Name
					}
				}
			}
		}
	}
	return out
}

// parseGo parses the Go files among files; one that does not parse (the
// generator's output always does) is skipped.
func parseGo(files []generator.File) []*ast.File {
	var out []*ast.File
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		if af, err := parser.ParseFile(fset, f.Name, f.Content, parser.SkipObjectResolution); err == nil {
			out = append(out, af)
		}
	}
	return out
}
