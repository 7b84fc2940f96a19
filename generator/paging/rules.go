package paging

import (
	"errors"
	"fmt"
	"strings"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/ir"
)

// fromRule builds op's pagination from a config rule, checking that every
// parameter and member it names exists with a type the scheme can use.
func fromRule(op *ir.Operation, r config.PageRule) (*ir.Pagination, error) {
	return build(op, spec{
		scheme: ir.PageScheme(r.Scheme), param: r.Param, next: r.Next, items: r.Items, more: r.More,
		key: r.Key, total: r.Total, totalPages: r.TotalPages, limit: r.Limit,
	})
}

// spec is a scheme with its parameters and members by name, from a rule
// or an extension.
type spec struct {
	scheme                                                  ir.PageScheme
	param, next, items, more, key, total, totalPages, limit string
}

// build resolves s against op.
func build(op *ir.Operation, s spec) (*ir.Pagination, error) {
	resp := pageResponse(op)
	if resp == nil {
		return nil, errors.New("no success response with a JSON body to page through")
	}
	p := &ir.Pagination{Scheme: s.scheme, Response: resp}
	var err error
	if s.items != "" {
		if p.Items, err = memberPath(resp.Type, s.items); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		if t := p.Items[len(p.Items)-1].Type.Resolve(); t.Kind != ir.Array {
			return nil, fmt.Errorf("items: member %q is not an array", s.items)
		}
	} else {
		var why string
		if p.Items, why = findItems(resp.Type); why != "" {
			return nil, errors.New(why + " (give items)")
		}
	}
	stringParam := func(what string) (*ir.Param, error) { return param(op, s.param, what, isString, "a string") }
	intParam := func(what string) (*ir.Param, error) { return param(op, s.param, what, isCount, "a number") }
	stringMember := func(path, what string) ([]*ir.Field, error) {
		if path == "" {
			return nil, fmt.Errorf("scheme %s needs %s", s.scheme, what)
		}
		m, err := memberPath(resp.Type, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if !isString(m[len(m)-1].Type) {
			return nil, fmt.Errorf("%s: member %q is not a string", what, path)
		}
		return m, nil
	}
	switch s.scheme {
	case ir.PageCursor:
		if p.Param, err = stringParam("param"); err != nil {
			return nil, err
		}
		if p.Next, err = stringMember(s.next, "next"); err != nil {
			return nil, err
		}
	case ir.PageLastItem:
		if p.Param, err = stringParam("param"); err != nil {
			return nil, err
		}
		key := s.key
		if key == "" {
			key = "id"
		}
		arr := resp.Type
		if len(p.Items) > 0 {
			arr = p.Items[len(p.Items)-1].Type
		}
		el := arr.Resolve().Elem
		if el == nil || el.Resolve().Kind != ir.Object {
			return nil, errors.New("key: the items are not objects")
		}
		for _, f := range el.Resolve().Fields {
			if f.JSONName == key && isString(f.Type) {
				p.Key = f
			}
		}
		if p.Key == nil {
			return nil, fmt.Errorf("key: the items have no string member %q", key)
		}
	case ir.PageNextURL:
		if p.Next, err = stringMember(s.next, "next"); err != nil {
			return nil, err
		}
	case ir.PageLinkHeader:
	case ir.PageOffset, ir.PageNumber:
		if p.Param, err = intParam("param"); err != nil {
			return nil, err
		}
		if s.limit != "" {
			if p.Limit, err = param(op, s.limit, "limit", isCount, "a number"); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("unknown scheme %q", s.scheme)
	}
	if s.more != "" {
		m, err := memberPath(resp.Type, s.more)
		if err != nil {
			return nil, fmt.Errorf("more: %w", err)
		}
		if !isBool(m[len(m)-1].Type) {
			return nil, fmt.Errorf("more: member %q is not a boolean", s.more)
		}
		p.More = m
	}
	for _, t := range []struct {
		path  string
		pages bool
	}{{s.total, false}, {s.totalPages, true}} {
		if t.path == "" {
			continue
		}
		if s.scheme != ir.PageOffset && s.scheme != ir.PageNumber || t.pages && s.scheme != ir.PageNumber {
			return nil, fmt.Errorf("scheme %s takes no %s", s.scheme, map[bool]string{false: "total", true: "total_pages"}[t.pages])
		}
		m, err := memberPath(resp.Type, t.path)
		if err != nil {
			return nil, fmt.Errorf("total: %w", err)
		}
		if !isInt(m[len(m)-1].Type) {
			return nil, fmt.Errorf("total: member %q is not an integer", t.path)
		}
		p.Total, p.TotalPages = m, t.pages
	}
	return p, nil
}

// param finds op's query parameter name of a type ok accepts.
func param(op *ir.Operation, name, what string, ok func(*ir.Type) bool, kind string) (*ir.Param, error) {
	if name == "" {
		return nil, fmt.Errorf("needs %s, the request parameter", what)
	}
	for _, p := range op.Params {
		if p.Name != name || p.In != "query" && p.In != "header" {
			continue
		}
		if p.Type == nil || !ok(p.Type) || p.ContentJSON {
			return nil, fmt.Errorf("%s: parameter %q is not %s", what, name, kind)
		}
		return p, nil
	}
	return nil, fmt.Errorf("%s: the operation has no query or header parameter %q", what, name)
}

// memberPath resolves a path of JSON names joined by "." from t. A name
// that itself holds dots ("@odata.nextLink") is matched whole first.
func memberPath(t *ir.Type, path string) ([]*ir.Field, error) {
	var out []*ir.Field
	rest := path
	for rest != "" {
		obj := t.Resolve()
		if obj.Kind != ir.Object {
			return nil, fmt.Errorf("no member %q: %q is not an object", path, ir.Path(out))
		}
		var best *ir.Field
		for _, f := range obj.Fields {
			if (rest == f.JSONName || strings.HasPrefix(rest, f.JSONName+".")) && (best == nil || len(f.JSONName) > len(best.JSONName)) {
				best = f
			}
		}
		if best == nil || best.Type == nil {
			return nil, fmt.Errorf("the response body has no member %q", path)
		}
		out = append(out, best)
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, best.JSONName), ".")
		t = best.Type
	}
	if len(out) == 0 {
		return nil, errors.New("empty member path")
	}
	return out, nil
}

