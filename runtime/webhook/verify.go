// Package webhook verifies the signatures of webhook deliveries a partner
// sends to a program: Standard Webhooks, Stripe-Signature, GitHub's
// X-Hub-Signature-256 and a configurable HMAC scheme. Each checks the
// signature in constant time against every active secret (so a secret can
// be rotated without dropping deliveries), checks the delivery's timestamp
// against the scheme's tolerance where the scheme signs one (replays of old
// deliveries fail), and reads secrets through auth.SecretSource, whose
// values never appear in errors.
//
// A receiver reads the body once, capped, and verifies it before decoding:
//
//	body, id, err := webhook.ReadVerified(r, &webhook.Stripe{Secrets: secrets}, webhook.DefaultMaxBodyBytes)
//	if err != nil {
//		http.Error(w, http.StatusText(webhook.Status(err)), webhook.Status(err))
//		return
//	}
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// DefaultMaxBodyBytes caps the body ReadVerified reads: 1 MiB, above the
// largest deliveries of the partners we know (GitHub caps its payloads at
// 25 MB but sends a few KiB; Stripe's events are under 100 KiB).
const DefaultMaxBodyBytes int64 = 1 << 20

// DefaultTolerance is how far a signed timestamp may be from the
// receiver's clock, either way: five minutes, Stripe's and the Standard
// Webhooks specification's value.
const DefaultTolerance = 5 * time.Minute

// Errors of verification, wrapped by the schemes' Verify. None carries a
// secret or the expected signature.
var (
	// ErrNoSignature: the delivery lacks the scheme's signature header
	// (or its timestamp or id header), or it does not parse.
	ErrNoSignature = errors.New("webhook: no signature in the scheme's headers")
	// ErrSignature: no signature of the delivery matches any secret.
	ErrSignature = errors.New("webhook: signature does not match")
	// ErrTimestamp: the signed timestamp is outside the tolerance, in the
	// past (a replay) or in the future.
	ErrTimestamp = errors.New("webhook: signed timestamp outside the tolerance")
	// ErrBodyTooLarge: the body exceeds ReadVerified's limit.
	ErrBodyTooLarge = errors.New("webhook: body exceeds the size limit")
	// ErrNoSecret: the scheme has no secret configured, or a source
	// returned an empty one.
	ErrNoSecret = errors.New("webhook: no secret configured")
)

// Scheme verifies that a delivery (its headers and raw body) was signed by
// the sender, and returns the delivery's id when the scheme carries one in
// a header ("" otherwise). Implementations are safe for concurrent use.
type Scheme interface {
	Verify(ctx context.Context, h http.Header, body []byte) (id string, err error)
}

// ReadVerified reads r's body, at most max bytes (0 or less:
// DefaultMaxBodyBytes; beyond it, ErrBodyTooLarge), verifies it with s,
// and returns it with the delivery's id. It reads the body once; the
// caller decodes only what it returns.
func ReadVerified(r *http.Request, s Scheme, max int64) (body []byte, id string, err error) {
	if max <= 0 {
		max = DefaultMaxBodyBytes
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, "", fmt.Errorf("webhook: reading the body: %w", err)
	}
	if int64(len(body)) > max {
		return nil, "", ErrBodyTooLarge
	}
	id, err = s.Verify(r.Context(), r.Header, body)
	if err != nil {
		return nil, "", err
	}
	return body, id, nil
}

// Status is the HTTP status a receiver answers a delivery that failed
// verification with: 413 for ErrBodyTooLarge, 401 for a signature or
// timestamp that does not verify, 400 for a missing or malformed one, 500
// for ErrNoSecret and other errors (the receiver's fault: the sender
// retries). The status text is all a receiver should send back; the error
// is for its logs.
func Status(err error) int {
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrSignature), errors.Is(err, ErrTimestamp):
		return http.StatusUnauthorized
	case errors.Is(err, ErrNoSignature):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// secrets returns the current values of sources, in order.
func secrets(ctx context.Context, sources []auth.SecretSource) ([]string, error) {
	if len(sources) == 0 {
		return nil, ErrNoSecret
	}
	out := make([]string, 0, len(sources))
	for _, src := range sources {
		if src == nil {
			return nil, ErrNoSecret
		}
		s, err := src.Secret(ctx)
		if err != nil {
			return nil, fmt.Errorf("webhook: reading a secret: %w", err)
		}
		if s.IsZero() {
			return nil, ErrNoSecret
		}
		out = append(out, s.Reveal())
	}
	return out, nil
}

