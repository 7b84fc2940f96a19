package runtime_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// authSchemes are the security schemes of the auth tests.
var authSchemes = []auth.SecurityScheme{
	{Name: "oauth", Type: "oauth2"},
	{Name: "oidc", Type: "openIdConnect"},
	{Name: "bearer", Type: "http", Scheme: "bearer"},
	{Name: "basic", Type: "http", Scheme: "basic"},
	{Name: "headerKey", Type: "apiKey", In: "header", ParamName: "X-API-Key"},
	{Name: "queryKey", Type: "apiKey", In: "query", ParamName: "api_key"},
	{Name: "cookieKey", Type: "apiKey", In: "cookie", ParamName: "session"},
	{Name: "sig", Type: "apiKey", In: "header", ParamName: "X-Signature"},
	{Name: "hmacHTTP", Type: "http", Scheme: "HMAC-SHA256"},
	{Name: "mtls", Type: "mutualTLS"},
}

var (
	oauthGet  = &runtime.Operation{ID: "getMe", Method: "GET", Path: "/me", Idempotent: true, Security: [][]string{{"oauth"}}}
	oauthPost = &runtime.Operation{ID: "createThing", Method: "POST", Path: "/things", Security: [][]string{{"oauth"}}}
)

// tokenServer is an OAuth 2.0 authorization server's token endpoint (RFC
// 6749 §3.2) on loopback, serving the client_credentials (§4.4) and
// refresh_token (§6) grants. It counts fetches and how many run at once,
// and remembers which access tokens it issued, for apiServer to check.
type tokenServer struct {
	*httptest.Server
	clientID, clientSecret string

	mu          sync.Mutex
	fetches     int
	inflight    int
	maxInflight int
	delay       time.Duration // holds each grant, widening races
	expiresIn   int           // 0 omits expires_in
	prefix      string        // access tokens are prefix + sequence number
	seq         int
	valid       map[string]bool // access tokens the API accepts
	refresh     map[string]bool // refresh tokens still usable
	rotate      bool            // issue a new refresh token on every refresh
	failWith    string          // when set, answer 400 with this error code
	echoSecret  bool            // error descriptions repeat the client secret sent
	grants      []string        // grant_type of each fetch
	scopes      []string
	authStyles  []string // "header" or "params" per fetch
}

func newTokenServer(t *testing.T) *tokenServer {
	t.Helper()
	ts := &tokenServer{
		clientID: "client-1", clientSecret: "s3cr3t-value", expiresIn: 3600, prefix: "at-",
		valid: map[string]bool{}, refresh: map[string]bool{},
	}
	ts.Server = httptest.NewServer(http.HandlerFunc(ts.handle))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) tokenURL() string { return ts.URL + "/oauth/token" }

func (ts *tokenServer) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/oauth/token" {
		http.NotFound(w, r)
		return
	}
	ts.mu.Lock()
	ts.fetches++
	ts.inflight++
	ts.maxInflight = max(ts.maxInflight, ts.inflight)
	delay := ts.delay
	ts.mu.Unlock()
	defer func() {
		ts.mu.Lock()
		ts.inflight--
		ts.mu.Unlock()
	}()
	if delay > 0 {
		time.Sleep(delay)
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", "bad form")
		return
	}
	id, secret, style := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), "params"
	if u, p, ok := r.BasicAuth(); ok {
		id, secret, style = u, p, "header"
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	grant := r.PostForm.Get("grant_type")
	ts.grants = append(ts.grants, grant)
	ts.scopes = append(ts.scopes, r.PostForm.Get("scope"))
	ts.authStyles = append(ts.authStyles, style)
	if ts.failWith != "" {
		desc := "no"
		if ts.echoSecret {
			desc = "client " + id + " sent secret " + secret
		}
		oauthError(w, 400, ts.failWith, desc)
		return
	}
	if id != ts.clientID || (secret != ts.clientSecret) {
		w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
		oauthError(w, 401, "invalid_client", "unknown client")
		return
	}
	resp := map[string]any{"token_type": "Bearer"}
	switch grant {
	case "client_credentials":
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !ts.refresh[rt] {
			oauthError(w, 400, "invalid_grant", "refresh token unknown or used")
			return
		}
		if ts.rotate {
			delete(ts.refresh, rt)
			ts.seq++
			next := fmt.Sprintf("rt-%d", ts.seq)
			ts.refresh[next] = true
			resp["refresh_token"] = next
		}
	default:
		oauthError(w, 400, "unsupported_grant_type", grant)
		return
	}
	ts.seq++
	tok := fmt.Sprintf("%s%d", ts.prefix, ts.seq)
	ts.valid[tok] = true
	resp["access_token"] = tok
	if ts.expiresIn > 0 {
		resp["expires_in"] = ts.expiresIn
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(resp)
}

// oauthError writes an RFC 6749 §5.2 error response.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (ts *tokenServer) count() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.fetches
}

func (ts *tokenServer) maxConcurrent() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.maxInflight
}

// revokeAll makes the API reject every token issued so far.
func (ts *tokenServer) revokeAll() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	clear(ts.valid)
}

func (ts *tokenServer) accepts(token string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.valid[token]
}

func (ts *tokenServer) set(f func(ts *tokenServer)) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	f(ts)
}

// apiServer is a resource server (RFC 6750) accepting the tokens ts issued.
type apiServer struct {
	*httptest.Server
	mu     sync.Mutex
	tokens []string // Authorization token of each request
	bodies []string
	hold   func(tok string) // if set, called before answering
}

func newAPIServer(t *testing.T, ts *tokenServer) *apiServer {
	t.Helper()
	a := &apiServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var body strings.Builder
		if r.Body != nil {
			buf := make([]byte, 512)
			for {
				n, err := r.Body.Read(buf)
				body.Write(buf[:n])
				if err != nil {
					break
				}
			}
		}
		a.mu.Lock()
		a.tokens = append(a.tokens, tok)
		a.bodies = append(a.bodies, body.String())
		hold := a.hold
		a.mu.Unlock()
		if hold != nil {
			hold(tok)
		}
		w.Header().Set("Content-Type", "application/json")
		if !ts.accepts(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"invalid_token","token":%q}`, tok)
			return
		}
		fmt.Fprintf(w, `{"ok":true}`)
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *apiServer) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.tokens...)
}

// ccCredential returns a client credentials credential for ts.
func ccCredential(ts *tokenServer, scopes ...string) *auth.TokenCredential {
	return auth.NewClientCredentials(auth.ClientCredentials{
		ClientID:     auth.StaticSecret(ts.clientID),
		ClientSecret: auth.StaticSecret(ts.clientSecret),
		TokenURL:     ts.tokenURL(),
		Scopes:       scopes,
	})
}

// testCA issues certificates for the mTLS tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// client issues a client certificate for cn; it returns PEM cert and key.
func (ca *testCA) client(t *testing.T, cn string, serial int64) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}
