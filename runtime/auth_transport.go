package runtime

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
)

// WithAllowInsecureCredentials allows credentials over http to any host;
// without it, such a call fails with an [*auth.InsecureCredentialsError].
func WithAllowInsecureCredentials(allow bool) Option {
	return func(s *Settings) { s.allowInsecureCredentials = allow }
}

// checkTransport refuses to authenticate set over plain http to a
// non-loopback host unless allowed. mutualTLS schemes put nothing in the
// request and are not checked.
func checkTransport(req *http.Request, op *Operation, set []string, schemes map[string]*auth.SecurityScheme, s *Settings) error {
	u := req.URL
	if s.allowInsecureCredentials || !strings.EqualFold(u.Scheme, "http") || authlink.IsLoopback(u.Hostname()) {
		return nil
	}
	var names []string
	for _, name := range set {
		if sc := schemes[name]; sc == nil || sc.Type != "mutualTLS" {
			names = append(names, fmt.Sprintf("%q", name))
		}
	}
	if len(names) == 0 {
		return nil
	}
	return &auth.InsecureCredentialsError{
		Operation: op.ID, What: "credentials for " + strings.Join(names, " and "), Host: u.Host,
	}
}

// credentialError is a failed Apply: a scrubbed message, and the cause only
// when it is of a kind known to carry no secret.
type credentialError struct {
	msg string
	err error
}

func (e *credentialError) Error() string { return e.msg }

func (e *credentialError) Unwrap() error { return e.err }

// newCredentialError wraps the error of the credential for scheme name.
func newCredentialError(op, name string, err error, secrets []string) error {
	var (
		te   *auth.TokenError
		se   *auth.SecretError
		ice  *auth.InsecureCredentialsError
		safe error
	)
	switch {
	case errors.As(err, &te):
		safe = te
	case errors.As(err, &se):
		safe = se
	case errors.As(err, &ice):
		safe = ice
	case errors.Is(err, context.Canceled):
		safe = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		safe = context.DeadlineExceeded
	}
	msg := fmt.Sprintf("%s: applying credential for %q: %s", op, name, authlink.Redact(err.Error(), authlink.WithEncodings(secrets)))
	return &credentialError{msg: msg, err: safe}
}

// applyCredential runs c.Apply; a panic in it is re-raised with the
// secrets of creds scrubbed from its message.
func applyCredential(c auth.Credential, req *http.Request, scheme *auth.SecurityScheme, creds map[string]auth.Credential) error {
	var (
		err error
		p   any
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				p = scrubPanic(r, secretsOf(creds))
			}
		}()
		err = c.Apply(req, scheme)
	}()
	if p != nil {
		panic(p)
	}
	return err
}

// doScrubbed runs the Doer chain for one attempt. A panic in a Doer or
// middleware is re-raised (after the recovery returned, so the original
// value is never printed) as an error whose message has the known secrets
// scrubbed: panics often print the request, headers included.
func (k *call) doScrubbed(req *http.Request) (*http.Response, error) {
	var (
		resp *http.Response
		err  error
		p    any
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				p = scrubPanic(r, k.x.secrets())
			}
		}()
		resp, err = k.doer.Do(req)
	}()
	if p != nil {
		panic(p)
	}
	return resp, err
}

// scrubbedPanic is the value re-panicked in place of one that may hold
// secrets.
type scrubbedPanic struct{ msg string }

func (p *scrubbedPanic) Error() string { return p.msg }

// scrubPanic describes r without secrets.
func scrubPanic(r any, secrets []string) *scrubbedPanic {
	if sp, ok := r.(*scrubbedPanic); ok {
		return sp
	}
	return &scrubbedPanic{msg: "runtime: panic (secrets redacted): " + authlink.Redact(fmt.Sprint(r), authlink.WithEncodings(secrets))}
}

