package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/getkin/kin-openapi/openapi3"
)

// Real specs break YAML in small ways that say nothing about the API:
// mojibake control characters in descriptions, a tab on an otherwise
// blank line of a block scalar. repair mends those in the text handed to
// the parser (the header's SHA-256 stays the original's) and says where.
func repair(data []byte) ([]byte, diag.List) {
	var diags diag.List
	if line, n := forbiddenRunes(data); n > 0 {
		data = replaceForbidden(data)
		diags = append(diags, warnAt(line, "%d character(s) YAML does not allow (control characters, often mojibake) replaced by U+FFFD; the first is on this line", n))
	}
	if line, n := tabOnlyLines(data); n > 0 {
		data = clearTabOnlyLines(data)
		diags = append(diags, warnAt(line, "%d blank line(s) holding a tab, which YAML rejects inside indentation, read as empty; the first is this one", n))
	}
	return data, diags
}

func warnAt(line int, format string, args ...any) diag.Diagnostic {
	return diag.Diagnostic{Severity: diag.Warning, Pos: diag.Pos{Line: line}, Pointer: "#", Message: fmt.Sprintf(format, args...)}
}

// forbidden reports runes outside YAML 1.2's printable set (§5.1).
func forbidden(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
		return true
	case r == 0xfffe || r == 0xffff:
		return true
	}
	return false
}

func forbiddenRunes(data []byte) (firstLine, n int) {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line++
		} else if forbidden(r) && r != utf8.RuneError {
			if n == 0 {
				firstLine = line
			}
			n++
		}
		i += size
	}
	return firstLine, n
}

func replaceForbidden(data []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if forbidden(r) {
			return utf8.RuneError
		}
		return r
	}, data)
}

var tabOnly = regexp.MustCompile(`(?m)^[ \t]*\t[ \t]*$`)

func tabOnlyLines(data []byte) (firstLine, n int) {
	locs := tabOnly.FindAllIndex(data, -1)
	if len(locs) == 0 {
		return 0, 0
	}
	return bytes.Count(data[:locs[0][0]], []byte("\n")) + 1, len(locs)
}

func clearTabOnlyLines(data []byte) []byte {
	return tabOnly.ReplaceAll(data, nil)
}

// externalRefLines finds $ref targets in other files ("models/x.yml#/a"),
// also as discriminator mapping values.
var externalRefLines = regexp.MustCompile(`(?m)` + `\$ref["']?\s*:\s*["']?([^"'#\s{}]+\.(?:ya?ml|json))(#[^"'\s,}]*)?|:\s*["']?([^"'#\s{}:]+\.(?:ya?ml|json))(#/[^"'\s,}]*)?["']?\s*$`)

// externalStubs builds, for each other file the spec refers to, a stand-in
// document holding an empty (free-form) schema at every pointer referred
// to. connectorgen reads one self-contained file and never opens others;
// the stand-ins let the rest of the spec load, with a warning per file.
func externalStubs(data []byte) (*stubSet, error) {
	trees := map[string]map[string]any{}
	firstLine := map[string]int{}
	for _, m := range externalRefLines.FindAllSubmatchIndex(data, -1) {
		file, frag := group(data, m, 1), group(data, m, 2)
		if file == "" {
			file, frag = group(data, m, 3), group(data, m, 4)
		}
		if strings.Contains(file, "://") {
			continue
		}
		if trees[file] == nil {
			trees[file] = map[string]any{}
			firstLine[file] = bytes.Count(data[:m[0]], []byte("\n")) + 1
		}
		insert(trees[file], diag.Tokens(frag))
	}
	set := &stubSet{docs: map[string][]byte{}, line: firstLine, used: map[string]bool{}}
	for f, tree := range trees {
		b, err := json.Marshal(tree)
		if err != nil {
			return nil, err
		}
		set.docs[f] = b
	}
	return set, nil
}

// stubSet holds the stand-ins and which of them the loader asked for.
type stubSet struct {
	docs map[string][]byte
	line map[string]int
	used map[string]bool
}

// warnings says, per file the loader asked for, that it was not read.
func (s *stubSet) warnings() diag.List {
	files := make([]string, 0, len(s.used))
	for f := range s.used {
		files = append(files, f)
	}
	sort.Strings(files)
	var diags diag.List
	for _, f := range files {
		diags = append(diags, warnAt(s.line[f], "$ref into another file %q is not followed (connectorgen reads one self-contained file; bundle the spec first); the schemas it names are free-form", f))
	}
	return diags
}

func group(data []byte, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return string(data[m[2*i]:m[2*i+1]])
}

// insert makes the path of tokens exist in tree, ending in an empty schema.
func insert(tree map[string]any, tokens []string) {
	for i, t := range tokens {
		next, ok := tree[t].(map[string]any)
		if !ok {
			next = map[string]any{}
			tree[t] = next
		}
		if i == len(tokens)-1 {
			return
		}
		tree = next
	}
}

// stubReader serves the stand-ins and refuses every other location, so a
// spec can never make connectorgen read a file or fetch a URL.
func stubReader(stubs *stubSet) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		for name, b := range stubs.docs {
			clean := strings.TrimPrefix(name, "./")
			if u.Path == name || u.Path == clean || strings.HasSuffix(u.Path, "/"+clean) {
				stubs.used[name] = true
				return b, nil
			}
		}
		return nil, fmt.Errorf("external reference %q is not followed: connectorgen reads one self-contained file", u.String())
	}
}
