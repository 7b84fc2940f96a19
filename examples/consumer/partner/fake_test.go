package partner

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/connectorgen/connectorgen/examples/consumer/partner/petstore"
	"github.com/connectorgen/connectorgen/examples/consumer/partner/petstore/petstorefake"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/fake"
)

// The consumer's own code tested against the generated fake of the
// partner's API (fakes: true in connectorgen.yaml): typed handlers with
// the connector's types, the real connector on the wire.

var key = auth.StaticSecret("k")

func TestPetNameFromFake(t *testing.T) {
	srv := petstorefake.NewServer(t)
	srv.OnGetPet(func(_ context.Context, req petstore.GetPetRequest) (*petstore.Pet, error) {
		if req.PetID == 404 {
			return nil, fake.Status(http.StatusNotFound, petstore.Problem{Title: runtime.Some("no such pet")})
		}
		return &petstore.Pet{ID: runtime.Some(req.PetID), Name: "Rex"}, nil
	})
	ctx := context.Background()
	// Success.
	if name, err := PetName(ctx, srv.URL, key, 1); err != nil || name != "Rex" {
		t.Fatalf("PetName: %q, %v", name, err)
	}
	// A typed error: the spec's Problem for 404.
	_, err := PetName(ctx, srv.URL, key, 404)
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Fatalf("PetName(404): %v", err)
	}
	if p, ok := ae.Detail.(*petstore.Problem); !ok || p.Title.Value != "no such pet" {
		t.Errorf("detail %#v, want the typed Problem", ae.Detail)
	}
	// The API key went out as the spec says.
	if got := srv.Calls("getPet")[0].Header.Get("X-API-Key"); got != "k" {
		t.Errorf("X-API-Key %q", got)
	}
}

// A 503 with Retry-After, then success: AdoptPet's call is retried (the
// connector sends an idempotency key, so POST is safe to retry) and
// succeeds; both attempts carry the same key.
func TestAdoptPetRetriesA503(t *testing.T) {
	srv := petstorefake.NewServer(t)
	srv.OnCreatePet(func(_ context.Context, req petstore.CreatePetRequest) (*petstore.Pet, error) {
		return &petstore.Pet{ID: runtime.Some[int64](42), Name: req.Body.Name}, nil
	})
	srv.Inject("createPet", fake.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 1, Times: 1})
	id, err := AdoptPet(context.Background(), srv.URL, key, "Tom")
	if err != nil || id != 42 {
		t.Fatalf("AdoptPet: %d, %v", id, err)
	}
	calls := srv.Calls("createPet")
	if len(calls) != 2 || calls[0].Header.Get("Idempotency-Key") == "" ||
		calls[0].Header.Get("Idempotency-Key") != calls[1].Header.Get("Idempotency-Key") {
		t.Errorf("attempts %d, idempotency keys %q %q", len(calls), calls[0].Header.Get("Idempotency-Key"), calls[len(calls)-1].Header.Get("Idempotency-Key"))
	}
}

// Our own bad request (an empty name, which the spec forbids) is refused
// by the connector before anything is sent: the fake sees no call.
func TestAdoptPetRejectsAnEmptyName(t *testing.T) {
	srv := petstorefake.NewServer(t)
	srv.OnCreatePet(func(context.Context, petstore.CreatePetRequest) (*petstore.Pet, error) {
		t.Error("the invalid request reached the API")
		return nil, nil
	})
	_, err := AdoptPet(context.Background(), srv.URL, key, "")
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) || ve.Violations[0].Pointer != "/body/name" {
		t.Fatalf("AdoptPet(\"\"): %v, want a validation error at /body/name", err)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls reached the fake", n)
	}
}
