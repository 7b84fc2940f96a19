package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
)

// Two schema shapes real specs carry that kin-openapi refuses to load,
// stopping generation for one schema:
//
//   - items holding an array, the tuple form of JSON Schema draft 4
//     (`items: [{type: string}, {type: integer}]`), which neither Swagger
//     2.0 nor OpenAPI 3.0 has (3.1 spells it prefixItems);
//   - a $ref in a schema's place that names a Parameter, Response or
//     other non-schema object (`schema: {$ref: '#/components/parameters/Limit'}`).
//
// mendShapes replaces each by a free-form schema ({}), with a warning at
// its pointer, in the JSON text before it is parsed. Values under
// example, examples, default, enum, const and x- extensions are data and
// left alone. Text without either shape is returned as is.
func mendShapes(data []byte) ([]byte, diag.List) {
	if !tupleItemsRE.Match(data) && !nonSchemaRefRE.Match(data) {
		return data, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return data, nil // the parser reports it
	}
	m := &mender{}
	m.walk(doc, "#", "", "")
	if len(m.diags) == 0 {
		return data, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(doc) != nil {
		return data, nil
	}
	return buf.Bytes(), m.diags
}

var (
	tupleItemsRE   = regexp.MustCompile(`"items"\s*:\s*\[`)
	nonSchemaRefRE = regexp.MustCompile(`"\$ref"\s*:\s*"#/(components/)?(parameters|responses|requestBodies|headers|examples|links|callbacks|securitySchemes|securityDefinitions)/`)
)

type mender struct{ diags diag.List }

func (m *mender) warn(ptr, format string, args ...any) {
	m.diags = append(m.diags, diag.Diagnostic{Severity: diag.Warning, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// dataKeys hold values, not schemas or other spec objects.
var dataKeys = map[string]bool{"example": true, "examples": true, "default": true, "enum": true, "const": true}

// schemaKeys are the keys whose value is one schema, and schemaMaps
// those whose members or elements are schemas.
var (
	schemaKeys = map[string]bool{"schema": true, "items": true, "additionalProperties": true, "not": true}
	schemaMaps = map[string]bool{"properties": true, "patternProperties": true, "definitions": true, "schemas": true,
		"allOf": true, "oneOf": true, "anyOf": true}
)

// walk visits v at ptr, the value of key in a container that is itself
// the value of parentKey.
func (m *mender) walk(v any, ptr, key, parentKey string) {
	switch x := v.(type) {
	case map[string]any:
		if items, ok := x["items"].([]any); ok { // a schema's or a Swagger 2.0 parameter's
			m.warn(ptr+"/items", "items is an array of %d schemas (the tuple form of JSON Schema draft 4, which OpenAPI does not have); the items are free-form", len(items))
			x["items"] = map[string]any{}
		}
		for _, k := range sortedKeys(x) {
			if (dataKeys[k] || strings.HasPrefix(k, "x-")) && !schemaMaps[key] {
				continue
			}
			c := x[k]
			cptr := ptr + "/" + diag.EscapeToken(k)
			if m.nonSchemaRef(c, cptr, k, key) {
				x[k] = map[string]any{}
				continue
			}
			m.walk(c, cptr, k, key)
		}
	case []any:
		for i, c := range x {
			cptr := ptr + "/" + strconv.Itoa(i)
			if m.nonSchemaRef(c, cptr, strconv.Itoa(i), key) {
				x[i] = map[string]any{}
				continue
			}
			m.walk(c, cptr, strconv.Itoa(i), key)
		}
	}
}

// schemaPlace reports whether the value of key, in a container that is
// the value of parentKey, is a schema.
func schemaPlace(key, parentKey string) bool {
	return schemaKeys[key] || schemaMaps[parentKey]
}

// nonSchemaRef reports, and warns about, a $ref object in a schema's
// place whose target is a whole Parameter, Response or other non-schema
// object.
func (m *mender) nonSchemaRef(v any, ptr, key, parentKey string) bool {
	obj, ok := v.(map[string]any)
	if !ok || !schemaPlace(key, parentKey) {
		return false
	}
	ref, ok := obj["$ref"].(string)
	if !ok {
		return false
	}
	toks := diag.Tokens(ref)
	if !strings.HasPrefix(ref, "#/") {
		return false
	}
	what := ""
	switch {
	case len(toks) == 3 && toks[0] == "components":
		what = map[string]string{"parameters": "a Parameter", "responses": "a Response", "requestBodies": "a Request Body",
			"headers": "a Header", "examples": "an Example", "links": "a Link", "callbacks": "a Callback",
			"securitySchemes": "a Security Scheme"}[toks[1]]
	case len(toks) == 2:
		what = map[string]string{"parameters": "a Parameter", "responses": "a Response", "securityDefinitions": "a Security Scheme"}[toks[0]]
	}
	if what == "" {
		return false
	}
	m.warn(ptr, "$ref %q in a schema's place names %s object, not a schema; the value is free-form", ref, what)
	return true
}
