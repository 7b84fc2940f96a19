package names

// goReserved holds the Go keywords and the predeclared identifiers of the
// universe scope, which generated parameters and locals must not be named.
var goReserved = func() map[string]bool {
	list := []string{
		// Keywords.
		"break", "case", "chan", "const", "continue", "default", "defer",
		"else", "fallthrough", "for", "func", "go", "goto", "if", "import",
		"interface", "map", "package", "range", "return", "select",
		"struct", "switch", "type", "var",
		// Predeclared types.
		"any", "bool", "byte", "comparable", "complex64", "complex128",
		"error", "float32", "float64", "int", "int8", "int16", "int32",
		"int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
		"uint64", "uintptr",
		// Predeclared constants and zero value.
		"true", "false", "iota", "nil",
		// Predeclared functions.
		"append", "cap", "clear", "close", "complex", "copy", "delete",
		"imag", "len", "make", "max", "min", "new", "panic", "print",
		"println", "real", "recover",
	}
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}()

// IsGoReserved reports whether name is a Go keyword or a predeclared
// identifier such as "string", "error" or "len".
func IsGoReserved(name string) bool {
	return goReserved[name]
}

// unshadowed appends an underscore to name when it is reserved by Go.
func unshadowed(name string) string {
	if goReserved[name] {
		return name + "_"
	}
	return name
}
