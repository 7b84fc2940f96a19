package conformance

import (
	"reflect"
	"testing"

	"github.com/connectorgen/connectorgen/generator/ir"
)

// TestSweepRawBody: a raw request body whose schema is a `format: byte`
// string is sent as base64 (Prism refuses anything else: "Request body must
// match format byte", Xero accounting's attachments), through a $ref too;
// other raw bodies get the fixed bytes.
func TestSweepRawBody(t *testing.T) {
	doc := map[string]any{
		"paths": map[string]any{
			"/a": map[string]any{"put": map[string]any{"requestBody": map[string]any{"content": map[string]any{
				"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "format": "byte"}},
			}}}},
			"/b": map[string]any{"put": map[string]any{"requestBody": map[string]any{"content": map[string]any{
				"application/octet-stream": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Bytes"}},
			}}}},
			"/c": map[string]any{"put": map[string]any{"requestBody": map[string]any{"content": map[string]any{
				"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
			}}}},
		},
		"components": map[string]any{"schemas": map[string]any{"Bytes": map[string]any{"type": "string", "format": "byte"}}},
	}
	g := &swValues{doc: doc}
	for _, tc := range []struct{ path, want string }{
		{"/a", "Ynl0ZXM="},
		{"/b", "Ynl0ZXM="},
		{"/c", "bytes"},
	} {
		b := &ir.Body{MediaType: "application/octet-stream", Kind: ir.BodyBinary}
		b.Source = "#/paths/~1" + tc.path[1:] + "/put/requestBody"
		if got := g.raw(b, "bytes"); got != tc.want {
			t.Errorf("raw body of %s = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestSweepMergedAllOf: the IR names a property of a merged allOf by the
// pointer it would have in the merged schema; the value generator finds it
// in the allOf member (its example, its format), and sends a member the
// schema requires but does not declare (Postmark's TemplateId) in the
// type's undeclared members when it keeps them.
func TestSweepMergedAllOf(t *testing.T) {
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"Client": map[string]any{"type": "object", "properties": map[string]any{
			"redirect_uri": map[string]any{"type": "string", "format": "url", "example": "https://example.org/cb"},
			"home":         map[string]any{"type": "string", "format": "url"},
		}},
		"Body": map[string]any{
			"allOf":    []any{map[string]any{"$ref": "#/components/schemas/Client"}, map[string]any{"required": []any{"redirect_uri", "home", "TemplateId"}}},
			"required": []any{"label"},
		},
	}}}
	g := &swValues{doc: doc}
	str := func(src string) *ir.Type { return &ir.Type{Kind: ir.String, Source: src} }
	const body = "#/components/schemas/Body"
	typ := &ir.Type{Kind: ir.Object, Source: body, Extra: &ir.Type{Kind: ir.Any}, Fields: []*ir.Field{
		{JSONName: "redirect_uri", Required: true, Type: str(body + "/properties/redirect_uri"), Source: body + "/properties/redirect_uri"},
		{JSONName: "home", Required: true, Type: str(body + "/properties/home"), Source: body + "/properties/home"},
	}}
	got := g.value(typ, 0)
	want := map[string]any{"redirect_uri": "https://example.org/cb", "home": "https://example.com/a", "TemplateId": "abc", "label": "abc"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("value = %v, want %v", got, want)
	}
	typ.Extra = nil // additionalProperties: false: nothing undeclared is sent
	if m := g.value(typ, 0).(map[string]any); len(m) != 2 {
		t.Errorf("value without Extra = %v, want the two declared members", m)
	}
}
