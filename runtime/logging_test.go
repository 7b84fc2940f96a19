package runtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const (
	bodyCanary = "REQUEST_BODY_CANARY_3141"
	respCanary = "RESPONSE_BODY_CANARY_2718"
)

func TestLoggingRedacts(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "session="+canary)
		w.Header().Set("X-Request-Id", "req_77")
		if n == 1 {
			w.WriteHeader(503)
		}
		io.WriteString(w, `{"echo":"`+respCanary+`","key":"`+canary+`"}`)
	})
	op := &runtime.Operation{ID: "getThing", Method: "POST", Idempotent: true, Security: [][]string{{"headerKey", "queryKey"}}}
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := mustClient(t, srv.URL, schemes, newFakeClock().option(), runtime.WithLogger(logger),
		runtime.WithCredential("headerKey", auth.APIKey(canary)),
		runtime.WithCredential("queryKey", auth.APIKey(canary)),
		runtime.WithHeader("X-Debug-Echo", "k="+canary))
	r := runtime.NewRequest(op, "/things")
	rtimpl.AddQuery(r, "limit", 5, rtimpl.StyleForm, true)
	rtimpl.AddCookie(r, "pref", "dark")
	rtimpl.SetJSONBody(r, map[string]string{"note": bodyCanary})
	if resp := do(t, c, r); resp.StatusCode != 200 || resp.Attempts != 2 {
		t.Fatalf("status %d, attempts %d", resp.StatusCode, resp.Attempts)
	}
	out := buf.String()
	if leaks(out) || strings.Contains(out, bodyCanary) || strings.Contains(out, respCanary) {
		t.Fatalf("log leaks a secret or a body:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 records, got:\n%s", out)
	}
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	host := strings.TrimPrefix(srv.URL, "http://")
	for k, want := range map[string]any{"level": "WARN", "operation": "getThing", "method": "POST", "host": host, "status": 503.0, "attempt": 1.0, "retry_in": 500e6 * 1.0} {
		if k == "retry_in" {
			if d, ok := first[k].(float64); !ok || d <= 0 || d > want.(float64) {
				t.Errorf("first record %s = %v", k, first[k])
			}
			continue
		}
		if first[k] != want {
			t.Errorf("first record %s = %v, want %v", k, first[k], want)
		}
	}
	if second["level"] != "DEBUG" || second["status"] != 200.0 || second["attempt"] != 2.0 || second["duration"] == nil {
		t.Errorf("second record %v", second)
	}
	reqH, _ := second["request_headers"].(map[string]any)
	respH, _ := second["response_headers"].(map[string]any)
	if reqH["X-Api-Key"] != "REDACTED" || reqH["Cookie"] != "REDACTED" || reqH["X-Debug-Echo"] != "k=REDACTED" ||
		respH["Set-Cookie"] != "REDACTED" || respH["X-Request-Id"] != "req_77" {
		t.Errorf("headers: request %v, response %v", reqH, respH)
	}
	if q := second["query"]; q != "limit=5&api_key=REDACTED" {
		t.Errorf("query %v", q)
	}

	// Bearer and basic credentials, at Info level, on a transport error.
	buf = syncBuffer{}
	logger = slog.New(slog.NewTextHandler(&buf, nil))
	dead := newScript(t, always(200, nil))
	dead.Close()
	for name, cred := range map[string]auth.Credential{"bearer": auth.BearerToken(canary), "basic": auth.Basic("user", canary)} {
		op := &runtime.Operation{ID: "op", Method: "GET", Security: [][]string{{name}}}
		c := mustClient(t, strings.Replace(dead.URL, "http://", "http://user:"+canary+"@", 1), schemes,
			newFakeClock().option(), runtime.WithLogger(logger), runtime.WithCredential(name, cred))
		if _, err := c.Do(context.Background(), runtime.NewRequest(op, "/")); err == nil {
			t.Fatal("want a transport error")
		}
	}
	if out := buf.String(); leaks(out) || strings.Count(out, "level=WARN") != 4 || strings.Count(out, "level=ERROR") != 2 || strings.Contains(out, "request_headers") {
		t.Errorf("info-level log:\n%s", out)
	}
}
