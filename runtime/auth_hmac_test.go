package runtime_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// hmacVerifier is a server that checks request signatures the way an API
// documenting the scheme would, independently of the runtime's code.
type hmacVerifier struct {
	*httptest.Server
	key        []byte
	hash       func() hash.Hash
	components []string
	header     string // where the signature is
	prefix     string // before the signature in that header
	hex        bool
	now        time.Time

	mu       sync.Mutex
	verified int
	failures []string
}

func newHMACVerifier(t *testing.T, v *hmacVerifier) *hmacVerifier {
	t.Helper()
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := v.verify(r, body); err != nil {
			v.mu.Lock()
			v.failures = append(v.failures, err.Error())
			v.mu.Unlock()
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		v.mu.Lock()
		v.verified++
		v.mu.Unlock()
		io.WriteString(w, `{}`)
	}))
	t.Cleanup(v.Close)
	return v
}

func (v *hmacVerifier) verify(r *http.Request, body []byte) error {
	var b strings.Builder
	for _, comp := range v.components {
		switch comp {
		case "method":
			b.WriteString(r.Method)
		case "host":
			b.WriteString(r.Host)
		case "path":
			b.WriteString(r.URL.EscapedPath())
		case "query":
			b.WriteString(r.URL.RawQuery)
		case "timestamp":
			ts, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
			if err != nil || time.Unix(ts, 0).Sub(v.now).Abs() > 5*time.Minute {
				return fmt.Errorf("bad timestamp %q", r.Header.Get("X-Signature-Timestamp"))
			}
			b.WriteString(r.Header.Get("X-Signature-Timestamp"))
		case "nonce":
			if len(r.Header.Get("X-Signature-Nonce")) != 32 {
				return fmt.Errorf("bad nonce")
			}
			b.WriteString(r.Header.Get("X-Signature-Nonce"))
		case "body-digest":
			h := v.hash()
			h.Write(body)
			b.WriteString(hex.EncodeToString(h.Sum(nil)))
		default:
			name, _ := strings.CutPrefix(comp, "header:")
			b.WriteString(r.Header.Get(name))
		}
		b.WriteByte('\n')
	}
	mac := hmac.New(v.hash, v.key)
	mac.Write([]byte(b.String()))
	want := mac.Sum(nil)
	got, ok := strings.CutPrefix(r.Header.Get(v.header), v.prefix)
	if !ok {
		return fmt.Errorf("no %s signature", v.header)
	}
	var sig []byte
	var err error
	if v.hex {
		sig, err = hex.DecodeString(got)
	} else {
		sig, err = base64.StdEncoding.DecodeString(got)
	}
	if err != nil || !hmac.Equal(sig, want) {
		return fmt.Errorf("signature mismatch over %q", b.String())
	}
	return nil
}

