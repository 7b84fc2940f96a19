package golden

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	propnames "github.com/connectorgen/connectorgen/golden/propnames/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// oddNames are the members of the propnames case's schemas: most of them
// names encoding/json cannot take as a struct tag key.
var oddNames = []string{"", "a,b", "it's", "temp°C", `x"y`, "😀", "back`tick", " lead", "trail ", "-", "-,",
	`back\slash`, "ok", "snake_case", "a b", "dollar$"}

// oddObject is a JSON object with every odd name, each value naming its
// member, so a member moved to another key is caught.
func oddObject(t *testing.T, more map[string]any) string {
	t.Helper()
	m := map[string]any{}
	for _, n := range oddNames {
		m[n] = "v:" + n
	}
	m["temp°C"] = 21.5
	for k, v := range more {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameMembers compares two JSON objects member by member: exactly the same
// keys (byte for byte) with the same values.
func sameMembers(t *testing.T, got, want string) {
	t.Helper()
	var g, w map[string]json.RawMessage
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: %v", want, err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	if !reflect.DeepEqual(keys(g), keys(w)) {
		t.Fatalf("members %q, want %q", keys(g), keys(w))
	}
	for k, v := range w {
		var a, b any
		_ = json.Unmarshal(v, &b)
		_ = json.Unmarshal(g[k], &a)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("member %q: %s, want %s", k, g[k], v)
		}
	}
}

// TestPropertyNamesRoundTrip: every member the spec names decodes into its
// field and encodes back under its exact name, whether encoding/json can
// name it by tag or not, in a closed object (additionalProperties: false),
// one that keeps undeclared members, and one with typed
// additionalProperties. Before, "" was sent as "X", "a,b" as "a", and
// "it's", "temp°C", `x"y` were dropped on decode and sent under their Go
// field names.
func TestPropertyNamesRoundTrip(t *testing.T) {
	in := oddObject(t, nil)
	c, out := roundTrip[propnames.Closed](t, in)
	if c.X != "v:" || c.AB2 != "v:a,b" || c.ItS.Value != "v:it's" || c.TempC.Value != 21.5 || c.XY.Value != `v:x"y` ||
		c.X4.Value != "v:😀" || c.BackTick.Value != "v:back`tick" || c.X2.Value != "v:-" || c.X3.Value != "v:-," ||
		c.Lead.Value != "v: lead" || c.Ok.Value != "v:ok" {
		t.Errorf("decoded %+v", c)
	}
	sameMembers(t, out, in)

	in = oddObject(t, map[string]any{"undeclared": []int{1}, "a,b,": "not a,b"})
	o, out := roundTrip[propnames.Open](t, in)
	if o.AB2.Value != "v:a,b" || len(o.AdditionalProperties) != 2 || string(o.AdditionalProperties["a,b,"]) != `"not a,b"` {
		t.Errorf("decoded %+v", o)
	}
	sameMembers(t, out, in)

	in = `{"a,b":"x","n":1,"z":2}`
	ty, out := roundTrip[propnames.Typed](t, in)
	if ty.AB.Value != "x" || ty.N.Value != 1 || !reflect.DeepEqual(ty.AdditionalProperties, map[string]int64{"z": 2}) {
		t.Errorf("decoded %+v", ty)
	}
	sameMembers(t, out, in)

	// Built in Go: required members are sent though empty, optional ones
	// only when set.
	b, err := json.Marshal(propnames.Closed{TempC: runtime.Some(-1.0)})
	if err != nil {
		t.Fatal(err)
	}
	sameMembers(t, string(b), `{"":"","a,b":"","temp°C":-1}`)
}

// TestPropertyNamesOnTheWire: form and multipart bodies name their
// fields and parts by the exact member names too.
func TestPropertyNamesOnTheWire(t *testing.T) {
	var form url.Values
	var parts map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/form":
			if err := r.ParseForm(); err != nil {
				t.Error(err)
			}
			form = r.PostForm
		case "/upload":
			mr, err := r.MultipartReader()
			if err != nil {
				t.Error(err)
				break
			}
			parts = map[string]string{}
			for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
				b, _ := io.ReadAll(p)
				parts[p.FormName()] = string(b)
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := propnames.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = c.PostForm(ctx, propnames.PostFormRequest{Body: propnames.Closed{X: "e", AB2: "ab",
		ItS: runtime.Some("its"), TempC: runtime.Some(3.5), X4: runtime.Some("smile")}})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"": {"e"}, "a,b": {"ab"}, "it's": {"its"}, "temp°C": {"3.5"}, "😀": {"smile"}}
	if !reflect.DeepEqual(form, want) {
		t.Errorf("form %q, want %q", form, want)
	}
	err = c.Upload(ctx, propnames.UploadRequest{Body: propnames.UploadBody{AB: "ab", ItS: runtime.Some("its"),
		FileName: runtime.Some(runtime.File{Name: "f.txt", Content: strings.NewReader("data")})}})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a,b": "ab", "it's": "its", "file name": "data"}; !reflect.DeepEqual(parts, want) {
		t.Errorf("parts %q, want %q", parts, want)
	}
}
