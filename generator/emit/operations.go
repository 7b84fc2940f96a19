package emit

import (
	"fmt"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// operations declares, per operation of pkg (nil: of the unsplit
// connector): its runtime descriptor, its request type, its response type
// when it has several successes, and the method.
func (e *emitter) operations(f *jen.File, pkg *ir.Package) {
	for _, op := range e.api.Operations {
		if op.Package != pkg {
			continue
		}
		descriptor(f, op, e.opts.IdempotencyHeader)
		if op.RequestName != "" {
			request(f, op)
			if e.valid.requestNeeds(op) {
				e.valid.requestValidate(f, op)
				f.Line()
			}
		}
		if op.ResponseName != "" {
			responseWrapper(f, op)
		}
		method(f, op, op.RequestName != "" && e.valid.requestNeeds(op))
		pages(f, op)
		e.alternatives(f, op)
	}
}

// descVar names op's runtime.Operation; an alternative media type's
// method shares its operation's.
func descVar(op *ir.Operation) string {
	if op.Primary != nil {
		op = op.Primary
	}
	return "op" + op.Name
}

// idempotent methods may be retried without an idempotency key (RFC 9110 §9.2.2).
var idempotent = map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "TRACE": true, "PUT": true, "DELETE": true}

// descriptor declares op's runtime.Operation; fallback is the configured
// idempotency header for unsafe operations whose spec declares none.
func descriptor(f *jen.File, op *ir.Operation, fallback string) {
	d := jen.Dict{
		jen.Id("ID"):     jen.Lit(op.ID),
		jen.Id("Method"): jen.Lit(op.Method),
		jen.Id("Path"):   jen.Lit(op.Path),
	}
	if len(op.Security) > 0 {
		d[jen.Id("Security")] = jen.Index().Index().String().ValuesFunc(func(g *jen.Group) {
			for _, set := range op.Security {
				g.ValuesFunc(func(g *jen.Group) {
					for _, s := range set {
						g.Lit(s)
					}
				})
			}
		})
	}
	if idempotent[op.Method] {
		d[jen.Id("Idempotent")] = jen.True()
	}
	if h := idempotencyHeader(op); h != "" {
		d[jen.Id("IdempotencyHeader")] = jen.Lit(h)
	} else if fallback != "" && !idempotent[op.Method] {
		d[jen.Id("IdempotencyHeader")] = jen.Lit(fallback)
	}
	f.Var().Id(descVar(op)).Op("=").Op("&").Qual(rtPath, "Operation").Values(d)
	f.Line()
	formEncoding(f, op)
}

// formEncoding declares the encoding map of op's form body, if it has one.
func formEncoding(f *jen.File, op *ir.Operation) {
	if b := op.Body; b != nil && len(b.Encoding) > 0 {
		f.Add(docf("%s is the form body's encoding map: style and explode per property.", encVar(op)))
		f.Var().Id(encVar(op)).Op("=").Map(jen.String()).Qual(implPath, "FormEncoding").Values(jen.DictFunc(func(d jen.Dict) {
			for name, e := range b.Encoding {
				d[jen.Lit(name)] = jen.Values(jen.Dict{
					jen.Id("Style"):   jen.Qual(implPath, styleConst(e.Style)),
					jen.Id("Explode"): jen.Lit(e.Explode),
				})
			}
		}))
		f.Line()
	}
}

func encVar(op *ir.Operation) string { return "formEnc" + op.Name }

// request declares the type holding an operation's parameters and body.
func request(f *jen.File, op *ir.Operation) {
	if len(op.Params) == 0 && op.Body == nil {
		f.Add(docf("%s is the request of %s, which takes no parameters or body today: parameters\nthe spec adds later become its fields, so calls keep compiling.", op.RequestName, op.Name))
		f.Type().Id(op.RequestName).Struct()
		f.Line()
		return
	}
	f.Add(docf("%s holds the parameters and body of %s.", op.RequestName, op.Name))
	f.Type().Id(op.RequestName).StructFunc(func(g *jen.Group) {
		for _, p := range op.Params {
			g.Add(doc(fmt.Sprintf("%s is the %s parameter %q.", p.GoName, p.In, p.Name), specDoc(p.Doc), deprecated(p.Deprecated)))
			g.Id(p.GoName).Add(wrapped(p.Type, presenceOf(p.Type, p.Required, false, false)))
		}
		if b := op.Body; b != nil {
			g.Add(doc(fmt.Sprintf("Body is the request body, sent as %s.", b.MediaType), specDoc(b.Doc)))
			g.Id("Body").Add(bodyType(b))
			if b.Kind == ir.BodyMultipart && b.Type == nil {
				g.Add(doc("BodyContentType is Body's media type with its boundary, e.g. from\nmultipart.Writer.FormDataContentType()."))
				g.Id("BodyContentType").String()
			}
		}
	})
	f.Line()
}

// bodyType is the Go type of a request body: typed for JSON and form
// bodies, a string for text, a stream for anything else.
func bodyType(b *ir.Body) *jen.Statement {
	switch {
	case b.Kind == ir.BodyJSON || b.Kind == ir.BodyForm || b.Kind == ir.BodyMultipart && b.Type != nil:
		return wrapped(b.Type, presenceOf(b.Type, b.Required, false, false))
	case b.Kind == ir.BodyText:
		return jen.String()
	}
	return jen.Qual("io", "Reader")
}

