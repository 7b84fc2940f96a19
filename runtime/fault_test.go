package runtime_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// hangUp closes the client's connection without answering.
func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST rather than FIN
	}
	conn.Close()
}

func TestConnectionRefusedRetried(t *testing.T) {
	checkGoroutines(t)
	// Reserve a port, then free it: connections are refused until the
	// first backoff wait brings a server up there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	var waits int
	sleep := func(ctx context.Context, d time.Duration) error {
		if waits++; waits == 1 {
			l, err := net.Listen("tcp", addr)
			if err != nil {
				t.Skipf("port %s taken meanwhile: %v", addr, err)
			}
			srv.Listener = l
			srv.Start()
		}
		return ctx.Err()
	}
	c := mustClient(t, "http://"+addr, nil, runtime.WithTestClock(time.Now, sleep))
	// Even a POST without a key: nothing reached the server.
	resp := do(t, c, runtime.NewRequest(createPet, "/pets"))
	if resp.StatusCode != 200 || resp.Attempts != 2 || waits != 1 {
		t.Errorf("status %d after %d attempts, %d waits", resp.StatusCode, resp.Attempts, waits)
	}
}

func TestConnectionResetRetried(t *testing.T) {
	checkGoroutines(t)
	srv := newScript(t, nil)
	srv.setReply(func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			hangUp(t, w)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	})
	c := mustClient(t, srv.URL, nil, newFakeClock().option())
	if resp := do(t, c, runtime.NewRequest(listPets, "/")); resp.StatusCode != 200 || resp.Attempts != 2 {
		t.Errorf("GET: status %d after %d attempts", resp.StatusCode, resp.Attempts)
	}
	// A POST without a key may have taken effect: not retried.
	srv.reset()
	r := runtime.NewRequest(createPet, "/pets")
	rtimpl.SetJSONBody(r, map[string]string{"name": "Rex"})
	if _, err := c.Do(context.Background(), r); err == nil || srv.count() != 1 {
		t.Errorf("POST: err %v after %d requests", err, srv.count())
	}
}

func TestPermanentErrorsNotRetried(t *testing.T) {
	checkGoroutines(t)
	// TLS: a server the client does not trust.
	handshakes := 0
	var mu sync.Mutex
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			handshakes++
			mu.Unlock()
		}
	}
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	clock := newFakeClock()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := mustClient(t, tlsSrv.URL, nil, clock.option(), runtime.WithHTTPClient(&http.Client{Transport: tr}))
	_, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/"))
	var cv *tls.CertificateVerificationError
	mu.Lock()
	n := handshakes
	mu.Unlock()
	if !errors.As(err, &cv) || len(clock.recorded()) != 0 || n != 1 || errors.Is(err, runtime.ErrRetriesExhausted) {
		t.Errorf("TLS: %v after %d connections, waits %v", err, n, clock.recorded())
	}

	// Redirect loop.
	loop := newScript(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	clock = newFakeClock()
	c = mustClient(t, loop.URL, nil, clock.option())
	if _, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/")); err == nil || len(clock.recorded()) != 0 || loop.count() != 10 {
		t.Errorf("redirect loop: %v after %d requests, waits %v", err, loop.count(), clock.recorded())
	}

	// Unsupported scheme (a middleware rewrites the URL).
	ftp := func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		req.URL.Scheme = "ftp"
		return next.Do(req)
	}
	clock = newFakeClock()
	c = mustClient(t, loop.URL, nil, clock.option(), runtime.WithMiddleware(ftp))
	if _, err := c.Do(context.Background(), runtime.NewRequest(listPets, "/")); err == nil || len(clock.recorded()) != 0 {
		t.Errorf("ftp: %v, waits %v", err, clock.recorded())
	}
}

// ledger is a payments-like server: POST /orders creates an order once per
// idempotency key, and failures are injected per (call, attempt) from a
// fixed seed, before or after the order is committed.
type ledger struct {
	t        *testing.T
	mu       sync.Mutex
	orders   map[string]int // key -> order id
	effects  map[string]int // key -> orders created
	attempts map[string]int
	nextID   int
}

// fault kinds.
const (
	faultNone            = iota
	fault503             // before the commit
	fault429             // before the commit, Retry-After: 0
	faultCommitThen500   // committed, answer lost
	faultCommitThenReset // committed, connection reset
	faultCommitThenHang  // committed, attempt times out
	faultKinds
)

func (l *ledger) plan(call, attempt int) int {
	if attempt > 4 {
		return faultNone // every call ends well within MaxRetries
	}
	rng := rand.New(rand.NewPCG(20260301, uint64(call)<<8|uint64(attempt)))
	if rng.IntN(2) == 0 {
		return faultNone
	}
	return 1 + rng.IntN(faultKinds-1)
}

func (l *ledger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	key := r.Header.Get("Idempotency-Key")
	call, _ := strconv.Atoi(r.Header.Get("X-Call"))
	l.mu.Lock()
	l.attempts[key]++
	fault := l.plan(call, l.attempts[key])
	if fault == fault503 || fault == fault429 {
		l.mu.Unlock()
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(map[int]int{fault503: 503, fault429: 429}[fault])
		return
	}
	id, done := l.orders[key]
	if !done { // the side effect, once per key
		l.nextID++
		id = l.nextID
		l.orders[key] = id
		l.effects[key]++
	}
	l.mu.Unlock()
	switch fault {
	case faultCommitThen500:
		w.WriteHeader(500)
	case faultCommitThenReset:
		hangUp(l.t, w)
	case faultCommitThenHang:
		<-r.Context().Done()
	default:
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"id":%d}`, id)
	}
}

func TestFaultMatrixNoDuplicateSideEffects(t *testing.T) {
	checkGoroutines(t)
	l := &ledger{t: t, orders: map[string]int{}, effects: map[string]int{}, attempts: map[string]int{}}
	srv := httptest.NewServer(l)
	t.Cleanup(srv.Close)
	// Half the attempts fail: the circuit breaker would rightly open.
	c := mustClient(t, srv.URL, nil, newFakeClock().option(), runtime.WithoutRetryBudget(), runtime.WithoutCircuitBreaker(),
		runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 6}), runtime.WithTimeout(200*time.Millisecond))
	const calls = 48
	type result struct {
		id  int
		err error
	}
	results := make([]result, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := runtime.NewRequest(keyedPost, "/orders")
			rtimpl.SetJSONBody(r, map[string]int{"amount": 100 + i})
			resp, err := c.Do(context.Background(), r, runtime.WithHeader("X-Call", strconv.Itoa(i)))
			if err == nil && resp.StatusCode != 201 {
				err = resp.Error(nil)
			}
			var out struct{ ID int }
			if err == nil {
				err = json.Unmarshal(resp.Body, &out)
			}
			results[i] = result{out.ID, err}
		}()
	}
	wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	successes, effects, faulted := 0, 0, 0
	ids := map[int]bool{}
	for i, r := range results {
		if r.err != nil {
			t.Errorf("call %d: %v", i, r.err)
			continue
		}
		successes++
		ids[r.id] = true
	}
	for key, n := range l.effects {
		effects += n
		if n != 1 {
			t.Errorf("key %s: %d side effects", key, n)
		}
		if l.attempts[key] > 1 {
			faulted++
		}
	}
	if successes != calls || effects != successes || len(ids) != calls || len(l.effects) != calls {
		t.Errorf("%d calls: %d succeeded, %d side effects, %d distinct ids, %d keys", calls, successes, effects, len(ids), len(l.effects))
	}
	if faulted < calls/4 {
		t.Errorf("only %d calls met a fault: the matrix is too gentle", faulted)
	}
}
