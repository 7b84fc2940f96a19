package e2e

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/examples/graphql/github"
	"github.com/connectorgen/connectorgen/internal/graphqltest"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/graphql"
)

// The mock server (graphql-yoga + @graphql-tools/mock) executes every
// request against the same schema the connector was generated from, so a
// wrong document or variable fails as a GraphQL validation error.

var schema = filepath.Join("..", "..", "specs", "graphql", "github-mini.graphql")

func newClient(t *testing.T, endpoint string, opts ...runtime.ClientOption) *github.Client {
	t.Helper()
	opts = append([]runtime.ClientOption{runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond})}, opts...)
	c, err := github.New(endpoint, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTypedResults(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	ctx := context.Background()
	c := newClient(t, endpoint, github.WithBearer(runtime.BearerToken("s3cret")),
		runtime.WithHeader(graphqltest.HeaderExpectAuth, "Bearer s3cret"))

	first := 5
	repo, err := c.RepositoryIssues(ctx, "octo", "hello", &first, nil, []github.IssueState{github.IssueStateOpen})
	if err != nil {
		t.Fatalf("RepositoryIssues: %v", err)
	}
	r := repo.Repository
	if r == nil || r.Name != "mock" || r.StargazerCount != 42 || r.Url != "https://example.com/x" {
		t.Fatalf("repository decoded %+v", r)
	}
	switch o := r.Owner.(type) {
	case *github.RepositoryIssuesRepositoryOwnerUser:
		if o.Login != "mock" || !o.CreatedAt.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
			t.Errorf("owner user %+v", o)
		}
	case *github.RepositoryIssuesRepositoryOwnerOrganization:
		if o.Login != "mock" {
			t.Errorf("owner org %+v", o)
		}
	default:
		t.Fatalf("owner has type %T", o)
	}
	if r.GetOwner().GetTypename() == nil {
		t.Error("owner __typename not decoded")
	}
	if len(r.Issues.Nodes) == 0 || r.Issues.Nodes[0].Title != "mock" || !r.Issues.PageInfo.HasNextPage {
		t.Errorf("issues page %+v", r.Issues)
	}
	if ref := r.DefaultBranchRef; ref == nil || ref.Target == nil || ref.Target.Oid != "0123456789abcdef0123456789abcdef01234567" {
		t.Errorf("defaultBranchRef %+v", ref)
	}

	res, err := c.Search(ctx, "is:open", github.SearchTypeIssue, nil)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if len(res.Search.Nodes) == 0 {
		t.Fatal("search returned no nodes")
	}
	for _, n := range res.Search.Nodes {
		if n == nil {
			continue // a nullable list item: *T, nil for null
		}
		switch (*n).(type) {
		case *github.SearchSearchSearchResultItemConnectionNodesIssue, *github.SearchSearchSearchResultItemConnectionNodesRepository,
			*github.SearchSearchSearchResultItemConnectionNodesUser:
		default:
			t.Errorf("search node of type %T", *n)
		}
	}

	body := "b"
	created, err := c.CreateIssue(ctx, github.CreateIssueInput{RepositoryId: "R1", Title: "t", Body: &body})
	if err != nil {
		t.Fatalf("CreateIssue: %v", err)
	}
	if created.CreateIssue == nil || created.CreateIssue.Issue == nil || created.CreateIssue.Issue.Number != 42 {
		t.Errorf("createIssue %+v", created.CreateIssue)
	}

	reqs := graphqltest.Requests(t, endpoint)
	last := reqs[len(reqs)-1]
	in, _ := last.Variables["input"].(map[string]any)
	if last.OperationName != "CreateIssue" || last.Authorization != "Bearer s3cret" || in["title"] != "t" || in["body"] != "b" {
		t.Errorf("server saw %+v", last)
	}
}

func TestAuthRequired(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	c := newClient(t, endpoint, runtime.WithHeader(graphqltest.HeaderExpectAuth, "Bearer right"),
		github.WithBearer(runtime.BearerToken("wrong")))
	_, err := c.Viewer(context.Background())
	var apiErr *runtime.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("want a 401 *runtime.APIError, got %v", err)
	}
	var gqlErrs *graphql.Errors
	if !errors.As(err, &gqlErrs) || gqlErrs.List[0].Message != "mock: unauthorized" {
		t.Errorf("the 401's GraphQL body should come back as *graphql.Errors, got %v", err)
	}
}

func TestQueryRetriedMutationNot(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	ctx := context.Background()
	c := newClient(t, endpoint)

	v, err := c.Viewer(ctx, runtime.WithHeader(graphqltest.HeaderFail, "1"), runtime.WithHeader(graphqltest.HeaderScenario, "query"))
	if err != nil || v.Viewer.Login != "mock" {
		t.Fatalf("Viewer after one 503: %v %+v", err, v)
	}
	_, err = c.AddStar(ctx, github.AddStarInput{StarrableId: "R1"},
		runtime.WithHeader(graphqltest.HeaderFail, "1"), runtime.WithHeader(graphqltest.HeaderScenario, "mutation"))
	var apiErr *runtime.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 1 || apiErr.Operation != "AddStar" {
		t.Fatalf("mutation: want one attempt ending in 503, got %v", err)
	}
	n := 0
	for _, r := range graphqltest.Requests(t, endpoint) {
		if r.OperationName == "AddStar" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("AddStar sent %d times, want 1", n)
	}
	// With an idempotency key the caller vouches the API honours, a mutation is retried.
	_, err = c.AddStar(ctx, github.AddStarInput{StarrableId: "R1"}, runtime.WithIdempotencyKey("key-1"),
		runtime.WithHeader(graphqltest.HeaderFail, "1"), runtime.WithHeader(graphqltest.HeaderScenario, "keyed"))
	if err != nil {
		t.Fatalf("keyed mutation after one 503: %v", err)
	}
}

func TestFieldErrorWithPartialData(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	c := newClient(t, endpoint)
	res, err := c.RepositoryIssues(context.Background(), "octo", "hello", nil, nil, nil,
		runtime.WithHeader(graphqltest.HeaderFieldError, "repository.defaultBranchRef"))
	var gqlErr *graphql.Error
	if !errors.As(err, &gqlErr) {
		t.Fatalf("want a *graphql.Error, got %v", err)
	}
	if gqlErr.PathString() != "repository.defaultBranchRef" || gqlErr.Extensions["code"] != "MOCK_FIELD_ERROR" ||
		len(gqlErr.Locations) != 1 {
		t.Errorf("error entry %+v", gqlErr)
	}
	if res == nil || res.Repository == nil || res.Repository.Name != "mock" || res.Repository.DefaultBranchRef != nil {
		t.Fatalf("partial data lost: %+v", res)
	}
}
