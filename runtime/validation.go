package runtime

import "strings"

// Validator is implemented by generated types whose schema has
// constraints: Validate reports every violation as a *ValidationError.
type Validator interface {
	Validate() error
}

// Violation is one broken constraint: where (a JSON pointer into the
// value, RFC 6901) and what.
type Violation struct {
	Pointer string
	Message string
}

// ValidationError lists the violations of a value against its schema's
// validation keywords (JSON Schema 2020-12 §6); it is returned before a
// request is sent, so the server never sees an invalid one.
type ValidationError struct {
	Violations []Violation
}

// Error lists the violations, "pointer: message" each, separated by "; ".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		p := v.Pointer
		if p == "" {
			p = "/"
		}
		parts[i] = p + ": " + v.Message
	}
	return "invalid value: " + strings.Join(parts, "; ")
}

// WithValidation turns the check of request values against the schema,
// done before anything is sent, on (the default) or off, per client or
// per call.
func WithValidation(on bool) Option { return func(s *Settings) { s.noValidation = !on } }

// Validate runs v's Validate unless WithValidation(false) applies to this
// client or call; generated methods call it before building a request.
// It returns v's *ValidationError.
func (c *Client) Validate(v Validator, opts ...Option) error {
	if c.settings.with(opts).noValidation {
		return nil
	}
	return v.Validate()
}
