package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// JSON text is read as JSON: a syntax error is reported at the line and
// column where the decoder stopped, not as a missing version (one-line
// JSON) or as a YAML error on a nearby line.
func TestInvalidJSON(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"trailing comma, one line", `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},}`,
			"spec.json:1:66: #: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"missing comma", "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {}\n  \"info\": {}\n}\n",
			"spec.json:4:3: #: invalid JSON: invalid character '\"' after object key:value pair"},
		{"truncated", "\uFEFF{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {",
			"spec.json:3:13: #: invalid JSON: unexpected end of JSON input"},
		{"trailing text", "{\"openapi\": \"3.0.3\"}\n}",
			"spec.json:2:1: #: invalid JSON: invalid character '}' after top-level value"},
		{"array", "[1, 2,]", "spec.json:1:7: #: invalid JSON: invalid character ']' looking for beginning of value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api, diags := Load(context.Background(), "spec.json", []byte(c.text))
			if api != nil || len(diags) != 1 || diags[0].String() != c.want {
				t.Errorf("got %v\nwant %s", diags, c.want)
			}
		})
	}
}

// deepSchema nests an inline object schema levels deep in a component
// schema, as JSON: two levels of objects per schema level.
func deepSchema(levels int) string {
	return `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},"components":{"schemas":{"A":` +
		strings.Repeat(`{"type":"object","properties":{"a":`, levels) + `{"type":"string"}` +
		strings.Repeat(`}}`, levels) + `}}}`
}

// Nesting beyond MaxDepth is an error at the place the limit is crossed,
// in JSON and in YAML (block, compact sequences and flow), before any
// parser recurses into it; nesting at the limit loads.
func TestNestingTooDeep(t *testing.T) {
	head := "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nx-deep:\n"
	block := func(n int) string { // n nested mappings under x-deep, one line each
		var b strings.Builder
		b.WriteString(head)
		for i := range n {
			fmt.Fprintf(&b, "%sa:\n", strings.Repeat(" ", i+1))
		}
		return b.String()
	}
	cases := []struct {
		name, text string
		line       int
	}{
		{"json", deepSchema(MaxDepth / 2), 1},
		{"yaml block", block(MaxDepth), MaxDepth + 4},
		{"yaml compact sequences", head + " " + strings.Repeat("- ", MaxDepth) + "x\n", 5},
		{"yaml flow", head + " " + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + "\n", 5},
		{"yaml flow beyond yaml.v3's limit", head + " " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "\n", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api, diags := Load(context.Background(), "spec", []byte(c.text))
			if api != nil || len(diags) != 1 || !strings.Contains(diags[0].Message, "nesting too deep") || diags[0].Pos.Line != c.line {
				t.Errorf("got %.300v, want one nesting error on line %d", diags, c.line)
			}
		})
	}
	if api, diags := Load(context.Background(), "spec", []byte(block(MaxDepth-3))); api == nil || diags.HasErrors() {
		t.Errorf("nesting at the limit: %.300v", diags)
	}
}

// A version written as a number (YAML's plain 2.0 is a float) is an error
// at the version key saying how to write it, where kin-openapi's decoder
// named neither.
func TestVersionIsNumber(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"yaml swagger", "swagger: 2.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
			`spec:1:1: #/swagger: the swagger version must be a string ("2.0"), not the number 2.0`},
		{"yaml openapi, comment", "info: {title: x, version: '1'}\nopenapi: 3.1 # latest\npaths: {}\n",
			`spec:2:1: #/openapi: the openapi version must be a string ("3.1"), not the number 3.1`},
		{"json", `{"info": {"title": "x", "version": "1"}, "openapi": 3.0, "paths": {}}`,
			`spec:1:42: #/openapi: the openapi version must be a string ("3.0"), not the number 3.0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api, diags := Load(context.Background(), "spec", []byte(c.text))
			if api != nil || len(diags) != 1 || diags[0].String() != c.want {
				t.Errorf("got %v\nwant %s", diags, c.want)
			}
		})
	}
	for _, text := range []string{"openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n"} {
		if api, diags := Load(context.Background(), "spec", []byte(text)); api == nil {
			t.Errorf("%q: %v", text, diags)
		}
	}
}

// FuzzCheckSyntax: for any text, checkSyntax does not panic; JSON text is
// accepted exactly when encoding/json accepts it (below the depth limit),
// and a rejection has a line and column within the text.
func FuzzCheckSyntax(f *testing.F) {
	for _, s := range []string{`{"openapi":"3.0.3"}`, `{"a":[1,2,}`, "\uFEFF[\n\"x\\\"\"]", "openapi: 3.0.3\na: [b, {c: d}]\n", "- - [x]\n", `{"a":"\u00`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, ok := checkSyntax(data)
		text := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n")
		if len(text) == 0 || text[0] != '{' && text[0] != '[' {
			return
		}
		if valid := json.Valid(text); ok != valid && !strings.Contains(d.Message, "nesting too deep") {
			t.Fatalf("checkSyntax ok=%v, json.Valid=%v: %v", ok, valid, d)
		}
		if !ok {
			lines := bytes.Count(data, []byte("\n")) + 1
			if d.Pos.Line < 1 || d.Pos.Line > lines || d.Pos.Col < 1 {
				t.Fatalf("position %d:%d outside the text (%d lines): %v", d.Pos.Line, d.Pos.Col, lines, d)
			}
		}
	})
}
