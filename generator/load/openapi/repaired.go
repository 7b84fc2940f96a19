package openapi

// Repaired returns the spec text as Load parses it: with the repairs of
// YAML breakage Load makes first (control characters, tab-only lines; see
// repair). For tests that read a spec the way the loader does.
func Repaired(data []byte) []byte {
	data, _ = repair(data)
	return data
}
