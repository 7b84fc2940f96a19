package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/connectorgen/connectorgen/runtime/auth"
)

var (
	headerKey = &auth.SecurityScheme{Name: "headerKey", Type: "apiKey", In: "header", ParamName: "X-API-Key"}
	queryKey  = &auth.SecurityScheme{Name: "queryKey", Type: "apiKey", In: "query", ParamName: "api key"}
	cookieKey = &auth.SecurityScheme{Name: "cookieKey", Type: "apiKey", In: "cookie", ParamName: "session"}
	basic     = &auth.SecurityScheme{Name: "basic", Type: "http", Scheme: "Basic"}
	bearer    = &auth.SecurityScheme{Name: "bearer", Type: "http", Scheme: "bearer"}
	oauth     = &auth.SecurityScheme{Name: "oauth", Type: "oauth2"}
	mtls      = &auth.SecurityScheme{Name: "mtls", Type: "mutualTLS"}
)

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cred   auth.Credential
		scheme *auth.SecurityScheme
		header string // the header to check
		want   string // its value; for query, the raw query
	}{
		{"header key", auth.APIKey("k 1"), headerKey, "X-Api-Key", "k 1"},
		{"query key", auth.APIKey("k 1&x"), queryKey, "", "a=1&api%20key=k%201%26x"},
		{"cookie key", auth.APIKey(`k "1";`), cookieKey, "Cookie", "c=0; session=k%20%221%22%3B"},
		{"basic", auth.Basic("ann", "pw"), basic, "Authorization", "Basic YW5uOnB3"},
		{"basic from", auth.BasicFrom(auth.StaticSecret("ann"), auth.StaticSecret("pw")), basic, "Authorization", "Basic YW5uOnB3"},
		{"bearer", auth.BearerToken("t"), bearer, "Authorization", "Bearer t"},
		{"bearer on oauth2", auth.BearerFrom(auth.StaticSecret("t")), oauth, "Authorization", "Bearer t"},
		{"key from", auth.APIKeyFrom(auth.StaticSecret("k")), headerKey, "X-Api-Key", "k"},
		{"mutual TLS", auth.MutualTLS(), mtls, "Authorization", ""},
	} {
		req := httptest.NewRequest("GET", "https://api.example.test/x?a=1", nil)
		req.Header.Set("Cookie", "c=0")
		if err := tc.cred.Apply(req, tc.scheme); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got := req.URL.RawQuery
		if tc.header != "" {
			got = req.Header.Get(tc.header)
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestApplyWrongScheme(t *testing.T) {
	for name, tc := range map[string]struct {
		cred   auth.Credential
		scheme *auth.SecurityScheme
	}{
		"key on bearer":    {auth.APIKey(canary), bearer},
		"basic on key":     {auth.Basic("u", canary), headerKey},
		"bearer on basic":  {auth.BearerToken(canary), basic},
		"mtls on key":      {auth.MutualTLS(), headerKey},
		"bearer from key":  {auth.BearerFrom(auth.StaticSecret(canary)), headerKey},
		"hmac on basic":    {auth.HMAC(auth.HMACConfig{Key: auth.StaticSecret(canary)}), basic},
		"key bad location": {auth.APIKey(canary), &auth.SecurityScheme{Name: "k", Type: "apiKey", In: "body"}},
	} {
		req := httptest.NewRequest("GET", "https://api.example.test/", nil)
		err := tc.cred.Apply(req, tc.scheme)
		if err == nil || leaks(err.Error()) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.scheme.Name)) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCredentialsPrintRedacted(t *testing.T) {
	creds := map[string]auth.Credential{
		"apiKey": auth.APIKey(canary),
		"basic":  auth.Basic("user", canary),
		"bearer": auth.BearerToken(canary),
		"token":  auth.BearerTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: canary})),
		"hmac":   auth.HMAC(auth.HMACConfig{Key: auth.StaticSecret(canary)}),
	}
	type holder struct {
		Pub  auth.Credential
		priv auth.Credential
		list []auth.Credential
	}
	h := holder{Pub: creds["bearer"], priv: creds["apiKey"], list: []auth.Credential{creds["basic"]}}
	for name, v := range map[string]any{"map": creds, "holder": h, "&holder": &h, "slice": []any{h},
		"config": auth.ClientCredentials{ClientID: auth.StaticSecret(canary), ClientSecret: auth.StaticSecret(canary)}} {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, v); leaks(out) {
				t.Errorf("%s printed with %s leaks: %s", name, verb, out)
			}
		}
	}
	for name, c := range creds {
		if s := c.(fmt.Stringer).String(); s != "REDACTED" {
			t.Errorf("%s.String() = %q", name, s)
		}
	}
}

// TestTokenEarlyRefresh: a cached token is reused until the early-refresh
// window, where one background fetch runs while calls keep the valid
// token; past expiry a call waits for a new one.
func TestTokenEarlyRefresh(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	var fetches atomic.Int32
	var hold atomic.Bool
	release := make(chan struct{})
	cred := auth.BearerTokenFunc(func(ctx context.Context) (*oauth2.Token, error) {
		n := fetches.Add(1)
		if hold.Load() {
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return &oauth2.Token{AccessToken: fmt.Sprintf("at-%d", n), Expiry: clock().Add(120 * time.Second)}, nil
	})
	auth.SetTokenClock(cred, clock)
	send := func() string {
		t.Helper()
		req := httptest.NewRequest("GET", "https://api.example.test/", nil)
		if err := cred.Apply(req, oauth); err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}

	if tok := send(); tok != "at-1" || fetches.Load() != 1 {
		t.Fatalf("first call: token %q, %d fetches", tok, fetches.Load())
	}
	advance(60 * time.Second) // 60 s left: reused
	if tok := send(); tok != "at-1" || fetches.Load() != 1 {
		t.Fatalf("at 60 s: token %q, %d fetches", tok, fetches.Load())
	}
	advance(35 * time.Second) // 25 s left: inside the 30 s early-refresh window
	hold.Store(true)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if tok := send(); tok != "at-1" {
				t.Errorf("a call in the early window waited for the refresh: sent %q", tok)
			}
		})
	}
	wg.Wait()
	if n := fetches.Load(); n != 2 {
		t.Fatalf("%d fetches in the early window, want 2", n)
	}
	hold.Store(false)
	close(release)
	waitFor("the new token", func() bool { return send() == "at-2" })
	// Past expiry (minus the margin): the call waits for a fresh token.
	advance(10 * time.Minute)
	if tok := send(); tok != "at-3" || fetches.Load() != 3 {
		t.Errorf("after expiry: token %q, %d fetches", tok, fetches.Load())
	}
	// Invalidate drops the token it was sent with only.
	req := httptest.NewRequest("GET", "https://api.example.test/", nil)
	req.Header.Set("Authorization", "Bearer at-2")
	if !cred.Invalidate(req) || send() != "at-3" {
		t.Error("Invalidate with a stale token dropped the current one")
	}
	req.Header.Set("Authorization", "Bearer at-3")
	if !cred.Invalidate(req) || send() != "at-4" {
		t.Error("Invalidate with the current token kept it")
	}
}

// TestTokenError: a failed fetch is a *TokenError.
func TestTokenError(t *testing.T) {
	cred := auth.BearerTokenFunc(func(context.Context) (*oauth2.Token, error) {
		return nil, errors.New("upstream said: bad secret " + canary)
	})
	err := cred.Apply(httptest.NewRequest("GET", "https://api.example.test/", nil), oauth)
	var te *auth.TokenError
	if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), "auth: fetching OAuth2 token") {
		t.Fatalf("%T %v", err, err)
	}
}
