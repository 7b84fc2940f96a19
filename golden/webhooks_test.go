package golden

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	callbacks "github.com/connectorgen/connectorgen/golden/callbacks/want"
	webhooks "github.com/connectorgen/connectorgen/golden/webhooks/want"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/webhook"
)

// The generated "webhooks" (OpenAPI 3.1 webhooks told apart by their body's
// "type", which each declares as a const or an enum of one) and
// "callbacks" (3.0 callbacks told apart by the X-Event header, from
// connectorgen.yaml) cases on the wire: a loopback receiver, the
// generated sender signing with the Standard Webhooks scheme.

const (
	whSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	whOldSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
)

// whSetup serves a generated Webhooks on a loopback server whose scheme
// accepts secrets, and returns it, its receiver and the server's URL.
func whSetup(t *testing.T, maxAttempts int, secrets ...string) (*webhooks.Webhooks, *webhook.Receiver, string) {
	t.Helper()
	var srcs []auth.SecretSource
	for _, s := range secrets {
		srcs = append(srcs, auth.StaticSecret(s))
	}
	rc := &webhook.Receiver{Scheme: &webhook.StandardWebhooks{Secrets: srcs}, MaxAttempts: maxAttempts}
	wh := webhooks.NewWebhooks(rc)
	srv := httptest.NewServer(wh)
	t.Cleanup(srv.Close)
	return wh, rc, srv.URL
}

func whSender(url, secret string) *webhooks.WebhookSender {
	return &webhooks.WebhookSender{URL: url, Signer: &webhook.StandardWebhooks{Secrets: []auth.SecretSource{auth.StaticSecret(secret)}}}
}

