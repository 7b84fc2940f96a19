// Package paging finds how a list operation pages its results, from the
// spec alone or from connectorgen.yaml's pagination rules, and records it
// as ir.Operation.Pagination for the emitter's <Op>Iter and <Op>Pages
// methods.
//
// Detection is deterministic and conservative: a scheme is chosen only
// when the request parameter and the response members it needs are
// unambiguous. Otherwise the operation gets no iterator, and a Decision
// says why, for `connectorgen generate -v`. The schemes, in the order
// they are tried:
//
//   - an extension of the operation: x-ms-pageable (AutoRest), then
//     x-speakeasy-pagination, x-pagination (Speakeasy's form);
//   - last-item: a starting_after query parameter, a has_more boolean and
//     items with an id (Stripe);
//   - cursor: a response member next<P> (next_cursor, nextPageToken,
//     next_page, nextMarker, ...), or an alias (endCursor for after and
//     cursor), for the query parameter P (cursor, pageToken, page,
//     marker, ...); a has_more-like boolean, when declared, says whether
//     there is a next page;
//   - next-url: a string member next, next_url, next_page_uri,
//     next_page_url, nextLink, @odata.nextLink or next.href, at most three
//     members deep (links.next, meta.next_page_url);
//   - link-header: a success response declaring the Link header (RFC 8288
//     rel="next");
//   - offset: an integer offset, startAt, start or skip parameter, with
//     a limit-like parameter and a total-like member when declared;
//   - page: an integer page parameter, with a per_page-like parameter and
//     a total_pages-like member when declared.
//
// Every scheme needs the items: the body itself when it is an array, else
// the body's one array member (or, among several, the one named data,
// items, results, ...). Only GET operations are detected; a rule in the
// config can make any operation paginated.
package paging

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
)

// Decision is what Apply decided for one operation that is paginated or
// looks like a list: the scheme and its members, or why there is none.
type Decision struct {
	Operation string // operationId (or the derived id)
	Pointer   string // the operation's JSON pointer
	// Scheme is the chosen scheme; "" when the operation is not paginated.
	Scheme ir.PageScheme
	// Detail names the parameter and members used (Scheme set) or the
	// reason none was chosen.
	Detail string
	Origin string // "detected", "config" or an extension's name
}

// String renders "operationId: scheme (detail)" or "operationId: not
// paginated: reason".
func (d Decision) String() string {
	if d.Scheme == "" {
		return fmt.Sprintf("%s: not paginated: %s", d.Operation, d.Detail)
	}
	return fmt.Sprintf("%s: %s, %s (%s)", d.Operation, d.Scheme, d.Detail, d.Origin)
}

// Apply sets Pagination on every operation of api that a rule of cfg (nil
// for none) or detection makes paginated, in operation order. It returns
// a decision per operation that is paginated or looks like a list, and
// errors, located in cfg, for a rule that matches no operation or names a
// parameter or member the operation lacks.
func Apply(api *ir.API, cfg *config.File) ([]Decision, diag.List) {
	var rules []config.PageRule
	if cfg != nil {
		rules = cfg.Pagination
	}
	used := make([]bool, len(rules))
	var out []Decision
	var diags diag.List
	for _, op := range api.Operations {
		d := Decision{Operation: op.ID, Pointer: op.Source}
		var p *ir.Pagination
		var why string
		if i := matchRule(rules, op); i >= 0 {
			used[i] = true
			r := rules[i]
			if r.Scheme == config.PageNone {
				d.Detail, d.Origin = "pagination rule with scheme none", "config"
				out = append(out, d)
				continue
			}
			var err error
			if p, err = fromRule(op, r); err != nil {
				diags = append(diags, ruleDiag(cfg, i, "operation %s (%s %s): %v", op.ID, op.Method, op.Path, err))
				continue
			}
			p.Origin = "config"
		} else {
			var looks bool
			p, why, looks = detect(op)
			if p == nil && !looks {
				continue
			}
		}
		if p == nil {
			d.Detail = why
			out = append(out, d)
			continue
		}
		op.Pagination = p
		d.Scheme, d.Detail, d.Origin = p.Scheme, describe(p), p.Origin
		out = append(out, d)
	}
	for i, r := range rules {
		if !used[i] {
			diags = append(diags, ruleDiag(cfg, i, "pagination rule %s matches no operation", r.Selector()))
		}
	}
	diags.Sort()
	return out, diags
}