// responseWrapper declares the result of an operation with several
// success shapes: StatusCode tells which field is set.
func responseWrapper(f *jen.File, op *ir.Operation) {
	f.Add(docf("%s is the result of %s: the status code, the body of that status, and the response headers the spec declares.", op.ResponseName, op.Name))
	f.Type().Id(op.ResponseName).StructFunc(func(g *jen.Group) {
		g.Id("StatusCode").Int()
		if len(op.SuccessHeaders()) > 0 {
			g.Add(doc("Header holds the response headers as received. A declared optional header whose value does\n" +
				"not parse as its type is left unset in its field and is still here."))
			g.Id("Header").Qual("net/http", "Header")
		}
		for _, r := range op.Successes() {
			if r.Kind == ir.BodyNone {
				continue
			}
			g.Add(doc(fmt.Sprintf("%s is the body of a %s response (%s).", statusField(r.Status), r.Status, r.MediaType), specDoc(r.Doc)))
			g.Id(statusField(r.Status)).Add(resultType(r))
		}
		for _, h := range op.SuccessHeaders() {
			g.Add(doc(fmt.Sprintf("%s is the response header %q.", h.GoName, h.Name), specDoc(h.Doc)))
			g.Id(h.GoName).Add(wrapped(h.Type, presenceOf(h.Type, h.Required, false, false)))
		}
	})
	f.Line()
}

// statusField names a status's field: "OK", "Created", "Status2XX", "Default".
func statusField(status string) string { return ir.StatusField(status) }

// resultType is the Go type a success body is returned as: structs by
// pointer, other JSON values by value, server-sent events as a
// *runtime.EventStream, and every other media type (binary, text, XML,
// form, multipart) as an open io.ReadCloser of the raw bytes.
func resultType(r *ir.Response) *jen.Statement {
	switch r.Kind {
	case ir.BodyEvents:
		return jen.Op("*").Qual(rtPath, "EventStream")
	case ir.BodyJSON:
		if isStruct(r.Type) {
			return jen.Op("*").Add(goType(r.Type))
		}
		return goType(r.Type)
	case ir.BodyNone:
		return nil
	}
	return jen.Qual("io", "ReadCloser")
}

// streamed reports whether a response body of this kind is handed to the
// caller open, not buffered: everything but JSON and no body.
func streamed(k ir.BodyKind) bool {
	return k != ir.BodyJSON && k != ir.BodyNone
}

// method declares the Client method of an operation.
func method(f *jen.File, op *ir.Operation, validates bool) {
	single, isSingle := op.SingleResult()
	var results []jen.Code
	switch {
	case !isSingle:
		results = []jen.Code{jen.Op("*").Id(op.ResponseName), jen.Error()}
	case single != nil && single.Kind != ir.BodyNone:
		results = []jen.Code{resultType(single), jen.Error()}
	default:
		results = []jen.Code{jen.Error()}
	}
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	switch {
	case op.RequestName == "":
	case len(op.Params) == 0 && op.Body == nil:
		params = append(params, jen.Id("_").Id(op.RequestName)) // empty today
	default:
		params = append(params, jen.Id("req").Id(op.RequestName))
	}
	params = append(params, jen.Id("opts").Op("...").Qual(rtPath, "CallOption"))

	first := fmt.Sprintf("%s calls %s %s.", op.Name, op.Method, op.Path)
	if op.Summary != "" {
		first = fmt.Sprintf("%s calls %s %s: %s", op.Name, op.Method, op.Path, op.Summary)
	}
	where := ""
	if !strings.HasPrefix(op.ID, strings.ToLower(op.Method)+" ") { // a real operationId
		where = "operationId " + op.ID
	}
	f.Add(doc(first, specDoc(op.Description), where, streamDoc(op), deprecated(op.Deprecated)))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(op.Name).Params(params...).Params(results...).BlockFunc(func(g *jen.Group) {
		methodBody(g, op, single, isSingle, len(results) == 2, validates)
	})
	f.Line()
}

// idempotencyHeader returns the header parameter through which the API
// accepts an idempotency key (Idempotency-Key, X-Idempotency-Key, …), so
// the runtime can set one per call and retry unsafe methods safely.
func idempotencyHeader(op *ir.Operation) string {
	for _, p := range op.Params {
		n := strings.ToLower(strings.NewReplacer("_", "-").Replace(p.Name))
		if p.In == "header" && (n == "idempotency-key" || n == "x-idempotency-key") {
			return p.Name
		}
	}
	return ""
}

// streams reports whether a success of op is streamed: any media but
// JSON, left open by the runtime for the caller to read.
func streams(op *ir.Operation) bool {
	for _, r := range op.Successes() {
		if streamed(r.Kind) {
			return true
		}
	}
	return false
}

// streamDoc tells the caller of a streaming method to close the result.
func streamDoc(op *ir.Operation) string {
	if !streams(op) {
		return ""
	}
	what := "the io.ReadCloser or *runtime.EventStream field that is set"
	if single, ok := op.SingleResult(); ok && single != nil {
		what = "the returned io.ReadCloser"
		if single.Kind == ir.BodyEvents {
			what = "the returned *runtime.EventStream"
		}
	}
	return "The response body is streamed, not buffered: the caller must close\n" + what +
		".\nThe per-attempt timeout covers only the wait for the response headers;\nctx bounds reading the body."
}
