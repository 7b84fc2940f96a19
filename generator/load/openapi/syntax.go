package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"gopkg.in/yaml.v3"
)

// MaxDepth is the deepest nesting of mappings and sequences (JSON objects
// and arrays) a spec may have: the root mapping is depth 1, so a schema
// nested in a property of a component schema
// (#/components/schemas/A/properties/b) sits at depth 6. Real specs stay
// below 50; each level of a nested inline schema costs two (its mapping
// and its properties mapping), so 3,000 allows schemas nested about 1,500
// deep. The limit is checked on the text before any parser runs:
// encoding/json and yaml.v3 stop at 10,000 with errors that name no place
// (and the version sniffing then reported no version at all), every later
// stage recurses along the nesting, and kin-openapi decodes each nested
// schema's text again (time grows with the square of the depth: schemas
// 1,600 deep take about 3.5 s of CPU to load).
const MaxDepth = 3000

// checkSyntax reads the text for what no later stage should see: JSON
// that is not valid JSON (reported at its line and column, where the YAML
// parser kin-openapi uses would name a nearby line or nothing), and
// nesting deeper than MaxDepth (at the place the limit is crossed). Text
// is JSON when its first byte after a byte order mark and white space is
// '{' or '['; anything else is YAML. It runs in time linear in the text.
func checkSyntax(data []byte) (diag.Diagnostic, bool) {
	text := bytes.TrimPrefix(data, []byte("\uFEFF"))
	bom := len(data) - len(text)
	if trimmed := bytes.TrimLeft(text, " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if off, ok := jsonTooDeep(data); !ok {
			return depthError(data, off), false
		}
		var raw json.RawMessage
		err := json.Unmarshal(text, &raw)
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			off := bom + max(int(syn.Offset)-1, 0) // the byte the decoder stopped at
			if strings.Contains(syn.Error(), "end of JSON input") {
				off = len(data) // after the last byte
			}
			line, col := lineCol(data, off)
			return diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{Line: line, Col: col}, Pointer: "#",
				Message: "invalid JSON: " + syn.Error()}, false
		}
		return diag.Diagnostic{}, true
	}
	if yamlMayBeTooDeep(text) {
		if d, ok := yamlDepth(data); !ok {
			return d, false
		}
	}
	return diag.Diagnostic{}, true
}

// jsonTooDeep scans JSON text for the first '{' or '[' outside a string
// that opens a level beyond MaxDepth, returning its offset and false.
func jsonTooDeep(data []byte) (int, bool) {
	depth := 0
	inString, escaped := false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > MaxDepth {
				return i, false
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return 0, true
}

// yamlMayBeTooDeep estimates, line by line, how deep block YAML nests: the
// indentation levels open at a line, plus its leading "- " and "? "
// indicators, plus the flow collections ("{", "[") open there. It errs
// high (block scalars and brackets in plain text count), never low for the
// ways YAML nests, so that only text it flags pays for an exact reading.
func yamlMayBeTooDeep(text []byte) bool {
	var indents []int
	flow := 0
	for line := range bytes.Lines(text) {
		body := bytes.TrimLeft(line, " ")
		n := len(line) - len(body)
		if t := bytes.TrimSpace(body); len(t) == 0 || t[0] == '#' {
			continue
		}
		if flow == 0 {
			for len(indents) > 0 && indents[len(indents)-1] >= n {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, n)
		}
		dashes := 0
		for len(body) >= 2 && (body[0] == '-' || body[0] == '?') && (body[1] == ' ' || body[1] == '\t') {
			dashes++
			body = bytes.TrimLeft(body[2:], " \t")
		}
		maxFlow := flow
		quote := byte(0)
	scan:
		for i, c := range body {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '#' && (i == 0 || body[i-1] == ' ' || body[i-1] == '\t'):
				break scan // a comment
			case c == '{' || c == '[':
				flow++
				maxFlow = max(maxFlow, flow)
			case c == '}' || c == ']':
				flow = max(flow-1, 0)
			}
		}
		if len(indents)+dashes+maxFlow+1 > MaxDepth {
			return true
		}
	}
	return false
}

// yamlDepth reads YAML exactly (with yaml.v3, which nests up to 10,000)
// and reports the first node deeper than MaxDepth, in document order.
func yamlDepth(data []byte) (diag.Diagnostic, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if strings.Contains(err.Error(), "exceeded max depth") {
			return diag.Diagnostic{Severity: diag.Error, Pointer: "#",
				Message: fmt.Sprintf("nesting too deep (limit %d): %s", MaxDepth, err)}, false
		}
		return diag.Diagnostic{}, true // the parser proper reports it
	}
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{&doc, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d := it.depth
		if it.n.Kind == yaml.MappingNode || it.n.Kind == yaml.SequenceNode {
			d++
			if d > MaxDepth {
				return diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{Line: it.n.Line, Col: it.n.Column}, Pointer: "#",
					Message: fmt.Sprintf("nesting too deep (limit %d levels of mappings and sequences)", MaxDepth)}, false
			}
		}
		for i := len(it.n.Content) - 1; i >= 0; i-- {
			stack = append(stack, item{it.n.Content[i], d})
		}
	}
	return diag.Diagnostic{}, true
}

// depthError reports the JSON nesting limit crossed at byte off.
func depthError(data []byte, off int) diag.Diagnostic {
	line, col := lineCol(data, off)
	return diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{Line: line, Col: col}, Pointer: "#",
		Message: fmt.Sprintf("nesting too deep (limit %d levels of objects and arrays)", MaxDepth)}
}

// lineCol returns the 1-based line and column (in bytes) of offset off.
func lineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
