package prismtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Mockable writes into dir a copy of a spec that Prism 5.14.2 can load,
// and returns its path. Prism dereferences every $ref before serving, and
// on densely cross-linked schemas (Stripe's) that never finishes
// (measured: over 30 minutes). The copy keeps everything outside the
// schemas section (components/schemas, or Swagger 2.0's definitions)
// exactly as it is, keeps the schemas that part references, and replaces
// each $ref inside those schemas by an empty schema. Where parameters and
// request bodies carry no $ref (Stripe's), Prism validates requests
// exactly as against the full spec; only its generated responses are
// shallower. The copy is YAML, named mockable-<name>.yaml.
func Mockable(src, dir string) (string, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	return MockableData(src, data, dir)
}

// MockableData is Mockable for a spec already read (and perhaps repaired
// of characters YAML refuses) from the file named name. Its copy also has
// the $refs Localize neutralizes neutralized.
func MockableData(name string, data []byte, dir string) (string, error) {
	src := name
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	if len(doc.Content) == 0 {
		return "", fmt.Errorf("%s: empty document", src)
	}
	neutralize(doc.Content[0], inSpec)
	root := doc.Content[0]
	schemas, prefix := lookup(root, "components", "schemas"), "#/components/schemas/"
	if schemas == nil {
		schemas, prefix = lookup(root, "definitions"), "#/definitions/"
	}
	if schemas == nil {
		return "", fmt.Errorf("%s: no components/schemas or definitions", src)
	}
	keep := map[string]bool{}
	outside := schemas.Content
	schemas.Content = nil // hide the schemas while collecting the other $refs
	for _, ref := range refs(root) {
		if name, ok := strings.CutPrefix(ref, prefix); ok {
			keep[unescapePointer(name)] = true
		}
	}
	schemas.Content = outside
	var kept []*yaml.Node
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		if keep[schemas.Content[i].Value] {
			flattenRefs(schemas.Content[i+1])
			kept = append(kept, schemas.Content[i], schemas.Content[i+1])
		}
	}
	schemas.Content = kept
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	path := filepath.Join(dir, "mockable-"+base+".yaml")
	return path, os.WriteFile(path, out, 0o644)
}

// Localize returns the path of a copy of the spec (read from the file
// named name) that Prism can serve without leaving the machine, or "" when
// the spec itself can be served. Prism resolves every "$ref" member it
// finds, even inside example values, where it is data (GitHub's SCIM
// examples hold "$ref": "https://api.github.com/..."): it then downloads
// the URL, or exits when a local pointer does not resolve (Personio). The
// copy renames such members, and every $ref that is not a local pointer,
// to x-unresolved-ref; it is YAML, named localized-<name>.yaml. n counts
// the members renamed.
func Localize(name string, data []byte, dir string) (path string, n int, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", 0, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return "", 0, nil
	}
	n = neutralize(doc.Content[0], inSpec)
	if n == 0 {
		return "", 0, nil
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", 0, err
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	path = filepath.Join(dir, "localized-"+base+".yaml")
	return path, n, os.WriteFile(path, out, 0o644)
}

// unresolvedRef is what neutralize renames "$ref" members to.
const unresolvedRef = "x-unresolved-ref"

// Where neutralize is: what the mapping or sequence it looks at is.
const (
	inSpec     = iota // OpenAPI structure
	inExamples        // the map of a media type's or parameter's "examples": Example objects
	inExample         // an Example object: its "value" is data
	inData            // an example value
)

// neutralize renames the $ref members below n that are data (inside an
// example value: under a member "example", the "value" of an Example
// object, or a 3.1 schema's "examples" array) or not a local pointer, and
// returns how many.
func neutralize(n *yaml.Node, where int) int {
	count := 0
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "$ref" && v.Kind == yaml.ScalarNode && (where == inData || !strings.HasPrefix(v.Value, "#")) {
				k.Value = unresolvedRef
				count++
				continue
			}
			next := inSpec
			switch {
			case where == inData:
				next = inData
			case where == inExamples:
				next = inExample
			case where == inExample && k.Value == "value", k.Value == "example":
				next = inData
			case k.Value == "examples" && v.Kind == yaml.SequenceNode:
				next = inData
			case k.Value == "examples" && v.Kind == yaml.MappingNode:
				next = inExamples
			}
			count += neutralize(v, next)
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			count += neutralize(c, where)
		}
	}
	return count
}

// unescapePointer decodes a JSON pointer token (RFC 6901 §4).
func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// lookup walks mapping keys from n.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		var next *yaml.Node
		for i := 0; n != nil && n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// refs lists every $ref value below n.
func refs(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	var out []string
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "$ref" {
				out = append(out, n.Content[i+1].Value)
			}
		}
	}
	for _, c := range n.Content {
		out = append(out, refs(c)...)
	}
	return out
}

// flattenRefs replaces every {$ref: ...} mapping below n by {}.
func flattenRefs(n *yaml.Node) {
	for _, c := range n.Content {
		if c.Kind == yaml.MappingNode && lookup(c, "$ref") != nil {
			c.Content = nil
			continue
		}
		flattenRefs(c)
	}
}
