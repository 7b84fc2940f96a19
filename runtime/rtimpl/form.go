package rtimpl

import (
	"errors"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/connectorgen/connectorgen/runtime"
)

// FormEncoding is one property's entry in a form body's encoding map
// (OpenAPI 3.1 §4.8.15): the style and explode used to serialize it.
type FormEncoding struct {
	Style   Style
	Explode bool
}

// SetFormBodyEncoded sets an application/x-www-form-urlencoded body from v
// (a struct or map, turned into members through encoding/json), honouring
// the spec's encoding map per top-level property (OpenAPI 3.1 §4.8.14.4).
// A property without an entry uses the default, form with explode:
// arrays repeat the name (tags=a&tags=b) and an object's members become
// pairs of their own. deepObject uses brackets, arrays indexed
// (address[city]=x, expand[0]=y: Stripe's convention); form without
// explode, spaceDelimited and pipeDelimited join values. Values nested
// deeper than the style defines use brackets. Names and values are
// percent-encoded; members are in name order. Encoding errors surface
// from Client.Do.
func SetFormBodyEncoded(r *runtime.Request, v any, enc map[string]FormEncoding) {
	b := builder(r)
	b.Body = func() (io.Reader, string, error) {
		s, err := encodeFormWith(v, enc)
		if err != nil {
			return nil, "", err
		}
		return strings.NewReader(s), "application/x-www-form-urlencoded", nil
	}
}

func encodeFormWith(v any, enc map[string]FormEncoding) (string, error) {
	obj, err := formObject(v)
	if err != nil {
		return "", err
	}
	var pairs []string
	emit := func(name, value string) { pairs = append(pairs, queryPair(name, value)) }
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		e, ok := enc[name]
		if !ok {
			e = FormEncoding{Style: StyleForm, Explode: true}
		}
		formProperty(name, obj[name], e, emit)
	}
	return strings.Join(pairs, "&"), nil
}

// formProperty serializes one top-level member in its style.
func formProperty(name string, val any, e FormEncoding, emit func(name, value string)) {
	switch x := val.(type) {
	case nil:
	case map[string]any:
		switch {
		case e.Style == StyleDeepObject:
			flatten(name, x, emit)
		case e.Explode:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				flatten(k, x[k], emit)
			}
		default:
			emit(name, strings.Join(objectPairs(x), ","))
		}
	case []any:
		switch {
		case e.Style == StyleDeepObject:
			flatten(name, x, emit)
		case e.Style == StyleSpaceDelimited || e.Style == StylePipeDelimited || !e.Explode:
			emit(name, strings.Join(scalarTexts(x), styleJoin(e.Style)))
		default:
			for _, item := range x {
				if _, nested := item.(map[string]any); nested {
					flatten(name, []any{item}, emit)
					continue
				}
				if item != nil {
					emit(name, genericText(item))
				}
			}
		}
	default:
		emit(name, genericText(x))
	}
}

func scalarTexts(items []any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it != nil {
			out = append(out, genericText(it))
		}
	}
	return out
}

func styleJoin(s Style) string {
	switch s {
	case StyleSpaceDelimited:
		return " "
	case StylePipeDelimited:
		return "|"
	}
	return ","
}

// formObject turns a form body value into its members through
// encoding/json; a value that is not an object is an error.
func formObject(v any) (map[string]any, error) {
	g, err := toGeneric(v)
	if err != nil {
		return nil, err
	}
	obj, ok := g.(map[string]any)
	if !ok && g != nil {
		return nil, errors.New("form body must encode to a JSON object")
	}
	return obj, nil
}
