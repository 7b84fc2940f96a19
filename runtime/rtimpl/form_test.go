package rtimpl

import (
	"io"
	"net/url"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

func formBody(t *testing.T, v any, enc map[string]FormEncoding) url.Values {
	t.Helper()
	r := runtime.NewRequest(&runtime.Operation{ID: "op", Method: "POST", Path: "/"}, "/")
	SetFormBodyEncoded(r, v, enc)
	rd, ct, err := builder(r).Body()
	if err != nil || ct != "application/x-www-form-urlencoded" {
		t.Fatalf("body: %v %q", err, ct)
	}
	b, _ := io.ReadAll(rd)
	vals, err := url.ParseQuery(string(b))
	if err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return vals
}

func TestFormEncodingDefaultsToExplodedForm(t *testing.T) {
	type body struct {
		Name  string            `json:"name"`
		Tags  []string          `json:"tags"`
		Point map[string]int    `json:"point"`
		Meta  map[string]string `json:"meta,omitempty"`
	}
	got := formBody(t, body{Name: "a b", Tags: []string{"x", "y"}, Point: map[string]int{"x": 1, "y": 2}}, nil)
	want := url.Values{"name": {"a b"}, "tags": {"x", "y"}, "x": {"1"}, "y": {"2"}}
	if got.Encode() != want.Encode() {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestFormEncodingStyles(t *testing.T) {
	v := map[string]any{
		"expand":   []string{"a", "b"},
		"metadata": map[string]string{"k": "v"},
		"items":    []map[string]any{{"price": "p1", "qty": 2}},
		"ids":      []int{1, 2},
		"pipes":    []string{"a", "b"},
		"obj":      map[string]int{"r": 1, "g": 2},
	}
	deep := FormEncoding{Style: StyleDeepObject, Explode: true}
	got := formBody(t, v, map[string]FormEncoding{
		"expand": deep, "metadata": deep, "items": deep,
		"ids":   {Style: StyleForm, Explode: false},
		"pipes": {Style: StylePipeDelimited},
		"obj":   {Style: StyleForm, Explode: false},
	})
	want := url.Values{
		"expand[0]": {"a"}, "expand[1]": {"b"}, "metadata[k]": {"v"},
		"items[0][price]": {"p1"}, "items[0][qty]": {"2"},
		"ids": {"1,2"}, "pipes": {"a|b"}, "obj": {"g,2,r,1"},
	}
	if got.Encode() != want.Encode() {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
