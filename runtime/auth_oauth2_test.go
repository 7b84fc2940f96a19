package runtime_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

func TestClientCredentialsOneFetchUnderConcurrency(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	ts.set(func(ts *tokenServer) { ts.delay = 150 * time.Millisecond })
	api := newAPIServer(t, ts)
	cred := ccCredential(ts, "pets:read", "pets:write")
	c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", cred))

	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me"))
			if err == nil && resp.StatusCode != 200 {
				err = resp.Error(nil)
			}
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := ts.count(); got != 1 {
		t.Errorf("%d token fetches for %d concurrent calls, want 1", got, n)
	}
	if got := ts.maxConcurrent(); got != 1 {
		t.Errorf("%d fetches at once, want 1", got)
	}
	seen := api.seen()
	if len(seen) != n {
		t.Fatalf("API saw %d requests", len(seen))
	}
	for _, tok := range seen {
		if tok != "at-1" {
			t.Fatalf("API saw token %q", tok)
		}
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.grants[0] != "client_credentials" || ts.scopes[0] != "pets:read pets:write" || ts.authStyles[0] != "header" {
		t.Errorf("grant %q scope %q auth %q", ts.grants[0], ts.scopes[0], ts.authStyles[0])
	}
}

func TestRefreshOnceOn401(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	api := newAPIServer(t, ts)
	cred := ccCredential(ts)
	c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", cred))
	do(t, c, runtime.NewRequest(oauthGet, "/me"))

	// The API stops accepting at-1 before it expires: one refresh, one
	// resend, even for a POST (the body is sent again intact).
	ts.revokeAll()
	r := runtime.NewRequest(oauthPost, "/things")
	rtimpl.SetJSONBody(r, map[string]int{"n": 7})
	resp := do(t, c, r)
	if resp.StatusCode != 200 || resp.Attempts != 2 {
		t.Fatalf("status %d after %d attempts", resp.StatusCode, resp.Attempts)
	}
	if got := ts.count(); got != 2 {
		t.Errorf("%d token fetches, want 2", got)
	}
	if seen := api.seen(); strings.Join(seen[1:], ",") != "at-1,at-2" {
		t.Errorf("API saw %v", seen)
	}
	api.mu.Lock()
	if b := api.bodies[1:]; b[0] != `{"n":7}` || b[1] != `{"n":7}` {
		t.Errorf("bodies %q", b)
	}
	api.mu.Unlock()

	// Concurrent 401s on the same token: still one refresh. The API holds
	// the requests carrying at-2 until all have arrived.
	ts.revokeAll()
	const n = 20
	var arrived sync.WaitGroup
	arrived.Add(n)
	api.mu.Lock()
	api.hold = func(tok string) {
		if tok == "at-2" {
			arrived.Done()
			arrived.Wait()
		}
	}
	api.mu.Unlock()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp := do(t, c, runtime.NewRequest(oauthGet, "/me")); resp.StatusCode != 200 || resp.Attempts != 2 {
				t.Errorf("status %d, %d attempts", resp.StatusCode, resp.Attempts)
			}
		}()
	}
	wg.Wait()
	if got := ts.count(); got != 3 {
		t.Errorf("%d token fetches after %d concurrent 401s, want 3", got, n)
	}

	// An API that rejects every token: exactly one refresh and one resend,
	// then the 401 is returned.
	api2 := newScript(t, always(401, nil))
	before, c2 := ts.count(), mustClient(t, api2.URL, authSchemes, runtime.WithCredential("oauth", cred))
	resp = do(t, c2, runtime.NewRequest(oauthGet, "/me"))
	if resp.StatusCode != 401 || resp.Attempts != 2 || api2.count() != 2 || ts.count() != before+1 {
		t.Errorf("status %d, %d attempts, API saw %d, %d fetches", resp.StatusCode, resp.Attempts, api2.count(), ts.count()-before)
	}

	// Credentials that cannot refresh are not resent.
	api2.reset()
	c3 := mustClient(t, api2.URL, authSchemes, runtime.WithCredential("bearer", auth.BearerToken("static")))
	bop := &runtime.Operation{ID: "b", Method: "GET", Security: [][]string{{"bearer"}}}
	if resp := do(t, c3, runtime.NewRequest(bop, "/")); resp.Attempts != 1 || api2.count() != 1 {
		t.Errorf("static bearer: %d attempts", resp.Attempts)
	}
}

