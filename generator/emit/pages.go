package emit

import (
	"fmt"
	"math"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// pages declares the iterators of a paginated operation: <Op>Pages over
// its pages, and <Op>Iter over their items (package paging chose the
// scheme and members).
func pages(f *jen.File, op *ir.Operation) {
	p := op.Pagination
	if p == nil || op.Primary != nil || p.IterName == "" {
		return
	}
	single, isSingle := op.SingleResult()
	var pageType *jen.Statement
	if isSingle {
		pageType = resultType(single)
	} else {
		pageType = jen.Op("*").Id(op.ResponseName)
	}
	arr := p.Response.Type
	if len(p.Items) > 0 {
		arr = p.Items[len(p.Items)-1].Type
	}
	itemType := goType(arr.Resolve().Elem)

	params := []jen.Code{jen.Id("ctx").Qual("context", "Context"), jen.Id("req").Id(op.RequestName), jen.Id("opts").Op("...").Qual(rtPath, "CallOption")}
	args := []jen.Code{jen.Id("ctx"), jen.Id("req"), jen.Id("opts").Op("...")}

	// <Op>Pages.
	f.Add(doc(fmt.Sprintf("%s calls %s page after page and yields each page in order: %s", p.PagesName, op.Name, nextDoc(p)),
		"The request is copied for each page, never changed under the caller; each page is one call with opts (credentials, "+
			"retries, breaker, rate limit, logs). The sequence ends after the last page, when the loop breaks (no further page "+
			"is asked for), after runtime.WithMaxPages pages or the page reaching runtime.WithMaxItems items, or with one error: "+
			"the call's, the context's, "+guardDoc(p)+"."))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(p.PagesName).Params(params...).
		Qual("iter", "Seq2").Types(pageType.Clone(), jen.Error()).BlockFunc(func(g *jen.Group) {
		pagesBody(g, op, p, isSingle, pageType, itemType)
	})
	f.Line()

	// <Op>Iter.
	where := "the items of the body, an array,"
	if len(p.Items) > 0 {
		where = fmt.Sprintf("the items of the body's %q", ir.Path(p.Items))
	}
	f.Add(doc(fmt.Sprintf("%s calls %s page after page, as %s does, and yields %s in order, one at a time; "+
		"runtime.WithMaxItems bounds how many. Breaking out of the loop asks for no further page.", p.IterName, op.Name, p.PagesName, where)))
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(p.IterName).Params(params...).
		Qual("iter", "Seq2").Types(itemType.Clone(), jen.Error()).Block(
		jen.Return(jen.Qual(implPath, "Items").Call(jen.Id("ctx"),
			jen.Id("c").Dot(p.PagesName).Call(args...),
			jen.Id("opts"),
			itemsFunc(op, p, isSingle, pageType, itemType),
		)),
	)
	f.Line()
}

// nextDoc says how the page after a page is asked for.
func nextDoc(p *ir.Pagination) string {
	param := ""
	if p.Param != nil {
		param = fmt.Sprintf("%s parameter %q", p.Param.In, p.Param.Name)
	}
	switch p.Scheme {
	case ir.PageCursor:
		s := fmt.Sprintf("each page after the first is asked for with the %s set to the last page's %q", param, ir.Path(p.Next))
		if p.More != nil {
			return s + fmt.Sprintf(", while its %q is true.", ir.Path(p.More))
		}
		return s + ", while that is not empty."
	case ir.PageLastItem:
		s := fmt.Sprintf("each page after the first is asked for with the %s set to the %q of the last page's last item", param, p.Key.JSONName)
		if p.More != nil {
			return s + fmt.Sprintf(", while its %q is true.", ir.Path(p.More))
		}
		return s + ", while a page has items."
	case ir.PageNextURL:
		return fmt.Sprintf("each page after the first is asked for at the URL in the last page's %q (resolved against the "+
			"request's URL), while that is not empty.", ir.Path(p.Next))
	case ir.PageLinkHeader:
		return "each page after the first is asked for at the target of the last page's Link header with rel=\"next\" " +
			"(RFC 8288, resolved against the request's URL), while there is one."
	}
	step := "advanced by the number of items received"
	if p.Scheme == ir.PageNumber {
		step = "advanced by one"
	}
	stop := "a page shorter than the page size asked for when the spec bounds it, else shorter than an earlier page"
	if p.Total != nil {
		stop = fmt.Sprintf("the number of items in %q", ir.Path(p.Total))
		if p.TotalPages {
			stop = fmt.Sprintf("the number of pages in %q", ir.Path(p.Total))
		}
	}
	return fmt.Sprintf("each page after the first is asked for with the %s %s, until an empty page or %s.", param, step, stop)
}

// guardDoc names the errors guarding the scheme's loop.
func guardDoc(p *ir.Pagination) string {
	switch p.Scheme {
	case ir.PageOffset, ir.PageNumber:
		return "runtime.ErrCursorRepeated when a page repeats the one before (a server ignoring the page parameter)"
	case ir.PageNextURL, ir.PageLinkHeader:
		return "runtime.ErrCursorRepeated when the server repeats a next page's URL, " +
			"runtime.ErrForeignPageURL when that URL leaves the API's origin (nothing is sent there)"
	}
	return "runtime.ErrCursorRepeated when the server repeats a cursor, runtime.ErrCursorMissing when it announces a next page without one"
}

// cursorType is the Go type of the scheme's cursor in rtimpl.PageSeq.
func cursorType(s ir.PageScheme) *jen.Statement {
	if s == ir.PageOffset || s == ir.PageNumber {
		return jen.Int64()
	}
	return jen.String()
}

// bodyOf returns the expression of the page body within page, and a
// guard: the condition under which the body is absent (a multi-status
// result without this status), nil when it is always there.
func bodyOf(op *ir.Operation, p *ir.Pagination, isSingle bool) (body *jen.Statement, absent *jen.Statement) {
	ptr := isStruct(p.Response.Type)
	if isSingle {
		if ptr {
			return jen.Id("page"), jen.Id("page").Op("==").Nil()
		}
		return jen.Id("page"), nil
	}
	b := jen.Id("page").Dot(statusField(p.Response.Status))
	if ptr {
		return b, b.Clone().Op("==").Nil()
	}
	return b, nil
}

// pagesBody is the body of <Op>Pages.
func pagesBody(g *jen.Group, op *ir.Operation, p *ir.Pagination, isSingle bool, pageType, itemType *jen.Statement) {
	counted := p.Scheme == ir.PageOffset || p.Scheme == ir.PageNumber
	cur := "cursor"
	switch p.Scheme {
	case ir.PageOffset:
		cur = "offset"
	case ir.PageNumber:
		cur = "number"
	case ir.PageNextURL, ir.PageLinkHeader:
		cur = "next"
	}
	zeroCursor := jen.Lit("")
	if counted {
		zeroCursor = jen.Lit(0)
	}
	fail := jen.Return(jen.Nil(), zeroCursor.Clone(), jen.False(), jen.Id("err"))
	g.Return(jen.Qual(implPath, "PageSeq").Call(jen.Id("ctx"), jen.Id("opts"),
		countFunc(op, p, isSingle, pageType),
		jen.Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id(cur).Add(cursorType(p.Scheme)), jen.Id("st").Op("*").Qual(implPath, "PageState")).
			Params(pageType.Clone(), cursorType(p.Scheme), jen.Bool(), jen.Error()).BlockFunc(func(g *jen.Group) {
			callOpts := jen.Id("opts")
			switch p.Scheme {
			case ir.PageNextURL, ir.PageLinkHeader:
				g.Id("o").Op(":=").Id("opts")
				g.If(jen.Op("!").Id("st").Dot("First")).Block(
					jen.Id("o").Op("=").Qual(implPath, "WithPageURL").Call(jen.Id("opts"), jen.Id("next")))
				g.List(jen.Id("page"), jen.Err()).Op(":=").Id("c").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("req"), jen.Id("o").Op("..."))
			default:
				g.Id("r").Op(":=").Id("req")
				prm := jen.Id("r").Dot(p.Param.GoName)
				switch p.Scheme {
				case ir.PageOffset, ir.PageNumber:
					start := int64(0)
					if p.Scheme == ir.PageNumber {
						start = pageStart(p.Param)
					} else if d, ok := intDefault(p.Param.Default); ok {
						start = d
					}
					var def *jen.Statement // the cursor starts at 0
					if start != 0 {
						def = jen.Lit(int(start))
					}
					g.If(jen.Id("st").Dot("First")).Block(readParam(p.Param, jen.Id(cur), def)).Else().Block(setParam(p.Param, prm, jen.Id(cur)))
				default:
					g.If(jen.Op("!").Id("st").Dot("First")).Block(setParam(p.Param, prm, jen.Id(cur)))
				}
				g.List(jen.Id("page"), jen.Err()).Op(":=").Id("c").Dot(op.Name).Call(jen.Id("ctx"), jen.Id("r"), callOpts.Op("..."))
			}
			g.If(jen.Err().Op("!=").Nil()).Block(fail)
			body, absent := bodyOf(op, p, isSingle)
			if absent != nil {
				// Another success status, without the page body: the last page.
				g.If(absent).Block(jen.Return(jen.Id("page"), zeroCursor.Clone(), jen.False(), jen.Nil()))
			}
			nextPage(g, p, body, itemType)
		})))
}

