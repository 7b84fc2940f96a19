package emit

import (
	"fmt"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// client declares the version check, the default server, the security
// schemes with one option per scheme, Client and New.
func (e *emitter) client(f *jen.File) {
	f.Add(doc("These constants fail to compile when the runtime module is older or newer\nthan this generated code supports; upgrade the runtime or regenerate."))
	f.Const().Defs(
		jen.Id("_").Op("=").Qual(implPath, "EnforceVersion").Call(jen.Lit(GeneratedVersion).Op("-").Qual(implPath, "MinVersion")),
		jen.Id("_").Op("=").Qual(implPath, "EnforceVersion").Call(jen.Qual(implPath, "MaxVersion").Op("-").Lit(GeneratedVersion)),
	)
	server := ""
	if len(e.api.Servers) > 0 {
		server = e.api.Servers[0].URL
	}
	f.Line()
	if server != "" {
		f.Add(doc("DefaultServerURL is the spec's first server, with server variables at their defaults."))
	} else {
		f.Add(doc("DefaultServerURL is empty: the spec names no server, so New needs a base URL."))
	}
	f.Const().Id("DefaultServerURL").Op("=").Lit(server)
	f.Line()
	f.Add(doc("securitySchemes are the spec's components/securitySchemes."))
	f.Var().Id("securitySchemes").Op("=").Index().Qual(authPath, "SecurityScheme").ValuesFunc(func(g *jen.Group) {
		for _, s := range e.api.SecuritySchemes {
			g.Values(jen.Dict{
				jen.Id("Name"):      jen.Lit(s.Name),
				jen.Id("Type"):      jen.Lit(s.Type),
				jen.Id("In"):        litOrNull(s.In),
				jen.Id("ParamName"): litOrNull(s.ParamName),
				jen.Id("Scheme"):    litOrNull(s.Scheme),
			})
		}
	})
	for _, s := range e.api.SecuritySchemes {
		f.Line()
		f.Add(doc(fmt.Sprintf("%s sets the credential for the security scheme %q (%s).", s.GoName, s.Name, schemeKind(s)),
			specDoc(s.Description), fmt.Sprintf("Use auth.%s; the value never appears in logs or errors.", credentialExample(s))))
		f.Func().Id(s.GoName).Params(jen.Id("c").Qual(authPath, "Credential")).Qual(rtPath, "Option").Block(
			jen.Return(jen.Qual(rtPath, "WithCredential").Call(jen.Lit(s.Name), jen.Id("c"))),
		)
	}
	f.Line()
	f.Add(docf("Client calls %s. It is safe for concurrent use.", e.title()))
	f.Type().Id("Client").Struct(jen.Id("rt").Op("*").Qual(rtPath, "Client"))
	f.Line()
	f.Add(doc("New returns a client for baseURL (\"\" means DefaultServerURL). The options\n(runtime.WithHTTPClient, credentials, headers, ...) apply to every call;\na call's own options are added after them. It fails when the base URL\ndoes not parse."))
	f.Func().Id("New").Params(jen.Id("baseURL").String(), jen.Id("opts").Op("...").Qual(rtPath, "ClientOption")).Params(jen.Op("*").Id("Client"), jen.Error()).Block(
		jen.If(jen.Id("baseURL").Op("==").Lit("")).Block(jen.Id("baseURL").Op("=").Id("DefaultServerURL")),
		jen.List(jen.Id("rt"), jen.Err()).Op(":=").Qual(rtPath, "NewClient").Call(jen.Id("baseURL"), jen.Id("securitySchemes"), jen.Id("opts").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Id("Client").Values(jen.Dict{jen.Id("rt"): jen.Id("rt")}), jen.Nil()),
	)
	if len(e.api.Packages) > 0 {
		f.Line()
		f.Add(doc("Runtime returns the runtime client the tag packages' clients share, so\nthat every call goes through one set of credentials, retries, circuit\nbreaker and rate limits."))
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id("Runtime").Params().Op("*").Qual(rtPath, "Client").Block(
			jen.Return(jen.Id("c").Dot("rt")),
		)
	}
}

// tagClient declares a tag package's Client, which calls that tag's
// operations through the root client's runtime.
func (e *emitter) tagClient(f *jen.File, pkg *ir.Package) {
	root := e.api.Packages[0]
	f.Add(docf("Client calls the operations %s. It is safe for concurrent use.", tagPhrase(pkg)))
	f.Type().Id("Client").Struct(jen.Id("rt").Op("*").Qual(rtPath, "Client"))
	f.Line()
	f.Add(doc(fmt.Sprintf("New returns the client of the operations %s. It shares c's base URL,\noptions, credentials, retries, circuit breaker and rate limits.", tagPhrase(pkg))))
	f.Func().Id("New").Params(jen.Id("c").Op("*").Qual(root.Path, "Client")).Op("*").Id("Client").Block(
		jen.Return(jen.Op("&").Id("Client").Values(jen.Dict{jen.Id("rt"): jen.Id("c").Dot("Runtime").Call()})),
	)
}

// tagPhrase says which operations a tag package holds.
func tagPhrase(pkg *ir.Package) string {
	if len(pkg.Tags) == 0 {
		return "without tags"
	}
	return fmt.Sprintf("tagged %q", pkg.Tags[0])
}

func litOrNull(s string) jen.Code {
	if s == "" {
		return jen.Null()
	}
	return jen.Lit(s)
}
