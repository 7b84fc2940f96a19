package names

import (
	"slices"
	"strings"
	"testing"
)

func TestInitialisms(t *testing.T) {
	list := Initialisms()
	if !slices.IsSorted(list) || !slices.Contains(list, "ID") || len(list) != 38 {
		t.Fatalf("Initialisms() = %v", list)
	}
	list[0] = "changed"
	if Initialisms()[0] == "changed" {
		t.Fatal("Initialisms() returned shared storage")
	}
	for _, s := range Initialisms() {
		lower := strings.ToLower(s)
		if got := Exported(lower); got != s {
			t.Errorf("Exported(%q) = %q, want %q", lower, got, s)
		}
		if got := Exported(lower + "s"); got != s+"s" && s != "HTTP" {
			t.Errorf("Exported(%q) = %q, want %q", lower+"s", got, s+"s")
		}
	}
}
