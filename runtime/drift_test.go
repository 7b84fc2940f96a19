package runtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

type driftPet struct {
	ID    int64                    `json:"id"`
	Name  string                   `json:"name"`
	Tags  []int                    `json:"tags"`
	Born  time.Time                `json:"born"`
	Price runtime.Opt[float64]     `json:"price,omitzero"`
	Nick  runtime.Nullable[string] `json:"nick,omitzero"`
	Owner *driftOwner              `json:"owner"`
	Big   runtime.Int64String      `json:"big"`
}

type driftOwner struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
}

// driftServer answers every request with body.
func driftServer(t *testing.T, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

var getDriftPet = &runtime.Operation{ID: "getPet", Method: "GET"}

// TestDriftTolerated: every mismatched value of a response is left unset
// (an Opt, a Nullable and a pointer absent, not zero), the rest decodes,
// and the observer gets each with its JSON pointer, the Go type and the
// JSON kind; with WithStrictDecoding the same body is a *DecodeError.
func TestDriftTolerated(t *testing.T) {
	const body = `{"id":"7","name":"rex","tags":[1,"x",3],"born":"not a date","price":"0.5",` +
		`"nick":42,"owner":"alice","big":"many"}`
	srv := driftServer(t, body)
	var mu sync.Mutex
	var events []runtime.DriftEvent
	obs := runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}}
	c, err := runtime.NewClient(srv.URL, nil, runtime.WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/pets/7"))
	if err != nil {
		t.Fatal(err)
	}
	var p driftPet
	if err := rtimpl.DecodeJSON(resp, &p); err != nil {
		t.Fatalf("tolerant DecodeJSON: %v", err)
	}
	if p.ID != 0 || p.Name != "rex" || len(p.Tags) != 3 || p.Tags[0] != 1 || p.Tags[1] != 0 || p.Tags[2] != 3 ||
		!p.Born.IsZero() || p.Price.Set || p.Nick.Set || p.Owner != nil || p.Big != 0 {
		t.Errorf("decoded %+v", p)
	}
	if len(events) != 1 {
		t.Fatalf("%d drift events, want 1", len(events))
	}
	e := events[0]
	if e.Operation != getDriftPet || e.StatusCode != 200 || e.Total != 7 || len(e.Drift) != 7 {
		t.Fatalf("event %+v", e)
	}
	want := []runtime.Drift{
		{Pointer: "/id", Expected: "int64", Got: "string", Raw: json.RawMessage(`"7"`)},
		{Pointer: "/tags/1", Expected: "int", Got: "string", Raw: json.RawMessage(`"x"`)},
		{Pointer: "/born", Expected: "time.Time", Got: "string", Raw: json.RawMessage(`"not a date"`)},
		{Pointer: "/price", Expected: "float64", Got: "string", Raw: json.RawMessage(`"0.5"`)},
		{Pointer: "/nick", Expected: "string", Got: "number", Raw: json.RawMessage(`42`)},
		{Pointer: "/owner", Expected: "runtime_test.driftOwner", Got: "string", Raw: json.RawMessage(`"alice"`)},
		{Pointer: "/big", Expected: "runtime.Int64String", Got: "string", Raw: json.RawMessage(`"many"`)},
	}
	for i, w := range want {
		g := e.Drift[i]
		if g.Pointer != w.Pointer || g.Expected != w.Expected || g.Got != w.Got || string(g.Raw) != string(w.Raw) {
			t.Errorf("drift %d = %+v (raw %s), want %+v (raw %s)", i, g, g.Raw, w, w.Raw)
		}
	}

	resp, err = c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/pets/7"), runtime.WithStrictDecoding())
	if err != nil {
		t.Fatal(err)
	}
	err = rtimpl.DecodeJSON(resp, &driftPet{})
	var de *runtime.DecodeError
	if !errors.As(err, &de) || de.Err == nil {
		t.Errorf("strict DecodeJSON = %v, want a *DecodeError", err)
	}
	resp, err = c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/pets/7"), runtime.WithStrictDecoding())
	if err != nil {
		t.Fatal(err)
	}
	var te *json.UnmarshalTypeError
	if err := rtimpl.DecodeJSON(resp, &struct{ ID int64 }{}); !errors.As(err, &te) || !errors.As(err, &de) {
		t.Errorf("strict DecodeJSON of a mistyped member = %v, want a *DecodeError wrapping *json.UnmarshalTypeError", err)
	}
	if len(events) != 1 {
		t.Errorf("strict decoding reported drift")
	}
}

