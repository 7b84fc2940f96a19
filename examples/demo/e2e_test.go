package main

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/examples/demo/petstore"
	"github.com/connectorgen/connectorgen/examples/demo/stripe"
	"github.com/connectorgen/connectorgen/internal/prismtest"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// These tests call generated connectors against Prism, which validates
// each request against the spec (422 on a wrong parameter or body, 401 on
// missing credentials) and answers with the spec's examples, so they check
// both directions of serialization on real specs.

func spec(name string) string { return filepath.Join("..", "..", "specs", name) }

func TestPetstoreAgainstPrism(t *testing.T) {
	base := prismtest.Start(t, spec("petstore.yaml"))
	ctx := context.Background()
	var raw *http.Response
	c, err := petstore.New(base, petstore.WithAPIKey(auth.APIKey("k")))
	if err != nil {
		t.Fatal(err)
	}

	res, err := c.ListPets(ctx, petstore.ListPetsRequest{
		Limit:      runtime.Some[int32](5),
		Status:     []petstore.PetStatus{petstore.PetStatusAvailable, petstore.PetStatusSold},
		XRequestID: runtime.Some("5f1c3c1e-8a3b-4b8e-9c9f-0a1b2c3d4e5f"),
	}, runtime.WithRawResponse(&raw))
	if err != nil {
		t.Fatalf("ListPets: %v", err)
	}
	page := res.OK
	if res.StatusCode != 200 || page == nil || !res.XNextCursor.Set {
		t.Fatalf("ListPets: want status 200, a body and the X-Next-Cursor header, got %+v", res)
	}
	if len(page.Items) != 1 || page.Items[0].Name != "Rex" || page.Items[0].ID.Value != 42 {
		t.Fatalf("ListPets decoded %+v", page)
	}
	if got := page.Items[0].CreatedAt.Value; !got.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("createdAt = %v", got)
	}
	if b := page.Items[0].Birthday.Value; b != (runtime.Date{Year: 2020, Month: 4, Day: 1}) {
		t.Errorf("birthday = %v", b)
	}
	if !page.Next.Null {
		t.Errorf("next should decode as an explicit null, got %+v", page.Next)
	}
	if raw == nil || raw.StatusCode != 200 {
		t.Errorf("WithRawResponse did not capture the response: %v", raw)
	}

	created, err := c.CreatePet(ctx, petstore.CreatePetRequest{Body: petstore.NewPet{
		Name: "Rex", Tag: runtime.Some("dog"), Status: runtime.Some(petstore.PetStatusAvailable),
		Birthday: runtime.Some(runtime.Date{Year: 2020, Month: 4, Day: 1}), Nickname: runtime.NullValue[string](),
	}})
	if err != nil {
		t.Fatalf("CreatePet: %v", err)
	}
	if created.Name != "Rex" || created.ID.Value != 42 {
		t.Errorf("CreatePet decoded %+v", created)
	}

	owner, err := c.GetPetOwner(ctx, petstore.GetPetOwnerRequest{PetID: 42})
	if err != nil {
		t.Fatalf("GetPetOwner: %v", err)
	}
	if p, ok := owner.Value().(*petstore.Person); !ok || p.Name != "Ada" {
		t.Errorf("GetPetOwner: want the Person variant named Ada, got %#v", owner.Value())
	}

	if err := c.DeletePet(ctx, petstore.DeletePetRequest{PetID: 42}); err != nil {
		t.Errorf("DeletePet: %v", err)
	}

	// A value the spec forbids (limit ≤ 100) is refused before sending...
	_, err = c.ListPets(ctx, petstore.ListPetsRequest{Limit: runtime.Some[int32](1000)})
	var invalid *runtime.ValidationError
	if !errors.As(err, &invalid) || invalid.Violations[0].Pointer != "/query/limit" {
		t.Fatalf("ListPets with limit 1000: want a *runtime.ValidationError at /query/limit, got %v", err)
	}
	// ...and with validation off, Prism answers 422 with a problem body,
	// which arrives as the spec's typed default response.
	_, err = c.ListPets(ctx, petstore.ListPetsRequest{Limit: runtime.Some[int32](1000)}, runtime.WithoutValidation())
	var apiErr *runtime.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
		t.Fatalf("ListPets with limit 1000: want a 422 *runtime.APIError, got %v", err)
	}
	if p, ok := apiErr.Detail.(*petstore.Problem); !ok || p.Title.Value == "" {
		t.Errorf("422 detail: want a decoded *petstore.Problem, got %#v", apiErr.Detail)
	}
	var problem *petstore.Problem // the spec's error type, reached with errors.As
	if !errors.As(err, &problem) || problem.Title.Value == "" {
		t.Errorf("errors.As(err, *petstore.Problem) failed on %v", err)
	}
	var rfc *runtime.Problem // the RFC 9457 view of the same body
	if !errors.As(err, &rfc) || rfc.Status == 0 && rfc.Title == "" {
		t.Errorf("errors.As(err, *runtime.Problem) failed on %v", err)
	}

	// No key configured: the runtime refuses before sending anything.
	anon, _ := petstore.New(base)
	_, err = anon.GetPet(ctx, petstore.GetPetRequest{PetID: 42})
	var missing *runtime.MissingCredentialsError
	if !errors.As(err, &missing) {
		t.Fatalf("GetPet without a key: want *runtime.MissingCredentialsError, got %v", err)
	}
}

