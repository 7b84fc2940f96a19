package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/webhook"
)

func secrets(values ...string) []auth.SecretSource {
	var out []auth.SecretSource
	for _, v := range values {
		out = append(out, auth.StaticSecret(v))
	}
	return out
}

func at(unix int64) func() time.Time { return func() time.Time { return time.Unix(unix, 0) } }

// outcome names the error class of a verification, for table tests.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, webhook.ErrSignature):
		return "signature"
	case errors.Is(err, webhook.ErrTimestamp):
		return "timestamp"
	case errors.Is(err, webhook.ErrNoSignature):
		return "no signature"
	case errors.Is(err, webhook.ErrNoSecret):
		return "no secret"
	}
	return "other: " + err.Error()
}

// The Standard Webhooks specification's test vector (its libraries' own
// TestWebhookSign): key, id, timestamp, payload and signature.
const (
	swKey  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	swID   = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	swTime = 1614265330
	swBody = `{"test": 2432232314}`
	swSig  = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func swHeader(id, ts, sig string) http.Header {
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", sig)
	return h
}

func TestStandardWebhooks(t *testing.T) {
	ts := fmt.Sprint(swTime)
	for _, tc := range []struct {
		name    string
		secrets []string
		h       http.Header
		body    string
		now     int64
		want    string
	}{
		{"the specification's vector", []string{swKey}, swHeader(swID, ts, swSig), swBody, swTime, "ok"},
		{"among several signatures", []string{swKey}, swHeader(swID, ts, "v1,bm90IGl0 "+swSig), swBody, swTime + 60, "ok"},
		{"a rotated secret: the old one first", []string{"whsec_b2xkIHNlY3JldA==", swKey}, swHeader(swID, ts, swSig), swBody, swTime, "ok"},
		{"tampered body", []string{swKey}, swHeader(swID, ts, swSig), `{"test": 2432232315}`, swTime, "signature"},
		{"tampered id", []string{swKey}, swHeader("msg_other", ts, swSig), swBody, swTime, "signature"},
		{"wrong secret", []string{"whsec_b2xkIHNlY3JldA=="}, swHeader(swID, ts, swSig), swBody, swTime, "signature"},
		{"stale: replayed six minutes later", []string{swKey}, swHeader(swID, ts, swSig), swBody, swTime + 360, "timestamp"},
		{"from the future", []string{swKey}, swHeader(swID, ts, swSig), swBody, swTime - 360, "timestamp"},
		{"timestamp changed to pass the tolerance", []string{swKey}, swHeader(swID, fmt.Sprint(swTime+360), swSig), swBody, swTime + 360, "signature"},
		{"no signature header", []string{swKey}, swHeader(swID, ts, ""), swBody, swTime, "no signature"},
		{"no id", []string{swKey}, swHeader("", ts, swSig), swBody, swTime, "no signature"},
		{"timestamp not a number", []string{swKey}, swHeader(swID, "soon", swSig), swBody, swTime, "no signature"},
		{"no secret", nil, swHeader(swID, ts, swSig), swBody, swTime, "no secret"},
	} {
		s := &webhook.StandardWebhooks{Secrets: secrets(tc.secrets...), Now: at(tc.now)}
		id, err := s.Verify(context.Background(), tc.h, []byte(tc.body))
		if got := outcome(err); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if err == nil && id != swID {
			t.Errorf("%s: id %q, want %q", tc.name, id, swID)
		}
	}
}

// A Stripe-Signature computed independently (Python's hmac module):
// HMAC-SHA256("whsec_test_secret", "1700000000." + body), hex.
const (
	stripeBody = `{"id":"evt_1","type":"customer.created"}`
	stripeSig  = "2146c3ca883db3d5b33f638513d4322fcf955eeb8624ee63937a742c023fe30b"
)

func TestStripe(t *testing.T) {
	h := func(v string) http.Header { return http.Header{"Stripe-Signature": {v}} }
	good := "t=1700000000,v1=" + stripeSig
	for _, tc := range []struct {
		name    string
		secrets []string
		h       http.Header
		body    string
		now     int64
		want    string
	}{
		{"valid", []string{"whsec_test_secret"}, h(good), stripeBody, 1700000000, "ok"},
		{"with a v0 and a second v1, spaces", []string{"whsec_test_secret"}, h("t=1700000000, v0=00, v1=" + strings.Repeat("ab", 32) + ", v1=" + stripeSig), stripeBody, 1700000100, "ok"},
		{"rotated: the new secret second", []string{"whsec_old", "whsec_test_secret"}, h(good), stripeBody, 1700000000, "ok"},
		{"tampered body", []string{"whsec_test_secret"}, h(good), stripeBody + " ", 1700000000, "signature"},
		{"wrong secret", []string{"whsec_other"}, h(good), stripeBody, 1700000000, "signature"},
		{"stale", []string{"whsec_test_secret"}, h(good), stripeBody, 1700000301, "timestamp"},
		{"future", []string{"whsec_test_secret"}, h(good), stripeBody, 1699999699, "timestamp"},
		{"timestamp moved", []string{"whsec_test_secret"}, h("t=1700000300,v1=" + stripeSig), stripeBody, 1700000300, "signature"},
		{"only v0", []string{"whsec_test_secret"}, h("t=1700000000,v0=" + stripeSig), stripeBody, 1700000000, "no signature"},
		{"no header", []string{"whsec_test_secret"}, http.Header{}, stripeBody, 1700000000, "no signature"},
		{"signature not hex", []string{"whsec_test_secret"}, h("t=1700000000,v1=zz"), stripeBody, 1700000000, "signature"},
	} {
		s := &webhook.Stripe{Secrets: secrets(tc.secrets...), Now: at(tc.now)}
		if _, err := s.Verify(context.Background(), tc.h, []byte(tc.body)); outcome(err) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, outcome(err), tc.want)
		}
	}
}