// nextPage emits, from the page body, the statements ending the fetch
// function: return page, the next cursor and whether there is a next page.
func nextPage(g *jen.Group, p *ir.Pagination, body *jen.Statement, itemType *jen.Statement) {
	switch p.Scheme {
	case ir.PageLinkHeader:
		g.Id("url").Op(":=").Qual(implPath, "NextLink").Call(jen.Id("page").Dot("Header"))
		g.Return(jen.Id("page"), jen.Id("url"), jen.Id("url").Op("!=").Lit(""), jen.Nil())
	case ir.PageNextURL:
		assign(g, "url", jen.Lit(""), body, p.Next, nil)
		g.Return(jen.Id("page"), jen.Id("url"), jen.Id("url").Op("!=").Lit(""), jen.Nil())
	case ir.PageCursor:
		assign(g, "next", jen.Lit(""), body, p.Next, func(v *jen.Statement) *jen.Statement { return stringOf(v, p.Next[len(p.Next)-1].Type) })
		if p.More != nil {
			assign(g, "more", jen.False(), body, p.More, nil)
			g.Return(jen.Id("page"), jen.Id("next"), jen.Id("more"), jen.Nil())
		} else {
			g.Return(jen.Id("page"), jen.Id("next"), jen.Id("next").Op("!=").Lit(""), jen.Nil())
		}
	case ir.PageLastItem:
		assign(g, "items", jen.Index().Add(itemType.Clone()).Parens(jen.Nil()), body, p.Items, nil)
		g.Id("next").Op(":=").Lit("")
		g.If(jen.Id("n").Op(":=").Len(jen.Id("items")), jen.Id("n").Op(">").Lit(0)).Block(
			readMember(jen.Id("items").Index(jen.Id("n").Op("-").Lit(1)), []*ir.Field{p.Key}, func(v *jen.Statement) jen.Code {
				return jen.Id("next").Op("=").Add(stringOf(v, p.Key.Type))
			}))
		more := jen.Len(jen.Id("items")).Op(">").Lit(0)
		if p.More != nil {
			assign(g, "more", jen.False(), body, p.More, nil)
			more = jen.Id("more")
		}
		g.Return(jen.Id("page"), jen.Id("next"), more, jen.Nil())
	case ir.PageOffset, ir.PageNumber:
		assign(g, "items", jen.Index().Add(itemType.Clone()).Parens(jen.Nil()), body, p.Items, nil)
		g.If(jen.Id("st").Dot("Repeats").Call(jen.Id("items"))).Block(
			jen.Return(jen.Nil(), jen.Lit(0), jen.False(), jen.Qual(rtPath, "ErrCursorRepeated")))
		g.Id("n").Op(":=").Len(jen.Id("items"))
		next := jen.Id("offset").Op("+").Int64().Call(jen.Id("n"))
		if p.Scheme == ir.PageNumber {
			next = jen.Id("number").Op("+").Lit(1)
		}
		limit, maximum := int64(0), int64(0)
		sizeArgs := []jen.Code{jen.Id("n"), jen.Lit(0), jen.Lit(0)}
		if p.Limit != nil {
			if d, ok := intDefault(p.Limit.Default); ok {
				limit = d
			}
			if l := p.Limit.Type.Resolve().Limits; l != nil && l.Maximum != nil && *l.Maximum >= 1 && *l.Maximum < math.MaxInt64/2 {
				maximum = int64(*l.Maximum)
			}
			g.Id("limit").Op(":=").Int64().Call(jen.Lit(int(limit)))
			g.Add(readParam(p.Limit, jen.Id("limit"), nil))
			sizeArgs = []jen.Code{jen.Id("n"), jen.Id("limit"), jen.Lit(int(maximum))}
		}
		if p.Total == nil {
			g.Return(jen.Id("page"), next, jen.Id("st").Dot("More").Call(sizeArgs...), jen.Nil())
			return
		}
		// A total the page states bounds the iteration; without one (0 or
		// absent), the page sizes do.
		g.Id("more").Op(":=").Id("st").Dot("More").Call(sizeArgs...)
		assign(g, "total", jen.Int64().Call(jen.Lit(0)), body, p.Total, func(v *jen.Statement) *jen.Statement { return jen.Int64().Call(v) })
		bound := jen.Id("offset").Op("+").Int64().Call(jen.Id("n")).Op("<").Id("total")
		if p.TotalPages {
			bound = jen.Id("number").Op("<").Id("total")
		}
		g.If(jen.Id("total").Op(">").Lit(0)).Block(jen.Id("more").Op("=").Id("n").Op(">").Lit(0).Op("&&").Add(bound))
		g.Return(jen.Id("page"), next, jen.Id("more"), jen.Nil())
	}
}

