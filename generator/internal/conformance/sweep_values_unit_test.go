package conformance

import (
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
