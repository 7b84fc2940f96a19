package prismtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
// what Localize changes changed.
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
	relabelWildcards(doc.Content[0])
	boundFaker(doc.Content[0])
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
	quoteMultiline(&doc)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	path := filepath.Join(dir, "mockable-"+base+".yaml")
	return path, os.WriteFile(path, out, 0o644)
}

// Localize returns the path of a copy of the spec (read from the file
// named name) that Prism 5.14.2 can serve without leaving the machine and
// without failing on the spec's media types or on its recursive schemas
// ("" for an empty document). It makes two kinds of change, and counts
// each:
//
//   - refs: Prism resolves every "$ref" member it finds, even inside
//     example values, where it is data (GitHub's SCIM examples hold
//     "$ref": "https://api.github.com/..."): it then downloads the URL, or
//     exits when a local pointer does not resolve (Personio). The copy
//     renames such members, and every $ref that is not a local pointer, to
//     x-unresolved-ref.
//   - media: Prism cannot answer with a response declared under the media
//     range "*/*" (every DocuSign and Bungie operation): it has no
//     serializer for it, and refuses "Accept: application/json" for it as
//     406. The copy declares such content "application/json" (and a
//     Swagger 2.0 produces list's "*/*" likewise), which is what a
//     connector decodes a schema declared under "*/*" as. And a Swagger 2.0
//     operation with formData parameters but no form media type in its
//     consumes (GitLab v3) gets the form consumes the connector sends its
//     fields in (formConsumes). And a request body declared under an XML
//     media type with a schema that is not a string (AWS SQS's text/xml
//     bodies, 37 operations) is declared a string (xmlText): Prism
//     reads every request body that is not JSON as text, and so refuses
//     any XML against an object schema ("Request body must be object"); it
//     does not parse XML. Prism then still checks the rest of the request
//     (path, query, headers, media type). Likewise a text/xml response,
//     which Prism cannot serialize from an object. media counts all of
//     these.
//
// And it bounds Prism's dynamic-mode generator (boundFaker, FakerOptions):
// json-schema-faker, as Prism configures it, fills every optional member
// and gives arrays up to five items, which on recursive schemas (Keycloak's
// RealmRepresentation, Xero accounting's Invoice and Payment) runs for
// minutes and exhausts Node's heap. So a copy is always written, even
// when refs and media are 0.
//
// The copy is YAML, named localized-<name>.yaml.
func Localize(name string, data []byte, dir string) (path string, refs, media int, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", 0, 0, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return "", 0, 0, nil
	}
	refs = neutralize(doc.Content[0], inSpec)
	media = relabelWildcards(doc.Content[0]) + formConsumes(doc.Content[0]) + xmlText(doc.Content[0]) +
		framingHeaders(doc.Content[0]) + defaultProduces(doc.Content[0])
	boundFaker(doc.Content[0])
	quoteMultiline(&doc)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", 0, 0, err
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	path = filepath.Join(dir, "localized-"+base+".yaml")
	return path, refs, media, os.WriteFile(path, out, 0o644)
}

// quoteMultiline gives every multi-line string scalar below n the
// double-quoted style. yaml.v3 writes a block scalar whose text begins
// with a newline or a space with an indentation indicator (|4) that,
// inside a sequence item, does not match the indentation it writes, and
// the copy does not parse (Bitbucket's parameter descriptions: "expected <block
// end>, but found '<scalar>'"); a double-quoted string has no such
// indicator.
func quoteMultiline(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "") && strings.Contains(n.Value, "\n") {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		quoteMultiline(c)
	}
}

