package names

// Exported converts an arbitrary spec string into an exported CamelCase Go
// identifier following the rules in the package documentation, for example
// "source_type_ach_credit_transfer" -> "SourceTypeAchCreditTransfer",
// "x-github-request-id" -> "XGithubRequestID", "+1" -> "Plus1",
// "200" -> "N200" and "" -> "X".
func Exported(s string) string {
	ws := words(s)
	for i, w := range ws {
		ws[i] = title(w)
	}
	return exportable(join(ws))
}

// exportable prefixes name with "N" or "X" unless it starts with an
// upper-case ASCII letter; the empty name becomes "X".
func exportable(name string) string {
	switch {
	case name == "":
		return "X"
	case name[0] >= 'A' && name[0] <= 'Z':
		return name
	case startsWithDigit(name):
		return "N" + name
	}
	return "X" + name
}