func TestHMACSigning(t *testing.T) {
	checkGoroutines(t)
	now := time.Now()
	clock := func() time.Time { return now }

	// Defaults: SHA-256 over method, path, query, timestamp and body
	// digest, base64, in the apiKey scheme's header.
	v := newHMACVerifier(t, &hmacVerifier{
		key: []byte("hmac-key-1"), hash: sha256.New, header: "X-Signature", now: now,
		components: []string{"method", "path", "query", "timestamp", "body-digest"},
	})
	op := &runtime.Operation{ID: "createOrder", Method: "POST", Idempotent: true, Security: [][]string{{"queryKey", "sig"}}}
	c := mustClient(t, v.URL+"/v1", authSchemes,
		runtime.WithCredential("queryKey", auth.APIKey("qk")),
		runtime.WithCredential("sig", auth.HMAC(auth.HMACConfig{Key: auth.StaticSecret("hmac-key-1"), Now: clock})))
	r := runtime.NewRequest(op, "/orders/a%2Fb")
	rtimpl.AddQuery(r, "limit", 5, rtimpl.StyleForm, true)
	rtimpl.SetJSONBody(r, map[string]string{"item": "tea"})
	if resp := do(t, c, r); resp.StatusCode != 200 {
		t.Fatalf("default config: %d %v", resp.StatusCode, v.failures)
	}
	// A body that cannot be replayed is read once and still signed.
	r = runtime.NewRequest(op, "/orders")
	r.SetBody("text/plain", io.MultiReader(strings.NewReader("streamed "), strings.NewReader("body")))
	if resp := do(t, c, r); resp.StatusCode != 200 {
		t.Fatalf("streamed body: %d %v", resp.StatusCode, v.failures)
	}
	// No body.
	get := &runtime.Operation{ID: "get", Method: "GET", Security: [][]string{{"sig"}}}
	if resp := do(t, c, runtime.NewRequest(get, "/x")); resp.StatusCode != 200 {
		t.Fatalf("no body: %d %v", resp.StatusCode, v.failures)
	}

	// SHA-512, hex, a base64 key, selected headers, host and nonce, in
	// Authorization for an http scheme "HMAC-SHA256".
	key := []byte{0, 1, 2, 250, 251, 252}
	v2 := newHMACVerifier(t, &hmacVerifier{
		key: key, hash: sha512.New, header: "Authorization", prefix: "HMAC-SHA256 ", hex: true, now: now,
		components: []string{"method", "host", "path", "header:Content-Type", "header:X-Tenant", "nonce", "timestamp", "body-digest"},
	})
	op2 := &runtime.Operation{ID: "put", Method: "PUT", Security: [][]string{{"hmacHTTP"}}}
	c2 := mustClient(t, v2.URL, authSchemes, runtime.WithHeader("X-Tenant", "acme"),
		runtime.WithCredential("hmacHTTP", auth.HMAC(auth.HMACConfig{
			Key: auth.StaticSecret(base64.StdEncoding.EncodeToString(key)), KeyBase64: true, Hash: sha512.New, Hex: true,
			Components: []string{auth.HMACMethod, auth.HMACHost, auth.HMACPath, "header:Content-Type", "header:X-Tenant",
				auth.HMACNonce, auth.HMACTimestamp, auth.HMACBodyDigest},
			Now: clock,
		})))
	r = runtime.NewRequest(op2, "/things/1")
	r.SetBody("application/octet-stream", bytes.NewReader([]byte{1, 2, 3}))
	if resp := do(t, c2, r); resp.StatusCode != 200 {
		t.Fatalf("custom config: %d %v", resp.StatusCode, v2.failures)
	}

	// A tampered request fails verification: the signature covers the path.
	tamper := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		req.URL.Path, req.URL.RawPath = "/v1/orders/other", ""
		return next.Do(req)
	}
	if resp := do(t, c, runtime.NewRequest(get, "/x"), runtime.WithMiddleware(tamper)); resp.StatusCode != 401 {
		t.Errorf("tampered path accepted: %d", resp.StatusCode)
	}
	v.mu.Lock()
	if v.verified != 3 {
		t.Errorf("verified %d", v.verified)
	}
	v.mu.Unlock()

	// Errors: unknown component, bad base64 key, scheme mismatch, missing key.
	for name, cfg := range map[string]auth.HMACConfig{
		"component": {Key: auth.StaticSecret("k"), Components: []string{"bogus"}},
		"base64":    {Key: auth.StaticSecret("not base64!"), KeyBase64: true},
		"key":       {Key: auth.EnvSecret("CONNECTORGEN_TEST_NO_SUCH_VAR")},
	} {
		c := mustClient(t, v.URL, authSchemes, runtime.WithCredential("sig", auth.HMAC(cfg)))
		if _, err := c.Do(context.Background(), runtime.NewRequest(get, "/")); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
	bop := &runtime.Operation{ID: "b", Method: "GET", Security: [][]string{{"bearer"}}}
	c3 := mustClient(t, v.URL, authSchemes, runtime.WithCredential("bearer", auth.HMAC(auth.HMACConfig{Key: auth.StaticSecret("k")})))
	if _, err := c3.Do(context.Background(), runtime.NewRequest(bop, "/")); err == nil {
		t.Error("HMAC on a bearer scheme without Header: want error")
	}
}
