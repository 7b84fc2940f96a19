package emit

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// commentLines splits spec prose into comment lines, trimming trailing
// space and collapsing runs of blank lines. width > 0 is unused for now:
// prose keeps the spec's own line breaks so diffs follow spec diffs.
func commentLines(text string, width int) []string {
	_ = width
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return nil
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
		out = append(out, line)
	}
	return out
}

// doc builds a line comment from paragraphs; empty paragraphs are skipped
// and paragraphs are separated by an empty comment line.
func doc(paragraphs ...string) *jen.Statement {
	var lines []string
	for _, p := range paragraphs {
		pl := commentLines(p, 0)
		if len(pl) == 0 {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, pl...)
	}
	if len(lines) == 0 {
		return jen.Null()
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("//")
		if l != "" {
			b.WriteByte(' ')
			b.WriteString(l)
		}
	}
	return jen.Comment(b.String())
}

// deprecated returns the "Deprecated:" paragraph staticcheck (SA1019)
// recognises, or "".
func deprecated(is bool) string {
	if is {
		return "Deprecated: the spec marks this as deprecated."
	}
	return ""
}
