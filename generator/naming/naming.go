// Package naming decides every Go identifier of an IR API once, before
// emission: types, enum constants, fields, union variants, operations,
// request and response types. Collision rules are those of package names;
// the order of claims is: component schemas and security scheme options
// first, then operations, then types derived from them, outermost first,
// then enum constants. A later level never takes a name an earlier level
// wants, so adding an inline type never renames a component.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/names"
)

// Reserved are package-level names the emitter declares itself.
var Reserved = []string{"Client", "New", "DefaultServerURL"}

// WebhookReserved are the package-level names the emitter declares for a
// connector whose spec has webhooks (its receiver and its test sender);
// reserved only then, so a spec without webhooks keeps a schema of either
// name as it is.
var WebhookReserved = []string{"Webhooks", "WebhookSender"}

// Member names the emitter declares on generated types, reserved in the
// member (field) namespace of every type that may carry them, whether or
// not a given type gets them: a property "validate" is the field
// Validate2 even where no Validate method is declared, so adding a
// validation keyword later renames nothing. A field and a method of one
// type cannot share a name (Go spec, "Selectors"; the compiler says
// "field and method with the same name"). The emitter declares no other
// methods on these types; golden's TestMethodsAreReserved checks every
// generated method against these lists.
//
// Error, which an error response body's type gets, is not reserved: a
// member named "error" is common in such bodies, and a type with an Error
// field gets no Error method instead (emit's canCarryError).
var (
	// ObjectMembers are reserved in a struct's fields: its
	// AdditionalProperties field and the methods MarshalJSON,
	// UnmarshalJSON and Validate, and DecodeFrom, which objects had up to
	// API version 3 (kept reserved so names stay stable).
	ObjectMembers = []string{"AdditionalProperties", "MarshalJSON", "UnmarshalJSON", "DecodeFrom", "Validate"}
	// UnionMembers are reserved in a oneOf/anyOf struct's variant fields:
	// the Raw field and the methods Value, MarshalJSON, UnmarshalJSON,
	// DecodeFrom, EncodeTo and Validate.
	UnionMembers = []string{"Raw", "Value", "MarshalJSON", "UnmarshalJSON", "DecodeFrom", "EncodeTo", "Validate"}
	// RequestMembers are reserved in an <Op>Request type's parameter
	// fields: the Body and BodyContentType fields and the method Validate.
	RequestMembers = []string{"Body", "BodyContentType", "Validate"}
	// ResponseMembers are reserved in an <Op>Response type's header
	// fields, beside a field per success status: the StatusCode and Header
	// fields. Response types have no methods.
	ResponseMembers = []string{"StatusCode", "Header"}
)

// MaxDerivedName is the longest Go name derived for an inline type from
// its parent's name and its property or role ("PetOwner" from Pet and
// owner), in bytes. Such names grow with the nesting: schemas nested 1,000
// deep gave names of 8,000 characters and 56 MB of types. A longer name
// is cut to MaxDerivedName-8 bytes followed by the first 8 hex digits of
// the SHA-256 of the whole name, so it stays deterministic and distinct.
// Real specs stay below (Stripe's longest derived name has 174
// characters), so capping renames nothing they generate.
const MaxDerivedName = 200

// Assign fills the Go names of api in place. It returns a warning for
// every derived name it cut to MaxDerivedName, at the pointer of the
// schema so named, and an error for every pinned name (x-go-name, or
// names: in connectorgen.yaml, which set GoNameOverride) that cannot be
// kept: one another name of the same scope holds (a reserved one, another
// pin, or a component that names are resolved after), or one that another
// claim wants, which would silently renumber that other ("FetchPet2"),
// a breaking change for its users. Pin errors carry the pinned thing's
// JSON pointer followed by "/x-go-name".
func Assign(api *ir.API) diag.List {
	a := &assigner{pins: map[*names.Namespace]map[string]string{}, reported: map[string]bool{}}
	reserved := Reserved
	if len(api.Webhooks) > 0 {
		reserved = append(append([]string(nil), Reserved...), WebhookReserved...)
	}
	pkg := names.NewNamespace(reserved...)
	a.components(pkg, api)
	a.operations(pkg, api)
	a.webhooks(api)
	a.inlineTypes(pkg, api)
	a.enumConstants(pkg, api)
	for _, t := range api.Types {
		a.members(t)
	}
	for _, op := range api.Operations {
		a.paramFields(op)
		headerFields(op)
	}
	markIndirect(api)
	return a.diags
}