// countFunc is PageSeq's count argument: the number of items of a page,
// so that runtime.WithMaxItems stops <Op>Pages too.
func countFunc(op *ir.Operation, p *ir.Pagination, isSingle bool, pageType *jen.Statement) jen.Code {
	body, absent := bodyOf(op, p, isSingle)
	return jen.Func().Params(jen.Id("page").Add(pageType.Clone())).Int().BlockFunc(func(g *jen.Group) {
		if absent != nil {
			g.If(absent).Block(jen.Return(jen.Lit(0)))
		}
		guarded := readMember(body, p.Items, func(v *jen.Statement) jen.Code { return jen.Return(jen.Len(v)) })
		g.Add(guarded)
		if hasPointerStep(p.Items) {
			g.Return(jen.Lit(0))
		}
	})
}

// itemsFunc is Items's items argument: the items of a page.
func itemsFunc(op *ir.Operation, p *ir.Pagination, isSingle bool, pageType, itemType *jen.Statement) jen.Code {
	body, absent := bodyOf(op, p, isSingle)
	return jen.Func().Params(jen.Id("page").Add(pageType.Clone())).Index().Add(itemType.Clone()).BlockFunc(func(g *jen.Group) {
		if absent != nil {
			g.If(absent).Block(jen.Return(jen.Nil()))
		}
		g.Add(readMember(body, p.Items, func(v *jen.Statement) jen.Code { return jen.Return(v) }))
		if hasPointerStep(p.Items) {
			g.Return(jen.Nil())
		}
	})
}

