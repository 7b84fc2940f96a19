package runtime

// Operation describes one OpenAPI operation (OpenAPI 3.1 §4.8.10 Operation
// Object). Generated code declares one per operation as a package variable.
type Operation struct {
	// ID is the operationId; it prefixes every error about this operation.
	ID string
	// Method is the HTTP method in upper case, e.g. "GET".
	Method string
	// Path is the path template as written in the spec, e.g. "/pets/{petId}".
	Path string
	// Security lists the security requirements (OpenAPI 3.1 §4.8.30): an OR
	// of sets, each set an AND of scheme names. Nil or empty means no
	// authentication; an empty set means anonymous access is allowed.
	Security [][]string
	// Idempotent reports that the request may safely be retried (RFC 9110
	// §9.2.2: GET, HEAD, OPTIONS, PUT, DELETE, ...).
	Idempotent bool
	// IdempotencyHeader is the name of a request header through which the
	// API accepts an idempotency key, e.g. "Idempotency-Key" (generated
	// when the spec declares such a header parameter). When set and the
	// caller sent no value, [Client.Do] sends a random key, the same one on
	// every retry of the call, and may then retry a POST or PATCH.
	IdempotencyHeader string
}

// SecurityScheme is a declared security scheme (OpenAPI 3.1 §4.8.27 Security
// Scheme Object), keyed by Name in the spec's components/securitySchemes.
type SecurityScheme struct {
	// Name is the key under components/securitySchemes.
	Name string
	// Type is "apiKey", "http", "oauth2", "openIdConnect" or "mutualTLS".
	Type string
	// In is where an apiKey goes: "header", "query" or "cookie".
	In string
	// ParamName is the apiKey's header, query parameter or cookie name.
	ParamName string
	// Scheme is the http authentication scheme (RFC 9110 §11), e.g. "basic"
	// or "bearer"; compared case-insensitively.
	Scheme string
}
