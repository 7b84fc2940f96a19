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
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	if len(doc.Content) == 0 {
		return "", fmt.Errorf("%s: empty document", src)
	}
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
	name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	path := filepath.Join(dir, "mockable-"+name+".yaml")
	return path, os.WriteFile(path, out, 0o644)
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
