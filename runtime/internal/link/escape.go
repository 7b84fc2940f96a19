package link

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// QueryPair encodes one name=value query pair.
func QueryPair(name, value string) string {
	return QueryEscape(name) + "=" + QueryEscape(value)
}

// QueryEscape percent-encodes a query component; spaces become %20 rather
// than "+", which only form decoders read as a space (RFC 3986 §2.1).
func QueryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// CookieEscape percent-encodes the bytes RFC 6265 §4.1.1 does not allow in a
// cookie-value (CTLs, space, DQUOTE, comma, semicolon, backslash, non-ASCII),
// leaving ordinary values untouched.
func CookieEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// AppendQuery joins two encoded query strings with "&".
func AppendQuery(q, more string) string {
	switch {
	case q == "":
		return more
	case more == "":
		return q
	}
	return q + "&" + more
}

// AddCookie appends name=value (value already escaped) to the Cookie header
// (RFC 6265 §5.4), which carries all cookies on one line separated by "; ".
func AddCookie(h http.Header, name, value string) {
	pair := name + "=" + value
	if old := h.Get("Cookie"); old != "" {
		pair = old + "; " + pair
	}
	h.Set("Cookie", pair)
}
