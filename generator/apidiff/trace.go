package apidiff

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator"
)

// Source is what in the spec a generated identifier comes from.
type Source struct {
	// Kind is "schema", "operation", "security scheme", "server", "client"
	// (the Client type, New and its plumbing) or "generated" (no better
	// answer).
	Kind string `json:"kind"`
	// Pointer is a schema's JSON pointer, e.g. #/components/schemas/Pet.
	Pointer string `json:"pointer,omitempty"`
	// OperationID, Method and Path name an operation (OperationID is empty
	// when the spec gives none).
	OperationID string `json:"operationId,omitempty"`
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	// Name is a security scheme's name.
	Name string `json:"name,omitempty"`
	// Detail narrows it down: `property "name"`, `query parameter "limit"`,
	// `request body`, `200 response`, `enum value "sold"`.
	Detail string `json:"detail,omitempty"`
}

func (s Source) String() string {
	var b string
	switch s.Kind {
	case "schema":
		b = "schema " + s.Pointer
	case "operation":
		switch {
		case s.Method == "":
			b = "operation " + s.OperationID
		case s.OperationID != "":
			b = fmt.Sprintf("operation %s (%s %s)", s.OperationID, s.Method, s.Path)
		default:
			b = fmt.Sprintf("operation %s %s", s.Method, s.Path)
		}
	case "security scheme":
		b = fmt.Sprintf("security scheme %q", s.Name)
	case "server":
		b = "servers"
	default:
		b = s.Kind
	}
	if s.Detail != "" {
		b += ", " + s.Detail
	}
	return b
}

// index maps the identifiers of one generated package, spelled as apidiff
// spells them ("Pet", "Pet.Name", "(*Client).ListPets", "Pet.Validate"),
// to their sources.
type index struct {
	sources map[string]Source
}

var (
	schemaDoc   = regexp.MustCompile(`^(\w+) is the schema (.+)\.$`)
	requestDoc  = regexp.MustCompile(`^(\w+) holds the parameters and body of (\w+)\.$`)
	responseDoc = regexp.MustCompile(`^(\w+) is the result of (\w+);`)
	paramDoc    = regexp.MustCompile(`^\w+ is the (\w+) parameter ("(?:[^"\\]|\\.)*")\.`)
	statusDoc   = regexp.MustCompile(`^\w+ is the body of an? (\S+) response`)
	schemeDoc   = regexp.MustCompile(`sets the credential for the security scheme ("(?:[^"\\]|\\.)*")`)
	operationID = regexp.MustCompile(`\(operationId (\S+)\)`)
)

// typeInfo is what the first pass gathers about a type before sources are
// resolved.
type typeInfo struct {
	doc    string            // first line of the doc comment
	full   string            // the whole doc comment's text
	fields map[string]string // field name -> detail
}

// indexSources parses the generated files and traces every exported
// identifier to the schema, operation or security scheme it comes from.
func indexSources(files []generator.File) (*index, error) {
	fset := token.NewFileSet()
	ops := map[string]Source{}        // operation descriptor variable -> operation
	methodOp := map[string]string{}   // Client method -> descriptor variable
	methodDoc := map[string]string{}  // Client method -> doc text
	types := map[string]*typeInfo{}   // type name -> info
	methods := map[string][2]string{} // apidiff key -> {receiver type, method}
	consts := map[string][2]string{}  // const name -> {type name, literal}
	funcs := map[string]string{}      // func name -> doc text
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parsing generated %s: %v", f.Name, err)
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						doc := s.Doc
						if doc == nil {
							doc = d.Doc
						}
						ti := &typeInfo{doc: firstLine(doc), full: doc.Text(), fields: map[string]string{}}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									ti.fields[n.Name] = fieldDetail(fld)
								}
							}
						}
						types[s.Name.Name] = ti
					case *ast.ValueSpec:
						if d.Tok == token.VAR {
							for i, n := range s.Names {
								if i < len(s.Values) {
									if op, ok := operationLiteral(s.Values[i]); ok {
										ops[n.Name] = op
									}
								}
							}
							continue
						}
						typ := ""
						if id, ok := s.Type.(*ast.Ident); ok {
							typ = id.Name
						}
						for i, n := range s.Names {
							lit := ""
							if i < len(s.Values) {
								if bl, ok := s.Values[i].(*ast.BasicLit); ok {
									lit = bl.Value
								}
							}
							consts[n.Name] = [2]string{typ, lit}
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) == 0 {
					funcs[d.Name.Name] = d.Doc.Text()
					continue
				}
				recv, ptr := receiver(d.Recv.List[0].Type)
				key := recv + "." + d.Name.Name
				if ptr {
					key = "(*" + recv + ")." + d.Name.Name
				}
				methods[key] = [2]string{recv, d.Name.Name}
				if recv == "Client" {
					methodDoc[d.Name.Name] = d.Doc.Text()
					if v := descriptorUse(d.Body); v != "" {
						methodOp[d.Name.Name] = v
					}
				}
			}
		}
	}

	idx := &index{sources: map[string]Source{}}
	operationOf := func(method string) (Source, bool) {
		if op, ok := ops[methodOp[method]]; ok {
			return op, true
		}
		if m := operationID.FindStringSubmatch(methodDoc[method]); m != nil {
			return Source{Kind: "operation", OperationID: m[1]}, true
		}
		return Source{}, false
	}
	typeSource := func(name string) Source {
		ti := types[name]
		if ti == nil {
			return Source{Kind: "generated"}
		}
		// "<Name> is the schema <pointer>." ends the doc (after the spec's
		// description) or is all of it.
		for _, line := range strings.Split(ti.full, "\n") {
			if m := schemaDoc.FindStringSubmatch(strings.TrimSpace(line)); m != nil && m[1] == name {
				return Source{Kind: "schema", Pointer: m[2]}
			}
		}
		for _, re := range []*regexp.Regexp{requestDoc, responseDoc} {
			if m := re.FindStringSubmatch(ti.doc); m != nil && m[1] == name {
				if op, ok := operationOf(m[2]); ok {
					return op
				}
			}
		}
		if name == "Client" {
			return Source{Kind: "client"}
		}
		return Source{Kind: "generated"}
	}
	for name, ti := range types {
		src := typeSource(name)
		idx.sources[name] = src
		for f, detail := range ti.fields {
			fs := src
			if detail != "" {
				fs.Detail = detail
			}
			idx.sources[name+"."+f] = fs
		}
	}
	for key, rm := range methods {
		if rm[0] == "Client" {
			if op, ok := operationOf(rm[1]); ok {
				idx.sources[key] = op
				continue
			}
		}
		idx.sources[key] = typeSource(rm[0])
	}
	for name, tl := range consts {
		switch {
		case name == "DefaultServerURL":
			idx.sources[name] = Source{Kind: "server"}
		case tl[0] != "" && types[tl[0]] != nil:
			src := typeSource(tl[0])
			if tl[1] != "" {
				src.Detail = "enum value " + tl[1]
			}
			idx.sources[name] = src
		default:
			idx.sources[name] = Source{Kind: "generated"}
		}
	}
	for name, doc := range funcs {
		if m := schemeDoc.FindStringSubmatch(doc); m != nil {
			scheme, _ := strconv.Unquote(m[1])
			idx.sources[name] = Source{Kind: "security scheme", Name: scheme}
			continue
		}
		if name == "New" {
			idx.sources[name] = Source{Kind: "client"}
			continue
		}
		idx.sources[name] = Source{Kind: "generated"}
	}
	return idx, nil
}

