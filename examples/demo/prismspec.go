package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// mockableSpec writes a copy of a large spec that Prism 5.14.2 can load,
// and returns its path. Prism dereferences every $ref before serving, and on
// Stripe's densely cross-linked schemas that never finishes (measured: over
// 30 minutes). The copy keeps paths exactly as they are, keeps the component
// schemas that paths reference, and replaces each $ref inside those schemas
// by an empty schema. Stripe has no $ref in its parameters or request
// bodies, so Prism validates requests exactly as against the full spec;
// only its generated responses are shallower.
func mockableSpec(src, dir string) (string, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	root := doc.Content[0]
	schemas := lookup(root, "components", "schemas")
	if schemas == nil {
		return "", fmt.Errorf("%s: no components/schemas", src)
	}
	keep := map[string]bool{}
	for _, ref := range refs(lookup(root, "paths")) {
		if name, ok := strings.CutPrefix(ref, "#/components/schemas/"); ok {
			keep[name] = true
		}
	}
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
	path := filepath.Join(dir, "mockable-"+filepath.Base(src))
	return path, os.WriteFile(path, out, 0o644)
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
