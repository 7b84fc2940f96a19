// Command demo is connectorgen's main job in miniature: it uses connectors
// generated from the specs in ../../specs (see generate.go) against Prism
// mock servers on loopback, and prints the typed results. Prism validates
// every request against the spec and answers 422 to a wrong one, so a
// serialization bug in a connector shows up as an error here.
//
//	make demo                 # installs Prism, generates, runs this
//	go run . -petstore URL    # against servers you started yourself
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/connectorgen/connectorgen/examples/demo/petstore"
	"github.com/connectorgen/connectorgen/examples/demo/stripe"
	"github.com/connectorgen/connectorgen/internal/prismtest"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/webhook"
)

func main() {
	petURL := flag.String("petstore", "", "base URL of a Petstore server (default: start Prism)")
	stripeURL := flag.String("stripe", "", "base URL of a Stripe server (default: start Prism)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *petURL, *stripeURL); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, petURL, stripeURL string) error {
	if petURL == "" {
		srv, err := launch(filepath.Join("..", "..", "specs", "petstore.yaml"))
		if err != nil {
			return err
		}
		defer srv.Stop()
		petURL = srv.URL
	}
	if stripeURL == "" {
		dir, err := os.MkdirTemp("", "connectorgen-demo")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		// Prism cannot load Stripe's full spec; it serves a copy that
		// validates requests the same way (see prismtest.Mockable).
		mock, err := prismtest.Mockable(filepath.Join("..", "..", "specs", "stripe.yaml"), dir)
		if err != nil {
			return err
		}
		srv, err := launch(mock)
		if err != nil {
			return err
		}
		defer srv.Stop()
		stripeURL = srv.URL
	}
	if err := petstoreDemo(ctx, petURL); err != nil {
		return fmt.Errorf("petstore: %w", err)
	}
	if err := stripeDemo(ctx, stripeURL); err != nil {
		return fmt.Errorf("stripe: %w", err)
	}
	if err := stripeWebhooks(ctx, os.Stdout); err != nil {
		return fmt.Errorf("stripe webhooks: %w", err)
	}
	if err := partnerDrift(ctx, os.Stdout); err != nil {
		return fmt.Errorf("partner drift: %w", err)
	}
	return nil
}

// partnerDrift shows a partner drifting from its spec: a Petstore whose
// GetPet sends the id as a string and leaves out the required name. The
// call still succeeds, the mismatched member is left unset, and the drift
// record (operation, status, JSON pointer, expected, got; never the
// value) reaches the observer, and a Health tracking the partner.
func partnerDrift(ctx context.Context, out io.Writer) error {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"7","status":"available"}`)
	}))
	defer srv.Close()
	health := &runtime.Health{}
	report := runtime.WithObserver(runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) {
		for _, d := range e.Drift {
			fmt.Fprintf(out, "drift: %s status %d at %s: expected %s, got %s\n", e.Operation.ID, e.StatusCode, d.Pointer, d.Expected, d.Got)
		}
	}})
	pets, err := petstore.New(srv.URL, petstore.WithAPIKey(auth.APIKey("demo-key")), report, runtime.WithObserver(health.Observer()))
	if err != nil {
		return err
	}
	pet, err := pets.GetPet(ctx, petstore.GetPetRequest{PetID: 7})
	if err != nil {
		return err
	}
	rep := health.Report()
	fmt.Fprintf(out, "drift: GetPet still returned the pet (status %s, id set: %v); health: %d call(s), %d drifted\n",
		pet.Status.Value, pet.ID.Set, rep.Calls, rep.Drifted)
	return nil
}

func launch(spec string) (*prismtest.Server, error) {
	fmt.Printf("starting Prism for %s ...\n", filepath.Base(spec))
	return prismtest.Launch(spec)
}

func petstoreDemo(ctx context.Context, baseURL string) error {
	// The API key comes from the environment in real use; Prism only
	// checks that one is sent.
	pets, err := petstore.New(baseURL, petstore.WithAPIKey(auth.APIKey(envOr("PETSTORE_API_KEY", "demo-key"))))
	if err != nil {
		return err
	}
	res, err := pets.ListPets(ctx, petstore.ListPetsRequest{
		Limit:  runtime.Some[int32](10),
		Status: []petstore.PetStatus{petstore.PetStatusAvailable, petstore.PetStatusPending},
	})
	if err != nil {
		return err
	}
	fmt.Printf("petstore: ListPets returned %d pet(s), next cursor %q\n", len(res.OK.Items), res.XNextCursor.Value)
	for _, p := range res.OK.Items {
		status := petstore.PetStatus("unknown")
		if p.Status.Set {
			status = p.Status.Value
		}
		fmt.Printf("  #%d %s (status %s, born %s)\n", p.ID.Value, p.Name, status, p.Birthday.Value)
	}
	created, err := pets.CreatePet(ctx, petstore.CreatePetRequest{Body: petstore.NewPet{
		Name: "Rex", Tag: runtime.Some("dog"), Status: runtime.Some(petstore.PetStatusAvailable),
		Nickname: runtime.NullValue[string](),
	}})
	if err != nil {
		return err
	}
	fmt.Printf("petstore: CreatePet returned #%d %q created at %s\n", created.ID.Value, created.Name, created.CreatedAt.Value.Format(time.RFC3339))
	owner, err := pets.GetPetOwner(ctx, petstore.GetPetOwnerRequest{PetID: created.ID.Value})
	if err != nil {
		return err
	}
	switch o := owner.Value().(type) {
	case *petstore.Person:
		fmt.Printf("petstore: GetPetOwner: a person, %s\n", o.Name)
	case *petstore.Organization:
		fmt.Printf("petstore: GetPetOwner: an organization, %s\n", o.LegalName)
	default:
		fmt.Printf("petstore: GetPetOwner: an owner this client does not know: %s\n", owner.Raw)
	}
	// A value the spec forbids is refused before anything is sent...
	_, err = pets.ListPets(ctx, petstore.ListPetsRequest{Limit: runtime.Some[int32](1000)})
	fmt.Printf("petstore: ListPets with limit=1000: %v\n", err)
	// ...and with validation off, Prism answers 422 with an RFC 9457
	// problem, which arrives as a *runtime.APIError carrying the typed body.
	_, err = pets.ListPets(ctx, petstore.ListPetsRequest{Limit: runtime.Some[int32](1000)}, runtime.WithoutValidation())
	var apiErr *runtime.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("ListPets with limit 1000: want an API error, got %v", err)
	}
	if p, ok := apiErr.Detail.(*petstore.Problem); ok {
		fmt.Printf("petstore: the same call with validation off: the server answers %d %q\n", apiErr.StatusCode, p.Title.Value)
	}
	return nil
}

func stripeDemo(ctx context.Context, baseURL string) error {
	client, err := stripe.New(baseURL, stripe.WithBearerAuth(auth.BearerToken(envOr("STRIPE_API_KEY", "sk_test_demo"))))
	if err != nil {
		return err
	}
	list, err := client.GetCustomers(ctx, stripe.GetCustomersRequest{Limit: runtime.Some[int64](3), Email: runtime.Some("jenny@example.com")})
	if err != nil {
		return err
	}
	fmt.Printf("stripe: GetCustomers returned %d customer(s), has_more=%v\n", len(list.Data), list.HasMore)
	for _, c := range list.Data {
		fmt.Printf("  %s %s\n", c.ID, c.Email.Value)
	}
	// Every customer, page after page: GetCustomersIter asks for the next
	// page with starting_after set to the last customer's id while has_more
	// (detected from the spec), and stops at a break or, here, 10 items.
	// Prism answers every page with the spec's one example page, whose
	// has_more is true: the second page repeats the first one's cursor, and
	// the iterator stops with runtime.ErrCursorRepeated instead of looping.
	fmt.Println("stripe: GetCustomersIter, every customer page after page (at most 10):")
	n := 0
	for c, err := range client.GetCustomersIter(ctx, stripe.GetCustomersRequest{Limit: runtime.Some[int64](3)}, runtime.WithMaxItems(10)) {
		if errors.Is(err, runtime.ErrCursorRepeated) {
			fmt.Printf("  stopped after %d: %v (Prism's example page says has_more and repeats itself)\n", n, err)
			break
		}
		if err != nil {
			return err
		}
		n++
		fmt.Printf("  %d. %s %s\n", n, c.ID, c.Email.Value)
	}
	cus, err := client.GetCustomersCustomer(ctx, stripe.GetCustomersCustomerRequest{Customer: "cus_demo"})
	if err != nil {
		return err
	}
	fmt.Printf("stripe: GetCustomersCustomer: %T\n", cus.Value())
	created, err := client.PostCustomers(ctx, stripe.PostCustomersRequest{Body: &stripe.PostCustomersBody{
		Email:    runtime.Some("jenny@example.com"),
		Name:     runtime.Some("Jenny Rosen"),
		Balance:  runtime.Some[int64](-500),
		Metadata: &stripe.PostCustomersBodyMetadata{Map: &map[string]string{"order_id": "6735"}},
		Expand:   []string{"default_source"},
	}})
	if err != nil {
		return err
	}
	fmt.Printf("stripe: PostCustomers (form-encoded body) created %s (%s)\n", created.ID, created.Object)
	return nil
}

// stripeWebhooks receives Stripe events on a loopback endpoint with the
// connector's generated Webhooks (events declared in
// connectorgen.stripe.yaml, told apart by their "type"): a customer.created
// signed as Stripe signs it (Stripe-Signature, HMAC-SHA256 with the
// endpoint's secret) reaches its typed handler once, though delivered
// twice; a tampered copy is refused (401) before anything is decoded.
func stripeWebhooks(ctx context.Context, out io.Writer) error {
	scheme := &webhook.Stripe{Secrets: []auth.SecretSource{auth.StaticSecret(envOr("STRIPE_WEBHOOK_SECRET", "whsec_demo"))}}
	rc := &webhook.Receiver{
		Scheme: scheme,
		// Stripe sends the event's id in its body, not in a header.
		ID: func(_ http.Header, body []byte) string { id, _ := webhook.Member(body, "/id"); return id },
	}
	hooks := stripe.NewWebhooks(rc)
	handled := 0
	hooks.OnCustomerCreated(func(ctx context.Context, e *stripe.Event) error {
		handled++
		fmt.Fprintf(out, "stripe webhook: %s %s, customer %v (delivery %s)\n", e.Type, e.ID, e.Data.Object["email"], webhook.FromContext(ctx).ID)
		return nil
	})
	srv := httptest.NewServer(hooks)
	defer srv.Close()
	event := &stripe.Event{ID: "evt_demo", Type: "customer.created", Object: stripe.EventObjectEvent, Created: time.Now().Unix(),
		Data: stripe.NotificationEventData{Object: map[string]any{"id": "cus_demo", "object": "customer", "email": "jenny@example.com"}}}
	sender := &stripe.WebhookSender{URL: srv.URL, Signer: scheme}
	for range 2 { // Stripe redelivers until it sees a 2xx: the handler runs once
		resp, err := sender.SendCustomerCreated(ctx, event.ID, event)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("signed delivery answered %s", resp.Status)
		}
	}
	// The same signature over a changed body: refused (401), the handler
	// not called.
	h := http.Header{}
	body := []byte(`{"id":"evt_demo2","type":"customer.created","object":"event","data":{"object":{}}}`)
	if err := scheme.Sign(ctx, h, "", body, time.Now()); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(strings.Replace(string(body), "evt_demo2", "evt_forged", 1)))
	if err != nil {
		return err
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Fprintf(out, "stripe webhook: a tampered copy answered %s\n", resp.Status)
	if handled != 1 || resp.StatusCode != http.StatusUnauthorized {
		return fmt.Errorf("handled %d times, tampered copy %s; want once and 401", handled, resp.Status)
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
