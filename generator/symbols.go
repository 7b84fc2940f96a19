package generator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
)

// Symbol is what in the spec a generated identifier comes from: a schema,
// an operation, a security scheme, the servers, or the client plumbing.
// `connectorgen diff` reports each change of the Go API with it.
type Symbol struct {
	// Kind is "schema", "operation", "security scheme", "server", "client"
	// (the Client type, New and its plumbing), "webhooks" (the Webhooks
	// receiver and the WebhookSender), "webhook" (one event's On and Send
	// methods: Pointer and Name), "graphql type" (a type of a GraphQL
	// schema, Name) or "generated" (no better answer).
	Kind string `json:"kind"`
	// Pointer is a schema's JSON pointer, e.g. #/components/schemas/Pet.
	Pointer string `json:"pointer,omitempty"`
	// OperationID, Method and Path name an operation (OperationID is empty
	// when the spec gives none).
	OperationID string `json:"operationId,omitempty"`
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	// Name is a security scheme's name.
	Name string `json:"name,omitempty"`
	// Detail narrows it down: `property "name"`, `query parameter "limit"`,
	// `request body`, `200 response`, `enum value "sold"`.
	Detail string `json:"detail,omitempty"`
}

// String is the symbol as a report prints it: `schema
// #/components/schemas/Pet, property "id"`, `operation listPets (GET
// /pets)`, `security scheme "apiKey"`.
func (s Symbol) String() string {
	var b string
	switch s.Kind {
	case "schema":
		b = "schema " + s.Pointer
	case "operation":
		switch {
		case s.Method == "":
			b = "operation " + s.OperationID
		case s.OperationID != "":
			b = fmt.Sprintf("operation %s (%s %s)", s.OperationID, s.Method, s.Path)
		default:
			b = fmt.Sprintf("operation %s %s", s.Method, s.Path)
		}
	case "security scheme":
		b = fmt.Sprintf("security scheme %q", s.Name)
	case "server":
		b = "servers"
	case "graphql type":
		b = fmt.Sprintf("GraphQL type %s", s.Name)
	default:
		b = s.Kind
	}
	if s.Detail != "" {
		b += ", " + s.Detail
	}
	return b
}

// symbols maps every identifier the emitter declares from the IR to its
// source, keyed as golang.org/x/exp/apidiff spells identifiers: "Pet",
// "Pet.Name" (a field), "(*Client).ListPets" (a method), "PetStatusSold"
// (a constant). It reads the names the names pass gave the IR, so it
// cannot drift from the code: a name and its source are one IR node.
// Identifiers of a tag package (split: tags) are keyed without their
// package: names are unique across a split connector. Methods the
// emitter adds to a type (Validate, MarshalJSON, ...) are not listed:
// their type's source is theirs.
func symbols(api *ir.API) map[string]Symbol {
	out := map[string]Symbol{
		"Client":           {Kind: "client"},
		"New":              {Kind: "client"},
		"DefaultServerURL": {Kind: "server"},
	}
	for _, t := range api.Types {
		if t.Name == "" {
			continue
		}
		src := Symbol{Kind: "schema", Pointer: t.Source}
		out[t.Name] = src
		for _, f := range t.Fields {
			if f.GoName != "" {
				out[t.Name+"."+f.GoName] = with(src, fmt.Sprintf("property %q", f.JSONName))
			}
		}
		if t.Extra != nil {
			out[t.Name+".AdditionalProperties"] = with(src, "additionalProperties")
		}
		for _, v := range t.Variants {
			if v.GoName != "" {
				out[t.Name+"."+v.GoName] = src
			}
		}
		for _, e := range t.Enum {
			if e.GoName != "" {
				out[e.GoName] = with(src, "enum value "+enumLiteral(e.Value))
			}
		}
	}
	for _, s := range api.SecuritySchemes {
		if s.GoName != "" {
			out[s.GoName] = Symbol{Kind: "security scheme", Name: s.Name}
		}
	}
	for _, op := range api.Operations {
		src := operationSymbol(op)
		out["(*Client)."+op.Name] = src
		request(out, op.RequestName, op, op.Body, src)
		for _, a := range op.Alternatives {
			out["(*Client)."+a.Name] = src
			request(out, a.RequestName, op, a.Body, src)
		}
		if op.ResponseName != "" {
			out[op.ResponseName] = src
			for _, r := range op.Successes() {
				if r.Kind != ir.BodyNone {
					out[op.ResponseName+"."+ir.StatusField(r.Status)] = with(src, r.Status+" response")
				}
			}
			for _, h := range op.SuccessHeaders() {
				if h.GoName != "" {
					out[op.ResponseName+"."+h.GoName] = with(src, fmt.Sprintf("response header %q", h.Name))
				}
			}
		}
	}
	if len(api.Webhooks) > 0 {
		recv := Symbol{Kind: "webhooks"}
		for _, n := range []string{"Webhooks", "NewWebhooks", "WebhookSender", "WebhookSender.URL", "WebhookSender.Signer", "WebhookSender.Client",
			"(*Webhooks).ServeHTTP", "(*Webhooks).Replay", "(*Webhooks).OnUnknown", "(*Webhooks).Event", "(*WebhookSender)"} {
			out[n] = recv
		}
		delete(out, "(*WebhookSender)")
		for _, w := range api.Webhooks {
			src := Symbol{Kind: "webhook", Pointer: w.Source, Name: w.Name}
			out["(*Webhooks).On"+w.Op.Name] = src
			out["(*WebhookSender).Send"+w.Op.Name] = src
		}
	}
	return out
}

// request adds an operation's request type and its fields.
func request(out map[string]Symbol, name string, op *ir.Operation, body *ir.Body, src Symbol) {
	if name == "" {
		return
	}
	out[name] = src
	for _, p := range op.Params {
		if p.GoName != "" {
			out[name+"."+p.GoName] = with(src, fmt.Sprintf("%s parameter %q", p.In, p.Name))
		}
	}
	if body != nil {
		out[name+".Body"] = with(src, "request body")
		out[name+".BodyContentType"] = with(src, "request body")
	}
}

// operationSymbol names an operation; an operationId the loader derived
// from the method and path ("get /pets") is not the spec's and is left out.
func operationSymbol(op *ir.Operation) Symbol {
	s := Symbol{Kind: "operation", Method: op.Method, Path: op.Path}
	if op.ID != strings.ToLower(op.Method)+" "+op.Path {
		s.OperationID = op.ID
	}
	return s
}

func with(s Symbol, detail string) Symbol {
	s.Detail = detail
	return s
}

// enumLiteral writes an enum value as Go source would: strings quoted.
func enumLiteral(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
