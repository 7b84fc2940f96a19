package names

import "strings"

// Unexported converts an arbitrary spec string into an unexported
// lowerCamel Go identifier for parameters and locals: words as for
// [Exported], with the first word lower-cased entirely ("ID" -> "id",
// "URLPath" -> "urlPath"), and a trailing underscore when the result would
// be a Go keyword or predeclared identifier ("type" -> "type_").
func Unexported(s string) string {
	ws := words(s)
	for i, w := range ws {
		if i == 0 {
			ws[i] = strings.ToLower(w)
		} else {
			ws[i] = title(w)
		}
	}
	return unshadowed(unexportable(join(ws)))
}

// unexportable prefixes name with "n" or "x" unless it starts with a
// lower-case ASCII letter; the empty name becomes "x".
func unexportable(name string) string {
	switch {
	case name == "":
		return "x"
	case name[0] >= 'a' && name[0] <= 'z':
		return name
	case startsWithDigit(name):
		return "n" + name
	}
	return "x" + name
}
