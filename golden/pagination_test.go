package golden

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	pagination "github.com/connectorgen/connectorgen/golden/pagination/want"
	"github.com/connectorgen/connectorgen/runtime"
	"go.uber.org/goleak"
)

// The generated "pagination" case on the wire: a loopback server that
// really pages a list of seven items, three per page, in each scheme the
// generator detects (or a rule configures), and the iterators walking it.

// pagedServer serves the seven items "i1".."i7" (numbers 1..7 where the
// schema wants integers) in pages of size, one route per scheme, and
// records each request's path and query.
type pagedServer struct {
	srv  *httptest.Server
	size int
	n    int // items in the list

	mu   sync.Mutex
	got  []string                                          // request URIs, in order
	hook func(r *http.Request, w http.ResponseWriter) bool // answers instead when it returns true
	// ignorePaging makes every answer the first page, whatever the
	// request's cursor, offset or page number.
	ignorePaging bool
}

func newPagedServer(t *testing.T) *pagedServer {
	t.Helper()
	s := &pagedServer{size: 3, n: 7}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *pagedServer) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := s.got
	s.got = nil
	return got
}

// window returns items [from, from+size) of the list, clipped, as ids.
func (s *pagedServer) window(from, size int) []int {
	var out []int
	for i := from; i < from+size && i < s.n; i++ {
		out = append(out, i+1)
	}
	return out
}

func ids(nums []int, prefix string) []string {
	out := []string{}
	for _, n := range nums {
		out = append(out, prefix+strconv.Itoa(n))
	}
	return out
}

