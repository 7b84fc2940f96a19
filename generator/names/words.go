package names

import (
	"strings"
	"unicode"
)

// isAlnum reports whether r may appear in a Go identifier other than '_'.
func isAlnum(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// words splits s into the words described in the package documentation,
// before capitalisation.
func words(s string) []string {
	runes := []rune(s)
	var out []string
	if sign := signWord(runes); sign != "" {
		out = append(out, sign)
		runes = runes[1:]
	}
	for _, run := range alnumRuns(runes) {
		out = append(out, caseSplit(run)...)
	}
	if !strings.ContainsFunc(s, unicode.IsLower) {
		for i, w := range out {
			out[i] = strings.ToLower(w)
		}
	}
	return out
}

// signWord returns "Plus" or "Minus" when runes starts with '+' or '-' and
// has a letter or digit after it, and "" otherwise.
func signWord(runes []rune) string {
	if len(runes) < 2 || !containsAlnum(runes[1:]) {
		return ""
	}
	switch runes[0] {
	case '+':
		return "Plus"
	case '-':
		return "Minus"
	}
	return ""
}

// containsAlnum reports whether any rune is a letter or digit.
func containsAlnum(runes []rune) bool {
	for _, r := range runes {
		if isAlnum(r) {
			return true
		}
	}
	return false
}

// alnumRuns returns the maximal runs of letters and digits in runes.
func alnumRuns(runes []rune) [][]rune {
	var runs [][]rune
	start := -1
	for i, r := range runes {
		switch {
		case isAlnum(r) && start < 0:
			start = i
		case !isAlnum(r) && start >= 0:
			runs = append(runs, runes[start:i])
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, runes[start:])
	}
	return runs
}

// caseSplit splits one run of letters and digits at case boundaries.
func caseSplit(run []rune) []string {
	var out []string
	start := 0
	for i := 1; i < len(run); i++ {
		if wordStartsAt(run, i) {
			out = append(out, string(run[start:i]))
			start = i
		}
	}
	return append(out, string(run[start:]))
}

// wordStartsAt reports whether a new word starts at run[i], i > 0.
func wordStartsAt(run []rune, i int) bool {
	if !unicode.IsUpper(run[i]) {
		return false
	}
	if !unicode.IsUpper(run[i-1]) {
		return true
	}
	return i+1 < len(run) && unicode.IsLower(run[i+1]) && !pluralAt(run, i+1)
}

// pluralAt reports whether run[j] is an "s" that ends the run or is followed
// by a rune that is not lower case: the plural of the acronym before it.
func pluralAt(run []rune, j int) bool {
	return run[j] == 's' && (j+1 == len(run) || !unicode.IsLower(run[j+1]))
}

// title capitalises one word, writing initialisms in their canonical form.
func title(word string) string {
	if s, ok := initialism(word); ok {
		return s
	}
	r := []rune(word)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// join concatenates words, keeping an underscore between two digit groups.
func join(ws []string) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 && endsWithDigit(ws[i-1]) && startsWithDigit(w) {
			b.WriteByte('_')
		}
		b.WriteString(w)
	}
	return b.String()
}

// startsWithDigit reports whether s starts with a digit.
func startsWithDigit(s string) bool {
	for _, r := range s {
		return unicode.IsDigit(r)
	}
	return false
}

// endsWithDigit reports whether s ends with a digit.
func endsWithDigit(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsDigit(r[len(r)-1])
}
