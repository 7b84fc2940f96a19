package runtime

import "errors"

// Errors ending the iterators connectors generate for paginated
// operations (<Op>Iter), after the items already yielded. Both protect a
// program from a server that would page forever.
var (
	// ErrCursorRepeated: a page's next cursor is one an earlier page of
	// the same iteration gave, or, paging by offset or page number, a
	// page holds the same items as the one before (a server ignoring the
	// page parameter); going on would loop.
	ErrCursorRepeated = errors.New("runtime: the server repeated a page cursor")
	// ErrCursorMissing: a page announces a next page (Relay's
	// pageInfo.hasNextPage) but gives no cursor to ask for it with.
	ErrCursorMissing = errors.New("runtime: the server announced a next page without a cursor")
)
