package generator_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
)

// TestSymbolsCoverDeclarations checks that every exported package-level
// identifier and struct field a connector declares has a source in
// Result.Symbols (a field may take its struct's), on the golden specs:
// `connectorgen diff` reports each Go API change with it.
func TestSymbolsCoverDeclarations(t *testing.T) {
	specs, _ := filepath.Glob("../golden/*/spec.yaml")
	specs = append(specs, "../specs/petstore.yaml")
	if len(specs) < 5 {
		t.Fatalf("found %d specs", len(specs))
	}
	for _, spec := range specs {
		data, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		res, err := generator.Generate(context.Background(), generator.Config{SpecFile: spec, Spec: data, Package: "p", Version: "test"})
		if err != nil {
			continue // the golden cases of bad specs
		}
		fset := token.NewFileSet()
		var missing []string
		check := func(key, owner string) {
			if _, ok := res.Symbols[key]; ok {
				return
			}
			if _, ok := res.Symbols[owner]; owner != "" && ok {
				return
			}
			missing = append(missing, key)
		}
		for _, f := range res.Files {
			if !strings.HasSuffix(f.Name, ".go") {
				continue
			}
			af, err := parser.ParseFile(fset, f.Name, f.Content, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range af.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							check(s.Name.Name, "")
							if st, ok := s.Type.(*ast.StructType); ok {
								for _, fld := range st.Fields.List {
									for _, n := range fld.Names {
										if n.IsExported() {
											check(s.Name.Name+"."+n.Name, s.Name.Name)
										}
									}
								}
							}
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if n.IsExported() {
									check(n.Name, "")
								}
							}
						}
					}
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.IsExported() {
						check(d.Name.Name, "")
					}
				}
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: no symbol for %s", spec, strings.Join(missing, ", "))
		}
	}
}
