package emit

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Splitting large files. A types.go or operations.go that renders larger
// than maxFileBytes is cut into several files of the same package, each
// holding the declarations of a range of names (a type with its methods
// and constants, or an operation with its descriptor, request and
// response types and methods), so that no file is too large for editors,
// code review and diff tools (Stripe's spec renders a types.go of 20 MiB).
// The Go compiler compiles a package as a whole: splitting does not make
// the package cheaper to build (docs/design.md, "Large outputs").
//
// The rule, which depends only on the names and the rendered sizes: the
// names are cut into words (PostPaymentIntentsBody: post, payment,
// intents, body) and bucketed by their first word; a bucket larger than
// the limit is bucketed again by the first two words, and so on; then
// consecutive buckets, in the order of their words, are merged while the
// file stays within the limit. A file is named after its first and last
// bucket: types.account-gelato.go, types.postpaymentintentsintent.go
// (operations.get-post.go, ...). The dot keeps the name clear of the go
// command's _test, _GOOS and _GOARCH file name suffixes. Buckets move to
// other files only when a bucket or a file crosses the limit, so that a
// regenerated connector's diff mostly stays within the files of the names
// the spec's diff touches. Declarations keep their order in the unsplit
// file, and each file imports what it uses.

// maxFileBytes is the size above which types.go and operations.go are
// split. A variable, so that tests can split small outputs.
var maxFileBytes = 2 << 20

// unit is the text of one named group of declarations of a rendered file.
type unit struct {
	words   []string        // of its name (see words)
	text    []byte          // from its first declaration's doc comment, without trailing newlines
	imports map[string]bool // the import names it uses
}

// splitFile returns the files that replace name (types.go or
// operations.go, with the rendered content src) when src is larger than
// limit: each holds the declarations of a range of names. starts maps the
// identifier a unit's first declaration declares (a type's name, an
// operation's descriptor variable) to the unit's name. A file is larger
// than limit only when one unit alone is. When src is within limit, or
// has fewer than two units, the result is name with src.
func splitFile(name string, src []byte, starts map[string]string, limit int) (map[string][]byte, error) {
	if len(src) <= limit {
		return map[string][]byte{name: src}, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("split %s: %w", name, err)
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }

	// The prologue: the header comment and the package clause, then the
	// imports, each with the name it is used by.
	headEnd, bodyStart := off(f.Name.End()), off(f.Name.End())
	type imp struct {
		name, text string
		std        bool
	}
	var imps []imp
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		headEnd = min(headEnd, off(gd.Pos()))
		if gd.Doc != nil {
			headEnd = min(headEnd, off(gd.Doc.Pos()))
		}
		bodyStart = off(gd.End())
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			p := strings.Trim(is.Path.Value, `"`)
			n := path.Base(p)
			if is.Name != nil {
				n = is.Name.Name
			}
			first, _, _ := strings.Cut(p, "/")
			imps = append(imps, imp{name: n, text: string(src[off(is.Pos()):off(is.End())]), std: !strings.Contains(first, ".")})
		}
	}
	head := bytes.TrimRight(src[:headEnd], "\n")

	// The units, in the file's order: each starts at the declaration
	// starts names, and runs to the next one's start; the first one also
	// holds whatever precedes it.
	var units []*unit
	var offsets []int
	for _, d := range f.Decls {
		id, start, doc := declares(d)
		n, ok := starts[id]
		if !ok {
			continue
		}
		at := off(start)
		if doc != nil {
			at = off(doc.Pos())
		}
		if len(units) == 0 {
			at = bodyStart
		}
		units = append(units, &unit{words: words(n), imports: map[string]bool{}})
		offsets = append(offsets, at)
	}
	if len(units) < 2 {
		return map[string][]byte{name: src}, nil
	}
	offsets = append(offsets, len(src))
	for i, u := range units {
		u.text = bytes.Trim(src[offsets[i]:offsets[i+1]], "\n")
	}
	// A unit uses an import when it has a selector on the import's name:
	// the emitter declares no variable named like a package it imports.
	names := map[string]bool{}
	for _, im := range imps {
		names[im.name] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && names[x.Name] {
			at := off(x.Pos())
			if i := sort.SearchInts(offsets, at+1) - 1; i >= 0 && i < len(units) {
				units[i].imports[x.Name] = true
			}
		}
		return true
	})

	// Group, name and assemble the files.
	budget := limit - len(src[:bodyStart]) - 2
	byWords := slices.Clone(units)
	sort.SliceStable(byWords, func(i, j int) bool { return slices.Compare(byWords[i].words, byWords[j].words) < 0 })
	out := map[string][]byte{}
	for fname, us := range pack(leaves(nil, byWords, 1, budget), strings.TrimSuffix(name, ".go"), budget) {
		in := map[*unit]bool{}
		used := map[string]bool{}
		for _, u := range us {
			in[u] = true
			for n := range u.imports {
				used[n] = true
			}
		}
		var std, other []string
		for _, im := range imps {
			switch {
			case !used[im.name]:
			case im.std:
				std = append(std, "\t"+im.text)
			default:
				other = append(other, "\t"+im.text)
			}
		}
		var b bytes.Buffer
		b.Write(head)
		switch lines := slices.Concat(std, other); {
		case len(lines) == 1:
			b.WriteString("\n\nimport " + strings.TrimPrefix(lines[0], "\t"))
		case len(std) > 0 && len(other) > 0:
			b.WriteString("\n\nimport (\n" + strings.Join(std, "\n") + "\n\n" + strings.Join(other, "\n") + "\n)")
		case len(lines) > 1:
			b.WriteString("\n\nimport (\n" + strings.Join(lines, "\n") + "\n)")
		}
		for _, u := range units { // the unsplit file's order
			if in[u] {
				b.WriteString("\n\n")
				b.Write(u.text)
			}
		}
		b.WriteString("\n")
		out[fname] = b.Bytes()
	}
	return out, nil
}

