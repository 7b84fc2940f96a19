package runtime

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// InsecureCredentialsError is the error of sending credentials over http
// to a non-loopback host; see [WithAllowInsecureCredentials].
type InsecureCredentialsError struct {
	Operation string // operationId; "" for a token endpoint
	What      string // the security schemes, or "OAuth2 client credentials"
	Host      string // host[:port]
}

// Error says what was refused and how to allow it.
func (e *InsecureCredentialsError) Error() string {
	msg := fmt.Sprintf("runtime: refusing to send %s over plain http to %s, which is not a loopback host: use https", e.What, e.Host)
	if e.Operation != "" {
		return e.Operation + ": " + msg + ", or WithAllowInsecureCredentials(true) for a trusted network"
	}
	return msg + ", or set AllowInsecureTokenURL for a trusted network"
}

// WithAllowInsecureCredentials allows credentials over http to any host.
func WithAllowInsecureCredentials(allow bool) Option {
	return func(s *Settings) { s.allowInsecureCredentials = allow }
}

// isLoopback reports whether host (without port) is "localhost", a name
// under ".localhost" (RFC 6761 §6.3) or a loopback IP address. Names are
// not resolved: a name that resolves to a loopback address does not count.
func isLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i] // IPv6 zone
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// checkTransport refuses to authenticate set over plain http to a
// non-loopback host unless allowed. mutualTLS schemes put nothing in the
// request and are not checked.
func checkTransport(req *http.Request, op *Operation, set []string, schemes map[string]*SecurityScheme, s *Settings) error {
	u := req.URL
	if s.allowInsecureCredentials || !strings.EqualFold(u.Scheme, "http") || isLoopback(u.Hostname()) {
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
	return &InsecureCredentialsError{
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
		te   *TokenError
		se   *SecretError
		ice  *InsecureCredentialsError
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
	msg := fmt.Sprintf("%s: applying credential for %q: %s", op, name, redact(err.Error(), withEncodings(secrets)))
	return &credentialError{msg: msg, err: safe}
}

// applyCredential runs c.Apply; a panic in it is re-raised with the
// secrets of creds scrubbed from its message.
func applyCredential(c Credential, req *http.Request, scheme *SecurityScheme, creds map[string]Credential) error {
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
	return &scrubbedPanic{msg: "runtime: panic (secrets redacted): " + redact(fmt.Sprint(r), withEncodings(secrets))}
}

// reauthorize turns a 401 answered to a request authenticated with an
// [Invalidator] credential into one immediate resend, once per call.
func (k *call) reauthorize(o *outcome, d *decision) {
	if k.reauthed || o.resp == nil || o.resp.StatusCode != http.StatusUnauthorized || o.req == nil ||
		!k.body.replayable() || k.ctx.Err() != nil {
		return
	}
	set := chosenSet(k.op, k.s.credentials)
	resend := false
	for _, name := range set {
		if inv, ok := k.s.credentials[name].(Invalidator); ok && inv.Invalidate(o.req) {
			resend = true
		}
	}
	if resend {
		k.reauthed = true
		*d = decision{retry: true, reason: "credentials refreshed after 401"}
	}
}

// chosenSet is the requirement set authorize uses, or nil.
func chosenSet(op *Operation, creds map[string]Credential) []string {
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
		if h, ok := c.(headerNamer); ok {
			out = append(out, h.credentialHeaders()...)
		}
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
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
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
	if len(via) == 0 || sameOrigin(via[0].URL, req.URL) {
		return
	}
	// Referer is the previous URL, query (and apiKey) included.
	for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2", "Referer"} {
		req.Header.Del(h)
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

// sameOrigin reports whether b has a's host and port and the same scheme
// (or an upgrade from http to https on the default ports).
func sameOrigin(a, b *url.URL) bool {
	if !strings.EqualFold(a.Hostname(), b.Hostname()) {
		return false
	}
	as, bs := strings.ToLower(a.Scheme), strings.ToLower(b.Scheme)
	switch {
	case as == bs:
		return port(a) == port(b)
	case as == "http" && bs == "https":
		return a.Port() == "" && b.Port() == ""
	}
	return false
}

// port is u's port, or the scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
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