// hasPointerStep reports whether reading path goes through a pointer,
// which readMember guards with an if.
func hasPointerStep(path []*ir.Field) bool {
	for _, f := range path {
		if pres, _ := fieldPresence(f); pres == pointer {
			return true
		}
	}
	return false
}

// assign emits `name := <member at path from base>` (converted by conv,
// which may be nil), or, when reading it goes through a pointer,
// `name := zero` followed by the guarded assignment.
func assign(g *jen.Group, name string, zero *jen.Statement, base *jen.Statement, path []*ir.Field, conv func(*jen.Statement) *jen.Statement) {
	if conv == nil {
		conv = func(v *jen.Statement) *jen.Statement { return v }
	}
	if !hasPointerStep(path) {
		g.Add(readMember(base, path, func(v *jen.Statement) jen.Code { return jen.Id(name).Op(":=").Add(conv(v)) }))
		return
	}
	g.Id(name).Op(":=").Add(zero)
	g.Add(readMember(base, path, func(v *jen.Statement) jen.Code { return jen.Id(name).Op("=").Add(conv(v)) }))
}

// readMember emits the statement that reads the member at path from base
// (a struct, or a pointer to one, that is not nil) and hands its value to
// set, through nil checks of the pointers on the way; an absent member is
// not handed. An empty path hands base itself.
func readMember(base *jen.Statement, path []*ir.Field, set func(v *jen.Statement) jen.Code) jen.Code {
	return readFrom(base, path, 0, set)
}

