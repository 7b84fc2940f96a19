package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

func TestNewClientBaseURL(t *testing.T) {
	for _, bad := range []string{"", "/v1", "api.example.com", "ftp://x.com", "https://", "http://a b.com", "%zz"} {
		if _, err := runtime.NewClient(bad, nil); err == nil {
			t.Errorf("NewClient(%q): want error", bad)
		}
	}
	if _, err := runtime.NewClient("", nil, runtime.WithBaseURL("https://api.example.com/v1")); err != nil {
		t.Errorf("WithBaseURL should override an empty default: %v", err)
	}
	if _, err := runtime.NewClient("https://ok.example.com", nil, runtime.WithBaseURL("::bad")); err == nil {
		t.Error("a bad WithBaseURL must fail")
	}
}

func TestBaseURLJoining(t *testing.T) {
	srv := newCapture(t)
	cases := []struct{ base, path, want string }{
		{"", "/pets/1", "/pets/1"},
		{"/", "/pets/1", "/pets/1"},
		{"/v1", "/pets/1", "/v1/pets/1"},
		{"/v1/", "/pets/1", "/v1/pets/1"},
		{"/v1//", "//pets/1", "/v1/pets/1"},
		{"/v1", "pets/1", "/v1/pets/1"},
		{"/v1", "/pets/", "/v1/pets/"},
		{"/a%2Fb", "/pets", "/a%2Fb/pets"},
	}
	for _, tc := range cases {
		c := mustClient(t, srv.URL+tc.base, nil)
		do(t, c, runtime.NewRequest(getPet, tc.path))
		if got := srv.last(t).RequestURI; got != tc.want {
			t.Errorf("base %q + %q = %q, want %q", tc.base, tc.path, got, tc.want)
		}
	}
	// Per-call base URL override leaves the client alone.
	c := mustClient(t, "https://unused.invalid/v1", nil)
	do(t, c, runtime.NewRequest(getPet, "/pets"), runtime.WithBaseURL(srv.URL+"/v2"))
	if got := srv.last(t).RequestURI; got != "/v2/pets" {
		t.Errorf("per-call base = %q", got)
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(getPet, "/pets"), runtime.WithBaseURL("::")); err == nil {
		t.Error("bad per-call base URL: want error")
	}
}

var schemes = []auth.SecurityScheme{
	{Name: "headerKey", Type: "apiKey", In: "header", ParamName: "X-API-Key"},
	{Name: "queryKey", Type: "apiKey", In: "query", ParamName: "api_key"},
	{Name: "cookieKey", Type: "apiKey", In: "cookie", ParamName: "session"},
	{Name: "basic", Type: "http", Scheme: "basic"},
	{Name: "bearer", Type: "http", Scheme: "Bearer"},
	{Name: "oauth", Type: "oauth2"},
}

func TestAuthPlacement(t *testing.T) {
	srv := newCapture(t)
	cases := []struct {
		scheme string
		cred   auth.Credential
		check  func(s seen) bool
	}{
		{"headerKey", auth.APIKey("k1"), func(s seen) bool { return s.Header.Get("X-API-Key") == "k1" }},
		{"queryKey", auth.APIKey("k 2&"), func(s seen) bool { return s.RawQuery == "q=1&api_key=k%202%26" }},
		{"cookieKey", auth.APIKey("k3"), func(s seen) bool { return s.Header.Get("Cookie") == "c=1; session=k3" }},
		{"basic", auth.Basic("ann", "p:w"), func(s seen) bool { return s.HasBasic && s.User == "ann" && s.Pass == "p:w" }},
		{"bearer", auth.BearerToken("tok"), func(s seen) bool { return s.Header.Get("Authorization") == "Bearer tok" }},
		{"oauth", auth.BearerToken("at"), func(s seen) bool { return s.Header.Get("Authorization") == "Bearer at" }},
	}
	for _, tc := range cases {
		t.Run(tc.scheme, func(t *testing.T) {
			c := mustClient(t, srv.URL, schemes, runtime.WithCredential(tc.scheme, tc.cred))
			op := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{tc.scheme}}}
			r := runtime.NewRequest(op, "/x")
			rtimpl.AddQuery(r, "q", 1, rtimpl.StyleForm, true)
			rtimpl.AddCookie(r, "c", "1")
			do(t, c, r)
			if s := srv.last(t); !tc.check(s) {
				t.Errorf("credential not placed: query=%q header=%v", s.RawQuery, s.Header)
			}
		})
	}
}