// reauthorize turns a 401 answered to a request authenticated with an
// [auth.Invalidator] credential into one immediate resend, once per call.
func (k *call) reauthorize(o *outcome, d *decision) {
	if k.reauthed || o.resp == nil || o.resp.StatusCode != http.StatusUnauthorized || o.req == nil ||
		!k.body.replayable() || k.ctx.Err() != nil {
		return
	}
	set := chosenSet(k.op, k.s.credentials)
	resend := false
	for _, name := range set {
		if inv, ok := k.s.credentials[name].(auth.Invalidator); ok && inv.Invalidate(o.req) {
			resend = true
		}
	}
	if resend {
		k.reauthed = true
		*d = decision{retry: true, reason: "credentials refreshed after 401"}
	}
}

// chosenSet is the requirement set authorize uses, or nil.
func chosenSet(op *Operation, creds map[string]auth.Credential) []string {
	for _, set := range op.Security {
		if len(set) > 0 && hasAll(creds, set) {
			return set
		}
	}
	return nil
}

// credentialHeaders lists the extra headers the credentials of k declare.
func (k *call) credentialHeaders() []string {
	var out []string
	for _, c := range k.s.credentials {
		out = append(out, authlink.Headers(c)...)
	}
	return out
}

// isCredentialHeader reports whether logs must not show header name (in
// canonical form).
func (k *call) isCredentialHeader(name string) bool {
	if k.c.redact.headers[name] {
		return true
	}
	for _, h := range k.credentialHeaders() {
		if http.CanonicalHeaderKey(h) == name {
			return true
		}
	}
	return false
}

// checkRedirect is the CheckRedirect of the default HTTP client and of
// *http.Client values given to [WithHTTPClient] (wrapping theirs): at most
// 10 redirects, as net/http, and no credentials to another origin.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if err := authlink.CheckRedirect(req, via); err != nil {
		return err
	}
	guardRedirect(req, via)
	return nil
}

// guardRedirects returns d, or for an *http.Client a copy whose
// CheckRedirect also strips credentials from cross-origin redirects.
func guardRedirects(d Doer) Doer {
	hc, ok := d.(*http.Client)
	if !ok || hc == nil {
		return d
	}
	cp := *hc
	if next := hc.CheckRedirect; next != nil {
		cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			guardRedirect(req, via)
			return next(req, via)
		}
	} else {
		cp.CheckRedirect = checkRedirect
	}
	return &cp
}

// guardRedirect strips credentials from a redirect leaving the origin of
// the first request: another host or port, or https to http. net/http
// already drops Authorization and Cookie for hosts outside the original
// domain, but keeps them for its subdomains, other ports and downgrades,
// keeps every other header (apiKey headers, signatures), adds a Referer
// holding the previous URL with its query, and a Location may carry an
// apiKey query parameter; all of them go.
func guardRedirect(req *http.Request, via []*http.Request) {
	if !authlink.StripCrossOrigin(req, via) { // Authorization, Cookie, Referer, ...
		return
	}
	k, _ := req.Context().Value(attemptKey{}).(*call) // observer.go
	if k == nil {
		return
	}
	for h := range k.c.redact.headers {
		req.Header.Del(h)
	}
	for _, h := range k.credentialHeaders() {
		req.Header.Del(h)
	}
	if len(k.c.redact.query) > 0 && req.URL.RawQuery != "" {
		req.URL.RawQuery = dropQuery(req.URL.RawQuery, k.c.redact.query)
	}
}

// dropQuery removes the pairs named in names from an encoded query.
func dropQuery(q string, names map[string]bool) string {
	pairs := strings.Split(q, "&")
	kept := pairs[:0]
	for _, p := range pairs {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && names[n] {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}

// WithMutualTLS gives the client a new [auth.MutualTLSClient](cert, base),
// which presents cert in TLS handshakes; nil cert: no-op. cert (or
// [auth.MutualTLS]) is also the credential of the "mutualTLS" scheme.
func WithMutualTLS(cert *auth.ClientCertificate, base *tls.Config) ClientOption {
	return clientOption(func(s *Settings) {
		if cert != nil {
			s.httpClient = guardRedirects(auth.MutualTLSClient(cert, base))
		}
	})
}