func (s *pagedServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.got = append(s.got, r.URL.RequestURI())
	hook, ignore := s.hook, s.ignorePaging
	s.mu.Unlock()
	if hook != nil && hook(r, w) {
		return
	}
	q := r.URL.Query()
	if ignore {
		for _, k := range []string{"starting_after", "page", "cursor", "pageToken", "PageToken", "offset", "skiptoken"} {
			q.Del(k)
		}
	}
	atoi := func(name string, def int) int {
		if v, err := strconv.Atoi(q.Get(name)); err == nil {
			return v
		}
		return def
	}
	// token "t<k>" is the page starting at item k (0-based).
	token := func(name string) int {
		k, _ := strconv.Atoi(strings.TrimPrefix(q.Get(name), "t"))
		return k
	}
	next := func(from int) string {
		if from+s.size >= s.n {
			return ""
		}
		return "t" + strconv.Itoa(from+s.size)
	}
	var body any
	switch r.URL.Path {
	case "/customers":
		from := 0
		if a := q.Get("starting_after"); a != "" {
			from, _ = strconv.Atoi(strings.TrimPrefix(a, "cus_"))
		}
		page := s.window(from, atoi("limit", s.size))
		var data []map[string]any
		for _, id := range ids(page, "cus_") {
			data = append(data, map[string]any{"id": id})
		}
		body = map[string]any{"object": "list", "data": data, "has_more": from+len(page) < s.n, "url": "/customers"}
	case "/customers/search":
		from := token("page")
		var data []map[string]any
		for _, id := range ids(s.window(from, s.size), "cus_") {
			data = append(data, map[string]any{"id": id})
		}
		var np any
		if n := next(from); n != "" {
			np = n
		}
		body = map[string]any{"data": data, "has_more": np != nil, "next_page": np}
	case "/channels":
		from := token("cursor")
		var ch []map[string]any
		for _, id := range ids(s.window(from, s.size), "C") {
			ch = append(ch, map[string]any{"id": id})
		}
		body = map[string]any{"ok": true, "channels": ch, "response_metadata": map[string]any{"next_cursor": next(from)}}
	case "/objects":
		from := token("pageToken")
		var objs []map[string]any
		for _, id := range ids(s.window(from, s.size), "o") {
			objs = append(objs, map[string]any{"name": id})
		}
		m := map[string]any{"kind": "storage#objects", "items": objs}
		if n := next(from); n != "" {
			m["nextPageToken"] = n
		}
		body = m
	case "/calls":
		from := token("PageToken")
		var calls []map[string]any
		for _, id := range ids(s.window(from, s.size), "CA") {
			calls = append(calls, map[string]any{"sid": id})
		}
		var nu any
		if n := next(from); n != "" {
			nu = "/calls?PageSize=3&Page=1&PageToken=" + n // relative, as Twilio's
		}
		body = map[string]any{"calls": calls, "next_page_uri": nu}
	case "/issues":
		page := atoi("page", 1)
		from := (page - 1) * s.size
		var issues []map[string]any
		for _, n := range s.window(from, s.size) {
			issues = append(issues, map[string]any{"number": n})
		}
		links := []string{fmt.Sprintf(`<%s/issues?page=1>; rel="first"`, s.srv.URL)}
		if next(from) != "" {
			links = append(links, fmt.Sprintf(`<%s/issues?per_page=3&page=%d>; rel="next"`, s.srv.URL, page+1))
		}
		w.Header().Set("Link", strings.Join(links, ", "))
		body = issues
	case "/events":
		from := atoi("offset", 0)
		var ev []map[string]any
		for _, n := range s.window(from, min(atoi("limit", s.size), s.size)) {
			ev = append(ev, map[string]any{"id": n})
		}
		body = map[string]any{"events": ev, "total": s.n}
	case "/users":
		page := atoi("page", 1)
		var users []map[string]any
		for _, id := range ids(s.window((page-1)*s.size, s.size), "u") {
			users = append(users, map[string]any{"login": id})
		}
		body = map[string]any{"users": users}
	case "/tags":
		page := atoi("page", 1)
		body = ids(s.window((page-1)*s.size, s.size), "v")
	case "/repos":
		page := atoi("page", 1)
		body = map[string]any{"repos": ids(s.window((page-1)*s.size, s.size), "r"),
			"meta": map[string]any{"total_pages": (s.n + s.size - 1) / s.size}}
	case "/sites":
		from := token("skiptoken")
		var sites []map[string]any
		for _, id := range ids(s.window(from, s.size), "s") {
			sites = append(sites, map[string]any{"name": id})
		}
		m := map[string]any{"value": sites}
		if n := next(from); n != "" {
			m["nextLink"] = s.srv.URL + "/sites?skiptoken=" + n
		}
		body = m
	case "/records/query":
		from := token("cursor")
		var recs []map[string]any
		for _, id := range ids(s.window(from, s.size), "rec") {
			recs = append(recs, map[string]any{"id": id})
		}
		var nc any
		if n := next(from); n != "" {
			nc = n
		}
		body = map[string]any{"results": recs, "meta": map[string]any{"next_cursor": nc}}
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

// collect ranges over seq and returns the items as strings, and the
// error that ended it.
func collect[I any](seq iter.Seq2[I, error], str func(I) string) ([]string, error) {
	var out []string
	for it, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, str(it))
	}
	return out, nil
}

// scheme is one operation's iterator, its items as strings, and what a
// full walk sends.
type scheme struct {
	name string
	iter func(ctx context.Context, c *pagination.Client, opts ...runtime.CallOption) iter.Seq2[string, error]
	want []string // the items
	reqs []string // the request URIs of a full walk
}

// mapSeq turns an iterator's items into strings.
func mapSeq[I any](seq iter.Seq2[I, error], str func(I) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for it, err := range seq {
			var s string
			if err == nil {
				s = str(it)
			}
			if !yield(s, err) {
				return
			}
		}
	}
}

