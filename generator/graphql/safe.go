package graphql

import (
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
//     stands a placeholder in for each backtick inside a string value (a
//     backtick would end genqlient's raw string literal);
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
// them: every comment cleaned onto its own line (gotext.Line), and every
// backtick inside a string value replaced by placeholder, a private-use
// character no document holds, which quoteOperations turns back into a
// backtick. placeholder is 0 when no string value holds a backtick.
// Documents that do not lex (already reported by loadOperations) are
// returned as they are.
func prepareOperations(srcs []Source) (out []Source, placeholder rune) {
	type span struct {
		start, end int // byte offsets
		kind       lexer.Type
	}
	spans := make([][]span, len(srcs))
	values := []string{}
	backtick := false
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
			switch tok.Kind {
			case lexer.Comment, lexer.String, lexer.BlockString:
				spans[i] = append(spans[i], span{byteAt[tok.Pos.Start], byteAt[tok.Pos.End], tok.Kind})
				if tok.Kind != lexer.Comment {
					values = append(values, tok.Value)
					backtick = backtick || strings.Contains(text[byteAt[tok.Pos.Start]:byteAt[tok.Pos.End]], "`")
				}
			}
		}
	}
	if backtick {
		placeholder = unusedPrivateRune(srcs, values)
	}
	out = make([]Source, len(srcs))
	for i, src := range srcs {
		text := string(src.Text)
		var b strings.Builder
		last := 0
		for _, s := range spans[i] {
			b.WriteString(text[last:s.start])
			tok := text[s.start:s.end]
			switch {
			case s.kind == lexer.Comment:
				// On one line, its leading space kept (genqlient reads "# @genqlient").
				b.WriteString("#" + strings.ReplaceAll(gotext.Clean(tok[1:]), "\n", " "))
			case placeholder != 0:
				b.WriteString(strings.ReplaceAll(tok, "`", string(placeholder)))
			default:
				b.WriteString(tok)
			}
			last = s.end
		}
		b.WriteString(text[last:])
		out[i] = Source{Name: src.Name, Text: []byte(b.String())}
	}
	return out, placeholder
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
// with placeholder (when not 0) turned back into the backtick it stands
// for.
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
					text = strings.ReplaceAll(text, string(placeholder), "`")
				}
				lit.Value = quoteLines(text)
			}
		}
	}
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
