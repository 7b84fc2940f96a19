package ir

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// StatusField names the result field of a response status after its
// reason phrase (RFC 9110 §15): "OK", "Created", "NotFound"; a range is
// "Status2XX" and the default response "Default".
func StatusField(status string) string {
	if status == "default" {
		return "Default"
	}
	if code, err := strconv.Atoi(status); err == nil && http.StatusText(code) != "" {
		var b strings.Builder
		for _, w := range nonWord.Split(http.StatusText(code), -1) {
			if w != "" {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
		}
		return b.String()
	}
	return "Status" + status
}

// ValidStatus reports whether key can be a key of an operation's
// responses map (OpenAPI 3.1 §4.8.16.2): "default", a three-digit HTTP
// status code from 100 to 599, or a range "1XX" to "5XX" (the X in either
// case). The IR holds ranges upper-cased.
func ValidStatus(key string) bool {
	if key == "default" {
		return true
	}
	if len(key) != 3 || key[0] < '1' || key[0] > '5' {
		return false
	}
	isRange := func(c byte) bool { return c == 'X' || c == 'x' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	return isDigit(key[1]) && isDigit(key[2]) || isRange(key[1]) && isRange(key[2])
}
