package rtimpl

import (
	"strings"
)

// PathParamStyle serializes a path parameter in the label or matrix style
// (OpenAPI 3.1 §4.8.12.4, RFC 6570 §3.2.5 and §3.2.7); other styles are
// the simple style of PathParam. Items are escaped like PathParam's.
// Examples for name "color": label "blue" → ".blue", [a b] → ".a,b"
// (explode ".a.b"); matrix "blue" → ";color=blue", [a b] → ";color=a,b"
// (explode ";color=a;color=b"), object {R:1} → ";color=R,1" (explode ";R=1").
func PathParamStyle(name string, v any, style Style, explode bool) string {
	if style != StyleLabel && style != StyleMatrix {
		return PathParam(v)
	}
	sh, err := shapeOf(v)
	if err != nil || sh.kind == shapeNone {
		return ""
	}
	esc := func(items []string) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = pathEscape(it)
		}
		return out
	}
	var pairs []string // object members as k=v when exploded
	if sh.kind == shapeObject && explode {
		kv := objectPairs(sh.object)
		for i := 0; i+1 < len(kv); i += 2 {
			pairs = append(pairs, pathEscape(kv[i])+"="+pathEscape(kv[i+1]))
		}
	}
	items := esc(simplePartsOf(sh))
	if style == StyleLabel {
		switch {
		case pairs != nil:
			return "." + strings.Join(pairs, ".")
		case explode:
			return "." + strings.Join(items, ".")
		}
		return "." + strings.Join(items, ",")
	}
	prefix := ";" + pathEscape(name)
	switch {
	case pairs != nil:
		return ";" + strings.Join(pairs, ";")
	case explode && sh.kind == shapeList:
		return prefix + "=" + strings.Join(items, prefix+"=")
	}
	return prefix + "=" + strings.Join(items, ",")
}

// simplePartsOf lists a shape's items as simple style does.
func simplePartsOf(sh shape) []string {
	switch sh.kind {
	case shapeScalar:
		return []string{sh.scalar}
	case shapeList:
		return sh.items
	case shapeObject:
		return objectPairs(sh.object)
	}
	return nil
}
