package graphql

import (
	"context"
	"strings"
	"testing"
)

// TestRelayDetection: a query gets <Op>Iter only for exactly one field
// taking `after` from a String or ID variable and selecting pageInfo {
// hasNextPage endCursor } with nodes or edges { node }, reached through
// objects only.
func TestRelayDetection(t *testing.T) {
	const schema = `
type PageInfo { hasNextPage: Boolean! endCursor: String }
type Item { id: ID! }
type ItemEdge { node: Item cursor: String! }
type ItemConnection { pageInfo: PageInfo! nodes: [Item] edges: [ItemEdge] totalCount: Int! }
type Owner { items(first: Int, after: String): ItemConnection! more(after: String): ItemConnection }
type Query { owner(id: ID!): Owner owners: [Owner!]! items(first: Int, after: String): ItemConnection }
`
	for _, tc := range []struct {
		name, op string
		want     []string // substrings of client.go; "-" prefix: must be absent
	}{
		{"nodes", `query Items($after: String) { items(after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`,
			[]string{"func (c *Client) ItemsIter(", "iter.Seq2[*ItemsItemsItemConnectionNodesItem, error]", "return conn.Nodes, next, conn.PageInfo.HasNextPage, nil"}},
		{"edges through a nullable object", `query Owned($id: ID!, $cursor: String) { owner(id: $id) { items(after: $cursor) { pageInfo { hasNextPage endCursor } edges { node { id } } } } }`,
			[]string{"func (c *Client) OwnedIter(", "v.Cursor = runtime.NewNullable(cursor)", "if p0 == nil {", "for _, e := range conn.Edges {", "if e == nil {", "items = append(items, e.Node)"}},
		{"two connections", `query Two($a: String, $b: String) { owner(id: "1") { items(after: $a) { pageInfo { hasNextPage endCursor } nodes { id } } more(after: $b) { pageInfo { hasNextPage endCursor } nodes { id } } } }`,
			[]string{"-Iter("}},
		{"under a list", `query Lists($after: String) { owners { items(after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } } }`,
			[]string{"-Iter("}},
		{"no endCursor", `query NoCursor($after: String) { items(after: $after) { pageInfo { hasNextPage } nodes { id } } }`,
			[]string{"-Iter("}},
		{"a literal cursor", `query Literal { items(after: "x") { pageInfo { hasNextPage endCursor } nodes { id } } }`,
			[]string{"-Iter("}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, diags := Generate(context.Background(), Config{Schema: Source{Name: "schema.graphql", Text: []byte(schema)},
				Operations: []Source{{Name: "op.graphql", Text: []byte(tc.op)}}, Package: "p", Version: "test"})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			client := string(out["client.go"])
			for _, w := range tc.want {
				if absent, ok := strings.CutPrefix(w, "-"); ok {
					if strings.Contains(client, absent) {
						t.Errorf("client.go has %q:\n%s", absent, client)
					}
				} else if !strings.Contains(client, w) {
					t.Errorf("client.go lacks %q:\n%s", w, client)
				}
			}
		})
	}
}
