package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// OpenAPI 3.0 and 3.1 are YAML 1.2 (OpenAPI 3.1 §4.3.1: "the YAML 1.2 core
// schema"); the parsers kin-openapi uses read YAML 1.1 in two ways that
// change a spec's meaning or refuse it:
//
//   - U+0085, U+2028 and U+2029 are line breaks in YAML 1.1 but ordinary
//     characters in YAML 1.2 (§5.4), so such a character inside a block
//     scalar (bunq's descriptions) ended the scalar and broke the load.
//   - Plain scalars resolve as YAML 1.1 numbers: a key 18_24 was the
//     integer 1824, 0b101 was 5, 010 was 8. Under the core schema (§10.3.2)
//     18_24 and 0b101 are strings and 010 is 10.
//
// yamlToJSON reads YAML text itself with yaml.v3's parser (its node tree
// has the text of every scalar as written) and writes the JSON the YAML
// 1.2 core schema gives, which kin-openapi then reads as JSON. Mapping
// keys are always the key's text as written: JSON keys are strings, and
// an OpenAPI key (a path, a status code, a property name) is a name. The
// node tree is returned too, for locating diagnostics in the YAML text.
func yamlToJSON(data []byte) ([]byte, *yaml.Node, error) {
	text, restore := protectBreaks(data)
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, nil, err
	}
	w := &jsonWriter{restore: restore, limit: 16*len(data) + 1<<20}
	if root.Kind == 0 {
		return []byte("null"), &root, nil
	}
	if err := w.node(&root); err != nil {
		return nil, nil, err
	}
	return w.buf.Bytes(), &root, nil
}

// protectBreaks replaces U+0085, U+2028 and U+2029, which yaml.v3 takes for
// line breaks, by private-use characters the text does not hold (same
// line count), and returns the replacer that puts them back in scalars.
func protectBreaks(data []byte) ([]byte, *strings.Replacer) {
	var pairs []string
	next := rune(0xF0000) // supplementary private use area A
	for _, r := range []rune{0x85, 0x2028, 0x2029} {
		if !bytes.ContainsRune(data, r) {
			continue
		}
		for bytes.ContainsRune(data, next) {
			next++
		}
		data = bytes.ReplaceAll(data, utf8.AppendRune(nil, r), utf8.AppendRune(nil, next))
		pairs = append(pairs, string(next), string(r))
		next++
	}
	if pairs == nil {
		return data, nil
	}
	return data, strings.NewReplacer(pairs...)
}

// jsonWriter writes a yaml.v3 node tree as JSON.
type jsonWriter struct {
	buf     bytes.Buffer
	restore *strings.Replacer
	// limit bounds the output: aliases can expand a small text
	// exponentially ("billion laughs").
	limit int
}

func (w *jsonWriter) text(s string) string {
	if w.restore != nil {
		return w.restore.Replace(s)
	}
	return s
}

func (w *jsonWriter) node(n *yaml.Node) error {
	if w.buf.Len() > w.limit {
		return fmt.Errorf("yaml: line %d: aliases expand the document beyond %d bytes", n.Line, w.limit)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			w.buf.WriteString("null")
			return nil
		}
		return w.node(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return fmt.Errorf("yaml: line %d: unknown anchor %q referenced", n.Line, n.Value)
		}
		return w.node(n.Alias)
	case yaml.SequenceNode:
		w.buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			if err := w.node(c); err != nil {
				return err
			}
		}
		w.buf.WriteByte(']')
		return nil
	case yaml.MappingNode:
		return w.mapping(n)
	}
	w.scalar(n)
	return nil
}

