package prismtest

import (
	"encoding/json"
	"os"
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
