package paging_test

import (
	"context"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/generator/paging"
)

// decide loads a one-operation spec (GET /list, the given query
// parameters and 200 schema, YAML flow style) and returns its decision.
func decide(t *testing.T, params, schema string) string {
	t.Helper()
	spec := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /list:\n    get:\n      operationId: list\n" +
		"      parameters: " + params + "\n" +
		"      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: " + schema + "\n"
	api, diags := openapi.Load(context.Background(), "spec.yaml", []byte(spec))
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, spec)
	}
	ds, d := paging.Apply(api, nil)
	if len(d) > 0 {
		t.Fatal(d)
	}
	if len(ds) == 0 {
		return "none"
	}
	return strings.TrimPrefix(ds[0].String(), "list: ")
}

func TestDetect(t *testing.T) {
	str := "{type: string}"
	obj := func(members ...string) string {
		return "{type: object, properties: {" + strings.Join(members, ", ") + "}}"
	}
	arr := func(item string) string { return "{type: array, items: " + item + "}" }
	item := obj("id: " + str)
	for _, tc := range []struct{ name, params, schema, want string }{
		{"square: a cursor member named as its parameter", "[{name: cursor, in: query, schema: " + str + "}]",
			obj("errors: "+arr(obj("code: "+str)), "customers: "+arr(item), "cursor: "+str),
			"cursor, cursor = cursor, items customers (detected)"},
		{"errors are never the items", "[{name: page, in: query, schema: {type: integer}}]",
			obj("errors: "+arr(item), "warnings: "+arr(str), "rows: "+arr(item)),
			"page, parameter page, items rows (detected)"},
		{"vimeo: number page parameters", "[{name: page, in: query, schema: {type: number}}, {name: per_page, in: query, schema: {type: number}}]",
			arr(item), "page, parameter page, items: the body, page size per_page (detected)"},
		{"open banking: items one level down, next link in a links object", "[]",
			obj("Data: "+obj("Account: "+arr(item)), "Links: "+obj("Self: "+str, "Next: "+str)),
			"next-url, next URL Links.Next, items Data.Account (detected)"},
		{"spotify playlist: a next link beside other items is not the page's", "[]",
			obj("images: "+arr(item), "tracks: "+obj("items: "+arr(item), "next: "+str)),
			"not paginated: no cursor, next link, Link header, offset or page parameter pairs with the response"},
		{"spotify: a cursor within the items' container", "[{name: after, in: query, schema: " + str + "}]",
			obj("artists: " + obj("items: "+arr(item), "next: "+str, "cursors: "+obj("after: "+str))),
			"cursor, after = artists.cursors.after, items artists.items (detected)"},
		{"asana: a cursor under next_page, a link beside it", "[{name: offset, in: query, schema: " + str + "}]",
			obj("data: "+arr(item), "next_page: "+obj("offset: "+str, "uri: "+str)),
			"cursor, offset = next_page.offset, items data (detected)"},
		{"zendesk: next_page is a URL when page is a number", "[{name: page, in: query, schema: {type: integer}}]",
			obj("tickets: "+arr(item), "next_page: "+str, "count: {type: integer}"),
			"next-url, next URL next_page, items tickets (detected)"},
		{"two cursor pairs are ambiguous", "[{name: cursor, in: query, schema: " + str + "}, {name: pageToken, in: query, schema: " + str + "}]",
			obj("data: "+arr(item), "next_cursor: "+str, "nextPageToken: "+str),
			"not paginated: several cursor pairs (cursor = next_cursor; pageToken = nextPageToken)"},
		{"stripe: union items have no id", "[{name: starting_after, in: query, schema: " + str + "}]",
			obj("data: "+arr("{oneOf: ["+item+", "+obj("id: "+str, "last4: "+str)+"]}"), "has_more: {type: boolean}"),
			"not paginated: starting_after and has_more, but the items declare no string id to start after (a union's variants each have theirs)"},
		{"no signal, no decision", "[{name: q, in: query, schema: " + str + "}]", obj("data: " + arr(item)), "none"},
	} {
		if got := decide(t, tc.params, tc.schema); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
