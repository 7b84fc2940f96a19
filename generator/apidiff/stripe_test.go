package apidiff

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// TestStripeUpgrade compares two Stripe specs named by
// CONNECTORGEN_DIFF_OLD and CONNECTORGEN_DIFF_NEW (scripts/diff-stripe.sh
// sets them: the corpus spec and stripe-mock's); skipped without them.
// It is here to be profiled (go test -cpuprofile, -memprofile).
func TestStripeUpgrade(t *testing.T) {
	oldPath, newPath := upgradePair(t)
	rt := filepath.Join(gobuild.RepoRoot(), "runtime")
	rep, diags, err := Compare(context.Background(), Spec{File: oldPath, Data: read(t, oldPath)}, Spec{File: newPath, Data: read(t, newPath)},
		Options{Package: "stripe", Version: "test", RuntimeDir: rt})
	if err != nil {
		t.Fatalf("%v\n%v", err, diags)
	}
	if err := rep.Text(io.Discard, false); err != nil {
		t.Fatal(err)
	}
}

// upgradePair returns the specs CONNECTORGEN_DIFF_OLD and
// CONNECTORGEN_DIFF_NEW name, and skips the test without them.
func upgradePair(t *testing.T) (oldPath, newPath string) {
	t.Helper()
	oldPath, newPath = os.Getenv("CONNECTORGEN_DIFF_OLD"), os.Getenv("CONNECTORGEN_DIFF_NEW")
	if oldPath == "" || newPath == "" {
		t.Skip("CONNECTORGEN_DIFF_OLD and CONNECTORGEN_DIFF_NEW name the specs (scripts/diff-stripe.sh shows where Stripe's are)")
	}
	return oldPath, newPath
}
