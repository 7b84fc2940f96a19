// Package ir is connectorgen's one intermediate representation: pure data,
// protocol-neutral, built by a loader and read by the names pass and the
// emitter. Names (Go identifiers) are empty until the names pass fills them.
package ir

import (
	"sort"
	"strings"
)

// API is one contract: its types, operations, servers and security schemes.
type API struct {
	Title       string
	Version     string // the API's own version (info.version)
	Description string

	Servers         []Server
	SecuritySchemes []*SecurityScheme
	// Security is the document-wide requirement: OR of ANDs of scheme names.
	Security [][]string

	// Types holds every type that gets a Go declaration (components and
	// inline objects, enums and unions), in the order the loader met them.
	Types      []*Type
	Operations []*Operation
	// Webhooks are the events the API's provider sends to the consumer,
	// in name order (see Webhook); the connector's Webhooks receiver
	// dispatches them.
	Webhooks []*Webhook

	// Packages are the Go packages of a connector split by tag
	// (connectorgen.yaml's split: tags), the root first; nil when the
	// connector is one package. Filled by the split pass.
	Packages []*Package
}

// Package is one Go package of a split connector: the root, which holds
// the client and the shared types, or one per tag, which holds the
// operations of that tag and the types only they use.
type Package struct {
	Path string // import path
	Name string // package name; a tag package's directory under the root
	// Tags are the operation tags whose operations it holds; nil for the
	// root; empty (not nil) for the package of untagged operations.
	Tags []string
}

// Server is one base URL, with server variables replaced by their defaults.
type Server struct {
	URL         string
	Description string
}

// SecurityScheme is one entry of components/securitySchemes (OpenAPI 3.1
// §4.8.27).
type SecurityScheme struct {
	Name        string // key in components/securitySchemes
	Type        string // apiKey, http, oauth2, openIdConnect, mutualTLS
	In          string // apiKey: header, query or cookie
	ParamName   string // apiKey: the header, query or cookie name
	Scheme      string // http: basic, bearer, ...
	Description string
	Source      string // JSON pointer

	GoName string // option function setting its credential, e.g. WithBearerAuth
}

// Operation is one HTTP method on one path (OpenAPI 3.1 §4.8.10).
type Operation struct {
	ID          string // operationId, or one derived from method and path
	Method      string // upper case: GET, POST, ...
	Path        string // path template, e.g. /pets/{petId}; a paths key's query part is cut off (see FixedQuery)
	Summary     string
	Description string
	Deprecated  bool
	Tags        []string
	Source      string // JSON pointer, e.g. #/paths/~1pets/get

	Params []*Param
	// FixedQuery are the query members written into the paths key after
	// its path ("/search?format=json": format=json), which every call
	// sends, before its parameters. Path holds the path only; templated
	// members ("?term={term}") are query Params.
	FixedQuery []QueryPair
	Body       *Body // nil when the operation takes no request body
	// Alternatives are the request body's other media types (a content
	// map may declare several, OpenAPI 3.1 §4.8.13), in media type order;
	// Body is the preferred one. Each is sent by a method of its own.
	Alternatives []*Alternative
	Responses    []*Response
	// Security is the effective requirement (the operation's own, else the
	// document's): OR of ANDs of scheme names. Empty: no authentication.
	Security [][]string

	// GoNameOverride is the spec's x-go-name, which the names pass takes
	// as the method name before any other claim.
	GoNameOverride string
	// Extensions are the operation's specification extensions that a
	// later pass reads (x-ms-pageable, x-speakeasy-pagination,
	// x-pagination: see package paging), as decoded JSON values.
	Extensions map[string]any

	// Pagination is how the operation pages its list, set by package
	// paging (detected from the spec, or configured); nil when the
	// operation is not paginated.
	Pagination *Pagination

	// Filled by the names pass.
	Name         string // Go method name on Client
	RequestName  string // Go type holding parameters and body; "" when none
	ResponseName string // Go type for several success responses; "" when one

	// Primary is set on the operation as one of its Alternatives sends it
	// (see Variant): the operation itself, whose descriptor it shares.
	Primary *Operation

	// Package declares the method, its request and response types; nil
	// when the connector is one package. Filled by the split pass.
	Package *Package
}

// Webhook is one event the API's provider sends to its consumer: an entry
// of the document's webhooks (OpenAPI 3.1 §4.8.1; x-webhooks in 3.0), a
// callback of an operation (§4.8.18), or an event of connectorgen.yaml's
// webhooks section.
type Webhook struct {
	Name string // the spec's name: the webhooks key, the callback's name, or the config's
	// Op is the request the provider sends: its header parameters and its
	// Body (nil when it declares none). It is not one of API.Operations;
	// its Name, set by the names pass, is the event's Go name (OnNewPet,
	// SendNewPet), and its inline body type is named after it.
	Op *Operation
	// Match says what tells the event's deliveries apart from the other
	// events', every entry holding; empty only when the event is the
	// API's one event, or none can be told (the receiver then passes its
	// deliveries to the fallback handler).
	Match  []WebhookMatch
	Source string // JSON pointer of the path item (or of the config's event)
}

