// Package templates holds the non-Go text that generated connectors carry:
// the file header, the package documentation and the README. Go code itself
// is emitted with jennifer.
//
// Text from the spec reaches a template only through its functions, which
// are generator/gotext's: line (one line of comment text), lines (comment
// lines of prose), mdtext (inline Markdown) and mdcode (a Markdown code
// span).
package templates

import (
	"bytes"
	"embed"
	"text/template"

	"github.com/connectorgen/connectorgen/generator/gotext"
)

//go:embed *.tmpl
var files embed.FS

var parsed = template.Must(template.New("").Funcs(template.FuncMap{
	"line":   gotext.Line,
	"lines":  gotext.Lines,
	"mdtext": gotext.MarkdownText,
	"mdcode": gotext.MarkdownCode,
}).ParseFS(files, "*.tmpl"))

// Render executes the named template ("header.tmpl", "doc.go.tmpl",
// "README.md.tmpl") with data. It fails only when data lacks a field the
// template uses.
func Render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := parsed.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
