package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
)

func TestSecretNeverPrints(t *testing.T) {
	s := auth.NewSecret(canary)
	if s.Reveal() != canary || s.IsZero() || !(auth.Secret{}).IsZero() {
		t.Fatal("Reveal/IsZero")
	}
	type config struct {
		Name   string
		Token  auth.Secret
		hidden auth.Secret
		Ptr    *auth.Secret
		List   []auth.Secret
		Map    map[string]auth.Secret
	}
	cfg := config{Name: "n", Token: s, hidden: s, Ptr: &s, List: []auth.Secret{s}, Map: map[string]auth.Secret{"k": s}}
	for _, v := range []any{s, &s, cfg, &cfg, []any{cfg}} {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, v); leaks(out) {
				t.Errorf("%T with %s: %s", v, verb, out)
			}
		}
	}
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("cfg", "secret", s, "config", cfg, "ptr", &cfg)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	buf.Write(b)
	if out := buf.String(); leaks(out) || !strings.Contains(out, "REDACTED") {
		t.Errorf("slog/json: %s", out)
	}
}

func TestEnvSecret(t *testing.T) {
	t.Setenv("CONNECTORGEN_TEST_KEY", "  value-1\n")
	src := auth.EnvSecret("CONNECTORGEN_TEST_KEY")
	if s, err := src.Secret(context.Background()); err != nil || s.Reveal() != "value-1" {
		t.Fatalf("%q %v", s.Reveal(), err)
	}
	t.Setenv("CONNECTORGEN_TEST_KEY", "value-2") // read on every use
	if s, _ := src.Secret(context.Background()); s.Reveal() != "value-2" {
		t.Errorf("after change: %q", s.Reveal())
	}
	os.Unsetenv("CONNECTORGEN_TEST_KEY")
	_, err := src.Secret(context.Background())
	var se *auth.SecretError
	if !errors.As(err, &se) || !errors.Is(err, auth.ErrSecretEmpty) || !strings.Contains(err.Error(), `"CONNECTORGEN_TEST_KEY"`) {
		t.Errorf("unset: %v", err)
	}
}

func TestFileSecretRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	os.WriteFile(path, []byte("key-1\n"), 0o600)
	src := auth.FileSecret(path)
	var mu sync.Mutex
	now := time.Now()
	auth.SetFileSecretClock(src, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	get := func() string {
		t.Helper()
		s, err := src.Secret(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s.Reveal()
	}
	if v := get(); v != "key-1" {
		t.Fatalf("%q", v)
	}
	writeAtomic(t, path, []byte("key-2"))
	if v := get(); v != "key-1" {
		t.Errorf("within MaxAge: %q", v)
	}
	advance(auth.DefaultSecretFileMaxAge)
	if v := get(); v != "key-2" {
		t.Errorf("after MaxAge: %q", v)
	}
	// MaxAge 0 reads on every use.
	src0 := &auth.FileSecretSource{Path: path}
	writeAtomic(t, path, []byte("key-3"))
	s, _ := src0.Secret(context.Background())
	writeAtomic(t, path, []byte(" key-4 "))
	s2, _ := src0.Secret(context.Background())
	if s.Reveal() != "key-3" || s2.Reveal() != "key-4" {
		t.Errorf("MaxAge 0: %q %q", s.Reveal(), s2.Reveal())
	}
	// Missing and empty files.
	advance(time.Hour)
	os.Remove(path)
	if _, err := src.Secret(context.Background()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	os.WriteFile(path, []byte("\n \n"), 0o600)
	if _, err := src.Secret(context.Background()); !errors.Is(err, auth.ErrSecretEmpty) {
		t.Errorf("empty: %v", err)
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

func TestCachedSecret(t *testing.T) {
	v := &vault{}
	src := auth.CachedSecret(v, time.Hour)
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s, err := src.Secret(context.Background()); err != nil || s.Reveal() != "vault-v0" {
				t.Errorf("%q %v", s.Reveal(), err)
			}
		}()
	}
	wg.Wait()
	if n := v.calls.Load(); n != 1 {
		t.Errorf("%d lookups for 30 concurrent uses, want 1", n)
	}
	short := auth.CachedSecret(v, time.Nanosecond)
	v.version.Store(1)
	if s, _ := short.Secret(context.Background()); s.Reveal() != "vault-v1" {
		t.Errorf("expired cache: %q", s.Reveal())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := auth.CachedSecret(v, time.Hour).Secret(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}

}
