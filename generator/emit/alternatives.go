package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// alternatives declares, per other media type of op's request body, the
// request type and the method that send the operation with that body
// (<Op>With<Media>, e.g. CreatePetWithForm), sharing op's descriptor and
// result types.
func (e *emitter) alternatives(f *jen.File, op *ir.Operation) {
	for _, a := range op.Alternatives {
		v := op.Variant(a)
		// The description is Markdown (the spec's, after this sentence):
		// media types such as */* are escaped.
		v.Description = fmt.Sprintf("It sends the request body as %s; %s sends it as %s.",
			gotext.MarkdownText(a.Body.MediaType), op.Name, gotext.MarkdownText(op.Body.MediaType))
		if op.Description != "" {
			v.Description += "\n\n" + op.Description
		}
		formEncoding(f, v)
		request(f, v)
		validates := e.valid.requestNeeds(v)
		if validates {
			e.valid.requestValidate(f, v)
			f.Line()
		}
		method(f, v, validates)
	}
}

// acceptHeader is the Accept header a call sends when a success response
// decoded as JSON declares other media types too (XML, say), so that the
// server answers in the one the method decodes: per success, its JSON
// media type, or for a streamed one every media type it declares. It is ""
// when no such negotiation is needed.
func acceptHeader(op *ir.Operation) string {
	negotiates := false
	for _, r := range op.Successes() {
		negotiates = negotiates || r.Kind == ir.BodyJSON && len(r.OtherMedia) > 0
	}
	if !negotiates {
		return ""
	}
	var out []string
	for _, r := range op.Successes() {
		media := []string{r.MediaType}
		if r.Kind != ir.BodyJSON {
			media = append(media, r.OtherMedia...)
		}
		for _, mt := range media {
			if mt != "" && !slices.Contains(out, mt) {
				out = append(out, mt)
			}
		}
	}
	return strings.Join(out, ", ")
}

// jsonParamVar names the local variable holding a content-encoded path
// parameter's JSON text.
func jsonParamVar(p *ir.Param) string { return "path" + p.GoName }

// jsonPathParams declares, before the request is built, the path-escaped
// JSON text of each content-encoded path parameter, returning the
// encoding error as the call's.
func jsonPathParams(g *jen.Group, op *ir.Operation, ret func(jen.Code) jen.Code) {
	for _, p := range op.Params {
		if p.In == "path" && p.ContentJSON {
			g.List(jen.Id(jsonParamVar(p)), jen.Err()).Op(":=").Qual(implPath, "PathParamJSON").Call(
				jen.Id(descVar(op)), jen.Lit(p.Name), jen.Id("req").Dot(p.GoName))
			g.If(jen.Err().Op("!=").Nil()).Block(ret(jen.Err()))
		}
	}
}