func TestRefreshTokenGrant(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	ts.set(func(ts *tokenServer) { ts.refresh["rt-0"] = true; ts.rotate = true })
	api := newAPIServer(t, ts)
	var rotated []string
	var mu sync.Mutex
	cred := auth.NewRefreshToken(auth.RefreshToken{
		ClientID: auth.StaticSecret(ts.clientID), ClientSecret: auth.StaticSecret(ts.clientSecret),
		RefreshToken: auth.StaticSecret("rt-0"), TokenURL: ts.tokenURL(), AuthStyle: oauth2.AuthStyleInParams,
		OnRotate: func(s auth.Secret) { mu.Lock(); rotated = append(rotated, s.Reveal()); mu.Unlock() },
	})
	oidcOp := &runtime.Operation{ID: "userinfo", Method: "GET", Security: [][]string{{"oidc"}}}
	c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", cred), runtime.WithCredential("oidc", cred))
	do(t, c, runtime.NewRequest(oauthGet, "/me"))
	do(t, c, runtime.NewRequest(oidcOp, "/userinfo"))
	ts.revokeAll()
	if resp := do(t, c, runtime.NewRequest(oauthGet, "/me")); resp.StatusCode != 200 {
		t.Fatalf("after revocation: %d", resp.StatusCode)
	}
	ts.mu.Lock()
	grants, styles := strings.Join(ts.grants, ","), strings.Join(ts.authStyles, ",")
	ts.mu.Unlock()
	if grants != "refresh_token,refresh_token" || styles != "params,params" {
		t.Errorf("grants %s, auth styles %s", grants, styles)
	}
	// rt-0 was used once and rotated to rt-1, which the second refresh used
	// (the server forgets used refresh tokens) and rotated to rt-3.
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(rotated, ",") != "rt-1,rt-3" {
		t.Errorf("rotated %v", rotated)
	}
	if seen := api.seen(); strings.Join(seen, ",") != "at-2,at-2,at-2,at-4" {
		t.Errorf("API saw %v", seen)
	}
}

func TestTokenEndpointFailures(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	api := newAPIServer(t, ts)
	bad := auth.NewClientCredentials(auth.ClientCredentials{
		ClientID: auth.StaticSecret(ts.clientID), ClientSecret: auth.StaticSecret("wrong-secret-42"),
		TokenURL: ts.tokenURL(), AuthStyle: oauth2.AuthStyleInHeader,
	})
	c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", bad))
	_, err := c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me"))
	var te *auth.TokenError
	if !errors.As(err, &te) || te.StatusCode != 401 || te.ErrorCode != "invalid_client" || te.TokenURL != ts.tokenURL() {
		t.Fatalf("err %v (%#v)", err, te)
	}
	if !strings.Contains(err.Error(), "getMe: applying credential for \"oauth\"") || strings.Contains(err.Error(), "wrong-secret-42") {
		t.Errorf("message %q", err)
	}
	if len(api.seen()) != 0 {
		t.Error("the API must not be called without a token")
	}

	// The server echoes the secret in its error description.
	ts.set(func(ts *tokenServer) { ts.failWith, ts.echoSecret = "invalid_scope", true })
	_, err = c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me"))
	if !errors.As(err, &te) || te.ErrorCode != "invalid_scope" || strings.Contains(te.Description, "wrong-secret-42") ||
		strings.Contains(err.Error(), "wrong-secret-42") || !strings.Contains(err.Error(), "REDACTED") {
		t.Errorf("echoed secret: %v (%q)", err, te.Description)
	}

	// Unreachable token endpoint: a transport cause, reachable with errors.As.
	dead := newScript(t, always(200, nil))
	dead.Close()
	gone := auth.NewClientCredentials(auth.ClientCredentials{
		ClientID: auth.StaticSecret("x"), ClientSecret: auth.StaticSecret("y"), TokenURL: dead.URL + "/token",
	})
	c = mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", gone))
	_, err = c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me"))
	var op *net.OpError
	if !errors.As(err, &te) || te.StatusCode != 0 || !errors.As(err, &op) {
		t.Errorf("dead endpoint: %v", err)
	}

	// A missing secret: a *SecretError naming the variable.
	t.Setenv("CONNECTORGEN_TEST_UNSET", "")
	noSecret := auth.NewClientCredentials(auth.ClientCredentials{
		ClientID: auth.StaticSecret("x"), ClientSecret: auth.EnvSecret("CONNECTORGEN_TEST_UNSET"), TokenURL: ts.tokenURL(),
	})
	c = mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", noSecret))
	_, err = c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me"))
	var se *auth.SecretError
	if !errors.As(err, &se) || !errors.Is(err, auth.ErrSecretEmpty) || !strings.Contains(err.Error(), "CONNECTORGEN_TEST_UNSET") {
		t.Errorf("missing secret: %v", err)
	}

	// Redirects from the token endpoint are not followed.
	redir := newScript(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, ts.tokenURL(), http.StatusTemporaryRedirect)
	})
	before := ts.count()
	moved := auth.NewClientCredentials(auth.ClientCredentials{
		ClientID: auth.StaticSecret(ts.clientID), ClientSecret: auth.StaticSecret(ts.clientSecret), TokenURL: redir.URL + "/token",
	})
	c = mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", moved))
	if _, err = c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me")); !errors.As(err, &te) || te.StatusCode != 307 || ts.count() != before {
		t.Errorf("redirected token endpoint: %v, %d fetches", err, ts.count()-before)
	}
}

