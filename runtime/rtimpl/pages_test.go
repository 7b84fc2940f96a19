package rtimpl_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// pager serves pages of a list: page i holds items 3i..3i+2 and the
// cursor "c<i+1>", the last page announces no next one.
type pager struct {
	pages   int
	cursors []string // the cursors fetch was called with
	next    func(i int) string
	err     error // returned by the page after the first, when set
}

func (p *pager) fetch(_ context.Context, cursor string, first bool) ([]int, string, bool, error) {
	i := 0
	if !first {
		fmt.Sscanf(cursor, "c%d", &i)
	}
	p.cursors = append(p.cursors, cursor)
	if p.err != nil && !first {
		return nil, "", false, p.err
	}
	next := fmt.Sprintf("c%d", i+1)
	if p.next != nil {
		next = p.next(i)
	}
	return []int{3 * i, 3*i + 1, 3*i + 2}, next, i+1 < p.pages, nil
}

func collect(seq func(func(int, error) bool)) ([]int, error) {
	var out []int
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestPagesInOrder(t *testing.T) {
	p := &pager{pages: 3}
	got, err := collect(rtimpl.Pages(context.Background(), p.fetch))
	if err != nil || !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("items %v, err %v", got, err)
	}
	if !slices.Equal(p.cursors, []string{"", "c1", "c2"}) {
		t.Errorf("cursors sent: %q", p.cursors)
	}
}

func TestPagesBreakFetchesNoMore(t *testing.T) {
	p := &pager{pages: 3}
	for v, err := range rtimpl.Pages(context.Background(), p.fetch) {
		if err != nil || v != 0 {
			t.Fatalf("first item %d, %v", v, err)
		}
		break
	}
	if len(p.cursors) != 1 {
		t.Errorf("pages fetched after break: %q", p.cursors)
	}
}

func TestPagesRepeatedCursor(t *testing.T) {
	// the server cycles: page 0 gives c1, c1 gives c2, c2 gives c1 again
	p := &pager{pages: 100, next: func(i int) string { return []string{"c1", "c2"}[i%2] }}
	got, err := collect(rtimpl.Pages(context.Background(), p.fetch))
	if !errors.Is(err, runtime.ErrCursorRepeated) || len(got) != 9 || len(p.cursors) != 3 {
		t.Errorf("items %v, err %v, cursors %q", got, err, p.cursors)
	}
}

func TestPagesMissingCursor(t *testing.T) {
	p := &pager{pages: 3, next: func(int) string { return "" }}
	got, err := collect(rtimpl.Pages(context.Background(), p.fetch))
	if !errors.Is(err, runtime.ErrCursorMissing) || len(got) != 3 {
		t.Errorf("items %v, err %v", got, err)
	}
}

func TestPagesFetchError(t *testing.T) {
	boom := errors.New("503 after retries")
	p := &pager{pages: 3, err: boom}
	got, err := collect(rtimpl.Pages(context.Background(), p.fetch))
	if !errors.Is(err, boom) || len(got) != 3 {
		t.Errorf("items %v, err %v", got, err)
	}
}

func TestPagesContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &pager{pages: 3}
	var got []int
	var last error
	for v, err := range rtimpl.Pages(ctx, p.fetch) {
		if err != nil {
			last = err
			break
		}
		got = append(got, v)
		cancel() // after the first item: no further page
	}
	if !errors.Is(last, context.Canceled) || len(got) != 3 || len(p.cursors) != 1 {
		t.Errorf("items %v, err %v, cursors %q", got, last, p.cursors)
	}
}

func TestNextLink(t *testing.T) {
	for _, tc := range []struct {
		fields []string
		want   string
	}{
		{[]string{`<https://api.github.com/repos/a/b/issues?page=2>; rel="next", <https://api.github.com/repos/a/b/issues?page=5>; rel="last"`},
			"https://api.github.com/repos/a/b/issues?page=2"},
		{[]string{`<https://x/?page=1>; rel="prev", <https://x/?page=3>; rel=next`}, "https://x/?page=3"},
		{[]string{`<https://x/a,b?c=1;d>; title="a, b; rel=next"; rel="prev"`, `<https://x/n>; REL="Next Last"`}, "https://x/n"},
		{[]string{`</relative?page=2>;rel="next"`}, "/relative?page=2"},
		{[]string{`<https://x/?page=1>; rel="first"`}, ""},
		{[]string{`https://x/?page=2; rel="next"`}, ""},  // no angle brackets: malformed
		{[]string{`<https://x/?page=2; rel="next"`}, ""}, // unterminated
		{[]string{`<https://x/2>; rel="next`}, ""},       // unterminated quote
		{[]string{`<https://x/2>; title="\"quoted\""; rel="next"`}, "https://x/2"},
		{nil, ""},
	} {
		h := http.Header{}
		for _, f := range tc.fields {
			h.Add("Link", f)
		}
		if got := rtimpl.NextLink(h); got != tc.want {
			t.Errorf("NextLink(%q) = %q, want %q", tc.fields, got, tc.want)
		}
	}
}

