package graphql

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/Khan/genqlient/generate"
	"github.com/connectorgen/connectorgen/generator/diag"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/tools/go/ast/astutil"
)

// genqlient types the operations; adapt turns its file into the
// connector's operations.go and collects what client.go and types.go
// (emitted with jennifer) declare around it:
//
//   - input values say absent apart from null: a nullable variable or
//     input-object field is a runtime.Nullable (absent, null or a value), a
//     non-null one with a default a runtime.Opt (absent means the default),
//     both tagged omitzero, so an unset value is left out of the request
//     instead of being sent as null (GraphQL October 2021 §6.4.1: an absent
//     argument and a null one differ; a default applies only when absent);
//   - genqlient's positional operation functions and their __<Op>Input
//     structs give way to one <Op>Variables struct per operation and a
//     Client method taking it (client.go);
//   - every interface or union decodes a __typename the connector was not
//     generated for into an <Interface>Unknown variant that keeps the
//     typename, the raw JSON object and the fields selected on the
//     interface itself, instead of failing the call (types.go).
//
// Responses keep genqlient's pointers for nullable fields: a selected field
// is always present in a response, so null and a value are its only states.

// wrapKind is how the Go type of an input value tells absent from null.
type wrapKind int

const (
	wrapNone     wrapKind = iota // non-null without a default: the plain type
	wrapOpt                      // non-null with a default: runtime.Opt, absent meaning the default
	wrapNullable                 // nullable: runtime.Nullable, absent, null or a value
)

// wrapOf returns the wrapping of an input value of type t.
func wrapOf(t *gqlast.Type, hasDefault bool) wrapKind {
	switch {
	case !t.NonNull:
		return wrapNullable
	case hasDefault:
		return wrapOpt
	}
	return wrapNone
}

// opCode is what client.go needs to know of one operation.
type opCode struct {
	op       operation
	method   string // the Client method, exported(op.Name)
	result   string // the response type genqlient declares
	doc      string // the operation's own comment, as doc text
	varsType string // <Method>Variables, "" when the operation has none
	vars     []varField
	relay    *relayPage // the Relay connection it pages through, if any
}

// varField is one field of an <Op>Variables struct.
type varField struct {
	goName, jsonName string
	typ              ast.Expr // as in operations.go
	wrap             wrapKind
	def              *gqlast.VariableDefinition
}

// unknownVariant is the fallback variant of one interface or union.
type unknownVariant struct {
	iface   string   // the Go interface genqlient declares
	name    string   // the fallback's type: <Interface>Unknown
	marker  string   // the interface's unexported marker method
	known   string   // an implementation, decoded for the shared fields; "" if none
	getters []getter // the interface's getters, GetTypename included
	raw     string   // the field holding the raw JSON object
	decode  string   // helper the unmarshaler's default case calls
	encode  string   // helper the marshaler's default case calls, "" if none
}

// getter is a method GetX() T of a genqlient interface.
type getter struct {
	name string
	typ  ast.Expr
}

// adapted is the result of adapt.
type adapted struct {
	ops      []*opCode // sorted by method
	coded    []string  // struct types holding Opt or Nullable fields (they get MarshalJSON), sorted
	unknowns []unknownVariant
	imports  map[string]string // package name in operations.go -> import path
	declared map[string]bool   // top-level names of operations.go
}

