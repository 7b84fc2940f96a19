// Command demo calls the GraphQL connector generated from
// examples/graphql/schema.graphql and examples/graphql/operations against
// the graphql-yoga mock server serving the same schema, and prints typed
// results. Run it with `make demo` (or `go run ./demo` in examples/graphql
// after `go generate ./...`).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/connectorgen/connectorgen/examples/graphql/github"
	"github.com/connectorgen/connectorgen/internal/graphqltest"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "graphql demo:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fmt.Println("starting the GraphQL mock server for examples/graphql/schema.graphql ...")
	endpoint, stop, err := graphqltest.Launch("schema.graphql")
	if err != nil {
		return err
	}
	defer stop()
	c, err := github.New(endpoint, github.WithBearer(auth.BearerToken(envOr("GITHUB_TOKEN", "demo-token"))))
	if err != nil {
		return err
	}
	res, err := c.RepositoryIssues(ctx, github.RepositoryIssuesVariables{Owner: "octo", Name: "hello",
		First: runtime.NewNullable(3), States: runtime.NewNullable([]github.IssueState{github.IssueStateOpen})})
	if err != nil {
		return err
	}
	fmt.Printf("graphql: RepositoryIssues: %d issue(s) of %d\n", len(res.Repository.Issues.Nodes), res.Repository.Issues.TotalCount)
	viewer, err := c.Viewer(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("graphql: Viewer: login %q\n", viewer.Viewer.Login)
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
