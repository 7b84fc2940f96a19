package apidiff

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator"
)

// CompareGenerated compares a connector as it is on disk (old: its
// generated Go files, named relative to its directory) with a new
// generation of it (new), and returns the changes of the generated Go
// API, as Compare does (opts.Package and opts.RuntimeDir are used). For a
// connector split by tag, importPath is the import path of its root
// package, which its tag packages import; "" otherwise. Identifiers are
// traced to their sources with the new generation's symbols; one the new
// generation no longer declares, to the operation the old code sends
// (operationSymbols), else to its enclosing type's source, else
// "generated".
func CompareGenerated(ctx context.Context, old []generator.File, new *generator.Result, opts Options, importPath string) ([]GoChange, error) {
	if opts.RuntimeDir == "" {
		return nil, fmt.Errorf("no runtime module directory to type-check the generated code against")
	}
	rebase := func(files []generator.File) []generator.File {
		if importPath == "" {
			return files
		}
		r := strings.NewReplacer(`"`+importPath+`"`, `"`+scratchModule+`"`, `"`+importPath+`/`, `"`+scratchModule+`/`)
		out := make([]generator.File, len(files))
		for i, f := range files {
			out[i] = generator.File{Name: f.Name, Content: []byte(r.Replace(string(f.Content)))}
		}
		return out
	}
	oldSyms, err := operationSymbols(old)
	if err != nil {
		return nil, err
	}
	return compareGo(ctx, &generator.Result{Files: rebase(old), Symbols: oldSyms}, &generator.Result{Files: rebase(new.Files), Symbols: new.Symbols}, opts)
}

// operationSymbols traces the Client methods of generated code and their
// request and response types to their operations, from the code itself:
// each method sends an operation descriptor, a variable
// `&runtime.Operation{ID: ..., Method: ..., Path: ...}`
// (runtime.NewRequest(opListPets, ...)), and takes its request type as
// its second parameter. It is what a connector on disk tells of its
// operations without its spec; schemas it cannot tell.
func operationSymbols(files []generator.File) (map[string]Source, error) {
	fset := token.NewFileSet()
	ops := map[string]Source{} // descriptor variable -> operation
	type method struct {
		desc  string
		types []string // request and result type names
	}
	methods := map[string]method{}
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name, f.Content, 0)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %v", f.Name, err)
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if op, ok := operationLiteral(vs.Values[i]); ok {
								ops[n.Name] = op
							}
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) != 1 || d.Body == nil {
					continue
				}
				if star, ok := d.Recv.List[0].Type.(*ast.StarExpr); !ok || !isIdent(star.X, "Client") {
					continue
				}
				m := method{desc: descriptorUse(d.Body)}
				var fields []*ast.Field
				if d.Type.Params != nil {
					fields = append(fields, d.Type.Params.List...)
				}
				if d.Type.Results != nil {
					fields = append(fields, d.Type.Results.List...)
				}
				for _, fld := range fields {
					t := fld.Type
					if star, ok := t.(*ast.StarExpr); ok {
						t = star.X
					}
					if id, ok := t.(*ast.Ident); ok && id.IsExported() {
						m.types = append(m.types, id.Name)
					}
				}
				methods[d.Name.Name] = m
			}
		}
	}
	out := map[string]Source{}
	for name, m := range methods {
		op, ok := ops[m.desc]
		if !ok {
			continue
		}
		out["(*Client)."+name] = op
		for _, t := range m.types {
			if strings.HasSuffix(t, "Request") || strings.HasSuffix(t, "Response") {
				out[t] = op
			}
		}
	}
	return out, nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// operationLiteral reads `&runtime.Operation{ID: "...", Method: "...",
// Path: "..."}`.
func operationLiteral(e ast.Expr) (Source, bool) {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return Source{}, false
	}
	if sel, ok := cl.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Operation" {
		return Source{}, false
	}
	src := Source{Kind: "operation"}
	var id string
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		k, ok1 := kv.Key.(*ast.Ident)
		v, ok2 := kv.Value.(*ast.BasicLit)
		if !ok1 || !ok2 || v.Kind != token.STRING {
			continue
		}
		s, err := strconv.Unquote(v.Value)
		if err != nil {
			continue
		}
		switch k.Name {
		case "ID":
			id = s
		case "Method":
			src.Method = s
		case "Path":
			src.Path = s
		}
	}
	// An operation without an operationId has the ID "get /pets".
	if id != "" && id != strings.ToLower(src.Method)+" "+src.Path {
		src.OperationID = id
	}
	return src, src.Method != ""
}

// descriptorUse finds the operation descriptor a method sends:
// runtime.NewRequest(opListPets, ...).
func descriptorUse(body *ast.BlockStmt) string {
	found := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewRequest" {
			if id, ok := call.Args[0].(*ast.Ident); ok {
				found = id.Name
			}
		}
		return true
	})
	return found
}

// Changelog writes CHANGES.md for a regenerated connector: first line
// header (an HTML comment, the generated-file marker), then the verdict
// and every change of the Go API, compatible ones too, grouped by the
// operation or schema it comes from, as Markdown renders them.
func (r *Report) Changelog(w io.Writer, header string) error {
	s := r.summarize()
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- %s -->\n# Changes to the Go API of package %s\n\n", header, mdText(r.Package))
	fmt.Fprintf(&b, "What the last `connectorgen generate` changed in the generated Go API (%s).\n\n", mdText(r.New))
	switch {
	case s.goBreaking > 0:
		fmt.Fprintf(&b, "**Verdict:** breaking: %s, %s.\n", plural(s.goBreaking, "breaking change"), plural(s.goCompatible, "compatible change"))
	case s.goCompatible > 0:
		fmt.Fprintf(&b, "**Verdict:** compatible: %s, none breaking.\n", plural(s.goCompatible, "change"))
	default:
		b.WriteString("**Verdict:** no change to the Go API.\n")
	}
	for _, p := range s.goPlaces {
		var lines []string
		for _, l := range placeLines(s.goByPlace[p], true) {
			lines = append(lines, "- "+l.text(true))
		}
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", mdText(p), strings.Join(lines, "\n"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
