package graphql

import (
	"bytes"
	"fmt"
	"go/ast"
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/emit"
	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/dave/jennifer/jen"
)

// The connector's own Go files (client.go, types.go) are emitted with
// jennifer, as the OpenAPI emitter's are, so their imports are never listed
// by hand: a variable of type time.Time, encoding/json.RawMessage or a
// type bound with scalars: imports its package.

// doc is the only way these files get a comment: the paragraphs become
// line comments through gotext.Comment (as generator/emit's doc).
func doc(paragraphs ...string) *jen.Statement {
	c := gotext.Comment(paragraphs...)
	if c == "" {
		return jen.Null()
	}
	return jen.Comment(c)
}

func docf(format string, args ...any) *jen.Statement { return doc(fmt.Sprintf(format, args...)) }

// newFile starts a Go file of the connector.
func newFile(header, pkg string) *jen.File {
	f := jen.NewFile(pkg)
	f.HeaderComment(strings.TrimSuffix(header, "\n"))
	f.ImportName(runtimePath, "runtime")
	f.ImportName(runtimeImpl, "rtimpl")
	f.ImportName(runtimeAuth, "auth")
	f.ImportName(runtimeGraphQL, "graphql")
	return f
}

// render returns f's source with the standard library imports grouped
// apart from the others, as goimports writes them.
func render(f *jen.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, err
	}
	return groupImports(buf.Bytes()), nil
}