// assigner carries the diagnostics of one Assign and the pinned names
// handed out in each namespace.
type assigner struct {
	diags diag.List
	// pins maps, per namespace, each pinned name handed out to the
	// pointer of the pinned thing.
	pins     map[*names.Namespace]map[string]string
	reported map[string]bool
}

// pinPriority is the Priority of a pinned claim (see claimFor): the only
// negative priority, parameters' location rank (0 to 3) added.
const pinPriority = -10

func isPin(c names.Claim) bool { return c.Exact && c.Priority < 0 }

// resolve is ns.Resolve that keeps pins to their word: a pinned claim
// must get its name, and no other claim may lose its name to a pin.
// where turns a claim's key into the JSON pointer of what it names (nil:
// the key is one).
func (a *assigner) resolve(ns *names.Namespace, claims []names.Claim, where func(key string) string) map[string]string {
	if where == nil {
		where = describeKey
	}
	got := ns.Resolve(claims)
	held := a.pins[ns]
	if held == nil {
		held = map[string]string{}
		a.pins[ns] = held
	}
	holder := map[string]string{} // name -> key, in this batch
	for _, c := range claims {
		holder[got[c.Key]] = c.Key
		if isPin(c) && got[c.Key] == c.Want {
			held[c.Want] = where(c.Key)
		}
	}
	for _, c := range claims {
		if got[c.Key] == c.Want {
			continue
		}
		switch {
		case isPin(c):
			// Pins are claimed in the first batch of their namespace, so
			// a name no claim of the batch holds is a reserved one.
			by := "the connector itself (a reserved name)"
			if h, ok := holder[c.Want]; ok {
				by = where(h)
			}
			a.pinError(where(c.Key), fmt.Sprintf("pinned Go name %s is taken by %s: pin another name", c.Want, by))
		case held[c.Want] != "":
			other := where(c.Key)
			advice := "pin another name"
			if strings.HasPrefix(other, "#") { // a schema, operation, property or parameter, which can be pinned too
				advice += ", or pin one for " + other
			}
			a.pinError(held[c.Want], fmt.Sprintf("pinned Go name %s takes the name of %s, which would become %s: %s",
				c.Want, other, got[c.Key], advice))
		}
	}
	return got
}

func (a *assigner) pinError(ptr, msg string) {
	if a.reported[ptr+msg] {
		return
	}
	a.reported[ptr+msg] = true
	a.diags = append(a.diags, diag.Diagnostic{Severity: diag.Error, Pointer: ptr + "/x-go-name", Message: msg})
}

// describeKey turns a claim key into the pointer of what it names: keys
// are JSON pointers, those of request and response types followed by
// "#request" or "#response", those of enum constants by "#<type>:<value>"
// (see enumKey).
func describeKey(key string) string {
	if ptr, ok := strings.CutSuffix(key, "#request"); ok {
		return "the request type of " + ptr
	}
	if ptr, ok := strings.CutSuffix(key, "#response"); ok {
		return "the response type of " + ptr
	}
	for _, kind := range []string{"#string:", "#int64:", "#float64:", "#bool:"} {
		if i := strings.Index(key, kind); i > 0 {
			return "an enum constant of " + key[:i]
		}
	}
	return key
}

func (a *assigner) components(pkg *names.Namespace, api *ir.API) {
	var claims []names.Claim
	for _, t := range api.Types {
		if t.Component {
			claims = append(claims, claimFor(t.SpecName, t.GoNameOverride, t.Source))
		}
	}
	for _, s := range api.SecuritySchemes {
		claims = append(claims, names.Claim{Want: "With" + names.Exported(s.Name), Key: s.Source, Priority: 2})
	}
	got := a.resolve(pkg, claims, nil)
	for _, t := range api.Types {
		if t.Component {
			t.Name = got[t.Source]
		}
	}
	for _, s := range api.SecuritySchemes {
		s.GoName = got[s.Source]
	}
	// Inline schemas of reusable parameters, request bodies, responses and
	// headers, after the component schemas (which keep their names) and
	// before any operation (so that no operation renames them): named from
	// their component's key, else with the kind's suffix ("DirectionParam").
	claims = claims[:0]
	for _, t := range api.Types {
		if t.Shared {
			c := claimFor(t.SpecName, t.GoNameOverride, t.Source)
			c.Suffixes = []string{sharedSuffix(t.Source)}
			claims = append(claims, c)
		}
	}
	got = a.resolve(pkg, claims, nil)
	for _, t := range api.Types {
		if t.Shared {
			t.Name = got[t.Source]
		}
	}
}