func ruleDiag(cfg *config.File, i int, format string, args ...any) diag.Diagnostic {
	return diag.Diagnostic{Severity: diag.Error, Pos: diag.Pos{File: cfg.Name(), Line: cfg.Line("pagination", fmt.Sprint(i))},
		Pointer: fmt.Sprintf("#/pagination/%d", i), Message: fmt.Sprintf(format, args...)}
}

// matchRule returns the index of the first rule selecting op, or -1.
func matchRule(rules []config.PageRule, op *ir.Operation) int {
	for i, r := range rules {
		if r.Matches(op.ID, op.Method, op.Path) {
			return i
		}
	}
	return -1
}

// describe names p's parameter and members, e.g. "cursor ← response_metadata.next_cursor, items channels".
func describe(p *ir.Pagination) string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	switch p.Scheme {
	case ir.PageLinkHeader:
		add("Link rel=next")
	case ir.PageNextURL:
		add("next URL %s", ir.Path(p.Next))
	case ir.PageLastItem:
		add("%s = last item's %s", p.Param.Name, p.Key.JSONName)
	case ir.PageCursor:
		add("%s = %s", p.Param.Name, ir.Path(p.Next))
	default:
		add("parameter %s", p.Param.Name)
	}
	if len(p.Items) == 0 {
		add("items: the body")
	} else {
		add("items %s", ir.Path(p.Items))
	}
	if p.More != nil {
		add("more %s", ir.Path(p.More))
	}
	if p.Total != nil {
		what := "total"
		if p.TotalPages {
			what = "total pages"
		}
		add("%s %s", what, ir.Path(p.Total))
	}
	if p.Limit != nil {
		add("page size %s", p.Limit.Name)
	}
	return strings.Join(parts, ", ")
}

// norm lower-cases a name and drops the separators _ - . @ $ and spaces,
// so that next_cursor, nextCursor and next-cursor compare equal.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if !strings.ContainsRune("_-.@$ ", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pageResponse is the success response carrying a page: the 200, else
// the first 2xx, with a JSON body of a known type.
func pageResponse(op *ir.Operation) *ir.Response {
	var first *ir.Response
	for _, r := range op.Successes() {
		if r.Kind != ir.BodyJSON || r.Type == nil {
			continue
		}
		if r.Status == "200" {
			return r
		}
		if first == nil {
			first = r
		}
	}
	return first
}

// member is a response member found by a search: its path from the body.
type member struct {
	path []*ir.Field
}

func (m member) leaf() *ir.Field { return m.path[len(m.path)-1] }

// members lists the members of an object type down to depth levels (1:
// its own properties), through nested objects but not through arrays,
// maps or unions, in declaration order.
func members(t *ir.Type, depth int) []member {
	var out []member
	seen := map[*ir.Type]bool{}
	var walk func(t *ir.Type, prefix []*ir.Field, depth int)
	walk = func(t *ir.Type, prefix []*ir.Field, depth int) {
		t = t.Resolve()
		if t.Kind != ir.Object || depth == 0 || seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for _, f := range t.Fields {
			if f.Type == nil || f.WriteOnly {
				continue
			}
			path := append(append([]*ir.Field(nil), prefix...), f)
			out = append(out, member{path})
			walk(f.Type, path, depth-1)
		}
	}
	walk(t, nil, depth)
	return out
}

func isString(t *ir.Type) bool {
	t = t.Resolve()
	return t.GoType == nil && t.Kind == ir.String && (t.Format == "" || t.Format == "uri" || t.Format == "url" || t.Format == "uri-reference")
}

func isInt(t *ir.Type) bool {
	t = t.Resolve()
	return t.GoType == nil && t.Kind == ir.Int
}

// isCount reports whether a page number, offset or size parameter can
// have type t: an integer, or a number (Vimeo's page and per_page).
func isCount(t *ir.Type) bool {
	r := t.Resolve()
	return isInt(t) || r.GoType == nil && r.Kind == ir.Float
}

func isBool(t *ir.Type) bool {
	t = t.Resolve()
	return t.GoType == nil && t.Kind == ir.Bool
}

