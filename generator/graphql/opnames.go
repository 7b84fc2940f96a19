package graphql

import (
	"fmt"
	"strings"

	"github.com/Khan/genqlient/generate"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/names"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// An operation's name becomes Go code: genqlient's package-level function
// of that name while genqlient runs (with <Name>Response, __<Name>Input and
// <Name>_Operation beside it; adapt removes the function and the struct),
// the Client method exported(name) and the struct <Method>Variables. Names
// that would not compile are refused, so that no spec yields a package that
// does not build: Go keywords and predeclared identifiers, the packages the
// files import (genqlient's function would hide one while its imports are
// resolved), the methods Client has, and two operations making one method.
// The connector's own package-level names (Client, New, ...) are free: no
// operation declares them any more, and checkDeclared catches a type that
// genqlient names so.
var (
	// connectorDecls are the package-level identifiers of client.go, for
	// checkDeclared's messages.
	connectorDecls = map[string]string{
		"Client": "the connector's Client type", "New": "the connector's New function",
		"WithBearer": "the connector's WithBearer option", "security": "a variable of the connector",
		"securitySchemes": "a variable of the connector",
	}
	// importNames are the packages the generated files import, by name.
	importNames = map[string]bool{"context": true, "json": true, "fmt": true, "time": true, "graphql": true, "runtime": true, "rtimpl": true, "auth": true}
	// clientMethods are the methods Client has besides the operations'.
	clientMethods = map[string]bool{"GraphQL": true}
)

// checkOpName returns why an operation's name cannot be used, or "".
// methods maps each method name already taken by an operation to that
// operation's name (GraphQL names are case-sensitive, exported ones are
// not: getUser and GetUser both make the method GetUser).
func checkOpName(name string, methods map[string]string) string {
	method := exported(name)
	switch {
	case names.IsGoReserved(name):
		return fmt.Sprintf("operation name %s is a Go keyword or predeclared identifier", name)
	case importNames[name]:
		return fmt.Sprintf("operation name %s is the name of a package the connector imports", name)
	case clientMethods[method]:
		return fmt.Sprintf("operation name %s would make the method Client.%s, which the connector declares", name, method)
	case methods[method] != "":
		return fmt.Sprintf("operation names %s and %s both make the method Client.%s", methods[method], name, method)
	}
	methods[method] = name
	return ""
}

// opNamePos returns where an operation's name stands in text: gqlparser
// positions an operation at its query or mutation keyword, and the name
// follows it after white space, commas and comments (GraphQL October 2021
// §2.1 ignored tokens).
func opNamePos(file string, text []byte, op *gqlast.OperationDefinition) diag.Pos {
	pos := posOf(file, op.Position)
	if op.Position == nil {
		return pos
	}
	src := []rune(string(text))
	i, line, col := op.Position.Start, pos.Line, pos.Col
	if i < 0 || i > len(src) {
		return pos
	}
	for i < len(src) && (src[i] >= 'a' && src[i] <= 'z') { // the keyword
		i, col = i+1, col+1
	}
	for i < len(src) {
		switch c := src[i]; {
		case c == '\n' || c == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			line, col = line+1, 1
		case c == '#':
			for i+1 < len(src) && src[i+1] != '\n' && src[i+1] != '\r' {
				i++
			}
			col = 1 // the line end that follows resets it
		case c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\uFEFF':
			col++
		default:
			return diag.Pos{File: file, Line: line, Col: col}
		}
		i++
	}
	return pos
}

// checkDeclared reports the names client.go would declare that genqlient's
// operations.go declares too (a GraphQL type named Client or
// RepositoryIssuesVariables, a selection whose type is named so): such a
// package would not compile. An operation's variables type is located at
// the operation, the connector's own names at the schema.
func checkDeclared(schemaFile string, schema *gqlast.Schema, ad *adapted) diag.List {
	var out diag.List
	for _, name := range []string{"Client", "New", "WithBearer", "security", "securitySchemes"} {
		if !ad.declared[name] {
			continue
		}
		pos, what, loc := diag.Pos{File: schemaFile}, "a type of the schema or of a selection", "#"
		for _, def := range schema.Types {
			if (def.Kind == gqlast.InputObject || def.Kind == gqlast.Enum) && generate.ApplyCasing(def.Name, generate.CasingDefault, true) == name {
				loc = strings.ToLower(string(def.Kind)) + " " + def.Name
				pos, what = posOf(schemaFile, def.Position), "the "+loc
			}
		}
		out = append(out, errAt(pos, loc, fmt.Sprintf("genqlient declares %s for %s, and it is %s; rename that type", name, what, connectorDecls[name])))
	}
	for _, oc := range ad.ops {
		if oc.varsType != "" && ad.declared[oc.varsType] {
			out = append(out, errAt(oc.op.NamePos, string(oc.op.Type)+" "+oc.op.Name,
				fmt.Sprintf("the variables type %s of operation %s is also the Go name of a type of the schema or of a selection; rename the operation", oc.varsType, oc.op.Name)))
		}
	}
	out.Sort()
	return out
}