// sharedSuffix is the suffix a shared type's name takes when a component
// schema holds its bare name: its component's kind.
func sharedSuffix(ptr string) string {
	switch {
	case strings.HasPrefix(ptr, "#/components/parameters/"):
		return "Param"
	case strings.HasPrefix(ptr, "#/components/headers/"):
		return "Header"
	case strings.HasPrefix(ptr, "#/components/responses/"):
		return "Response"
	}
	return "Body"
}

// operations names Client methods (their own namespace) and then claims
// the request and response type names in the package.
func (a *assigner) operations(pkg *names.Namespace, api *ir.API) {
	methods := names.NewNamespace()
	claims := make([]names.Claim, 0, len(api.Operations))
	for _, op := range api.Operations {
		claims = append(claims, claimFor(op.ID, op.GoNameOverride, op.Source))
	}
	got := a.resolve(methods, claims, nil)
	claims = claims[:0]
	for _, op := range api.Operations {
		op.Name = got[op.Source]
		// Every operation has a request struct, an empty one when it takes
		// no parameters or body, so that a parameter the spec adds later is
		// a new field, not a new method signature.
		claims = append(claims, names.Claim{Want: op.Name + "Request", Key: op.Source + "#request"})
		if _, single := op.SingleResult(); !single {
			claims = append(claims, names.Claim{Want: op.Name + "Response", Key: op.Source + "#response"})
		}
	}
	// An alternative media type's method comes after every operation's,
	// so it never takes an operation's name: <Op>With<Media>.
	var alts []names.Claim
	for _, op := range api.Operations {
		for _, a := range op.Alternatives {
			alts = append(alts, names.Claim{Want: op.Name + "With" + mediaSuffix(a.Body.MediaType), Key: a.Body.Source})
		}
	}
	// A paginated operation's iterators come next: <Op>Iter and <Op>Pages.
	for _, op := range api.Operations {
		if op.Pagination != nil {
			alts = append(alts, names.Claim{Want: op.Name + "Iter", Key: op.Source + "#iter"},
				names.Claim{Want: op.Name + "Pages", Key: op.Source + "#pages"})
		}
	}
	gotAlt := a.resolve(methods, alts, nil)
	for _, op := range api.Operations {
		if p := op.Pagination; p != nil {
			p.IterName, p.PagesName = gotAlt[op.Source+"#iter"], gotAlt[op.Source+"#pages"]
		}
	}
	for _, op := range api.Operations {
		for _, a := range op.Alternatives {
			a.Name = gotAlt[a.Body.Source]
			claims = append(claims, names.Claim{Want: a.Name + "Request", Key: a.Body.Source + "#request", Priority: 1})
		}
	}
	got = a.resolve(pkg, claims, nil)
	for _, op := range api.Operations {
		op.RequestName = got[op.Source+"#request"]
		op.ResponseName = got[op.Source+"#response"]
		for _, a := range op.Alternatives {
			a.RequestName = got[a.Body.Source+"#request"]
		}
	}
}

// webhooks names each event (its Op's Name): its x-go-name, else its
// operationId, else its spec name, unique among the events. The name
// follows On and Send in the receiver's and the sender's methods, where
// "Unknown" is taken (OnUnknown, the fallback); a leading "On" word is
// dropped (callback "onData": OnData, SendData).
func (a *assigner) webhooks(api *ir.API) {
	events := names.NewNamespace("Unknown")
	claims := make([]names.Claim, 0, len(api.Webhooks))
	for _, w := range api.Webhooks {
		c := claimFor(w.Op.ID, w.Op.GoNameOverride, w.Op.Source)
		if rest, ok := strings.CutPrefix(c.Want, "On"); ok && w.Op.GoNameOverride == "" && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			c.Want, c.Exact = rest, false
		}
		claims = append(claims, c)
	}
	got := a.resolve(events, claims, nil)
	for _, w := range api.Webhooks {
		w.Op.Name = got[w.Op.Source]
	}
}

// mediaSuffix names a media type in a method name: "Form", "XML",
// "MergePatchJSON", "CSV" (ir.MediaName's words, acronyms kept).
func mediaSuffix(mt string) string {
	var b strings.Builder
	for _, w := range strings.Fields(ir.MediaName(mt)) {
		if strings.ToUpper(w) == w {
			b.WriteString(w)
		} else {
			b.WriteString(names.Exported(w))
		}
	}
	return b.String()
}