func schemes() []scheme {
	return []scheme{
		{"last-item", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListCustomersIter(ctx, pagination.ListCustomersRequest{}, o...), func(v pagination.Customer) string { return v.ID })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "cus_"),
			[]string{"/customers", "/customers?starting_after=cus_3", "/customers?starting_after=cus_6"}},
		{"cursor next_page", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.SearchCustomersIter(ctx, pagination.SearchCustomersRequest{Query: "email:'a'"}, o...), func(v pagination.Customer) string { return v.ID })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "cus_"),
			[]string{"/customers/search?query=email%3A%27a%27", "/customers/search?query=email%3A%27a%27&page=t3", "/customers/search?query=email%3A%27a%27&page=t6"}},
		{"cursor nested", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListChannelsIter(ctx, pagination.ListChannelsRequest{}, o...), func(v pagination.Channel) string { return v.ID })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "C"),
			[]string{"/channels", "/channels?cursor=t3", "/channels?cursor=t6"}},
		{"cursor pageToken", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListObjectsIter(ctx, pagination.ListObjectsRequest{}, o...), func(v pagination.Object) string { return v.Name.Value })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "o"),
			[]string{"/objects", "/objects?pageToken=t3", "/objects?pageToken=t6"}},
		{"next-url relative", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListCallsIter(ctx, pagination.ListCallsRequest{PageSize: runtime.Some[int64](3)}, o...), func(v pagination.Call) string { return v.Sid.Value })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "CA"),
			[]string{"/calls?PageSize=3", "/calls?PageSize=3&Page=1&PageToken=t3", "/calls?PageSize=3&Page=1&PageToken=t6"}},
		{"link-header", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListIssuesIter(ctx, pagination.ListIssuesRequest{PerPage: runtime.Some[int64](3)}, o...), func(v pagination.Issue) string { return strconv.FormatInt(v.Number, 10) })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, ""),
			[]string{"/issues?per_page=3", "/issues?per_page=3&page=2", "/issues?per_page=3&page=3"}},
		{"offset total", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListEventsIter(ctx, pagination.ListEventsRequest{}, o...), func(v pagination.Event) string { return strconv.FormatInt(v.ID, 10) })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, ""),
			[]string{"/events", "/events?offset=3", "/events?offset=6"}},
		{"page bounded size", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListUsersIter(ctx, pagination.ListUsersRequest{PerPage: runtime.Some[int64](3)}, o...), func(v pagination.User) string { return v.Login })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "u"),
			[]string{"/users?per_page=3", "/users?page=2&per_page=3", "/users?page=3&per_page=3"}},
		{"page short", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListTagsIter(ctx, pagination.ListTagsRequest{}, o...), func(v string) string { return v })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "v"),
			[]string{"/tags", "/tags?page=2", "/tags?page=3"}},
		{"page total_pages", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListReposIter(ctx, pagination.ListReposRequest{}, o...), func(v string) string { return v })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "r"),
			[]string{"/repos", "/repos?page=2", "/repos?page=3"}},
		{"x-ms-pageable", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.ListSitesIter(ctx, pagination.ListSitesRequest{}, o...), func(v pagination.Site) string { return v.Name.Value })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "s"),
			[]string{"/sites", "/sites?skiptoken=t3", "/sites?skiptoken=t6"}},
		{"config rule", func(ctx context.Context, c *pagination.Client, o ...runtime.CallOption) iter.Seq2[string, error] {
			return mapSeq(c.QueryRecordsIter(ctx, pagination.QueryRecordsRequest{}, o...), func(v pagination.QueryRecordsOKResultsItem) string { return v.ID.Value })
		}, ids([]int{1, 2, 3, 4, 5, 6, 7}, "rec"),
			[]string{"/records/query", "/records/query?cursor=t3", "/records/query?cursor=t6"}},
	}
}

// pagedClient returns a client of s over its own transport, closed (its
// idle connections too) at the end of the test, so goleak sees none.
func pagedClient(t *testing.T, s *pagedServer) *pagination.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := pagination.New(s.srv.URL, runtime.WithHTTPClient(&http.Client{Transport: tr}), runtime.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPaginationAllItemsInOrder(t *testing.T) {
	for _, sc := range schemes() {
		t.Run(sc.name, func(t *testing.T) {
			s := newPagedServer(t)
			c := pagedClient(t, s)
			got, err := collect(sc.iter(context.Background(), c), func(s string) string { return s })
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, sc.want) {
				t.Errorf("items %v, want %v", got, sc.want)
			}
			if reqs := s.take(); !slices.Equal(reqs, sc.reqs) {
				t.Errorf("requests\n%s\nwant\n%s", strings.Join(reqs, "\n"), strings.Join(sc.reqs, "\n"))
			}
		})
	}
}

