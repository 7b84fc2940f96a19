package emit

import (
	"fmt"
	"strings"

	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/dave/jennifer/jen"
)

// doc is the emitter's only way to write a comment: the paragraphs
// (spec text or the emitter's own sentences) become line comments through
// gotext.Comment, which cleans them, prefixes every line with "// " and so
// never lets text end the comment or start a directive. Empty paragraphs
// are skipped and paragraphs are separated by an empty comment line.
// jennifer's Comment and Commentf are never called elsewhere: given a
// newline they render a /* */ block, which text can close
// (TestEmitterCommentsOnlyThroughDoc).
func doc(paragraphs ...string) *jen.Statement {
	c := gotext.Comment(paragraphs...)
	if c == "" {
		return jen.Null()
	}
	return jen.Comment(c) // starts with "//": jennifer writes it as is
}

// specDoc converts a description from the spec (CommonMark with inline
// HTML) into Go doc text (gotext.DocText): a paragraph for doc.
func specDoc(s string) string { return gotext.DocText(s) }

// docf is doc of one formatted paragraph.
func docf(format string, args ...any) *jen.Statement {
	return doc(fmt.Sprintf(format, args...))
}

// deprecated returns the "Deprecated:" paragraph staticcheck (SA1019)
// recognises, or "".
func deprecated(is bool) string {
	if is {
		return "Deprecated: the spec marks this as deprecated."
	}
	return ""
}

// packageDoc sets f's package comment to text, one line (white space,
// newlines included, collapsed to single spaces, so the comment cannot
// end early): for generated packages whose doc has no spec text.
func packageDoc(f *jen.File, text string) {
	f.PackageComment(strings.Join(strings.Fields(text), " "))
}