// pageExtensionNames are the extensions read, in precedence order.
var pageExtensionNames = []string{"x-ms-pageable", "x-speakeasy-pagination", "x-pagination"}

// fromExtension reads a pagination extension of op: AutoRest's
// x-ms-pageable ({nextLinkName, itemName}: a next-URL member, items in
// value by default; nextLinkName null means one page), or Speakeasy's
// x-speakeasy-pagination (also read under x-pagination): {type: cursor |
// offsetLimit | url, inputs: [{name, in: parameters, type: cursor |
// offset | page | limit}], outputs: {results, nextCursor, nextUrl,
// numPages} with outputs as simple JSONPaths "$.a.b"}. It returns nil and
// the reason when the extension does not give a usable scheme.
func fromExtension(op *ir.Operation, name string, v any) (*ir.Pagination, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, name + " is not an object"
	}
	var s spec
	switch name {
	case "x-ms-pageable":
		next, ok := m["nextLinkName"].(string)
		if !ok || next == "" {
			return nil, "x-ms-pageable has no nextLinkName: the list is one page"
		}
		s = spec{scheme: ir.PageNextURL, next: next, items: "value"}
		if it, ok := m["itemName"].(string); ok && it != "" {
			s.items = it
		}
	default:
		typ, _ := m["type"].(string)
		outputs, _ := m["outputs"].(map[string]any)
		jp := func(key string) (string, bool) {
			v, _ := outputs[key].(string)
			path, ok := strings.CutPrefix(v, "$.")
			return path, ok && !strings.ContainsAny(path, "[]*")
		}
		var okPath bool
		if s.items, okPath = jp("results"); !okPath {
			s.items = ""
		}
		inputs, _ := m["inputs"].([]any)
		for _, in := range inputs {
			im, _ := in.(map[string]any)
			n, _ := im["name"].(string)
			switch im["type"] {
			case "cursor", "offset", "page":
				s.param = n
				if im["type"] == "offset" {
					s.scheme = ir.PageOffset
				} else if im["type"] == "page" {
					s.scheme = ir.PageNumber
				}
			case "limit":
				s.limit = n
			}
		}
		switch typ {
		case "cursor":
			s.scheme = ir.PageCursor
			if s.next, okPath = jp("nextCursor"); !okPath {
				return nil, name + " outputs.nextCursor is not a simple JSONPath ($.a.b)"
			}
		case "url":
			s.scheme = ir.PageNextURL
			if s.next, okPath = jp("nextUrl"); !okPath {
				return nil, name + " outputs.nextUrl is not a simple JSONPath ($.a.b)"
			}
		case "offsetLimit":
			if s.scheme == "" {
				return nil, name + " of type offsetLimit has no offset or page input"
			}
			if s.scheme == ir.PageNumber {
				if np, ok := jp("numPages"); ok {
					s.totalPages = np
				}
			}
		default:
			return nil, fmt.Sprintf("%s type %q is not cursor, offsetLimit or url", name, typ)
		}
	}
	p, err := build(op, s)
	if err != nil {
		return nil, name + ": " + err.Error()
	}
	p.Origin = name
	return p, ""
}