// adapt rewrites genqlient's file f in place (see the comment above) and
// returns what the connector's own files need, or the located diagnostics
// of names that would clash.
func adapt(fset *token.FileSet, f *ast.File, schema *gqlast.Schema, ops []operation) (*adapted, diag.List) {
	ad := &adapted{imports: map[string]string{}, declared: map[string]bool{}}
	var diags diag.List
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		ad.imports[name] = p
	}

	types := map[string]*ast.TypeSpec{}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				types[ts.Name.Name] = ts
			}
		}
	}

	// Input objects: genqlient names each after its GraphQL name.
	inputs := map[string]*gqlast.Definition{}
	for name, def := range schema.Types {
		if def.Kind == gqlast.InputObject {
			inputs[generate.ApplyCasing(name, generate.CasingDefault, true)] = def
		}
	}
	newTypes := map[string]map[string]ast.Expr{} // struct -> field -> new type
	usesRuntime := false
	for goName, def := range inputs {
		ts := types[goName]
		if ts == nil {
			continue
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		for _, fld := range st.Fields.List {
			jsonName := jsonTagName(fld)
			fd := def.Fields.ForName(jsonName)
			if fd == nil || len(fld.Names) != 1 || fld.Tag == nil {
				continue
			}
			w := wrapOf(fd.Type, fd.DefaultValue != nil)
			if w == wrapNone {
				continue
			}
			base := unpointer(fld.Type, fd.Type)
			if w == wrapNullable && fd.Type.Elem == nil && schema.Types[fd.Type.NamedType] != nil &&
				schema.Types[fd.Type.NamedType].Kind == gqlast.InputObject && reaches(schema, fd.Type.NamedType, def.Name) {
				base = &ast.StarExpr{X: base} // a cycle of input objects: by pointer
			}
			fld.Type = wrapped(w, base)
			fld.Tag = &ast.BasicLit{Kind: token.STRING, ValuePos: fld.Tag.Pos(), Value: "`json:\"" + jsonName + ",omitzero\"`"}
			if newTypes[goName] == nil {
				newTypes[goName] = map[string]ast.Expr{}
			}
			newTypes[goName][fld.Names[0].Name] = fld.Type
			usesRuntime = true
		}
		if newTypes[goName] != nil {
			ad.coded = append(ad.coded, goName)
			for _, fld := range st.Fields.List {
				if len(fld.Names) == 1 && fld.Names[0].Name == "MarshalJSON" {
					fd := def.Fields.ForName(jsonTagName(fld))
					if fd == nil {
						continue
					}
					diags = append(diags, errAt(posOf(srcName(fd.Position), fd.Position), "input "+def.Name,
						fmt.Sprintf("input field %s.%s would be the Go field MarshalJSON, which the type's JSON method needs; rename the field", def.Name, fd.Name)))
				}
			}
		}
	}
	sort.Strings(ad.coded)

	// Operations: variables and genqlient's functions.
	remove := map[ast.Decl]bool{}
	byName := map[string]*opCode{}
	for _, op := range ops {
		oc := &opCode{op: op, method: exported(op.Name)}
		byName[op.Name] = oc
		ad.ops = append(ad.ops, oc)
		if len(op.Def.VariableDefinitions) == 0 {
			continue
		}
		oc.varsType = oc.method + "Variables"
		ts := types["__"+op.Name+"Input"]
		if ts == nil {
			return nil, diag.List{internalErr(op.Pos, "genqlient declared no __"+op.Name+"Input")}
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return nil, diag.List{internalErr(op.Pos, "genqlient's __"+op.Name+"Input is not a struct")}
		}
		for _, fld := range st.Fields.List {
			jsonName := jsonTagName(fld)
			v := op.Def.VariableDefinitions.ForName(jsonName)
			if v == nil || len(fld.Names) != 1 {
				return nil, diag.List{internalErr(op.Pos, "unexpected field in __"+op.Name+"Input")}
			}
			w := wrapOf(v.Type, v.DefaultValue != nil)
			typ := fld.Type
			if w != wrapNone {
				typ = wrapped(w, unpointer(typ, v.Type))
			}
			oc.vars = append(oc.vars, varField{goName: fld.Names[0].Name, jsonName: jsonName, typ: typ, wrap: w, def: v})
		}
		wrappers := false
		for _, v := range oc.vars {
			wrappers = wrappers || v.wrap != wrapNone
		}
		for _, v := range oc.vars {
			if wrappers && v.goName == "MarshalJSON" {
				diags = append(diags, errAt(posOf(op.Pos.File, v.def.Position), string(op.Def.Operation)+" "+op.Name,
					fmt.Sprintf("variable $%s would be the Go field MarshalJSON, which the variables type's JSON method needs; rename the variable", v.jsonName)))
			}
		}
	}
	if len(diags) > 0 {
		diags.Sort()
		return nil, diags
	}
	sort.Slice(ad.ops, func(i, j int) bool { return ad.ops[i].method < ad.ops[j].method })

	interfaces := map[string]*ast.InterfaceType{}
	for name, ts := range types {
		if it, ok := ts.Type.(*ast.InterfaceType); ok {
			interfaces[name] = it
		}
	}
	var unknowns []*unknownVariant
	byIface := map[string]*unknownVariant{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.TYPE && len(d.Specs) == 1 {
				if name := d.Specs[0].(*ast.TypeSpec).Name.Name; strings.HasPrefix(name, "__") && strings.HasSuffix(name, "Input") && byName[strings.TrimSuffix(strings.TrimPrefix(name, "__"), "Input")] != nil {
					remove[d] = true
				}
			}
		case *ast.FuncDecl:
			switch {
			case d.Recv != nil:
				recv := recvName(d)
				if strings.HasPrefix(recv, "__") && strings.HasSuffix(recv, "Input") && byName[strings.TrimSuffix(strings.TrimPrefix(recv, "__"), "Input")] != nil {
					remove[d] = true // a getter of a variables struct
				} else if nt := newTypes[recv]; nt != nil && d.Type.Results != nil && len(d.Type.Results.List) == 1 {
					if t := nt[strings.TrimPrefix(d.Name.Name, "Get")]; t != nil && strings.HasPrefix(d.Name.Name, "Get") {
						d.Type.Results.List[0].Type = t
					}
				}
			case byName[d.Name.Name] != nil && d.Type.Results != nil && len(d.Type.Results.List) == 2:
				oc := byName[d.Name.Name]
				oc.result = strings.TrimPrefix(exprString(fset, d.Type.Results.List[0].Type), "*")
				if d.Doc != nil {
					var lines []string
					for _, c := range d.Doc.List {
						lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(c.Text, "//"), " "))
					}
					oc.doc = strings.Join(lines, "\n")
				}
				remove[d] = true
			case strings.HasPrefix(d.Name.Name, "__unmarshal"):
				if u := patchUnmarshal(d, interfaces); u != nil {
					unknowns = append(unknowns, u)
					byIface[u.iface] = u
				}
			}
		}
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "__marshal") {
			if u := byIface[strings.TrimPrefix(fd.Name.Name, "__marshal")]; u != nil {
				patchMarshal(fd, u)
			}
		}
	}
	for _, oc := range ad.ops {
		if oc.result == "" {
			return nil, diag.List{internalErr(oc.op.Pos, "genqlient declared no function for "+oc.op.Name)}
		}
		oc.relay = detectRelay(oc, types)
		if oc.relay != nil && ad.declared[oc.method+"Iter"] {
			oc.relay = nil // a type of that name: no iterator rather than a clash
		}
	}
	removeDecls(f, remove)
	if usesRuntime {
		astutil.AddImport(fset, f, runtimePath)
	}
	for _, p := range []string{"context", runtimeGraphQL} { // used by the removed functions only
		if !astutil.UsesImport(f, p) {
			astutil.DeleteImport(fset, f, p)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					ad.declared[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						ad.declared[n.Name] = true
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				ad.declared[d.Name.Name] = true
			}
		}
	}
	renameEnumValues(f, schema, collidingEnums(schema), ad.declared)
	// The fallback variants' names: <Interface>Unknown, with "_" added
	// while genqlient declares the name.
	taken := func(n string) bool { return ad.declared[n] }
	sort.Slice(unknowns, func(i, j int) bool { return unknowns[i].iface < unknowns[j].iface })
	for _, u := range unknowns {
		u.name = u.iface + "Unknown"
		for taken(u.name) {
			u.name += "_"
		}
		ad.declared[u.name] = true
		ad.unknowns = append(ad.unknowns, *u)
	}
	return ad, nil
}

