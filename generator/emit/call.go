package emit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// methodBody builds the request, sends it and maps the status code to a
// result or a typed error. A result that can be nil (a pointer, slice, map,
// interface or stream) is returned as nil with every error and declared
// where it is made; any other (a scalar or enum) starts as the zero value
// of a var out.
func methodBody(g *jen.Group, op *ir.Operation, single *ir.Response, isSingle, hasResult, validates bool) {
	nilOut := hasResult && (!isSingle || single == nil || nilableResult(single))
	if hasResult && !nilOut {
		g.Var().Id("out").Add(resultOrWrapper(op, single, isSingle))
	}
	ret := func(err jen.Code) jen.Code {
		switch {
		case nilOut:
			return jen.Return(jen.Nil(), err)
		case hasResult:
			return jen.Return(jen.Id("out"), err)
		}
		return jen.Return(err)
	}
	if validates {
		check := jen.Err().Op(":=").Id("c").Dot("rt").Dot("Validate").Call(jen.Id("req"), jen.Id("opts").Op("..."))
		g.If(check, jen.Err().Op("!=").Nil()).Block(ret(jen.Err()))
	}
	jsonPathParams(g, op, ret)
	g.Id("r").Op(":=").Qual(rtPath, "NewRequest").Call(jen.Id(descVar(op)), pathExpr(op))
	if streams(op) {
		g.Id("r").Dot("StreamResponse").Call()
	}
	if accept := acceptHeader(op); accept != "" {
		g.Qual(implPath, "SetHeader").Call(jen.Id("r"), jen.Lit("Accept"), jen.Lit(accept))
	}
	for _, q := range op.FixedQuery { // written in the paths key: sent by every call
		g.Qual(implPath, "AddQuery").Call(jen.Id("r"), jen.Lit(q.Name), jen.Lit(q.Value), jen.Qual(implPath, "StyleForm"), jen.True())
	}
	for _, p := range op.Params {
		if p.In != "path" {
			g.Add(paramStmt(p))
		}
	}
	if op.Body != nil {
		g.Add(bodyStmt(op, op.Body))
	}
	successes := op.Successes()
	g.List(jen.Id("resp"), jen.Err()).Op(":=").Id("c").Dot("rt").Dot("Do").Call(jen.Id("ctx"), jen.Id("r"), jen.Id("opts").Op("..."))
	g.If(jen.Err().Op("!=").Nil()).Block(ret(jen.Err()))
	if streams(op) {
		g.Defer().Id("resp").Dot("Close").Call() // unless the body was handed over
	}
	type statusCase struct {
		cond jen.Code
		body []jen.Code
	}
	var cases []statusCase
	if isSingle && single != nil {
		// One success shape: any 2xx carries it, listed or not.
		cases = append(cases, statusCase{statusCond("2XX"), responseStmts(op, single, true, isSingle, hasResult, nilOut, ret)})
	}
	for _, r := range op.Responses {
		isSucc := containsResponse(successes, r)
		if r.Status == "default" || isSucc && isSingle {
			continue
		}
		cases = append(cases, statusCase{statusCond(r.Status), responseStmts(op, r, isSucc, isSingle, hasResult, nilOut, ret)})
	}
	switch len(cases) {
	case 0:
	case 1: // a switch of one case reads as an if
		g.If(cases[0].cond).Block(cases[0].body...)
	default:
		g.Switch().BlockFunc(func(g *jen.Group) {
			for _, c := range cases {
				g.Case(c.cond).Block(c.body...)
			}
		})
	}
	def := defaultResponse(op)
	if !isSingle {
		g.If(jen.Id("resp").Dot("StatusCode").Op(">=").Lit(200).Op("&&").Id("resp").Dot("StatusCode").Op("<").Lit(300)).Block(
			jen.Return(jen.Op("&").Id(op.ResponseName).Values(wrapperFields(op)), jen.Nil()))
	}
	g.Add(ret(jen.Id("resp").Dot("Error").Call(errorDetail(def))))
}