// findItems returns the items of a page body: nil when the body is an
// array, else the path of its one array member (errors and warnings
// aside), or among several the one with a usual name (data, items, ...);
// when the body has none, the one array of objects in its object members
// (Open Banking's Data.Account). Otherwise a reason.
func findItems(body *ir.Type) ([]*ir.Field, string) {
	t := body.Resolve()
	switch t.Kind {
	case ir.Array:
		return nil, ""
	case ir.Object:
	default:
		return nil, "the response body is neither an array nor an object with an array member"
	}
	arrays := arrayMembers(t)
	switch len(arrays) {
	case 0:
		var nested [][]*ir.Field
		for _, f := range t.Fields {
			if o := f.Type.Resolve(); f.Type != nil && o.Kind == ir.Object && o != t {
				for _, a := range arrayMembers(o) {
					if el := a.Type.Resolve().Elem; el != nil && el.Resolve().Kind == ir.Object {
						nested = append(nested, []*ir.Field{f, a})
					}
				}
			}
		}
		if len(nested) == 1 {
			return nested[0], ""
		}
		return nil, "the response body has no array member to hold the items"
	case 1:
		return []*ir.Field{arrays[0]}, ""
	}
	var usual []*ir.Field
	for _, f := range arrays {
		if itemNames[norm(f.JSONName)] {
			usual = append(usual, f)
		}
	}
	if len(usual) == 1 {
		return usual, ""
	}
	return nil, "the response body has several array members (" + fieldNames(arrays) + "); which holds the items is for a pagination rule to say"
}

// arrayMembers lists the array members of an object that can hold items:
// not write-only, not errors or warnings (Square's errors beside its items).
func arrayMembers(t *ir.Type) []*ir.Field {
	var out []*ir.Field
	for _, f := range t.Fields {
		if f.Type != nil && f.Type.Resolve().Kind == ir.Array && !f.WriteOnly && !notItems[norm(f.JSONName)] {
			out = append(out, f)
		}
	}
	return out
}

// notItems are array members that never hold a page's items.
var notItems = set("errors", "warnings")

// itemNames are the usual names of the member holding a page's items.
var itemNames = set("data", "items", "results", "records", "entries", "values", "value", "elements", "nodes", "list", "content", "objects", "resources")

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func fieldNames(fs []*ir.Field) string {
	var names []string
	for _, f := range fs {
		names = append(names, f.JSONName)
	}
	return strings.Join(names, ", ")
}

// queryParams returns op's query parameters by normalized name; a name
// two parameters share maps to nil.
func queryParams(op *ir.Operation) map[string]*ir.Param {
	out := map[string]*ir.Param{}
	for _, p := range op.Params {
		if p.In != "query" || p.Type == nil || p.ContentJSON {
			continue
		}
		n := norm(p.Name)
		if _, dup := out[n]; dup {
			out[n] = nil
			continue
		}
		out[n] = p
	}
	return out
}

// Names of parameters and members, normalized (see norm).
var (
	// cursorAliases are, per cursor parameter, the response members
	// besides next<param> that hold its next value.
	cursorAliases = map[string][]string{
		"cursor":            {"nextcursor", "endcursor", "nextpagecursor"},
		"after":             {"endcursor", "nextcursor", "after"},
		"startcursor":       {"nextcursor"},
		"pagecursor":        {"nextpagecursor", "nextcursor"},
		"continuationtoken": {"nextcontinuationtoken", "continuationtoken", "continuation"},
		"continuation":      {"continuation", "continuationtoken"},
	}
	// sameNameCursors are the cursor parameters whose next value a
	// top-level member of the same name holds.
	sameNameCursors = set("cursor", "pagetoken", "continuationtoken", "marker", "starttoken")
	moreNames       = set("hasmore", "hasnext", "hasnextpage", "more", "hasmoreitems", "hasmoreresults")
	nextURLNames    = set("next", "nexturl", "nexturi", "nextlink", "odatanextlink", "nextpageurl", "nextpageuri", "nextpagelink", "nexthref")
	offsetNames     = set("offset", "startat", "start", "skip", "startindex")
	pageNames       = set("page", "pagenumber", "pageno", "pagenum")
	limitNames      = set("limit", "maxresults", "pagesize", "perpage", "size", "count", "top", "pagelimit", "maxitems")
	totalNames      = set("total", "totalcount", "totalresults", "totalitems", "totalsize", "totalentries", "totalrecords")
	totalPageNames  = set("totalpages", "pagecount", "lastpage", "pages", "numpages")
)

