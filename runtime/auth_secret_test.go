package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// TestFileSecretCredential: an API key read from a file follows its
// rotation (FileSecretSource's own tests are in package auth).
func TestFileSecretCredential(t *testing.T) {
	checkGoroutines(t)
	path := filepath.Join(t.TempDir(), "key")
	srv := newCapture(t)
	writeAtomic(t, path, []byte("api-key-A"))
	keySrc := &auth.FileSecretSource{Path: path}
	c := mustClient(t, srv.URL, authSchemes, runtime.WithCredential("headerKey", auth.APIKeyFrom(keySrc)))
	op := &runtime.Operation{ID: "k", Method: "GET", Security: [][]string{{"headerKey"}}}
	do(t, c, runtime.NewRequest(op, "/"))
	writeAtomic(t, path, []byte("api-key-B"))
	do(t, c, runtime.NewRequest(op, "/"))
	srv.mu.Lock()
	reqs := append([]seen(nil), srv.reqs...)
	srv.mu.Unlock()
	if reqs[0].Header.Get("X-API-Key") != "api-key-A" || reqs[1].Header.Get("X-API-Key") != "api-key-B" {
		t.Errorf("keys %q %q", reqs[0].Header.Get("X-API-Key"), reqs[1].Header.Get("X-API-Key"))
	}
}

// vault stands in for a secret manager client implementing SecretSource.
type vault struct {
	calls   atomic.Int32
	version atomic.Int32
}

func (v *vault) Secret(ctx context.Context) (auth.Secret, error) {
	v.calls.Add(1)
	select {
	case <-time.After(50 * time.Millisecond):
	case <-ctx.Done():
		return auth.Secret{}, ctx.Err()
	}
	return auth.NewSecret(fmt.Sprintf("vault-v%d", v.version.Load())), nil
}

func TestSourceCredentials(t *testing.T) {
	checkGoroutines(t)
	src := auth.CachedSecret(&vault{}, time.Hour)
	srv := newCapture(t)
	c := mustClient(t, srv.URL, authSchemes,
		runtime.WithCredential("basic", auth.BasicFrom(auth.StaticSecret("ann"), src)),
		runtime.WithCredential("bearer", auth.BearerFrom(auth.SecretFunc(func(context.Context) (auth.Secret, error) {
			return auth.NewSecret("pat-1"), nil
		}))),
		runtime.WithCredential("queryKey", auth.APIKeyFrom(src)),
		runtime.WithCredential("cookieKey", auth.APIKeyFrom(auth.StaticSecret("c v"))))
	for _, tc := range []struct {
		scheme string
		check  func(s seen) bool
	}{
		{"basic", func(s seen) bool { return s.User == "ann" && s.Pass == "vault-v0" }},
		{"bearer", func(s seen) bool { return s.Header.Get("Authorization") == "Bearer pat-1" }},
		{"queryKey", func(s seen) bool { return s.RawQuery == "api_key=vault-v0" }},
		{"cookieKey", func(s seen) bool { return s.Header.Get("Cookie") == "session=c%20v" }},
	} {
		op := &runtime.Operation{ID: tc.scheme, Method: "GET", Security: [][]string{{tc.scheme}}}
		do(t, c, runtime.NewRequest(op, "/"))
		if !tc.check(srv.last(t)) {
			t.Errorf("%s: %+v", tc.scheme, srv.last(t))
		}
	}
	// Wrong scheme types and failing sources.
	for name, cred := range map[string]auth.Credential{
		"apiKey on bearer": auth.APIKeyFrom(src),
		"basic on bearer":  auth.BasicFrom(src, src),
		"bearer failing": auth.BearerFrom(auth.SecretFunc(func(context.Context) (auth.Secret, error) {
			return auth.Secret{}, errors.New("vault sealed")
		})),
		"nil source": auth.BearerFrom(nil),
	} {
		c := mustClient(t, srv.URL, authSchemes, runtime.WithCredential("bearer", cred))
		op := &runtime.Operation{ID: "b", Method: "GET", Security: [][]string{{"bearer"}}}
		if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/")); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
}