// nilableResult reports whether the single success r is returned as a
// type that can be nil (see resultType).
func nilableResult(r *ir.Response) bool {
	if r.Kind != ir.BodyJSON {
		return true // none, a stream, an event stream
	}
	return isStruct(r.Type) || nilable(r.Type)
}

// wrapperFields are the fields an <Op>Response value starts with: the
// status code, and the raw headers when the operation declares any.
func wrapperFields(op *ir.Operation) jen.Code {
	fields := []jen.Code{jen.Id("StatusCode").Op(":").Id("resp").Dot("StatusCode")}
	if len(op.SuccessHeaders()) > 0 {
		fields = append(fields, jen.Id("Header").Op(":").Id("resp").Dot("Header"))
	}
	return jen.List(fields...)
}

func resultOrWrapper(op *ir.Operation, single *ir.Response, isSingle bool) jen.Code {
	if !isSingle {
		return jen.Op("*").Id(op.ResponseName)
	}
	return resultType(single)
}

func containsResponse(list []*ir.Response, r *ir.Response) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

func defaultResponse(op *ir.Operation) *ir.Response {
	for _, r := range op.Responses {
		if r.Status == "default" {
			return r
		}
	}
	return nil
}

// statusCond matches a code ("404") or a range ("4XX").
func statusCond(status string) jen.Code {
	code := jen.Id("resp").Dot("StatusCode")
	if n, err := strconv.Atoi(status); err == nil {
		return code.Op("==").Lit(n)
	}
	lo := int(status[0]-'0') * 100
	return jen.Id("resp").Dot("StatusCode").Op(">=").Lit(lo).Op("&&").Id("resp").Dot("StatusCode").Op("<").Lit(lo + 100)
}

// responseStmts handles one response: decode a success into the result,
// or turn an error status into *runtime.APIError with its typed Detail.
// nilOut says the result is declared here (methodBody declared no out).
func responseStmts(op *ir.Operation, r *ir.Response, success, isSingle, hasResult, nilOut bool, ret func(jen.Code) jen.Code) []jen.Code {
	if !success {
		return []jen.Code{ret(jen.Id("resp").Dot("Error").Call(errorDetail(r)))}
	}
	target := jen.Id("out")
	assign := "="
	if nilOut {
		assign = ":="
	}
	var stmts []jen.Code
	if !isSingle {
		stmts = append(stmts, jen.Id("out").Op(":=").Op("&").Id(op.ResponseName).Values(wrapperFields(op)))
		for _, h := range r.Headers {
			stmts = append(stmts, jen.If(
				jen.Err().Op(":=").Qual(implPath, "DecodeHeader").Call(jen.Id("resp").Dot("Header"), jen.Lit(h.Name), jen.Op("&").Id("out").Dot(h.GoName)),
				jen.Err().Op("!=").Nil(),
			).Block(jen.Return(jen.Nil(), jen.Err())))
		}
		if r.Kind == ir.BodyNone {
			return append(stmts, jen.Return(jen.Id("out"), jen.Nil()))
		}
		target = jen.Id("out").Dot(statusField(r.Status))
		assign = "="
	}
	switch r.Kind {
	case ir.BodyNone:
		switch {
		case nilOut:
			return append(stmts, jen.Return(jen.Nil(), jen.Nil()))
		case hasResult:
			return append(stmts, jen.Return(jen.Id("out"), jen.Nil()))
		}
		return append(stmts, jen.Return(jen.Nil()))
	case ir.BodyJSON:
		into := jen.Op("&").Add(target.Clone())
		switch {
		case isStruct(r.Type):
			stmts = append(stmts, target.Clone().Op(assign).New(goType(r.Type)))
			into = target.Clone()
		case assign == ":=":
			stmts = append(stmts, jen.Var().Id("out").Add(resultType(r)))
		}
		stmts = append(stmts, jen.If(jen.Err().Op(":=").Qual(implPath, "DecodeJSON").Call(jen.Id("resp"), into), jen.Err().Op("!=").Nil()).Block(
			jen.Return(zeroOut(isSingle, nilOut), jen.Err())))
	case ir.BodyEvents:
		if assign == ":=" {
			return append(stmts, jen.Return(jen.Qual(rtPath, "NewEventStream").Call(jen.Id("resp").Dot("Stream").Call()), jen.Nil()))
		}
		stmts = append(stmts, target.Clone().Op(assign).Qual(rtPath, "NewEventStream").Call(jen.Id("resp").Dot("Stream").Call()))
	default: // binary, text, XML, form, multipart: the raw bytes, streamed
		if assign == ":=" {
			return append(stmts, jen.Return(jen.Id("resp").Dot("Stream").Call(), jen.Nil()))
		}
		stmts = append(stmts, target.Clone().Op(assign).Id("resp").Dot("Stream").Call())
	}
	return append(stmts, jen.Return(jen.Id("out"), jen.Nil()))
}

