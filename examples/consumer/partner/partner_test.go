package partner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/connectorgen/connectorgen/runtime/auth"
)

func TestAvailablePetNames(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != "k" || r.URL.Query().Get("status") != "available" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"items":[{"id":1,"name":"Rex","createdAt":"2024-01-02T03:04:05Z"}]}`))
	}))
	defer srv.Close()
	names, err := AvailablePetNames(context.Background(), srv.URL, auth.StaticSecret("k"))
	if err != nil || len(names) != 1 || names[0] != "Rex" {
		t.Fatalf("got %v, %v", names, err)
	}
}