// checkTime returns ErrTimestamp unless ts (Unix seconds) is within tol
// (0: DefaultTolerance) of now() (nil: time.Now).
func checkTime(ts int64, tol time.Duration, now func() time.Time) error {
	if tol <= 0 {
		tol = DefaultTolerance
	}
	n := time.Now
	if now != nil {
		n = now
	}
	d := n().Sub(time.Unix(ts, 0))
	if d > tol || d < -tol {
		return ErrTimestamp
	}
	return nil
}

// StandardWebhooks verifies the Standard Webhooks scheme
// (https://www.standardwebhooks.com: webhook-id, webhook-timestamp and
// webhook-signature headers, "v1,<base64 HMAC-SHA256 of id.timestamp.body>",
// several space-separated signatures allowed), through the specification's
// own Go library (github.com/standard-webhooks/standard-webhooks). The id
// returned is webhook-id.
type StandardWebhooks struct {
	// Secrets are the active signing secrets, "whsec_<base64>" or the
	// bare base64 key; a delivery signed with any of them verifies.
	Secrets []auth.SecretSource
	// Tolerance bounds the signed timestamp's distance from the clock;
	// 0 means DefaultTolerance.
	Tolerance time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Verify implements Scheme.
func (s *StandardWebhooks) Verify(ctx context.Context, h http.Header, body []byte) (string, error) {
	id, ts := h.Get(standardwebhooks.HeaderWebhookID), h.Get(standardwebhooks.HeaderWebhookTimestamp)
	if id == "" || ts == "" || h.Get(standardwebhooks.HeaderWebhookSignature) == "" {
		return "", ErrNoSignature
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", ErrNoSignature
	}
	keys, err := secrets(ctx, s.Secrets)
	if err != nil {
		return "", err
	}
	// The signature before the time: a forged delivery learns nothing of
	// the tolerance.
	verified := false
	for _, k := range keys {
		wh, err := standardwebhooks.NewWebhook(k)
		if err != nil {
			return "", fmt.Errorf("%w: a secret is not base64", ErrNoSecret)
		}
		if wh.VerifyIgnoringTimestamp(body, h) == nil {
			verified = true
			break
		}
	}
	if !verified {
		return "", ErrSignature
	}
	if err := checkTime(t, s.Tolerance, s.Now); err != nil {
		return "", err
	}
	return id, nil
}

// Stripe verifies Stripe's Stripe-Signature header
// ("t=<unix seconds>,v1=<hex HMAC-SHA256 of t.body>", several v1 values
// during a secret's rotation at Stripe), with the endpoint's signing
// secret ("whsec_...", used as is). Stripe carries the event id in the
// body, so Verify returns "".
type Stripe struct {
	Secrets   []auth.SecretSource // the endpoint's signing secrets
	Tolerance time.Duration       // 0: DefaultTolerance (Stripe's libraries' 300 s)
	Now       func() time.Time    // nil: time.Now
}

// Verify implements Scheme.
func (s *Stripe) Verify(ctx context.Context, h http.Header, body []byte) (string, error) {
	ts, sigs, ok := ParseStripeSignature(h.Get("Stripe-Signature"))
	if !ok {
		return "", ErrNoSignature
	}
	keys, err := secrets(ctx, s.Secrets)
	if err != nil {
		return "", err
	}
	t, _ := strconv.ParseInt(ts, 10, 64)
	msg := make([]byte, 0, len(ts)+1+len(body))
	msg = append(append(append(msg, ts...), '.'), body...)
	if !anyMatch(keys, sha256.New, msg, sigs, hex.DecodeString) {
		return "", ErrSignature
	}
	if err := checkTime(t, s.Tolerance, s.Now); err != nil {
		return "", err
	}
	return "", nil
}

// ParseStripeSignature splits a Stripe-Signature header value into its
// timestamp and its v1 signatures (hex), ignoring other schemes (v0) and
// unknown members. ok is false without a decimal timestamp or a v1
// signature.
func ParseStripeSignature(v string) (ts string, v1 []string, ok bool) {
	for _, part := range strings.Split(v, ",") {
		k, val, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			continue
		}
		switch k {
		case "t":
			ts = val
		case "v1":
			v1 = append(v1, val)
		}
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil || len(v1) == 0 {
		return "", nil, false
	}
	return ts, v1, true
}

// GitHub verifies GitHub's X-Hub-Signature-256 header ("sha256=<hex
// HMAC-SHA256 of the body>"). GitHub signs no timestamp: pair it with
// deduplication by the id Verify returns, X-GitHub-Delivery.
type GitHub struct {
	Secrets []auth.SecretSource // the webhook's secrets
}

// Verify implements Scheme.
func (s *GitHub) Verify(ctx context.Context, h http.Header, body []byte) (string, error) {
	sig, ok := strings.CutPrefix(h.Get("X-Hub-Signature-256"), "sha256=")
	if !ok || sig == "" {
		return "", ErrNoSignature
	}
	keys, err := secrets(ctx, s.Secrets)
	if err != nil {
		return "", err
	}
	if !anyMatch(keys, sha256.New, body, []string{sig}, hex.DecodeString) {
		return "", ErrSignature
	}
	return h.Get("X-GitHub-Delivery"), nil
}

// HMAC verifies a scheme of the common shape: a header holding an
// encoded HMAC of the body, or of a message built from the body and a
// signed timestamp (Slack: X-Slack-Signature "v0=" + hex HMAC-SHA256 of
// "v0:" + X-Slack-Request-Timestamp + ":" + body).
type HMAC struct {
	Secrets []auth.SecretSource
	// Header holds the signature, after Prefix (e.g. "sha256=", "v0=");
	// several signatures may be separated by Separator (none when empty).
	Header, Prefix, Separator string
	// Algorithm is "sha256" (the default), "sha512" or "sha1".
	Algorithm string
	// Encoding is "hex" (the default) or "base64".
	Encoding string
	// TimestampHeader, when set, holds the signed Unix time in seconds,
	// checked against Tolerance (0: DefaultTolerance) and Now.
	TimestampHeader string
	Tolerance       time.Duration
	Now             func() time.Time
	// Message builds the signed bytes from the timestamp (the
	// TimestampHeader's value, "" without one) and the body; nil signs
	// the body alone.
	Message func(timestamp string, body []byte) []byte
	// IDHeader names the header holding the delivery id Verify returns.
	IDHeader string
}

// Verify implements Scheme.
func (s *HMAC) Verify(ctx context.Context, h http.Header, body []byte) (string, error) {
	newHash, decode, err := s.codec()
	if err != nil {
		return "", err
	}
	v, ok := strings.CutPrefix(h.Get(s.Header), s.Prefix)
	if !ok || v == "" || s.Header == "" {
		return "", ErrNoSignature
	}
	sigs := []string{v}
	if s.Separator != "" {
		sigs = strings.Split(v, s.Separator)
	}
	ts := ""
	var t int64
	if s.TimestampHeader != "" {
		ts = h.Get(s.TimestampHeader)
		if t, err = strconv.ParseInt(ts, 10, 64); err != nil {
			return "", ErrNoSignature
		}
	}
	keys, err := secrets(ctx, s.Secrets)
	if err != nil {
		return "", err
	}
	msg := body
	if s.Message != nil {
		msg = s.Message(ts, body)
	}
	if !anyMatch(keys, newHash, msg, sigs, decode) {
		return "", ErrSignature
	}
	if s.TimestampHeader != "" {
		if err := checkTime(t, s.Tolerance, s.Now); err != nil {
			return "", err
		}
	}
	if s.IDHeader != "" {
		return h.Get(s.IDHeader), nil
	}
	return "", nil
}

// codec returns the hash and the signature decoding s names.
func (s *HMAC) codec() (func() hash.Hash, func(string) ([]byte, error), error) {
	var newHash func() hash.Hash
	switch s.Algorithm {
	case "", "sha256":
		newHash = sha256.New
	case "sha512":
		newHash = sha512.New
	case "sha1":
		newHash = sha1.New
	default:
		return nil, nil, fmt.Errorf("webhook: HMAC algorithm %q: want sha256, sha512 or sha1", s.Algorithm)
	}
	switch s.Encoding {
	case "", "hex":
		return newHash, hex.DecodeString, nil
	case "base64":
		return newHash, base64.StdEncoding.DecodeString, nil
	}
	return nil, nil, fmt.Errorf("webhook: HMAC encoding %q: want hex or base64", s.Encoding)
}

// anyMatch reports whether any of sigs (encoded, decoded by decode) is
// the HMAC of msg under any of keys, comparing in constant time. Every
// key and signature is tried, so the time taken does not tell which
// matched.
func anyMatch(keys []string, newHash func() hash.Hash, msg []byte, sigs []string, decode func(string) ([]byte, error)) bool {
	var want [][]byte
	for _, sig := range sigs {
		if b, err := decode(strings.TrimSpace(sig)); err == nil && len(b) > 0 {
			want = append(want, b)
		}
	}
	match := 0
	for _, k := range keys {
		got := hmacOf(newHash, k, msg)
		for _, w := range want {
			if hmac.Equal(got, w) {
				match = 1
			}
		}
	}
	return match == 1
}

// Signer signs a delivery as a sender of its scheme would, for tests of
// receivers (a program's own handlers, end to end): it sets the scheme's
// headers on h for body, sent with delivery id id at time at, with the
// first of the scheme's secrets. Every Scheme of this package is a Signer.
type Signer interface {
	Sign(ctx context.Context, h http.Header, id string, body []byte, at time.Time) error
}

// Post signs body with s and posts it to url as JSON, with the delivery id
// id, through client (nil: http.DefaultClient). The caller closes the
// response's body.
func Post(ctx context.Context, client *http.Client, url string, s Signer, id string, body []byte) (*http.Response, error) {
	return PostHeader(ctx, client, url, s, id, body, nil)
}

// PostHeader is [Post] that also sends the header fields of h (a
// provider's event header, such as X-GitHub-Event), set before signing.
func PostHeader(ctx context.Context, client *http.Client, url string, s Signer, id string, body []byte, h http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	req.Header.Set("Content-Type", "application/json")
	if err := s.Sign(ctx, req.Header, id, body, time.Now()); err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	return client.Do(req)
}

// firstSecret returns the first secret's value.
func firstSecret(ctx context.Context, sources []auth.SecretSource) (string, error) {
	keys, err := secrets(ctx, sources)
	if err != nil {
		return "", err
	}
	return keys[0], nil
}

func hmacOf(newHash func() hash.Hash, key string, msg []byte) []byte {
	m := hmac.New(newHash, []byte(key))
	m.Write(msg)
	return m.Sum(nil)
}

// Sign implements Signer: webhook-id, webhook-timestamp, webhook-signature.
func (s *StandardWebhooks) Sign(ctx context.Context, h http.Header, id string, body []byte, at time.Time) error {
	k, err := firstSecret(ctx, s.Secrets)
	if err != nil {
		return err
	}
	wh, err := standardwebhooks.NewWebhook(k)
	if err != nil {
		return fmt.Errorf("%w: a secret is not base64", ErrNoSecret)
	}
	sig, err := wh.Sign(id, at, body)
	if err != nil {
		return err
	}
	h.Set(standardwebhooks.HeaderWebhookID, id)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(standardwebhooks.HeaderWebhookSignature, sig)
	return nil
}

// Sign implements Signer: Stripe-Signature (the id is in Stripe's body,
// not a header, and is not used).
func (s *Stripe) Sign(ctx context.Context, h http.Header, _ string, body []byte, at time.Time) error {
	k, err := firstSecret(ctx, s.Secrets)
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	h.Set("Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(hmacOf(sha256.New, k, append([]byte(ts+"."), body...))))
	return nil
}

// Sign implements Signer: X-Hub-Signature-256 and X-GitHub-Delivery (GitHub
// signs no time).
func (s *GitHub) Sign(ctx context.Context, h http.Header, id string, body []byte, _ time.Time) error {
	k, err := firstSecret(ctx, s.Secrets)
	if err != nil {
		return err
	}
	h.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(hmacOf(sha256.New, k, body)))
	if id != "" {
		h.Set("X-GitHub-Delivery", id)
	}
	return nil
}

// Sign implements Signer: Header (with Prefix), TimestampHeader and
// IDHeader, as configured.
func (s *HMAC) Sign(ctx context.Context, h http.Header, id string, body []byte, at time.Time) error {
	newHash, _, err := s.codec()
	if err != nil {
		return err
	}
	k, err := firstSecret(ctx, s.Secrets)
	if err != nil {
		return err
	}
	ts := ""
	if s.TimestampHeader != "" {
		ts = strconv.FormatInt(at.Unix(), 10)
		h.Set(s.TimestampHeader, ts)
	}
	msg := body
	if s.Message != nil {
		msg = s.Message(ts, body)
	}
	sum := hmacOf(newHash, k, msg)
	enc := hex.EncodeToString(sum)
	if s.Encoding == "base64" {
		enc = base64.StdEncoding.EncodeToString(sum)
	}
	h.Set(s.Header, s.Prefix+enc)
	if s.IDHeader != "" && id != "" {
		h.Set(s.IDHeader, id)
	}
	return nil
}