// FakerOptions are the json-schema-faker options the copies Localize and
// MockableData write set, under the root extension x-json-schema-faker
// (which Prism 5.14.2 reads at start, prism-cli extensions.js, and applies
// over its own defaults: alwaysFakeOptionals, refDepthMax 3, arrays of 0 to
// 5 items). maxItems 1 gives every generated array one item (fewer when
// the schema says so): with every optional member filled, arrays of
// several items of a recursive schema multiply at each level. Measured on
// Keycloak's GET /{realm}, Prism dynamic: with the defaults no answer
// within 90 s, then Node out of heap; maxItems 2 and refDepthMax 2, no
// answer within 60 s; maxItems 1, 0.7 s and 29 kB. A spec's own
// x-json-schema-faker settings win.
var FakerOptions = []struct {
	Name  string
	Value int
}{{"maxItems", 1}}

// fakerExtension is the root member Prism reads json-schema-faker options
// from.
const fakerExtension = "x-json-schema-faker"

// boundFaker sets FakerOptions in root's x-json-schema-faker member (added
// when absent), leaving options the spec sets itself, and returns how many
// it set.
func boundFaker(root *yaml.Node) int {
	if root.Kind != yaml.MappingNode {
		return 0
	}
	ext := lookup(root, fakerExtension)
	if ext == nil || ext.Kind != yaml.MappingNode {
		if ext != nil {
			return 0 // not a map: the spec's own, left as it is
		}
		ext = &yaml.Node{Kind: yaml.MappingNode}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: fakerExtension}, ext)
	}
	count := 0
	for _, o := range FakerOptions {
		if lookup(ext, o.Name) != nil {
			continue
		}
		ext.Content = append(ext.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: o.Name},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(o.Value)})
		count++
	}
	return count
}

// formConsumes gives a Swagger 2.0 operation that declares formData
// parameters (its own, its path item's, or shared ones by $ref) but whose
// `consumes` (its own, else the document's) lists no form media type the
// `consumes` the connector sends such fields in: multipart/form-data when
// one is a file, else application/x-www-form-urlencoded (Swagger 2.0 allows
// formData in those two only; the generator warns and does the same,
// generator/load/openapi/swagger2.go). Prism's own conversion drops such a
// body and answers 415 to a form (GitLab v3 lists application/json). It
// returns how many operations it changed.
func formConsumes(root *yaml.Node) int {
	if root.Kind != yaml.MappingNode || lookup(root, "swagger") == nil {
		return 0
	}
	shared := lookup(root, "parameters")
	form := func(params *yaml.Node) (isForm, file bool) {
		if params == nil || params.Kind != yaml.SequenceNode {
			return false, false
		}
		for _, p := range params.Content {
			if ref := lookup(p, "$ref"); ref != nil && shared != nil {
				if name, ok := strings.CutPrefix(ref.Value, "#/parameters/"); ok {
					p = lookup(shared, name)
				}
			}
			if p == nil || p.Kind != yaml.MappingNode {
				continue
			}
			if in := lookup(p, "in"); in != nil && in.Value == "formData" {
				isForm = true
				if t := lookup(p, "type"); t != nil && t.Value == "file" {
					file = true
				}
			}
		}
		return isForm, file
	}
	hasForm := func(consumes *yaml.Node) bool {
		if consumes == nil || consumes.Kind != yaml.SequenceNode {
			return false
		}
		return slices.ContainsFunc(consumes.Content, func(c *yaml.Node) bool {
			mt := strings.ToLower(strings.TrimSpace(strings.Split(c.Value, ";")[0]))
			return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
		})
	}
	docConsumes := lookup(root, "consumes")
	paths := lookup(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return 0
	}
	count := 0
	for i := 1; i < len(paths.Content); i += 2 {
		item := paths.Content[i]
		if item.Kind != yaml.MappingNode {
			continue
		}
		pathForm, pathFile := form(lookup(item, "parameters"))
		for j := 0; j+1 < len(item.Content); j += 2 {
			switch item.Content[j].Value {
			case "get", "put", "post", "delete", "options", "head", "patch":
			default:
				continue
			}
			op := item.Content[j+1]
			if op.Kind != yaml.MappingNode {
				continue
			}
			isForm, file := form(lookup(op, "parameters"))
			isForm, file = isForm || pathForm, file || pathFile
			consumes := lookup(op, "consumes")
			if consumes == nil {
				consumes = docConsumes
			}
			if !isForm || hasForm(consumes) {
				continue
			}
			mt := "application/x-www-form-urlencoded"
			if file {
				mt = "multipart/form-data"
			}
			seq := &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: mt}}}
			if own := lookup(op, "consumes"); own != nil {
				*own = *seq
			} else {
				op.Content = append(op.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "consumes"}, seq)
			}
			count++
		}
	}
	return count
}