func internalErr(pos diag.Pos, msg string) diag.Diagnostic {
	return errAt(pos, "#", "internal error (please report): "+msg)
}

// jsonTagName returns the name in a field's json tag.
func jsonTagName(f *ast.Field) string {
	if f.Tag == nil {
		return ""
	}
	tag, err := strconv.Unquote(f.Tag.Value)
	if err != nil {
		return ""
	}
	name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
	return name
}

// unpointer returns the type a wrapper holds for an input value of
// GraphQL type t that genqlient typed as e: the pointer genqlient gives a
// nullable named type (its "pointer" option) is dropped.
func unpointer(e ast.Expr, t *gqlast.Type) ast.Expr {
	if star, ok := e.(*ast.StarExpr); ok && !t.NonNull && t.Elem == nil {
		return star.X
	}
	return e
}

// wrapped returns runtime.Opt[base] or runtime.Nullable[base].
func wrapped(w wrapKind, base ast.Expr) ast.Expr {
	name := "Nullable"
	if w == wrapOpt {
		name = "Opt"
	}
	return &ast.IndexExpr{X: &ast.SelectorExpr{X: ast.NewIdent("runtime"), Sel: ast.NewIdent(name)}, Index: base}
}

// reaches reports whether the input object from leads to the input object
// to through fields that are not lists (each held by value unless the
// cycle is broken by a pointer).
func reaches(schema *gqlast.Schema, from, to string) bool {
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(name string) bool {
		if name == to {
			return true
		}
		if seen[name] {
			return false
		}
		seen[name] = true
		def := schema.Types[name]
		if def == nil || def.Kind != gqlast.InputObject {
			return false
		}
		for _, f := range def.Fields {
			if f.Type.Elem == nil && walk(f.Type.NamedType) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// patchUnmarshal makes genqlient's __unmarshal<Interface>(b, v) decode an
// unknown __typename into the fallback variant (its default case called
// the typename an error) and returns that variant, or nil when fd is not
// such a function.
func patchUnmarshal(fd *ast.FuncDecl, interfaces map[string]*ast.InterfaceType) *unknownVariant {
	params := fd.Type.Params.List
	if len(params) != 2 || len(params[0].Names) != 1 || len(params[1].Names) != 1 {
		return nil
	}
	star, ok := params[1].Type.(*ast.StarExpr)
	if !ok {
		return nil
	}
	id, ok := star.X.(*ast.Ident)
	if !ok || interfaces[id.Name] == nil {
		return nil
	}
	u := &unknownVariant{iface: id.Name, decode: "__decodeUnknown" + id.Name}
	for _, m := range interfaces[id.Name].Methods.List {
		if len(m.Names) != 1 {
			continue
		}
		ft, ok := m.Type.(*ast.FuncType)
		if !ok {
			continue
		}
		switch name := m.Names[0].Name; {
		case strings.HasPrefix(name, "implementsGraphQLInterface"):
			u.marker = name
		case strings.HasPrefix(name, "Get") && ft.Results != nil && len(ft.Results.List) == 1 && len(ft.Params.List) == 0:
			u.getters = append(u.getters, getter{name: name, typ: ft.Results.List[0].Type})
		}
	}
	var def *ast.CaseClause
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok {
			return true
		}
		if cc.List == nil {
			def = cc
		}
		// case "Type": *v = new(Impl)
		for _, s := range cc.Body {
			if as, ok := s.(*ast.AssignStmt); ok && len(as.Rhs) == 1 && u.known == "" {
				if call, ok := as.Rhs[0].(*ast.CallExpr); ok && len(call.Args) == 1 {
					if fn, ok := call.Fun.(*ast.Ident); ok && fn.Name == "new" {
						if t, ok := call.Args[0].(*ast.Ident); ok {
							u.known = t.Name
						}
					}
				}
			}
		}
		return false
	})
	if def == nil || u.marker == "" {
		return nil
	}
	if u.known == "" {
		// No implementation in the schema: the shared fields are decoded
		// straight into the variant, by encoding/json's case-insensitive
		// match of genqlient's field names, unless one holds an interface.
		for _, g := range u.getters {
			if holdsInterface(g.typ, interfaces) {
				return nil
			}
		}
	}
	u.raw = "Raw"
	for hasGetter(u, "Get"+u.raw) {
		u.raw += "_"
	}
	pos := fd.Body.Pos()
	if len(def.Body) > 0 {
		pos = def.Body[0].Pos()
	}
	def.Body = []ast.Stmt{&ast.ReturnStmt{Return: pos, Results: []ast.Expr{&ast.CallExpr{
		Fun: ast.NewIdent(u.decode), Args: []ast.Expr{ast.NewIdent(params[0].Names[0].Name), ast.NewIdent(params[1].Names[0].Name)},
	}}}}
	return u
}

func hasGetter(u *unknownVariant, name string) bool {
	for _, g := range u.getters {
		if g.name == name {
			return true
		}
	}
	return false
}

// patchMarshal makes genqlient's __marshal<Interface> write the fallback
// variant's raw JSON object (its default case called it an error). For an
// interface without implementations it also drops genqlient's
// "var typename string", which no case uses then (genqlient's output did
// not compile).
func patchMarshal(fd *ast.FuncDecl, u *unknownVariant) {
	defer dropUnusedVar(fd.Body, "typename")
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSwitchStmt)
		if !ok {
			return true
		}
		as, ok := ts.Assign.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 {
			return false
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return false
		}
		v := id.Name
		for _, s := range ts.Body.List {
			if cc, ok := s.(*ast.CaseClause); ok && cc.List == nil && len(cc.Body) > 0 {
				u.encode = "__encodeUnknown" + u.iface
				cc.Body = []ast.Stmt{&ast.ReturnStmt{Return: cc.Body[0].Pos(), Results: []ast.Expr{&ast.CallExpr{
					Fun: ast.NewIdent(u.encode), Args: []ast.Expr{ast.NewIdent(v)},
				}}}}
			}
		}
		return false
	})
}

