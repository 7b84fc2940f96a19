package emit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmitterCommentsOnlyThroughDoc fails when emitter code calls one of
// jennifer's comment functions anywhere but in doc (comment.go): text
// passed to them with a newline becomes a /* */ block that the text can
// close. The header comment is the template-rendered header, one line.
func TestEmitterCommentsOnlyThroughDoc(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "Comment", "Commentf", "HeaderComment", "PackageComment":
				allowed := (name == "comment.go" && (sel.Sel.Name == "Comment" || sel.Sel.Name == "PackageComment")) || (name == "emit.go" && sel.Sel.Name == "HeaderComment")
				if !allowed {
					t.Errorf("%s: %s called outside doc: write comments with doc or docf", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
