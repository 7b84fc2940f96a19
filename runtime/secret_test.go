package runtime_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// canary is a fake secret that must never show up in printed output.
const canary = "sk_live_CANARY_9f8e7d6c"

// leaks reports whether s contains the canary or its basic-auth encoding.
func leaks(s string) bool {
	b64 := base64.StdEncoding.EncodeToString([]byte("user:" + canary))
	return strings.Contains(s, canary) || strings.Contains(s, b64) ||
		strings.Contains(s, fmt.Sprintf("%x", canary))
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%-8s"}

func TestCredentialsPrintRedacted(t *testing.T) {
	creds := map[string]auth.Credential{
		"apiKey": auth.APIKey(canary),
		"basic":  auth.Basic("user", canary),
		"bearer": auth.BearerToken(canary),
	}
	for name, c := range creds {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, c); leaks(out) || !strings.Contains(out, "REDACTED") {
				t.Errorf("%s printed with %s: %q", name, verb, out)
			}
		}
		if s := c.(fmt.Stringer).String(); s != "REDACTED" {
			t.Errorf("%s.String() = %q", name, s)
		}
	}
	// Inside containers, including unexported fields reached by reflection.
	type holder struct {
		Pub  auth.Credential
		priv auth.Credential
		list []auth.Credential
	}
	h := holder{Pub: creds["bearer"], priv: creds["apiKey"], list: []auth.Credential{creds["basic"]}}
	c := mustClient(t, "https://api.example.com", schemes,
		runtime.WithCredential("bearer", creds["bearer"]),
		runtime.WithCredential("basic", creds["basic"]),
		runtime.WithCredential("headerKey", creds["apiKey"]))
	for _, v := range []any{creds, h, &h, []any{h}, c, *c} {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, v); leaks(out) {
				t.Errorf("%T printed with %s leaks: %s", v, verb, out)
			}
		}
	}
}

func TestSecretsNotInErrors(t *testing.T) {
	srv := newCapture(t)
	// The server echoes the credentials back, as some APIs do in errors.
	srv.setReply(func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid key %s for user:%s"}`, canary, canary)
	})
	ops := map[string]*runtime.Operation{
		"queryKey": {ID: "q", Method: "GET", Security: [][]string{{"queryKey"}}},
		"basic":    {ID: "b", Method: "GET", Security: [][]string{{"basic"}}},
		"bearer":   {ID: "t", Method: "GET", Security: [][]string{{"bearer"}}},
	}
	creds := map[string]auth.Credential{
		"queryKey": auth.APIKey(canary),
		"basic":    auth.Basic("user", canary),
		"bearer":   auth.BearerToken(canary),
	}
	for name, op := range ops {
		c := mustClient(t, srv.URL, schemes, runtime.WithCredential(name, creds[name]))
		resp := do(t, c, runtime.NewRequest(op, "/me"))
		err := resp.Error(nil)
		var ae *runtime.APIError
		errors.As(err, &ae)
		if leaks(err.Error()) || leaks(ae.URL) || !strings.Contains(err.Error(), "REDACTED") {
			t.Errorf("%s: APIError leaks: %q (URL %q)", name, err.Error(), ae.URL)
		}
		if name == "queryKey" && !strings.Contains(srv.last(t).RawQuery, canary) {
			t.Error("the key must still be sent")
		}
		// Wrong scheme type: the error must not print the credential.
		bad := mustClient(t, srv.URL, schemes, runtime.WithCredential("headerKey", creds[name]))
		hop := &runtime.Operation{ID: "h", Method: "GET", Security: [][]string{{"headerKey"}}}
		if name != "queryKey" {
			if _, err := bad.Do(context.Background(), runtime.NewRequest(hop, "/")); err == nil || leaks(err.Error()) {
				t.Errorf("%s on an apiKey scheme: %v", name, err)
			}
		}
	}
	// Transport error with the key in the query and a password in the base URL.
	dead := newCapture(t)
	deadURL := strings.Replace(dead.URL, "http://", "http://user:"+canary+"@", 1)
	dead.Close()
	c := mustClient(t, deadURL, schemes, runtime.WithCredential("queryKey", auth.APIKey(canary)))
	_, err := c.Do(context.Background(), runtime.NewRequest(ops["queryKey"], "/x"))
	if err == nil || leaks(err.Error()) || leaks(fmt.Sprintf("%+v", err)) || leaks(errors.Unwrap(err).Error()) {
		t.Errorf("transport error leaks: %v", err)
	}
	// A failing credential function whose error includes the secret.
	fn := auth.CredentialFunc(func(*http.Request, *auth.SecurityScheme) error {
		return errors.New("refresh failed for " + canary)
	})
	c = mustClient(t, srv.URL, schemes, runtime.WithCredential("bearer", fn), runtime.WithCredential("headerKey", auth.APIKey(canary)))
	if _, err := c.Do(context.Background(), runtime.NewRequest(ops["bearer"], "/")); err == nil || leaks(err.Error()) {
		t.Errorf("credential error leaks: %v", err)
	}
}
