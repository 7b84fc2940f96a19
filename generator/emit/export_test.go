package emit

// SetMaxFileBytes sets the size above which types.go and operations.go
// are split, for a test; the returned function restores it.
func SetMaxFileBytes(n int) (restore func()) {
	old := maxFileBytes
	maxFileBytes = n
	return func() { maxFileBytes = old }
}

// Words exposes words to the external tests.
var Words = words