// WebhookMatch is one condition of a Webhook's Match.
type WebhookMatch struct {
	In    string // "header" or "body"
	Name  string // the header's name, or the body member's JSON pointer ("/action")
	Value string // the value it must have (a JSON string's text, or a number's or boolean's JSON text)
}

// Alternative is a media type of the request body besides the preferred
// one: its method sends the same operation with this body.
type Alternative struct {
	Body *Body

	// Filled by the names pass.
	Name        string // Go method name, <Op>With<Media>, e.g. CreatePetWithForm
	RequestName string // Go type holding the parameters and this body
}

// Variant returns op as alternative a sends it: a's body, method name and
// request type, no alternatives of its own, and Primary set to op.
func (op *Operation) Variant(a *Alternative) *Operation {
	v := *op
	v.Body, v.Name, v.RequestName, v.Alternatives, v.Primary = a.Body, a.Name, a.RequestName, nil, op
	return &v
}

// Bodies returns the request body in every media type the operation
// declares: Body first, then the alternatives' bodies.
func (op *Operation) Bodies() []*Body {
	var out []*Body
	if op.Body != nil {
		out = append(out, op.Body)
	}
	for _, a := range op.Alternatives {
		out = append(out, a.Body)
	}
	return out
}

// QueryPair is one fixed query member, name and value unescaped.
type QueryPair struct {
	Name, Value string
}

// Param is one parameter (OpenAPI 3.1 §4.8.12).
type Param struct {
	Name       string // as in the spec
	In         string // path, query, header, cookie
	Required   bool
	Deprecated bool
	Doc        string
	Type       *Type
	Style      string // form, simple, spaceDelimited, pipeDelimited, deepObject
	Explode    bool
	Source     string
	// ContentJSON is set when the parameter declares content with a JSON
	// media type instead of a schema and style (OpenAPI 3.1 §4.8.12.3):
	// Type is the media type's schema, and the value is sent as its
	// compact JSON text (Style and Explode do not apply).
	ContentJSON bool

	// Default is the schema's default value (decoded JSON: string,
	// float64, bool, ...), nil when it declares none.
	Default any

	GoNameOverride string // x-go-name
	GoName         string // field name in the request type
}

// BodyKind tells how a body is encoded on the wire.
type BodyKind int

// Body kinds.
const (
	BodyNone BodyKind = iota
	BodyJSON
	BodyForm      // application/x-www-form-urlencoded
	BodyMultipart // multipart/form-data, sent as a raw stream for now
	BodyText      // text/*
	BodyBinary    // anything else, as bytes or a stream
	BodyEvents    // text/event-stream responses: server-sent events
	BodyXML       // application/xml, text/xml, +xml: raw bytes, never decoded
)

// Body is a request body (OpenAPI 3.1 §4.8.13) in its chosen media type.
type Body struct {
	MediaType string
	Kind      BodyKind
	Type      *Type // nil for raw kinds
	Required  bool
	Doc       string
	Source    string
	// Encoding is the form body's per-property style and explode
	// (OpenAPI 3.1 §4.8.15), by property name.
	Encoding map[string]Encoding
}

// Encoding is how one form property is serialized.
type Encoding struct {
	Style   string
	Explode bool
}

// Response is one entry of an operation's responses.
type Response struct {
	Status    string // "200", "2XX" or "default"
	Doc       string
	MediaType string
	Kind      BodyKind
	Type      *Type // nil when there is no body or it is not JSON
	Source    string
	// OtherMedia are the other media types the response declares, in
	// order; the client asks for MediaType with an Accept header.
	OtherMedia []string
	// Headers are the response headers the spec declares, by name order.
	Headers []*Header
}

// Header is a declared response header (OpenAPI 3.1 §4.8.21).
type Header struct {
	Name     string
	Type     *Type
	Required bool
	Doc      string
	GoName   string // field in the response type, filled by the names pass
}

// Kind is the shape of a type.
type Kind int

// Kinds of types.
const (
	Any Kind = iota // free-form JSON value
	Bool
	Int
	Float
	String
	Object // struct
	Array
	Map    // object with only additionalProperties
	Enum   // named scalar type with constants
	Union  // oneOf/anyOf
	Alias  // a named type that is another named type
	Opaque // raw JSON kept as bytes
)

