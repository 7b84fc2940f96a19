package runtime_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// recorder is a loopback server recording each request's headers and query.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newRecorder(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r.Clone(context.Background()))
		rec.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) all() []*http.Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]*http.Request(nil), rec.reqs...)
}

func TestCrossHostRedirectStripsCredentials(t *testing.T) {
	checkGoroutines(t)
	// other is a different origin: same 127.0.0.1, another port. net/http
	// compares host names only, so it would keep Authorization and Cookie
	// here; the runtime drops them, and apiKey headers, HMAC headers and
	// an apiKey query parameter echoed into the Location, too.
	other := newRecorder(t, nil)
	origin := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/landing?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, "/landed?"+r.URL.RawQuery, http.StatusFound)
		default:
			w.Write([]byte(`{}`))
		}
	})
	creds := []runtime.ClientOption{
		runtime.WithCredential("headerKey", auth.APIKey("hk-secret")),
		runtime.WithCredential("queryKey", auth.APIKey("qk-secret")),
		runtime.WithCredential("cookieKey", auth.APIKey("ck-secret")),
		runtime.WithCredential("bearer", auth.BearerToken("bt-secret")),
		runtime.WithCredential("sig", auth.HMAC(auth.HMACConfig{Key: auth.StaticSecret("k"), Header: "X-Sig", KeyID: "kid"})),
	}
	op := &runtime.Operation{ID: "go", Method: "GET", Idempotent: true,
		Security: [][]string{{"headerKey", "queryKey", "cookieKey", "bearer", "sig"}}}
	var userHookCalls int
	for name, opt := range map[string]runtime.ClientOption{
		"default client": nil,
		"caller's client": runtime.WithHTTPClient(&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			userHookCalls++
			return nil
		}}),
	} {
		c := mustClient(t, origin.URL, authSchemes, append(creds, opt)...)
		r := runtime.NewRequest(op, "/away")
		rtimpl.AddQuery(r, "keep", "1", rtimpl.StyleForm, true)
		if resp := do(t, c, r); resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", name, resp.StatusCode)
		}
		landed := other.all()
		got := landed[len(landed)-1]
		for _, h := range []string{"Authorization", "Cookie", "X-Api-Key", "X-Sig", "X-Signature-Key-Id"} {
			if v := got.Header.Get(h); v != "" {
				t.Errorf("%s: cross-origin redirect kept %s: %q", name, h, v)
			}
		}
		if q := got.URL.RawQuery; q != "keep=1" {
			t.Errorf("%s: cross-origin query %q", name, q)
		}

		// A redirect within the origin keeps them.
		r = runtime.NewRequest(op, "/here")
		do(t, c, r)
		seen := origin.all()
		got = seen[len(seen)-1]
		if got.URL.Path != "/landed" || got.Header.Get("X-Api-Key") != "hk-secret" || got.Header.Get("Authorization") != "Bearer bt-secret" ||
			!strings.Contains(got.URL.RawQuery, "api_key=qk-secret") || got.Header.Get("X-Sig") == "" {
			t.Errorf("%s: same-origin redirect: %s %v", name, got.URL, got.Header)
		}
	}
	if userHookCalls != 2 {
		t.Errorf("the caller's CheckRedirect ran %d times, want 2", userHookCalls)
	}
}

func TestPlainHTTPRefused(t *testing.T) {
	checkGoroutines(t)
	srv := newRecorder(t, nil)
	// api.example.test is mapped to the loopback server by the dialer: the
	// runtime sees a non-loopback host, and nothing leaves the machine.
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	defer tr.CloseIdleConnections()
	hc := runtime.WithHTTPClient(&http.Client{Transport: tr})
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	base := "http://api.example.test:" + port
	keyOp := &runtime.Operation{ID: "getKeyed", Method: "GET", Security: [][]string{{"headerKey"}}}
	c := mustClient(t, base, authSchemes, hc, runtime.WithCredential("headerKey", auth.APIKey("k-123")))

	_, err := c.Do(context.Background(), runtime.NewRequest(keyOp, "/"))
	var ie *auth.InsecureCredentialsError
	if !errors.As(err, &ie) || ie.Operation != "getKeyed" || ie.Host != "api.example.test:"+port ||
		!strings.Contains(err.Error(), `"headerKey"`) || !strings.Contains(err.Error(), "WithAllowInsecureCredentials") {
		t.Fatalf("err %v", err)
	}
	if n := len(srv.all()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// Operations without credentials, and optional auth ([{}]) without a
	// configured credential, are not affected.
	anon := &runtime.Operation{ID: "anon", Method: "GET"}
	do(t, c, runtime.NewRequest(anon, "/"))
	// https, allowed explicitly (per client or per call), mutualTLS only: sent.
	do(t, c, runtime.NewRequest(keyOp, "/"), runtime.WithAllowInsecureCredentials(true))
	allowed := mustClient(t, base, authSchemes, hc, runtime.WithCredential("headerKey", auth.APIKey("k-123")),
		runtime.WithAllowInsecureCredentials(true))
	do(t, allowed, runtime.NewRequest(keyOp, "/"))
	mtlsOp := &runtime.Operation{ID: "m", Method: "GET", Security: [][]string{{"mtls"}}}
	do(t, c, runtime.NewRequest(mtlsOp, "/"), runtime.WithCredential("mtls", auth.MutualTLS()))
	seen := srv.all()
	if len(seen) != 4 || seen[1].Header.Get("X-Api-Key") != "k-123" || seen[2].Header.Get("X-Api-Key") != "k-123" {
		t.Errorf("sent %d requests", len(seen))
	}
	// A per-call override back to false refuses again.
	if _, err := allowed.Do(context.Background(), runtime.NewRequest(keyOp, "/"), runtime.WithAllowInsecureCredentials(false)); !errors.As(err, &ie) {
		t.Errorf("per-call false: %v", err)
	}
}
