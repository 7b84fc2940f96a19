package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/examples/graphql/github"
	"github.com/connectorgen/connectorgen/internal/graphqltest"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/graphql"
)

// The mock server (graphql-yoga + @graphql-tools/mock) executes every
// request against the same schema the connector was generated from, so a
// wrong document or variable fails as a GraphQL validation error.

var schema = "schema.graphql"

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
	c := newClient(t, endpoint, github.WithBearer(auth.BearerToken("s3cret")),
		runtime.WithHeader(graphqltest.HeaderExpectAuth, "Bearer s3cret"))

	repo, err := c.RepositoryIssues(ctx, github.RepositoryIssuesVariables{Owner: "octo", Name: "hello",
		First: runtime.NewNullable(5), States: runtime.NewNullable([]github.IssueState{github.IssueStateOpen})})
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

	res, err := c.Search(ctx, github.SearchVariables{Query: "is:open", Kind: github.SearchTypeIssue})
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

	created, err := c.CreateIssue(ctx, github.CreateIssueVariables{Input: github.CreateIssueInput{
		RepositoryId: "R1", Title: "t", Body: runtime.NewNullable("b")}})
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
		github.WithBearer(auth.BearerToken("wrong")))
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
	_, err = c.AddStar(ctx, github.AddStarVariables{Input: github.AddStarInput{StarrableId: "R1"}},
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
	_, err = c.AddStar(ctx, github.AddStarVariables{Input: github.AddStarInput{StarrableId: "R1"}}, runtime.WithIdempotencyKey("key-1"),
		runtime.WithHeader(graphqltest.HeaderFail, "1"), runtime.WithHeader(graphqltest.HeaderScenario, "keyed"))
	if err != nil {
		t.Fatalf("keyed mutation after one 503: %v", err)
	}
}

