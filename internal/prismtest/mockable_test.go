package prismtest

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestLocalizeWildcardResponses: a response declared under "*/*" is what
// Prism 5.14.2 cannot serve (500 "Cannot serialise complex objects as
// text", or 406 for Accept: application/json); the localized copy
// declares it application/json, in operations and in components, leaves
// a response already listing application/json and example data alone, and
// Prism then answers with the spec's example.
func TestLocalizeWildcardResponses(t *testing.T) {
	data, err := os.ReadFile("testdata/wildcard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, refs, media, err := Localize("testdata/wildcard.yaml", data, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if path == "" || refs != 0 || media != 2 {
		t.Fatalf("Localize = %q, %d refs, %d media; want a copy, 0 refs, 2 media", path, refs, media)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	at := func(keys ...string) any {
		var v any = doc
		for _, k := range keys {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	if at("paths", "/things/{id}", "get", "responses", "200", "content", "application/json", "schema") == nil {
		t.Errorf("operation response not relabelled:\n%s", out)
	}
	if at("components", "responses", "NotFound", "content", "application/json", "schema") == nil {
		t.Errorf("component response not relabelled:\n%s", out)
	}
	if at("paths", "/both", "get", "responses", "200", "content", "*/*") == nil {
		t.Errorf("a response already listing application/json was changed:\n%s", out)
	}
	example := at("paths", "/things/{id}", "get", "responses", "200", "content", "application/json", "example")
	if b, _ := json.Marshal(example); !strings.Contains(string(b), `"*/*":{"schema":{}}`) || !strings.Contains(string(b), `"*/*":"kept"`) {
		t.Errorf("example data changed: %s", b)
	}

	base := Start(t, path)
	for _, accept := range []string{"", "application/json"} {
		req := base + "/things/t1"
		code, hdr, body := doAccept(t, req, accept)
		if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") || !strings.Contains(body, `"id":"t1"`) {
			t.Errorf("GET %s (Accept %q): %d %s %s; want 200 with the example as JSON", req, accept, code, hdr.Get("Content-Type"), body)
		}
	}
}

// TestLocalizeFormConsumes: a Swagger 2.0 operation with formData
// parameters whose consumes lists no form media type (GitLab v3's
// application/json) gets the consumes the connector sends its fields in,
// form or multipart (a file); others are left alone; Prism then accepts a
// form where it answered 415.
func TestLocalizeFormConsumes(t *testing.T) {
	data, err := os.ReadFile("testdata/formdata.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, _, media, err := Localize("testdata/formdata.yaml", data, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if path == "" || media != 2 {
		t.Fatalf("Localize = %q, %d changed; want a copy, 2 operations", path, media)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Consumes []string `yaml:"consumes"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, method, want string }{
		{"/settings", "put", "application/x-www-form-urlencoded"}, // through a shared $ref parameter too
		{"/avatar", "post", "multipart/form-data"},
		{"/already", "post", "application/x-www-form-urlencoded"},
		{"/json", "post", ""},
	} {
		got := strings.Join(doc.Paths[tc.path][tc.method].Consumes, ",")
		if got != tc.want {
			t.Errorf("%s %s consumes %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}

	base := Start(t, path)
	req, _ := http.NewRequest(http.MethodPut, base+"/settings", strings.NewReader("visibility=10&note=hi"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("PUT /settings as a form: %d (violations %q), want 200", resp.StatusCode, resp.Header.Get("sl-violations"))
	}
}

// TestLocalizeBoundsFaker: the copy sets json-schema-faker's maxItems
// (x-json-schema-faker, which Prism reads at start), keeps a value the spec
// sets itself, and Prism's dynamic mode then answers a recursive schema
// with arrays of one item, where on the spec as written it gives several.
func TestLocalizeBoundsFaker(t *testing.T) {
	data, err := os.ReadFile("testdata/recursive.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, refs, media, err := Localize("testdata/recursive.yaml", data, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if path == "" || refs != 0 || media != 0 {
		t.Fatalf("Localize = %q, %d refs, %d media; want a copy, 0, 0", path, refs, media)
	}
	faker := func(doc []byte) map[string]any {
		var d map[string]any
		if err := yaml.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		m, _ := d["x-json-schema-faker"].(map[string]any)
		return m
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := faker(out); got["maxItems"] != 1 {
		t.Errorf("x-json-schema-faker = %v, want maxItems 1", got)
	}
	own := append(append([]byte{}, data...), "x-json-schema-faker:\n  maxItems: 3\n  refDepthMax: 2\n"...)
	ownPath, _, _, err := Localize("own.yaml", own, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, _ = os.ReadFile(ownPath)
	if got := faker(out); got["maxItems"] != 3 || got["refDepthMax"] != 2 {
		t.Errorf("the spec's own x-json-schema-faker changed: %v", got)
	}

	// longest is the most items of any array in v.
	var longest func(v any) int
	longest = func(v any) int {
		n := 0
		switch x := v.(type) {
		case []any:
			n = len(x)
			for _, e := range x {
				n = max(n, longest(e))
			}
		case map[string]any:
			for _, e := range x {
				n = max(n, longest(e))
			}
		}
		return n
	}
	tree := func(spec string) int {
		base := Start(t, spec, "-d", "--seed", "1")
		code, _, body := doAccept(t, base+"/tree", "application/json")
		var v any
		if err := json.Unmarshal([]byte(body), &v); code != 200 || err != nil {
			t.Fatalf("GET /tree on %s: %d %v %s", spec, code, err, body)
		}
		return longest(v)
	}
	if n := tree("testdata/recursive.yaml"); n < 2 {
		t.Errorf("Prism dynamic on the spec as written: arrays of at most %d items, want several (else the test shows nothing)", n)
	}
	if n := tree(path); n != 1 {
		t.Errorf("Prism dynamic on the copy: arrays of at most %d items, want 1", n)
	}
}

// TestLocalizeXMLText: Prism reads a request body that is not JSON as
// text, so it refuses any XML body against an object schema (AWS SQS's
// text/xml bodies: 422 "Request body must be object"), and it cannot
// serialize an object as text/xml (500 "Cannot serialise complex objects
// as text"); the copy declares such schemas strings, leaves JSON bodies
// alone, and Prism then accepts the XML and answers.
func TestLocalizeXMLText(t *testing.T) {
	data, err := os.ReadFile("testdata/xmlbody.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, _, media, err := Localize("testdata/xmlbody.yaml", data, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if path == "" || media != 2 {
		t.Fatalf("Localize = %q, %d media; want a copy, 1 body and 1 response", path, media)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	schema := func(p, mt string) any {
		v := any(doc)
		for _, k := range []string{"paths", p, "post", "requestBody", "content", mt, "schema"} {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	if got := schema("/queue", "text/xml"); !reflect.DeepEqual(got, map[string]any{"type": "string"}) {
		t.Errorf("XML body schema = %v, want type string", got)
	}
	if got := schema("/json", "application/json"); !reflect.DeepEqual(got, map[string]any{"$ref": "#/components/schemas/SendRequest"}) {
		t.Errorf("JSON body schema changed: %v", got)
	}
	const xml = "<SendRequest><MessageBody>hi</MessageBody></SendRequest>"
	original, local := Start(t, "testdata/xmlbody.yaml"), Start(t, path)
	if code, _, _ := do(t, "POST", original+"/queue", "", "text/xml", xml); code != 422 {
		t.Errorf("Prism on the spec as written: %d to an XML body, want 422 (else the test shows nothing)", code)
	}
	if code, _, _ := do(t, "GET", original+"/receive", "", "", ""); code != 500 {
		t.Errorf("Prism on the spec as written: %d to GET /receive, want 500 (else the test shows nothing)", code)
	}
	if code, hdr, body := do(t, "POST", local+"/queue", "", "text/xml", xml); code != 200 {
		t.Errorf("Prism on the copy: %d %s %s, want 200", code, hdr.Get("sl-violations"), body)
	}
	if code, hdr, body := do(t, "GET", local+"/receive", "", "", ""); code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/xml") {
		t.Errorf("Prism on the copy: GET /receive: %d %s %s, want 200 text/xml", code, hdr.Get("Content-Type"), body)
	}
}

// TestLocalizeBlockScalars: the copy of a spec with a literal block scalar
// that begins with a blank line, in a sequence item (Bitbucket's parameter
// descriptions), parses, with the same text: yaml.v3 writes such a scalar with an indentation indicator
// that does not match its indentation, which Prism then refused to load
// ("expected a single document in the stream"), so multi-line strings are
// written double-quoted; and Prism loads the copy.
func TestLocalizeBlockScalars(t *testing.T) {
	data, err := os.ReadFile("testdata/blockscalar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, _, _, err := Localize("testdata/blockscalar.yaml", data, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Description string } `yaml:"parameters"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("the copy does not parse: %v\n%s", err, out)
	}
	if got, want := doc.Paths["/repos"]["get"].Parameters[0].Description, "\nFilters by role.\n\n* **member**: read access\n"; got != want {
		t.Errorf("description = %q, want %q\n%s", got, want, out)
	}
	base := Start(t, path)
	if code, _, body := doAccept(t, base+"/repos?role=member", ""); code != 200 {
		t.Errorf("GET /repos on the copy: %d %s", code, body)
	}
}

// A declared framing header (Notion's Transfer-Encoding and
// Content-Encoding) is dropped from the copy: Prism sends it as declared,
// and the HTTP client cannot read such a message; other declared headers
// stay.
func TestLocalizeFramingHeaders(t *testing.T) {
	data, err := os.ReadFile("testdata/framing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, _, media, err := Localize("testdata/framing.yaml", data, t.TempDir())
	if err != nil || media != 2 {
		t.Fatalf("Localize = %q, %d media, %v; want 2 headers dropped", path, media, err)
	}
	get := func(base string) (*http.Response, error) {
		resp, err := http.Get(base + "/blocks/b1")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		return resp, err
	}
	if _, err := get(Start(t, "testdata/framing.yaml")); err == nil {
		t.Error("the spec as written answers readably (else the test shows nothing)")
	}
	resp, err := get(Start(t, path))
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("X-Request-Id") != "req_1" {
		t.Fatalf("the copy: %v, %v; want 200 with X-Request-Id", resp, err)
	}
}

// A Swagger 2.0 spec without produces (eBay buy-browse): Prism answers
// its object responses as text/plain with an empty body; the copy
// declares application/json at the root, what the connector reads.
func TestLocalizeDefaultProduces(t *testing.T) {
	data, err := os.ReadFile("testdata/noproduces.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path, _, media, err := Localize("testdata/noproduces.yaml", data, t.TempDir())
	if err != nil || media != 1 {
		t.Fatalf("Localize = %q, %d media, %v; want produces added", path, media, err)
	}
	if code, hdr, body := do(t, "GET", Start(t, "testdata/noproduces.yaml")+"/item", "", "", ""); code != 200 || body != "" {
		t.Errorf("Prism on the spec as written: %d %q %q; want 200 and an empty body (else the test shows nothing)", code, hdr.Get("Content-Type"), body)
	}
	code, hdr, body := do(t, "GET", Start(t, path)+"/item", "", "", "")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") || !strings.Contains(body, `"id"`) {
		t.Errorf("Prism on the copy: %d %q %q; want the JSON object", code, hdr.Get("Content-Type"), body)
	}
}

// TestAcyclic: Prism's dynamic mode answers 500 "Prop not found: paths"
// on a cut of Xero accounting's recursive schemas; on the Acyclic copy,
// whose schemas reach none of themselves, it answers the response
// schema's shape.
func TestAcyclic(t *testing.T) {
	path, replaced, err := Acyclic("testdata/xero-cycles.yaml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	// No schema of the copy reaches itself.
	refsOf := func(v any) []string {
		var out []string
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if r, ok := v["$ref"].(string); ok {
					out = append(out, strings.TrimPrefix(r, "#/components/schemas/"))
				}
				for _, c := range v {
					walk(c)
				}
			case []any:
				for _, c := range v {
					walk(c)
				}
			}
		}
		walk(v)
		return out
	}
	for name := range doc.Components.Schemas {
		seen := map[string]bool{}
		todo := refsOf(doc.Components.Schemas[name])
		for len(todo) > 0 {
			next := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if next == name {
				t.Fatalf("schema %s still reaches itself in the copy", name)
			}
			if !seen[next] {
				seen[next] = true
				todo = append(todo, refsOf(doc.Components.Schemas[next])...)
			}
		}
	}
	if replaced == 0 {
		t.Fatal("Acyclic replaced no $ref")
	}

	get := func(spec string) (int, string) {
		code, _, body := do(t, "GET", Start(t, spec, "-d", "--seed", "1")+"/BatchPayments", "", "", "")
		return code, body
	}
	if code, body := get("testdata/xero-cycles.yaml"); code != 500 || !strings.Contains(body, "Prop not found") {
		t.Errorf("Prism dynamic on the spec as written: %d %.200s, want 500 Prop not found (else the test shows nothing)", code, body)
	}
	code, body := get(path)
	var got struct {
		BatchPayments []map[string]any
	}
	if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil || len(got.BatchPayments) == 0 {
		t.Errorf("Prism dynamic on the copy: %d %.300s (%v), want 200 with BatchPayments", code, body, err)
	}
}
