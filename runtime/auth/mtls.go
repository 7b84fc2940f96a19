package auth

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"

	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
)

// ClientCertificate is a TLS client certificate for "mutualTLS" schemes,
// re-read from its files when they change, and the scheme's [Credential].
type ClientCertificate struct {
	redacted
	certFile, keyFile string // "" for a pair given in memory

	mu       sync.Mutex
	cert     *tls.Certificate
	certStat os.FileInfo
	keyStat  os.FileInfo
	lastErr  error // why the latest change on disk was not loaded
}

// ClientCertificateFiles loads a PEM certificate chain and key from files.
func ClientCertificateFiles(certFile, keyFile string) (*ClientCertificate, error) {
	c := &ClientCertificate{certFile: certFile, keyFile: keyFile}
	if err := c.Reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// ClientCertificatePEM returns a certificate from a PEM chain and key.
func ClientCertificatePEM(certPEM, keyPEM []byte) (*ClientCertificate, error) {
	c := &ClientCertificate{}
	if err := c.SetPEM(certPEM, keyPEM); err != nil {
		return nil, err
	}
	return c, nil
}

// SetPEM replaces the pair for new handshakes and stops watching files.
func (c *ClientCertificate) SetPEM(certPEM, keyPEM []byte) error {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return fmt.Errorf("auth: client certificate: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cert, c.certFile, c.keyFile, c.lastErr = &pair, "", "", nil
	return nil
}

// Reload re-reads the files now, keeping the pair in use if they do not
// load.
func (c *ClientCertificate) Reload() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.certFile == "" {
		return nil
	}
	return c.loadLocked()
}

// loadLocked reads the files; c.mu is held.
func (c *ClientCertificate) loadLocked() error {
	cs, err1 := os.Stat(c.certFile)
	ks, err2 := os.Stat(c.keyFile)
	if err := errors.Join(err1, err2); err != nil {
		c.lastErr = fmt.Errorf("auth: client certificate: %w", err)
		return c.lastErr
	}
	pair, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		c.lastErr = fmt.Errorf("auth: client certificate from %q and %q: %w", c.certFile, c.keyFile, err)
		return c.lastErr
	}
	c.cert, c.certStat, c.keyStat, c.lastErr = &pair, cs, ks, nil
	return nil
}

// changedLocked reports whether either file differs from the one loaded.
func (c *ClientCertificate) changedLocked() bool {
	cs, err1 := os.Stat(c.certFile)
	ks, err2 := os.Stat(c.keyFile)
	if err1 != nil || err2 != nil {
		return false // keep the pair we have until the files are back
	}
	return !sameFile(cs, c.certStat) || !sameFile(ks, c.keyStat)
}

// sameFile compares identity, size and modification time.
func sameFile(a, b os.FileInfo) bool {
	return b != nil && os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// GetClientCertificate returns the current pair (tls.Config hook).
func (c *ClientCertificate) GetClientCertificate(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.certFile != "" && c.changedLocked() {
		_ = c.loadLocked() // on failure keep the previous pair; Err reports why
	}
	if c.cert == nil {
		return nil, errors.New("auth: no client certificate loaded")
	}
	return c.cert, nil
}

// Err returns why changed files did not load; nil if the pair is current.
func (c *ClientCertificate) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

// Apply checks the scheme type.
func (c *ClientCertificate) Apply(_ *http.Request, scheme *SecurityScheme) error {
	if scheme.Type != "mutualTLS" {
		return schemeMismatch("ClientCertificate", scheme)
	}
	return nil
}

// TLSConfig returns a clone of base (nil: TLS 1.2+) presenting c.
func (c *ClientCertificate) TLSConfig(base *tls.Config) *tls.Config {
	var cfg *tls.Config
	if base != nil {
		cfg = base.Clone()
	} else {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	cfg.GetClientCertificate = c.GetClientCertificate
	return cfg
}

// MutualTLSClient returns a new *http.Client presenting cert, with a
// transport like http.DefaultTransport's; it follows at most 10 redirects
// and drops Authorization, Cookie and Referer on one to another origin.
// runtime.WithMutualTLS gives a connector such a client.
func MutualTLSClient(cert *ClientCertificate, base *tls.Config) *http.Client {
	tr := authlink.CloneDefaultTransport()
	tr.TLSClientConfig = cert.TLSConfig(base)
	return &http.Client{Transport: tr, CheckRedirect: authlink.CheckRedirect}
}