func TestAuthSelection(t *testing.T) {
	srv := newCapture(t)
	orAnd := [][]string{{"basic", "headerKey"}, {"bearer"}}
	cases := []struct {
		name     string
		security [][]string
		creds    map[string]auth.Credential
		want     string // "basic+key", "bearer", "key", "none", "missing"
	}{
		{"and-set satisfied", orAnd, map[string]auth.Credential{"basic": auth.Basic("u", "p"), "headerKey": auth.APIKey("k"), "bearer": auth.BearerToken("t")}, "basic+key"},
		{"and-set partial falls to next", orAnd, map[string]auth.Credential{"basic": auth.Basic("u", "p"), "bearer": auth.BearerToken("t")}, "bearer"},
		{"nothing satisfiable", orAnd, map[string]auth.Credential{"basic": auth.Basic("u", "p")}, "missing"},
		{"anonymous allowed", [][]string{{"headerKey"}, {}}, nil, "none"},
		{"anonymous first but key configured", [][]string{{}, {"headerKey"}}, map[string]auth.Credential{"headerKey": auth.APIKey("k")}, "key"},
		{"no security", nil, map[string]auth.Credential{"headerKey": auth.APIKey("k")}, "none"},
		{"empty security", [][]string{}, nil, "none"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []runtime.ClientOption
			for name, cr := range tc.creds {
				opts = append(opts, runtime.WithCredential(name, cr))
			}
			c := mustClient(t, srv.URL, schemes, opts...)
			op := &runtime.Operation{ID: "listPets", Method: "GET", Security: tc.security}
			before := srv.count()
			resp, err := c.Do(context.Background(), runtime.NewRequest(op, "/pets"))
			if tc.want == "missing" {
				var mc *runtime.MissingCredentialsError
				if !errors.As(err, &mc) || resp != nil {
					t.Fatalf("want *MissingCredentialsError, got %v", err)
				}
				if msg := mc.Error(); !strings.Contains(msg, `"basic" and "headerKey"`) || !strings.Contains(msg, `"bearer"`) || !strings.HasPrefix(msg, "listPets: ") {
					t.Errorf("message = %q", msg)
				}
				if srv.count() != before {
					t.Error("request was sent despite missing credentials")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := srv.last(t)
			var got []string
			if s.HasBasic {
				got = append(got, "basic")
			}
			if s.Header.Get("X-API-Key") != "" {
				got = append(got, "key")
			}
			if strings.HasPrefix(s.Header.Get("Authorization"), "Bearer ") {
				got = append(got, "bearer")
			}
			if len(got) == 0 {
				got = []string{"none"}
			}
			if g := strings.Join(got, "+"); g != tc.want {
				t.Errorf("auth sent = %s, want %s", g, tc.want)
			}
		})
	}
}

func TestAuthErrors(t *testing.T) {
	srv := newCapture(t)
	op := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{"bearer"}}}
	c := mustClient(t, srv.URL, schemes, runtime.WithCredential("bearer", auth.Basic("u", "p")))
	if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/")); err == nil || !strings.Contains(err.Error(), "Basic credential") {
		t.Errorf("mismatched credential: err = %v", err)
	}
	undeclared := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{"ghost"}}}
	c = mustClient(t, srv.URL, schemes, runtime.WithCredential("ghost", auth.APIKey("k")))
	if _, err := c.Do(context.Background(), runtime.NewRequest(undeclared, "/")); err == nil || !strings.Contains(err.Error(), "not declared") {
		t.Errorf("undeclared scheme: err = %v", err)
	}
	// Per-call credentials work and do not stick to the client.
	c = mustClient(t, srv.URL, schemes)
	do(t, c, runtime.NewRequest(op, "/"), runtime.WithCredential("bearer", auth.BearerToken("call")))
	if got := srv.last(t).Header.Get("Authorization"); got != "Bearer call" {
		t.Errorf("per-call credential: %q", got)
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/")); err == nil {
		t.Error("per-call credential leaked into the client")
	}
	// CredentialFunc and WithCredential(nil) removal.
	fn := auth.CredentialFunc(func(req *http.Request, s *auth.SecurityScheme) error {
		req.Header.Set("Authorization", "Bearer fresh-"+s.Name)
		return nil
	})
	c = mustClient(t, srv.URL, schemes, runtime.WithCredential("bearer", fn))
	do(t, c, runtime.NewRequest(op, "/"))
	if got := srv.last(t).Header.Get("Authorization"); got != "Bearer fresh-bearer" {
		t.Errorf("CredentialFunc: %q", got)
	}
	if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/"), runtime.WithCredential("bearer", nil)); err == nil {
		t.Error("WithCredential(nil) should remove the credential for the call")
	}
}

