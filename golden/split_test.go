package golden

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	shop "github.com/connectorgen/connectorgen/golden/split-tags/want"
	"github.com/connectorgen/connectorgen/golden/split-tags/want/orders"
	"github.com/connectorgen/connectorgen/golden/split-tags/want/petstore"
	"github.com/connectorgen/connectorgen/golden/split-tags/want/untagged"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// TestSplitByTag calls the split-tags connector's tag packages on the
// wire: every tag client shares the root client's settings, and the types
// the tags share are the root's, so values pass between packages.
func TestSplitByTag(t *testing.T) {
	var mu sync.Mutex
	var seen []string // method, path, Authorization and X-Tenant of each request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Authorization")+" "+r.Header.Get("X-Tenant"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "GET /pets":
			w.Write([]byte(`[{"id":1,"name":"Rex","kind":"dog"},{"id":2,"name":"Tom","kind":"lizard"}]`))
		case "POST /orders":
			var in map[string]any
			if json.Unmarshal(body, &in) != nil || in["petId"] != float64(1) {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"message":"bad order"}`))
				return
			}
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":"o1","status":"placed","pet":{"id":1,"name":"Rex"}}`))
		case "GET /health":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"no route"}`))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	root, err := shop.New(srv.URL, shop.WithBearer(auth.BearerToken("tok")), runtime.WithHeader("X-Tenant", "t1"))
	if err != nil {
		t.Fatal(err)
	}

	pets, err := petstore.New(root).ListPets(ctx, petstore.ListPetsRequest{Kind: runtime.Some(shop.PetKindDog)})
	if err != nil {
		t.Fatal(err)
	}
	if len(pets) != 2 || pets[0].Name != "Rex" || pets[1].Kind.Value != "lizard" {
		t.Fatalf("pets = %+v (an unknown enum value must survive)", pets)
	}

	o := orders.New(root)
	var pet shop.Pet = pets[0] // a root type, shared by both tags
	order, err := o.CreateOrder(ctx, orders.CreateOrderRequest{Body: orders.NewOrder{PetID: pet.ID, Lines: []shop.Line{{Sku: "food", Quantity: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	if order.ID != "o1" || order.Status != orders.OrderStatusPlaced || order.Pet.Name != "Rex" {
		t.Fatalf("order = %+v", order)
	}

	// The request type's Validate runs before sending: no request goes out.
	_, err = o.CreateOrder(ctx, orders.CreateOrderRequest{Body: orders.NewOrder{PetID: 1}})
	var verr *runtime.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("empty lines: err = %v, want a *runtime.ValidationError", err)
	}
	// A declared error body decodes into the root's shared type.
	_, err = o.CreateOrder(ctx, orders.CreateOrderRequest{Body: orders.NewOrder{PetID: 9, Lines: []shop.Line{{Sku: "x", Quantity: 1}}}})
	var apiErr *shop.Error
	if !errors.As(err, &apiErr) || apiErr.Message == "" {
		t.Fatalf("bad order: err = %v, want a *shop.Error", err)
	}

	if err := untagged.New(root).Health(ctx, untagged.HealthRequest{}); err != nil {
		t.Fatal(err)
	}

	want := []string{
		"GET /pets?kind=dog Bearer tok t1",
		"POST /orders Bearer tok t1",
		"POST /orders Bearer tok t1",
		"GET /health  t1", // security: [] — no credential sent
	}
	if len(seen) != len(want) {
		t.Fatalf("requests %q, want %q", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("request %d: %q, want %q", i, seen[i], want[i])
		}
	}
}
