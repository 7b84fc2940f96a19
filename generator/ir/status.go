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