// mapping writes a mapping with its merge keys ("<<: *base") applied: the
// mapping's own keys win, then earlier merged mappings over later ones.
func (w *jsonWriter) mapping(n *yaml.Node) error {
	var keys []string
	vals := map[string]*yaml.Node{}
	line := map[string]int{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return fmt.Errorf("yaml: line %d: a mapping key must be a scalar (OpenAPI names are strings)", k.Line)
		}
		if k.ShortTag() == "!!merge" && k.Style&yaml.TaggedStyle == 0 {
			merges = append(merges, v)
			continue
		}
		key := w.text(k.Value)
		if l, dup := line[key]; dup {
			return fmt.Errorf("yaml: line %d: mapping key %q already defined at line %d", k.Line, key, l)
		}
		keys, vals[key], line[key] = append(keys, key), v, k.Line
	}
	var merge func(m *yaml.Node) error
	merge = func(m *yaml.Node) error {
		m = deref(m)
		switch m.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(m.Content); i += 2 {
				k := deref(m.Content[i])
				if k.Kind != yaml.ScalarNode {
					return fmt.Errorf("yaml: line %d: a mapping key must be a scalar (OpenAPI names are strings)", k.Line)
				}
				if k.ShortTag() == "!!merge" && k.Style&yaml.TaggedStyle == 0 {
					if err := merge(m.Content[i+1]); err != nil {
						return err
					}
					continue
				}
				if key := w.text(k.Value); vals[key] == nil {
					keys, vals[key] = append(keys, key), m.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			for _, c := range m.Content {
				if err := merge(c); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("yaml: line %d: map merge requires a mapping or a sequence of mappings", m.Line)
		}
		return nil
	}
	for _, m := range merges {
		if err := merge(m); err != nil {
			return err
		}
	}
	w.buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.str(k)
		w.buf.WriteByte(':')
		if err := w.node(vals[k]); err != nil {
			return err
		}
	}
	w.buf.WriteByte('}')
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func (w *jsonWriter) str(s string) {
	b, _ := json.Marshal(s) // invalid UTF-8 becomes U+FFFD
	// The JSON goes on to a YAML parser, which refuses raw characters
	// outside YAML's printable set (§5.1) that JSON strings may hold: DEL,
	// the C1 controls, U+FEFF, U+FFFE and U+FFFF. They are written escaped.
	for _, r := range string(b) {
		if r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfeff || r == 0xfffe || r == 0xffff {
			fmt.Fprintf(&w.buf, `\u%04x`, r)
		} else {
			w.buf.WriteRune(r)
		}
	}
}

// scalar writes a scalar as the YAML 1.2 core schema resolves it: quoted
// and block scalars are strings; a plain one (or one explicitly tagged
// !!null, !!bool, !!int or !!float) is null, a boolean or a number when
// its text is one in the core schema's spelling, else a string; any
// other tag (!!str, !!binary, a local tag) gives the text as a string.
func (w *jsonWriter) scalar(n *yaml.Node) {
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	resolve := !quoted
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.ShortTag() {
		case "!!null", "!!bool", "!!int", "!!float":
			resolve = true
		default:
			resolve = false
		}
	}
	if resolve {
		if lit, ok := coreScalar(n.Value); ok {
			w.buf.WriteString(lit)
			return
		}
	}
	w.str(w.text(n.Value))
}

var (
	coreInt   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	coreOct   = regexp.MustCompile(`^0o[0-7]+$`)
	coreHex   = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	coreFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
)

// coreScalar returns the JSON literal of a plain scalar that the YAML 1.2
// core schema (§10.3.2) resolves to null, a boolean or a number. Infinity
// and NaN, which JSON cannot write, stay strings.
func coreScalar(s string) (string, bool) {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return "null", true
	case "true", "True", "TRUE":
		return "true", true
	case "false", "False", "FALSE":
		return "false", true
	}
	var n big.Int
	switch {
	case coreInt.MatchString(s):
		n.SetString(strings.TrimPrefix(s, "+"), 10)
		return n.String(), true
	case coreOct.MatchString(s):
		n.SetString(s[2:], 8)
		return n.String(), true
	case coreHex.MatchString(s):
		n.SetString(s[2:], 16)
		return n.String(), true
	case coreFloat.MatchString(s):
		return jsonFloat(s), true
	}
	return "", false
}

// jsonFloat spells a core schema float as a JSON number, digits kept:
// "+.5" → "0.5", "1." → "1.0", "007.5e3" → "7.5e3".
func jsonFloat(s string) string {
	sign := ""
	switch s[0] {
	case '-':
		sign, s = "-", s[1:]
	case '+':
		s = s[1:]
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	whole, frac, dot := strings.Cut(mant, ".")
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if dot && frac == "" {
		frac = "0"
	}
	out := sign + whole
	if dot {
		out += "." + frac
	}
	return out + exp
}
