package golden

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	orders "github.com/connectorgen/connectorgen/golden/graphql-settings/want"
)

// The "graphql-settings" case on the wire (#14 item 4): a scalar bound with
// coding functions (Cents: encoding/json.Number through json.Marshal and
// json.Unmarshal), one bound to time.Time, an enum cased raw (Currency_EUR)
// beside one cased by default (StatusInProgress), struct references.
func TestGraphQLSettingsDecode(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":{"order":{"id":"O1","status":"IN_PROGRESS","placedAt":"2026-12-05T10:00:00Z",` +
			`"total":{"amount":12345678901234567890,"currency":"GBP_PENCE"}}}}`))
	}))
	defer srv.Close()
	c, err := orders.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetOrder(context.Background(), orders.GetOrderVariables{Id: "O1"})
	if err != nil {
		t.Fatal(err)
	}
	o := got.Order
	if o == nil || o.Total == nil {
		t.Fatalf("order %+v", got)
	}
	// json.Number keeps every digit of an amount no int64 or float64 holds.
	if o.Total.Amount != "12345678901234567890" || o.Total.Currency != orders.Currency_GBP_PENCE || o.Status != orders.StatusInProgress {
		t.Errorf("decoded %+v, total %+v", o, o.Total)
	}
	if o.PlacedAt == nil || !o.PlacedAt.Equal(time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("placedAt %v", o.PlacedAt)
	}
}