// Type is a schema turned into a shape.
type Type struct {
	Kind       Kind
	Source     string // JSON pointer of the schema
	Doc        string
	Deprecated bool
	Nullable   bool
	Format     string // int32, int64, float, double, date-time, date, byte, ...

	Elem   *Type    // Array items, Map values, Enum base, Alias target
	Fields []*Field // Object properties
	// Extra is the schema of properties beyond Fields (additionalProperties,
	// or the common type of patternProperties), nil when the spec does not
	// allow or declare them.
	Extra *Type
	// ExtraUndeclared marks an Extra the spec does not declare: the schema
	// says nothing of additionalProperties, which JSON Schema then allows,
	// so undeclared members are kept as raw JSON to survive a round trip.
	ExtraUndeclared bool
	// Patterns are an object's patternProperties (JSON Schema 2020-12
	// §10.3.2.2), in pattern order: a member beyond Fields whose name
	// matches a pattern is valid against its type. The members are held in
	// the Extra map (Elem for a Map), whose value type is every pattern's.
	Patterns []*PatternProperty
	// PatternsOnly is set when additionalProperties is false beside
	// patternProperties: every member beyond Fields must match a pattern.
	PatternsOnly bool
	// Rest is, beside Patterns, the additionalProperties type that members
	// matching no pattern are valid against; nil when unconstrained.
	Rest *Type
	Enum []*EnumValue
	// Const is the schema's const value when it is a string, number or
	// boolean (JSON Schema validation §6.1.3: string, int64, float64 or
	// bool), else nil. A webhook receiver tells events apart by it.
	Const any
	// Variants and Discriminator describe a Union.
	Variants      []*Variant
	Discriminator string
	// AnyOf marks an anyOf union: a value may match several variants, and
	// every one that matches is kept.
	AnyOf bool
	// ItemsOnly marks the union the loader makes of a schema with items but
	// no type (JSON Schema 2020-12 §10.3.1.2 applies items to arrays only):
	// Variants are an array of the items and, when the items have a shape,
	// one item; any other value, or one the variant does not hold exactly,
	// is kept as raw JSON.
	ItemsOnly bool

	// GoType is the spec's x-go-type: a Go type used as is instead of
	// the schema's shape, e.g. {"github.com/shopspring/decimal", "Decimal"}.
	GoType *GoType

	// Limits are the schema's validation keywords, nil when it has none.
	Limits *Limits

	// Named marks types that get their own Go declaration.
	Named bool
	// Component is true for types from components/schemas.
	Component bool
	// Shared is set on the inline schema of a reusable object of
	// components other than schemas (a parameter, request body, response
	// or header that operations reach by $ref): SpecName is that object's
	// key, and the names pass names the type from it, after the component
	// schemas and before any operation, not after the first operation
	// that uses it, so that adding or removing an operation renames
	// nothing.
	Shared bool
	// SpecName is the component's key, or a hint for inline types.
	SpecName string
	// Parent and Part tell where an inline type sits, for naming: the
	// enclosing named type (nil at operation level) and the property or
	// role ("Body", "Variant2").
	Parent *Type
	Op     *Operation
	Part   string

	GoNameOverride string // x-go-name
	Name           string // Go name, filled by the names pass
	// Package declares the type; nil when the connector is one package.
	// Filled by the split pass.
	Package *Package
}

// Field is one object property.
type Field struct {
	JSONName   string
	Type       *Type
	Required   bool
	Nullable   bool
	ReadOnly   bool
	WriteOnly  bool
	Deprecated bool
	Doc        string
	Source     string

	GoNameOverride string // x-go-name
	GoName         string // filled by the names pass
	// Indirect is set by the names pass when the field closes a cycle of
	// structs held by value, so it must be a pointer.
	Indirect bool
}

// PatternProperty is one entry of patternProperties.
type PatternProperty struct {
	Pattern string // the regular expression (ECMA-262, as in the spec)
	// RE2 reports that Go's regexp compiles Pattern; when it does not (the
	// loader warned), no member name is checked against it.
	RE2 bool
	// Type is the members' type, nil when the patterns' types differ and
	// the members are free-form values.
	Type *Type
}

// EnumValue is one allowed value of an Enum.
type EnumValue struct {
	Value  any // string, int64, float64 or bool
	GoName string
}

// Variant is one alternative of a Union.
type Variant struct {
	Type *Type
	// Tags are the discriminator values that select this variant.
	Tags   []string
	Source string // JSON pointer of the alternative, e.g. #/components/schemas/Pet/oneOf/0
	GoName string // field name in the union struct
}

// Successes returns the responses a call returns as results: the 2xx
// codes and the 2XX range, or, when there are none, "default".
func (op *Operation) Successes() []*Response {
	var out []*Response
	for _, r := range op.Responses {
		if IsSuccess(r.Status) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		for _, r := range op.Responses {
			if r.Status == "default" {
				out = append(out, r)
			}
		}
	}
	return out
}

