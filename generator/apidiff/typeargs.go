package apidiff

import (
	"fmt"
	"go/types"
	"sort"
	"strings"
)

// apidiff (golang.org/x/exp/apidiff at the pinned version) matches a named
// type of another package by its name alone: runtime.Opt[string] and
// runtime.Opt[int64] correspond, so an optional property whose type changes
// goes unreported. missedTypeArgs finds those changes: identifiers present
// in both packages whose types differ only in the type arguments of another
// package's generic types.
const typeArgsNote = "found by connectorgen: apidiff compares generic types of other packages (runtime.Opt, runtime.Nullable, ...) by name, not type arguments"

// prefix ("./pets.") qualifies the identifiers of a tag package.
func missedTypeArgs(oldPkg, newPkg *types.Package, reported map[string]bool, prefix string) []GoChange {
	var out []GoChange
	check := func(key string, ot, nt types.Type) {
		key = prefix + key
		if reported[key] {
			return
		}
		o, n := shape(ot, oldPkg, false), shape(nt, newPkg, false)
		if o == n || shape(ot, oldPkg, true) != shape(nt, newPkg, true) {
			return // the same, or a difference apidiff sees
		}
		out = append(out, GoChange{Breaking: true, Object: key,
			Change: tidyTypes(fmt.Sprintf("changed from %s to %s",
				types.TypeString(ot, types.RelativeTo(oldPkg)), types.TypeString(nt, types.RelativeTo(newPkg)))),
			Note: typeArgsNote})
	}
	for _, name := range oldPkg.Scope().Names() {
		oo, no := oldPkg.Scope().Lookup(name), newPkg.Scope().Lookup(name)
		if !oo.Exported() || no == nil {
			continue
		}
		switch oo := oo.(type) {
		case *types.Func, *types.Var:
			if fmt.Sprintf("%T", oo) == fmt.Sprintf("%T", no) {
				check(name, oo.Type(), no.Type())
			}
		case *types.TypeName:
			nt, ok := no.(*types.TypeName)
			if !ok || oo.IsAlias() || nt.IsAlias() {
				continue
			}
			os, ok1 := oo.Type().Underlying().(*types.Struct)
			ns, ok2 := nt.Type().Underlying().(*types.Struct)
			if ok1 && ok2 {
				nf := map[string]*types.Var{}
				for i := range ns.NumFields() {
					nf[ns.Field(i).Name()] = ns.Field(i)
				}
				for i := range os.NumFields() {
					f := os.Field(i)
					if g := nf[f.Name()]; f.Exported() && g != nil {
						check(name+"."+f.Name(), f.Type(), g.Type())
					}
				}
			} else if !ok1 && !ok2 {
				check(name, oo.Type().Underlying(), nt.Type().Underlying())
			}
			om, nm := methods(oo.Type()), methods(nt.Type())
			for m, of := range om {
				if nf := nm[m]; nf != nil {
					check(methodKey(name, of), of.Signature(), nf.Signature())
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Object < out[j].Object })
	return out
}

// methods lists the exported methods declared on a named type, value and
// pointer receivers alike.
func methods(t types.Type) map[string]*types.Func {
	out := map[string]*types.Func{}
	if n, ok := t.(*types.Named); ok {
		for i := range n.NumMethods() {
			if m := n.Method(i); m.Exported() {
				out[m.Name()] = m
			}
		}
	}
	return out
}

// methodKey spells a method as apidiff does: "T.M" or "(*T).M".
func methodKey(typeName string, m *types.Func) string {
	if _, ptr := m.Signature().Recv().Type().(*types.Pointer); ptr {
		return "(*" + typeName + ")." + m.Name()
	}
	return typeName + "." + m.Name()
}

// shape spells a type relative to pkg, like types.TypeString, but with the
// type arguments of other packages' generic types erased when erase is set.
// Receivers are left out of signatures.
func shape(t types.Type, pkg *types.Package, erase bool) string {
	switch t := t.(type) {
	case *types.Alias:
		return shape(types.Unalias(t), pkg, erase)
	case *types.Named:
		name := types.TypeString(t.Origin(), types.RelativeTo(pkg))
		if i := strings.IndexByte(name, '['); i >= 0 {
			name = name[:i] // a generic origin prints its type parameters
		}
		args := t.TypeArgs()
		if args.Len() == 0 {
			return name
		}
		if erase && t.Obj().Pkg() != pkg {
			return name + "[…]"
		}
		parts := make([]string, args.Len())
		for i := range args.Len() {
			parts[i] = shape(args.At(i), pkg, erase)
		}
		return name + "[" + strings.Join(parts, ", ") + "]"
	case *types.Pointer:
		return "*" + shape(t.Elem(), pkg, erase)
	case *types.Slice:
		return "[]" + shape(t.Elem(), pkg, erase)
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), shape(t.Elem(), pkg, erase))
	case *types.Map:
		return "map[" + shape(t.Key(), pkg, erase) + "]" + shape(t.Elem(), pkg, erase)
	case *types.Chan:
		return fmt.Sprintf("chan(%d) %s", t.Dir(), shape(t.Elem(), pkg, erase))
	case *types.Signature:
		var b strings.Builder
		b.WriteString("func(")
		tuple(&b, t.Params(), pkg, erase)
		if t.Variadic() {
			b.WriteString("...")
		}
		b.WriteString(") (")
		tuple(&b, t.Results(), pkg, erase)
		b.WriteString(")")
		return b.String()
	case *types.Struct:
		var b strings.Builder
		b.WriteString("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			fmt.Fprintf(&b, "%s %s %q; ", f.Name(), shape(f.Type(), pkg, erase), t.Tag(i))
		}
		b.WriteString("}")
		return b.String()
	}
	return types.TypeString(t, types.RelativeTo(pkg))
}

func tuple(b *strings.Builder, t *types.Tuple, pkg *types.Package, erase bool) {
	for i := range t.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(shape(t.At(i).Type(), pkg, erase))
	}
}
