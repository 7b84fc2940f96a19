package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/webhook"
)

const ghSecret = "receiver test secret"

// post sends body to url signed as GitHub signs (X-Hub-Signature-256),
// with delivery id, and returns the status.
func post(t *testing.T, url, id, body string) int {
	t.Helper()
	m := hmac.New(sha256.New, []byte(ghSecret))
	m.Write([]byte(body))
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
	if id != "" {
		req.Header.Set("X-GitHub-Delivery", id)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// receiver serves rc on loopback and records its events' outcomes.
func receiver(t *testing.T, handle func(ctx context.Context, d *webhook.Delivery) error) (*webhook.Receiver, string, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var outcomes []string
	rc := &webhook.Receiver{
		Scheme: &webhook.GitHub{Secrets: secrets(ghSecret)},
		Handle: handle,
		Observer: runtime.Observer{Delivery: func(_ context.Context, e runtime.DeliveryEvent) {
			mu.Lock()
			outcomes = append(outcomes, e.Outcome)
			mu.Unlock()
		}},
		MaxAttempts: 3,
	}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := outcomes
		outcomes = nil
		return out
	}
}

func TestReceiverHandlesOnce(t *testing.T) {
	var runs atomic.Int32
	_, url, outcomes := receiver(t, func(_ context.Context, d *webhook.Delivery) error {
		runs.Add(1)
		return nil
	})
	if s := post(t, url, "d1", `{"action":"opened"}`); s != 200 {
		t.Fatalf("first delivery: %d", s)
	}
	if s := post(t, url, "d1", `{"action":"opened"}`); s != 200 {
		t.Fatalf("redelivery: %d", s)
	}
	if runs.Load() != 1 {
		t.Errorf("handler ran %d times for one delivery id", runs.Load())
	}
	// Without an id header, the body's hash deduplicates.
	post(t, url, "", `{"n":1}`)
	post(t, url, "", `{"n":1}`)
	post(t, url, "", `{"n":2}`)
	if runs.Load() != 3 {
		t.Errorf("handler ran %d times, want 3", runs.Load())
	}
	if got := strings.Join(outcomes(), " "); got != "handled duplicate handled duplicate handled" {
		t.Errorf("outcomes %s", got)
	}
}

func TestReceiverRejects(t *testing.T) {
	_, url, outcomes := receiver(t, func(context.Context, *webhook.Delivery) error {
		t.Error("handler ran for a delivery that does not verify")
		return nil
	})
	req, _ := http.NewRequest("POST", url, strings.NewReader(`{}`))
	req.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("00", 32))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	n, _ := resp.Body.Read(buf)
	resp.Body.Close()
	if resp.StatusCode != 401 || strings.TrimSpace(string(buf[:n])) != "Unauthorized" {
		t.Errorf("forged: %d %q; want 401 and nothing but the status text", resp.StatusCode, buf[:n])
	}
	if got := outcomes(); len(got) != 1 || got[0] != webhook.OutcomeRejected {
		t.Errorf("outcomes %v", got)
	}
}

// A failing handler answers 500 (the sender retries); after MaxAttempts
// failures the delivery is dead-lettered and acknowledged; Replay hands it
// to the handler once, concurrently called or not.
func TestReceiverDeadLettersAndReplays(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	var runs atomic.Int32
	rc, url, outcomes := receiver(t, func(_ context.Context, d *webhook.Delivery) error {
		runs.Add(1)
		if fail.Load() {
			return errors.New("downstream unavailable")
		}
		return nil
	})
	for i, want := range []int{500, 500, 202, 200} {
		if s := post(t, url, "d9", `{"x":1}`); s != want {
			t.Fatalf("delivery %d: %d, want %d", i+1, s, want)
		}
	}
	if got := strings.Join(outcomes(), " "); got != "failed failed dead-lettered duplicate" {
		t.Errorf("outcomes %s", got)
	}
	ls, _ := rc.DeadLetters.List(context.Background())
	if len(ls) != 1 || ls[0].ID != "d9" || ls[0].Attempts != 3 || ls[0].Err != "downstream unavailable" || string(ls[0].Body) != `{"x":1}` {
		t.Fatalf("dead letters %+v", ls)
	}
	if err := rc.Replay(context.Background(), "d9"); err == nil {
		t.Fatal("replay with the handler still failing succeeded")
	}
	fail.Store(false)
	runs.Store(0)
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rc.Replay(context.Background(), "d9") == nil {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 1 || ok.Load() != 1 {
		t.Errorf("8 concurrent replays ran the handler %d times, %d succeeded; want once", runs.Load(), ok.Load())
	}
	if _, err := rc.DeadLetters.Get(context.Background(), "d9"); !errors.Is(err, webhook.ErrNotFound) {
		t.Errorf("the replayed letter is still there: %v", err)
	}
}

// A panicking handler is a failure, not a crash; a permanent error goes
// to the dead letters at once.
func TestReceiverPanicAndPermanent(t *testing.T) {
	rc, url, _ := receiver(t, func(_ context.Context, d *webhook.Delivery) error {
		if strings.Contains(string(d.Body), "panic") {
			panic("boom")
		}
		return webhook.Permanent(errors.New("event does not decode"))
	})
	if s := post(t, url, "p1", `"panic"`); s != 500 {
		t.Errorf("panicking handler: %d, want 500", s)
	}
	if s := post(t, url, "bad", `{}`); s != 202 {
		t.Errorf("permanent failure: %d, want 202 (dead-lettered)", s)
	}
	if dl, err := rc.DeadLetters.Get(context.Background(), "bad"); err != nil || dl.Attempts != 1 {
		t.Errorf("permanent failure not dead-lettered: %+v, %v", dl, err)
	}
}

// A redelivery while the handler still runs is answered 409 with
// Retry-After, and the handler runs once.
func TestReceiverBusy(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	var runs atomic.Int32
	_, url, _ := receiver(t, func(context.Context, *webhook.Delivery) error {
		runs.Add(1)
		close(started)
		<-release
		return nil
	})
	done := make(chan int)
	go func() { done <- post(t, url, "slow", `{}`) }()
	<-started
	if s := post(t, url, "slow", `{}`); s != 409 {
		t.Errorf("redelivery during handling: %d, want 409", s)
	}
	close(release)
	if s := <-done; s != 200 || runs.Load() != 1 {
		t.Errorf("first: %d, runs %d", s, runs.Load())
	}
}
