package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime/webhook"
)

// FuzzParseStripeSignature: the parser never panics, and what it accepts
// has a decimal timestamp and at least one v1 signature taken from the
// input.
func FuzzParseStripeSignature(f *testing.F) {
	for _, seed := range []string{"t=1700000000,v1=ab", "t=1,v0=1,v1=2,v1=3", "v1=", "t=,v1=x", ",,,=,t", "t=9999999999999999999,v1=a"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ts, sigs, ok := webhook.ParseStripeSignature(v)
		if !ok {
			return
		}
		if _, err := strconv.ParseInt(ts, 10, 64); err != nil || len(sigs) == 0 {
			t.Fatalf("accepted %q: t=%q v1=%q", v, ts, sigs)
		}
		for _, s := range sigs {
			if !strings.Contains(v, s) {
				t.Fatalf("signature %q not in %q", s, v)
			}
		}
	})
}

// FuzzVerify: no scheme panics on any header value and body, and none
// verifies a delivery whose signature header is the fuzzer's text (the
// secret is unknown to it; a match would mean a forgery or a bug).
func FuzzVerify(f *testing.F) {
	f.Add("t=1700000000,v1=00", "1700000000", "{}")
	f.Add("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "x", "Hello, World!")
	f.Add("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "1614265330", `{"test": 2432232314}`)
	f.Fuzz(func(t *testing.T, sig, ts, body string) {
		now := func() time.Time { return time.Unix(1700000000, 0) }
		sec := secrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
		h := http.Header{}
		for _, k := range []string{"Stripe-Signature", "X-Hub-Signature-256", "Webhook-Signature", "X-Sig"} {
			h.Set(k, sig)
		}
		h.Set("Webhook-Id", "msg_1")
		h.Set("Webhook-Timestamp", ts)
		h.Set("X-Ts", ts)
		for _, s := range []webhook.Scheme{
			&webhook.Stripe{Secrets: sec, Now: now},
			&webhook.GitHub{Secrets: sec},
			&webhook.StandardWebhooks{Secrets: sec, Now: now},
			&webhook.HMAC{Secrets: sec, Header: "X-Sig", TimestampHeader: "X-Ts", Separator: ",", Encoding: "base64", Now: now},
		} {
			if _, err := s.Verify(context.Background(), h, []byte(body)); err == nil {
				t.Fatalf("%T verified signature %q of %q", s, sig, body)
			}
		}
	})
}

// FuzzMember: Member reads any body and any pointer without panicking;
// a value it finds is the member's text, so a body holding just that
// member as a string gives it back.
func FuzzMember(f *testing.F) {
	f.Add([]byte(`{"type":"pet.adopted","data":{"object":{"id":7}}}`), "/data/object/id")
	f.Add([]byte(`{"a/b":{"~":true}}`), "/a~1b/~0")
	f.Add([]byte(`[1,2]`), "/0")
	f.Add([]byte(`{"x":`), "/x")
	f.Fuzz(func(t *testing.T, body []byte, pointer string) {
		v, ok := webhook.Member(body, pointer)
		if !ok && v != "" {
			t.Fatalf("Member(%q, %q) = %q, false", body, pointer, v)
		}
		if !ok || strings.ContainsAny(pointer[min(1, len(pointer)):], "/~") || !strings.HasPrefix(pointer, "/") {
			return
		}
		js, err := json.Marshal(map[string]string{pointer[1:]: v})
		if err != nil {
			return
		}
		if back, ok := webhook.Member(js, pointer); !ok || back != v {
			t.Fatalf("round trip of %q at %q: %q, %v", v, pointer, back, ok)
		}
	})
}
