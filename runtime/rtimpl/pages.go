package rtimpl

import (
	"context"
	"iter"

	"github.com/connectorgen/connectorgen/runtime"
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
	return func(yield func(I, error) bool) {
		var zero I
		seen := map[string]bool{}
		cursor, first := "", true
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, more, err := fetch(ctx, cursor, first)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case !more:
				return
			case next == "":
				yield(zero, runtime.ErrCursorMissing)
				return
			case seen[next]:
				yield(zero, runtime.ErrCursorRepeated)
				return
			}
			seen[next] = true
			cursor, first = next, false
		}
	}
}
