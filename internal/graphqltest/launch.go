package graphqltest

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/connectorgen/connectorgen/internal/prismtest"
)

// Launch starts the mock server for the SDL at schemaPath outside a test
// (for the demo program) and returns its endpoint and a stop function. It
// fails when tools/graphql is not installed (`make graphql-mock`).
func Launch(schemaPath string) (endpoint string, stop func(), err error) {
	root, err := prismtest.RepoRoot()
	if err != nil {
		return "", nil, err
	}
	dir := filepath.Join(root, "tools", "graphql")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-yoga")); err != nil {
		return "", nil, fmt.Errorf("tools/graphql is not installed; run `make graphql-mock`")
	}
	schema, err := filepath.Abs(schemaPath)
	if err != nil {
		return "", nil, err
	}
	url, stop, out, err := start(dir, schema)
	if err != nil {
		return "", nil, fmt.Errorf("graphql mock server: %v\n%s", err, out)
	}
	return url, stop, nil
}