// TestDriftMissingRequired: a required member (a field without omitzero)
// absent from the body, at the top and in a nested object, is left zero
// and reported as drift with Got "absent" (an optional one is not);
// with WithStrictDecoding it fails the call with a *MissingMemberError
// naming its pointer.
func TestDriftMissingRequired(t *testing.T) {
	srv := driftServer(t, `{"id":7,"tags":[],"born":"2020-01-01T00:00:00Z","owner":{"name":"alice"},"big":"1"}`)
	var got runtime.DriftEvent
	c, _ := runtime.NewClient(srv.URL, nil, runtime.WithObserver(runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) { got = e }}))
	resp, err := c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"))
	if err != nil {
		t.Fatal(err)
	}
	var p driftPet
	if err := rtimpl.DecodeJSON(resp, &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != 7 || p.Name != "" || p.Owner == nil || p.Owner.Name != "alice" {
		t.Errorf("decoded %+v", p)
	}
	want := []runtime.Drift{
		{Pointer: "/owner/age", Expected: "int", Got: "absent"},
		{Pointer: "/name", Expected: "string", Got: "absent"},
	}
	if got.Total != len(want) || len(got.Drift) != len(want) {
		t.Fatalf("drift %+v, want %+v", got.Drift, want)
	}
	for i, w := range want {
		if g := got.Drift[i]; g.Pointer != w.Pointer || g.Expected != w.Expected || g.Got != w.Got || g.Raw != nil {
			t.Errorf("drift %d = %+v, want %+v", i, g, w)
		}
	}
	resp, err = c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"), runtime.WithStrictDecoding())
	if err != nil {
		t.Fatal(err)
	}
	var me *rtimpl.MissingMemberError
	if err := rtimpl.DecodeJSON(resp, &driftPet{}); !errors.As(err, &me) || me.Pointer != "/owner/age" {
		t.Errorf("strict DecodeJSON = %v, want a *MissingMemberError at /owner/age", err)
	}
}

// TestDriftPointers: pointers escape "~" and "/" (RFC 6901) and count
// array items; at most MaxDriftPerResponse are listed, Total counts all.
func TestDriftPointers(t *testing.T) {
	items := strings.Repeat(`"x",`, 99) + `"x"`
	srv := driftServer(t, `{"a/b~c":{"n":"1"},"list":[`+items+`]}`)
	var got runtime.DriftEvent
	c, _ := runtime.NewClient(srv.URL, nil, runtime.WithObserver(runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) { got = e }}))
	resp, err := c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		AB   map[string]int `json:"a/b~c"`
		List []int          `json:"list"`
	}
	if err := rtimpl.DecodeJSON(resp, &v); err != nil {
		t.Fatal(err)
	}
	if got.Total != 101 || len(got.Drift) != runtime.MaxDriftPerResponse {
		t.Fatalf("Total %d, %d listed", got.Total, len(got.Drift))
	}
	if got.Drift[0].Pointer != "/a~1b~0c/n" || got.Drift[1].Pointer != "/list/0" || got.Drift[15].Pointer != "/list/14" {
		t.Errorf("pointers %q %q %q", got.Drift[0].Pointer, got.Drift[1].Pointer, got.Drift[15].Pointer)
	}
	if len(v.List) != 100 {
		t.Errorf("list of %d", len(v.List))
	}
}

