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

// WithoutValidation skips the check of request values against the schema
// that generated methods make before anything is sent (on by default), for
// a client or a call.
func WithoutValidation() Option { return func(s *Settings) { s.noValidation = true } }

// Validate runs v's Validate unless [WithoutValidation] applies to this
// client or call (nil v: nil); generated methods call it before building a
// request. It returns v's *ValidationError, or the error of an option that
// is not one of this package's.
func (c *Client) Validate(v Validator, opts ...CallOption) error {
	s, err := c.settings.withCall(opts)
	if err != nil {
		return err
	}
	if v == nil || s.noValidation {
		return nil
	}
	return v.Validate()
}
