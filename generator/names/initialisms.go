package names

import (
	"slices"
	"strings"
)

// initialisms maps the lower-case form of each golint initialism to its
// canonical spelling.
var initialisms = func() map[string]string {
	list := []string{
		"ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML",
		"HTTP", "HTTPS", "ID", "IP", "JSON", "LHS", "QPS", "RAM", "RHS",
		"RPC", "SLA", "SMTP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UI",
		"UID", "UUID", "URI", "URL", "UTF8", "VM", "XML", "XMPP", "XSRF",
		"XSS",
	}
	m := make(map[string]string, len(list))
	for _, s := range list {
		m[strings.ToLower(s)] = s
	}
	return m
}()

// Initialisms returns the initialisms that [Exported] and [Unexported] write
// in upper case when a whole word equals one of them, sorted.
func Initialisms() []string {
	out := make([]string, 0, len(initialisms))
	for _, s := range initialisms {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// initialism returns the canonical spelling of word when it is an
// initialism, its plural ("ids" -> "IDs"), or either followed by digits
// ("id2" -> "ID2").
func initialism(word string) (string, bool) {
	lower := strings.ToLower(word)
	if s, ok := initialisms[lower]; ok {
		return s, true
	}
	base := strings.TrimRight(lower, "0123456789")
	digits := lower[len(base):]
	if s, ok := initialisms[base]; ok {
		return s + digits, true
	}
	if single, ok := strings.CutSuffix(base, "s"); ok {
		if s, ok := initialisms[single]; ok {
			return s + "s" + digits, true
		}
	}
	return "", false
}
