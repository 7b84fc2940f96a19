package graphql

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Introspection result types (GraphQL spec §4.2 and the standard
// introspection query's selection).
type introspection struct {
	Data *struct {
		Schema *ischema `json:"__schema"`
	} `json:"data"`
	Schema *ischema `json:"__schema"`
}

type ischema struct {
	QueryType        *struct{ Name string } `json:"queryType"`
	MutationType     *struct{ Name string } `json:"mutationType"`
	SubscriptionType *struct{ Name string } `json:"subscriptionType"`
	Types            []itype                `json:"types"`
}

type itype struct {
	Kind          string    `json:"kind"`
	Name          string    `json:"name"`
	Description   *string   `json:"description"`
	Fields        []ifield  `json:"fields"`
	InputFields   []ivalue  `json:"inputFields"`
	Interfaces    []itypref `json:"interfaces"`
	EnumValues    []ienum   `json:"enumValues"`
	PossibleTypes []itypref `json:"possibleTypes"`
}

type ifield struct {
	Name              string   `json:"name"`
	Description       *string  `json:"description"`
	Args              []ivalue `json:"args"`
	Type              itypref  `json:"type"`
	IsDeprecated      bool     `json:"isDeprecated"`
	DeprecationReason *string  `json:"deprecationReason"`
}

type ivalue struct {
	Name         string  `json:"name"`
	Description  *string `json:"description"`
	Type         itypref `json:"type"`
	DefaultValue *string `json:"defaultValue"`
}

type ienum struct {
	Name              string  `json:"name"`
	Description       *string `json:"description"`
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

type itypref struct {
	Kind   string   `json:"kind"`
	Name   *string  `json:"name"`
	OfType *itypref `json:"ofType"`
}

func (t itypref) String() string {
	switch t.Kind {
	case "NON_NULL":
		if t.OfType != nil {
			return t.OfType.String() + "!"
		}
	case "LIST":
		if t.OfType != nil {
			return "[" + t.OfType.String() + "]"
		}
	}
	if t.Name != nil {
		return *t.Name
	}
	return "Unknown"
}

var builtinScalars = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// introspectionToSDL converts an introspection query result (with or
// without the {"data": ...} envelope) into SDL. Directive definitions are
// left out: operations only need types.
func introspectionToSDL(data []byte) (string, error) {
	var in introspection
	if err := json.Unmarshal(data, &in); err != nil {
		return "", err
	}
	s := in.Schema
	if s == nil && in.Data != nil {
		s = in.Data.Schema
	}
	if s == nil {
		return "", fmt.Errorf("JSON is not an introspection result: no __schema (or data.__schema) member")
	}
	var b strings.Builder
	b.WriteString("schema {\n")
	root := func(op string, t *struct{ Name string }) {
		if t != nil && t.Name != "" {
			fmt.Fprintf(&b, "  %s: %s\n", op, t.Name)
		}
	}
	root("query", s.QueryType)
	root("mutation", s.MutationType)
	root("subscription", s.SubscriptionType)
	b.WriteString("}\n")
	types := append([]itype(nil), s.Types...)
	sort.SliceStable(types, func(i, j int) bool { return types[i].Name < types[j].Name })
	for _, t := range types {
		if strings.HasPrefix(t.Name, "__") || builtinScalars[t.Name] {
			continue
		}
		b.WriteString("\n")
		desc(&b, "", t.Description)
		switch t.Kind {
		case "SCALAR":
			fmt.Fprintf(&b, "scalar %s\n", t.Name)
		case "ENUM":
			fmt.Fprintf(&b, "enum %s {\n", t.Name)
			for _, v := range t.EnumValues {
				desc(&b, "  ", v.Description)
				fmt.Fprintf(&b, "  %s%s\n", v.Name, deprecated(v.IsDeprecated, v.DeprecationReason))
			}
			b.WriteString("}\n")
		case "UNION":
			names := make([]string, len(t.PossibleTypes))
			for i, p := range t.PossibleTypes {
				names[i] = p.String()
			}
			fmt.Fprintf(&b, "union %s = %s\n", t.Name, strings.Join(names, " | "))
		case "INPUT_OBJECT":
			fmt.Fprintf(&b, "input %s {\n", t.Name)
			for _, f := range t.InputFields {
				desc(&b, "  ", f.Description)
				fmt.Fprintf(&b, "  %s\n", value(f))
			}
			b.WriteString("}\n")
		case "OBJECT", "INTERFACE":
			kw := "type"
			if t.Kind == "INTERFACE" {
				kw = "interface"
			}
			fmt.Fprintf(&b, "%s %s", kw, t.Name)
			if len(t.Interfaces) > 0 {
				names := make([]string, len(t.Interfaces))
				for i, p := range t.Interfaces {
					names[i] = p.String()
				}
				fmt.Fprintf(&b, " implements %s", strings.Join(names, " & "))
			}
			b.WriteString(" {\n")
			for _, f := range t.Fields {
				desc(&b, "  ", f.Description)
				fmt.Fprintf(&b, "  %s", f.Name)
				if len(f.Args) > 0 {
					args := make([]string, len(f.Args))
					for i, a := range f.Args {
						args[i] = value(a)
					}
					fmt.Fprintf(&b, "(%s)", strings.Join(args, ", "))
				}
				fmt.Fprintf(&b, ": %s%s\n", f.Type, deprecated(f.IsDeprecated, f.DeprecationReason))
			}
			b.WriteString("}\n")
		default:
			return "", fmt.Errorf("type %q has unknown kind %q", t.Name, t.Kind)
		}
	}
	return b.String(), nil
}

func value(v ivalue) string {
	s := v.Name + ": " + v.Type.String()
	if v.DefaultValue != nil {
		s += " = " + *v.DefaultValue
	}
	return s
}

func desc(b *strings.Builder, indent string, d *string) {
	if d == nil || *d == "" {
		return
	}
	q, _ := json.Marshal(*d)
	fmt.Fprintf(b, "%s%s\n", indent, q)
}

func deprecated(is bool, reason *string) string {
	if !is {
		return ""
	}
	if reason == nil {
		return " @deprecated"
	}
	q, _ := json.Marshal(*reason)
	return fmt.Sprintf(" @deprecated(reason: %s)", q)
}