func TestStripeAgainstPrism(t *testing.T) {
	// The connector is generated from the full spec; Prism serves a copy it
	// can load (see prismtest.Mockable), which validates requests the same way.
	mock, err := prismtest.Mockable(spec("stripe.yaml"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base := prismtest.Start(t, mock)
	ctx := context.Background()
	var raw *http.Response
	c, err := stripe.New(base, stripe.WithBearerAuth(auth.BearerToken("sk_test_e2e")))
	if err != nil {
		t.Fatal(err)
	}

	list, err := c.GetCustomers(ctx, stripe.GetCustomersRequest{Limit: runtime.Some[int64](3), Email: runtime.Some("jenny@example.com")})
	if err != nil {
		t.Fatalf("GetCustomers: %v", err)
	}
	if list.Object != "list" || list.URL == "" {
		t.Errorf("GetCustomers decoded %+v", list)
	}

	// The iterator's requests pass Prism's validation and its pages decode.
	// Prism's example page says has_more and carries the same last id each
	// time: the second page repeats the cursor, which ends the iteration.
	n := 0
	for cus, err := range c.GetCustomersIter(ctx, stripe.GetCustomersRequest{Limit: runtime.Some[int64](3)}, runtime.WithMaxItems(10)) {
		if errors.Is(err, runtime.ErrCursorRepeated) && n > 0 {
			break
		}
		if err != nil {
			t.Fatalf("GetCustomersIter after %d customers: %v", n, err)
		}
		if cus.ID == "" {
			t.Errorf("GetCustomersIter yielded a customer without an id: %+v", cus)
		}
		n++
	}
	if n == 0 {
		t.Error("GetCustomersIter yielded no customer")
	}

	got, err := c.GetCustomersCustomer(ctx, stripe.GetCustomersCustomerRequest{Customer: "cus_e2e", Expand: []string{"default_source"}})
	if err != nil {
		t.Fatalf("GetCustomersCustomer: %v", err)
	}
	cus, ok := got.Value().(*stripe.Customer)
	if !ok || cus.ID == "" || cus.Object != "customer" {
		t.Errorf("GetCustomersCustomer: want a Customer, got %#v", got.Value())
	}

	created, err := c.PostCustomers(ctx, stripe.PostCustomersRequest{Body: &stripe.PostCustomersBody{
		Email:            runtime.Some("jenny@example.com"),
		Balance:          runtime.Some[int64](-500),
		Metadata:         &stripe.PostCustomersBodyMetadata{Map: &map[string]string{"order_id": "6735"}},
		Expand:           []string{"default_source"},
		PreferredLocales: []string{"en", "fr"},
		Address: &stripe.PostCustomersBodyAddress{OptionalFieldsAddress: &stripe.PostCustomersBodyAddressOptionalFieldsAddress{
			Line1: runtime.Some("1 Main St"), City: runtime.Some("Paris")}},
	}})
	if err != nil {
		t.Fatalf("PostCustomers (form body): %v", err)
	}
	if created.ID == "" || created.Object != "customer" {
		t.Errorf("PostCustomers decoded %+v", created)
	}

	// An email longer than the spec's maxLength (512): Prism answers 422
	// with Stripe's default (error) response, decoded into its type.
	long := stripe.GetCustomersRequest{Email: runtime.Some(strings.Repeat("a", 600))}
	var invalid *runtime.ValidationError
	if _, err := c.GetCustomers(ctx, long); !errors.As(err, &invalid) {
		t.Fatalf("GetCustomers with a 600-byte email: want a *runtime.ValidationError before sending, got %v", err)
	}
	_, err = c.GetCustomers(ctx, long, runtime.WithoutValidation(), runtime.WithRawResponse(&raw))
	var apiErr *runtime.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
		t.Fatalf("GetCustomers with a 600-byte email: want a 422 *runtime.APIError, got %v", err)
	}
	if _, ok := apiErr.Detail.(*stripe.Error); !ok {
		t.Errorf("422 detail: want *stripe.Error, got %T", apiErr.Detail)
	}
	if raw == nil || raw.Header.Get("sl-violations") == "" {
		t.Errorf("expected Prism's violation report on the raw response")
	}
}

// TestStripeWebhooks runs the demo's webhook part: a signed customer.created
// reaches its typed handler once though delivered twice, a tampered copy
// is refused with 401.
func TestStripeWebhooks(t *testing.T) {
	var out strings.Builder
	if err := stripeWebhooks(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "customer.created evt_demo, customer jenny@example.com (delivery evt_demo)") {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestPartnerDrift runs the demo's drift part: the drifting answer decodes,
// with one record per mismatch.
func TestPartnerDrift(t *testing.T) {
	var out strings.Builder
	if err := partnerDrift(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"drift: getPet status 200 at /id: expected int64, got string",
		"drift: getPet status 200 at /name: expected string, got absent",
		"GetPet still returned the pet (status available, id set: false); health: 1 call(s), 1 drifted",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