// defaultProduces declares `produces: [application/json]` at the root of a
// Swagger 2.0 document that has no root `produces`, and returns 1 when it
// did. Operations' own produces still apply.
func defaultProduces(root *yaml.Node) int {
	if root.Kind != yaml.MappingNode || lookup(root, "swagger") == nil || lookup(root, "produces") != nil {
		return 0
	}
	root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "produces"},
		&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "application/json"}}})
	return 1
}

// framing lists, lower-cased, the HTTP header fields that describe how a
// message is framed or encoded on a connection (RFC 9112 §6, RFC 9110
// §7.6.1, §8.4, §8.6): the server sets them, they carry no API data.
var framing = map[string]bool{"transfer-encoding": true, "content-encoding": true, "content-length": true,
	"connection": true, "keep-alive": true, "upgrade": true, "te": true, "trailer": true}

// framingHeaders deletes the framing headers from the headers every
// response declares (paths' operations, components/responses, Swagger
// 2.0's top-level responses) and returns how many it deleted.
func framingHeaders(root *yaml.Node) int {
	count := 0
	fromResponses := func(responses *yaml.Node) {
		if responses == nil || responses.Kind != yaml.MappingNode {
			return
		}
		for i := 1; i < len(responses.Content); i += 2 {
			headers := lookup(responses.Content[i], "headers")
			if headers == nil || headers.Kind != yaml.MappingNode {
				continue
			}
			kept := headers.Content[:0]
			for j := 0; j+1 < len(headers.Content); j += 2 {
				if framing[strings.ToLower(headers.Content[j].Value)] {
					count++
					continue
				}
				kept = append(kept, headers.Content[j], headers.Content[j+1])
			}
			headers.Content = kept
		}
	}
	fromResponses(lookup(root, "components", "responses"))
	fromResponses(lookup(root, "responses"))
	if paths := lookup(root, "paths"); paths != nil && paths.Kind == yaml.MappingNode {
		for i := 1; i < len(paths.Content); i += 2 {
			item := paths.Content[i]
			for j := 0; item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
				fromResponses(lookup(item.Content[j+1], "responses"))
			}
		}
	}
	return count
}