// detect finds op's scheme from the spec. It returns the pagination, or
// nil with the reason and whether op looks like a list at all (a page
// parameter, a next member or a Link header), which decides whether the
// reason is worth reporting.
func detect(op *ir.Operation) (p *ir.Pagination, why string, looks bool) {
	resp := pageResponse(op)
	params := queryParams(op)
	looks = hasLinkHeader(op) || hasPageParam(params)
	if resp != nil {
		for _, m := range members(resp.Type, 3) {
			if n := norm(m.leaf().JSONName); nextURLNames[n] || nextLike(n) {
				looks = true
			}
		}
	}
	for _, name := range pageExtensionNames {
		if v, ok := op.Extensions[name]; ok {
			p, why := fromExtension(op, name, v)
			return p, why, true
		}
	}
	if op.Method != "GET" {
		return nil, "only GET operations are detected; a pagination rule can page this one", looks
	}
	if resp == nil {
		return nil, "no success response with a JSON body", looks
	}
	items, why := findItems(resp.Type)
	if why != "" {
		return nil, why, looks
	}
	base := &ir.Pagination{Response: resp, Items: items, Origin: "detected"}
	ms := members(resp.Type, 3)

	// last-item (Stripe): starting_after, has_more, items with an id.
	fallback := "no cursor, next link, Link header, offset or page parameter pairs with the response"
	if sa := params["startingafter"]; sa != nil && isString(sa.Type) {
		more := findMore(ms, nil)
		key := itemKey(resp.Type, items)
		if more != nil && key != nil {
			p := *base
			p.Scheme, p.Param, p.More, p.Key = ir.PageLastItem, sa, more, key
			return &p, "", true
		}
		if more != nil {
			fallback = "starting_after and has_more, but the items declare no string id to start after (a union's variants each have theirs)"
		}
	}

	// cursor: next<param> or an alias.
	var found []*ir.Pagination
	for _, name := range sortedKeys(params) {
		prm := params[name]
		if prm == nil || !isString(prm.Type) {
			continue // an integer offset or page is for the counted schemes below
		}
		want := append([]string{"next" + name}, cursorAliases[name]...)
		for _, m := range ms {
			if !isString(m.leaf().Type) || !cursorMember(m, name, want) || !placed(m.path, items) {
				continue
			}
			p := *base
			p.Scheme, p.Param, p.Next = ir.PageCursor, prm, m.path
			p.More = findMore(ms, m.path)
			found = append(found, &p)
		}
	}
	switch len(found) {
	case 1:
		return found[0], "", true
	case 0:
	default:
		var alts []string
		for _, f := range found {
			alts = append(alts, f.Param.Name+" = "+ir.Path(f.Next))
		}
		return nil, "several cursor pairs (" + strings.Join(alts, "; ") + ")", true
	}

	// next-url: a next link member.
	var urls []member
	for _, m := range ms {
		if !isString(m.leaf().Type) {
			continue
		}
		n := norm(m.leaf().JSONName)
		parent := ""
		if len(m.path) > 1 {
			parent = norm(m.path[len(m.path)-2].JSONName)
		}
		// next_page is a URL unless a string page parameter takes it
		// back as a cursor (Stripe search, handled above).
		nextPage := n == "nextpage" && (params["page"] == nil || !isString(params["page"].Type))
		// A link under a next member: next.href, next_page.uri (Asana).
		underNext := (parent == "next" || parent == "nextpage" || parent == "nextlink") && (n == "href" || n == "uri" || n == "url" || n == "link")
		if (nextURLNames[n] && params[n] == nil || nextPage || underNext) && placed(m.path, items) {
			urls = append(urls, m)
		}
	}
	switch len(urls) {
	case 1:
		p := *base
		p.Scheme, p.Next = ir.PageNextURL, urls[0].path
		return &p, "", true
	case 0:
	default:
		var alts []string
		for _, m := range urls {
			alts = append(alts, ir.Path(m.path))
		}
		return nil, "several next-page members (" + strings.Join(alts, ", ") + ")", true
	}

	if hasLinkHeader(op) {
		p := *base
		p.Scheme = ir.PageLinkHeader
		return &p, "", true
	}

	// offset and page number.
	limit := uniqueParam(params, limitNames, isCount)
	if off := uniqueParam(params, offsetNames, isCount); off != nil {
		p := *base
		p.Scheme, p.Param, p.Limit = ir.PageOffset, off, limit
		p.Total = uniqueMember(ms, totalNames, 1)
		return &p, "", true
	}
	if pg := uniqueParam(params, pageNames, isCount); pg != nil {
		p := *base
		p.Scheme, p.Param, p.Limit = ir.PageNumber, pg, limit
		if t := uniqueMember(ms, totalPageNames, 2); t != nil {
			p.Total, p.TotalPages = t, true
		}
		return &p, "", true
	}
	if looks {
		return nil, fallback, true
	}
	return nil, "", false
}