// GitHub's documented example (docs.github.com, "Validating webhook
// deliveries"): secret "It's a Secret to Everybody", payload
// "Hello, World!".
func TestGitHub(t *testing.T) {
	const sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	h := http.Header{"X-Hub-Signature-256": {sig}, "X-Github-Delivery": {"72d3162e-cc78-11e3-81ab-4c9367dc0958"}}
	s := &webhook.GitHub{Secrets: secrets("It's a Secret to Everybody")}
	id, err := s.Verify(context.Background(), h, []byte("Hello, World!"))
	if err != nil || id != "72d3162e-cc78-11e3-81ab-4c9367dc0958" {
		t.Fatalf("documented example: id %q, %v", id, err)
	}
	if _, err := s.Verify(context.Background(), h, []byte("Hello, World?")); outcome(err) != "signature" {
		t.Errorf("tampered body: %v", err)
	}
	rotated := &webhook.GitHub{Secrets: secrets("new secret", "It's a Secret to Everybody")}
	if _, err := rotated.Verify(context.Background(), h, []byte("Hello, World!")); err != nil {
		t.Errorf("rotated: %v", err)
	}
	for _, v := range []string{"", "sha1=757107ea", "sha256="} {
		if _, err := s.Verify(context.Background(), http.Header{"X-Hub-Signature-256": {v}}, []byte("Hello, World!")); outcome(err) != "no signature" {
			t.Errorf("header %q: %v", v, err)
		}
	}
}

// A Slack-style scheme through HMAC; the signature computed with Python's
// hmac module: HMAC-SHA256("slack_secret", "v0:1700000000:" + body).
func TestHMACSlackStyle(t *testing.T) {
	s := &webhook.HMAC{
		Secrets: secrets("slack_secret"), Header: "X-Slack-Signature", Prefix: "v0=",
		TimestampHeader: "X-Slack-Request-Timestamp", Now: at(1700000010),
		Message: func(ts string, body []byte) []byte { return append([]byte("v0:"+ts+":"), body...) },
	}
	h := http.Header{}
	h.Set("X-Slack-Signature", "v0=c0c48e09e122353d8c1a423030625d4a5897c5824def240657a4d368575ec47e")
	h.Set("X-Slack-Request-Timestamp", "1700000000")
	body := []byte("token=x&team_id=T1")
	if _, err := s.Verify(context.Background(), h, body); err != nil {
		t.Fatalf("valid: %v", err)
	}
	s.Now = at(1700000000 + 301)
	if _, err := s.Verify(context.Background(), h, body); outcome(err) != "timestamp" {
		t.Errorf("stale: %v", err)
	}
	bad := &webhook.HMAC{Secrets: secrets("k"), Header: "X-Sig", Algorithm: "md5"}
	if _, err := bad.Verify(context.Background(), http.Header{"X-Sig": {"00"}}, body); err == nil || outcome(err) == "ok" {
		t.Errorf("an unknown algorithm verifies: %v", err)
	}
}

func TestHMACEncodings(t *testing.T) {
	m := hmac.New(sha256.New, []byte("k"))
	m.Write([]byte("body"))
	s := &webhook.HMAC{Secrets: secrets("k"), Header: "X-Sig", Prefix: "sha256=", IDHeader: "X-Id"}
	h := http.Header{"X-Sig": {"sha256=" + hex.EncodeToString(m.Sum(nil))}, "X-Id": {"d1"}}
	if id, err := s.Verify(context.Background(), h, []byte("body")); err != nil || id != "d1" {
		t.Errorf("hex sha256: %q, %v", id, err)
	}
	m5 := hmac.New(sha512.New, []byte("k"))
	m5.Write([]byte("body"))
	s5 := &webhook.HMAC{Secrets: secrets("k"), Header: "X-Sig", Algorithm: "sha512", Encoding: "base64", Separator: " "}
	h5 := http.Header{"X-Sig": {"AAAA " + base64.StdEncoding.EncodeToString(m5.Sum(nil))}}
	if _, err := s5.Verify(context.Background(), h5, []byte("body")); err != nil {
		t.Errorf("base64 sha512, second of two: %v", err)
	}
	if _, err := s5.Verify(context.Background(), h5, []byte("bodY")); outcome(err) != "signature" {
		t.Errorf("base64 sha512, tampered: %v", err)
	}
}

