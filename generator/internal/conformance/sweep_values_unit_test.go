package conformance

import (
	"encoding/json"
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

// TestSweepRequiredBesideRef: a `required` beside the body schema's $ref
// (which OpenAPI 3.0 and the loader ignore, and Prism applies) is honoured
// (DigitalOcean's add_load_balancer_droplets); an undeclared required member
// goes into a JSON body but not into a form one, whose undeclared members
// Prism drops (Box's post_oauth2_revoke); an optional deepObject query
// parameter with required members is sent (Apideck's sort).
func TestSweepRequiredBesideRef(t *testing.T) {
	const ids = "#/components/schemas/Ids"
	doc := map[string]any{
		"components": map[string]any{"schemas": map[string]any{
			"Ids": map[string]any{"type": "object", "properties": map[string]any{
				"droplet_ids": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "example": []any{json.Number("7")}},
			}},
			"Revoke": map[string]any{"type": "object", "required": []any{"grant_type"}, "properties": map[string]any{"token": map[string]any{"type": "string"}}},
		}},
		"paths": map[string]any{
			"/lb": map[string]any{"post": map[string]any{"requestBody": map[string]any{"content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": ids, "required": []any{"droplet_ids"}}},
			}}}},
			"/revoke": map[string]any{"post": map[string]any{"requestBody": map[string]any{"content": map[string]any{
				"application/x-www-form-urlencoded": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Revoke"}},
				"application/json":                  map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Revoke"}},
			}}}},
		},
	}
	g := &swValues{doc: doc}
	idsType := &ir.Type{Kind: ir.Object, Source: ids, Fields: []*ir.Field{{JSONName: "droplet_ids", Source: ids + "/properties/droplet_ids",
		Type: &ir.Type{Kind: ir.Array, Source: ids + "/properties/droplet_ids", Elem: &ir.Type{Kind: ir.Int}}}}}
	got := g.body(&ir.Body{MediaType: "application/json", Kind: ir.BodyJSON, Type: idsType, Source: "#/paths/~1lb/post/requestBody"})
	if b, _ := json.Marshal(got); string(b) != `{"droplet_ids":[7]}` {
		t.Errorf("body beside $ref = %s, want droplet_ids", b)
	}

	revoke := &ir.Type{Kind: ir.Object, Source: "#/components/schemas/Revoke", Extra: &ir.Type{Kind: ir.Any},
		Fields: []*ir.Field{{JSONName: "token", Type: &ir.Type{Kind: ir.String}}}}
	for _, tc := range []struct {
		media string
		kind  ir.BodyKind
		want  string
	}{
		{"application/json", ir.BodyJSON, `{"grant_type":"abc"}`},
		{"application/x-www-form-urlencoded", ir.BodyForm, `{}`},
	} {
		got := g.body(&ir.Body{MediaType: tc.media, Kind: tc.kind, Type: revoke, Source: "#/paths/~1revoke/post/requestBody"})
		if b, _ := json.Marshal(got); string(b) != tc.want {
			t.Errorf("%s body = %s, want %s", tc.media, b, tc.want)
		}
	}

	sort := &ir.Type{Kind: ir.Object, Fields: []*ir.Field{{JSONName: "by", Required: true, Type: &ir.Type{Kind: ir.String}}}}
	for _, tc := range []struct {
		p    *ir.Param
		want bool
	}{
		{&ir.Param{Name: "sort", In: "query", Style: "deepObject", Type: sort}, true},
		{&ir.Param{Name: "sort", In: "query", Style: "form", Type: sort}, false},
		{&ir.Param{Name: "page", In: "query", Style: "deepObject", Type: &ir.Type{Kind: ir.Object, Fields: []*ir.Field{{JSONName: "n", Type: &ir.Type{Kind: ir.Int}}}}}, false},
	} {
		if got := g.sendOptional(tc.p); got != tc.want {
			t.Errorf("sendOptional(%s %s) = %v, want %v", tc.p.Style, tc.p.Name, got, tc.want)
		}
	}
}

