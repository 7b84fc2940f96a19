package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/gotext"
	gqlhostile "github.com/connectorgen/connectorgen/golden/graphql-hostile/want"
	hostile "github.com/connectorgen/connectorgen/golden/hostile-text/want"
	"github.com/connectorgen/connectorgen/runtime/webhook"
)

// TestHostileTextIsData pins issue 10 §1 on the hostile-text and
// graphql-hostile cases (the repro files title-gogenerate.yaml,
// version-gogenerate.yaml, gql-hostile.graphql and
// gql-backtick-ops.graphql): this test binary imports both connectors, so
// spec code run at init would have failed it before it started; every
// generated Go file parses and carries no directive; and the spec's values
// reach the code exactly, as quoted strings.
func TestHostileTextIsData(t *testing.T) {
	for _, dir := range []string{"hostile-text/want", "graphql-hostile/want"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		if len(files) < 3 {
			t.Fatalf("%s: %d Go files", dir, len(files))
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := gotext.CheckSource(f, src); err != nil {
				t.Error(err)
			}
		}
	}
	if hostile.DefaultServerURL != "https://api.example.com/`\");//go:generate touch ./PWNED_SERVER" {
		t.Errorf("DefaultServerURL = %q", hostile.DefaultServerURL)
	}
	if hostile.ModeNul != "nul\x00" || hostile.ModeSlow != "`slow`" || hostile.ModeFastGoGenerateTouchPWNEDVALUE != "fast\n//go:generate touch ./PWNED_VALUE" {
		t.Errorf("enum values changed: %q %q %q", hostile.ModeNul, hostile.ModeSlow, hostile.ModeFastGoGenerateTouchPWNEDVALUE)
	}
	// Event names and the values that select them, from x-webhooks.
	wh := hostile.NewWebhooks(&webhook.Receiver{})
	for body, want := range map[string]string{
		`{"type":"a` + "`" + `\");//go:generate touch ./PWNED_MATCH\n"}`: "evt */ //go:generate touch ./PWNED_EVENT",
		`{"type":"b\u202e\u0000"}`:                                       "second\u2028event",
	} {
		if got := wh.Event(&webhook.Delivery{Body: []byte(body)}); got != want {
			t.Errorf("Event(%s) = %q, want %q", body, got, want)
		}
	}
	if want := "thing(id: \"x`; var _ = func() int { panic(1) }(); const _ = `y\")"; !strings.Contains(gqlhostile.Bt_Operation, want) {
		t.Errorf("Bt_Operation lost the string value: %q", gqlhostile.Bt_Operation)
	}
	if want := "func(type: \"a`b\\u0000\u202e\ufeff\")"; !strings.Contains(gqlhostile.Described_Operation, want) {
		t.Errorf("Described_Operation = %q, want it to hold %q", gqlhostile.Described_Operation, want)
	}
}