// removeDecls drops the declarations of remove from f, with their comments.
func removeDecls(f *ast.File, remove map[ast.Decl]bool) {
	type span struct{ from, to token.Pos }
	var spans []span
	kept := f.Decls[:0]
	for _, d := range f.Decls {
		if !remove[d] {
			kept = append(kept, d)
			continue
		}
		from := d.Pos()
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				from = d.Doc.Pos()
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				from = d.Doc.Pos()
			}
		}
		spans = append(spans, span{from, d.End()})
	}
	f.Decls = kept
	comments := f.Comments[:0]
next:
	for _, c := range f.Comments {
		for _, s := range spans {
			if c.Pos() >= s.from && c.End() <= s.to {
				continue next
			}
		}
		comments = append(comments, c)
	}
	f.Comments = comments
}

// describe returns a variable's GraphQL type with its default, as written
// in the operation: "Int = 10".
func describe(v *gqlast.VariableDefinition) string {
	s := v.Type.String()
	if v.DefaultValue != nil {
		s += " = " + v.DefaultValue.String()
	}
	return s
}

// variableDoc documents one field of an <Op>Variables struct.
func variableDoc(v varField) string {
	s := fmt.Sprintf("%s is $%s (%s).", v.goName, v.jsonName, describe(v.def))
	switch {
	case v.wrap == wrapOpt:
		s += " Unset, it is left out of the request and the server uses the default."
	case v.wrap == wrapNullable && v.def.DefaultValue != nil:
		s += " Unset, it is left out of the request and the server uses the default; runtime.NullValue sends an explicit null."
	case v.wrap == wrapNullable:
		s += " Unset, it is left out of the request; runtime.NullValue sends an explicit null."
	}
	return s
}

