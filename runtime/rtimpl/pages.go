package rtimpl

import (
	"context"
	"iter"
	"net/http"
	"reflect"
	"strings"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// Pages returns the items of successive pages, as a generated <Op>Iter
// returns them. fetch gets one page: the first (first is true; the
// request's own cursor, if any, applies), then the page after cursor;
// it returns the page's items, the next cursor and whether the server
// announces another page.
//
// The sequence yields each item with a nil error, in order, and ends when
// a page announces no next one, when the loop breaks (no further page is
// fetched), or with one final error: fetch's, the context's (checked
// before each page), runtime.ErrCursorMissing when a next page is
// announced without a cursor, runtime.ErrCursorRepeated when a cursor
// comes back (the cursors of one iteration are remembered, so a server
// cycling through several is caught too).
func Pages[I any](ctx context.Context, fetch func(ctx context.Context, cursor string, first bool) (items []I, next string, more bool, err error)) iter.Seq2[I, error] {
	pages := PageSeq(ctx, nil, nil, func(ctx context.Context, cursor string, st *PageState) ([]I, string, bool, error) {
		return fetch(ctx, cursor, st.First)
	})
	return func(yield func(I, error) bool) {
		var zero I
		for page, err := range pages {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range page {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

// PageSeq returns the successive pages of a paginated operation, as a
// generated <Op>Pages returns them. fetch gets one page: the first
// (st.First; the request's own page parameter, if any, applies), then the
// page at cursor (st is the iteration's own, for PageState.More); it returns the page, the next page's cursor and whether
// there is a next page. C is a string (a cursor, a key, a URL) or an
// int64 (an offset, a page number).
//
// The sequence yields each page with a nil error and ends when a page
// announces no next one, when the loop breaks (no further page is
// fetched), after runtime.WithMaxPages pages or the page reaching
// runtime.WithMaxItems items (counted with count, which may be nil), or
// with one final error: fetch's, the context's (checked before each
// page), runtime.ErrCursorMissing when a next page is announced with an
// empty cursor, runtime.ErrCursorRepeated when a cursor comes back (all
// the cursors of one iteration are remembered, so a server cycling through
// several is caught too).
func PageSeq[P any, C comparable](ctx context.Context, opts []runtime.CallOption, count func(P) int, fetch func(ctx context.Context, cursor C, st *PageState) (page P, next C, more bool, err error)) iter.Seq2[P, error] {
	maxPages, maxItems := link.PageLimits(opts)
	return func(yield func(P, error) bool) {
		var zero P
		var cursor C
		var none C
		seen := map[C]bool{}
		var st PageState
		for pages, items := 0, 0; ; {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			st.First = pages == 0
			page, next, more, err := fetch(ctx, cursor, &st)
			if err != nil {
				yield(zero, err)
				return
			}
			pages++
			if count != nil {
				items += count(page)
			}
			if !yield(page, nil) {
				return
			}
			switch {
			case !more, maxPages > 0 && pages >= maxPages, maxItems > 0 && items >= maxItems:
				return
			case next == none:
				yield(zero, runtime.ErrCursorMissing)
				return
			case seen[next]:
				yield(zero, runtime.ErrCursorRepeated)
				return
			}
			seen[next] = true
			cursor = next
		}
	}
}

// Items returns the items of pages in order, as a generated <Op>Iter
// returns them: items gets a page's items (it may be given a page with
// none). The sequence ends as pages does, after runtime.WithMaxItems
// items, when no further page is fetched, or with ctx's error as soon as
// ctx is done, even within a page.
func Items[P, I any](ctx context.Context, pages iter.Seq2[P, error], opts []runtime.CallOption, items func(P) []I) iter.Seq2[I, error] {
	_, maxItems := link.PageLimits(opts)
	return func(yield func(I, error) bool) {
		var zero I
		n := 0
		for page, err := range pages {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items(page) {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(it, nil) {
					return
				}
				if n++; maxItems > 0 && n >= maxItems {
					return
				}
			}
		}
	}
}

// PageURL returns the call option that sends a call to the next page's
// URL u, taken from a response (a next member or a Link header), instead
// of the operation's path and query: u is resolved against the request's
// URL and must keep the base URL's origin, else the call fails with
// runtime.ErrForeignPageURL before anything is sent. Headers, credentials
// and the rest of the call are as usual.
func PageURL(u string) runtime.CallOption {
	return link.PageURL(u).(runtime.CallOption)
}

// WithPageURL returns opts followed by PageURL(u), in a new slice.
func WithPageURL(opts []runtime.CallOption, u string) []runtime.CallOption {
	return append(opts[:len(opts):len(opts)], PageURL(u))
}

// PageState is the state of one iteration of PageSeq that fetch reads:
// whether the page is the first, and the sizes of the pages so far.
type PageState struct {
	First   bool // the first page: the request's own page parameter applies
	largest int  // the largest page so far, in items
	prev    any  // the previous page's items (Repeats)
}

// Repeats reports whether items (a page's slice of items), not empty,
// equal the previous page's: an offset or page-number iteration then
// ends with runtime.ErrCursorRepeated, since a server that ignores the
// page parameter would otherwise be asked for the same page forever.
func (s *PageState) Repeats(items any) bool {
	prev := s.prev
	s.prev = items
	v := reflect.ValueOf(items)
	return prev != nil && v.Kind() == reflect.Slice && v.Len() > 0 && reflect.DeepEqual(prev, items)
}

// More reports whether a page of n items may have a next one. Not when
// it is empty. Not when it is shorter than limit, the page size asked for
// (0: unknown), when the spec bounds that size by maximum (0: no bound)
// and limit is within it: a server is trusted to honour a size it
// declares. Otherwise not when it is shorter than the largest earlier
// page: a server capping the size silently still fills every page but the
// last, so no items are lost, at the cost of asking for one empty page
// when the last page happens to be full.
func (s *PageState) More(n int, limit, maximum int64) bool {
	defer func() { s.largest = max(s.largest, n) }()
	switch {
	case n == 0:
		return false
	case limit > 0 && maximum > 0 && limit <= maximum && int64(n) < limit:
		return false
	}
	return n >= s.largest
}

// NextLink returns the target of the first link with relation type
// "next" in the Link header fields of h (RFC 8288 §3: `<uri>; rel="next"`,
// several link-values per field separated by commas, rel holding
// space-separated types matched without case), or "" when there is none
// or the field is malformed. It reads each byte once.
func NextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		if u := nextInField(v); u != "" {
			return u
		}
	}
	return ""
}

// nextInField scans one Link field value.
func nextInField(v string) string {
	i := 0
	skip := func() {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
	}
	for i < len(v) {
		skip()
		if i < len(v) && v[i] == ',' {
			i++
			continue
		}
		if i >= len(v) || v[i] != '<' {
			return ""
		}
		end := strings.IndexByte(v[i:], '>')
		if end < 0 {
			return ""
		}
		target := v[i+1 : i+end]
		i += end + 1
		next := false
		for { // link-params: ; name [= value]
			skip()
			if i >= len(v) || v[i] == ',' {
				break
			}
			if v[i] != ';' {
				return ""
			}
			i++
			skip()
			start := i
			for i < len(v) && v[i] != '=' && v[i] != ';' && v[i] != ',' && v[i] != ' ' && v[i] != '\t' {
				i++
			}
			name := v[start:i]
			skip()
			value := ""
			if i < len(v) && v[i] == '=' {
				i++
				skip()
				if i < len(v) && v[i] == '"' {
					var b strings.Builder
					for i++; i < len(v) && v[i] != '"'; i++ {
						if v[i] == '\\' && i+1 < len(v) {
							i++
						}
						b.WriteByte(v[i])
					}
					if i >= len(v) {
						return ""
					}
					i++ // closing quote
					value = b.String()
				} else {
					start := i
					for i < len(v) && v[i] != ';' && v[i] != ',' && v[i] != ' ' && v[i] != '\t' {
						i++
					}
					value = v[start:i]
				}
			}
			if strings.EqualFold(name, "rel") {
				for _, rel := range strings.Fields(value) {
					if strings.EqualFold(rel, "next") {
						next = true
					}
				}
			}
		}
		if next {
			return target
		}
	}
	return ""
}
