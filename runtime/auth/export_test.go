package auth

import "time"

// SetTokenClock replaces the clock a TokenCredential judges expiry by.
func SetTokenClock(c *TokenCredential, now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// SetFileSecretClock replaces the clock a FileSecretSource ages its value by.
func SetFileSecretClock(f *FileSecretSource, now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}
