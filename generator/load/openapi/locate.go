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
	if !l.parsed {
		l.parsed = true
		var doc yaml.Node
		if yaml.Unmarshal(l.data, &doc) == nil && len(doc.Content) > 0 {
			l.root = doc.Content[0]
		}
	}
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
