// Package gotext is the one way untrusted text (a spec's or schema's
// titles, descriptions, summaries, enum values, server URLs, tags, names,
// GraphQL descriptions and operation text) reaches generated Go source:
// the emitter, the templates and the GraphQL wrapper all go through it.
//
// Two forms are safe and no other is used:
//
//   - Comments are line comments, one "// " per line (Comment, Lines).
//     The text is cleaned first (Clean): every line break a reader or
//     editor honours (CR, LF, CRLF, NEL, U+2028, U+2029) becomes one line
//     of comment, so text can never end the comment or start a line of
//     its own; control characters (NUL included, which the Go compiler
//     rejects), the byte order mark and the Unicode bidirectional
//     controls that can hide code from a reviewer ("Trojan Source",
//     CVE-2021-42574) are shown as visible escapes such as \x00 and
//     \u202e; invalid UTF-8 becomes U+FFFD. Because every line starts
//     with "// ", no output line is a directive the go tool obeys
//     (//go:generate, //go:build, //line, //export, //extern); a line
//     whose text is "+build ..." is escaped too, so it cannot become a
//     legacy build constraint.
//   - String literals are interpreted literals made by strconv.Quote
//     (Quote, and jennifer's Lit), never raw `...` literals: a backtick
//     or a carriage return in the text cannot end or alter them.
//
// CheckSource verifies both properties on a finished file; the emitter
// runs it on every Go file it returns.
package gotext

import (
	"bytes"
	"fmt"
	"go/doc/comment"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Clean returns s with line breaks normalised to "\n", invalid UTF-8
// replaced by U+FFFD, and every other control character, the byte order
// mark and the bidirectional controls replaced by a visible Go-style
// escape (\x00, \x7f, \u202e). Tabs are kept. The result is valid UTF-8
// that a Go comment or a Markdown line can hold as is.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				n++ // CRLF is one break
			}
		case isBreak(r):
			b.WriteByte('\n')
		case hidden(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isClean reports whether Clean would return s unchanged (the common case,
// checked without allocating).
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '\r' || (c < ' ' && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || isBreak(r) || hidden(r) {
			return false
		}
		i += n
	}
	return true
}

// isBreak reports whether r ends a line for some reader of the text
// (besides '\n' and '\r', which Clean handles itself).
func isBreak(r rune) bool {
	return r == 0x85 || r == 0x2028 || r == 0x2029 // NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR
}

// hidden reports whether r is shown as an escape: control characters other
// than tab and newline, the byte order mark, and the characters that change
// the display order of text (Unicode Bidirectional Algorithm, UAX #9).
func hidden(r rune) bool {
	switch {
	case r < ' ':
		return r != '\t' && r != '\n'
	case r == 0x7f, r >= 0x80 && r <= 0x9f: // DEL, C1 controls
		return true
	case r == 0xfeff: // byte order mark: the compiler rejects it after the start of a file
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ARABIC LETTER MARK, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // LRE..RLO, LRI..PDI
		return true
	}
	return false
}

func escape(r rune) string {
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Line returns s cleaned and on one line: line breaks and runs of spaces
// become single spaces, surrounding space is trimmed. It suits text set
// inside a sentence of a comment or a Markdown line (a title, a version,
// a file name).
func Line(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(Clean(s), "\t", " ")), " ")
}