func TestFieldErrorWithPartialData(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	c := newClient(t, endpoint)
	res, err := c.RepositoryIssues(context.Background(), github.RepositoryIssuesVariables{Owner: "octo", Name: "hello"},
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

// lastVariables returns the variables of the last request the server saw.
func lastVariables(t *testing.T, endpoint string) map[string]any {
	t.Helper()
	reqs := graphqltest.Requests(t, endpoint)
	if len(reqs) == 0 {
		t.Fatal("the server saw no request")
	}
	return reqs[len(reqs)-1].Variables
}

// An input object with one field set goes out with that field only: a
// field left unset is absent (the server leaves it unchanged), not null
// (which an update reads as "clear"); null is sent only when asked for.
func TestUnsetInputFieldsLeftOut(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	ctx := context.Background()
	c := newClient(t, endpoint)

	if _, err := c.UpdateIssue(ctx, github.UpdateIssueVariables{Input: github.UpdateIssueInput{
		Id: "I1", Title: runtime.NewNullable("new title")}}); err != nil {
		t.Fatalf("UpdateIssue: %v", err)
	}
	want := map[string]any{"id": "I1", "title": "new title"}
	if in := lastVariables(t, endpoint)["input"]; !reflect.DeepEqual(in, want) {
		t.Errorf("server saw input %#v, want %#v (unset fields absent)", in, want)
	}

	due := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := c.UpdateIssue(ctx, github.UpdateIssueVariables{Input: github.UpdateIssueInput{
		Id: "I1", Body: runtime.NullValue[string](), DueOn: runtime.NewNullable(due), Notify: runtime.Some(0),
		Labels: runtime.NewNullable(github.LabelFilter{Not: runtime.NewNullable(&github.LabelFilter{Name: runtime.NewNullable("bug")})}),
	}}); err != nil {
		t.Fatalf("UpdateIssue: %v", err)
	}
	want = map[string]any{"id": "I1", "body": nil, "dueOn": "2025-01-02T03:04:05Z", "notify": float64(0),
		"labels": map[string]any{"not": map[string]any{"name": "bug"}}}
	if in := lastVariables(t, endpoint)["input"]; !reflect.DeepEqual(in, want) {
		t.Errorf("server saw input %#v, want %#v (explicit null and zero values sent)", in, want)
	}
}

// A variable with a default that is left unset is left out, so the server
// applies the default: $skipName: Boolean = false feeds @skip(if:), whose
// argument is Boolean!, and null there would be rejected.
func TestUnsetVariablesWithDefaultsLeftOut(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	ctx := context.Background()
	c := newClient(t, endpoint)

	res, err := c.ViewerProfile(ctx, github.ViewerProfileVariables{})
	if err != nil {
		t.Fatalf("ViewerProfile with defaults: %v", err)
	}
	if res.Viewer.Name == nil || *res.Viewer.Name != "mock" || res.Viewer.IssueCount != 42 {
		t.Errorf("viewer %+v: name not selected with $skipName left to its default", res.Viewer)
	}
	if v := lastVariables(t, endpoint); len(v) != 0 {
		t.Errorf("server saw variables %#v, want none", v)
	}

	res, err = c.ViewerProfile(ctx, github.ViewerProfileVariables{SkipName: runtime.NewNullable(true),
		Since: runtime.NewNullable(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), States: runtime.Some([]github.IssueState{})})
	if err != nil {
		t.Fatalf("ViewerProfile: %v", err)
	}
	if res.Viewer.Name != nil {
		t.Errorf("name selected despite $skipName true: %q", *res.Viewer.Name)
	}
	want := map[string]any{"skipName": true, "since": "2024-01-01T00:00:00Z", "states": []any{}}
	if v := lastVariables(t, endpoint); !reflect.DeepEqual(v, want) {
		t.Errorf("server saw variables %#v, want %#v", v, want)
	}
}

// A __typename the connector was not generated for (the server's schema
// grew) decodes into the interface's or union's Unknown variant, with the
// typename, the raw object and the shared fields, instead of failing.
func TestUnknownTypename(t *testing.T) {
	endpoint := graphqltest.Start(t, schema)
	ctx := context.Background()
	c := newClient(t, endpoint)

	repo, err := c.RepositoryIssues(ctx, github.RepositoryIssuesVariables{Owner: "octo", Name: "hello"},
		runtime.WithHeader("X-Mock-Typename", "repository.owner=Bot"))
	if err != nil {
		t.Fatalf("RepositoryIssues with an unknown owner type: %v", err)
	}
	owner, ok := repo.Repository.Owner.(*github.RepositoryIssuesRepositoryOwnerRepositoryOwnerUnionUnknown)
	if !ok {
		t.Fatalf("owner has type %T, want the Unknown variant", repo.Repository.Owner)
	}
	var raw map[string]any
	if err := json.Unmarshal(owner.Raw, &raw); err != nil || raw["__typename"] != "Bot" || raw["login"] != "mock" {
		t.Errorf("raw owner %s (%v)", owner.Raw, err)
	}
	if owner.GetTypename() == nil || *owner.GetTypename() != "Bot" {
		t.Errorf("typename %v", owner.GetTypename())
	}
	if repo.Repository.Name != "mock" {
		t.Errorf("the rest of the response was lost: %+v", repo.Repository)
	}
	// Encoding the response writes the object back as it came.
	b, err := json.Marshal(repo)
	if err != nil || !strings.Contains(string(b), `"__typename":"Bot"`) {
		t.Errorf("re-encoded response %s (%v)", b, err)
	}

	// In a list of a union, too: the other items keep their types.
	res, err := c.Search(ctx, github.SearchVariables{Query: "q", Kind: github.SearchTypeIssue},
		runtime.WithHeader("X-Mock-Typename", "search.nodes.0=PullRequest"))
	if err != nil {
		t.Fatalf("Search with an unknown item type: %v", err)
	}
	if len(res.Search.Nodes) < 2 || res.Search.Nodes[0] == nil || res.Search.Nodes[1] == nil {
		t.Fatalf("search nodes %+v", res.Search.Nodes)
	}
	if u, ok := (*res.Search.Nodes[0]).(*github.SearchSearchSearchResultItemConnectionNodesSearchResultItemUnknown); !ok || *u.Typename != "PullRequest" {
		t.Errorf("first item %T, want the Unknown variant for PullRequest", *res.Search.Nodes[0])
	}
	if _, ok := (*res.Search.Nodes[1]).(*github.SearchSearchSearchResultItemConnectionNodesSearchResultItemUnknown); ok {
		t.Error("second item decoded as Unknown too")
	}

	node, err := c.Node(ctx, github.NodeVariables{Id: "X1"}, runtime.WithHeader("X-Mock-Typename", "node=Discussion"))
	if err != nil {
		t.Fatalf("Node with an unknown type: %v", err)
	}
	if node.Node == nil {
		t.Fatal("node is nil")
	}
	n, ok := (*node.Node).(*github.NodeNodeUnknown)
	if !ok || n.GetId() != "id-1" || *n.GetTypename() != "Discussion" {
		t.Fatalf("node %T %+v: want the Unknown variant with the shared id decoded", *node.Node, *node.Node)
	}
}
