package emit

import (
	"fmt"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// errorBodies finds the declared types the spec uses as error response
// bodies. They get an Error method, so errors.As reaches them through
// *runtime.APIError: `var p *Problem; errors.As(err, &p)`.
func errorBodies(api *ir.API) map[*ir.Type]bool {
	out := map[*ir.Type]bool{}
	for _, op := range api.Operations {
		succ := op.Successes()
		for _, r := range op.Responses {
			if r.Type == nil || r.Kind != ir.BodyJSON || containsResponse(succ, r) {
				continue
			}
			if t := r.Type.Resolve(); t.Named && canCarryError(t) {
				out[t] = true
			}
		}
	}
	return out
}

// canCarryError reports whether a type can take an Error method: a
// struct without a member that the method would collide with.
func canCarryError(t *ir.Type) bool {
	switch t.Kind {
	case ir.Object:
		for _, f := range t.Fields {
			if f.GoName == "Error" {
				return false
			}
		}
		return true
	case ir.Union:
		for _, v := range t.Variants {
			if v.GoName == "Error" {
				return false
			}
		}
		return true
	}
	return false
}

// errorMethod declares Error on an error body type.
func errorMethod(f *jen.File, t *ir.Type) {
	f.Line()
	f.Add(doc(fmt.Sprintf("Error renders %s as compact JSON: the spec uses it as an error response body,\nso errors.As finds it in a *runtime.APIError's chain.", t.Name)))
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("Error").Params().String().Block(
		jen.Return(jen.Qual(implPath, "DetailText").Call(jen.Id("v"))),
	)
}