// TestSweepChoices: an example string that does not have the shape of the
// format the spec gives (and the IR does not keep) is not used (Twilio's
// Url "myUrl" of format uri); a oneOf whose first variant's value would
// match several variants takes a later one that matches once (GitHub's
// workflow_id, oneOf [integer, string], where a parameter's 1 is also
// "1"); an anyOf of bare required lists gets the first list's members
// (GitHub's gists/update).
func TestSweepChoices(t *testing.T) {
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"Stream": map[string]any{"type": "object", "required": []any{"Url"}, "properties": map[string]any{
			"Url": map[string]any{"type": "string", "format": "uri", "example": "myUrl"},
		}},
		"Gist": map[string]any{"type": "object", "anyOf": []any{
			map[string]any{"required": []any{"description"}}, map[string]any{"required": []any{"files"}},
		}, "properties": map[string]any{
			"description": map[string]any{"type": "string", "example": "Example"},
			"files":       map[string]any{"type": "object"},
		}},
	}}}
	g := &swValues{doc: doc}
	const stream, gist = "#/components/schemas/Stream", "#/components/schemas/Gist"
	url := &ir.Type{Kind: ir.String, Source: stream + "/properties/Url"}
	st := &ir.Type{Kind: ir.Object, Source: stream, Fields: []*ir.Field{{JSONName: "Url", Required: true, Type: url}}}
	if got := g.value(st, 0); !reflect.DeepEqual(got, map[string]any{"Url": "https://example.com/a"}) {
		t.Errorf("Url = %v, want a uri, not the example myUrl", got)
	}

	workflow := &ir.Type{Kind: ir.Union, Variants: []*ir.Variant{
		{Type: &ir.Type{Kind: ir.Int}}, {Type: &ir.Type{Kind: ir.String}},
	}}
	if got := g.param(&ir.Param{Name: "workflow_id", In: "path", Required: true, Type: workflow}); got != "abc" {
		t.Errorf("oneOf [integer, string] path parameter = %v, want a string that is no number", got)
	}
	workflow.AnyOf = true
	if got := g.param(&ir.Param{Name: "workflow_id", In: "path", Required: true, Type: workflow}); got != int64(1) {
		t.Errorf("anyOf [integer, string] parameter = %#v, want the first variant", got)
	}

	gt := &ir.Type{Kind: ir.Object, Source: gist, Fields: []*ir.Field{
		{JSONName: "description", Type: &ir.Type{Kind: ir.String, Source: gist + "/properties/description"}},
		{JSONName: "files", Type: &ir.Type{Kind: ir.Object}},
	}}
	if got := g.value(gt, 0); !reflect.DeepEqual(got, map[string]any{"description": "Example"}) {
		t.Errorf("gist = %v, want the first anyOf required list's member", got)
	}
}

// TestSweepFormDeepObject: Prism builds a form body's deepObject member
// from the schema, every object property an object whether sent or not,
// and checks their required members; so an optional deepObject member
// whose object (or an object inside it) has required members is sent,
// with those members, and one without any is not (Stripe's
// automatic_payment_methods: {enabled}); in a JSON body nothing changes.
func TestSweepFormDeepObject(t *testing.T) {
	g := &swValues{doc: map[string]any{}}
	boolean := &ir.Type{Kind: ir.Bool}
	apm := &ir.Type{Kind: ir.Object, Fields: []*ir.Field{{JSONName: "enabled", Required: true, Type: boolean}}}
	outer := &ir.Type{Kind: ir.Object, Fields: []*ir.Field{{JSONName: "inner", Type: apm}, {JSONName: "note", Type: &ir.Type{Kind: ir.String}}}}
	meta := &ir.Type{Kind: ir.Object, Fields: []*ir.Field{{JSONName: "key", Type: &ir.Type{Kind: ir.String}}}}
	body := &ir.Type{Kind: ir.Object, Fields: []*ir.Field{
		{JSONName: "amount", Required: true, Type: &ir.Type{Kind: ir.Int}},
		{JSONName: "automatic_payment_methods", Type: apm},
		{JSONName: "outer", Type: outer},
		{JSONName: "metadata", Type: meta},
	}}
	deep := ir.Encoding{Style: "deepObject", Explode: true}
	enc := map[string]ir.Encoding{"automatic_payment_methods": deep, "outer": deep, "metadata": deep}
	got := g.body(&ir.Body{MediaType: "application/x-www-form-urlencoded", Kind: ir.BodyForm, Type: body, Encoding: enc})
	if b, _ := json.Marshal(got); string(b) != `{"amount":1,"automatic_payment_methods":{"enabled":true},"outer":{"inner":{"enabled":true}}}` {
		t.Errorf("form body = %s", b)
	}
	got = g.body(&ir.Body{MediaType: "application/json", Kind: ir.BodyJSON, Type: body})
	if b, _ := json.Marshal(got); string(b) != `{"amount":1}` {
		t.Errorf("JSON body = %s, want the required member only", b)
	}
}

// TestSweepLiteralKeys: an operation whose paths key holds a fragment is
// sent to Prism by its key written out only when no key without the
// fragment has its method (Prism routes keys literally).
func TestSweepLiteralKeys(t *testing.T) {
	op := func(source, method string) *ir.Operation { return &ir.Operation{Source: source, Method: method} }
	sqs := op("#/paths/~1#Action=AddPermission/post", "POST")
	queue := op("#/paths/~1{AccountNumber}~1{QueueName}~1#Action=UntagQueue/get", "GET")
	boxPlain := op("#/paths/~1files~1{file_id}/put", "PUT")
	boxShared := op("#/paths/~1files~1{file_id}#add_shared_link/put", "PUT")
	boxOther := op("#/paths/~1files~1{file_id}#remove/delete", "DELETE")
	plain := op("#/paths/~1pets/get", "GET")
	got := swLiteralKeys(&ir.API{Operations: []*ir.Operation{sqs, queue, boxPlain, boxShared, boxOther, plain}})
	want := map[*ir.Operation]string{sqs: "%23Action=AddPermission", queue: "%23Action=UntagQueue", boxOther: "%23remove"}
	if len(got) != len(want) {
		t.Errorf("swLiteralKeys gave %d operations, want %d: %v", len(got), len(want), got)
	}
	for o, w := range want {
		if got[o] != w {
			t.Errorf("%s: suffix %q, want %q", o.Source, got[o], w)
		}
	}
}