func TestTokenWaitEndsWithContext(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	ts.set(func(ts *tokenServer) { ts.delay = 300 * time.Millisecond })
	api := newAPIServer(t, ts)
	cred := ccCredential(ts)
	c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", cred))

	// One caller gives up; another waiting on the same fetch still gets the
	// token, and only one fetch runs.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		do(t, c, runtime.NewRequest(oauthGet, "/me"))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, runtime.NewRequest(oauthGet, "/me"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 250*time.Millisecond {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
	wg.Wait()
	if ts.count() != 1 {
		t.Errorf("%d fetches", ts.count())
	}
}

func TestBearerTokenSourceAndFunc(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	api := newAPIServer(t, ts)
	ts.set(func(ts *tokenServer) { ts.valid["static-tok"] = true })
	c := mustClient(t, api.URL, authSchemes,
		runtime.WithCredential("bearer", auth.BearerTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "static-tok"}))))
	bop := &runtime.Operation{ID: "b", Method: "GET", Security: [][]string{{"bearer"}}}
	if resp := do(t, c, runtime.NewRequest(bop, "/")); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}

	// A func that always fetches: called once, then again after a 401.
	var calls atomic.Int32
	fn := auth.BearerTokenFunc(func(ctx context.Context) (*oauth2.Token, error) {
		n := calls.Add(1)
		tok := "fn-" + string(rune('0'+n))
		ts.set(func(ts *tokenServer) { ts.valid[tok] = true })
		return &oauth2.Token{AccessToken: tok, Expiry: time.Now().Add(time.Hour)}, nil
	})
	c = mustClient(t, api.URL, authSchemes, runtime.WithCredential("bearer", fn))
	do(t, c, runtime.NewRequest(bop, "/"))
	do(t, c, runtime.NewRequest(bop, "/"))
	ts.revokeAll()
	if resp := do(t, c, runtime.NewRequest(bop, "/")); resp.StatusCode != 200 || calls.Load() != 2 {
		t.Errorf("status %d, %d fetches", resp.StatusCode, calls.Load())
	}
	// A func returning an empty token or panicking fails the call with a
	// *TokenError, without crashing the fetching goroutine.
	for name, f := range map[string]auth.TokenFunc{
		"empty": func(context.Context) (*oauth2.Token, error) { return &oauth2.Token{}, nil },
		"panic": func(context.Context) (*oauth2.Token, error) { panic("token source exploded") },
	} {
		c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("bearer", auth.BearerTokenFunc(f)))
		var te *auth.TokenError
		if _, err := c.Do(context.Background(), runtime.NewRequest(bop, "/")); !errors.As(err, &te) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Scheme checks.
	basicOp := &runtime.Operation{ID: "x", Method: "GET", Security: [][]string{{"basic"}}}
	c = mustClient(t, api.URL, authSchemes, runtime.WithCredential("basic", fn))
	if _, err := c.Do(context.Background(), runtime.NewRequest(basicOp, "/")); err == nil {
		t.Error("a token credential on a basic scheme: want error")
	}
}

func TestInsecureTokenURL(t *testing.T) {
	checkGoroutines(t)
	ts := newTokenServer(t)
	api := newAPIServer(t, ts)
	// auth.example.test resolves nowhere: the dialer maps it to the loopback
	// token server, so nothing leaves the machine.
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, ts.Listener.Addr().String())
	}}
	defer tr.CloseIdleConnections()
	cfg := auth.ClientCredentials{
		ClientID: auth.StaticSecret(ts.clientID), ClientSecret: auth.StaticSecret(ts.clientSecret),
		TokenURL: "http://auth.example.test/oauth/token", HTTPClient: &http.Client{Transport: tr},
	}
	c := mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", auth.NewClientCredentials(cfg)))
	_, err := c.Do(context.Background(), runtime.NewRequest(oauthGet, "/me"))
	var ie *auth.InsecureCredentialsError
	if !errors.As(err, &ie) || ie.Host != "auth.example.test" || ts.count() != 0 {
		t.Fatalf("err %v, %d fetches", err, ts.count())
	}
	cfg.AllowInsecureTokenURL = true
	c = mustClient(t, api.URL, authSchemes, runtime.WithCredential("oauth", auth.NewClientCredentials(cfg)))
	if resp := do(t, c, runtime.NewRequest(oauthGet, "/me")); resp.StatusCode != 200 || ts.count() != 1 {
		t.Errorf("allowed: status %d, %d fetches", resp.StatusCode, ts.count())
	}
}
