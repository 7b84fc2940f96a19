package auth_test

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// canary is a fake secret that must never show up in printed output.
const canary = "sk_live_CANARY_9f8e7d6c"

// leaks reports whether s contains the canary or its basic-auth encoding.
func leaks(s string) bool {
	b64 := base64.StdEncoding.EncodeToString([]byte("user:" + canary))
	return strings.Contains(s, canary) || strings.Contains(s, b64) ||
		strings.Contains(s, fmt.Sprintf("%x", canary))
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%-8s"}

// writeAtomic replaces path's content the way secret mounts rotate: a new
// file renamed over the old one.
func writeAtomic(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}