// groupImports splits the import block jennifer writes into the standard
// library and the rest, separated by a blank line.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	body := start + len("\nimport (\n")
	end := bytes.Index(src[body:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	var std, other []string
	for _, line := range strings.Split(string(src[body:body+end]), "\n") {
		path := strings.Trim(strings.TrimSpace(line[strings.LastIndex(line, " ")+1:]), `"`)
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	if len(std) == 0 || len(other) == 0 {
		return src
	}
	var out bytes.Buffer
	out.Write(src[:body])
	out.WriteString(strings.Join(std, "\n") + "\n\n" + strings.Join(other, "\n"))
	out.Write(src[body+end:])
	return out.Bytes()
}

// jenType converts a type expression of operations.go (whose package
// names imports maps to paths) into jennifer code.
func jenType(e ast.Expr, imports map[string]string) (*jen.Statement, error) {
	switch e := e.(type) {
	case *ast.Ident:
		return jen.Id(e.Name), nil
	case *ast.SelectorExpr:
		pkg, ok := e.X.(*ast.Ident)
		path := ""
		if ok {
			path = imports[pkg.Name]
		}
		if path == "" {
			return nil, fmt.Errorf("type %s: unknown package", e.Sel.Name)
		}
		return jen.Qual(path, e.Sel.Name), nil
	case *ast.StarExpr:
		x, err := jenType(e.X, imports)
		return jen.Op("*").Add(x), err
	case *ast.ArrayType:
		if e.Len != nil {
			return nil, fmt.Errorf("array type")
		}
		x, err := jenType(e.Elt, imports)
		return jen.Index().Add(x), err
	case *ast.MapType:
		k, err := jenType(e.Key, imports)
		if err != nil {
			return nil, err
		}
		v, err := jenType(e.Value, imports)
		return jen.Map(k).Add(v), err
	case *ast.IndexExpr:
		x, err := jenType(e.X, imports)
		if err != nil {
			return nil, err
		}
		i, err := jenType(e.Index, imports)
		return x.Types(i), err
	case *ast.InterfaceType:
		if len(e.Methods.List) == 0 {
			return jen.Any(), nil
		}
	}
	return nil, fmt.Errorf("unexpected type expression %T", e)
}

// clientFile is client.go: the version check, the bearer credential, the
// Client, New and, per operation, its <Op>Variables struct and method.
// It pins the runtime's generated-code API version the OpenAPI emitter
// writes (emit.GeneratedVersion): one contract for both.
func clientFile(header, pkg string, ad *adapted) ([]byte, error) {
	f := newFile(header, pkg)
	rt := func(name string) *jen.Statement { return jen.Qual(runtimePath, name) }
	impl := func(name string) *jen.Statement { return jen.Qual(runtimeImpl, name) }
	gql := func(name string) *jen.Statement { return jen.Qual(runtimeGraphQL, name) }
	f.Add(doc("These constants fail to compile when the runtime module is older or newer\nthan this generated code supports; upgrade the runtime or regenerate."))
	f.Const().Defs(
		jen.Id("_").Op("=").Add(impl("EnforceVersion")).Call(jen.Lit(emit.GeneratedVersion).Op("-").Add(impl("MinVersion"))),
		jen.Id("_").Op("=").Add(impl("EnforceVersion")).Call(impl("MaxVersion").Op("-").Lit(emit.GeneratedVersion)),
	)
	f.Line()
	f.Add(doc("securitySchemes: GraphQL schemas declare no authentication, so the\nconnector offers a bearer token (the usual GraphQL API credential);\nother headers can be set with runtime.WithHeader."))
	f.Var().Id("securitySchemes").Op("=").Index().Qual(runtimeAuth, "SecurityScheme").Values(jen.Values(jen.Dict{
		jen.Id("Name"): jen.Lit("bearer"), jen.Id("Scheme"): jen.Lit("bearer"), jen.Id("Type"): jen.Lit("http"),
	}))
	f.Line()
	f.Add(doc("security: a bearer token when one is configured, else anonymous."))
	f.Var().Id("security").Op("=").Index().Index().String().Values(jen.Values(jen.Lit("bearer")), jen.Values())
	f.Line()
	f.Add(doc("WithBearer sets the credential sent as \"Authorization: Bearer <token>\".", "Use auth.BearerToken(token); the value never appears in logs or errors."))
	f.Func().Id("WithBearer").Params(jen.Id("c").Qual(runtimeAuth, "Credential")).Add(rt("Option")).Block(
		jen.Return(rt("WithCredential").Call(jen.Lit("bearer"), jen.Id("c"))),
	)
	f.Line()
	f.Add(doc("Client calls the GraphQL API. It is safe for concurrent use."))
	f.Type().Id("Client").Struct(jen.Id("gql").Op("*").Add(gql("HTTPClient")))
	f.Line()
	f.Add(doc("New returns a client for the GraphQL endpoint URL. The options\n(runtime.WithHTTPClient, credentials, headers, retries, logging, ...)\napply to every call; a call's own options are added after them. It fails\nwhen the endpoint does not parse as an absolute http or https URL."))
	f.Func().Id("New").Params(jen.Id("endpoint").String(), jen.Id("opts").Op("...").Add(rt("ClientOption"))).Params(jen.Op("*").Id("Client"), jen.Error()).Block(
		jen.List(jen.Id("gql"), jen.Err()).Op(":=").Add(gql("NewClient")).Call(jen.Id("endpoint"), jen.Id("securitySchemes"), jen.Id("security"), jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Id("Client").Values(jen.Dict{jen.Id("gql"): jen.Id("gql")}), jen.Nil()),
	)
	f.Line()
	f.Add(doc("GraphQL returns the client's GraphQL transport, for requests the generated\nmethods do not cover; they get the same credentials, retries and logs."))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id("GraphQL").Params().Add(gql("Client")).Block(jen.Return(jen.Id("c").Dot("gql")))

	for _, oc := range ad.ops {
		kind := oc.op.Type
		if oc.varsType != "" {
			f.Line()
			f.Add(docf("%s are the variables of the %s %s.", oc.varsType, kind, oc.op.Name))
			var fields []jen.Code
			wrappers := false
			for _, v := range oc.vars {
				t, err := jenType(v.typ, ad.imports)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", oc.varsType, v.goName, err)
				}
				tag := v.jsonName
				if v.wrap != wrapNone {
					tag += ",omitzero"
					wrappers = true
				}
				fields = append(fields, doc(variableDoc(v)), jen.Id(v.goName).Add(t).Tag(map[string]string{"json": tag}))
			}
			f.Type().Id(oc.varsType).Struct(fields...)
			if wrappers {
				f.Line()
				marshalJSON(f, oc.varsType)
			}
		}
		f.Line()
		retry := "A query is idempotent: failed attempts are retried per the client's retry policy."
		if kind != "query" {
			retry = "A mutation is retried only when the call carries runtime.WithIdempotencyKey\n(for an API that honours idempotency keys)."
		}
		f.Add(doc(fmt.Sprintf("%s calls the %s %s.", oc.method, kind, oc.op.Name), oc.doc,
			retry+"\nGraphQL errors come back as a *graphql.Errors next to the data the server returned."))
		req := jen.Dict{jen.Id("OpName"): jen.Lit(oc.op.Name), jen.Id("Query"): jen.Id(oc.op.Name + "_Operation")}
		if oc.varsType != "" {
			req[jen.Id("Variables")] = jen.Op("&").Id("variables")
		}
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(oc.method).ParamsFunc(func(g *jen.Group) {
			g.Id("ctx").Qual("context", "Context")
			if oc.varsType != "" {
				g.Id("variables").Id(oc.varsType)
			}
			g.Id("opts").Op("...").Add(rt("CallOption"))
		}).Params(jen.Op("*").Id(oc.result), jen.Error()).Block(
			jen.Id("data").Op(":=").Op("&").Id(oc.result).Values(),
			jen.Err().Op(":=").Id("c").Dot("gql").Dot("MakeRequest").Call(
				gql("WithOptions").Call(jen.Id("ctx"), jen.Id("opts").Op("...")),
				jen.Op("&").Add(gql("Request")).Values(req),
				jen.Op("&").Add(gql("Response")).Values(jen.Dict{jen.Id("Data"): jen.Id("data")}),
			),
			jen.Return(jen.Id("data"), jen.Err()),
		)
		if oc.relay != nil {
			if err := relayIter(f, oc, ad.imports); err != nil {
				return nil, err
			}
		}
	}
	return render(f)
}

// relayIter declares <Method>Iter, the iterator over the items of the
// Relay connection the query pages through.
func relayIter(f *jen.File, oc *opCode, imports map[string]string) error {
	rp := oc.relay
	item, err := jenType(rp.item, imports)
	if err != nil {
		return fmt.Errorf("%sIter: %w", oc.method, err)
	}
	rt := func(name string) *jen.Statement { return jen.Qual(runtimePath, name) }
	what := "nodes"
	if rp.node != nil {
		what = "edges' nodes"
	}
	f.Line()
	f.Add(doc(fmt.Sprintf("%sIter calls %s page after page and yields the %s of %s, a Relay connection, in order: each page after the first is asked with $%s set to the last page's pageInfo.endCursor, while pageInfo.hasNextPage.", oc.method, oc.method, what, rp.field, rp.after.def.Variable),
		"The variables are copied for each page, never changed under the caller; each page is one call with opts (credentials, retries, breaker, rate limit, logs). The sequence ends after the last page, when the loop breaks (no further page is asked for), after runtime.WithMaxItems items or runtime.WithMaxPages pages, or with one error: the call's, the context's, runtime.ErrCursorRepeated when the server repeats a cursor, runtime.ErrCursorMissing when it announces a next page without one."))
	none := jen.Return(jen.Nil(), jen.Lit(""), jen.False(), jen.Nil())
	var set jen.Code
	switch rp.after.wrap {
	case wrapNullable:
		set = jen.Id("v").Dot(rp.after.goName).Op("=").Add(rt("NewNullable")).Call(jen.Id("cursor"))
	case wrapOpt:
		set = jen.Id("v").Dot(rp.after.goName).Op("=").Add(rt("Some")).Call(jen.Id("cursor"))
	default:
		set = jen.Id("v").Dot(rp.after.goName).Op("=").Id("cursor")
	}
	body := []jen.Code{
		jen.Id("v").Op(":=").Id("variables"),
		jen.If(jen.Op("!").Id("st").Dot("First")).Block(set),
		jen.List(jen.Id("data"), jen.Err()).Op(":=").Id("c").Dot(oc.method).Call(jen.Id("ctx"), jen.Id("v"), jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Lit(""), jen.False(), jen.Err())),
	}
	// Down the path: a nil object on the way is a page without items.
	cur := jen.Id("data")
	for i, st := range rp.path {
		next := cur.Clone().Dot(st.name)
		if st.pointer {
			name := fmt.Sprintf("p%d", i)
			body = append(body, jen.Id(name).Op(":=").Add(next), jen.If(jen.Id(name).Op("==").Nil()).Block(none))
			cur = jen.Id(name)
		} else {
			cur = next
		}
	}
	body = append(body, jen.Id("conn").Op(":=").Add(cur))
	if rp.node != nil {
		inner := []jen.Code{}
		if rp.edgePointer {
			inner = append(inner, jen.If(jen.Id("e").Op("==").Nil()).Block(jen.Continue()))
		}
		inner = append(inner, jen.Id("items").Op("=").Append(jen.Id("items"), jen.Id("e").Dot(rp.node.name)))
		body = append(body, jen.Var().Id("items").Index().Add(item.Clone()),
			jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("conn").Dot(rp.items.name)).Block(inner...))
	}
	pageInfo := jen.Id("conn").Dot(rp.pageInfo.name)
	if rp.pageInfo.pointer {
		body = append(body, jen.If(pageInfo.Clone().Op("==").Nil()).Block(jen.Return(itemsExpr(rp), jen.Lit(""), jen.False(), jen.Nil())))
	}
	cursor := pageInfo.Clone().Dot(rp.cursor.name)
	if rp.cursor.pointer {
		body = append(body, jen.Id("next").Op(":=").Lit(""),
			jen.If(cursor.Clone().Op("!=").Nil()).Block(jen.Id("next").Op("=").Op("*").Add(cursor.Clone())))
	} else {
		body = append(body, jen.Id("next").Op(":=").Add(cursor.Clone()))
	}
	body = append(body, jen.Return(itemsExpr(rp), jen.Id("next"), pageInfo.Clone().Dot(rp.hasNext.name), jen.Nil()))

	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(oc.method+"Iter").Params(
		jen.Id("ctx").Qual("context", "Context"), jen.Id("variables").Id(oc.varsType), jen.Id("opts").Op("...").Add(rt("CallOption")),
	).Qual("iter", "Seq2").Types(item, jen.Error()).Block(
		jen.Id("pages").Op(":=").Qual(runtimeImpl, "PageSeq").Call(jen.Id("ctx"), jen.Id("opts"),
			jen.Func().Params(jen.Id("items").Index().Add(item.Clone())).Int().Block(jen.Return(jen.Len(jen.Id("items")))),
			jen.Func().Params(
				jen.Id("ctx").Qual("context", "Context"), jen.Id("cursor").String(), jen.Id("st").Op("*").Qual(runtimeImpl, "PageState"),
			).Params(jen.Index().Add(item.Clone()), jen.String(), jen.Bool(), jen.Error()).Block(body...)),
		jen.Return(jen.Qual(runtimeImpl, "Items").Call(jen.Id("ctx"), jen.Id("pages"), jen.Id("opts"),
			jen.Func().Params(jen.Id("items").Index().Add(item.Clone())).Index().Add(item.Clone()).Block(jen.Return(jen.Id("items"))))),
	)
	return nil
}

