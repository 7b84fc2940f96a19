package rtimpl_test

import (
	"context"
	"errors"
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

var searchOp = &runtime.Operation{ID: "search", Method: "GET", Path: "/search/{filter}", Idempotent: true}

// Parameters with content application/json carry the value's compact JSON
// text, escaped for their location, and decode back to the value.
func TestJSONParametersOnTheWire(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	type filter struct {
		Kind string              `json:"kind"`
		Max  runtime.Opt[int]    `json:"max,omitzero"`
		Tags []string            `json:"tags,omitzero"`
		Note runtime.Opt[string] `json:"note,omitzero"`
	}
	f := filter{Kind: "a/b c", Max: runtime.Some(3), Tags: []string{"x,y"}}
	seg, err := rtimpl.PathParamJSON(searchOp, "filter", f)
	if err != nil {
		t.Fatal(err)
	}
	r := runtime.NewRequest(searchOp, "/search/"+seg)
	rtimpl.AddQueryJSON(r, "where", map[string]any{"price": 1.5, "name": "é"})
	rtimpl.AddQueryJSON(r, "absent", runtime.Opt[filter]{})
	rtimpl.AddQueryJSON(r, "nil", []int(nil))
	rtimpl.SetHeaderJSON(r, "X-Meta", map[string]string{"k": "é", "clef": "𝄞", "html": "<a&b>"})
	rtimpl.SetHeaderJSON(r, "X-None", (*filter)(nil))
	rtimpl.AddCookieJSON(r, "prefs", []string{"a b", "c;d", "50%"})
	do(t, c, r)
	got := srv.last(t)

	const wantURI = `/search/%7B%22kind%22:%22a%2Fb%20c%22%2C%22max%22:3%2C%22tags%22:%5B%22x%2Cy%22%5D%7D` +
		`?where=%7B%22name%22%3A%22%C3%A9%22%2C%22price%22%3A1.5%7D`
	if got.RequestURI != wantURI {
		t.Errorf("request target\n got %s\nwant %s", got.RequestURI, wantURI)
	}
	if h := got.Header.Get("X-Meta"); h != `{"clef":"\ud834\udd1e","html":"<a&b>","k":"\u00e9"}` {
		t.Errorf("X-Meta = %s", h)
	}
	if _, ok := got.Header["X-None"]; ok {
		t.Error("a nil header value was sent")
	}
	if ck := got.Header.Get("Cookie"); ck != `prefs=[%22a%20b%22%2C%22c%3Bd%22%2C%2250%25%22]` {
		t.Errorf("Cookie = %s", ck)
	}

	// Round trip: what the server decodes is what was sent.
	var back filter
	mustJSON(t, strings.TrimPrefix(got.Path, "/search/"), &back)
	if back.Kind != f.Kind || back.Max != f.Max || len(back.Tags) != 1 || back.Tags[0] != "x,y" || back.Note.Set {
		t.Errorf("path decodes to %+v", back)
	}
	q, _ := url.ParseQuery(got.RawQuery)
	var where map[string]any
	mustJSON(t, q.Get("where"), &where)
	if where["name"] != "é" || where["price"] != 1.5 || len(q) != 1 {
		t.Errorf("query decodes to %v (%v)", where, q)
	}
	var meta map[string]string
	mustJSON(t, got.Header.Get("X-Meta"), &meta)
	if meta["k"] != "é" || meta["clef"] != "𝄞" || meta["html"] != "<a&b>" {
		t.Errorf("header decodes to %v", meta)
	}
	ck, _ := url.PathUnescape(strings.TrimPrefix(got.Header.Get("Cookie"), "prefs="))
	var prefs []string
	mustJSON(t, ck, &prefs)
	if len(prefs) != 3 || prefs[1] != "c;d" || prefs[2] != "50%" {
		t.Errorf("cookie decodes to %q", prefs)
	}
}

func mustJSON(t *testing.T, text string, v any) {
	t.Helper()
	if err := rtimpl.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
}

// A value encoding/json refuses is an error naming the operation and the
// parameter, and nothing is sent.
func TestJSONParameterErrors(t *testing.T) {
	if _, err := rtimpl.PathParamJSON(searchOp, "filter", math.NaN()); err == nil ||
		!strings.HasPrefix(err.Error(), `search: encoding request: path parameter "filter": json: unsupported value: NaN`) {
		t.Errorf("path: %v", err)
	}
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	for name, set := range map[string]func(*runtime.Request){
		`query parameter "q"`: func(r *runtime.Request) { rtimpl.AddQueryJSON(r, "q", math.Inf(1)) },
		`header "X-Q"`:        func(r *runtime.Request) { rtimpl.SetHeaderJSON(r, "X-Q", map[string]any{"x": math.NaN()}) },
		`cookie "c"`:          func(r *runtime.Request) { rtimpl.AddCookieJSON(r, "c", []float64{math.Inf(-1)}) },
	} {
		r := runtime.NewRequest(searchOp, "/search/x")
		set(r)
		_, err := c.Do(context.Background(), r)
		if err == nil || !strings.Contains(err.Error(), "search: encoding request: "+name+": json: unsupported value") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := srv.count(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// SetJSONBodyAs sends JSON under the declared JSON media type.
func TestSetJSONBodyAs(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	r := runtime.NewRequest(&runtime.Operation{ID: "patch", Method: "PATCH", Path: "/x"}, "/x")
	rtimpl.SetJSONBodyAs(r, "application/merge-patch+json", map[string]any{"name": "<b>", "gone": nil})
	do(t, c, r)
	got := srv.last(t)
	if ct := got.Header.Get("Content-Type"); ct != "application/merge-patch+json" || got.Body != `{"gone":null,"name":"<b>"}` {
		t.Errorf("sent %s %s", ct, got.Body)
	}
}

// Member names of an object with patternProperties: matched unanchored, as
// JSON Schema patterns are, and reported with their pointer when none does.
func TestMemberNamePatterns(t *testing.T) {
	pats := []*regexp.Regexp{rtimpl.Pattern(`^x-`), rtimpl.Pattern(`[0-9]$`)}
	if !rtimpl.MatchAny("x-a", pats...) || !rtimpl.MatchAny("a1", pats...) || rtimpl.MatchAny("a", pats...) || rtimpl.MatchAny("a") {
		t.Error("MatchAny")
	}
	var c rtimpl.Checker
	c.MemberName(rtimpl.Key("/labels", "x-ok"), "x-ok", pats...)
	c.MemberName(rtimpl.Key("/labels", "a/b"), "a/b", pats...)
	err := c.Err()
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Pointer != "/labels/a~1b" ||
		ve.Violations[0].Message != `member name "a/b" matches none of the patterns "^x-", "[0-9]$", and no other member is allowed` {
		t.Errorf("got %v", err)
	}
}
