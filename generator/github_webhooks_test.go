package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// The npm package of GitHub's webhooks as OpenAPI 3.1 (261 events under
// webhooks, no paths).
const (
	githubWebhooksPackage = "@octokit/openapi-webhooks@12.1.0"
	githubWebhooksTarball = "octokit-openapi-webhooks-12.1.0.tgz"
	githubWebhooksEvents  = 261
)

var onRE = regexp.MustCompile(`(?m)^func \(w \*Webhooks\) On(\w+)\(`)

// TestGitHubWebhooks generates, builds and vets a receiver for GitHub's
// webhooks, told apart as GitHub sends them: the X-GitHub-Event header,
// whose value each event's operation gives in x-github.subcategory, and
// the body's action. Every event gets its handler; one pair that GitHub's
// spec does not tell apart (pull_request's review_requested and
// review_request_removed, whose action is not a single value) is warned
// about. Skipped like TestGitHubCurrent; CONNECTORGEN_GITHUB_WEBHOOKS_SPEC
// names a copy of api.github.com.json from the package instead.
func TestGitHubWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches and builds GitHub's webhooks spec; skipped with -short")
	}
	spec := npmSpec(t, githubWebhooksPackage, githubWebhooksTarball, githubSpecInTar, "CONNECTORGEN_GITHUB_WEBHOOKS_SPEC")
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := generator.Generate(ctx, generator.Config{SpecFile: "api.github.com.json", Spec: data, Package: "ghwebhooks", Version: "test",
		Settings: &config.File{Webhooks: &config.Webhooks{Header: "X-GitHub-Event", HeaderValue: "x-github.subcategory", Member: "/action"}}})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	var ambiguous []string
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "webhook event") {
			ambiguous = append(ambiguous, d.Message)
		}
	}
	if len(ambiguous) > 1 {
		t.Errorf("%d events cannot be told apart, want at most 1:\n%s", len(ambiguous), strings.Join(ambiguous, "\n"))
	}
	mod := t.TempDir()
	out := filepath.Join(mod, "ghwebhooks")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	events := 0
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(out, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		if f.Name == "webhooks.go" {
			events = len(onRE.FindAll(f.Content, -1)) - 1 // OnUnknown
		}
	}
	if events != githubWebhooksEvents {
		t.Errorf("%d events have an On method, want %d", events, githubWebhooksEvents)
	}
	if err := gobuild.WriteModule(mod, "ghwebhooks.test"); err != nil {
		t.Fatal(err)
	}
	if err := gobuild.BuildAndVet(ctx, mod, "./ghwebhooks"); err != nil {
		msg := err.Error()
		if len(msg) > 4000 {
			msg = msg[:4000] + "…"
		}
		t.Fatalf("build and vet: %s", msg)
	}
}
