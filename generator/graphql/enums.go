package graphql

import (
	"go/ast"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/Khan/genqlient/generate"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// Enum values that differ only in case or underscores (Braintree's
// CreditCardBrandCode has AMERICAN_EXPRESS and american_express) get the
// same Go constant name from genqlient, which then stops with advice to
// edit a genqlient.yaml the user does not have. connectorgen has genqlient
// name such an enum's constants raw (<Enum>_<VALUE>, always distinct) and
// renames them afterwards the way the OpenAPI side numbers colliding
// names: in schema order the first value keeps <Enum><Value>, the next
// ones get 2, 3, ... (an underscore before the number after a digit).

// collidingEnums returns the enums of schema two of whose values would
// get the same Go name, sorted.
func collidingEnums(schema *gqlast.Schema) []string {
	var out []string
	for name, def := range schema.Types {
		if def.Kind != gqlast.Enum || def.BuiltIn {
			continue
		}
		seen := map[string]bool{}
		for _, v := range def.EnumValues {
			n := goConstName(v.Name)
			if seen[n] {
				out = append(out, name)
				break
			}
			seen[n] = true
		}
	}
	sort.Strings(out)
	return out
}

// goConstName is genqlient's default casing of an enum value (its
// unexported goConstName): underscores dropped, the letter after one upper
// case, the others lower case.
func goConstName(s string) string {
	if strings.TrimLeft(s, "_") == "" {
		return s
	}
	var prev rune
	return strings.Map(func(r rune) rune {
		var ret rune
		switch {
		case r == '_':
			ret = -1
		case prev == '_' || prev == 0:
			ret = unicode.ToUpper(r)
		default:
			ret = unicode.ToLower(r)
		}
		prev = r
		return ret
	}, s)
}

// renameEnumValues renames, throughout f, the raw constant names genqlient
// gave the values of the colliding enums to numbered default-cased ones.
// declared holds f's top-level names; the new names are added to it.
func renameEnumValues(f *ast.File, schema *gqlast.Schema, enums []string, declared map[string]bool) {
	rename := map[string]string{}
	for _, name := range enums {
		goType := generate.ApplyCasing(name, generate.CasingDefault, true)
		for _, v := range schema.Types[name].EnumValues {
			raw := goType + "_" + v.Name
			if !declared[raw] {
				continue // the enum is not used by the operations
			}
			want := goType + goConstName(v.Name)
			got := want
			for i := 2; declared[got] && rename[raw] != got; i++ {
				got = numbered(want, i)
			}
			rename[raw] = got
			delete(declared, raw)
			declared[got] = true
		}
	}
	if len(rename) == 0 {
		return
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && rename[id.Name] != "" {
			id.Name = rename[id.Name]
		}
		return true
	})
}

// numbered returns want+"2" for i == 2, with an underscore before the
// number when want ends in a digit or an underscore (generator/names).
func numbered(want string, i int) string {
	if r, _ := utf8.DecodeLastRuneInString(want); r == '_' || (r >= '0' && r <= '9') {
		return want + "_" + strconv.Itoa(i)
	}
	return want + strconv.Itoa(i)
}
