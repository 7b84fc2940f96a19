// Package graphqltest starts the GraphQL mock server of tools/graphql
// (graphql-yoga 5.24.1 with @graphql-tools/mock 9.1.14, pinned by its
// package-lock.json and installed with `npm ci --prefix tools/graphql`) for
// a test. The server serves an SDL file with deterministic mocks on a
// loopback port; its knobs (503s, required Authorization, a field error
// with partial data) are request headers, described in tools/graphql/server.mjs.
package graphqltest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/internal/prismtest"
)

// Knob headers understood by the server.
const (
	HeaderFail       = "X-Mock-Fail"        // fail the first N requests of a scenario with 503
	HeaderScenario   = "X-Mock-Scenario"    // the scenario key HeaderFail counts under
	HeaderExpectAuth = "X-Mock-Expect-Auth" // 401 unless Authorization equals this
	HeaderFieldError = "X-Mock-Field-Error" // null this response path and add an error for it
)

// Start runs the mock server for the SDL at schemaPath and returns its
// endpoint URL (http://127.0.0.1:PORT/graphql). It skips the test when
// tools/graphql is not installed, unless $CI is "true". The server is
// stopped when the test ends.
func Start(t testing.TB, schemaPath string) string {
	t.Helper()
	root, err := prismtest.RepoRoot()
	if err != nil {
		t.Fatalf("graphqltest: %v", err)
	}
	dir := filepath.Join(root, "tools", "graphql")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-yoga")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("graphqltest: tools/graphql is not installed (CI=true, so this is an error; run `make graphql-mock`)")
		}
		t.Skip("graphqltest: tools/graphql is not installed; run `make graphql-mock` (skipping)")
	}
	schema, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; ; attempt++ {
		url, stop, out, err := start(dir, schema)
		if err == nil {
			t.Cleanup(stop)
			return url
		}
		if attempt < 3 && strings.Contains(out, "EADDRINUSE") {
			continue
		}
		t.Fatalf("graphqltest: %v\n%s", err, out)
	}
}

func start(dir, schema string) (url string, stop func(), output string, err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("node", filepath.Join(dir, "server.mjs"), schema, strconv.Itoa(port))
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, "", err
	}
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return "", nil, "", fmt.Errorf("start node: %w", err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "ready "); ok {
				ready <- u
			}
		}
		close(ready)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	select {
	case u, ok := <-ready:
		if ok {
			return u, stop, "", nil
		}
		stop()
		return "", nil, errBuf.String(), fmt.Errorf("mock server exited before it was ready")
	case <-time.After(60 * time.Second):
		stop()
		return "", nil, errBuf.String(), fmt.Errorf("mock server not ready after 60s")
	}
}

// Request is one request the server received.
type Request struct {
	OperationName  string         `json:"operationName"`
	Variables      map[string]any `json:"variables"`
	Authorization  string         `json:"authorization"`
	IdempotencyKey string         `json:"idempotencyKey"`
}

// Requests returns the requests the server at endpoint received so far.
func Requests(t testing.TB, endpoint string) []Request {
	t.Helper()
	resp, err := http.Get(strings.TrimSuffix(endpoint, "/graphql") + "/__requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []Request
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}
