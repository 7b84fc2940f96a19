package rtimpl_test

import (
	"math"
	"net/url"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

type status string

type level int

type color struct{ R, G, B int }

func (c color) MarshalText() ([]byte, error) { return []byte("rgb"), nil }

type named struct{}

func (named) String() string { return "named" }

func TestFormatParam(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 600, time.UTC)
	n := 42
	var nilPtr *int
	cases := []struct {
		in   any
		want string
	}{
		{"a b/c", "a b/c"},
		{true, "true"},
		{int8(-8), "-8"},
		{int64(math.MaxInt64), "9223372036854775807"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{uint8(255), "255"},
		{1e21, "1000000000000000000000"},
		{0.000001, "0.000001"},
		{float32(0.1), "0.1"},
		{-2.5, "-2.5"},
		{[]byte("hi?"), "aGk/"},
		{ts, "2024-01-02T03:04:05.0000006Z"},
		{runtime.Date{Year: 2024, Month: 7, Day: 1}, "2024-07-01"},
		{runtime.Some(3), "3"},
		{runtime.Opt[int]{}, ""},
		{runtime.NewNullable("x"), "x"},
		{runtime.NullValue[string](), ""},
		{runtime.Some(runtime.Some(status("deep"))), "deep"},
		{&n, "42"},
		{nilPtr, ""},
		{nil, ""},
		{status("active"), "active"},
		{level(3), "3"},
		{color{}, "rgb"},
		{named{}, "named"},
	}
	for _, tc := range cases {
		if got := rtimpl.FormatParam(tc.in); got != tc.want {
			t.Errorf("FormatParam(%#v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPathParam(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{"42", "42"},
		{"dir/sub file.txt", "dir%2Fsub%20file.txt"},
		{"café ☕", "caf%C3%A9%20%E2%98%95"},
		{"a,b;c?d#e%f", "a%2Cb%3Bc%3Fd%23e%25f"},
		{"..", "%2E%2E"},
		{".", "%2E"},
		{"...", "..."},
		{[]string{"x/y", "z"}, "x%2Fy,z"},
		{[]int{3, 4, 5}, "3,4,5"},
		{map[string]int{"R": 100, "G": 200}, "G,200,R,100"},
		{runtime.Some(int64(7)), "7"},
	}
	for _, tc := range cases {
		if got := rtimpl.PathParam(tc.in); got != tc.want {
			t.Errorf("PathParam(%#v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPathEscapingOnTheWire checks that escapes reach the server intact.
func TestPathEscapingOnTheWire(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL+"/v1", nil)
	op := &runtime.Operation{ID: "getFile", Method: "GET", Path: "/files/{name}"}
	do(t, c, runtime.NewRequest(op, "/files/"+rtimpl.PathParam("dir/sub file ☕.txt")))
	got := srv.last(t)
	if want := "/v1/files/dir%2Fsub%20file%20%E2%98%95.txt"; got.RequestURI != want {
		t.Errorf("RequestURI = %q, want %q", got.RequestURI, want)
	}
	if want := "/v1/files/dir/sub file ☕.txt"; got.Path != want {
		t.Errorf("decoded path = %q, want %q", got.Path, want)
	}
}

type filter struct {
	Status  runtime.Opt[string]   `json:"status,omitzero"`
	Owner   runtime.Opt[string]   `json:"owner,omitzero"`
	Deleted runtime.Nullable[int] `json:"deleted,omitzero"`
	Created struct {
		Gte int64 `json:"gte"`
		Lt  int64 `json:"lt,omitempty"`
	} `json:"created"`
	Tags  []string         `json:"tags"`
	Items []map[string]any `json:"items,omitempty"`
}

func TestAddQueryStyles(t *testing.T) {
	arr := []string{"blue", "black", "brown"}
	obj := map[string]int{"R": 100, "G": 200, "B": 150}
	f := filter{Status: runtime.Some("open"), Deleted: runtime.NullValue[int](), Tags: []string{"a b", "c"}}
	f.Created.Gte = 1700000000
	f.Items = []map[string]any{{"id": "x"}}
	type q struct {
		value   any
		style   rtimpl.Style
		explode bool
		want    string
	}
	cases := map[string]q{
		"scalar form":               {"blue", rtimpl.StyleForm, true, "color=blue"},
		"scalar form no-explode":    {"blue", rtimpl.StyleForm, false, "color=blue"},
		"scalar space":              {"blue", rtimpl.StyleSpaceDelimited, false, "color=blue"},
		"scalar pipe":               {"blue", rtimpl.StylePipeDelimited, false, "color=blue"},
		"scalar deepObject":         {"blue", rtimpl.StyleDeepObject, true, "color=blue"},
		"scalar escaped":            {"a b&c=d,e+f", rtimpl.StyleForm, true, "color=a%20b%26c%3Dd%2Ce%2Bf"},
		"empty string kept":         {"", rtimpl.StyleForm, true, "color="},
		"array form explode":        {arr, rtimpl.StyleForm, true, "color=blue&color=black&color=brown"},
		"array form":                {arr, rtimpl.StyleForm, false, "color=blue,black,brown"},
		"array form item comma":     {[]string{"a,b", "c"}, rtimpl.StyleForm, false, "color=a%2Cb,c"},
		"array space":               {arr, rtimpl.StyleSpaceDelimited, false, "color=blue%20black%20brown"},
		"array pipe":                {arr, rtimpl.StylePipeDelimited, false, "color=blue%7Cblack%7Cbrown"},
		"array space explode":       {arr, rtimpl.StyleSpaceDelimited, true, "color=blue&color=black&color=brown"},
		"array pipe explode":        {arr, rtimpl.StylePipeDelimited, true, "color=blue&color=black&color=brown"},
		"array deepObject":          {arr, rtimpl.StyleDeepObject, true, "color%5B0%5D=blue&color%5B1%5D=black&color%5B2%5D=brown"},
		"array of ints":             {[]int64{1, 2}, rtimpl.StyleForm, false, "color=1,2"},
		"array skips absent":        {[]runtime.Opt[int]{runtime.Some(1), {}, runtime.Some(3)}, rtimpl.StyleForm, true, "color=1&color=3"},
		"object form explode":       {obj, rtimpl.StyleForm, true, "B=150&G=200&R=100"},
		"object form":               {obj, rtimpl.StyleForm, false, "color=B,150,G,200,R,100"},
		"object space":              {obj, rtimpl.StyleSpaceDelimited, false, "color=B%20150%20G%20200%20R%20100"},
		"object pipe":               {obj, rtimpl.StylePipeDelimited, false, "color=B%7C150%7CG%7C200%7CR%7C100"},
		"object deepObject":         {obj, rtimpl.StyleDeepObject, true, "color%5BB%5D=150&color%5BG%5D=200&color%5BR%5D=100"},
		"struct form explode":       {color{R: 1}, rtimpl.StyleForm, true, "color=rgb"}, // TextMarshaler wins
		"struct deepObject nested":  {f, rtimpl.StyleDeepObject, true, "color%5Bcreated%5D%5Bgte%5D=1700000000&color%5Bitems%5D%5B0%5D%5Bid%5D=x&color%5Bstatus%5D=open&color%5Btags%5D%5B0%5D=a%20b&color%5Btags%5D%5B1%5D=c"},
		"struct form explode json":  {struct{ A, B string }{"1", "2"}, rtimpl.StyleForm, true, "A=1&B=2"},
		"opt slice":                 {runtime.Some([]string{"x", "y"}), rtimpl.StyleForm, true, "color=x&color=y"},
		"absent opt":                {runtime.Opt[string]{}, rtimpl.StyleForm, true, ""},
		"null nullable":             {runtime.NullValue[[]string](), rtimpl.StyleForm, false, ""},
		"absent deepObject":         {runtime.Opt[filter]{}, rtimpl.StyleDeepObject, true, ""},
		"nil":                       {nil, rtimpl.StyleForm, true, ""},
		"nil slice":                 {[]string(nil), rtimpl.StyleForm, true, ""},
		"empty slice no-explode":    {[]string{}, rtimpl.StyleForm, false, ""},
		"time":                      {time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600)), rtimpl.StyleForm, true, "color=2024-01-02T03%3A04%3A05%2B01%3A00"},
		"date":                      {runtime.Date{Year: 2024, Month: 1, Day: 2}, rtimpl.StyleForm, true, "color=2024-01-02"},
		"big float":                 {1e21, rtimpl.StyleForm, true, "color=1000000000000000000000"},
		"named string":              {status("open now"), rtimpl.StyleForm, true, "color=open%20now"},
		"unicode":                   {"café", rtimpl.StyleForm, true, "color=caf%C3%A9"},
		"map with big int keeps it": {map[string]uint64{"n": math.MaxUint64}, rtimpl.StyleDeepObject, true, "color%5Bn%5D=18446744073709551615"},
	}
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := runtime.NewRequest(getPet, "/pets")
			rtimpl.AddQuery(r, "color", tc.value, tc.style, tc.explode)
			do(t, c, r)
			if got := srv.last(t).RawQuery; got != tc.want {
				t.Errorf("query =\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
}

func TestQueryOrderAndBaseQuery(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL+"/api?api-version=2024-01-01", nil)
	r := runtime.NewRequest(getPet, "/pets")
	rtimpl.AddQuery(r, "limit", 10, rtimpl.StyleForm, true)
	rtimpl.AddQuery(r, "after", runtime.Some("cur sor"), rtimpl.StyleForm, true)
	rtimpl.AddQuery(r, "skip", runtime.Opt[int]{}, rtimpl.StyleForm, true)
	do(t, c, r)
	got := srv.last(t)
	if want := "api-version=2024-01-01&limit=10&after=cur%20sor"; got.RawQuery != want {
		t.Errorf("query = %q, want %q", got.RawQuery, want)
	}
	if got.Path != "/api/pets" {
		t.Errorf("path = %q", got.Path)
	}
	vals, err := url.ParseQuery(got.RawQuery)
	if err != nil || vals.Get("after") != "cur sor" {
		t.Errorf("server-side decode: %v %v", vals, err)
	}
}
