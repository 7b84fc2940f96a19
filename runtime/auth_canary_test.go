package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/graphql"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// TestCanaryNeverLeaks uses one canary value as every kind of secret (API
// key, basic password, OAuth2 client secret, access and refresh tokens,
// HMAC key), drives every code path that handles them, and checks that
// the canary shows up in no log record, error, printed value or panic.
func TestCanaryNeverLeaks(t *testing.T) {
	checkGoroutines(t)
	var out strings.Builder // everything that could be shown to a person
	record := func(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) }
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	textLogger := slog.New(slog.NewTextHandler(&logs, nil))
	kinds := map[string]bool{} // dynamic types of the errors seen
	// recordErr prints err and every error it wraps with the verbs people
	// use, the struct behind each pointer too, and logs each through the
	// JSON and text handlers.
	var recordErr func(label string, err error)
	recordErr = func(label string, err error) {
		if err == nil {
			return
		}
		kinds[fmt.Sprintf("%T", err)] = true
		record("%s: %v|%+v|%#v|%s|%q", label, err, err, err, err, err)
		if v := reflect.ValueOf(err); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			e := v.Elem().Interface()
			record("%s: %v|%+v|%#v", label, e, e, e)
		}
		logger.Error(label, "err", err, slog.Any("any", err))
		textLogger.Error(label, "err", err, slog.Any("any", err))
		switch w := err.(type) {
		case interface{ Unwrap() error }:
			recordErr(label+" unwrapped", w.Unwrap())
		case interface{ Unwrap() []error }:
			for _, e := range w.Unwrap() {
				recordErr(label+" unwrapped", e)
			}
		}
	}

	ts := newTokenServer(t)
	ts.set(func(ts *tokenServer) {
		ts.clientSecret, ts.prefix = canary, canary+"-at-"
		ts.refresh[canary+"-rt"] = true
	})
	// The API echoes whatever credentials it got, in headers and body, and
	// rejects tokens the token server no longer accepts.
	api := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		echo := r.Header.Get("Authorization") + " " + r.Header.Get("X-API-Key") + " " + r.URL.RawQuery + " " + r.Header.Get("Cookie")
		w.Header().Set("X-Echo", echo)
		w.Header().Set("Set-Cookie", "s="+canary)
		tok, isBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if isBearer && strings.Contains(tok, "-at-") && !ts.accepts(tok) {
			w.WriteHeader(http.StatusUnauthorized)
		}
		fmt.Fprintf(w, `{"echo":%q}`, echo)
	})

	dir := t.TempDir()
	keyFile := filepath.Join(dir, "api-key")
	os.WriteFile(keyFile, []byte(canary+"\n"), 0o600)
	t.Setenv("CONNECTORGEN_CANARY", canary)

	cc := auth.NewClientCredentials(auth.ClientCredentials{
		ClientID: auth.StaticSecret(ts.clientID), ClientSecret: auth.EnvSecret("CONNECTORGEN_CANARY"), TokenURL: ts.tokenURL(),
	})
	rt := auth.NewRefreshToken(auth.RefreshToken{
		ClientID: auth.StaticSecret(ts.clientID), ClientSecret: auth.FileSecret(keyFile),
		RefreshToken: auth.StaticSecret(canary + "-rt"), TokenURL: ts.tokenURL(),
	})
	hm := auth.HMAC(auth.HMACConfig{Key: auth.StaticSecret(canary), Header: "X-Sig"})
	creds := map[string]auth.Credential{
		"oauth":     cc,
		"oidc":      rt,
		"headerKey": auth.APIKeyFrom(auth.FileSecret(keyFile)),
		"queryKey":  auth.APIKey(canary),
		"cookieKey": auth.APIKeyFrom(auth.CachedSecret(auth.StaticSecret(canary), time.Minute)),
		"basic":     auth.BasicFrom(auth.StaticSecret("user"), auth.StaticSecret(canary)),
		"bearer":    auth.BearerFrom(auth.EnvSecret("CONNECTORGEN_CANARY")),
		"sig":       hm,
	}
	opts := []runtime.ClientOption{runtime.WithLogger(logger)}
	for name, cr := range creds {
		opts = append(opts, runtime.WithCredential(name, cr))
	}
	c := mustClient(t, api.URL, authSchemes, opts...)
	ops := map[string]*runtime.Operation{}
	for name := range creds {
		ops[name] = &runtime.Operation{ID: "op_" + name, Method: "GET", Idempotent: true, Security: [][]string{{name}}}
	}
	ops["all"] = &runtime.Operation{ID: "op_all", Method: "POST", Idempotent: true,
		Security: [][]string{{"headerKey", "queryKey", "cookieKey", "sig", "oauth"}}}

	// 1. Success on every scheme.
	for name, op := range ops {
		resp, err := c.Do(context.Background(), runtime.NewRequest(op, "/ok"))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: status %d, %v", name, resp.StatusCode, err)
		}
		recordErr("ok", resp.Error(nil))
		record("%v|%+v|%#v|%s", resp, resp, resp, resp)
	}
	// 2. The API rejects the tokens: one refresh and resend each.
	ts.revokeAll()
	for _, name := range []string{"oauth", "oidc"} {
		if resp := do(t, c, runtime.NewRequest(ops[name], "/again")); resp.StatusCode != 200 || resp.Attempts != 2 {
			t.Fatalf("%s after revocation: %d in %d attempts", name, resp.StatusCode, resp.Attempts)
		}
	}
	// 3. An API that rejects everything and echoes the credentials back.
	deny := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "denied %s %s", r.Header.Get("Authorization"), r.URL.RawQuery)
	})
	for name, op := range ops {
		resp, err := c.Do(context.Background(), runtime.NewRequest(op, "/deny"), runtime.WithBaseURL(deny.URL))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		record("%v|%+v|%#v|%s", resp, resp, resp, resp)
		err = resp.Error(nil)
		recordErr("401 "+name, err)
		var ae *runtime.APIError
		if errors.As(err, &ae) {
			record("%s %s", ae.URL, ae.Error())
		}
	}
	// 4. Token endpoint failures, the server echoing the secret.
	ts.set(func(ts *tokenServer) { ts.failWith, ts.echoSecret = "server_error", true })
	ts.revokeAll()
	for _, name := range []string{"oauth", "oidc"} {
		_, err := c.Do(context.Background(), runtime.NewRequest(ops[name], "/fail"))
		var te *auth.TokenError
		if !errors.As(err, &te) {
			t.Fatalf("%s: want a TokenError, got %v", name, err)
		}
		record("%v|%+v|%s|%#v|%#v", err, err, err, te, errors.Unwrap(err))
		recordErr("token "+name, err)
	}
	ts.set(func(ts *tokenServer) { ts.failWith = "" })
	// Transport errors with credentials in the URL and query.
	dead := newRecorder(t, nil)
	dead.Close()
	for name, op := range ops {
		_, err := c.Do(context.Background(), runtime.NewRequest(op, "/dead"),
			runtime.WithBaseURL(strings.Replace(dead.URL, "http://", "http://user:"+canary+"@", 1)), runtime.WithMaxRetries(0))
		recordErr("dead "+name, err)
	}
	// 500s until the retries run out (the error wraps the *APIError), with
	// a typed Detail that holds the echoed credentials.
	fail := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"message":"rejected %s %s %s"}`, r.Header.Get("Authorization"), r.Header.Get("X-API-Key"), r.URL.RawQuery)
	})
	for name, op := range ops {
		resp, err := c.Do(context.Background(), runtime.NewRequest(op, "/fail"),
			runtime.WithBaseURL(fail.URL), runtime.WithMaxRetries(1), noWait, runtime.WithoutCircuitBreaker(), runtime.WithStrictDecoding())
		if err != nil {
			t.Fatal(err)
		}
		recordErr("500 "+name, resp.Error(&struct{ Message string }{}))
		recordErr("decode "+name, rtimpl.DecodeJSON(resp, &struct{ Message int }{}))
		// Tolerant (the default): the mistyped member is drift, logged
		// through the client's logger without its value.
		resp, err = c.Do(context.Background(), runtime.NewRequest(op, "/fail"),
			runtime.WithBaseURL(fail.URL), runtime.WithMaxRetries(0), runtime.WithoutCircuitBreaker())
		if err != nil {
			t.Fatal(err)
		}
		if err := rtimpl.DecodeJSON(resp, &struct{ Message int }{}); err != nil {
			t.Errorf("tolerant decode: %v", err)
		}
	}
	if !strings.Contains(logs.String(), "response value does not match the spec") {
		t.Error("no drift warning was logged")
	}
	// The same failures trip the circuit breaker.
	for range 20 {
		resp, err := c.Do(context.Background(), runtime.NewRequest(ops["basic"], "/fail"),
			runtime.WithBaseURL(fail.URL), runtime.WithMaxRetries(0))
		if err != nil {
			recordErr("breaker", err)
			break
		}
		recordErr("500 basic", resp.Error(nil))
	}
	// Errors raised before sending.
	_, err := c.Do(context.Background(), runtime.NewRequest(&runtime.Operation{ID: "op_missing", Method: "GET",
		Security: [][]string{{"nosuch"}}}, "/"))
	recordErr("missing", err)
	_, err = c.Do(context.Background(), runtime.NewRequest(ops["all"], "/"),
		runtime.WithBaseURL("http://user:"+canary+"@api.example.com/?k="+canary))
	recordErr("insecure", err)
	// A server-sent event stream that never ends its event.
	sse := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n", strings.Repeat(r.Header.Get("Authorization"), 100))
	})
	sr := runtime.NewRequest(ops["oauth"], "/events")
	sr.StreamResponse()
	es := runtime.NewEventStream(do(t, c, sr, runtime.WithBaseURL(sse.URL), runtime.WithMaxEventBytes(100)).Stream())
	for range es.All() {
	}
	recordErr("sse", es.Err())
	// A GraphQL server that echoes the credentials in its errors, with 200
	// and with 401.
	for _, status := range []int{200, 401} {
		gql := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			echo := r.Header.Get("Authorization") + " " + r.Header.Get("X-API-Key")
			w.Header().Set("Content-Type", "application/graphql-response+json")
			w.WriteHeader(status)
			b, _ := json.Marshal(map[string]any{"data": nil, "errors": []any{map[string]any{
				"message": "bad credentials " + echo, "path": []any{echo, 1},
				"extensions": map[string]any{"sent": echo, echo: []any{echo}},
			}}})
			w.Write(b)
		})
		gc, err := graphql.NewClient(gql.URL, authSchemes, [][]string{{"headerKey", "bearer"}}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var data any
		err = gc.MakeRequest(context.Background(), &graphql.Request{Query: "query Q { a }", OpName: "Q"}, &graphql.Response{Data: &data})
		recordErr(fmt.Sprintf("graphql %d", status), err)
		var ge *graphql.Error
		if !errors.As(err, &ge) {
			t.Fatalf("graphql %d: %v", status, err)
		}
		record("%v|%+v|%#v|%#v|%#v", ge, ge, ge, ge.Path, ge.Extensions)
	}
	for _, kind := range []string{"*graphql.Errors", "*graphql.Error", "*runtime.APIError", "*auth.TokenError", "*runtime.DecodeError",
		"*runtime.MissingCredentialsError", "*auth.InsecureCredentialsError", "*runtime.EventTooLargeError",
		"*url.Error", "*runtime.requestError", "*runtime.retryError", "*runtime.credentialError"} {
		if !kinds[kind] {
			t.Errorf("no %s was produced; seen %v", kind, kinds)
		}
	}
	// 5. Every credential type and config printed with every verb.
	mtls := newTestCA(t)
	certPEM, keyPEM := mtls.client(t, canary, 9)
	cert, err := auth.ClientCertificatePEM(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	printable := []any{
		auth.APIKey(canary), auth.Basic("user", canary), auth.BearerToken(canary), auth.MutualTLS(),
		auth.BearerTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: canary})),
		auth.BearerTokenFunc(func(context.Context) (*oauth2.Token, error) { return &oauth2.Token{AccessToken: canary}, nil }),
		cert, auth.StaticSecret(canary), auth.FileSecret(keyFile), auth.NewSecret(canary),
		auth.ClientCredentials{ClientID: auth.StaticSecret(canary), ClientSecret: auth.StaticSecret(canary)},
		auth.RefreshToken{RefreshToken: auth.StaticSecret(canary)},
		auth.HMACConfig{Key: auth.StaticSecret(canary)},
		c, *c,
	}
	for _, cr := range creds {
		printable = append(printable, cr)
	}
	for _, v := range printable {
		for _, verb := range verbs {
			record(verb, v)
		}
		logger.Info("value", "v", v)
	}
	// 6. Panics in a Doer, a middleware and a credential, printing the request.
	panics := map[string]runtime.Option{
		"middleware": runtime.WithMiddleware(func(req *http.Request, _ runtime.Doer) (*http.Response, error) {
			panic(fmt.Sprintf("unexpected request %v %v", req.Header, req.URL))
		}),
		"doer": runtime.WithHTTPClient(doerFunc(func(req *http.Request) (*http.Response, error) { panic(req) })),
		"error": runtime.WithHTTPClient(doerFunc(func(req *http.Request) (*http.Response, error) {
			panic(errors.New(req.Header.Get("Authorization")))
		})),
		"credential": runtime.WithCredential("bearer", auth.CredentialFunc(func(req *http.Request, _ *auth.SecurityScheme) error {
			panic("credential saw " + req.URL.String() + " " + canary)
		})),
	}
	for name, opt := range panics {
		targets := []*runtime.Operation{ops["all"], ops["bearer"], ops["basic"]}
		if name == "credential" {
			targets = targets[1:2]
		}
		for _, op := range targets {
			func() {
				defer func() {
					r := recover()
					if r == nil {
						t.Errorf("%s: no panic", name)
					}
					record("%v|%+v|%#v|%s", r, r, r, r)
				}()
				c.Do(context.Background(), runtime.NewRequest(op, "/panic"), opt)
			}()
		}
	}
	// 7. Redirects hand no credential to another host.
	away := newRecorder(t, nil)
	bounce := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, away.URL+"/?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
	})
	do(t, c, runtime.NewRequest(ops["all"], "/bounce"), runtime.WithBaseURL(bounce.URL))
	for _, r := range away.all() {
		record("%v %v", r.Header, r.URL)
	}

	all := out.String() + logs.String()
	if leaks(all) {
		for _, line := range strings.Split(all, "\n") {
			if leaks(line) {
				t.Errorf("leak: %s", line)
			}
		}
	}
	if !strings.Contains(logs.String(), `"level":"DEBUG"`) || !strings.Contains(all, "REDACTED") {
		t.Errorf("the test did not exercise debug logging:\n%s", logs.String())
	}
	// The canary was really sent where it belongs.
	sent := api.all()
	var gotKey, gotToken bool
	for _, r := range sent {
		gotKey = gotKey || r.Header.Get("X-API-Key") == canary
		gotToken = gotToken || strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "+canary+"-at-")
	}
	if !gotKey || !gotToken {
		t.Errorf("credentials not sent: key %v, token %v", gotKey, gotToken)
	}
}
