package graphql_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/connectorgen/connectorgen/runtime/graphql"
)

// FuzzResponse decodes arbitrary GraphQL responses (GraphQL spec §7.1):
// every error prints without panicking, an *Errors over them finds each
// entry with errors.As, and encoding is stable after one decode.
func FuzzResponse(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"repository":{"issues":[{"title":"a"},null]}},"errors":[{"message":"Not found","path":["repository","issues",1],"locations":[{"line":3,"column":5}],"extensions":{"code":"NOT_FOUND"}}]}`,
		`{"errors":[{"message":"x","path":[1e2,-0,"a",{"k":1},null,1.5,99999999999999999999]}]}`,
		`{"data":null,"errors":[]}`, `{"errors":[null]}`, `{"errors":[{"message":1}]}`, `null`, `{"extensions":{"cost":3}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var data any
		resp := graphql.Response{Data: &data}
		if json.Unmarshal(body, &resp) != nil {
			return
		}
		var list []*graphql.Error
		for _, e := range resp.Errors {
			if e != nil {
				_, _ = e.Error(), e.PathString()
				list = append(list, e)
			}
		}
		errs := &graphql.Errors{Operation: "Op", List: list, StatusCode: 200}
		_ = errs.Error()
		if len(list) > 0 {
			var first *graphql.Error
			if !errors.As(errs, &first) || first != list[0] {
				t.Fatal("errors.As does not find the first entry")
			}
		}
		once, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("decoded response does not encode: %v", err)
		}
		var data2 any
		back := graphql.Response{Data: &data2}
		if err := json.Unmarshal(once, &back); err != nil {
			t.Fatalf("%s does not decode: %v", once, err)
		}
		twice, err := json.Marshal(back)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("unstable: %s then %s (%v)", once, twice, err)
		}
		for i, e := range back.Errors {
			if e != nil && !reflect.DeepEqual(e.Path, resp.Errors[i].Path) && len(e.Path) > 0 {
				// Paths are normalised on the first decode (integral numbers as int).
				t.Fatalf("path %#v decodes back as %#v", resp.Errors[i].Path, e.Path)
			}
		}
	})
}

// FuzzOperationType scans arbitrary documents: the result is one of the
// three operation types or "", and never a panic or a hang.
func FuzzOperationType(f *testing.F) {
	for _, seed := range []string{
		"query Q { a }", "{ a }", "mutation M($x: String = \"}\") { b }", "subscription S { c }",
		"# comment mutation\nfragment F on T { a }\n\"desc\" query Q { a(b: \"}\") }",
		`"""block "" string""" mutation M { x }`, "query {", "}}}{", "\"unterminated",
	} {
		f.Add(seed, "")
		f.Add(seed, "M")
	}
	f.Fuzz(func(t *testing.T, doc, name string) {
		switch got := graphql.OperationType(doc, name); got {
		case "", "query", "mutation", "subscription":
		default:
			t.Fatalf("OperationType = %q", got)
		}
	})
}

// Path entries: integral numbers are list indices (int) whatever their
// spelling, null stays nil (it used to become ""), strings stay strings.
func TestErrorPathEntries(t *testing.T) {
	var e graphql.Error
	if err := json.Unmarshal([]byte(`{"message":"m","path":["a",1e2,-0,null,1.5,"",3]}`), &e); err != nil {
		t.Fatal(err)
	}
	want := []any{"a", 100, 0, nil, 1.5, "", 3}
	if !reflect.DeepEqual(e.Path, want) {
		t.Errorf("Path = %#v, want %#v", e.Path, want)
	}
}