// trace finds the source of the identifier apidiff names, trying the
// identifier, then its enclosing ones ("Pet.Name" then "Pet"), in the old
// package and then the new one (an added identifier exists only there).
func trace(obj string, old, new *index) Source {
	for _, key := range candidates(obj) {
		for _, idx := range []*index{old, new} {
			if s, ok := idx.sources[key]; ok {
				return s
			}
		}
	}
	return Source{Kind: "generated"}
}

// candidates lists obj and its enclosing identifiers, longest first:
// "(*Client).ListPets" gives itself and "Client"; "A.B.C" gives "A.B.C",
// "A.B" and "A".
func candidates(obj string) []string {
	var out []string
	for obj != "" {
		out = append(out, obj)
		if strings.HasPrefix(obj, "(*") {
			if end := strings.Index(obj, ")"); end > 0 {
				if obj[end+1:] == "" {
					obj = obj[2:end]
					continue
				}
				rest := obj[end+1:]
				i := strings.LastIndex(rest, ".")
				if i <= 0 {
					obj = obj[:end+1]
				} else {
					obj = obj[:end+1] + rest[:i]
				}
				continue
			}
		}
		i := strings.LastIndex(obj, ".")
		if i < 0 {
			break
		}
		obj = obj[:i]
	}
	return out
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
	sel, ok := cl.Type.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Operation" {
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
	// An operation without an operationId gets the ID "get /pets".
	if id != "" && id != strings.ToLower(src.Method)+" "+src.Path {
		src.OperationID = id
	}
	return src, src.Method != ""
}

// descriptorUse finds the operation descriptor a method sends:
// runtime.NewRequest(opListPets, ...).
func descriptorUse(body *ast.BlockStmt) string {
	found := ""
	if body == nil {
		return ""
	}
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

func receiver(e ast.Expr) (name string, ptr bool) {
	if s, ok := e.(*ast.StarExpr); ok {
		e, ptr = s.X, true
	}
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name, ptr
	case *ast.IndexExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name, ptr
		}
	}
	return "", ptr
}

// fieldDetail says which part of the schema or operation a struct field
// holds, from its doc comment or its JSON name.
func fieldDetail(f *ast.Field) string {
	doc := firstLine(f.Doc)
	if m := paramDoc.FindStringSubmatch(doc); m != nil {
		name, err := strconv.Unquote(m[2])
		if err == nil {
			return fmt.Sprintf("%s parameter %q", m[1], name)
		}
	}
	if strings.HasPrefix(doc, "Body is the request body") || strings.HasPrefix(doc, "BodyContentType is") {
		return "request body"
	}
	if m := statusDoc.FindStringSubmatch(doc); m != nil {
		return m[1] + " response"
	}
	if strings.HasPrefix(doc, "AdditionalProperties holds") {
		return "additionalProperties"
	}
	if f.Tag != nil {
		if tag, err := strconv.Unquote(f.Tag.Value); err == nil {
			name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
			if name != "" && name != "-" {
				return fmt.Sprintf("property %q", name)
			}
		}
	}
	return ""
}

func firstLine(cg *ast.CommentGroup) string {
	line, _, _ := strings.Cut(cg.Text(), "\n")
	return strings.TrimSpace(line)
}
