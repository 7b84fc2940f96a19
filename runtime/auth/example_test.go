package auth_test

import (
	"fmt"
	"net/http"

	"github.com/connectorgen/connectorgen/runtime/auth"
)

// A connector applies the credential of each scheme an operation requires;
// applied by hand, an API key goes where its scheme says, and the
// credential itself prints as REDACTED.
func ExampleAPIKey() {
	scheme := &auth.SecurityScheme{Name: "apiKey", Type: "apiKey", In: "header", ParamName: "X-API-Key"}
	cred := auth.APIKey("k-123")
	req, _ := http.NewRequest("GET", "https://api.example.com/pets", nil)
	if err := cred.Apply(req, scheme); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Header.Get("X-API-Key"))
	fmt.Println(cred)
	// Output:
	// k-123
	// REDACTED
}
