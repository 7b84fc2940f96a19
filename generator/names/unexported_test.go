package names

import (
	"go/token"
	"testing"
)

// unexportedCases are spec strings and the unexported names they must
// become.
var unexportedCases = []struct{ in, want string }{
	{"pet_id", "petID"},
	{"petId", "petID"},
	{"ID", "id"},
	{"Id", "id"},
	{"id", "id"},
	{"ids", "ids"},
	{"URLPath", "urlPath"},
	{"HTTPServer", "httpServer"},
	{"oAuthToken", "oAuthToken"},
	{"UserID", "userID"},
	{"x-github-request-id", "xGithubRequestID"},
	{"package-visibility", "packageVisibility"},
	{"source_type_ach_credit_transfer", "sourceTypeAchCreditTransfer"},
	{"PENDING_REVIEW", "pendingReview"},
	{"+1", "plus1"},
	{"-1", "minus1"},
	{"200", "n200"},
	{"名前", "x名前"},
	{"", "x"},
	{"___", "x"},
	// Keywords and predeclared identifiers.
	{"type", "type_"},
	{"Type", "type_"},
	{"@type", "type_"},
	{"func", "func_"},
	{"range", "range_"},
	{"string", "string_"},
	{"error", "error_"},
	{"len", "len_"},
	{"new", "new_"},
	{"nil", "nil_"},
	{"any", "any_"},
	{"types", "types"},
}

func TestUnexported(t *testing.T) {
	for _, c := range unexportedCases {
		if got := Unexported(c.in); got != c.want {
			t.Errorf("Unexported(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestUnexportedAvoidsEveryReservedWord(t *testing.T) {
	for word := range goReserved {
		if !IsGoReserved(word) {
			t.Errorf("IsGoReserved(%q) = false", word)
		}
		if got := Unexported(word); got != word+"_" {
			t.Errorf("Unexported(%q) = %q, want %q", word, got, word+"_")
		}
	}
}

func TestUnexportedIsUnexportedIdentifier(t *testing.T) {
	for _, c := range append(unexportedCases, exportedCases...) {
		checkUnexported(t, c.in, Unexported(c.in))
	}
}

// checkUnexported fails t unless name, made from in, is a valid unexported
// Go identifier that neither is nor shadows a Go reserved word.
func checkUnexported(t *testing.T, in, name string) {
	t.Helper()
	if !token.IsIdentifier(name) || token.IsExported(name) {
		t.Fatalf("from %q: %q is not an unexported identifier", in, name)
	}
	if IsGoReserved(name) {
		t.Fatalf("from %q: %q shadows a predeclared identifier", in, name)
	}
}