// placed reports whether a member found deep in the body belongs to the
// page rather than to one of its items' neighbours: it is at the top
// level, or beside the items (Spotify's albums.next with albums.items),
// or in objects that hold no arrays (links.next, meta.next_cursor,
// response_metadata.next_cursor), unlike Spotify's playlist, whose
// tracks.next pages the tracks, not the playlist's images.
func placed(m []*ir.Field, items []*ir.Field) bool {
	parent := m[:len(m)-1]
	if len(parent) < len(items) && slices.Equal(parent, items[:len(parent)]) {
		return true // the top level, or the items' own container
	}
	for len(parent) > 0 && len(items) > 1 && parent[0] == items[0] {
		parent, items = parent[1:], items[1:] // within the items' container (Spotify's artists.cursors.after)
	}
	for _, f := range parent {
		if len(arrayMembers(f.Type.Resolve())) > 0 {
			return false
		}
	}
	return true
}

// nextLike reports whether a normalized member name reads as a next
// page's cursor or link: next followed by cursor, token, page, link, url,
// uri or marker.
func nextLike(n string) bool {
	rest, ok := strings.CutPrefix(n, "next")
	if !ok {
		return false
	}
	for _, s := range []string{"cursor", "token", "page", "link", "url", "uri", "marker"} {
		if strings.Contains(rest, s) {
			return true
		}
	}
	return false
}

// cursorMember reports whether m holds the next value of the cursor
// parameter named name: its name is one of want, or it is the
// parameter's own name under a member named next (HubSpot's
// paging.next.after).
func cursorMember(m member, name string, want []string) bool {
	n := norm(m.leaf().JSONName)
	for _, w := range want {
		if n == w {
			return true
		}
	}
	if n != name {
		return false
	}
	if len(m.path) == 1 {
		// The same name at the top level: Square's cursor, back in cursor.
		return sameNameCursors[name]
	}
	parent := norm(m.path[len(m.path)-2].JSONName)
	return parent == "next" || parent == "nextpage" // HubSpot's paging.next.after, Asana's next_page.offset
}

// findMore returns the boolean member announcing a next page: at the top
// level, or beside next.
func findMore(ms []member, next []*ir.Field) []*ir.Field {
	var out [][]*ir.Field
	for _, m := range ms {
		if !isBool(m.leaf().Type) || !moreNames[norm(m.leaf().JSONName)] {
			continue
		}
		if len(m.path) == 1 || next != nil && sameParent(m.path, next) {
			out = append(out, m.path)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return nil
}

func sameParent(a, b []*ir.Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a)-1; i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// itemKey returns the item's id member (a string) when the items are
// objects that declare one.
func itemKey(body *ir.Type, items []*ir.Field) *ir.Field {
	arr := body
	if len(items) > 0 {
		arr = items[len(items)-1].Type
	}
	arr = arr.Resolve()
	if arr.Kind != ir.Array || arr.Elem == nil {
		return nil
	}
	el := arr.Elem.Resolve()
	if el.Kind != ir.Object {
		return nil
	}
	for _, f := range el.Fields {
		if f.JSONName == "id" && isString(f.Type) {
			return f
		}
	}
	return nil
}

// uniqueParam returns the one parameter with a name in names and a type
// ok accepts, nil when none or several.
func uniqueParam(params map[string]*ir.Param, names map[string]bool, ok func(*ir.Type) bool) *ir.Param {
	var found *ir.Param
	for _, n := range sortedKeys(params) {
		if p := params[n]; p != nil && names[n] && ok(p.Type) {
			if found != nil {
				return nil
			}
			found = p
		}
	}
	return found
}

// uniqueMember returns the one integer member with a name in names at
// most depth levels down, nil when none or several.
func uniqueMember(ms []member, names map[string]bool, depth int) []*ir.Field {
	var found []*ir.Field
	for _, m := range ms {
		if len(m.path) > depth || !isInt(m.leaf().Type) || !names[norm(m.leaf().JSONName)] {
			continue
		}
		if found != nil {
			return nil
		}
		found = m.path
	}
	return found
}

func hasPageParam(params map[string]*ir.Param) bool {
	for n := range params {
		if n == "cursor" || n == "startingafter" || n == "pagetoken" || cursorAliases[n] != nil || offsetNames[n] || pageNames[n] {
			return true
		}
	}
	return false
}

func hasLinkHeader(op *ir.Operation) bool {
	for _, h := range op.SuccessHeaders() {
		if strings.EqualFold(h.Name, "Link") {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