// xmlText declares as `type: string` the schema of every OpenAPI 3 request
// body content (in operations and components/requestBodies) under an XML
// media type (application/xml, text/xml, +xml), and of every response
// content (in operations and components/responses) under text/xml, whose
// schema is not already a string, and returns how many it changed.
// Prism 5.14.2 reads a non-JSON request body as text (prism-http-server
// parseRequestBody) and validates that text against the schema; and it
// serializes an object as XML for application/xml and +xml only, so a
// text/xml response with an object schema fails with "Cannot serialise
// complex objects as text" (AWS SQS, 14 operations). A connector returns
// an XML response as its bytes (io.ReadCloser), whatever they hold.
func xmlText(root *yaml.Node) int {
	mediaType := func(mt string) string {
		return strings.ToLower(strings.TrimSpace(strings.Split(mt, ";")[0]))
	}
	isXML := func(mt string) bool {
		mt = mediaType(mt)
		return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
	}
	isTextXML := func(mt string) bool { return mediaType(mt) == "text/xml" }
	fix := func(body *yaml.Node, match func(string) bool) int {
		content := lookup(body, "content")
		if content == nil || content.Kind != yaml.MappingNode {
			return 0
		}
		count := 0
		for i := 0; i+1 < len(content.Content); i += 2 {
			if !match(content.Content[i].Value) {
				continue
			}
			schema := lookup(content.Content[i+1], "schema")
			if schema == nil || schema.Kind != yaml.MappingNode {
				continue
			}
			if t := lookup(schema, "type"); t != nil && t.Value == "string" && lookup(schema, "$ref") == nil {
				continue
			}
			*schema = yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "type"}, {Kind: yaml.ScalarNode, Value: "string"}}}
			// The examples are objects too, which Prism would still
			// serve: without them it answers a string from the schema.
			media := content.Content[i+1]
			kept := media.Content[:0]
			for j := 0; j+1 < len(media.Content); j += 2 {
				if k := media.Content[j].Value; k != "example" && k != "examples" {
					kept = append(kept, media.Content[j], media.Content[j+1])
				}
			}
			media.Content = kept
			count++
		}
		return count
	}
	fixResponses := func(responses *yaml.Node) int {
		count := 0
		for i := 1; responses != nil && responses.Kind == yaml.MappingNode && i < len(responses.Content); i += 2 {
			if lookup(responses.Content[i], "$ref") == nil {
				count += fix(responses.Content[i], isTextXML)
			}
		}
		return count
	}
	count := 0
	if bodies := lookup(root, "components", "requestBodies"); bodies != nil && bodies.Kind == yaml.MappingNode {
		for i := 1; i < len(bodies.Content); i += 2 {
			count += fix(bodies.Content[i], isXML)
		}
	}
	count += fixResponses(lookup(root, "components", "responses"))
	paths := lookup(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return count
	}
	for i := 1; i < len(paths.Content); i += 2 {
		item := paths.Content[i]
		for j := 0; item.Kind == yaml.MappingNode && j+1 < len(item.Content); j += 2 {
			if body := lookup(item.Content[j+1], "requestBody"); body != nil && lookup(body, "$ref") == nil {
				count += fix(body, isXML)
			}
			count += fixResponses(lookup(item.Content[j+1], "responses"))
		}
	}
	return count
}

// wildcardMedia is the media range Prism cannot serve, and jsonMedia what
// relabelWildcards declares in its place.
const (
	wildcardMedia = "*/*"
	jsonMedia     = "application/json"
)

// relabelWildcards declares as application/json every response content
// below n (OpenAPI 3: a "responses" map's response objects, in operations
// and in components) listed under "*/*" with a schema, unless the response
// also lists application/json; and replaces "*/*" in every Swagger 2.0
// "produces" list that does not already hold application/json. Example
// values are not entered. It returns how many it changed.
func relabelWildcards(n *yaml.Node) int {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.SequenceNode || n.Kind == yaml.DocumentNode {
			count := 0
			for _, c := range n.Content {
				count += relabelWildcards(c)
			}
			return count
		}
		return 0
	}
	count := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "example", "examples":
			continue
		case "responses":
			if v.Kind == yaml.MappingNode {
				for j := 1; j < len(v.Content); j += 2 {
					content := lookup(v.Content[j], "content")
					if content == nil || content.Kind != yaml.MappingNode || lookup(content, jsonMedia) != nil {
						continue
					}
					for m := 0; m+1 < len(content.Content); m += 2 {
						if content.Content[m].Value == wildcardMedia && lookup(content.Content[m+1], "schema") != nil {
							content.Content[m].Value = jsonMedia
							count++
						}
					}
				}
			}
		case "produces":
			if v.Kind == yaml.SequenceNode && !slices.ContainsFunc(v.Content, func(c *yaml.Node) bool { return c.Value == jsonMedia }) {
				for _, c := range v.Content {
					if c.Kind == yaml.ScalarNode && c.Value == wildcardMedia {
						c.Value = jsonMedia
						count++
					}
				}
			}
			continue
		}
		count += relabelWildcards(v)
	}
	return count
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