// srcName is the name of the file p is in, or "".
func srcName(p *gqlast.Position) string {
	if p == nil || p.Src == nil {
		return ""
	}
	return p.Src.Name
}

// holdsInterface reports whether the type expression e is, or holds in a
// slice or pointer, one of the Go interfaces genqlient declares.
func holdsInterface(e ast.Expr, interfaces map[string]*ast.InterfaceType) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return interfaces[e.Name] != nil
	case *ast.StarExpr:
		return holdsInterface(e.X, interfaces)
	case *ast.ArrayType:
		return holdsInterface(e.Elt, interfaces)
	}
	return false
}

// dropUnusedVar removes the statement "var name T" from body when nothing
// else in body uses name.
func dropUnusedVar(body *ast.BlockStmt, name string) {
	var decl ast.Stmt
	uses := 0
	for _, st := range body.List {
		if ds, ok := st.(*ast.DeclStmt); ok {
			if gd, ok := ds.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR && len(gd.Specs) == 1 {
				if vs, ok := gd.Specs[0].(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == name && len(vs.Values) == 0 {
					decl = st
					continue
				}
			}
		}
		ast.Inspect(st, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == name {
				uses++
			}
			return true
		})
	}
	if decl == nil || uses > 0 {
		return
	}
	kept := body.List[:0]
	for _, st := range body.List {
		if st != decl {
			kept = append(kept, st)
		}
	}
	body.List = kept
}