// TestDriftLogged: a warning per operation and place (array indices
// folded) per minute, naming the pointer and types but never the value.
func TestDriftLogged(t *testing.T) {
	srv := driftServer(t, `{"id":1,"name":"rex","tags":["secret-value-1","secret-value-2"],"born":"2020-01-01T00:00:00Z","owner":null,"big":"1"}`)
	var logs bytes.Buffer
	c, _ := runtime.NewClient(srv.URL, nil, runtime.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	for range 3 {
		resp, err := c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"))
		if err != nil {
			t.Fatal(err)
		}
		var p driftPet
		if err := rtimpl.DecodeJSON(resp, &p); err != nil {
			t.Fatal(err)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "does not match the spec"); n != 1 {
		t.Errorf("%d warnings, want 1 (two items, three calls, one place):\n%s", n, out)
	}
	if !strings.Contains(out, "pointer=/tags/0") || !strings.Contains(out, "expected=int") || !strings.Contains(out, "got=string") {
		t.Errorf("warning lacks its fields:\n%s", out)
	}
	if strings.Contains(out, "secret-value") {
		t.Errorf("the value was logged:\n%s", out)
	}
}

// checkedItem has a Validate as generated types do: name must not be empty.
type checkedItem struct {
	Name string `json:"name"`
}

func (v checkedItem) Validate() error {
	if v.Name == "" {
		return &runtime.ValidationError{Violations: []runtime.Violation{{Pointer: "/name", Message: "length 0 is below the minimum 1"}}}
	}
	return nil
}

// TestResponseValidationItems: WithResponseValidation checks each item of
// a list body, the pointers prefixed with the item's index; strict, the
// first violation is the call's error, with the same pointer.
func TestResponseValidationItems(t *testing.T) {
	srv := driftServer(t, `[{"name":"a"},{"name":""},{"name":"c"},{"name":""}]`)
	var got runtime.DriftEvent
	c, _ := runtime.NewClient(srv.URL, nil, runtime.WithResponseValidation(),
		runtime.WithObserver(runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) { got = e }}))
	resp, err := c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"))
	if err != nil {
		t.Fatal(err)
	}
	var items []checkedItem
	if err := rtimpl.DecodeJSON(resp, &items); err != nil || len(items) != 4 {
		t.Fatalf("DecodeJSON: %v, %d items", err, len(items))
	}
	if got.Total != 2 || got.Drift[0].Pointer != "/1/name" || got.Drift[1].Pointer != "/3/name" || got.Drift[0].Got != "invalid" {
		t.Errorf("drift %+v", got)
	}
	resp, err = c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"), runtime.WithStrictDecoding())
	if err != nil {
		t.Fatal(err)
	}
	var ve *runtime.ValidationError
	if err := rtimpl.DecodeJSON(resp, &items); !errors.As(err, &ve) || ve.Violations[0].Pointer != "/1/name" {
		t.Errorf("strict: %v", err)
	}
}

// keptPet has undeclared members kept, as generated objects do.
type keptPet struct {
	ID    int64                      `json:"id"`
	Name  string                     `json:"name"`
	Extra map[string]json.RawMessage `json:"-" jsonextra:""`
}

// TestDriftKeepsTheRawValue: a member whose value did not fit is left
// unset and its JSON is kept beside the undeclared members, so the caller
// can still read what the partner sent; encoding writes the field's value.
func TestDriftKeepsTheRawValue(t *testing.T) {
	srv := driftServer(t, `{"id":"seven","name":"rex","color":"red"}`)
	c, _ := runtime.NewClient(srv.URL, nil)
	resp, err := c.Do(context.Background(), runtime.NewRequest(getDriftPet, "/"))
	if err != nil {
		t.Fatal(err)
	}
	var p keptPet
	if err := rtimpl.DecodeJSON(resp, &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != 0 || p.Name != "rex" || string(p.Extra["id"]) != `"seven"` || string(p.Extra["color"]) != `"red"` {
		t.Errorf("decoded %+v (extra %s)", p, p.Extra)
	}
	out, err := rtimpl.Marshal(&p)
	if err != nil || string(out) != `{"id":0,"name":"rex","color":"red"}` {
		t.Errorf("encoded %s, %v", out, err)
	}
}
