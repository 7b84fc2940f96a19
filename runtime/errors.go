package runtime

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
)

// ErrResponseTooLarge is wrapped for a body over [WithMaxResponseBytes].
var ErrResponseTooLarge = errors.New("runtime: response body exceeds the size limit")

// ErrForeignPageURL is wrapped when the next page's URL, from a response
// member or a Link header, leaves the origin (scheme, host and port) of
// the API's base URL: a generated iterator does not follow it, so that a
// server's text never sends the client's credentials elsewhere.
var ErrForeignPageURL = errors.New("runtime: the next page's URL leaves the API's origin")

// ErrEmptyBody is the [*DecodeError] cause for a body that is empty where a
// value was expected.
var ErrEmptyBody = errors.New("runtime: empty response body")

// ErrRetriesExhausted is wrapped around the last failure of a call that
// ran out of retries; errors.As still finds the cause.
var ErrRetriesExhausted = errors.New("runtime: retries exhausted")

// ErrRetryBudgetExhausted is wrapped around a failure the [RetryBudget]
// could not afford to retry.
var ErrRetryBudgetExhausted = errors.New("runtime: retry budget exhausted")

// APIError is a response the operation does not expect ([Response.Error]);
// it prints with the call's credentials scrubbed.
type APIError struct {
	Operation  string      // operationId
	Method     string      // e.g. "GET"
	URL        string      // without credentials
	StatusCode int         // e.g. 404
	Status     string      // e.g. "404 Not Found"
	Header     http.Header // the response's
	RequestID  string      // from Request-Id, X-Request-Id, X-Amzn-Requestid, ... or Cf-Ray
	Body       []byte      // at most WithMaxErrorBodyBytes
	Truncated  bool        // the server sent more than Body holds
	Detail     any         // the spec's typed error body for the status, if it decoded; else nil
	Attempts   int         // sends, retries included

	// secrets lists the values to scrub; a func, so that fmt, which
	// prints unexported fields by reflection, shows only an address.
	secrets func() []string
}

// scrub replaces the call's secrets in s, in their plain, percent-encoded
// and Go-quoted forms.
func (e *APIError) scrub(s string) string { return scrubSecrets(s, e.secrets) }

// scrubSecrets replaces the values secrets lists in s, in their plain,
// percent-encoded and Go-quoted forms; nil secrets leaves s alone.
func scrubSecrets(s string, secrets func() []string) string {
	if secrets == nil {
		return s
	}
	return authlink.Redact(s, quotedForms(authlink.WithEncodings(secrets())))
}

// Error returns "<op>: <METHOD> <URL>: <status>[: <body excerpt>]".
func (e *APIError) Error() string {
	msg := fmt.Sprintf("%s: %s %s: %s", e.Operation, e.Method, e.URL, e.Status)
	if ex := authlink.Excerpt(e.scrub(string(e.Body))); ex != "" {
		msg += ": " + ex
	}
	return e.scrub(msg)
}

// GoString returns the error in Go syntax, secrets scrubbed.
func (e APIError) GoString() string {
	detail := "nil"
	if e.Detail != nil {
		detail = fmt.Sprintf("%#v", e.Detail)
	}
	return e.scrub(fmt.Sprintf("&runtime.APIError{Operation:%q, Method:%q, URL:%q, StatusCode:%d, Status:%q, "+
		"Header:%#v, RequestID:%q, Body:[]byte(%q), Truncated:%t, Detail:%s, Attempts:%d}",
		e.Operation, e.Method, e.URL, e.StatusCode, e.Status, scrubHeader(e.Header, e.scrub), e.RequestID,
		e.scrub(string(e.Body)), e.Truncated, detail, e.Attempts))
}

// Format prints Error's text, or GoString's for %#v.
func (e APIError) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, e.GoString())
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), e.Error())
}

// LogValue returns Error's text.
func (e APIError) LogValue() slog.Value { return slog.StringValue(e.Error()) }

// scrubHeader returns a copy of h with scrub applied to every value.
func scrubHeader(h http.Header, scrub func(string) string) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for name, vs := range h {
		c := make([]string, len(vs))
		for i, v := range vs {
			c[i] = scrub(v)
		}
		out[name] = c
	}
	return out
}

// quotedForms adds the Go-quoted forms of secrets (as %q and %#v print
// them) where they differ.
func quotedForms(secrets []string) []string {
	for _, s := range secrets {
		if q := strconv.Quote(s); q[1:len(q)-1] != s {
			secrets = append(secrets, q[1:len(q)-1])
		}
	}
	return secrets
}

// DecodeError reports a body that did not decode into the declared type.
type DecodeError struct {
	Operation  string // operationId
	StatusCode int
	MediaType  string // Content-Type without parameters
	Err        error  // ErrEmptyBody or an encoding/json error
}

// Error returns "<op>: decoding <status> response (<type>): <cause>".
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s: decoding %d response (%s): %v", e.Operation, e.StatusCode, e.MediaType, e.Err)
}

// Unwrap returns Err.
func (e *DecodeError) Unwrap() error { return e.Err }

// MissingCredentialsError is Do's error, before sending, when no security
// requirement set of the operation has all its credentials (OpenAPI 3.1
// §4.8.30).
type MissingCredentialsError struct {
	Operation    string     // operationId
	Requirements [][]string // the operation's security: OR of AND-sets of scheme names
}

// Error names the scheme sets that would do, e.g.
// `listPets: missing credentials: configure WithCredential for "apiKey"`.
func (e *MissingCredentialsError) Error() string {
	alts := make([]string, 0, len(e.Requirements))
	for _, set := range e.Requirements {
		q := make([]string, len(set))
		for i, name := range set {
			q[i] = fmt.Sprintf("%q", name)
		}
		alts = append(alts, strings.Join(q, " and "))
	}
	return fmt.Sprintf("%s: missing credentials: configure WithCredential for %s", e.Operation, strings.Join(alts, ", or for "))
}

// requestError is a failure to exchange a request (transport or body read).
// Its message is built from sanitized parts; Unwrap exposes the cause (a
// *url.Error carrying the credential-free URL) for errors.Is/As.
type requestError struct {
	msg string
	err error
}

// Error returns the sanitized message.
func (e *requestError) Error() string { return e.msg }

// Unwrap returns the cause for errors.Is and errors.As.
func (e *requestError) Unwrap() error { return e.err }

// retryError wraps the final error of a call that stopped retrying for the
// reason given by sentinel (ErrRetriesExhausted or ErrRetryBudgetExhausted).
// errors.Is matches the sentinel; Unwrap returns the wrapped error, so
// errors.As still finds *APIError or *url.Error.
type retryError struct {
	err      error
	sentinel error
	attempts int
}

// Error returns the wrapped message followed by, e.g.,
// " (runtime: retries exhausted after 3 attempts)" or "after 1 attempt".
func (e *retryError) Error() string {
	unit := "attempts"
	if e.attempts == 1 {
		unit = "attempt"
	}
	return fmt.Sprintf("%s (%s after %d %s)", e.err, e.sentinel, e.attempts, unit)
}

// Is reports whether target is the sentinel.
func (e *retryError) Is(target error) bool { return target == e.sentinel }

// Unwrap returns the wrapped error.
func (e *retryError) Unwrap() error { return e.err }

// wrapGiveUp wraps err with sentinel, if any.
func wrapGiveUp(err, sentinel error, attempts int) error {
	if sentinel == nil || err == nil {
		return err
	}
	return &retryError{err: err, sentinel: sentinel, attempts: attempts}
}
