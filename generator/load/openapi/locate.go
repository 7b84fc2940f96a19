package openapi

import (
	"strconv"

	"github.com/connectorgen/connectorgen/generator/diag"
	"gopkg.in/yaml.v3"
)

// locator maps JSON pointers to line and column in the spec's text. It
// parses the text once, on first use: only specs with diagnostics pay.
type locator struct {
	data   []byte
	root   *yaml.Node
	parsed bool
}

// pos returns the position of the deepest node on the pointer's path, so
// a pointer into a converted or synthesized part still lands nearby.
func (l *locator) pos(ptr string) (line, col int) {
	l.parse()
	n := l.root
	if n == nil {
		return 0, 0
	}
	for _, tok := range diag.Tokens(ptr) {
		next := child(n, tok)
		if next == nil {
			break
		}
		n = next
	}
	return n.Line, n.Column
}

// refPos returns the position of the first "$ref: target" in the text, so
// an unresolvable reference is reported where it is written.
func (l *locator) refPos(target string) (line, col int, ok bool) {
	l.parse()
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n == nil {
			return false
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k, v := n.Content[i], n.Content[i+1]; k.Value == "$ref" && v.Value == target {
					line, col = v.Line, v.Column
					return true
				}
			}
		}
		for _, c := range n.Content {
			if walk(c) {
				return true
			}
		}
		return false
	}
	ok = walk(l.root)
	return line, col, ok
}

func (l *locator) parse() {
	if !l.parsed {
		l.parsed = true
		var doc yaml.Node
		if yaml.Unmarshal(l.data, &doc) == nil && len(doc.Content) > 0 {
			l.root = doc.Content[0]
		}
	}
}

// child returns the value node under key tok of a mapping, or element tok of
// a sequence; for a mapping it points at the key, which is where a reader
// looks.
func child(n *yaml.Node, tok string) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				v := n.Content[i+1]
				if v.Kind == yaml.ScalarNode {
					return n.Content[i]
				}
				return &yaml.Node{Kind: v.Kind, Content: v.Content, Alias: v.Alias, Line: n.Content[i].Line, Column: n.Content[i].Column}
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// Locate fills in the file of diagnostics found after loading (by the
// names pass, say) that carry a JSON pointer into the spec text data, and
// their line and column where not known, as Load does for its own; it
// returns them sorted.
func Locate(file string, data []byte, diags diag.List) diag.List {
	return positioned(file, &locator{data: data}, diags)
}
