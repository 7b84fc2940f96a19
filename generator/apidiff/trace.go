package apidiff

import (
	"strings"

	"github.com/connectorgen/connectorgen/generator"
)

// Source is what in the spec a generated identifier comes from (see
// generator.Symbol).
type Source = generator.Symbol

// trace finds the source of the identifier apidiff names in the symbols
// the generator reported for the old connector and then the new one (an
// added identifier exists only there), trying the identifier, then its
// enclosing ones ("Pet.Name" then "Pet"; "(*Pet).Validate" then "Pet"):
// a method the emitter adds to a type has its type's source.
func trace(obj string, old, new map[string]Source) Source {
	for _, key := range candidates(obj) {
		for _, syms := range []map[string]Source{old, new} {
			if s, ok := syms[key]; ok {
				return s
			}
		}
	}
	return Source{Kind: "generated"}
}

// candidates lists obj and its enclosing identifiers, longest first:
// "(*Client).ListPets" gives itself and "Client"; "A.B.C" gives "A.B.C",
// "A.B" and "A".
func candidates(obj string) []string {
	var out []string
	for obj != "" {
		out = append(out, obj)
		if strings.HasPrefix(obj, "(*") {
			if end := strings.Index(obj, ")"); end > 0 {
				if obj[end+1:] == "" {
					obj = obj[2:end]
					continue
				}
				rest := obj[end+1:]
				i := strings.LastIndex(rest, ".")
				if i <= 0 {
					obj = obj[:end+1]
				} else {
					obj = obj[:end+1] + rest[:i]
				}
				continue
			}
		}
		i := strings.LastIndex(obj, ".")
		if i < 0 {
			break
		}
		obj = obj[:i]
	}
	return out
}