// itemsExpr is the page's items: the connection's nodes, or the nodes
// gathered from its edges.
func itemsExpr(rp *relayPage) *jen.Statement {
	if rp.node != nil {
		return jen.Id("items")
	}
	return jen.Id("conn").Dot(rp.items.name)
}

// marshalJSON declares the MarshalJSON of a struct holding Opt or Nullable
// fields, which only the runtime's encoder codes.
func marshalJSON(f *jen.File, typ string) {
	f.Add(doc("MarshalJSON encodes v with rtimpl.Marshal: an unset runtime.Opt or\nruntime.Nullable field is left out, an explicit null is written as null."))
	f.Func().Params(jen.Id("v").Id(typ)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(runtimeImpl, "Marshal").Call(jen.Op("&").Id("v"))),
	)
}

// typesFile is types.go: the MarshalJSON of input objects holding Opt or
// Nullable fields and the fallback variant of every interface and union;
// nil when there are none.
func typesFile(header, pkg string, ad *adapted) ([]byte, error) {
	if len(ad.coded) == 0 && len(ad.unknowns) == 0 {
		return nil, nil
	}
	f := newFile(header, pkg)
	for i, name := range ad.coded {
		if i > 0 {
			f.Line()
		}
		marshalJSON(f, name)
	}
	unknowns := append([]unknownVariant(nil), ad.unknowns...)
	sort.Slice(unknowns, func(i, j int) bool { return unknowns[i].name < unknowns[j].name })
	for _, u := range unknowns {
		if err := unknownDecls(f, u, ad.imports); err != nil {
			return nil, fmt.Errorf("%s: %w", u.name, err)
		}
	}
	return render(f)
}

