// Package authlink joins package runtime to package runtime/auth without
// either exporting its internals to users. It holds the helpers both need
// (redaction, the loopback test, the default transport and redirect rule)
// and hooks that auth sets in its init: runtime imports auth, so they are
// set before any runtime code runs. Through them runtime reads what a
// credential keeps unexported: the secret values it sent, to scrub from
// errors and logs, and the extra headers it writes.
package authlink

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// Redacted replaces secret values wherever they could be printed.
const Redacted = "REDACTED"

// Hooks set by package auth's init.
var (
	// Secrets returns the secret values credential c has sent or holds
	// (nil for a credential of another package).
	Secrets func(c any) []string
	// Headers returns the headers other than the ones its scheme names in
	// which c puts secrets or signatures (nil if none).
	Headers func(c any) []string
)

// Redact replaces each non-empty secret in s with REDACTED.
func Redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

// WithEncodings adds the percent-encoded forms of secrets, as they appear
// in a query string or a form body.
func WithEncodings(secrets []string) []string {
	out := make([]string, 0, 3*len(secrets))
	for _, s := range secrets {
		out = append(out, s)
		if q := link.QueryEscape(s); q != s {
			out = append(out, q, url.QueryEscape(s))
		}
	}
	return out
}

// MaxExcerpt is the most bytes Excerpt returns.
const MaxExcerpt = 200

// Excerpt returns the start of s on one line, at most MaxExcerpt bytes, with
// control characters and white-space runs folded to single spaces and
// invalid UTF-8 replaced.
func Excerpt(s string) string {
	whole := len(s) <= 4*MaxExcerpt
	window := strings.ToValidUTF8(s[:min(len(s), 4*MaxExcerpt)], "\uFFFD")
	folded := strings.Join(strings.FieldsFunc(window, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if len(folded) <= MaxExcerpt && whole {
		return folded
	}
	cut := min(len(folded), MaxExcerpt-len("..."))
	for cut > 0 && cut < len(folded) && !utf8.RuneStart(folded[cut]) {
		cut--
	}
	return folded[:cut] + "..."
}

// IsLoopback reports whether host (without port) is "localhost", a name
// under ".localhost" (RFC 6761 §6.3) or a loopback IP address. Names are
// not resolved: a name that resolves to a loopback address does not count.
func IsLoopback(host string) bool {
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

// CloneDefaultTransport returns a clone of http.DefaultTransport, or a
// transport with its standard settings if the program replaced it.
func CloneDefaultTransport() *http.Transport {
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		return dt.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, ExpectContinueTimeout: time.Second}
}

// CheckRedirect allows at most 10 redirects, as net/http, and strips the
// standard credential headers from a redirect leaving the first request's
// origin (StripCrossOrigin).
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	StripCrossOrigin(req, via)
	return nil
}

// StripCrossOrigin removes Authorization, Proxy-Authorization, Cookie,
// Cookie2 and Referer from a redirect leaving the origin of the first
// request (another host or port, or https to http) and reports whether it
// did. net/http already drops Authorization and Cookie for hosts outside
// the original domain, but keeps them for its subdomains, other ports and
// downgrades, and adds a Referer holding the previous URL with its query
// (and so an apiKey parameter).
func StripCrossOrigin(req *http.Request, via []*http.Request) bool {
	if len(via) == 0 || SameOrigin(via[0].URL, req.URL) {
		return false
	}
	for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2", "Referer"} {
		req.Header.Del(h)
	}
	return true
}

// SameOrigin reports whether b has a's host and port and the same scheme
// (or an upgrade from http to https on the default ports).
func SameOrigin(a, b *url.URL) bool {
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