// inlineTypes names inline declarations level by level: a type is named
// once its parent type or operation has a name.
func (a *assigner) inlineTypes(pkg *names.Namespace, api *ir.API) {
	pending := map[*ir.Type]bool{}
	for _, t := range api.Types {
		if !t.Component && !t.Shared {
			pending[t] = true
		}
	}
	for level := 1; len(pending) > 0; level++ {
		var ready []*ir.Type
		for _, t := range api.Types {
			if pending[t] && (t.Parent == nil || t.Parent.Name != "" || !pending[t.Parent]) {
				ready = append(ready, t)
			}
		}
		if len(ready) == 0 { // a cycle of unnamed parents cannot happen; be safe
			for _, t := range api.Types {
				if pending[t] {
					ready = append(ready, t)
				}
			}
		}
		claims := make([]names.Claim, 0, len(ready))
		for _, t := range ready {
			want := inlineWant(t)
			if capped := capName(want); capped != want {
				a.diags = append(a.diags, diag.Diagnostic{Severity: diag.Warning, Pointer: t.Source, Message: fmt.Sprintf(
					"the Go name derived for this inline schema has %d characters; cut to %d as %s",
					len(want), len(capped), capped)})
				want = capped
			}
			claims = append(claims, names.Claim{Want: want, Key: t.Source, Priority: level})
		}
		got := a.resolve(pkg, claims, nil)
		for _, t := range ready {
			t.Name = got[t.Source]
			delete(pending, t)
		}
	}
}

// inlineWant is the parent's name (type or operation) followed by the part.
func inlineWant(t *ir.Type) string {
	prefix := ""
	switch {
	case t.Parent != nil:
		prefix = t.Parent.Name
	case t.Op != nil:
		prefix = t.Op.Name
	}
	return names.Exported(prefix + " " + t.Part)
}