// Lines splits prose into the lines of a comment: cleaned (Clean), trailing
// space trimmed, runs of blank lines collapsed into one, leading and
// trailing blank lines dropped. A line whose text starts with "+build" is
// escaped as "\+build". Each returned line holds no line break.
func Lines(text string) []string {
	text = strings.TrimRight(Clean(text), " \t\n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	for text[0] == '\n' || text[0] == ' ' && strings.TrimLeft(text, " ")[0] == '\n' {
		_, text, _ = strings.Cut(text, "\n") // leading blank lines; the first line keeps its indentation
	}
	var out []string
	blank := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "+build") {
			line = line[:len(line)-len(t)] + `\` + t
		}
		out = append(out, line)
	}
	return out
}

// Comment returns the paragraphs as one block of line comments, without
// a final newline: each line "// text" ("//" for the empty line between
// paragraphs, "//\tcode" for a line of a code block, which starts with a
// tab). Empty paragraphs are skipped; "" when all are. A line of prose
// or a list item longer than Width is wrapped at spaces (a list item's
// continuation indented four spaces, as gofmt writes it); code is not.
// Go doc link definitions ("[text]: url", as DocText writes them at the
// end of a paragraph) are moved to the end of the comment, where gofmt
// puts them.
func Comment(paragraphs ...string) string {
	var lines, links []string
	for _, p := range paragraphs {
		pl := Lines(p)
		for len(pl) > 0 && linkDef(pl[len(pl)-1]) {
			links = append(links, pl[len(pl)-1])
			pl = pl[:len(pl)-1]
		}
		for len(pl) > 0 && pl[len(pl)-1] == "" {
			pl = pl[:len(pl)-1]
		}
		if len(pl) == 0 {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		for _, l := range reflow(pl) {
			lines = append(lines, wrap(l)...)
		}
	}
	if len(links) > 0 {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		for i := len(links) - 1; i >= 0; i-- { // collected last first
			lines = append(lines, links[i])
		}
	}
	if len(lines) == 0 {
		return ""
	}
	// The text is then parsed and printed as gofmt does a declaration's
	// doc comment (go/printer's formatDocComment): the result is the
	// canonical form whatever the text held (an old-style heading, a list
	// gofmt would indent, quotes it would curl), on fields too.
	var parser comment.Parser
	var printer comment.Printer
	text := strings.TrimSuffix(string(printer.Comment(parser.Parse(strings.Join(lines, "\n")+"\n"))), "\n")
	var b strings.Builder
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("//")
		if t := strings.TrimLeft(l, " \t"); strings.HasPrefix(t, "+build") {
			l = l[:len(l)-len(t)] + `\` + t // never a legacy build constraint
		}
		switch {
		case l == "":
		case l[0] == '\t':
			b.WriteString(l)
		default:
			b.WriteByte(' ')
			b.WriteString(l)
		}
	}
	return b.String()
}

// reflow joins each run of consecutive prose lines (not blank, not
// indented, not a heading) into one line for wrap to break again: a line
// break inside a paragraph is a space in Go doc as in Markdown.
func reflow(lines []string) []string {
	out := lines[:0:0]
	prose := func(l string) bool {
		return l != "" && l[0] != ' ' && l[0] != '\t' && !strings.HasPrefix(l, "# ") && !linkDef(l)
	}
	for i, l := range lines {
		if i > 0 && prose(l) && prose(lines[i-1]) {
			out[len(out)-1] += " " + l
			continue
		}
		out = append(out, l)
	}
	return out
}

// linkDef reports whether line is a Go doc link definition "[text]: url".
func linkDef(line string) bool {
	text, url, ok := strings.Cut(line, "]: ")
	return ok && strings.HasPrefix(text, "[") && len(text) > 1 && !strings.ContainsAny(text[1:], "[]") &&
		url != "" && !strings.ContainsAny(url, " \t")
}

// wrap splits a line longer than Width at spaces. Code (a line starting
// with a tab) and other indented lines that are not list items are kept
// whole. No line after the first starts with what would read as a list
// marker or a heading ("-", "+", "*", "1.", "#"): the word goes on the
// line before.
func wrap(line string) []string {
	if utf8.RuneCountInString(line) <= Width || line[0] == '\t' {
		return []string{line}
	}
	indent := ""
	t := strings.TrimLeft(line, " ")
	if lead := len(line) - len(t); lead > 0 {
		if _, _, ok := listItem(t); !ok || lead > 2 {
			return []string{line}
		}
		indent = "    "
	}
	words := strings.Fields(line)
	var out []string
	cur := ""
	if indent != "" { // "  - first", " 1. first": the marker stays with the first word
		cur = line[:len(line)-len(t)] + words[0]
		words = words[1:]
	}
	width := 0
	if cur != "" {
		width = utf8.RuneCountInString(cur)
	}
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		switch {
		case cur == "" || cur == indent:
			cur += w
			width += n
		case width+1+n > Width && !markerLike(w):
			out = append(out, cur)
			cur, width = indent+w, len(indent)+n
		default:
			cur += " " + w
			width += 1 + n
		}
	}
	return append(out, cur)
}

// markerLike reports whether a word starting a line would make it a list
// item or a heading in a Go doc comment.
func markerLike(w string) bool {
	if w == "-" || w == "+" || w == "*" || strings.HasPrefix(w, "#") {
		return true
	}
	n := 0
	for n < len(w) && w[n] >= '0' && w[n] <= '9' {
		n++
	}
	return n > 0 && n == len(w)-1 && (w[n] == '.' || w[n] == ')')
}

// Quote returns s as an interpreted Go string literal (strconv.Quote):
// every control character, invalid byte and non-printing character is
// escaped, so the literal is one line of plain text whatever s holds.
func Quote(s string) string { return strconv.Quote(s) }

// directives are the line prefixes the go tool or the compiler act on:
// //go:generate, //go:build, //go:embed, //go:linkname and every other
// //go: pragma, //line and /*line position directives, cgo's //export,
// gccgo's //extern, and legacy // +build constraints.
var directives = []string{"//go:", "//line ", "/*line ", "//export ", "//extern ", "//export\t", "//extern\t", "//line\t"}

// Directive reports whether a source line (leading space ignored) is a
// directive the go tool, the compiler or cgo obeys.
func Directive(line string) bool {
	t := strings.TrimLeft(line, " \t")
	for _, d := range directives {
		if strings.HasPrefix(t, d) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(t, "//"); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "+build") {
		return true
	}
	return false
}

// CheckSource reports why src, a generated Go file, is unsafe or
// malformed, or nil: it must parse (go/parser), hold no directive on any
// line (raw lines and, through go/ast, every comment line), no byte
// order mark or bidirectional control, and no raw string literal holding
// a carriage return.
func CheckSource(name string, src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return err
	}
	for i, line := range bytes.Split(src, []byte("\n")) {
		if Directive(string(line)) {
			return fmt.Errorf("%s:%d: directive line %q", name, i+1, line)
		}
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			for _, line := range strings.Split(c.Text, "\n") {
				if Directive(line) {
					return fmt.Errorf("%s: directive in comment %q", fset.Position(c.Pos()), line)
				}
			}
			if strings.HasPrefix(c.Text, "/*") {
				return fmt.Errorf("%s: block comment %.40q: generated code uses line comments", fset.Position(c.Pos()), c.Text)
			}
		}
	}
	var s scanner.Scanner
	s.Init(fset.File(f.Pos()), src, nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.STRING && strings.HasPrefix(lit, "`") {
			off := fset.Position(pos).Offset + 1 // the scanner drops CRs from lit: look at the source
			if end := bytes.IndexByte(src[off:], '`'); end >= 0 && bytes.IndexByte(src[off:off+end], '\r') >= 0 {
				return fmt.Errorf("%s: raw string literal holds a carriage return", fset.Position(pos))
			}
		}
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == 0xfeff || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x2028 || r == 0x2029 {
			return fmt.Errorf("%s: offset %d: hidden character %U", name, i, r)
		}
		i += n
	}
	return nil
}

// MarkdownText returns s for inline Markdown (the generated README): on
// one line (Line), with the characters that open or close an inline
// construct, a table cell or raw HTML backslash-escaped (CommonMark §2.4),
// so a title cannot end the emphasis or the table cell it sits in.
func MarkdownText(s string) string {
	s = Line(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*[]<>|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// MarkdownCode returns s as a Markdown code span (CommonMark §6.1), on
// one line: fenced by one backtick more than the longest run of backticks
// in s, and padded with spaces when s starts or ends with one.
func MarkdownCode(s string) string {
	s = Line(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
