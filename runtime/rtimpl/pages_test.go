package rtimpl_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