// capName cuts a name longer than MaxDerivedName bytes to its first
// MaxDerivedName-8 bytes (at a rune boundary) and the first 8 hex digits
// of the SHA-256 of the whole name.
func capName(name string) string {
	if len(name) <= MaxDerivedName {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	head := name[:MaxDerivedName-8]
	for !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	return head + hex.EncodeToString(sum[:4])
}

func (a *assigner) enumConstants(pkg *names.Namespace, api *ir.API) {
	var claims []names.Claim
	for _, t := range api.Types {
		for _, v := range t.Enum {
			claims = append(claims, names.Claim{Want: names.EnumConst(t.Name, fmt.Sprint(v.Value)), Key: enumKey(t, v), Priority: 1000})
		}
	}
	got := a.resolve(pkg, claims, nil)
	for _, t := range api.Types {
		for _, v := range t.Enum {
			v.GoName = got[enumKey(t, v)]
		}
	}
}

func enumKey(t *ir.Type, v *ir.EnumValue) string {
	return fmt.Sprintf("%s#%T:%v", t.Source, v.Value, v.Value)
}

// members names struct fields and union variants, each type its own scope.
// The emitter's own members of the type (ObjectMembers, UnionMembers) are
// reserved: a property "validate" becomes Validate2.
func (a *assigner) members(t *ir.Type) {
	switch t.Kind {
	case ir.Object:
		ns := names.NewNamespace(ObjectMembers...)
		claims := make([]names.Claim, 0, len(t.Fields))
		for _, f := range t.Fields {
			claims = append(claims, claimFor(f.JSONName, f.GoNameOverride, f.JSONName))
		}
		src := map[string]string{}
		for _, f := range t.Fields {
			src[f.JSONName] = f.Source
		}
		got := a.resolve(ns, claims, func(key string) string { return src[key] })
		for _, f := range t.Fields {
			f.GoName = got[f.JSONName]
		}
	case ir.Union:
		ns := names.NewNamespace(UnionMembers...)
		claims := make([]names.Claim, 0, len(t.Variants))
		for i, v := range t.Variants {
			want := variantWant(v.Type)
			if short, ok := strings.CutPrefix(want, t.Name); ok && short != "" && v.Type.Parent == t {
				want = short // an inline variant: "Object", not "PetOwnerObject"
			}
			claims = append(claims, names.Claim{Want: want, Key: fmt.Sprintf("%03d", i)})
		}
		got := ns.Resolve(claims)
		for i, v := range t.Variants {
			v.GoName = got[fmt.Sprintf("%03d", i)]
		}
	}
}

// variantWant names a union field after its type, or after its JSON kind
// for unnamed types.
func variantWant(t *ir.Type) string {
	if t.Name != "" {
		return t.Name
	}
	switch t.Kind {
	case ir.Bool:
		return "Bool"
	case ir.Int:
		return "Int"
	case ir.Float:
		return "Float"
	case ir.String:
		return "String"
	case ir.Array:
		return "Array"
	case ir.Map:
		return "Map"
	}
	return "Any"
}

// paramFields names the request type's fields; "Body" is kept for the
// body, and a name used twice (query "id" and header "ID") gets the
// location as suffix.
func (a *assigner) paramFields(op *ir.Operation) {
	ns := names.NewNamespace(RequestMembers...)
	claims := make([]names.Claim, 0, len(op.Params))
	for _, p := range op.Params {
		c := claimFor(p.Name, p.GoNameOverride, p.In+":"+p.Name)
		c.Priority += inRank[p.In]
		c.Suffixes = []string{names.Exported(p.In)}
		claims = append(claims, c)
	}
	src := map[string]string{}
	for _, p := range op.Params {
		src[p.In+":"+p.Name] = p.Source
	}
	got := a.resolve(ns, claims, func(key string) string { return src[key] })
	for _, p := range op.Params {
		p.GoName = got[p.In+":"+p.Name]
	}
}

var inRank = map[string]int{"path": 0, "query": 1, "header": 2, "cookie": 3}

// markIndirect finds fields that hold, by value, a struct that holds the
// field's owner again (a recursive type); such fields become pointers.
func markIndirect(api *ir.API) {
	graph := map[*ir.Type][]*ir.Type{}
	var nodes []*ir.Type
	for _, t := range api.Types {
		if t.Kind != ir.Object {
			continue
		}
		nodes = append(nodes, t)
		for _, f := range t.Fields {
			if target := f.Type.Resolve(); target.Kind == ir.Object {
				graph[t] = append(graph[t], target)
			}
		}
	}
	comp := sccs(nodes, graph)
	for _, t := range nodes {
		for _, f := range t.Fields {
			if target := f.Type.Resolve(); target.Kind == ir.Object && comp[target] == comp[t] {
				f.Indirect = true
			}
		}
	}
}

// sccs labels each node with its strongly connected component (Tarjan).
func sccs(nodes []*ir.Type, graph map[*ir.Type][]*ir.Type) map[*ir.Type]int {
	index, low, comp := map[*ir.Type]int{}, map[*ir.Type]int{}, map[*ir.Type]int{}
	onStack := map[*ir.Type]bool{}
	var stack []*ir.Type
	next, label := 0, 0
	var visit func(v *ir.Type)
	visit = func(v *ir.Type) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range graph[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = label
				if w == v {
					break
				}
			}
			label++
		}
	}
	sorted := append([]*ir.Type(nil), nodes...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Source < sorted[j].Source })
	for _, v := range sorted {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return comp
}

// closeness ranks how directly a spec name spells its Go name, so that in
// a collision the spelling nearest the Go name keeps it whatever else the
// spec holds: 0 when only the first letter's case differs ("getPet" for
// GetPet), 1 otherwise ("get-pet"). Exact spellings rank first anyway.
func closeness(spec, want string) int {
	if spec != "" && strings.ToUpper(spec[:1])+spec[1:] == want {
		return 0
	}
	return 1
}

// claimFor claims the Go name of a spec name; an x-go-name override is
// claimed as exact with the highest priority, so it wins its collisions.
func claimFor(specName, override, key string) names.Claim {
	if override != "" {
		return names.Claim{Want: override, Key: key, Exact: true, Priority: pinPriority}
	}
	want := names.Exported(specName)
	return names.Claim{Want: want, Key: key, Exact: want == specName, Priority: closeness(specName, want)}
}

// headerFields names the response type's header fields, after the
// StatusCode and body fields it already has.
func headerFields(op *ir.Operation) {
	reserved := append([]string(nil), ResponseMembers...)
	for _, r := range op.Successes() {
		reserved = append(reserved, ir.StatusField(r.Status))
	}
	ns := names.NewNamespace(reserved...)
	hs := op.SuccessHeaders()
	claims := make([]names.Claim, 0, len(hs))
	for _, h := range hs {
		claims = append(claims, names.Claim{Want: names.Exported(h.Name), Key: strings.ToLower(h.Name), Suffixes: []string{"Header"}})
	}
	got := ns.Resolve(claims)
	for _, r := range op.Successes() {
		for _, h := range r.Headers {
			h.GoName = got[strings.ToLower(h.Name)]
		}
	}
}