// zeroOut is what a failed decode returns as result: nil where the result
// can be nil, else the (still zero) out variable.
func zeroOut(isSingle, nilOut bool) jen.Code {
	if !isSingle || nilOut {
		return jen.Nil()
	}
	return jen.Id("out")
}

// errorDetail is a new value of the error body's type, or nil.
func errorDetail(r *ir.Response) jen.Code {
	if r == nil || r.Kind != ir.BodyJSON || r.Type == nil {
		return jen.Nil()
	}
	return jen.New(goType(r.Type))
}

// pathExpr concatenates the path template's literals and escaped
// parameters: "/pets/" + runtime.PathParam(req.PetID).
func pathExpr(op *ir.Operation) jen.Code {
	byName := map[string]*ir.Param{}
	for _, p := range op.Params {
		if p.In == "path" {
			byName[p.Name] = p
		}
	}
	var parts []jen.Code
	rest := op.Path
	for {
		i := strings.Index(rest, "{")
		j := strings.Index(rest, "}")
		if i < 0 || j < i {
			break
		}
		if i > 0 {
			parts = append(parts, jen.Lit(rest[:i]))
		}
		if p := byName[rest[i+1:j]]; p != nil && p.ContentJSON {
			parts = append(parts, jen.Id(jsonParamVar(p)))
		} else if p != nil && (p.Style == "label" || p.Style == "matrix") {
			parts = append(parts, jen.Qual(implPath, "PathParamStyle").Call(jen.Lit(p.Name), jen.Id("req").Dot(p.GoName),
				jen.Qual(implPath, styleConst(p.Style)), jen.Lit(p.Explode)))
		} else if p != nil {
			parts = append(parts, jen.Qual(implPath, "PathParam").Call(jen.Id("req").Dot(p.GoName)))
		} else {
			parts = append(parts, jen.Lit(rest[i:j+1]))
		}
		rest = rest[j+1:]
	}
	if rest != "" || len(parts) == 0 {
		parts = append(parts, jen.Lit(rest))
	}
	expr := jen.Add(parts[0])
	for _, p := range parts[1:] {
		expr = expr.Op("+").Add(p)
	}
	return expr
}

