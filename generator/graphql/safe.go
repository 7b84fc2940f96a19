package graphql

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/generator/gotext"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// Schema and operation text reaches the generated Go source through
// genqlient, which copies descriptions and operation comments into line
// comments and operation text into raw string literals. The functions
// here make that text data, never code, with generator/gotext, the
// chokepoint the OpenAPI emitter uses too:
//
//   - cleanSchema cleans every description before genqlient sees it (a
//     NUL or an invalid byte would fail its gofmt, a bidi control would
//     hide code);
//   - prepareOperations cleans the operation documents' comments and
//     stands a placeholder in for each backtick, byte order mark or
//     invalid byte inside a string value (genqlient's raw string literal
//     cannot hold them);
//   - safeComments rewrites every comment of genqlient's file through
//     gotext.Comment, and quoteOperations turns each operation text into
//     an interpreted string literal, restoring the backticks.

// cleanSchema cleans every description of the schema document in place
// (gotext.Clean) and reports whether any changed.
func cleanSchema(doc *gqlast.SchemaDocument) bool {
	changed := false
	clean := func(s *string) {
		if c := gotext.Clean(*s); c != *s {
			*s, changed = c, true
		}
	}
	args := func(list gqlast.ArgumentDefinitionList) {
		for _, a := range list {
			clean(&a.Description)
		}
	}
	for _, s := range append(append(gqlast.SchemaDefinitionList{}, doc.Schema...), doc.SchemaExtension...) {
		clean(&s.Description)
	}
	for _, d := range append(append(gqlast.DirectiveDefinitionList{}, doc.Directives...), doc.DirectiveExtensions...) {
		clean(&d.Description)
		args(d.Arguments)
	}
	for _, d := range append(append(gqlast.DefinitionList{}, doc.Definitions...), doc.Extensions...) {
		clean(&d.Description)
		for _, f := range d.Fields {
			clean(&f.Description)
			args(f.Arguments)
		}
		for _, v := range d.EnumValues {
			clean(&v.Description)
		}
	}
	return changed
}

// prepareOperations returns the operation documents as genqlient is given
// them: every comment cleaned onto its own line, and every string value
// that holds a character a raw string literal cannot (a backtick, a byte
// order mark, invalid UTF-8) rewritten with placeholder, a private-use
// character no document holds, followed by the character's code in hex
// and ";". quoteOperations turns these back into the characters.
// placeholder is 0 when no value needed it. Documents that do not lex
// (already reported by loadOperations) are returned as they are.
func prepareOperations(srcs []Source) (out []Source, placeholder rune) {
	type span struct {
		start, end int // byte offsets
		comment    bool
		value      string // a string value to rewrite
	}
	spans := make([][]span, len(srcs))
	var values []string
	needed := false
	for i, src := range srcs {
		text := string(src.Text)
		byteAt := runeOffsets(text)
		lx := lexer.New(&gqlast.Source{Name: src.Name, Input: text})
		for {
			tok, err := lx.ReadToken()
			if err != nil {
				spans[i] = nil
				break
			}
			if tok.Kind == lexer.EOF {
				break
			}
			sp := span{start: byteAt[tok.Pos.Start], end: byteAt[tok.Pos.End]}
			switch tok.Kind {
			case lexer.Comment:
				sp.comment = true
			case lexer.String, lexer.BlockString:
				values = append(values, tok.Value)
				if strings.IndexFunc(tok.Value, rawUnsafe) < 0 && utf8.ValidString(tok.Value) {
					continue
				}
				sp.value, needed = tok.Value, true
			default:
				continue
			}
			spans[i] = append(spans[i], sp)
		}
	}
	if needed {
		if placeholder = unusedPrivateRune(srcs, values); placeholder == 0 {
			return srcs, 0 // genqlient then fails with a located error
		}
	}
	out = make([]Source, len(srcs))
	for i, src := range srcs {
		text := string(src.Text)
		var b strings.Builder
		last := 0
		for _, s := range spans[i] {
			b.WriteString(text[last:s.start])
			if s.comment {
				// On one line, its leading space kept (genqlient reads "# @genqlient").
				b.WriteString("#" + strings.ReplaceAll(gotext.Clean(text[s.start+1:s.end]), "\n", " "))
			} else {
				b.WriteString(graphQLString(s.value, placeholder))
			}
			last = s.end
		}
		b.WriteString(text[last:])
		out[i] = Source{Name: src.Name, Text: []byte(b.String())}
	}
	return out, placeholder
}

