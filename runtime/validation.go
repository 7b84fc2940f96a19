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

// ValidationError lists a request value's violations of its schema (JSON
// Schema 2020-12 §6), found before anything is sent.
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

// Validate returns v's *ValidationError unless [WithoutValidation] applies
// (nil v: nil); generated methods call it before building a request.
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
