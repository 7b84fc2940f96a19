package runtime_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// writeAtomic replaces path's content the way secret mounts rotate: a new
// file renamed over the old one.
func writeAtomic(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestMutualTLSReload(t *testing.T) {
	checkGoroutines(t)
	ca := newTestCA(t)
	var mu sync.Mutex
	var peers []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		peers = append(peers, r.TLS.PeerCertificates[0].Subject.CommonName)
		mu.Unlock()
		w.Header().Set("Connection", "close") // every request makes a new handshake
		fmt.Fprint(w, `{}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	base := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	last := func() string {
		mu.Lock()
		defer mu.Unlock()
		return peers[len(peers)-1]
	}

	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	oneCert, oneKey := ca.client(t, "client-one", 2)
	twoCert, twoKey := ca.client(t, "client-two", 3)
	writeAtomic(t, certFile, oneCert)
	writeAtomic(t, keyFile, oneKey)
	cert, err := auth.ClientCertificateFiles(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	hc := auth.MutualTLSClient(cert, base)
	defer hc.CloseIdleConnections()
	op := &runtime.Operation{ID: "secure", Method: "GET", Security: [][]string{{"mtls"}}}
	c := mustClient(t, srv.URL, authSchemes, runtime.WithHTTPClient(hc), runtime.WithCredential("mtls", cert))
	do(t, c, runtime.NewRequest(op, "/"))
	if got := last(); got != "client-one" {
		t.Fatalf("first handshake presented %q", got)
	}

	// Rotate the files: the next handshake presents the new certificate.
	writeAtomic(t, certFile, twoCert)
	writeAtomic(t, keyFile, twoKey)
	do(t, c, runtime.NewRequest(op, "/"))
	if got := last(); got != "client-two" {
		t.Fatalf("after rotation: %q", got)
	}

	// A half-done rotation (new certificate, old key) keeps the last good
	// pair and reports why.
	writeAtomic(t, certFile, oneCert)
	do(t, c, runtime.NewRequest(op, "/"))
	if got := last(); got != "client-two" || cert.Err() == nil {
		t.Fatalf("mismatched pair: presented %q, Err %v", got, cert.Err())
	}
	writeAtomic(t, keyFile, oneKey)
	do(t, c, runtime.NewRequest(op, "/"))
	if got := last(); got != "client-one" || cert.Err() != nil {
		t.Fatalf("completed rotation: presented %q, Err %v", got, cert.Err())
	}

	// In memory: SetPEM swaps the pair (and stops watching the files).
	if err := cert.SetPEM(twoCert, twoKey); err != nil {
		t.Fatal(err)
	}
	do(t, c, runtime.NewRequest(op, "/"))
	if got := last(); got != "client-two" {
		t.Fatalf("after SetPEM: %q", got)
	}

	// WithMutualTLS and ClientCertificatePEM.
	mem, err := auth.ClientCertificatePEM(oneCert, oneKey)
	if err != nil {
		t.Fatal(err)
	}
	opt := runtime.WithMutualTLS(mem, base)
	c2 := mustClient(t, srv.URL, authSchemes, opt, runtime.WithCredential("mtls", auth.MutualTLS()))
	do(t, c2, runtime.NewRequest(op, "/"))
	if got := last(); got != "client-one" {
		t.Fatalf("WithMutualTLS presented %q", got)
	}

	// Without a client certificate the server refuses the handshake.
	plain := &http.Client{Transport: &http.Transport{TLSClientConfig: base}}
	defer plain.CloseIdleConnections()
	c3 := mustClient(t, srv.URL, authSchemes, runtime.WithHTTPClient(plain), runtime.WithCredential("mtls", auth.MutualTLS()))
	if _, err := c3.Do(context.Background(), runtime.NewRequest(op, "/")); err == nil {
		t.Error("handshake without a client certificate: want error")
	}

	// Bad input.
	if _, err := auth.ClientCertificatePEM(oneCert, twoKey); err == nil {
		t.Error("mismatched PEM pair: want error")
	}
	if _, err := auth.ClientCertificateFiles(filepath.Join(dir, "missing.crt"), keyFile); err == nil {
		t.Error("missing file: want error")
	}
	if s := fmt.Sprintf("%v %+v %#v %s", cert, cert, cert, cert); strings.Contains(s, "PRIVATE") || strings.Count(s, "REDACTED") != 4 {
		t.Errorf("printed %q", s)
	}
	bop := &runtime.Operation{ID: "b", Method: "GET", Security: [][]string{{"bearer"}}}
	c4 := mustClient(t, srv.URL, authSchemes, runtime.WithCredential("bearer", cert))
	if _, err := c4.Do(context.Background(), runtime.NewRequest(bop, "/")); err == nil {
		t.Error("a client certificate on a bearer scheme: want error")
	}
}
