package runtime

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

// Secret is a secret value, such as an API key, a password or a token, that
// prints as "REDACTED" with every fmt verb, in slog records, and as JSON or
// text. Only [Secret.Reveal] returns the value. The zero Secret is empty.
//
// The value lives inside a closure: fmt, which reads unexported struct
// fields by reflection without calling their methods, prints a func as an
// address, so a Secret nested in any struct never prints its value either.
type Secret struct{ get secret }

// NewSecret wraps value. Prefer a [SecretSource] to literals in code.
func NewSecret(value string) Secret { return Secret{get: newSecret(value)} }

// Reveal returns the secret value. Call it only where the value is sent.
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

// GoString returns "REDACTED" (the %#v verb).
func (Secret) GoString() string { return redactedText }

// Format prints "REDACTED" for every verb.
func (Secret) Format(f fmt.State, _ rune) { io.WriteString(f, redactedText) }

// LogValue makes slog print "REDACTED".
func (Secret) LogValue() slog.Value { return slog.StringValue(redactedText) }

// MarshalText encodes "REDACTED" (encoding/json, XML, YAML, ...).
func (Secret) MarshalText() ([]byte, error) { return []byte(redactedText), nil }

// SecretSource supplies a secret when a credential needs it, e.g. on every
// request or token fetch, so rotated secrets are picked up without a
// restart. [EnvSecret] and [FileSecret] read the environment and files; a
// secret manager (HashiCorp Vault, a cloud KMS, ...) is used by implementing
// this interface, typically wrapped in [CachedSecret]. Implementations must
// be safe for concurrent use and keep the value out of their errors.
type SecretSource interface {
	// Secret returns the current value. ctx bounds any I/O.
	Secret(ctx context.Context) (Secret, error)
}

// SecretFunc adapts a function to [SecretSource].
type SecretFunc func(ctx context.Context) (Secret, error)

// Secret calls f(ctx).
func (f SecretFunc) Secret(ctx context.Context) (Secret, error) { return f(ctx) }

// StaticSecret returns a source that always supplies value. It is meant for
// values obtained at run time (a prompt, a secret manager's SDK); secrets
// should not be literals in source code.
func StaticSecret(value string) SecretSource { return staticSource{s: NewSecret(value)} }

type staticSource struct {
	redacted
	s Secret
}

func (s staticSource) Secret(context.Context) (Secret, error) { return s.s, nil }

// SecretError reports a secret that could not be obtained. It names the
// source, never the value.
type SecretError struct {
	// Source describes where the secret was looked for, e.g.
	// `environment variable "API_KEY"` or `file "/run/secrets/key"`.
	Source string
	// Err is the cause, e.g. ErrSecretEmpty or a *fs.PathError.
	Err error
}

// ErrSecretEmpty is the cause of a [*SecretError] for a source that exists
// but holds nothing (an unset variable, an empty file).
var ErrSecretEmpty = errors.New("secret is missing or empty")

// Error returns "runtime: secret from <source>: <cause>".
func (e *SecretError) Error() string {
	return fmt.Sprintf("runtime: secret from %s: %v", e.Source, e.Err)
}

// Unwrap returns Err.
func (e *SecretError) Unwrap() error { return e.Err }

// EnvSecret reads the environment variable name on every use. Surrounding
// white space (a trailing newline, say) is trimmed. An unset or empty
// variable is a [*SecretError] wrapping [ErrSecretEmpty].
func EnvSecret(name string) SecretSource { return envSource(name) }

type envSource string

func (e envSource) Secret(context.Context) (Secret, error) {
	v := strings.TrimSpace(os.Getenv(string(e)))
	if v == "" {
		return Secret{}, &SecretError{Source: fmt.Sprintf("environment variable %q", string(e)), Err: ErrSecretEmpty}
	}
	return NewSecret(v), nil
}

// DefaultSecretFileMaxAge is how long [FileSecret] reuses what it read
// before reading the file again: 1 second.
const DefaultSecretFileMaxAge = time.Second

// FileSecret reads a secret from the file at path (a Kubernetes or Docker
// secret mount, say) with surrounding white space trimmed. The content is
// kept for [DefaultSecretFileMaxAge] and read again after that, so a
// rotated file is used within a second without a restart. A missing,
// unreadable or empty file is a [*SecretError].
func FileSecret(path string) *FileSecretSource {
	return &FileSecretSource{Path: path, MaxAge: DefaultSecretFileMaxAge}
}

// FileSecretSource is the [SecretSource] returned by [FileSecret]. Its
// fields may be set before first use, not after.
type FileSecretSource struct {
	redacted
	// Path is the file to read.
	Path string
	// MaxAge is how long a read value is reused; 0 reads the file on every
	// use.
	MaxAge time.Duration

	mu   sync.Mutex
	val  Secret
	read time.Time // when val was read; zero if never
	now  func() time.Time
}

// Secret returns the file's trimmed content, read again once MaxAge has
// passed since the last read.
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

// CachedSecret wraps a source that is slow or rate limited (a secret
// manager) so it is asked at most once per ttl; concurrent callers share
// one lookup. An error is returned to the callers that waited for it and
// not cached.
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
		return Secret{}, fmt.Errorf("runtime: no secret source for the %s", what)
	}
	s, err := src.Secret(ctx)
	if err != nil {
		return Secret{}, fmt.Errorf("runtime: reading the %s: %w", what, err)
	}
	return s, nil
}
