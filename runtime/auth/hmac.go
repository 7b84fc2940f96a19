package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HMAC signature components (see [HMACConfig.Components]).
const (
	HMACMethod       = "method"      // upper-case request method
	HMACHost         = "host"        // lower-case host[:port] of the URL
	HMACPath         = "path"        // escaped path, "/" if empty
	HMACQuery        = "query"       // the raw query string as sent ("" if none)
	HMACTimestamp    = "timestamp"   // Unix seconds, also sent in TimestampHeader
	HMACNonce        = "nonce"       // 128 random bits in hex, also sent in NonceHeader
	HMACBodyDigest   = "body-digest" // lower-case hex of Hash(body); of nothing if no body
	HMACHeaderPrefix = "header:"     // + a header name: its values joined by ", "
)

// DefaultHMACComponents are signed when HMACConfig.Components is empty.
var DefaultHMACComponents = []string{HMACMethod, HMACPath, HMACQuery, HMACTimestamp, HMACBodyDigest}

// HMACConfig configures [HMAC] request signing (RFC 2104). The signed
// string is each component's value followed by "\n", e.g.
// "POST\n/v1/orders\nlimit=5\n1735689600\n<body digest>\n"; credentials
// listed before it in the requirement set are applied first.
type HMACConfig struct {
	Key             SecretSource     // the shared secret, read at each request
	KeyBase64       bool             // Key is standard base64
	KeyID           string           // if set, sent in KeyIDHeader
	Hash            func() hash.Hash // default sha256.New
	Components      []string         // default DefaultHMACComponents
	Header          string           // default: the apiKey scheme's header, or Authorization: <scheme> <sig>
	TimestampHeader string           // default "X-Signature-Timestamp"
	NonceHeader     string           // default "X-Signature-Nonce"
	KeyIDHeader     string           // default "X-Signature-Key-Id"
	Hex             bool             // lower-case hex instead of standard base64
	Now             func() time.Time // default time.Now
}

type hmacCredential struct {
	redacted
	cfg  HMACConfig
	seen seenSecrets
}

// HMAC returns a credential signing requests with cfg, for apiKey, http
// (not basic or bearer) or, with cfg.Header, any scheme.
func HMAC(cfg HMACConfig) Credential {
	if cfg.Hash == nil {
		cfg.Hash = sha256.New
	}
	if len(cfg.Components) == 0 {
		cfg.Components = DefaultHMACComponents
	}
	cfg.Components = append([]string(nil), cfg.Components...)
	if cfg.TimestampHeader == "" {
		cfg.TimestampHeader = "X-Signature-Timestamp"
	}
	if cfg.NonceHeader == "" {
		cfg.NonceHeader = "X-Signature-Nonce"
	}
	if cfg.KeyIDHeader == "" {
		cfg.KeyIDHeader = "X-Signature-Key-Id"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &hmacCredential{cfg: cfg}
}

// Apply signs req and sets the signature headers.
func (c *hmacCredential) Apply(req *http.Request, scheme *SecurityScheme) error {
	header, prefix := c.cfg.Header, ""
	switch {
	case header != "":
	case scheme.Type == "apiKey" && scheme.In == "header":
		header = scheme.ParamName
	case scheme.Type == "http" && !basicScheme(scheme) && !bearerScheme(scheme):
		header, prefix = "Authorization", scheme.Scheme+" "
	default:
		return schemeMismatch("HMAC", scheme)
	}
	key, err := c.key(req)
	if err != nil {
		return err
	}
	payload, err := c.stringToSign(req)
	if err != nil {
		return err
	}
	mac := hmac.New(c.cfg.Hash, key)
	mac.Write(payload)
	sum := mac.Sum(nil)
	sig := base64.StdEncoding.EncodeToString(sum)
	if c.cfg.Hex {
		sig = hex.EncodeToString(sum)
	}
	if c.cfg.KeyID != "" {
		req.Header.Set(c.cfg.KeyIDHeader, c.cfg.KeyID)
	}
	req.Header.Set(header, prefix+sig)
	return nil
}

// key reads and decodes the key.
func (c *hmacCredential) key(req *http.Request) ([]byte, error) {
	s, err := resolve(req.Context(), c.cfg.Key, "HMAC key")
	if err != nil {
		return nil, err
	}
	raw := s.Reveal()
	c.seen.note(raw)
	if !c.cfg.KeyBase64 {
		return []byte(raw), nil
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("auth: HMAC key is not valid base64")
	}
	return key, nil
}

// stringToSign builds the signed string, setting the timestamp and nonce
// headers it covers.
func (c *hmacCredential) stringToSign(req *http.Request) ([]byte, error) {
	var b bytes.Buffer
	for _, comp := range c.cfg.Components {
		switch {
		case comp == HMACMethod:
			b.WriteString(strings.ToUpper(req.Method))
		case comp == HMACHost:
			b.WriteString(strings.ToLower(req.URL.Host))
		case comp == HMACPath:
			p := req.URL.EscapedPath()
			if p == "" {
				p = "/"
			}
			b.WriteString(p)
		case comp == HMACQuery:
			b.WriteString(req.URL.RawQuery)
		case comp == HMACTimestamp:
			ts := strconv.FormatInt(c.cfg.Now().Unix(), 10)
			req.Header.Set(c.cfg.TimestampHeader, ts)
			b.WriteString(ts)
		case comp == HMACNonce:
			var n [16]byte
			_, _ = rand.Read(n[:])
			nonce := hex.EncodeToString(n[:])
			req.Header.Set(c.cfg.NonceHeader, nonce)
			b.WriteString(nonce)
		case comp == HMACBodyDigest:
			d, err := c.bodyDigest(req)
			if err != nil {
				return nil, err
			}
			b.WriteString(d)
		case len(comp) > len(HMACHeaderPrefix) && strings.EqualFold(comp[:len(HMACHeaderPrefix)], HMACHeaderPrefix):
			b.WriteString(strings.TrimSpace(strings.Join(req.Header.Values(comp[len(HMACHeaderPrefix):]), ", ")))
		default:
			return nil, fmt.Errorf("auth: unknown HMAC component %q", comp)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// bodyDigest hashes the body without consuming it: through GetBody when
// the request can be replayed, else by reading it into memory.
func (c *hmacCredential) bodyDigest(req *http.Request) (string, error) {
	h := c.cfg.Hash()
	switch {
	case req.Body == nil || req.Body == http.NoBody:
	case req.GetBody != nil:
		body, err := req.GetBody()
		if err != nil {
			return "", fmt.Errorf("auth: HMAC body digest: %w", err)
		}
		_, err = io.Copy(h, body)
		body.Close()
		if err != nil {
			return "", fmt.Errorf("auth: HMAC body digest: %w", err)
		}
	default:
		data, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return "", fmt.Errorf("auth: HMAC body digest: %w", err)
		}
		h.Write(data)
		req.ContentLength = int64(len(data))
		if len(data) == 0 {
			req.Body, req.GetBody = http.NoBody, nil
			break
		}
		req.Body = io.NopCloser(bytes.NewReader(data))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (c *hmacCredential) secrets() []string { return c.seen.list() }

// credentialHeaders: the signature and key id headers are redacted from
// logs and dropped on cross-origin redirects.
func (c *hmacCredential) credentialHeaders() []string {
	out := []string{c.cfg.KeyIDHeader}
	if c.cfg.Header != "" {
		out = append(out, c.cfg.Header)
	}
	return out
}