func TestPaginationBreakSendsNothingMore(t *testing.T) {
	for _, sc := range schemes() {
		t.Run(sc.name, func(t *testing.T) {
			s := newPagedServer(t)
			c := pagedClient(t, s)
			for it, err := range sc.iter(context.Background(), c) {
				if err != nil {
					t.Fatal(err)
				}
				if it != sc.want[0] {
					t.Errorf("first item %q, want %q", it, sc.want[0])
				}
				break
			}
			if reqs := s.take(); len(reqs) != 1 {
				t.Errorf("after break: %d requests %v, want 1", len(reqs), reqs)
			}
		})
	}
}

// The last page is full: sizes alone cannot tell it is the last, so the
// iterator asks for one more page and gets an empty one; nothing is lost.
func TestPaginationFullLastPage(t *testing.T) {
	s := newPagedServer(t)
	s.n = 6
	c := pagedClient(t, s)
	got, err := collect(c.ListTagsIter(context.Background(), pagination.ListTagsRequest{}), func(s string) string { return s })
	if err != nil || len(got) != 6 {
		t.Fatalf("got %v, %v; want 6 tags", got, err)
	}
	if reqs := s.take(); !slices.Equal(reqs, []string{"/tags", "/tags?page=2", "/tags?page=3"}) {
		t.Errorf("requests %v", reqs)
	}
	// The server silently caps a page size the spec does not bound: pages
	// of 3 when 5 are asked for go on until a shorter one.
	s.n = 7
	got, err = collect(c.ListIssuesIter(context.Background(), pagination.ListIssuesRequest{PerPage: runtime.Some[int64](5)}),
		func(v pagination.Issue) string { return strconv.FormatInt(v.Number, 10) })
	if err != nil || len(got) != 7 {
		t.Errorf("issues %v, %v; want 7", got, err)
	}
}

// A server that answers every request with the first page, whatever its
// cursor, URL, offset or page number: every scheme ends with
// runtime.ErrCursorRepeated after two pages, instead of looping.
func TestPaginationRepeatedCursor(t *testing.T) {
	for _, sc := range schemes() {
		t.Run(sc.name, func(t *testing.T) {
			s := newPagedServer(t)
			c := pagedClient(t, s)
			s.ignorePaging = true
			got, err := collect(sc.iter(context.Background(), c), func(s string) string { return s })
			if !errors.Is(err, runtime.ErrCursorRepeated) {
				t.Fatalf("items %v, err %v; want runtime.ErrCursorRepeated", got, err)
			}
			// A cursor scheme sees the repetition in the second page's cursor,
			// after yielding it; an offset or page-number scheme in the second
			// page's items, before.
			want := append(slices.Clone(sc.want[:3]), sc.want[:3]...)
			if strings.HasPrefix(sc.name, "offset") || strings.HasPrefix(sc.name, "page") {
				want = sc.want[:3]
			}
			if reqs := s.take(); len(reqs) != 2 || !slices.Equal(got, want) {
				t.Errorf("items %v after %d requests; want %v", got, len(reqs), want)
			}
		})
	}
}