// A secret never appears in an error, whatever fails.
func TestErrorsCarryNoSecret(t *testing.T) {
	const secret = "whsec_canary_Zm9vYmFyYmF6"
	for _, s := range []webhook.Scheme{
		&webhook.Stripe{Secrets: secrets(secret)},
		&webhook.GitHub{Secrets: secrets(secret)},
		&webhook.StandardWebhooks{Secrets: secrets(secret)},
		&webhook.HMAC{Secrets: secrets(secret), Header: "X-Sig"},
	} {
		for _, h := range []http.Header{{}, {"Stripe-Signature": {"t=1,v1=00"}, "X-Hub-Signature-256": {"sha256=00"}, "X-Sig": {"00"},
			"Webhook-Id": {"i"}, "Webhook-Timestamp": {"1"}, "Webhook-Signature": {"v1,AA=="}}} {
			_, err := s.Verify(context.Background(), h, []byte("{}"))
			if err == nil {
				t.Fatalf("%T verified a forged delivery", s)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), "canary") {
				t.Errorf("%T: the secret is in the error %v", s, err)
			}
		}
	}
}

func TestReadVerified(t *testing.T) {
	s := &webhook.GitHub{Secrets: secrets("It's a Secret to Everybody")}
	req := func(body string) *http.Request {
		r := httptest.NewRequest("POST", "/hook", strings.NewReader(body))
		r.Header.Set("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
		return r
	}
	body, _, err := webhook.ReadVerified(req("Hello, World!"), s, 0)
	if err != nil || string(body) != "Hello, World!" {
		t.Fatalf("%q, %v", body, err)
	}
	_, _, err = webhook.ReadVerified(req("Hello, World!"), s, 5)
	if !errors.Is(err, webhook.ErrBodyTooLarge) || webhook.Status(err) != http.StatusRequestEntityTooLarge {
		t.Errorf("over the limit: %v", err)
	}
	_, _, err = webhook.ReadVerified(req("Hello, World?"), s, 0)
	if webhook.Status(err) != http.StatusUnauthorized {
		t.Errorf("tampered: %v, status %d", err, webhook.Status(err))
	}
	r := req("Hello, World!")
	r.Header.Del("X-Hub-Signature-256")
	if _, _, err = webhook.ReadVerified(r, s, 0); webhook.Status(err) != http.StatusBadRequest {
		t.Errorf("unsigned: %v", err)
	}
	if _, _, err = webhook.ReadVerified(req("Hello, World!"), &webhook.GitHub{}, 0); webhook.Status(err) != http.StatusInternalServerError {
		t.Errorf("no secret configured: %v", err)
	}
}

// Each scheme's Sign produces what its Verify (and, for Standard
// Webhooks, the specification's vector) accepts, through Post to a live
// Receiver.
func TestSignRoundTrip(t *testing.T) {
	slack := func(ts string, body []byte) []byte { return append([]byte("v0:"+ts+":"), body...) }
	for _, s := range []interface {
		webhook.Scheme
		webhook.Signer
	}{
		&webhook.StandardWebhooks{Secrets: secrets(swKey)},
		&webhook.Stripe{Secrets: secrets("whsec_test_secret")},
		&webhook.GitHub{Secrets: secrets("gh")},
		&webhook.HMAC{Secrets: secrets("k"), Header: "X-Slack-Signature", Prefix: "v0=", TimestampHeader: "X-Slack-Request-Timestamp", Message: slack},
		&webhook.HMAC{Secrets: secrets("k"), Header: "X-Sig", Algorithm: "sha512", Encoding: "base64", IDHeader: "X-Id"},
	} {
		var got []string
		rc := &webhook.Receiver{Scheme: s, Handle: func(_ context.Context, d *webhook.Delivery) error {
			got = append(got, string(d.Body))
			return nil
		}}
		srv := httptest.NewServer(rc)
		resp, err := webhook.Post(context.Background(), srv.Client(), srv.URL, s, "evt_1", []byte(`{"type":"pet.adopted"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != 200 || len(got) != 1 {
			t.Errorf("%T: status %d, handled %v", s, resp.StatusCode, got)
		}
	}
	// Signing at the vector's time gives the vector's signature.
	h := http.Header{}
	(&webhook.StandardWebhooks{Secrets: secrets(swKey)}).Sign(context.Background(), h, swID, []byte(swBody), time.Unix(swTime, 0))
	if h.Get("webhook-signature") != swSig {
		t.Errorf("Sign: %q, want the vector's %q", h.Get("webhook-signature"), swSig)
	}
}