// rawUnsafe reports whether a Go raw string literal cannot hold r as it
// is (gqlparser's formatter escapes the control characters itself).
func rawUnsafe(r rune) bool { return r == '`' || r == 0xfeff }

// graphQLString returns value as a GraphQL string literal (GraphQL
// §2.9.4), with each character rawUnsafe reports (and each invalid byte,
// as U+FFFD) written as placeholder, its code in hex and ";".
func graphQLString(value string, placeholder rune) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range value {
		switch {
		case rawUnsafe(r) || r == utf8.RuneError:
			fmt.Fprintf(&b, "%c%x;", placeholder, r)
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < ' ':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// runeOffsets maps the lexer's rune offsets into text to byte offsets
// (one more entry than runes, for the end); an invalid byte is one rune,
// as the lexer counts it.
func runeOffsets(text string) []int {
	offs := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		offs = append(offs, i)
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	return append(offs, len(text))
}

// unusedPrivateRune returns a character of the Private Use Area that no
// document's text and no string value holds (0 if, absurdly, all do).
func unusedPrivateRune(srcs []Source, values []string) rune {
next:
	for r := rune(0xe000); r <= 0xf8ff; r++ {
		for _, s := range srcs {
			if strings.ContainsRune(string(s.Text), r) {
				continue next
			}
		}
		for _, v := range values {
			if strings.ContainsRune(v, r) {
				continue next
			}
		}
		return r
	}
	return 0
}

// safeComments rewrites every comment of f as line comments through
// gotext.Comment: genqlient copies schema descriptions and operation
// comments into them.
func safeComments(f *ast.File) {
	for _, g := range f.Comments {
		for _, c := range g.List {
			body, ok := strings.CutPrefix(c.Text, "//")
			if !ok {
				body = strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
			}
			if text := gotext.Comment(strings.TrimPrefix(body, " ")); text != "" {
				c.Text = text
			} else {
				c.Text = "//"
			}
		}
	}
}

// quoteOperations rewrites the value of every <Operation>_Operation
// constant genqlient declares (the operation text, a raw string literal)
// as interpreted string literals, one per line of the text joined by +,
// with the placeholder sequences (when placeholder is not 0) turned back
// into the characters they stand for.
func quoteOperations(f *ast.File, placeholder rune) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasSuffix(name.Name, "_Operation") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				text, err := strconv.Unquote(lit.Value)
				if err != nil {
					continue
				}
				if placeholder != 0 {
					text = restore(text, placeholder)
				}
				lit.Value = quoteLines(text)
			}
		}
	}
}

// restore turns the placeholder sequences of graphQLString back into
// their characters.
func restore(text string, placeholder rune) string {
	var b strings.Builder
	for {
		i := strings.IndexRune(text, placeholder)
		if i < 0 {
			break
		}
		b.WriteString(text[:i])
		text = text[i+utf8.RuneLen(placeholder):]
		j := strings.IndexByte(text, ';')
		code, err := strconv.ParseUint(text[:max(j, 0)], 16, 32)
		if j < 0 || err != nil {
			b.WriteRune(placeholder) // not ours: no document holds it
			continue
		}
		b.WriteRune(rune(code))
		text = text[j+1:]
	}
	b.WriteString(text)
	return b.String()
}

// quoteLines returns text as a Go expression: an interpreted literal per
// line (each ending in its "\n"), joined with + and a line break, which
// gofmt indents under the declaration.
func quoteLines(text string) string {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strconv.Quote(l)
	}
	return strings.Join(lines, " +\n")
}
