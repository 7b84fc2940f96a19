package auth

import "github.com/connectorgen/connectorgen/runtime/internal/authlink"

// secretHolder exposes a credential's secret values so the runtime client
// can scrub them from error messages and logs (e.g. a server echoing the
// key back).
type secretHolder interface {
	secrets() []string
}

// headerNamer is implemented by credentials that put secrets or
// signatures in headers other than the ones their scheme names; logs
// redact those headers and redirects to another host drop them.
type headerNamer interface {
	credentialHeaders() []string
}

// The hooks through which package runtime, which imports this package,
// reads what credentials keep unexported (runtime/internal/authlink).
func init() {
	authlink.Secrets = func(c any) []string {
		if h, ok := c.(secretHolder); ok {
			return h.secrets()
		}
		return nil
	}
	authlink.Headers = func(c any) []string {
		if h, ok := c.(headerNamer); ok {
			return h.credentialHeaders()
		}
		return nil
	}
}
