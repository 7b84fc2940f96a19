package auth

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// SecurityScheme is a declared security scheme (OpenAPI 3.1 §4.8.27), as
// generated code lists them for runtime.NewClient and as [Credential.Apply]
// receives the one it serves.
type SecurityScheme struct {
	Name      string // the key under components/securitySchemes
	Type      string // "apiKey", "http", "oauth2", "openIdConnect" or "mutualTLS"
	In        string // apiKey: "header", "query" or "cookie"
	ParamName string // apiKey: the header, parameter or cookie name
	Scheme    string // http: e.g. "basic", "bearer" (RFC 9110 §11), any case
}

// Credential authenticates a request for a security scheme; Apply runs
// last and fails for a scheme it cannot serve, without secrets in errors.
type Credential interface {
	Apply(req *http.Request, scheme *SecurityScheme) error
}

// CredentialFunc adapts a function to [Credential].
type CredentialFunc func(req *http.Request, scheme *SecurityScheme) error

// Apply calls f(req, scheme).
func (f CredentialFunc) Apply(req *http.Request, scheme *SecurityScheme) error {
	return f(req, scheme)
}

// redactedText replaces secret values wherever they could be printed.
const redactedText = authlink.Redacted

// redacted is embedded in credential types so every fmt verb (%v, %+v, %#v,
// %s, %q, ...) prints REDACTED instead of the secret.
type redacted struct{}

// String returns "REDACTED".
func (redacted) String() string { return redactedText }

// GoString returns "REDACTED" (the %#v verb).
func (redacted) GoString() string { return redactedText }

// Format prints "REDACTED" for every verb.
func (redacted) Format(f fmt.State, _ rune) { io.WriteString(f, redactedText) }

// LogValue makes slog print "REDACTED".
func (redacted) LogValue() slog.Value { return slog.StringValue(redactedText) }

// secret holds a secret value inside a closure. fmt reaches unexported
// fields of enclosing structs by reflection, where the methods above cannot
// run, and would print a string field verbatim; a func prints as an address.
type secret func() string

// newSecret wraps s.
func newSecret(s string) secret { return func() string { return s } }

// Invalidator is a caching [Credential]: after a 401 answer to a request it
// authenticated, the runtime client calls Invalidate and resends once if it
// returns true (drop the secret only if sent carried it).
type Invalidator interface {
	Credential
	Invalidate(sent *http.Request) bool
}

type apiKeyCredential struct {
	redacted
	value secret
}

// APIKey returns a credential for an "apiKey" scheme (OpenAPI 3.1 §4.8.27).
func APIKey(value string) Credential { return &apiKeyCredential{value: newSecret(value)} }

// Apply places the key per scheme.In and scheme.ParamName.
func (c *apiKeyCredential) Apply(req *http.Request, scheme *SecurityScheme) error {
	if scheme.Type != "apiKey" {
		return schemeMismatch("APIKey", scheme)
	}
	return placeAPIKey(req, scheme, c.value())
}

// placeAPIKey puts value in the header, query parameter or cookie that the
// apiKey scheme names.
func placeAPIKey(req *http.Request, scheme *SecurityScheme, value string) error {
	switch scheme.In {
	case "header":
		req.Header.Set(scheme.ParamName, value)
	case "query":
		req.URL.RawQuery = link.AppendQuery(req.URL.RawQuery, link.QueryPair(scheme.ParamName, value))
	case "cookie":
		link.AddCookie(req.Header, scheme.ParamName, link.CookieEscape(value))
	default:
		return fmt.Errorf("auth: security scheme %q: unsupported apiKey location %q", scheme.Name, scheme.In)
	}
	return nil
}

func (c *apiKeyCredential) secrets() []string { return []string{c.value()} }

type basicCredential struct {
	redacted
	user, password secret
}

// Basic returns a credential for an http "basic" scheme (RFC 7617): the
// user name and password in the Authorization header.
func Basic(user, password string) Credential {
	return &basicCredential{user: newSecret(user), password: newSecret(password)}
}

// Apply sets the Authorization header.
func (c *basicCredential) Apply(req *http.Request, scheme *SecurityScheme) error {
	if !basicScheme(scheme) {
		return schemeMismatch("Basic", scheme)
	}
	req.SetBasicAuth(c.user(), c.password())
	return nil
}

func (c *basicCredential) secrets() []string {
	user, pass := c.user(), c.password()
	return []string{pass, base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))}
}

type bearerCredential struct {
	redacted
	token secret
}

// BearerToken returns a credential sending a bearer token (RFC 6750).
func BearerToken(token string) Credential { return &bearerCredential{token: newSecret(token)} }

// Apply sets the Authorization header.
func (c *bearerCredential) Apply(req *http.Request, scheme *SecurityScheme) error {
	if !bearerScheme(scheme) {
		return schemeMismatch("BearerToken", scheme)
	}
	req.Header.Set("Authorization", "Bearer "+c.token())
	return nil
}

func (c *bearerCredential) secrets() []string { return []string{c.token()} }

// bearerScheme reports whether scheme takes a bearer token: http "bearer",
// "oauth2", and "openIdConnect" (whose access tokens are OAuth 2.0 ones).
func bearerScheme(scheme *SecurityScheme) bool {
	return scheme.Type == "oauth2" || scheme.Type == "openIdConnect" ||
		(scheme.Type == "http" && strings.EqualFold(scheme.Scheme, "bearer"))
}

// basicScheme reports whether scheme is http "basic".
func basicScheme(scheme *SecurityScheme) bool {
	return scheme.Type == "http" && strings.EqualFold(scheme.Scheme, "basic")
}

type mutualTLSCredential struct{ redacted }

// MutualTLS returns a credential marking a "mutualTLS" scheme as met.
func MutualTLS() Credential { return &mutualTLSCredential{} }

// Apply checks the scheme type; the TLS layer does the rest.
func (c *mutualTLSCredential) Apply(_ *http.Request, scheme *SecurityScheme) error {
	if scheme.Type != "mutualTLS" {
		return schemeMismatch("MutualTLS", scheme)
	}
	return nil
}

// schemeMismatch reports a credential used for a scheme it cannot serve.
func schemeMismatch(kind string, s *SecurityScheme) error {
	return fmt.Errorf("auth: %s credential cannot serve security scheme %q (type %q, scheme %q)",
		kind, s.Name, s.Type, s.Scheme)
}

// InsecureCredentialsError is the error of sending credentials over plain
// http to a host that is not a loopback one ("localhost", a name under
// ".localhost", a loopback IP address): a connector's call (refused unless
// runtime.WithAllowInsecureCredentials) or an OAuth 2.0 token request
// (refused unless AllowInsecureTokenURL, inside a [*TokenError]).
type InsecureCredentialsError struct {
	Operation string // operationId; "" for a token endpoint
	What      string // the security schemes, or "OAuth2 client credentials"
	Host      string // host[:port]
}

// Error says what was refused and how to allow it.
func (e *InsecureCredentialsError) Error() string {
	msg := fmt.Sprintf("refusing to send %s over plain http to %s, which is not a loopback host: use https", e.What, e.Host)
	if e.Operation != "" {
		return e.Operation + ": runtime: " + msg + ", or WithAllowInsecureCredentials(true) for a trusted network"
	}
	return "auth: " + msg + ", or set AllowInsecureTokenURL for a trusted network"
}