// declares returns the identifier a top-level type or var declaration
// declares first, its position and its doc comment.
func declares(d ast.Decl) (string, token.Pos, *ast.CommentGroup) {
	gd, ok := d.(*ast.GenDecl)
	if !ok || len(gd.Specs) == 0 {
		return "", token.NoPos, nil
	}
	switch s := gd.Specs[0].(type) {
	case *ast.TypeSpec:
		return s.Name.Name, gd.Pos(), gd.Doc
	case *ast.ValueSpec:
		if gd.Tok == token.VAR {
			return s.Names[0].Name, gd.Pos(), gd.Doc
		}
	}
	return "", token.NoPos, nil
}

// leaf is a bucket of units that share their first words and fit in a
// file (or cannot be told apart by more words).
type leaf struct {
	key   string // the shared words, joined
	units []*unit
	size  int
}

// leaves appends to out the leaves of us, which are sorted by words and
// share their first depth-1 words: it buckets them by their first depth
// words, and a bucket larger than budget again by one word more.
func leaves(out []leaf, us []*unit, depth, budget int) []leaf {
	for i := 0; i < len(us); {
		p := us[i].words[:min(depth, len(us[i].words))]
		j, size, deeper := i, 0, false
		for ; j < len(us) && slices.Equal(us[j].words[:min(depth, len(us[j].words))], p); j++ {
			size += len(us[j].text) + 2
			deeper = deeper || len(us[j].words) > depth
		}
		if size > budget && j-i > 1 && deeper {
			out = leaves(out, us[i:j], depth+1, budget)
		} else {
			out = append(out, leaf{key: strings.Join(p, ""), units: us[i:j], size: size})
		}
		i = j
	}
	return out
}

// pack merges consecutive leaves into files of at most budget bytes and
// names each after its first and last leaf: base.<first>-<last>.go, or
// base.<key>.go for one leaf. A name taken already (words that join
// alike, as Ab+C and A+Bc) gets a number.
func pack(ls []leaf, base string, budget int) map[string][]*unit {
	out := map[string][]*unit{}
	var cur []*unit
	first, last, size := "", "", 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		name := base + "." + first
		if last != first {
			name += "-" + last
		}
		for n, try := 2, name; ; n++ {
			if _, taken := out[try+".go"]; !taken {
				name = try
				break
			}
			try = fmt.Sprintf("%s-%d", name, n)
		}
		out[name+".go"] = cur
		cur, size = nil, 0
	}
	for _, l := range ls {
		if size+l.size > budget {
			flush()
		}
		if len(cur) == 0 {
			first = l.key
		}
		cur = append(cur, l.units...)
		last = l.key
		size += l.size
	}
	flush()
	return out
}

// words splits a Go name into its words, lowercased, for file names:
// "PostPaymentIntentsBody" is post, payment, intents, body; "URLPath" is
// url, path; "V1Items" is v1, items. An underscore separates words; a
// character other than a-z and 0-9 (after lowercasing) becomes x.
func words(name string) []string {
	rs := []rune(name)
	var out []string
	var w []byte
	for i, r := range rs {
		lower := unicode.ToLower(r)
		if r == '_' {
			if len(w) > 0 {
				out = append(out, string(w))
			}
			w = nil
			continue
		}
		if unicode.IsUpper(r) && len(w) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if !unicode.IsUpper(prev) || nextLower {
				out = append(out, string(w))
				w = nil
			}
		}
		if 'a' <= lower && lower <= 'z' || '0' <= lower && lower <= '9' {
			w = append(w, byte(lower))
		} else {
			w = append(w, 'x')
		}
	}
	if len(w) > 0 {
		out = append(out, string(w))
	}
	if len(out) == 0 {
		out = []string{"x"}
	}
	return out
}