func TestPageStateMore(t *testing.T) {
	// A bounded page size is trusted: a page shorter than it is the last.
	var st rtimpl.PageState
	if !st.More(3, 3, 100) || st.More(2, 3, 100) {
		t.Error("bounded size: a full page has a next one, a short one does not")
	}
	// A size beyond the bound, or an unbounded one, is not: the server may
	// cap it, so only a page shorter than an earlier one ends.
	st = rtimpl.PageState{}
	for i, want := range []bool{true, true, false} { // pages of 3, 3, then 1
		if got := st.More([]int{3, 3, 1}[i], 5, 0); got != want {
			t.Errorf("unbounded size, page %d: More = %v, want %v (pages of 3 when 5 are asked go on until a shorter one)", i+1, got, want)
		}
	}
	st = rtimpl.PageState{}
	if !st.More(100, 500, 100) || st.More(0, 500, 100) {
		t.Error("a size over the bound is not trusted; an empty page always ends")
	}
}

// PageSeq with an integer cursor: offsets, and the limits of
// WithMaxPages and WithMaxItems.
func TestPageSeqLimits(t *testing.T) {
	fetch := func(calls *[]int64) func(context.Context, int64, *rtimpl.PageState) ([]int, int64, bool, error) {
		return func(_ context.Context, offset int64, st *rtimpl.PageState) ([]int, int64, bool, error) {
			*calls = append(*calls, offset)
			page := []int{int(offset), int(offset) + 1}
			return page, offset + 2, st.More(len(page), 0, 0), nil
		}
	}
	count := func(p []int) int { return len(p) }
	for _, tc := range []struct {
		opt       runtime.CallOption
		pages     int
		wantCalls []int64
	}{
		{runtime.WithMaxPages(3), 3, []int64{0, 2, 4}},
		{runtime.WithMaxItems(3), 2, []int64{0, 2}},
	} {
		var calls []int64
		opts := []runtime.CallOption{tc.opt}
		n := 0
		for _, err := range rtimpl.PageSeq(context.Background(), opts, count, fetch(&calls)) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != tc.pages || !slices.Equal(calls, tc.wantCalls) {
			t.Errorf("%d pages at offsets %v, want %d at %v", n, calls, tc.pages, tc.wantCalls)
		}
		calls = nil
		items, err := collect(rtimpl.Items(context.Background(), rtimpl.PageSeq(context.Background(), opts, count, fetch(&calls)), opts,
			func(p []int) []int { return p }))
		if err != nil {
			t.Fatal(err)
		}
		if tc.pages == 2 && !slices.Equal(items, []int{0, 1, 2}) {
			t.Errorf("WithMaxItems(3): items %v", items)
		}
	}
}

// The next page's URL replaces the request's path and query, resolved
// against its URL, and must keep the base URL's origin.
func TestPageURL(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL+"/v1", nil)
	op := &runtime.Operation{ID: "list", Method: "GET", Path: "/items", Idempotent: true}
	for _, tc := range []struct{ next, want string }{
		{"/v1/items?page=2&size=3", "/v1/items?page=2&size=3"},
		{"?page=3", "/v1/items?page=3"},
		{srv.URL + "/v1/items?cursor=abc", "/v1/items?cursor=abc"},
		{"items2#frag", "/v1/items2"},
	} {
		r := runtime.NewRequest(op, "/items")
		rtimpl.AddQuery(r, "q", "x", rtimpl.StyleForm, true)
		if _, err := c.Do(context.Background(), r, rtimpl.PageURL(tc.next)); err != nil {
			t.Fatalf("%q: %v", tc.next, err)
		}
		if got := srv.last(t).RequestURI; got != tc.want {
			t.Errorf("next %q: sent %q, want %q", tc.next, got, tc.want)
		}
	}
	before := srv.count()
	for _, next := range []string{"https://evil.example/v1/items", "//evil.example/x", "ftp://" + strings.TrimPrefix(srv.URL, "http://") + "/x",
		strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/v1/items", "http://[::1"} {
		r := runtime.NewRequest(op, "/items")
		if _, err := c.Do(context.Background(), r, rtimpl.PageURL(next)); !errors.Is(err, runtime.ErrForeignPageURL) {
			t.Errorf("next %q: err %v, want runtime.ErrForeignPageURL", next, err)
		}
	}
	if srv.count() != before {
		t.Errorf("%d requests sent to refused URLs", srv.count()-before)
	}
}

func TestPageStateRepeats(t *testing.T) {
	var st rtimpl.PageState
	a, b := []string{"x", "y"}, []string{"z"}
	if st.Repeats(a) || st.Repeats(b) || st.Repeats(a) {
		t.Error("different pages in turn are no repetition")
	}
	if !st.Repeats([]string{"x", "y"}) {
		t.Error("the same items twice in a row are a repetition")
	}
	st.Repeats([]string{})
	if st.Repeats([]string{}) {
		t.Error("empty pages end the iteration; they are no repetition")
	}
}
