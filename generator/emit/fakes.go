package emit

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// fakePath is the runtime's shared half of generated fakes.
const fakePath = rtPath + "/fake"

// fakes writes <Package>fake/fake.go (connectorgen.yaml's fakes: true): a
// typed fake server of the API for consumers' tests, on runtime/fake. Per
// operation, an On<Op> method registering a handler of the client
// method's own types, and the code that decodes the request into the
// connector's <Op>Request (path, query, header and cookie parameters of
// the form and simple styles; JSON, text and raw bodies; form bodies
// best-effort), validates it
// (its Validate: a bad request fails the test with its JSON pointers) and
// answers the handler's result.
func (e *emitter) fakes(out map[string][]byte) error {
	root := e.opts.FakesOf
	name := e.opts.Package + "fake"
	// The connector's names are qualified: an unsplit connector declares
	// its types in root. Set for this file only.
	rootPkg := &ir.Package{Path: root, Name: e.opts.Package}
	var restore []*ir.Type
	for _, t := range e.api.Types {
		if t.Package == nil {
			t.Package = rootPkg
			restore = append(restore, t)
		}
	}
	defer func() {
		for _, t := range restore {
			t.Package = nil
		}
	}()
	opPath := func(op *ir.Operation) string {
		if op.Package != nil {
			return op.Package.Path
		}
		return root
	}
	f := e.newFile(root+"/"+name, name)
	if path.Base(root) != e.opts.Package {
		f.ImportAlias(root, e.opts.Package) // the directory is not named like the package
	} else {
		f.ImportName(root, e.opts.Package)
	}
	f.ImportName(fakePath, "fake")
	f.ImportName(rtPath, "runtime")
	// One line: the package name is a Go identifier from the config.
	packageDoc(f, "Package "+name+" is a typed fake of package "+e.opts.Package+"'s API for tests (fakes: true; see NewServer).")

	f.Add(doc("Server is a fake of the API: a loopback server for a test that routes each request to its operation, records it (Calls), injects faults (Inject), decodes and validates it into the connector's request type and answers what the operation's handler returns (On methods); an operation without a handler answers 501."))
	f.Type().Id("Server").Struct(jen.Op("*").Qual(fakePath, "Server"))
	f.Line()
	f.Add(doc("NewServer starts a fake for the test t, closed when t ends. Point the connector under test at its URL."))
	f.Func().Id("NewServer").Params(jen.Id("t").Qual("testing", "TB")).Op("*").Id("Server").Block(
		jen.Id("t").Dot("Helper").Call(),
		jen.Return(jen.Op("&").Id("Server").Values(jen.Qual(fakePath, "New").Call(jen.Id("t"), jen.Id("routes")))),
	)
	f.Line()

	var routes []jen.Code
	for _, op := range e.api.Operations {
		single, isSingle := op.SingleResult()
		if isSingle && single != nil && single.Kind == ir.BodyEvents {
			continue // a *runtime.EventStream cannot be built by a test: 501
		}
		reqType := jen.Qual(opPath(op), op.RequestName)
		var results []jen.Code
		switch {
		case !isSingle:
			results = []jen.Code{jen.Op("*").Qual(opPath(op), op.ResponseName), jen.Error()}
		case single != nil && single.Kind != ir.BodyNone:
			results = []jen.Code{resultType(single), jen.Error()}
		default:
			results = []jen.Code{jen.Error()}
		}
		handlerType := jen.Func().Params(jen.Qual("context", "Context"), reqType.Clone()).Params(results...)
		on := "On" + op.Name
		f.Add(doc(fmt.Sprintf("%s registers h as the handler of %s (%s %s): the fake calls it with each request decoded and validated, and answers its result (a *fake.StatusError for another status of the spec, fake.Status).", on, op.Name, op.Method, specDoc(op.Path))))
		f.Func().Params(jen.Id("s").Op("*").Id("Server")).Id(on).Params(jen.Id("h").Add(handlerType.Clone())).Block(
			jen.Id("s").Dot("SetHandler").Call(jen.Lit(op.ID), jen.Id("h")),
		)
		f.Line()

		serve := "serve" + op.Name
		pattern, wildcards := servePattern(op.Path)
		routes = append(routes, jen.Values(jen.Dict{
			jen.Id("Operation"): jen.Lit(op.ID), jen.Id("Method"): jen.Lit(op.Method),
			jen.Id("Pattern"): jen.Lit(pattern), jen.Id("Serve"): jen.Id(serve),
		}))
		f.Func().Id(serve).Params(jen.Id("s").Op("*").Qual(fakePath, "Server"), jen.Id("w").Qual("net/http", "ResponseWriter"), jen.Id("r").Op("*").Qual("net/http", "Request")).BlockFunc(func(g *jen.Group) {
			g.Var().Id("req").Add(reqType.Clone())
			invalid := func(where string) jen.Code {
				return jen.Block(jen.Id("s").Dot("Invalid").Call(jen.Id("w"), jen.Lit(op.ID), jen.Lit(where), jen.Err()), jen.Return())
			}
			for _, p := range op.Params {
				if p.ContentJSON || p.Style == "deepObject" || p.Style == "spaceDelimited" || p.Style == "pipeDelimited" ||
					p.In == "path" && p.Style != "" && p.Style != "simple" {
					continue // not decoded by the fake: left unset
				}
				var values jen.Code
				switch p.In {
				case "path":
					w, ok := wildcards[p.Name]
					if !ok {
						continue
					}
					values = jen.Index().String().Values(jen.Id("r").Dot("PathValue").Call(jen.Lit(w)))
				case "query":
					values = jen.Id("r").Dot("URL").Dot("Query").Call().Index(jen.Lit(p.Name))
				case "header":
					values = jen.Id("r").Dot("Header").Dot("Values").Call(jen.Lit(p.Name))
				case "cookie":
					values = jen.Qual(fakePath, "Cookie").Call(jen.Id("r"), jen.Lit(p.Name))
				default:
					continue
				}
				g.If(jen.Err().Op(":=").Qual(fakePath, "Param").Call(values, jen.Lit(p.Required), jen.Op("&").Id("req").Dot(p.GoName)), jen.Err().Op("!=").Nil()).
					Add(invalid(p.In + " parameter " + p.Name))
			}
			// The body, then the request's Validate, which can only judge a
			// body decoded exactly: not a form (best-effort) or typed
			// multipart one (left unset), nor one sent in another media
			// type by <Op>With<Media>.
			var checks []jen.Code
			decoded := true
			if b := op.Body; b != nil {
				switch {
				case b.Kind == ir.BodyJSON:
					checks = append(checks, jen.If(jen.Err().Op(":=").Qual(fakePath, "JSONBody").Call(jen.Id("r"), jen.Lit(b.Required), jen.Op("&").Id("req").Dot("Body")), jen.Err().Op("!=").Nil()).
						Add(invalid("body")))
				case b.Kind == ir.BodyText:
					checks = append(checks, jen.Var().Err().Error(),
						jen.If(jen.List(jen.Id("req").Dot("Body"), jen.Err()).Op("=").Qual(fakePath, "TextBody").Call(jen.Id("r")), jen.Err().Op("!=").Nil()).
							Add(invalid("body")))
				case b.Kind == ir.BodyForm:
					// Best-effort (fake.FormBody): not judged by Validate.
					decoded = false
					checks = append(checks, jen.If(jen.Err().Op(":=").Qual(fakePath, "FormBody").Call(jen.Id("r"), jen.Op("&").Id("req").Dot("Body")), jen.Err().Op("!=").Nil()).
						Add(invalid("body")))
				case b.Kind == ir.BodyMultipart && b.Type != nil:
					decoded = false
				default:
					checks = append(checks, jen.Var().Err().Error(),
						jen.If(jen.List(jen.Id("req").Dot("Body"), jen.Err()).Op("=").Qual(fakePath, "RawBody").Call(jen.Id("r")), jen.Err().Op("!=").Nil()).
							Add(invalid("body")))
					if b.Kind == ir.BodyMultipart {
						checks = append(checks, jen.Id("req").Dot("BodyContentType").Op("=").Id("r").Dot("Header").Dot("Get").Call(jen.Lit("Content-Type")))
					}
				}
			}
			if decoded && e.valid.requestNeeds(op) {
				checks = append(checks, jen.If(jen.Err().Op(":=").Id("req").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Add(invalid("validation")))
			}
			switch {
			case len(checks) == 0:
			case op.Body != nil && len(op.Alternatives) > 0:
				stmt := g.If(jen.Qual(fakePath, "MediaType").Call(jen.Id("r")).Op("==").Lit(strings.ToLower(op.Body.MediaType))).Block(checks...)
				// A form alternative of the same type is decoded too.
				for _, a := range op.Alternatives {
					if a.Body.Kind == ir.BodyForm && a.Body.Type == op.Body.Type && op.Body.Kind != ir.BodyForm {
						stmt.Else().If(jen.Qual(fakePath, "MediaType").Call(jen.Id("r")).Op("==").Lit(strings.ToLower(a.Body.MediaType))).Block(
							jen.If(jen.Err().Op(":=").Qual(fakePath, "FormBody").Call(jen.Id("r"), jen.Op("&").Id("req").Dot("Body")), jen.Err().Op("!=").Nil()).
								Add(invalid("body")))
						break
					}
				}
			default:
				for _, c := range checks {
					g.Add(c)
				}
			}
			g.List(jen.Id("h"), jen.Id("_")).Op(":=").Id("s").Dot("Handler").Call(jen.Lit(op.ID)).Assert(handlerType.Clone())
			g.If(jen.Id("h").Op("==").Nil()).Block(
				jen.Id("s").Dot("NotImplemented").Call(jen.Id("w"), jen.Lit(op.ID), jen.Lit(on)),
				jen.Return(),
			)
			call := jen.Id("h").Call(jen.Id("r").Dot("Context").Call(), jen.Id("req"))
			switch {
			case !isSingle:
				g.List(jen.Id("res"), jen.Err()).Op(":=").Add(call)
				g.Var().Id("status").Int()
				g.Var().Id("body").Any()
				g.Id("mediaType").Op(":=").Lit("")
				var cases []jen.Code
				for _, r := range orderedSuccesses(op) {
					var cond jen.Code
					switch {
					case r.Status == "default":
						cond = jen.True()
					case strings.EqualFold(r.Status[1:], "XX"):
						cond = jen.Id("status").Op("/").Lit(100).Op("==").Lit(int(r.Status[0] - '0'))
					default:
						n, _ := strconv.Atoi(r.Status)
						cond = jen.Id("status").Op("==").Lit(n)
					}
					var stmts []jen.Code
					if r.Kind != ir.BodyNone {
						stmts = append(stmts, jen.List(jen.Id("body"), jen.Id("mediaType")).Op("=").List(jen.Id("res").Dot(statusField(r.Status)), jen.Lit(r.MediaType)))
					}
					cases = append(cases, jen.Case(cond).Block(stmts...))
				}
				g.If(jen.Id("res").Op("!=").Nil()).BlockFunc(func(g *jen.Group) {
					g.Id("status").Op("=").Id("res").Dot("StatusCode")
					if len(op.SuccessHeaders()) > 0 {
						g.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("res").Dot("Header")).Block(
							jen.Id("w").Dot("Header").Call().Index(jen.Id("k")).Op("=").Id("v"),
						)
					}
					g.Switch().Block(cases...)
				})
				g.Id("s").Dot("Respond").Call(jen.Id("w"), jen.Lit(op.ID), jen.Id("status"), jen.Id("mediaType"), jen.Id("body"), jen.Err())
			case single != nil && single.Kind != ir.BodyNone:
				g.List(jen.Id("res"), jen.Err()).Op(":=").Add(call)
				g.Id("s").Dot("Respond").Call(jen.Id("w"), jen.Lit(op.ID), jen.Lit(successCode(single)), jen.Lit(single.MediaType), jen.Id("res"), jen.Err())
			default:
				code := 204
				if single != nil {
					code = successCode(single)
				}
				g.Id("s").Dot("Respond").Call(jen.Id("w"), jen.Lit(op.ID), jen.Lit(code), jen.Lit(""), jen.Nil(), call)
			}
		})
		f.Line()
	}
	f.Add(doc("routes are the API's operations, for fake.New."))
	f.Var().Id("routes").Op("=").Index().Qual(fakePath, "Route").Values(routes...)

	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return fmt.Errorf("emit %s/fake.go: %w", name, err)
	}
	out[name+"/fake.go"] = groupImports(buf.Bytes())
	return nil
}

