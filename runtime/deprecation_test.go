package runtime

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDeprecationHookAndWarning(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			w.Header().Set("Deprecation", "@1688169599")
			w.Header().Set("Sunset", "Wed, 11 Nov 2026 23:59:59 GMT")
			w.Header().Set("Link", `<https://example.com/migrate>; rel="deprecation"`)
		}
		w.WriteHeader(204)
	}))
	defer srv.Close()
	var got []DeprecationNotice
	var logs bytes.Buffer
	c, err := NewClient(srv.URL, nil, WithDeprecationHook(func(n DeprecationNotice) { got = append(got, n) }),
		WithDeprecationWarnings(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/old", "/new"} {
		if _, err := c.Do(context.Background(), NewRequest(&Operation{ID: "op" + p, Method: "GET", Path: p}, p)); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 1 || got[0].Operation != "op/old" || got[0].Deprecation != "@1688169599" || got[0].Sunset.Year() != 2026 {
		t.Fatalf("notices %+v", got)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "operation=op/old") {
		t.Errorf("no warning logged: %s", logs.String())
	}
}
