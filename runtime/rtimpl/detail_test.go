package rtimpl_test

import (
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// TestDetailText: a detail renders as its compact JSON, cut at 200 bytes;
// one that does not encode renders as its type.
func TestDetailText(t *testing.T) {
	if got := rtimpl.DetailText(map[string]int{"code": 7}); got != `{"code":7}` {
		t.Errorf("DetailText = %q", got)
	}
	if got := rtimpl.DetailText(strings.Repeat("x", 300)); len(got) != 200+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long detail: %d bytes", len(got))
	}
	if got := rtimpl.DetailText(func() {}); got != "func()" {
		t.Errorf("unencodable detail = %q", got)
	}
}
