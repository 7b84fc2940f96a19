package golden

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	gh "github.com/connectorgen/connectorgen/golden/graphql-github/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The Relay iterator of the "graphql-github" case on the wire (#14 item
// 9): RepositoryIssuesIter pages through repository.issues against a
// loopback server that really pages (Prism and the yoga mock answer one
// static page).

// relayServer answers RepositoryIssues with pages of three issues: the
// page after cursor "c<i>" holds issues 3i+1..3i+3 and, unless it is the
// last, endCursor "c<i+1>". next overrides the cursor a page gives; fail
// makes the server answer 503 once, for the page after that cursor.
type relayServer struct {
	pages int
	next  func(i int) string
	fail  string
	after []string // the $after each request carried ("-" for none)
	calls atomic.Int32
}

func (s *relayServer) handle(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	var req struct {
		Variables struct {
			After *string `json:"after"`
		} `json:"variables"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	i, after := 0, "-"
	if req.Variables.After != nil {
		after = *req.Variables.After
		fmt.Sscanf(after, "c%d", &i)
	}
	if s.fail != "" && after == s.fail {
		s.fail = ""
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	s.after = append(s.after, after)
	var nodes []map[string]any
	for n := 3*i + 1; n <= 3*i+3; n++ {
		nodes = append(nodes, map[string]any{"number": n, "title": fmt.Sprint("issue ", n), "state": "OPEN", "createdAt": "2026-12-05T10:00:00Z"})
	}
	next := fmt.Sprintf("c%d", i+1)
	if s.next != nil {
		next = s.next(i)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"repository": map[string]any{
		"id": "R1", "name": "connectorgen", "url": "https://example.com", "stargazerCount": 1,
		"owner":  map[string]any{"__typename": "User", "login": "u", "createdAt": "2026-12-05T10:00:00Z"},
		"issues": map[string]any{"totalCount": 3 * s.pages, "pageInfo": map[string]any{"hasNextPage": i+1 < s.pages, "endCursor": next}, "nodes": nodes},
	}}})
}

func relayClient(t *testing.T, s *relayServer) *gh.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(srv.Close)
	c, err := gh.New(srv.URL, runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryDelay: time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func numbers(t *testing.T, seq func(func(*gh.RepositoryIssuesRepositoryIssuesIssueConnectionNodesIssue, error) bool)) ([]int, error) {
	t.Helper()
	var out []int
	for n, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, n.Number)
	}
	return out, nil
}

var relayVars = gh.RepositoryIssuesVariables{Owner: "connectorgen", Name: "connectorgen"}

func TestRelayIterAllPagesInOrder(t *testing.T) {
	s := &relayServer{pages: 3}
	got, err := numbers(t, relayClient(t, s).RepositoryIssuesIter(context.Background(), relayVars))
	if err != nil || !slices.Equal(got, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("issues %v, err %v", got, err)
	}
	if !slices.Equal(s.after, []string{"-", "c1", "c2"}) {
		t.Errorf("$after sent: %q", s.after)
	}
	if relayVars.After.Set {
		t.Error("the caller's variables were changed")
	}
}

func TestRelayIterBreakAsksNoMore(t *testing.T) {
	s := &relayServer{pages: 3}
	for n, err := range relayClient(t, s).RepositoryIssuesIter(context.Background(), relayVars) {
		if err != nil || n.Number != 1 {
			t.Fatalf("first: %v, %v", n, err)
		}
		break
	}
	if s.calls.Load() != 1 {
		t.Errorf("%d requests after a break on the first item, want 1", s.calls.Load())
	}
}

func TestRelayIterRepeatedCursor(t *testing.T) {
	s := &relayServer{pages: 100, next: func(int) string { return "c1" }}
	got, err := numbers(t, relayClient(t, s).RepositoryIssuesIter(context.Background(), relayVars))
	if !errors.Is(err, runtime.ErrCursorRepeated) || len(got) != 6 || s.calls.Load() != 2 {
		t.Errorf("issues %v, err %v, %d requests", got, err, s.calls.Load())
	}
}

func TestRelayIterRetriesA503(t *testing.T) {
	s := &relayServer{pages: 3, fail: "c1"}
	got, err := numbers(t, relayClient(t, s).RepositoryIssuesIter(context.Background(), relayVars))
	if err != nil || len(got) != 9 || s.calls.Load() != 4 {
		t.Errorf("issues %v, err %v, %d requests (one 503 retried)", got, err, s.calls.Load())
	}
}

func TestRelayIterContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &relayServer{pages: 3}
	var got []int
	var last error
	for n, err := range relayClient(t, s).RepositoryIssuesIter(ctx, relayVars) {
		if err != nil {
			last = err
			break
		}
		got = append(got, n.Number)
		cancel()
	}
	// A cancel stops at once, within the page (runtime 0.8.0's rtimpl.Items).
	if !errors.Is(last, context.Canceled) || len(got) != 1 || s.calls.Load() != 1 {
		t.Errorf("issues %v, err %v, %d requests", got, last, s.calls.Load())
	}
}

// WithMaxItems and WithMaxPages bound the Relay iterator as they bound
// the REST ones (runtime 0.8.0).
func TestRelayIterLimits(t *testing.T) {
	s := &relayServer{pages: 10}
	got, err := numbers(t, relayClient(t, s).RepositoryIssuesIter(context.Background(), relayVars, runtime.WithMaxItems(4)))
	if err != nil || !slices.Equal(got, []int{1, 2, 3, 4}) || s.calls.Load() != 2 {
		t.Errorf("WithMaxItems(4): issues %v, err %v, %d requests", got, err, s.calls.Load())
	}
	s = &relayServer{pages: 10}
	got, err = numbers(t, relayClient(t, s).RepositoryIssuesIter(context.Background(), relayVars, runtime.WithMaxPages(2)))
	if err != nil || len(got) != 6 || s.calls.Load() != 2 {
		t.Errorf("WithMaxPages(2): issues %v, err %v, %d requests", got, err, s.calls.Load())
	}
}
