// Package diag holds located diagnostics: every problem found in a spec or a
// config names the file, the line and column where known, and always a JSON
// pointer (RFC 6901) into the document.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders diagnostics: an Error stops generation, a Warning marks a
// narrower fallback the generator chose, Info is advice.
type Severity int

// Severities, most severe first.
const (
	Error Severity = iota
	Warning
	Info
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// Pos is a position in an input file. Line and Col are 1-based; 0 means
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String renders "file:line:col", dropping unknown parts.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// Diagnostic is one located problem.
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	// Pointer is a JSON pointer into the document, such as
	// "#/paths/~1pets/get"; "#" is the whole document.
	Pointer string
	Message string
}

// String renders "file:line:col: #/pointer: message" for errors, and
// "file:line:col: #/pointer: warning: message" for the other severities.
func (d Diagnostic) String() string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	ptr := d.Pointer
	if ptr == "" {
		ptr = "#"
	}
	b.WriteString(ptr)
	b.WriteString(": ")
	if d.Severity != Error {
		b.WriteString(d.Severity.String())
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// List is a set of diagnostics.
type List []Diagnostic

// HasErrors reports whether any diagnostic is an Error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders the list by file, line, column, pointer, severity and
// message, so output is stable whatever order the checks ran in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Message < b.Message
	})
}

// Error makes a List usable as an error value; it lists the errors only.
func (l List) Error() string {
	var lines []string
	for _, d := range l {
		if d.Severity == Error {
			lines = append(lines, d.String())
		}
	}
	return strings.Join(lines, "\n")
}

// Pointer builds a JSON pointer (RFC 6901) from unescaped reference tokens:
// Pointer("paths", "/pets", "get") is "#/paths/~1pets/get".
func Pointer(tokens ...string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(EscapeToken(t))
	}
	return b.String()
}

// EscapeToken escapes one JSON pointer reference token ("~" → "~0", "/" → "~1").
func EscapeToken(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
}

// Tokens splits a JSON pointer ("#/a/b~1c") into unescaped tokens ("a", "b/c").
func Tokens(ptr string) []string {
	ptr = strings.TrimPrefix(strings.TrimPrefix(ptr, "#"), "/")
	if ptr == "" {
		return nil
	}
	parts := strings.Split(ptr, "/")
	r := strings.NewReplacer("~1", "/", "~0", "~")
	for i, p := range parts {
		parts[i] = r.Replace(p)
	}
	return parts
}
