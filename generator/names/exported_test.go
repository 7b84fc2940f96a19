package names

import (
	"go/token"
	"testing"
)

// exportedCases are spec strings and the exported names they must become.
var exportedCases = []struct{ in, want string }{
	// Schema and property names.
	{"source_type_ach_credit_transfer", "SourceTypeAchCreditTransfer"},
	{"SourceTypeAchCreditTransfer", "SourceTypeAchCreditTransfer"},
	{"pet-store.v2", "PetStoreV2"},
	{"actor", "Actor"},
	{"Actor", "Actor"},
	{"package-visibility", "PackageVisibility"},
	{"packageVisibility", "PackageVisibility"},
	{"code-scanning-variant-analysis-status", "CodeScanningVariantAnalysisStatus"},
	{"some.dotted.name", "SomeDottedName"},
	{"_links", "Links"},
	{"$ref", "Ref"},
	{"@type", "Type"},
	{"x-github-request-id", "XGithubRequestID"},
	// Signs and digits.
	{"+1", "Plus1"},
	{"-1", "Minus1"},
	{"-created", "MinusCreated"},
	{"200", "N200"},
	{"1password", "N1password"},
	{"2022-11-28", "N2022_11_28"},
	{"v1.2.3", "V1_2_3"},
	{"ipv4Address", "Ipv4Address"},
	{"UTF8Encoding", "UTF8Encoding"},
	// Case boundaries and acronyms.
	{"UserID", "UserID"},
	{"oAuthToken", "OAuthToken"},
	{"oauth_token", "OauthToken"},
	{"HTTPServer", "HTTPServer"},
	{"ACHCreditTransfer", "ACHCreditTransfer"},
	{"PENDING_REVIEW", "PendingReview"},
	{"ACTIVE", "Active"},
	{"USER_ID", "UserID"},
	// Initialisms on whole words only.
	{"id", "ID"},
	{"Id", "ID"},
	{"ID", "ID"},
	{"ids", "IDs"},
	{"IDs", "IDs"},
	{"userIDs", "UserIDs"},
	{"user_ids", "UserIDs"},
	{"userid", "Userid"},
	{"url", "URL"},
	{"urls", "URLs"},
	{"URLs", "URLs"},
	{"html_url", "HTMLURL"},
	{"utf8", "UTF8"},
	{"id2", "ID2"},
	{"https", "HTTPS"},
	{"uuid", "UUID"},
	{"api-key", "APIKey"},
	// Non-ASCII letters.
	{"名前", "X名前"},
	{"über", "XÜber"},
	{"größe", "Größe"},
	// Nothing usable.
	{"", "X"},
	{"___", "X"},
	{"-", "X"},
	{"+", "X"},
	{"\xff", "X"},
}

func TestExported(t *testing.T) {
	for _, c := range exportedCases {
		if got := Exported(c.in); got != c.want {
			t.Errorf("Exported(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExportedIsExportedIdentifier(t *testing.T) {
	for _, c := range exportedCases {
		checkExported(t, c.in, Exported(c.in))
	}
}

// checkExported fails t unless name, made from in, is a valid exported Go
// identifier starting with an upper-case ASCII letter.
func checkExported(t *testing.T, in, name string) {
	t.Helper()
	if !token.IsIdentifier(name) || !token.IsExported(name) {
		t.Fatalf("from %q: %q is not an exported identifier", in, name)
	}
	if name[0] < 'A' || name[0] > 'Z' {
		t.Fatalf("from %q: %q does not start with an upper-case ASCII letter", in, name)
	}
}
