package emit

import (
	"fmt"
	"go/format"

	"github.com/connectorgen/connectorgen/generator/gotext"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/templates"
	"github.com/dave/jennifer/jen"
)

// tagPackage adds the files of one tag package to out, in the directory
// named after the package: doc.go, client.go, operations.go and, when the
// package owns types, types.go.
func (e *emitter) tagPackage(out map[string][]byte, pkg *ir.Package) error {
	files := map[string]func(*jen.File){
		"client.go":     func(f *jen.File) { e.tagClient(f, pkg) },
		"operations.go": func(f *jen.File) { e.operations(f, pkg) },
	}
	types := 0
	for _, t := range e.api.Types {
		if t.Package == pkg {
			types++
		}
	}
	if types > 0 {
		files["types.go"] = func(f *jen.File) { e.types(f, pkg) }
	}
	if err := e.render(out, pkg, pkg.Name, files); err != nil {
		return err
	}
	b, err := templates.Render("tagdoc.go.tmpl", map[string]any{
		"Header": e.header, "Package": pkg.Name, "Phrase": tagPhrase(pkg), "Title": e.title(),
		"Root": e.api.Packages[0].Name, "RootPath": e.api.Packages[0].Path, "HasServer": len(e.api.Servers) > 0,
		"Operations": e.countOps(pkg), "Types": types,
	})
	if err == nil {
		b, err = format.Source(b)
	}
	if err != nil {
		return fmt.Errorf("emit %s/doc.go: %w", pkg.Name, err)
	}
	out[pkg.Name+"/doc.go"] = b
	return nil
}

func (e *emitter) countOps(pkg *ir.Package) int {
	n := 0
	for _, op := range e.api.Operations {
		if op.Package == pkg {
			n++
		}
	}
	return n
}

// title is the API's title on one line (gotext.Line), or "the API".
func (e *emitter) title() string {
	if t := gotext.Line(e.api.Title); t != "" {
		return t
	}
	return "the API"
}