func readFrom(base *jen.Statement, path []*ir.Field, depth int, set func(v *jen.Statement) jen.Code) jen.Code {
	if len(path) == 0 {
		return set(base)
	}
	f := path[0]
	v := base.Clone().Dot(f.GoName)
	switch pres, _ := fieldPresence(f); pres {
	case pointer:
		name := fmt.Sprintf("m%d", depth)
		if len(path) == 1 {
			// A pointer leaf (a struct member read whole): handed as is.
			return jen.If(jen.Id(name).Op(":=").Add(v), jen.Id(name).Op("!=").Nil()).Block(set(jen.Op("*").Id(name)))
		}
		return jen.If(jen.Id(name).Op(":=").Add(v), jen.Id(name).Op("!=").Nil()).Block(readFrom(jen.Id(name), path[1:], depth+1, set))
	case optional, nullable:
		v = v.Dot("Value")
	}
	return readFrom(v, path[1:], depth, set)
}

// stringOf converts a cursor value of type t to a string.
func stringOf(v *jen.Statement, t *ir.Type) *jen.Statement {
	if t.Named || t.Resolve() != t {
		return jen.String().Call(v)
	}
	return v
}

// setParam assigns the cursor value v (a string or an int64) to the
// request parameter field dst, in the field's representation.
func setParam(p *ir.Param, dst, v *jen.Statement) jen.Code {
	val := v
	if t := p.Type; t.Named || t.Resolve() != t || t.Kind == ir.Float || t.Kind == ir.Int && (t.Format == "int32" || t.Format == "int64-string") {
		val = goType(t).Call(v)
	}
	switch presenceOf(p.Type, p.Required, false, false) {
	case optional:
		val = jen.Qual(rtPath, "Some").Call(val)
	case nullable:
		val = jen.Qual(rtPath, "NewNullable").Call(val)
	}
	return dst.Clone().Op("=").Add(val)
}

// readParam emits the statement that sets the int64 dst to the request
// parameter p's value in r, or to def (nil: leave dst) when it is unset.
func readParam(p *ir.Param, dst, def *jen.Statement) jen.Code {
	field := jen.Id("r").Dot(p.GoName)
	switch presenceOf(p.Type, p.Required, false, false) {
	case optional, nullable:
		set := dst.Clone().Op("=").Int64().Call(field.Clone().Dot("Value"))
		if def == nil {
			return jen.If(field.Clone().Dot("Set")).Block(set)
		}
		return jen.If(field.Clone().Dot("Set")).Block(set).Else().Block(dst.Clone().Op("=").Add(def))
	}
	return dst.Clone().Op("=").Int64().Call(field)
}

// pageStart is the number of the page a request without a page number
// gets: the parameter's default, else its minimum, else 1.
func pageStart(p *ir.Param) int64 {
	if d, ok := intDefault(p.Default); ok {
		return d
	}
	if l := p.Type.Resolve().Limits; l != nil && l.Minimum != nil && (*l.Minimum == 0 || *l.Minimum == 1) {
		return int64(*l.Minimum)
	}
	return 1
}

// intDefault returns a parameter default that is an integer of sane size.
func intDefault(v any) (int64, bool) {
	var f float64
	switch d := v.(type) {
	case float64:
		f = d
	case int:
		f = float64(d)
	case int64:
		f = float64(d)
	default:
		return 0, false
	}
	if f != math.Trunc(f) || f < 0 || f > 1<<31 {
		return 0, false
	}
	return int64(f), true
}