// unknownDecls declares the fallback variant u: its type, the interface's
// methods, and the helpers genqlient's (un)marshaler calls for it.
func unknownDecls(f *jen.File, u unknownVariant, imports map[string]string) error {
	jsonPkg := "encoding/json"
	var fields []jen.Code
	values := jen.Dict{jen.Id(u.raw): jen.Append(jen.Qual(jsonPkg, "RawMessage").Call(jen.Nil()), jen.Id("b").Op("..."))}
	for _, g := range u.getters {
		t, err := jenType(g.typ, imports)
		if err != nil {
			return err
		}
		field := strings.TrimPrefix(g.name, "Get")
		fd := jen.Id(field).Add(t)
		if g.name == "GetTypename" {
			fd.Tag(map[string]string{"json": "__typename"})
		}
		fields = append(fields, doc(fmt.Sprintf("%s is the field of %s the object has.", field, u.iface)), fd)
		values[jen.Id(field)] = jen.Id("known").Dot(g.name).Call()
	}
	fields = append(fields, docf("%s is the JSON object as the server sent it.", u.raw), jen.Id(u.raw).Qual(jsonPkg, "RawMessage").Tag(map[string]string{"json": "-"}))
	f.Line()
	f.Add(doc(fmt.Sprintf("%s is the variant of %s for a __typename this connector was not\ngenerated for (a type the server added to the interface or union later): it\nkeeps the typename, the JSON object and the fields selected on the interface\nitself, so that a growing schema does not break the call.", u.name, u.iface)))
	f.Type().Id(u.name).Struct(fields...)
	f.Line()
	f.Func().Params(jen.Id("v").Op("*").Id(u.name)).Id(u.marker).Params().Block()
	for _, g := range u.getters {
		t, _ := jenType(g.typ, imports)
		field := strings.TrimPrefix(g.name, "Get")
		f.Line()
		f.Add(docf("%s returns %s.%s.", g.name, u.name, field))
		f.Func().Params(jen.Id("v").Op("*").Id(u.name)).Id(g.name).Params().Add(t).Block(jen.Return(jen.Id("v").Dot(field)))
	}
	f.Line()
	if u.known == "" {
		f.Add(docf("%s decodes b, an object whose __typename the connector does not know, into %s (the schema has no implementation to decode it as).", u.decode, u.name))
		f.Func().Id(u.decode).Params(jen.Id("b").Index().Byte(), jen.Id("v").Op("*").Id(u.iface)).Error().Block(
			jen.Id("u").Op(":=").Op("&").Id(u.name).Values(jen.Dict{jen.Id(u.raw): jen.Append(jen.Qual(jsonPkg, "RawMessage").Call(jen.Nil()), jen.Id("b").Op("..."))}),
			jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("b"), jen.Id("u")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Op("*").Id("v").Op("=").Id("u"),
			jen.Return(jen.Nil()),
		)
	} else {
		f.Add(docf("%s decodes b, an object whose __typename the connector does not know, into %s: the fields selected on the interface are decoded as %s decodes them.", u.decode, u.name, u.known))
		f.Func().Id(u.decode).Params(jen.Id("b").Index().Byte(), jen.Id("v").Op("*").Id(u.iface)).Error().Block(
			jen.Var().Id("known").Id(u.known),
			jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("b"), jen.Op("&").Id("known")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Op("*").Id("v").Op("=").Op("&").Id(u.name).Values(values),
			jen.Return(jen.Nil()),
		)
	}
	if u.encode != "" {
		f.Line()
		f.Add(docf("%s encodes %s as the JSON object it was decoded from.", u.encode, u.name))
		f.Func().Id(u.encode).Params(jen.Id("v").Id(u.iface)).Params(jen.Index().Byte(), jen.Error()).Block(
			jen.If(jen.List(jen.Id("u"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Op("*").Id(u.name)), jen.Id("ok").Op("&&").Id("u").Op("!=").Nil().Op("&&").Len(jen.Id("u").Dot(u.raw)).Op(">").Lit(0)).Block(
				jen.Return(jen.Id("u").Dot(u.raw), jen.Nil()),
			),
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("unexpected concrete type for "+u.iface+": %T"), jen.Id("v"))),
		)
	}
	return nil
}