func TestErrorBodyCapAndAPIError(t *testing.T) {
	srv := newCapture(t)
	long := `{"code":"not_found","message":"` + strings.Repeat("x\n", 50000) + `"}`
	srv.setReply(func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_123")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(long))
	})
	c := mustClient(t, srv.URL, nil, runtime.WithMaxErrorBodyBytes(1024))
	resp := do(t, c, runtime.NewRequest(getPet, "/pets/1"))
	if resp.StatusCode != 404 || len(resp.Body) != 1024 || !resp.Truncated {
		t.Fatalf("status %d, body %d bytes, truncated %v", resp.StatusCode, len(resp.Body), resp.Truncated)
	}
	var detail struct{ Code string }
	err := resp.Error(&detail)
	var ae *runtime.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("Error() returned %T", err)
	}
	if ae.Detail != nil || !ae.Truncated || ae.RequestID != "req_123" || ae.Status != "404 Not Found" {
		t.Errorf("APIError = %+v", ae)
	}
	msg := ae.Error()
	prefix := "getPet: GET " + srv.URL + "/pets/1: 404 Not Found: " + `{"code":"not_found","message":"x x x`
	if !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, "...") || strings.ContainsAny(msg, "\n\r") {
		t.Errorf("Error() = %q", msg)
	}
	if body := strings.TrimPrefix(msg, "getPet: GET "+srv.URL+"/pets/1: 404 Not Found: "); len(body) > 200 {
		t.Errorf("excerpt is %d bytes", len(body))
	}
	// The default cap keeps the whole (small) body and decodes Detail.
	srv.setReply(func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"code":"bad_param","param":"limit"}`))
	})
	resp = do(t, mustClient(t, srv.URL, nil), runtime.NewRequest(getPet, "/pets/1"))
	type apiErr struct{ Code, Param string }
	errors.As(resp.Error(new(apiErr)), &ae)
	if d, ok := ae.Detail.(*apiErr); !ok || d.Code != "bad_param" || d.Param != "limit" || ae.Truncated {
		t.Errorf("Detail = %#v", ae.Detail)
	}
	if want := `getPet: GET ` + srv.URL + `/pets/1: 400 Bad Request: {"code":"bad_param","param":"limit"}`; ae.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", ae.Error(), want)
	}
	// A body that does not fit the detail type keeps Detail nil and the raw body.
	srv.setReply(func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html>upstream down</html>"))
	})
	resp = do(t, mustClient(t, srv.URL, nil), runtime.NewRequest(getPet, "/pets/1"))
	errors.As(resp.Error(new(apiErr)), &ae)
	if ae.Detail != nil || string(ae.Body) != "<html>upstream down</html>" || ae.StatusCode != 502 {
		t.Errorf("non-JSON error: %+v", ae)
	}
	if !strings.HasSuffix(ae.Error(), ": 502 Bad Gateway: <html>upstream down</html>") {
		t.Errorf("Error() = %q", ae.Error())
	}
}

func TestRequestID(t *testing.T) {
	cases := []struct {
		headers map[string]string
		want    string
	}{
		{map[string]string{"Request-Id": "a", "X-Request-Id": "b"}, "a"},
		{map[string]string{"x-request-id": "b", "cf-ray": "r"}, "b"},
		{map[string]string{"x-amzn-RequestId": "c"}, "c"},
		{map[string]string{"X-GitHub-Request-Id": "d", "CF-RAY": "r"}, "d"},
		{map[string]string{"CF-RAY": "e"}, "e"},
		{map[string]string{"X-Other": "f"}, ""},
	}
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil, runtime.WithoutCircuitBreaker()) // every reply is a 500
	for _, tc := range cases {
		srv.setReply(func(w http.ResponseWriter) {
			for k, v := range tc.headers {
				w.Header()[k] = []string{v} // raw casing, as servers send it
			}
			w.WriteHeader(500)
		})
		resp := do(t, c, runtime.NewRequest(getPet, "/"))
		var ae *runtime.APIError
		errors.As(resp.Error(nil), &ae)
		if ae.RequestID != tc.want {
			t.Errorf("headers %v: RequestID = %q, want %q", tc.headers, ae.RequestID, tc.want)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	srv.setReply(func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`{"id":7,"name":"rex","tag":null}`))
	})
	var p struct {
		ID   int64
		Name string
		Tag  runtime.Opt[string]
	}
	resp := do(t, c, runtime.NewRequest(getPet, "/pets/7"))
	if err := rtimpl.DecodeJSON(resp, &p); err != nil || p.ID != 7 || p.Name != "rex" || p.Tag.Set {
		t.Fatalf("DecodeJSON = %v, %+v", err, p)
	}
	if resp.Text() != `{"id":7,"name":"rex","tag":null}` || resp.MediaType() != "application/json" {
		t.Errorf("Text/MediaType: %q %q", resp.Text(), resp.MediaType())
	}

	srv.setReply(func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html>`))
	})
	err := rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(getPet, "/pets/7")), &p)
	var de *runtime.DecodeError
	if !errors.As(err, &de) || de.Operation != "getPet" || de.StatusCode != 200 || de.MediaType != "text/html" || de.Err == nil {
		t.Fatalf("DecodeError = %#v", err)
	}
	if !strings.HasPrefix(err.Error(), "getPet: decoding 200 response (text/html): ") {
		t.Errorf("Error() = %q", err.Error())
	}

	srv.setReply(func(w http.ResponseWriter) { w.WriteHeader(http.StatusOK) })
	err = rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(getPet, "/pets/7")), &p)
	if !errors.Is(err, runtime.ErrEmptyBody) || !errors.As(err, &de) {
		t.Errorf("empty body: %v", err)
	}
	// A free-form schema takes an empty body as no value.
	var free any = "kept"
	var raw json.RawMessage
	if err := rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(getPet, "/pets/7")), &free); err != nil || free != "kept" {
		t.Errorf("empty body into *any: %v, %v", err, free)
	}
	if err := rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(getPet, "/pets/7")), &raw); err != nil || raw != nil {
		t.Errorf("empty body into *json.RawMessage: %v, %s", err, raw)
	}

	// 204 and 205 have no content (RFC 9110 §15.3.5-6), whatever the spec
	// declares: nothing to decode, not an error (Jira's 204s with JSON content).
	for _, code := range []int{http.StatusNoContent, http.StatusResetContent} {
		srv.setReply(func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
		})
		p.ID = 1
		if err := rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(getPet, "/pets/7")), &p); err != nil || p.ID != 1 {
			t.Errorf("%d: %v, %+v", code, err, p)
		}
	}
	// Nor has the answer to a HEAD request (§9.3.2; Kubernetes declares
	// JSON 200s for its HEAD proxy operations).
	srv.setReply(func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":9}`)) // net/http sends no body for HEAD
	})
	headPet := &runtime.Operation{ID: "headPet", Method: http.MethodHead}
	p.ID = 1
	if err := rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(headPet, "/pets/7")), &p); err != nil || p.ID != 1 {
		t.Errorf("HEAD: %v, %+v", err, p)
	}
	if err := rtimpl.DecodeJSON(do(t, c, runtime.NewRequest(getPet, "/pets/7")), &p); err != nil || p.ID != 9 {
		t.Errorf("GET after HEAD: %v, %+v", err, p)
	}
}

