package split

import (
	"testing"

	"github.com/connectorgen/connectorgen/generator/ir"
)

func TestPackageName(t *testing.T) {
	for tag, want := range map[string]string{
		"pets": "pets", "Pet Store": "petstore", "user-accounts": "useraccounts", "3D models": "tag3dmodels",
		"type": "typeapi", "string": "stringapi", "runtime": "runtimeapi", "shop": "shopapi", "宠物": "tag",
		"untagged": "untaggedapi", "": "untagged",
		// directories the go command treats specially
		"main": "mainapi", "Internal": "internalapi", "testdata": "testdataapi", "vendor": "vendorapi",
		"_x": "x", ".hidden": "hidden", "..": "tag", "../../.../EVILDIR": "evildir", "a/b": "ab",
	} {
		if got := packageName(tag, "shop"); got != want {
			t.Errorf("packageName(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestByTag(t *testing.T) {
	named := func(name string) *ir.Type { return &ir.Type{Kind: ir.Object, Named: true, Name: name} }
	shared, onlyA, reachedByRoot, unused := named("Shared"), named("OnlyA"), named("Line"), named("Unused")
	self := named("Tree")
	self.Fields = []*ir.Field{{JSONName: "child", Type: self}, {JSONName: "line", Type: reachedByRoot}}
	onlyA.Fields = []*ir.Field{{JSONName: "s", Type: shared}, {JSONName: "l", Type: &ir.Type{Kind: ir.Array, Elem: reachedByRoot}}}
	unused.Fields = []*ir.Field{{JSONName: "line", Type: reachedByRoot}}
	op := func(tags []string, types ...*ir.Type) *ir.Operation {
		o := &ir.Operation{Tags: tags}
		for _, t := range types {
			o.Responses = append(o.Responses, &ir.Response{Status: "200", Type: t})
		}
		return o
	}
	api := &ir.API{
		Types: []*ir.Type{shared, onlyA, reachedByRoot, unused, self},
		Operations: []*ir.Operation{
			op([]string{"a", "b"}, onlyA), op([]string{"B"}, shared), op(nil, self), op([]string{"b"}),
		},
	}
	ByTag(api, "example.com/x", "x")
	var got []string
	for _, p := range api.Packages {
		got = append(got, p.Path)
	}
	want := []string{"example.com/x", "example.com/x/a", "example.com/x/b", "example.com/x/b2", "example.com/x/untagged"}
	if len(got) != len(want) {
		t.Fatalf("packages %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("package %d: %q, want %q (tags sort B < b, so B takes b)", i, got[i], want[i])
		}
	}
	for typ, pkg := range map[*ir.Type]string{
		shared:        "example.com/x",   // reached by a and B
		onlyA:         "example.com/x/a", // first tag of an operation tagged a and b
		reachedByRoot: "example.com/x",   // also reached by Unused, a root type
		unused:        "example.com/x",
		self:          "example.com/x/untagged",
	} {
		if typ.Package == nil || typ.Package.Path != pkg {
			t.Errorf("%s in %v, want %s", typ.Name, typ.Package, pkg)
		}
	}
}
