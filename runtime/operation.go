package runtime

// Operation describes an OpenAPI operation (OpenAPI 3.1 §4.8.10); generated
// code declares one per operation.
type Operation struct {
	ID                string     // operationId; prefixes every error about the operation
	Method            string     // upper case, e.g. "GET"
	Path              string     // the spec's template, e.g. "/pets/{petId}"
	Security          [][]string // OR of AND-sets of scheme names (§4.8.30); nil: none; {} allows anonymous
	Idempotent        bool       // may be retried (RFC 9110 §9.2.2)
	IdempotencyHeader string     // idempotency key header; Do sends a random key if unset
}