func TestResponseSizeLimit(t *testing.T) {
	srv := newCapture(t)
	srv.setReply(func(w http.ResponseWriter) { w.Write(make([]byte, 1000)) })
	c := mustClient(t, srv.URL, nil, runtime.WithMaxResponseBytes(1000))
	if resp := do(t, c, runtime.NewRequest(getPet, "/")); len(resp.Body) != 1000 {
		t.Errorf("body at the limit: %d bytes", len(resp.Body))
	}
	var raw *http.Response
	_, err := c.Do(context.Background(), runtime.NewRequest(getPet, "/"), runtime.WithMaxResponseBytes(999), runtime.WithRawResponse(&raw))
	if !errors.Is(err, runtime.ErrResponseTooLarge) || !strings.HasPrefix(err.Error(), "getPet: GET ") {
		t.Errorf("over the limit: %v", err)
	}
	if raw == nil || raw.StatusCode != 200 {
		t.Errorf("raw response not stored on error: %v", raw)
	}
}

func TestRawResponse(t *testing.T) {
	srv := newCapture(t)
	srv.setReply(func(w http.ResponseWriter) {
		w.Header().Set("X-Rate-Limit-Remaining", "9")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"ok":true}`))
	})
	c := mustClient(t, srv.URL, nil)
	var raw *http.Response
	resp := do(t, c, runtime.NewRequest(getPet, "/"), runtime.WithRawResponse(&raw))
	if raw == nil || raw.StatusCode != 201 || raw.Header.Get("X-Rate-Limit-Remaining") != "9" {
		t.Fatalf("raw = %+v", raw)
	}
	b, err := io.ReadAll(raw.Body)
	if err != nil || string(b) != `{"ok":true}` || resp.StatusCode != 201 {
		t.Errorf("raw body = %q, %v", b, err)
	}
}

func TestTransportErrors(t *testing.T) {
	srv := newCapture(t)
	deadURL := srv.URL
	srv.Close()
	op := &runtime.Operation{ID: "listPets", Method: "GET", Security: [][]string{{"queryKey"}}}
	c := mustClient(t, deadURL+"/v1", schemes, runtime.WithCredential("queryKey", auth.APIKey("qsecret")))
	r := runtime.NewRequest(op, "/pets")
	rtimpl.AddQuery(r, "limit", 5, rtimpl.StyleForm, true)
	_, err := c.Do(context.Background(), r)
	if err == nil {
		t.Fatal("want a transport error")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "listPets: GET "+deadURL+"/v1/pets?limit=5: ") || strings.Contains(msg, "qsecret") || strings.Contains(msg, "api_key") {
		t.Errorf("transport error = %q", msg)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.Error(), "qsecret") {
		t.Errorf("unwrapped *url.Error = %v", ue)
	}

	slow := newCapture(t)
	slow.setReply(func(w http.ResponseWriter) { time.Sleep(200 * time.Millisecond) })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = mustClient(t, slow.URL, nil).Do(ctx, runtime.NewRequest(getPet, "/"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
}
