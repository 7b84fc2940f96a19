package openapi

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi3"
)

// methods in the order operations of one path are emitted.
var methods = []string{
	http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete,
	http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace,
}

// operations lowers every path item's operations, in path order.
func (l *lowerer) operations() {
	if l.doc.Paths == nil {
		return
	}
	paths := l.doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		item := paths[path]
		if item == nil {
			continue
		}
		for _, m := range methods {
			if op := item.GetOperation(m); op != nil {
				l.operation(path, m, item, op)
			}
		}
	}
}

func (l *lowerer) operation(path, method string, item *openapi3.PathItem, o *openapi3.Operation) {
	ptr := diag.Pointer("paths", path, strings.ToLower(method))
	// A fragment is never part of an HTTP request target (RFC 9110 §4.2.1,
	// RFC 3986 §3.5): keys like Box's "/files/{file_id}#add_shared_link"
	// or SQS's "/{AccountNumber}/{QueueName}/#Action=AddPermission" tell
	// operations apart on one path, and the request goes to the path alone
	// (it went out with the "#" percent-encoded, to another path).
	beforeFragment, fragment, hasFragment := strings.Cut(path, "#")
	wire, query, _ := strings.Cut(beforeFragment, "?")
	if hasFragment {
		l.warn(ptr, "the paths key holds the fragment %q, which HTTP never sends; requests go to %s", "#"+fragment, beforeFragment)
	}
	op := &ir.Operation{
		ID: o.OperationID, Method: method, Path: wire, Summary: strings.TrimSpace(o.Summary),
		Description: strings.TrimSpace(o.Description), Deprecated: o.Deprecated, Tags: o.Tags, Source: ptr,
	}
	if op.ID == "" {
		op.ID = strings.ToLower(method) + " " + path
	}
	op.GoNameOverride = goName(o.Extensions)
	for _, k := range pageExtensions {
		if v, ok := o.Extensions[k]; ok {
			if op.Extensions == nil {
				op.Extensions = map[string]any{}
			}
			op.Extensions[k] = v
		}
	}
	l.params(op, path, query, item.Parameters, o.Parameters)
	l.requestBody(op, o.RequestBody)
	l.responses(op, o.Responses)
	op.Security = l.api.Security
	if o.Security != nil {
		op.Security = requirements(*o.Security)
	}
	l.api.Operations = append(l.api.Operations, op)
}

// pageExtensions are the operation extensions package paging reads.
var pageExtensions = []string{"x-ms-pageable", "x-speakeasy-pagination", "x-pagination"}

var pathParam = regexp.MustCompile(`\{([^{}]+)\}`)

// paramKey identifies a parameter: its name and location.
type paramKey struct{ name, in string }

// params merges path-item and operation parameters (the operation's win,
// OpenAPI 3.1 §4.8.10.1), binds the query members written into the paths
// key (pathKey, whose part after "?" is query; see queryInKey), and adds
// any path template parameter the spec forgot to declare, as a string,
// with a warning.
func (l *lowerer) params(op *ir.Operation, pathKey, query string, shared, own openapi3.Parameters) {
	type key = paramKey
	index := map[key]int{}
	add := func(list openapi3.Parameters, base string) {
		for i, pr := range list {
			pptr := base + "/parameters/" + strconv.Itoa(i)
			if pr == nil || pr.Value == nil {
				l.warn(pptr, "unresolved parameter; ignored")
				continue
			}
			if !knownIn[pr.Value.In] {
				l.unknownIn(pr.Value, pptr)
				continue
			}
			p := l.param(op, pr.Value, pptr, pr.Ref)
			k := key{p.Name, p.In}
			if j, ok := index[k]; ok {
				op.Params[j] = p
				continue
			}
			index[k] = len(op.Params)
			op.Params = append(op.Params, p)
		}
	}
	itemPtr := diag.Pointer("paths", pathKey)
	add(shared, itemPtr)
	add(own, op.Source)
	if query != "" {
		l.queryInKey(op, query, index)
	}
	for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
		if _, ok := index[key{m[1], "path"}]; !ok {
			l.warn(op.Source, "path parameter %q is not declared; sending it as a string", m[1])
			index[key{m[1], "path"}] = len(op.Params)
			op.Params = append(op.Params, &ir.Param{Name: m[1], In: "path", Required: true,
				Type: &ir.Type{Kind: ir.String}, Style: "simple", Source: op.Source})
		}
	}
}

