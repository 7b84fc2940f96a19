package fake

import (
	"net/http/httptest"
	"testing"
)

// TestMatch: overlapping templates both route, a literal segment beating
// a wildcard at the first place they differ; path values are decoded; a
// HEAD takes the GET route; no route, nil.
func TestMatch(t *testing.T) {
	var got string
	mk := func(op, method, pattern string) Route {
		return Route{Operation: op, Method: method, Pattern: pattern}
	}
	routes := []Route{
		mk("assign", "PUT", "/issue/{p0}/assignee"),
		mk("property", "PUT", "/issue/properties/{p0}"),
		mk("issue", "GET", "/issue/{p0}"),
		mk("mine", "GET", "/issue/mine"),
		mk("root", "GET", "/"),
		mk("slash", "GET", "/issue/{$}"),
	}
	var table []compiled
	for _, rt := range routes {
		table = append(table, compiled{route: rt, segs: splitPattern(rt.Pattern)})
	}
	for _, c := range []struct{ method, path, op, value string }{
		{"PUT", "/issue/properties/assignee", "property", "assignee"},
		{"PUT", "/issue/42/assignee", "assign", "42"},
		{"GET", "/issue/mine", "mine", ""},
		{"GET", "/issue/a%2Fb", "issue", "a/b"},
		{"HEAD", "/issue/7", "issue", "7"},
		{"GET", "/", "root", ""},
		{"GET", "/issue/", "slash", ""},
		{"DELETE", "/issue/7", "", ""},
		{"GET", "/other/7/x", "", ""},
	} {
		r := httptest.NewRequest(c.method, c.path, nil)
		m, values := match(table, r)
		got = ""
		if m != nil {
			got = m.route.Operation
		}
		if got != c.op || values["p0"] != c.value {
			t.Errorf("%s %s: %q %v, want %q %q", c.method, c.path, got, values, c.op, c.value)
		}
	}
}
