package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// FormBody decodes an application/x-www-form-urlencoded request body into
// dst, a pointer to the request's Body field, best-effort: members by their
// JSON names, brackets for nesting (deepObject and Stripe's convention:
// address[city]=x, expand[0]=y, items[]=z), repeated names for arrays;
// members the type does not declare go to its AdditionalProperties (as
// JSON strings); a value that does not parse as its field's type, or a
// member of a union type, is left unset. The request's raw body stays in
// Calls.
func FormBody(r *http.Request, dst any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	values, err := url.ParseQuery(string(data))
	if err != nil {
		return err
	}
	tree := map[string]any{}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		insert(tree, formPath(k), values[k])
	}
	assign(reflect.ValueOf(dst).Elem(), tree, 0)
	return nil
}

// formPath cuts a form name into its path: "a[b][0]" is a, b, 0; "a[]"
// is a, "".
func formPath(name string) []string {
	head, rest, ok := strings.Cut(name, "[")
	if !ok {
		return []string{name}
	}
	path := []string{head}
	for rest != "" {
		seg, after, ok := strings.Cut(rest, "]")
		if !ok {
			return []string{name}
		}
		path = append(path, seg)
		rest = strings.TrimPrefix(after, "[")
	}
	return path
}

// insert puts the values at path into tree: branches are map[string]any,
// leaves []string.
func insert(tree map[string]any, path []string, values []string) {
	for len(path) > 1 {
		next, ok := tree[path[0]].(map[string]any)
		if !ok {
			next = map[string]any{}
			tree[path[0]] = next
		}
		if path[1] == "" { // a[]: the list itself
			if l, ok := next[""].([]string); ok {
				values = append(l, values...)
			}
			next[""] = values
			return
		}
		tree, path = next, path[1:]
	}
	if l, ok := tree[path[0]].([]string); ok {
		values = append(l, values...)
	}
	tree[path[0]] = values
}

// maxFormDepth bounds assign's recursion (a cycle of pointer types).
const maxFormDepth = 32

// assign sets v from node (a map[string]any branch or a []string leaf),
// best-effort.
func assign(v reflect.Value, node any, depth int) {
	if depth > maxFormDepth || !v.CanSet() {
		return
	}
	t := v.Type()
	// Opt and Nullable: their Value, then Set.
	if t.Kind() == reflect.Struct && t.NumField() >= 2 && t.Field(0).Name == "Value" && t.Field(1).Name == "Set" &&
		strings.HasPrefix(t.PkgPath(), "github.com/connectorgen/connectorgen/runtime") {
		inner := reflect.New(t.Field(0).Type).Elem()
		if set(inner, node, depth) {
			v.Field(0).Set(inner)
			v.Field(1).SetBool(true)
		}
		return
	}
	set(v, node, depth)
}

// set is assign's work; it reports whether it set anything.
func set(v reflect.Value, node any, depth int) bool {
	switch v.Kind() {
	case reflect.Pointer:
		x := reflect.New(v.Type().Elem())
		if set(x.Elem(), node, depth+1) {
			v.Set(x)
			return true
		}
		return false
	case reflect.Interface:
		if leaf, ok := node.([]string); ok && len(leaf) > 0 && v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(leaf[len(leaf)-1]))
			return true
		}
		return false
	case reflect.Struct:
		return setStruct(v, node, depth)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			break
		}
		items := listItems(node)
		if items == nil {
			return false
		}
		out := reflect.MakeSlice(v.Type(), 0, len(items))
		for _, it := range items {
			x := reflect.New(v.Type().Elem()).Elem()
			assign(x, it, depth+1)
			out = reflect.Append(out, x)
		}
		v.Set(out)
		return true
	case reflect.Map:
		branch, ok := node.(map[string]any)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return false
		}
		m := reflect.MakeMap(v.Type())
		for k, child := range branch {
			x := reflect.New(v.Type().Elem()).Elem()
			assign(x, child, depth+1)
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), x)
		}
		v.Set(m)
		return true
	}
	leaf, ok := node.([]string)
	if !ok || len(leaf) == 0 {
		return false
	}
	return rtimpl.DecodeParam(leaf[len(leaf)-1:], v.Addr().Interface()) == nil
}

// setStruct sets a generated object's fields by their JSON names and the
// rest into its jsonextra field; a union (no JSON-named field) is left
// alone.
func setStruct(v reflect.Value, node any, depth int) bool {
	branch, ok := node.(map[string]any)
	if !ok {
		return false
	}
	t := v.Type()
	used := map[string]bool{}
	extra := -1
	named := false
	for i := range t.NumField() {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup("jsonextra"); ok {
			extra = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if n, ok := f.Tag.Lookup("jsonname"); ok {
			name = n
		}
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		named = true
		if child, ok := branch[name]; ok {
			used[name] = true
			assign(v.Field(i), child, depth+1)
		}
	}
	if !named {
		return false
	}
	if extra >= 0 && v.Field(extra).Type().Key().Kind() == reflect.String {
		m := v.Field(extra)
		for k, child := range branch {
			if used[k] {
				continue
			}
			raw, err := json.Marshal(plain(child))
			if err != nil {
				continue
			}
			x := reflect.New(m.Type().Elem())
			if json.Unmarshal(raw, x.Interface()) != nil {
				continue
			}
			if m.IsNil() {
				m.Set(reflect.MakeMap(m.Type()))
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(m.Type().Key()), x.Elem())
		}
	}
	return true
}

// listItems is a node read as a list: repeated values, a[] values, or
// a[0], a[1]… in index order.
func listItems(node any) []any {
	switch n := node.(type) {
	case []string:
		out := make([]any, len(n))
		for i, s := range n {
			out[i] = []string{s}
		}
		return out
	case map[string]any:
		if l, ok := n[""].([]string); ok && len(n) == 1 {
			return listItems(l)
		}
		idx := make([]int, 0, len(n))
		for k := range n {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 {
				return nil
			}
			idx = append(idx, i)
		}
		sort.Ints(idx)
		out := make([]any, len(idx))
		for j, i := range idx {
			out[j] = n[strconv.Itoa(i)]
		}
		return out
	}
	return nil
}

// plain is a node as JSON data: a leaf its last value, a branch an object.
func plain(node any) any {
	switch n := node.(type) {
	case []string:
		if len(n) == 0 {
			return nil
		}
		return n[len(n)-1]
	case map[string]any:
		out := map[string]any{}
		for k, c := range n {
			out[k] = plain(c)
		}
		return out
	}
	return nil
}
