package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// Secret is a secret value (API key, password, token) that prints as
// "REDACTED" with fmt, slog, JSON and text, even nested in a struct; only
// [Secret.Reveal] returns it. The zero Secret is empty.
type Secret struct{ get secret }

// NewSecret wraps value.
func NewSecret(value string) Secret { return Secret{get: newSecret(value)} }

// Reveal returns the value; call it only where the value is sent.
func (s Secret) Reveal() string {
	if s.get == nil {
		return ""
	}
	return s.get()
}

// IsZero reports whether s is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String returns "REDACTED".
func (Secret) String() string { return redactedText }

// GoString returns "REDACTED".
func (Secret) GoString() string { return redactedText }

// Format prints "REDACTED".
func (Secret) Format(f fmt.State, _ rune) { io.WriteString(f, redactedText) }

// LogValue returns "REDACTED".
func (Secret) LogValue() slog.Value { return slog.StringValue(redactedText) }

// MarshalText returns "REDACTED".
func (Secret) MarshalText() ([]byte, error) { return []byte(redactedText), nil }

// SecretSource supplies a secret each time a credential needs it; it must
// be safe for concurrent use and keep values out of its errors.
type SecretSource interface {
	// Secret returns the current value. ctx bounds any I/O.
	Secret(ctx context.Context) (Secret, error)
}

// SecretFunc adapts a function to [SecretSource].
type SecretFunc func(ctx context.Context) (Secret, error)

// Secret calls f(ctx).
func (f SecretFunc) Secret(ctx context.Context) (Secret, error) { return f(ctx) }

// StaticSecret returns a source always supplying value.
func StaticSecret(value string) SecretSource { return staticSource{s: NewSecret(value)} }

type staticSource struct {
	redacted
	s Secret
}

func (s staticSource) Secret(context.Context) (Secret, error) { return s.s, nil }

// SecretError reports a secret that could not be obtained.
type SecretError struct {
	Source string // e.g. `environment variable "API_KEY"`
	Err    error  // e.g. ErrSecretEmpty or a *fs.PathError
}

// ErrSecretEmpty is the cause of a [*SecretError] for an unset or empty source.
var ErrSecretEmpty = errors.New("secret is missing or empty")

// Error returns "auth: secret from <source>: <cause>".
func (e *SecretError) Error() string {
	return fmt.Sprintf("auth: secret from %s: %v", e.Source, e.Err)
}

// Unwrap returns Err.
func (e *SecretError) Unwrap() error { return e.Err }

// EnvSecret reads the environment variable name, trimmed, on every use.
func EnvSecret(name string) SecretSource { return envSource(name) }

type envSource string

func (e envSource) Secret(context.Context) (Secret, error) {
	v := strings.TrimSpace(os.Getenv(string(e)))
	if v == "" {
		return Secret{}, &SecretError{Source: fmt.Sprintf("environment variable %q", string(e)), Err: ErrSecretEmpty}
	}
	return NewSecret(v), nil
}

// DefaultSecretFileMaxAge is how long [FileSecret] reuses a read: 1 s.
const DefaultSecretFileMaxAge = time.Second

// FileSecret reads the file at path, trimmed, again after
// [DefaultSecretFileMaxAge]; a missing or empty file is a [*SecretError].
func FileSecret(path string) *FileSecretSource {
	return &FileSecretSource{Path: path, MaxAge: DefaultSecretFileMaxAge}
}

// FileSecretSource is the source [FileSecret] returns; set its fields
// before first use only.
type FileSecretSource struct {
	redacted
	Path   string
	MaxAge time.Duration // how long a read value is reused; 0: read on every use

	mu   sync.Mutex
	val  Secret
	read time.Time // when val was read; zero if never
	now  func() time.Time
}

// Secret returns the file's trimmed content, read again after MaxAge.
func (f *FileSecretSource) Secret(context.Context) (Secret, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock()
	if !f.read.IsZero() && f.MaxAge > 0 && now.Sub(f.read) < f.MaxAge {
		return f.val, nil
	}
	b, err := os.ReadFile(f.Path)
	src := fmt.Sprintf("file %q", f.Path)
	if err != nil {
		return Secret{}, &SecretError{Source: src, Err: err}
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return Secret{}, &SecretError{Source: src, Err: ErrSecretEmpty}
	}
	f.val, f.read = NewSecret(v), now
	return f.val, nil
}

func (f *FileSecretSource) clock() time.Time {
	if f.now != nil {
		return f.now()
	}
	return time.Now()
}

// CachedSecret asks src at most once per ttl; errors are not cached.
func CachedSecret(src SecretSource, ttl time.Duration) SecretSource {
	return &cachedSource{src: src, ttl: ttl}
}

type cachedSource struct {
	redacted
	src SecretSource
	ttl time.Duration

	mu      sync.Mutex
	val     Secret
	fetched time.Time
	flight  *secretFlight
}

type secretFlight struct {
	done chan struct{}
	val  Secret
	err  error
}

func (c *cachedSource) Secret(ctx context.Context) (Secret, error) {
	c.mu.Lock()
	if !c.fetched.IsZero() && time.Since(c.fetched) < c.ttl {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	f := c.flight
	if f == nil {
		f = &secretFlight{done: make(chan struct{})}
		c.flight = f
		go c.fetch(context.WithoutCancel(ctx), f)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		return Secret{}, ctx.Err()
	}
}

func (c *cachedSource) fetch(ctx context.Context, f *secretFlight) {
	ctx, cancel := context.WithTimeout(ctx, DefaultTokenFetchTimeout)
	defer cancel()
	f.val, f.err = c.src.Secret(ctx)
	c.mu.Lock()
	if f.err == nil {
		c.val, c.fetched = f.val, time.Now()
	}
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
}

// resolve reads src, naming what it is for in the error.
func resolve(ctx context.Context, src SecretSource, what string) (Secret, error) {
	if src == nil {
		return Secret{}, fmt.Errorf("auth: no secret source for the %s", what)
	}
	s, err := src.Secret(ctx)
	if err != nil {
		return Secret{}, fmt.Errorf("auth: reading the %s: %w", what, err)
	}
	return s, nil
}