// IsSuccess reports whether a status key is a 2xx code or the 2XX range.
func IsSuccess(status string) bool {
	return len(status) == 3 && status[0] == '2'
}

// SingleResult returns the one response shape all successes share, and
// whether there is one: a call then returns that body directly instead of
// a response struct. Successes without a body count when all lack one.
func (op *Operation) SingleResult() (*Response, bool) {
	succ := op.Successes()
	if len(succ) == 0 {
		return nil, true
	}
	first := succ[0]
	for _, r := range succ {
		if r.Kind != first.Kind || r.Type != first.Type || len(r.Headers) > 0 {
			return nil, false // several shapes, or headers to return beside the body
		}
	}
	return first, true
}

// SuccessHeaders lists the headers declared by any success response, once
// each by name, in name order.
func (op *Operation) SuccessHeaders() []*Header {
	var out []*Header
	seen := map[string]bool{}
	for _, r := range op.Successes() {
		for _, h := range r.Headers {
			if key := strings.ToLower(h.Name); !seen[key] {
				seen[key] = true
				out = append(out, h)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Resolve follows aliases to the type that has a shape.
func (t *Type) Resolve() *Type {
	for i := 0; t.Kind == Alias && t.Elem != nil && i < 100; i++ {
		t = t.Elem
	}
	return t
}

// Limits are JSON Schema validation keywords (JSON Schema 2020-12 §6)
// that generated Validate methods check before a request is sent. Nil
// pointers mean "no bound".
type Limits struct {
	MinLength, MaxLength           *int
	Pattern                        string
	Minimum, Maximum               *float64
	ExclusiveMinimum, ExclusiveMax bool
	MultipleOf                     *float64
	MinItems, MaxItems             *int
	UniqueItems                    bool
	MinProperties, MaxProperties   *int
}

// GoType names a Go type: an import path ("" for predeclared types) and
// the type's name.
type GoType struct {
	Path, Name string
}

// PageScheme is how a paginated operation asks for the page after one.
type PageScheme string

// Pagination schemes.
const (
	// PageCursor: a response member holds the cursor of the next page,
	// sent back in a request parameter (next_cursor → cursor, Google's
	// nextPageToken → pageToken, Stripe search's next_page → page).
	PageCursor PageScheme = "cursor"
	// PageLastItem: the next page starts after the last item, whose key
	// member (id) is sent in a request parameter while a response member
	// says there are more (Stripe's starting_after and has_more).
	PageLastItem PageScheme = "last-item"
	// PageNextURL: a response member holds the URL of the next page
	// (next, next_page_uri, links.next, @odata.nextLink), asked for as is.
	PageNextURL PageScheme = "next-url"
	// PageLinkHeader: the Link response header's rel="next" target (RFC
	// 8288 §3), asked for as is (GitHub, GitLab).
	PageLinkHeader PageScheme = "link-header"
	// PageOffset: an offset parameter advanced by the number of items
	// received (offset/limit, startAt/maxResults).
	PageOffset PageScheme = "offset"
	// PageNumber: a page number parameter advanced by one (page/per_page).
	PageNumber PageScheme = "page"
)

// Pagination tells how to walk a paginated operation's pages. Members
// are paths of fields from the page's body (the success response's
// type): Items is empty when the body is the array of items itself.
type Pagination struct {
	Scheme   PageScheme
	Response *Response // the success response that carries a page
	Items    []*Field  // the array of items; empty: the body is the array

	// Param is the request parameter that selects the page: the cursor,
	// the last item's key, the offset or the page number. Nil for the
	// URL schemes.
	Param *Param
	// Next is the member holding the next cursor or URL (cursor,
	// next-url).
	Next []*Field
	// More is a boolean member announcing a next page (has_more), nil
	// when the spec declares none.
	More []*Field
	// Key is the item member whose value of the last item is the next
	// cursor (last-item: Stripe's id).
	Key *Field
	// Total is the member holding the total number of items (offset,
	// page) or, with TotalPages, of pages (page); nil when none.
	Total      []*Field
	TotalPages bool
	// Limit is the page size parameter (limit, per_page), nil when none:
	// a page shorter than the size asked for is the last one when there
	// is no Total.
	Limit *Param

	// Origin says where the scheme comes from: "detected", "config" or
	// the extension's name (x-ms-pageable, ...).
	Origin string

	// Filled by the names pass: the Client methods over items and pages.
	IterName, PagesName string
}

// Path renders a member path as JSON names joined by ".", e.g.
// "response_metadata.next_cursor".
func Path(fields []*Field) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.JSONName)
	}
	return b.String()
}