// Acyclic writes into dir a copy of the spec copy at src (one Localize or
// MockableData wrote) in which no schema reaches itself: each $ref from a
// schema of components/schemas (Swagger 2.0: definitions) to a schema that
// refers back to it, directly or through others (a back edge of a
// depth-first walk in document order), is replaced by a schema of the
// target's type with no members ({type: object}, {type: array}, else {}).
// It returns the copy's path and how many $refs it replaced.
//
// Prism 5.14.2 resolves a recursive schema into a $ref to the first place
// it was resolved ("#/paths/~1BatchPayments/get/responses/200/..."), which
// json-schema-faker, given the response schema alone, cannot follow: in
// dynamic mode it answers 500 "Prop not found: paths" (Xero accounting, 28
// operations). In the copy a cycle's second turn is an empty object, so
// Prism validates requests and generates responses to one turn of each
// cycle. The copy is YAML, named acyclic-<name>.yaml.
func Acyclic(src, dir string) (path string, replaced int, err error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return "", 0, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", 0, fmt.Errorf("%s: %w", src, err)
	}
	if len(doc.Content) == 0 {
		return "", 0, fmt.Errorf("%s: empty document", src)
	}
	root := doc.Content[0]
	schemas, prefix := lookup(root, "components", "schemas"), "#/components/schemas/"
	if schemas == nil {
		schemas, prefix = lookup(root, "definitions"), "#/definitions/"
	}
	if schemas != nil && schemas.Kind == yaml.MappingNode {
		replaced = breakCycles(schemas, prefix)
	}
	quoteMultiline(&doc)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", 0, err
	}
	base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	path = filepath.Join(dir, "acyclic-"+base+".yaml")
	return path, replaced, os.WriteFile(path, out, 0o644)
}

// breakCycles replaces the back edges among the named schemas (see
// Acyclic) and returns how many it replaced. The walk keeps its own stack,
// so a long chain of schemas cannot exhaust the goroutine's.
func breakCycles(schemas *yaml.Node, prefix string) int {
	byName := map[string]*yaml.Node{}
	var names []string
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		name := schemas.Content[i].Value
		if _, dup := byName[name]; !dup {
			names = append(names, name)
		}
		byName[name] = schemas.Content[i+1]
	}
	// The $ref mappings below each schema, in document order.
	edges := func(n *yaml.Node) []*yaml.Node {
		var out []*yaml.Node
		var walk func(*yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode && lookup(n, "$ref") != nil {
				out = append(out, n)
				return
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(n)
		return out
	}
	target := func(ref *yaml.Node) string {
		name, ok := strings.CutPrefix(lookup(ref, "$ref").Value, prefix)
		if !ok {
			return ""
		}
		return unescapePointer(name)
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	replaced := 0
	type frame struct {
		name  string
		refs  []*yaml.Node
		index int
	}
	for _, start := range names {
		if color[start] != white {
			continue
		}
		color[start] = grey
		stack := []*frame{{name: start, refs: edges(byName[start])}}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			if top.index == len(top.refs) {
				color[top.name] = black
				stack = stack[:len(stack)-1]
				continue
			}
			ref := top.refs[top.index]
			top.index++
			next := target(ref)
			body, ok := byName[next]
			switch {
			case !ok:
			case color[next] == grey:
				*ref = *emptyOfType(body)
				replaced++
			case color[next] == white:
				color[next] = grey
				stack = append(stack, &frame{name: next, refs: edges(body)})
			}
		}
	}
	return replaced
}

// emptyOfType is a schema of schema's type (object when it has
// properties) with no members.
func emptyOfType(schema *yaml.Node) *yaml.Node {
	kind := ""
	if t := lookup(schema, "type"); t != nil && t.Kind == yaml.ScalarNode {
		kind = t.Value
	} else if lookup(schema, "properties") != nil {
		kind = "object"
	}
	if kind != "object" && kind != "array" {
		return &yaml.Node{Kind: yaml.MappingNode}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "type"}, {Kind: yaml.ScalarNode, Value: kind}}}
}