// knownIn holds the parameter locations OpenAPI 3 defines (3.1 §4.8.12.1).
var knownIn = map[string]bool{"path": true, "query": true, "header": true, "cookie": true}

// unknownIn reports a parameter in no location OpenAPI 3 defines, which
// is left out: there is no telling where it would go on the wire, and
// sending it anywhere (as a cookie, say) would be wrong.
func (l *lowerer) unknownIn(p *openapi3.Parameter, ptr string) {
	switch p.In {
	case "body", "formData":
		l.warn(ptr+"/in", "parameter %q is in %q, a Swagger 2.0 location; OpenAPI 3 declares a body with requestBody; parameter ignored", p.Name, p.In)
	case "":
		l.warn(ptr, "parameter %q has no `in`; parameter ignored", p.Name)
	default:
		l.warn(ptr+"/in", "parameter %q is in %q, which is not path, query, header or cookie; parameter ignored", p.Name, p.In)
	}
}

// param lowers one parameter with its style defaults (OpenAPI 3.1 §4.8.12.4);
// ref is the $ref the operation reached it by, if any.
func (l *lowerer) param(op *ir.Operation, p *openapi3.Parameter, ptr, ref string) *ir.Param {
	out := &ir.Param{Name: p.Name, In: p.In, Required: p.Required || p.In == "path", Deprecated: p.Deprecated,
		Doc: strings.TrimSpace(p.Description), Style: p.Style, Source: ptr, GoNameOverride: goName(p.Extensions)}
	switch {
	case p.Schema != nil:
		if p.Schema.Value != nil {
			out.Default = p.Schema.Value.Default
		}
		l.inParam = true
		out.Type = l.reusedType(ref, ptr, "/schema", p.Schema, op, p.Name)
		l.inParam = false
	case len(p.Content) > 0:
		keys := sortedKeys(p.Content)
		mt := keys[0]
		if len(keys) > 1 {
			l.warn(ptr+"/content", "parameter %q declares %d media types, where OpenAPI allows one; using %q", p.Name, len(keys), mt)
		}
		media := p.Content[mt]
		if !ir.IsJSONMedia(mt) {
			l.warn(ptr+"/content/"+diag.EscapeToken(mt), "parameter %q uses content %q; sending it as a string holding the encoded value", p.Name, mt)
			out.Type = &ir.Type{Kind: ir.String}
			break
		}
		// Typed from the media type's schema, sent as compact JSON text.
		out.ContentJSON = true
		var sr *openapi3.SchemaRef
		if media != nil {
			sr = media.Schema
		}
		out.Type = l.reusedType(ref, ptr, "/content/"+diag.EscapeToken(mt)+"/schema", sr, op, p.Name)
	default:
		out.Type = &ir.Type{Kind: ir.String}
	}
	if out.Style == "" {
		out.Style = map[string]string{"query": "form", "cookie": "form"}[p.In]
		if out.Style == "" {
			out.Style = "simple"
		}
	}
	out.Explode = out.Style == "form"
	if p.Explode != nil {
		out.Explode = *p.Explode
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// mediaRank orders media types by preference: JSON, form, multipart,
// text, any, XML, anything else.
func mediaRank(mt string) (int, ir.BodyKind) {
	base := strings.ToLower(strings.TrimSpace(strings.Split(mt, ";")[0]))
	switch {
	case base == "application/json":
		return 0, ir.BodyJSON
	case ir.IsJSONMedia(base):
		return 1, ir.BodyJSON
	case base == "application/x-www-form-urlencoded":
		return 2, ir.BodyForm
	case base == "multipart/form-data" || strings.HasPrefix(base, "multipart/"):
		return 3, ir.BodyMultipart
	case base == "application/xml" || base == "text/xml" || strings.HasSuffix(base, "+xml"):
		return 6, ir.BodyXML
	case strings.HasPrefix(base, "text/"):
		return 4, ir.BodyText
	case base == "*/*":
		return 5, ir.BodyJSON
	}
	return 7, ir.BodyBinary
}

// pickMedia chooses the preferred media type of a content map.
func pickMedia(content openapi3.Content) (string, ir.BodyKind) {
	best, bestRank, bestKind := "", 99, ir.BodyNone
	for _, mt := range sortedKeys(content) {
		if r, k := mediaRank(mt); r < bestRank {
			best, bestRank, bestKind = mt, r, k
		}
	}
	return best, bestKind
}

// requestBody lowers the body in its preferred media type into Body, and
// in every other media type it declares into Alternatives, in media type
// order: each gets a method of its own, so none is dropped.
func (l *lowerer) requestBody(op *ir.Operation, rb *openapi3.RequestBodyRef) {
	if rb == nil || rb.Value == nil || len(rb.Value.Content) == 0 {
		return
	}
	mt, kind := pickMedia(rb.Value.Content)
	op.Body = l.body(op, rb.Value, rb.Ref, mt, kind, "Body")
	for _, other := range sortedKeys(rb.Value.Content) {
		if other != mt {
			_, k := mediaRank(other)
			b := l.body(op, rb.Value, rb.Ref, other, k, ir.MediaName(other)+" Body")
			op.Alternatives = append(op.Alternatives, &ir.Alternative{Body: b})
		}
	}
}

// body lowers the request body in media type mt; part names an inline
// schema ("Body", "Form Body"); ref is the $ref the operation reached the
// body by, if any.
func (l *lowerer) body(op *ir.Operation, rb *openapi3.RequestBody, ref, mt string, kind ir.BodyKind, part string) *ir.Body {
	media := rb.Content[mt]
	body := &ir.Body{MediaType: mt, Kind: kind, Required: rb.Required || l.formDataRequired(media),
		Doc: strings.TrimSpace(rb.Description), Source: op.Source + "/requestBody/content/" + diag.EscapeToken(mt)}
	if kind == ir.BodyForm {
		body.Encoding = encodings(media)
	}
	if kind == ir.BodyMultipart && media != nil && media.Schema != nil && media.Schema.Value != nil &&
		len(media.Schema.Value.Properties) > 0 {
		// Typed parts; binary strings below become streamed files.
		l.multipart = true
		body.Type = l.reusedType(ref, op.Source+"/requestBody", "/content/"+diag.EscapeToken(mt)+"/schema", media.Schema, op, part)
		l.multipart = false
	}
	if kind == ir.BodyJSON || kind == ir.BodyForm {
		if media != nil && media.Schema != nil {
			body.Type = l.reusedType(ref, op.Source+"/requestBody", "/content/"+diag.EscapeToken(mt)+"/schema", media.Schema, op, part)
		} else {
			body.Type = &ir.Type{Kind: ir.Any}
		}
	}
	return body
}

// responses lowers each response in status order: codes, ranges, default.
// A key that is none of these (ir.ValidStatus) is warned about and
// ignored: no status code could select it.
func (l *lowerer) responses(op *ir.Operation, rs *openapi3.Responses) {
	if rs == nil {
		return
	}
	m := rs.Map()
	var keys []string
	for _, status := range sortedKeys(m) {
		if !ir.ValidStatus(status) {
			l.warn(op.Source+"/responses/"+diag.EscapeToken(status),
				`response key %q is not "default", a status code from 100 to 599 or a range 1XX to 5XX; ignored`, status)
			continue
		}
		keys = append(keys, status)
	}
	sort.SliceStable(keys, func(i, j int) bool { return statusRank(keys[i]) < statusRank(keys[j]) })
	for _, status := range keys {
		ref := m[status]
		ptr := op.Source + "/responses/" + diag.EscapeToken(status)
		if ref == nil || ref.Value == nil {
			l.warn(ptr, "unresolved response; treated as one without a body")
			op.Responses = append(op.Responses, &ir.Response{Status: statusKey(status), Source: ptr})
			continue
		}
		r := &ir.Response{Status: statusKey(status), Source: ptr}
		if ref.Value.Description != nil {
			r.Doc = strings.TrimSpace(*ref.Value.Description)
		}
		r.Headers = l.headers(op, ref.Value.Headers, ptr)
		if len(ref.Value.Content) > 0 {
			mt, kind := pickMedia(ref.Value.Content)
			kind = responseKind(mt, kind, ref.Value.Content[mt])
			r.MediaType, r.Kind = mt, kind
			for _, other := range sortedKeys(ref.Value.Content) {
				if other != mt {
					r.OtherMedia = append(r.OtherMedia, other)
				}
			}
			if kind == ir.BodyJSON {
				media := ref.Value.Content[mt]
				var sr *openapi3.SchemaRef
				if media != nil {
					sr = media.Schema
				}
				r.Type = l.reusedType(ref.Ref, ptr, "/content/"+diag.EscapeToken(mt)+"/schema", sr, op, statusPart(r.Status))
			}
		}
		op.Responses = append(op.Responses, r)
	}
}

// responseKind refines a response's kind: text/event-stream is a stream
// of events, and a {type: string, format: binary} schema is binary
// whatever the media type (*/* or text/plain, say), so it is streamed.
func responseKind(mt string, kind ir.BodyKind, media *openapi3.MediaType) ir.BodyKind {
	if strings.EqualFold(strings.TrimSpace(strings.Split(mt, ";")[0]), "text/event-stream") {
		return ir.BodyEvents
	}
	if media != nil && media.Schema != nil && media.Schema.Value != nil {
		if s := media.Schema.Value; s.Type != nil && s.Type.Is("string") && s.Format == "binary" {
			return ir.BodyBinary
		}
	}
	return kind
}

// statusKey is a valid response key as the IR holds it: ranges upper-cased
// ("2xx" → "2XX"), codes and "default" as they are.
func statusKey(status string) string {
	if status == "default" {
		return status
	}
	return strings.ToUpper(status)
}

// statusRank sorts explicit codes first, then ranges, then default.
func statusRank(s string) string {
	switch {
	case s == "default":
		return "2" + s
	case strings.ContainsAny(s, "xX"):
		return "1" + strings.ToUpper(s)
	}
	return "0" + s
}

// statusPart names inline response types after the status: "OK",
// "NotFound", "Status2XX", "Default".
func statusPart(status string) string {
	if status == "default" {
		return "Default"
	}
	if code, err := strconv.Atoi(status); err == nil {
		if text := http.StatusText(code); text != "" {
			return text
		}
	}
	return "Status" + status
}

// formDataRequired reports a Swagger 2.0 form body with a required
// formData parameter: the conversion to 3.0 keeps the parameter required
// inside the schema but leaves the body itself optional.
func (l *lowerer) formDataRequired(media *openapi3.MediaType) bool {
	return l.swagger2 && media != nil && media.Schema != nil && media.Schema.Value != nil && len(media.Schema.Value.Required) > 0
}

// encodings reads a form media type's encoding map; style defaults to
// form, and explode to true for form (OpenAPI 3.1 §4.8.15.1).
func encodings(media *openapi3.MediaType) map[string]ir.Encoding {
	if media == nil || len(media.Encoding) == 0 {
		return nil
	}
	out := map[string]ir.Encoding{}
	for name, e := range media.Encoding {
		if e == nil {
			continue
		}
		enc := ir.Encoding{Style: e.Style}
		if enc.Style == "" {
			enc.Style = "form"
		}
		enc.Explode = enc.Style == "form"
		if e.Explode != nil {
			enc.Explode = *e.Explode
		}
		out[name] = enc
	}
	return out
}

// headers lowers a response's declared headers; Content-Type is left out
// (OpenAPI 3.1 §4.8.17.1 says it is ignored).
func (l *lowerer) headers(op *ir.Operation, hs openapi3.Headers, ptr string) []*ir.Header {
	var out []*ir.Header
	for _, name := range sortedKeys(hs) {
		ref := hs[name]
		if strings.EqualFold(name, "Content-Type") || ref == nil || ref.Value == nil {
			continue
		}
		h := &ir.Header{Name: name, Required: ref.Value.Required, Doc: strings.TrimSpace(ref.Value.Description)}
		hptr := ptr + "/headers/" + diag.EscapeToken(name)
		if ref.Value.Schema != nil {
			h.Type = l.reusedType(ref.Ref, hptr, "/schema", ref.Value.Schema, op, name+" Header")
		} else {
			h.Type = &ir.Type{Kind: ir.String}
		}
		out = append(out, h)
	}
	return out
}

// reusedType lowers the schema at base+tail of an operation's parameter,
// request body, response or header (op and part name an inline type). When
// the operation reached that object by a $ref to a reusable one in
// components (#/components/parameters/direction), the schema is lowered
// at ref+tail instead, as the object's own: an inline type is named from
// the component's key (ir.Type.Shared), the same for every operation that
// uses it whichever comes first, and its diagnostics point into the
// component.
func (l *lowerer) reusedType(ref, base, tail string, sr *openapi3.SchemaRef, op *ir.Operation, part string) *ir.Type {
	key, ok := reusableKey(ref)
	if !ok {
		return l.schemaType(sr, base+tail, nil, op, part)
	}
	ptr := ref + tail
	t := l.schemaType(sr, ptr, nil, nil, key)
	if t.Source == ptr && !t.Component && t.Parent == nil && t.Op == nil {
		t.Shared, t.SpecName = true, key
	}
	return t
}

// reusableKey returns the key a local $ref to a parameter, request body,
// response or header of components names.
func reusableKey(ref string) (string, bool) {
	for _, kind := range []string{"parameters", "requestBodies", "responses", "headers"} {
		if key, ok := strings.CutPrefix(ref, "#/components/"+kind+"/"); ok && key != "" && !strings.Contains(key, "/") {
			return unescape(key), true
		}
	}
	return "", false
}

// queryInKey splits the query written into a paths key
// ("/api/iconsets/v3/latest?term={term}&format=json"), which would
// otherwise go out percent-encoded inside the path, into what it means
// on the wire (RFC 3986 §3.4): a member with a fixed value becomes a
// FixedQuery pair every call sends; a member whose value is one template
// ("term={term}") is sent by the parameter of that name, which specs
// declare in: path (it is written in the key) or in: query: a path one
// becomes a required query parameter in form style, named as the member.
// Where the key does not say one thing, a located warning says what is
// sent: a template among other text, a member both fixed and declared, a
// parameter declared in both places, or one not declared (then a required
// string, as for an undeclared path parameter). index maps parameters to
// their position in op.Params and is kept up to date.
func (l *lowerer) queryInKey(op *ir.Operation, query string, index map[paramKey]int) {
	query, _, _ = strings.Cut(query, "#")
	drop := map[int]bool{}
	bind := func(member, name string) {
		qi, inQuery := index[paramKey{name, "query"}]
		pi, inPath := index[paramKey{name, "path"}]
		switch {
		case inQuery:
			if inPath {
				l.warn(op.Source, "parameter %q is declared in path and in query, and the paths key sends it in its query; the query parameter is used", name)
				drop[pi] = true
				delete(index, paramKey{name, "path"})
			}
		case inPath:
			p := op.Params[pi]
			p.In, p.Style, p.Explode, p.Required = "query", "form", true, true
			delete(index, paramKey{name, "path"})
			index[paramKey{name, "query"}] = pi
			qi = pi
		default:
			l.warn(op.Source, "query parameter %q written in the paths key is not declared; sending it as a string", name)
			qi = len(op.Params)
			index[paramKey{name, "query"}] = qi
			op.Params = append(op.Params, &ir.Param{Name: name, In: "query", Required: true,
				Type: &ir.Type{Kind: ir.String}, Style: "form", Explode: true, Source: op.Source})
		}
		if p := op.Params[qi]; p.Name != member {
			l.warn(op.Source, "the paths key sends parameter %q as query member %q", name, member)
			delete(index, paramKey{name, "query"})
			p.Name = member
			index[paramKey{member, "query"}] = qi
		}
	}
	for _, raw := range strings.Split(query, "&") {
		if raw == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(raw, "=")
		name := queryUnescape(rawName)
		templates := pathParam.FindAllStringSubmatchIndex(rawValue, -1)
		switch {
		case pathParam.MatchString(rawName):
			l.warn(op.Source, "query member %q of the paths key has a template in its name; not sent", raw)
		case len(templates) == 1 && templates[0][0] == 0 && templates[0][1] == len(rawValue):
			bind(name, rawValue[1:len(rawValue)-1])
		case len(templates) > 0:
			l.warn(op.Source, "query member %q of the paths key mixes text and templates; each template's parameter is sent as a query parameter of its own name", raw)
			for _, m := range templates {
				bind(rawValue[m[2]:m[3]], rawValue[m[2]:m[3]])
			}
		default:
			if _, declared := index[paramKey{name, "query"}]; declared {
				l.warn(op.Source, "query member %q of the paths key is also a declared query parameter; the parameter is sent instead", raw)
				continue
			}
			op.FixedQuery = append(op.FixedQuery, ir.QueryPair{Name: name, Value: queryUnescape(rawValue)})
		}
	}
	if len(drop) == 0 {
		return
	}
	kept := op.Params[:0]
	for i, p := range op.Params {
		if !drop[i] {
			kept = append(kept, p)
		}
	}
	op.Params = kept
	clear(index)
	for i, p := range op.Params {
		index[paramKey{p.Name, p.In}] = i
	}
}

// queryUnescape decodes a query name or value as written in a paths key
// (percent-escapes and "+" for a space); text that is not valid escaping
// is kept as written.
func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