// successCode is the status a single success answers: its code, or 200
// for a range or default.
func successCode(r *ir.Response) int {
	if n, err := strconv.Atoi(r.Status); err == nil {
		return n
	}
	return 200
}

// orderedSuccesses lists op's successes for matching a status: codes,
// then ranges, then default.
func orderedSuccesses(op *ir.Operation) []*ir.Response {
	var codes, ranges, def []*ir.Response
	for _, r := range op.Successes() {
		switch {
		case r.Status == "default":
			def = append(def, r)
		case strings.EqualFold(r.Status[1:], "XX"):
			ranges = append(ranges, r)
		default:
			codes = append(codes, r)
		}
	}
	return append(append(codes, ranges...), def...)
}

// wildcardRE is a path template parameter.
var wildcardRE = regexp.MustCompile(`\{([^{}]*)\}`)

// servePattern turns a path template into a runtime/fake Route pattern
// whose wildcards are p0, p1, … (a parameter's name need not be a Go
// identifier: the generated code reads them with Request.PathValue), and
// maps each parameter name to its wildcard. A template with a parameter
// inside a segment ("/files/{name}.{ext}") gives "": the fake answers
// 501. A trailing slash is kept as "{$}" (that path only).
func servePattern(path string) (string, map[string]string) {
	wild := map[string]string{}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.ContainsAny(s, "{}") {
			continue
		}
		m := wildcardRE.FindStringSubmatch(s)
		if m == nil || m[0] != s {
			return "", nil
		}
		if _, dup := wild[m[1]]; dup {
			return "", nil
		}
		w := "p" + strconv.Itoa(len(wild))
		wild[m[1]] = w
		segs[i] = "{" + w + "}"
	}
	p := strings.Join(segs, "/")
	if strings.HasSuffix(p, "/") {
		p += "{$}"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p, wild
}