// paramStmt adds one query, header or cookie parameter, skipping absent
// optional ones.
func paramStmt(p *ir.Param) jen.Code {
	pres := presenceOf(p.Type, p.Required, false, false)
	val := jen.Id("req").Dot(p.GoName)
	var cond jen.Code
	switch pres {
	case optional:
		cond = jen.Id("req").Dot(p.GoName).Dot("Set")
		val = jen.Id("req").Dot(p.GoName).Dot("Value")
	case bare:
		if !p.Required {
			cond = jen.Id("req").Dot(p.GoName).Op("!=").Nil()
		}
	case pointer:
		cond = jen.Id("req").Dot(p.GoName).Op("!=").Nil()
		val = jen.Op("*").Id("req").Dot(p.GoName)
	}
	var call jen.Code
	switch {
	case p.In != "query" && p.In != "header" && p.In != "cookie":
		// The loader keeps no parameter in another location; one here
		// is a bug, reported as an internal error by the façade.
		panic(fmt.Sprintf("parameter %q of %s is in %q, not query, header or cookie", p.Name, p.Source, p.In))
	case p.ContentJSON: // content application/json: the value's JSON text
		setter := map[string]string{"query": "AddQueryJSON", "header": "SetHeaderJSON", "cookie": "AddCookieJSON"}[p.In]
		call = jen.Qual(implPath, setter).Call(jen.Id("r"), jen.Lit(p.Name), val)
	case p.In == "query":
		call = jen.Qual(implPath, "AddQuery").Call(jen.Id("r"), jen.Lit(p.Name), val, jen.Qual(implPath, styleConst(p.Style)), jen.Lit(p.Explode))
	case p.In == "header":
		call = jen.Qual(implPath, "SetHeader").Call(jen.Id("r"), jen.Lit(p.Name), val)
	default: // cookie
		call = jen.Qual(implPath, "AddCookie").Call(jen.Id("r"), jen.Lit(p.Name), val)
	}
	if cond == nil {
		return call
	}
	return jen.If(cond).Block(call)
}

func styleConst(style string) string {
	switch style {
	case "spaceDelimited":
		return "StyleSpaceDelimited"
	case "pipeDelimited":
		return "StylePipeDelimited"
	case "deepObject":
		return "StyleDeepObject"
	case "simple":
		return "StyleSimple"
	case "label":
		return "StyleLabel"
	case "matrix":
		return "StyleMatrix"
	}
	return "StyleForm"
}

// bodyStmt attaches the body in its media type.
func bodyStmt(op *ir.Operation, b *ir.Body) jen.Code {
	body := jen.Id("req").Dot("Body")
	var set func(v jen.Code) jen.Code
	switch b.Kind {
	case ir.BodyJSON:
		set = func(v jen.Code) jen.Code { return jen.Qual(implPath, "SetJSONBody").Call(jen.Id("r"), v) }
		if mt := b.MediaType; ir.IsJSONMedia(mt) && !strings.EqualFold(strings.TrimSpace(mt), "application/json") {
			// application/merge-patch+json, say: sent as declared
			set = func(v jen.Code) jen.Code {
				return jen.Qual(implPath, "SetJSONBodyAs").Call(jen.Id("r"), jen.Lit(mt), v)
			}
		}
	case ir.BodyForm:
		enc := jen.Nil()
		if len(b.Encoding) > 0 {
			enc = jen.Id(encVar(op))
		}
		set = func(v jen.Code) jen.Code { return jen.Qual(implPath, "SetFormBodyEncoded").Call(jen.Id("r"), v, enc) }
	case ir.BodyText:
		return jen.Id("r").Dot("SetBody").Call(jen.Lit(b.MediaType), jen.Qual("strings", "NewReader").Call(body))
	case ir.BodyMultipart:
		if b.Type != nil {
			set = func(v jen.Code) jen.Code { return jen.Qual(implPath, "SetMultipartBody").Call(jen.Id("r"), v) }
			break
		}
		return jen.If(body.Clone().Op("!=").Nil()).Block(
			jen.Id("r").Dot("SetBody").Call(jen.Id("req").Dot("BodyContentType"), body.Clone()))
	default:
		mt := b.MediaType
		if strings.Contains(mt, "*") {
			mt = "application/octet-stream"
		}
		return jen.If(body.Clone().Op("!=").Nil()).Block(jen.Id("r").Dot("SetBody").Call(jen.Lit(mt), body.Clone()))
	}
	switch presenceOf(b.Type, b.Required, false, false) {
	case optional:
		return jen.If(body.Clone().Dot("Set")).Block(set(body.Clone().Dot("Value")))
	case bare:
		if !b.Required {
			return jen.If(body.Clone().Op("!=").Nil()).Block(set(body.Clone()))
		}
	case pointer:
		return jen.If(body.Clone().Op("!=").Nil()).Block(set(jen.Op("*").Add(body.Clone())))
	}
	return set(body)
}