// A 503 with Retry-After on the second page is retried; every item
// arrives, in order.
func TestPaginationRetriesA503MidWay(t *testing.T) {
	for _, sc := range schemes() {
		t.Run(sc.name, func(t *testing.T) {
			s := newPagedServer(t)
			c := pagedClient(t, s)
			var mu sync.Mutex
			calls := 0
			s.hook = func(r *http.Request, w http.ResponseWriter) bool {
				mu.Lock()
				defer mu.Unlock()
				if calls++; calls == 2 {
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(http.StatusServiceUnavailable)
					return true
				}
				return false
			}
			got, err := collect(sc.iter(context.Background(), c), func(s string) string { return s })
			if sc.name == "config rule" {
				// A POST without an idempotency key is not retried (it may
				// have had an effect): the 503 ends the iteration.
				var apiErr *runtime.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || len(got) != 3 || len(s.take()) != 2 {
					t.Fatalf("POST: got %v, %v; want the first page, then the 503", got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got, sc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, sc.want)
			}
			if reqs := s.take(); len(reqs) != len(sc.reqs)+1 || reqs[1] != reqs[2] {
				t.Errorf("requests %v; want page 2 asked twice", reqs)
			}
		})
	}
}

// Cancelling the context after the first item ends the sequence with the
// context's error at once: no further item, no further request.
func TestPaginationCancelStopsAtOnce(t *testing.T) {
	for _, sc := range schemes() {
		t.Run(sc.name, func(t *testing.T) {
			s := newPagedServer(t)
			c := pagedClient(t, s)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var got []string
			var err error
			for it, e := range sc.iter(ctx, c) {
				if e != nil {
					err = e
					break
				}
				got = append(got, it)
				cancel()
			}
			if !errors.Is(err, context.Canceled) || len(got) != 1 {
				t.Errorf("items %v, err %v; want one item, then context.Canceled", got, err)
			}
			if reqs := s.take(); len(reqs) != 1 {
				t.Errorf("%d requests, want 1", len(reqs))
			}
		})
	}
}

func TestPaginationForeignNextURL(t *testing.T) {
	s := newPagedServer(t)
	c := pagedClient(t, s)
	other := newPagedServer(t)
	s.hook = func(r *http.Request, w http.ResponseWriter) bool {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"calls":[{"sid":"CA1"}],"next_page_uri":%q}`, other.srv.URL+"/calls?PageToken=t3")
		return true
	}
	got, err := collect(c.ListCallsIter(context.Background(), pagination.ListCallsRequest{},
		runtime.WithHeader("Authorization", "Bearer secret")), func(v pagination.Call) string { return v.Sid.Value })
	if !errors.Is(err, runtime.ErrForeignPageURL) || len(got) != 1 {
		t.Fatalf("items %v, err %v; want one item, then runtime.ErrForeignPageURL", got, err)
	}
	if n := len(other.take()); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
}

func TestPaginationLimits(t *testing.T) {
	s := newPagedServer(t)
	c := pagedClient(t, s)
	got, err := collect(c.ListObjectsIter(context.Background(), pagination.ListObjectsRequest{}, runtime.WithMaxItems(4)),
		func(v pagination.Object) string { return v.Name.Value })
	if err != nil || !slices.Equal(got, []string{"o1", "o2", "o3", "o4"}) || len(s.take()) != 2 {
		t.Errorf("WithMaxItems(4): %v, %v", got, err)
	}
	var pages int
	for page, err := range c.ListObjectsPages(context.Background(), pagination.ListObjectsRequest{}, runtime.WithMaxPages(2)) {
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("page %v, %v", page, err)
		}
		pages++
	}
	if pages != 2 || len(s.take()) != 2 {
		t.Errorf("WithMaxPages(2): %d pages", pages)
	}
}

// The request is the caller's: iterating twice walks the same pages.
func TestPaginationRequestUnchanged(t *testing.T) {
	s := newPagedServer(t)
	c := pagedClient(t, s)
	req := pagination.ListEventsRequest{Limit: runtime.Some[int32](3)}
	seq := c.ListEventsIter(context.Background(), req)
	a, errA := collect(seq, func(v pagination.Event) string { return strconv.FormatInt(v.ID, 10) })
	b, errB := collect(seq, func(v pagination.Event) string { return strconv.FormatInt(v.ID, 10) })
	if errA != nil || errB != nil || !slices.Equal(a, b) || len(a) != 7 {
		t.Errorf("twice: %v (%v), %v (%v)", a, errA, b, errB)
	}
	if req.Offset.Set {
		t.Error("the caller's request was changed")
	}
}

func TestPaginationNoGoroutineLeak(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	s := newPagedServer(t)
	tr := &http.Transport{}
	c, err := pagination.New(s.srv.URL, runtime.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range schemes() {
		for range sc.iter(context.Background(), c) {
			break
		}
		if _, err := collect(sc.iter(context.Background(), c), func(s string) string { return s }); err != nil {
			t.Fatal(err)
		}
	}
	tr.CloseIdleConnections()
	s.srv.Close()
}