// whStatus is resp's status code, its body read and closed; -1 when err
// is not nil.
func whStatus(resp *http.Response, err error) int {
	if err != nil {
		return -1
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestWebhooksDispatch: each event reaches its typed handler, decoded, with
// the delivery in its context; a redelivery is acknowledged without a
// second call; an event of no handler goes to OnUnknown.
func TestWebhooksDispatch(t *testing.T) {
	wh, _, url := whSetup(t, 0, whSecret)
	var mu sync.Mutex
	var got []string
	wh.OnPetAdopted(func(ctx context.Context, e *webhooks.PetAdopted) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, "adopted "+e.Pet.Name+" by "+e.Adopter+" id "+webhook.FromContext(ctx).ID)
		return nil
	})
	wh.OnPetListed(func(_ context.Context, e *webhooks.PetListedEvent) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, "listed "+e.Pet.Name)
		return nil
	})
	wh.OnUnknown(func(_ context.Context, d *webhook.Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, "unknown "+string(d.Body))
		return nil
	})
	ctx := context.Background()
	send := whSender(url, whSecret)
	adopted := &webhooks.PetAdopted{Type: webhooks.PetAdoptedTypePetAdopted, Pet: webhooks.Pet{ID: 7, Name: "Rex"}, Adopter: "Ann"}
	for range 2 { // the second is a redelivery
		if code := whStatus(send.SendPetAdopted(ctx, "msg_1", adopted)); code/100 != 2 {
			t.Fatalf("SendPetAdopted: %d, want 2xx", code)
		}
	}
	if code := whStatus(send.SendPetListed(ctx, "msg_2", &webhooks.PetListedEvent{Type: "pet.listed", Pet: webhooks.Pet{ID: 8, Name: "Tom"}})); code/100 != 2 {
		t.Fatalf("SendPetListed: %d", code)
	}
	// invoicePaid has no handler: OnUnknown gets it, as does an event the spec does not list.
	if code := whStatus(send.SendInvoicePaid(ctx, "msg_3", &webhooks.InvoicePaidEvent{Type: webhooks.InvoicePaidEventTypeInvoicePaid, Amount: 500})); code/100 != 2 {
		t.Fatalf("SendInvoicePaid: %d", code)
	}
	if code := whStatus(webhook.Post(ctx, nil, url, send.Signer, "msg_4", []byte(`{"type":"pet.renamed"}`))); code/100 != 2 {
		t.Fatalf("post pet.renamed: %d", code)
	}
	want := []string{"adopted Rex by Ann id msg_1", "listed Tom", `unknown {"amount":500,"type":"invoice.paid"}`, `unknown {"type":"pet.renamed"}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("handled:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWebhooksVerification: a tampered body, a wrong secret, stale and
// future timestamps are refused before any handler runs; a delivery
// signed with the previous secret, still active, is accepted.
func TestWebhooksVerification(t *testing.T) {
	wh, _, url := whSetup(t, 0, whSecret, whOldSecret)
	calls := 0
	wh.OnPetListed(func(context.Context, *webhooks.PetListedEvent) error { calls++; return nil })
	ctx := context.Background()
	body := []byte(`{"type":"pet.listed","pet":{"id":1,"name":"Rex"}}`)
	post := func(secret string, at time.Time, mutate func([]byte) []byte) int {
		h := http.Header{}
		s := &webhook.StandardWebhooks{Secrets: []auth.SecretSource{auth.StaticSecret(secret)}}
		if err := s.Sign(ctx, h, "msg_"+at.Format("150405.000")+secret[6:9], body, at); err != nil {
			t.Fatal(err)
		}
		sent := body
		if mutate != nil {
			sent = mutate(append([]byte(nil), body...))
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(sent)))
		req.Header = h
		req.Header.Set("Content-Type", "application/json")
		return whStatus(http.DefaultClient.Do(req))
	}
	now := time.Now()
	tampered := func(b []byte) []byte { return []byte(strings.Replace(string(b), "Rex", "Max", 1)) }
	for _, c := range []struct {
		name   string
		secret string
		at     time.Time
		mutate func([]byte) []byte
	}{
		{"tampered body", whSecret, now, tampered},
		{"wrong secret", "whsec_" + strings.Repeat("A", 32), now, nil},
		{"stale timestamp", whSecret, now.Add(-10 * time.Minute), nil},
		{"future timestamp", whSecret, now.Add(10 * time.Minute), nil},
	} {
		if code := post(c.secret, c.at, c.mutate); code != http.StatusBadRequest && code != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 400 or 401", c.name, code)
		}
	}
	if calls != 0 {
		t.Fatalf("the handler ran %d times for refused deliveries", calls)
	}
	if code := post(whOldSecret, now, nil); code/100 != 2 || calls != 1 {
		t.Errorf("rotated (previous) secret: %d, %d calls; want 2xx and 1", code, calls)
	}
}

// TestWebhooksDeadLetters: a failing handler answers 500 until the third
// attempt, which dead-letters the delivery (202); Replay then hands it to
// the handler once; an event that does not decode is dead-lettered at once.
func TestWebhooksDeadLetters(t *testing.T) {
	wh, rc, url := whSetup(t, 3, whSecret)
	fail := true
	calls := 0
	wh.OnPetAdopted(func(context.Context, *webhooks.PetAdopted) error {
		calls++
		if fail {
			return errors.New("database down")
		}
		return nil
	})
	ctx := context.Background()
	send := whSender(url, whSecret)
	e := &webhooks.PetAdopted{Type: webhooks.PetAdoptedTypePetAdopted, Pet: webhooks.Pet{ID: 1, Name: "Rex"}, Adopter: "Ann"}
	var codes []int
	for range 3 {
		codes = append(codes, whStatus(send.SendPetAdopted(ctx, "msg_dl", e)))
	}
	if codes[0] != 500 || codes[1] != 500 || codes[2] != http.StatusAccepted {
		t.Fatalf("three failing attempts answered %v, want [500 500 202]", codes)
	}
	if code := whStatus(send.SendPetAdopted(ctx, "msg_dl", e)); code/100 != 2 || calls != 3 {
		t.Fatalf("a redelivery after dead-lettering: %d, %d calls; want 2xx and 3", code, calls)
	}
	fail = false
	if err := wh.Replay(ctx, "msg_dl"); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if err := wh.Replay(ctx, "msg_dl"); !errors.Is(err, webhook.ErrNotFound) {
		t.Errorf("second Replay: %v, want ErrNotFound", err)
	}
	if calls != 4 {
		t.Errorf("handler calls %d, want 4 (3 failures, 1 replay)", calls)
	}
	// A body that is not JSON can never be handled: dead-lettered at once
	// (its event cannot even be told).
	if code := whStatus(webhook.Post(ctx, nil, url, send.Signer, "msg_bad", []byte(`{"type":"pet.adopted",`))); code != http.StatusAccepted {
		t.Fatalf("undecodable event: %d, want 202 (dead-lettered)", code)
	}
	dl, err := rc.DeadLetters.Get(ctx, "msg_bad")
	if err != nil || dl.Attempts != 1 || !strings.Contains(dl.Err, "none of the spec's events") {
		t.Errorf("dead letter of the undecodable event: %+v, %v", dl, err)
	}
	if calls != 4 {
		t.Errorf("the handler ran for an undecodable event")
	}
}

// TestWebhooksDrift: an event with a member of the wrong type ("pet" a
// string) is handled with that member unset and the drift reported, as a
// client's response would be; with the Receiver's StrictDecoding it is
// dead-lettered at once.
func TestWebhooksDrift(t *testing.T) {
	wh, rc, url := whSetup(t, 0, whSecret)
	var drift []runtime.DriftEvent
	rc.Observer.Drift = func(_ context.Context, e runtime.DriftEvent) { drift = append(drift, e) }
	var got *webhooks.PetAdopted
	wh.OnPetAdopted(func(_ context.Context, e *webhooks.PetAdopted) error { got = e; return nil })
	ctx := context.Background()
	signer := whSender(url, whSecret).Signer
	mistyped := []byte(`{"type":"pet.adopted","pet":"Rex","adopter":"Ann"}`)
	if code := whStatus(webhook.Post(ctx, nil, url, signer, "msg_d1", mistyped)); code != http.StatusOK {
		t.Fatalf("mistyped event: %d, want 200", code)
	}
	if got == nil || got.Adopter != "Ann" || got.Pet.Name != "" {
		t.Fatalf("handled %+v", got)
	}
	if len(drift) != 1 || drift[0].Operation.ID != "petAdopted" || drift[0].Drift[0].Pointer != "/pet" || drift[0].Drift[0].Got != "string" {
		t.Errorf("drift %+v", drift)
	}
	rc.StrictDecoding = true
	got = nil
	if code := whStatus(webhook.Post(ctx, nil, url, signer, "msg_d2", mistyped)); code != http.StatusAccepted || got != nil {
		t.Fatalf("strict: %d (handled %v), want 202 dead-lettered", code, got)
	}
	if dl, err := rc.DeadLetters.Get(ctx, "msg_d2"); err != nil || !strings.Contains(dl.Err, "/pet: expected") {
		t.Errorf("strict dead letter: %+v, %v", dl, err)
	}
}

// TestCallbacksByHeader: 3.0 callbacks and an x-webhooks event told apart
// by the X-Event header the generated sender sets (its value from the
// header parameter's enum, or from the extension connectorgen.yaml's
// header_value names); a body that is not JSON reaches its handler as
// bytes.
func TestCallbacksByHeader(t *testing.T) {
	rc := &webhook.Receiver{Scheme: &webhook.StandardWebhooks{Secrets: []auth.SecretSource{auth.StaticSecret(whSecret)}}}
	wh := callbacks.NewWebhooks(rc)
	srv := httptest.NewServer(wh)
	defer srv.Close()
	var got []string
	wh.OnData(func(_ context.Context, e *callbacks.DataEvent) error {
		got = append(got, "data "+e.UserData.Value)
		return nil
	})
	wh.OnClosed(func(_ context.Context, body []byte) error {
		got = append(got, "closed "+string(body))
		return nil
	})
	send := &callbacks.WebhookSender{URL: srv.URL, Signer: rc.Scheme.(webhook.Signer)}
	ctx := context.Background()
	e := &callbacks.DataEvent{UserData: runtime.Some("hello")}
	if code := whStatus(send.SendData(ctx, "d1", e)); code/100 != 2 {
		t.Fatalf("SendData: %d", code)
	}
	if code := whStatus(send.SendClosed(ctx, "c1", []byte(`"bye"`))); code/100 != 2 {
		t.Fatalf("SendClosed: %d", code)
	}
	// x-webhooks' event, its X-Event value from the extension x-event.
	wh.OnPinged(func(_ context.Context, e *callbacks.PingedEvent) error {
		got = append(got, "pinged "+e.Zen.Value)
		return nil
	})
	if code := whStatus(send.SendPinged(ctx, "p1", &callbacks.PingedEvent{Zen: runtime.Some("calm")})); code/100 != 2 {
		t.Fatalf("SendPinged: %d", code)
	}
	if want := "data hello\nclosed \"bye\"\npinged calm"; strings.Join(got, "\n") != want {
		t.Errorf("handled %q", got)
	}
}

// TestCallbacksForURL: For mounts an event at a URL of its own (a
// callback): a delivery there is that event whatever its headers say; the
// header For uses is the receiver's own, so a sender setting it on the
// shared endpoint changes nothing; a dead-lettered delivery of a For URL
// replays to the same handler.
func TestCallbacksForURL(t *testing.T) {
	rc := &webhook.Receiver{Scheme: &webhook.StandardWebhooks{Secrets: []auth.SecretSource{auth.StaticSecret(whSecret)}}, MaxAttempts: 1}
	wh := callbacks.NewWebhooks(rc)
	mux := http.NewServeMux()
	mux.Handle("/hooks", wh)
	mux.Handle("/hooks/closed", wh.For("onClosed"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var got []string
	fail := true
	wh.OnClosed(func(_ context.Context, body []byte) error {
		got = append(got, "closed "+string(body))
		if fail {
			return webhook.Permanent(errors.New("not now"))
		}
		return nil
	})
	wh.OnData(func(_ context.Context, e *callbacks.DataEvent) error {
		got = append(got, "data "+e.UserData.Value)
		return nil
	})
	ctx := context.Background()
	signer := rc.Scheme.(webhook.Signer)
	// No X-Event header at all: the URL says which event it is.
	if code := whStatus(webhook.Post(ctx, nil, srv.URL+"/hooks/closed", signer, "c1", []byte(`"bye"`))); code != http.StatusAccepted {
		t.Fatalf("For URL with a failing handler: %d, want 202 (dead-lettered)", code)
	}
	// The shared endpoint ignores a sender's Connectorgen-Webhook-Event.
	forged := http.Header{"X-Event": {"data"}, webhook.EventHeader: {"onClosed"}}
	if code := whStatus(webhook.PostHeader(ctx, nil, srv.URL+"/hooks", signer, "d1", []byte(`{"userData":"hi"}`), forged)); code/100 != 2 {
		t.Fatalf("shared endpoint: %d", code)
	}
	fail = false
	if err := wh.Replay(ctx, "c1"); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if want := "closed \"bye\"\ndata hi\nclosed \"bye\""; strings.Join(got, "\n") != want {
		t.Errorf("handled %q, want %q", got, want)
	}
}
