// Package split is the pass that divides a named API into one Go package
// per operation tag (connectorgen.yaml's split: tags). It runs after the
// names pass, so names stay unique across all packages and a type keeps
// its name whichever package declares it.
//
// The root package holds the client, the security options and every type
// used by more than one tag's operations (or by none); a tag package holds
// that tag's operations, their request and response types, and the types
// only they use. An operation with several tags goes to its first tag's
// package; operations without tags go to the package "untagged".
package split

import (
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/names"
)

// Untagged is the package of operations without tags.
const Untagged = "untagged"

// ByTag assigns every operation and named type of api to a package. root
// is the root package's import path and rootName its package name; tag
// packages live in subdirectories named after their packages. The result
// is api.Packages, root first, then the tag packages in name order.
func ByTag(api *ir.API, root, rootName string) {
	rootPkg := &ir.Package{Path: root, Name: rootName}
	byTag := tagPackages(api, root, rootName)
	api.Packages = []*ir.Package{rootPkg}
	seen := map[*ir.Package]bool{}
	for _, op := range api.Operations {
		op.Package = byTag[firstTag(op)]
		if !seen[op.Package] {
			seen[op.Package] = true
			api.Packages = append(api.Packages, op.Package)
		}
	}
	sort.SliceStable(api.Packages[1:], func(i, j int) bool { return api.Packages[1+i].Name < api.Packages[1+j].Name })
	assignTypes(api, rootPkg)
}

func firstTag(op *ir.Operation) string {
	if len(op.Tags) == 0 {
		return ""
	}
	return op.Tags[0]
}

// tagPackages names a package per first tag ("" for untagged). Tags whose
// names reduce to the same package name get suffixes 2, 3, … in tag order,
// so a name depends only on the set of tags, never on operation order.
func tagPackages(api *ir.API, root, rootName string) map[string]*ir.Package {
	var tags []string
	seen := map[string]bool{}
	for _, op := range api.Operations {
		if t := firstTag(op); !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	sort.Strings(tags)
	out := map[string]*ir.Package{}
	taken := map[string]bool{}
	for _, tag := range tags {
		base := packageName(tag, rootName)
		name := base
		for i := 2; taken[name]; i++ {
			name = base + strconv.Itoa(i)
		}
		taken[name] = true
		pkg := &ir.Package{Path: root + "/" + name, Name: name, Tags: []string{}}
		if tag != "" {
			pkg.Tags = []string{tag}
		}
		out[tag] = pkg
	}
	return out
}

// clashing are names a tag package must not take: the packages generated
// code imports, so that no import needs an alias.
var clashing = map[string]bool{
	"runtime": true, "rtimpl": true, "auth": true, "context": true, "io": true, "json": true, "time": true, "url": true, "http": true,
	"fmt": true, "strconv": true, "strings": true, "errors": true, "bytes": true, "iter": true, "big": true,
	"mime": true, "multipart": true,
}

// goToolSpecial are directory names the go command treats specially
// (cmd/go "Package lists and patterns", "Internal Directories", "Vendor
// Directories"): a package main is a command, not importable; an internal
// package is importable only from the root's tree; ./... skips testdata
// and vendor, so their code would be neither built nor vetted.
var goToolSpecial = map[string]bool{"main": true, "internal": true, "testdata": true, "vendor": true}

// packageName turns a tag into a Go package name: lower-case ASCII letters
// and digits only ("Pet Store" → "petstore", "user-accounts" →
// "useraccounts"), "api" appended when that is a Go keyword, a predeclared
// identifier, an imported package's name, the root's name, or a directory
// name the go command treats specially (goToolSpecial, and names starting
// with "_" or ".", which ./... skips; the reduction leaves neither).
func packageName(tag, rootName string) string {
	if tag == "" {
		return Untagged
	}
	var b strings.Builder
	for _, r := range strings.ToLower(tag) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	name := b.String()
	switch {
	case name == "":
		name = "tag"
	case name[0] >= '0' && name[0] <= '9':
		name = "tag" + name
	}
	if token.IsKeyword(name) || names.IsGoReserved(name) || clashing[name] || name == rootName || name == Untagged ||
		goToolSpecial[name] || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
		name += "api"
	}
	return name
}
