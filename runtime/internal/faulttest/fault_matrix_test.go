package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
	"go.uber.org/goleak"
)

// toxiproxy is a toxiproxy server run for the test, driven through its HTTP
// API with a plain net/http client.
type toxiproxy struct {
	t   *testing.T
	api string
	hc  *http.Client
}

// toxiproxyBinary finds the server: $TOXIPROXY_SERVER, the repository's
// bin/toxiproxy-server (make bin/toxiproxy-server) or toxiproxy-server on
// PATH.
func toxiproxyBinary() (string, bool) {
	if p := os.Getenv("TOXIPROXY_SERVER"); p != "" {
		return p, true
	}
	if p, err := filepath.Abs("../../../bin/toxiproxy-server"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	p, err := exec.LookPath("toxiproxy-server")
	return p, err == nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func startToxiproxy(t *testing.T) *toxiproxy {
	t.Helper()
	bin, ok := toxiproxyBinary()
	if !ok {
		t.Skip("toxiproxy server not found: run `make bin/toxiproxy-server` (go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0) or set TOXIPROXY_SERVER")
	}
	port := freePort(t)
	cmd := exec.Command(bin, "-host", "127.0.0.1", "-port", fmt.Sprint(port), "-seed", "20260301")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Skipf("toxiproxy server did not start: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	tp := &toxiproxy{t: t, api: fmt.Sprintf("http://127.0.0.1:%d", port), hc: &http.Client{Transport: tr, Timeout: 5 * time.Second}}
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := tp.hc.Get(tp.api + "/version")
		if err == nil {
			resp.Body.Close()
			return tp
		}
		if time.Now().After(deadline) {
			t.Skipf("toxiproxy server on port %d did not answer: %v\n%s", port, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call sends a JSON request to the API and fails the test unless it
// succeeds.
func (tp *toxiproxy) call(method, path string, body any) {
	tp.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, tp.api+path, r)
	if err != nil {
		tp.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := tp.hc.Do(req)
	if err != nil {
		tp.t.Fatalf("toxiproxy %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		tp.t.Fatalf("toxiproxy %s %s: %s: %s", method, path, resp.Status, msg)
	}
}

// proxy creates a proxy to upstream and returns its address.
func (tp *toxiproxy) proxy(name, upstream string) string {
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(tp.t))
	tp.call("POST", "/proxies", map[string]any{"name": name, "listen": listen, "upstream": upstream, "enabled": true})
	return listen
}

// toxic is one toxiproxy toxic.
type toxic struct {
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Stream     string         `json:"stream"`
	Toxicity   float64        `json:"toxicity"`
	Attributes map[string]int `json:"attributes"`
}

// ledger is a payments-like server: POST /orders creates one order per
// Idempotency-Key; a repeated key gets the stored order back. It commits
// before it answers, and answers slowly, so faults can hit after the
// side effect.
type ledger struct {
	mu      sync.Mutex
	orders  map[string]int // key -> order id
	effects map[string]int // key -> orders created for it
	seen    int
}

func newLedger() *ledger { return &ledger{orders: map[string]int{}, effects: map[string]int{}} }

func (l *ledger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		http.Error(w, "missing Idempotency-Key", http.StatusBadRequest)
		return
	}
	l.mu.Lock()
	l.seen++
	id, replay := l.orders[key]
	if !replay {
		id = len(l.orders) + 1
		l.orders[key] = id
		l.effects[key]++
	}
	l.mu.Unlock()
	time.Sleep(30 * time.Millisecond) // committed; the answer is still to come
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	// Padding makes the answer longer than limit_data lets through.
	fmt.Fprintf(w, `{"id":%d,"replayed":%t,"padding":%q}`, id, replay, strings.Repeat("x", 512))
}

// snapshot returns side effects counted per key.
func (l *ledger) snapshot() (effects map[string]int, requests int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.effects))
	for k, v := range l.effects {
		out[k] = v
	}
	return out, l.seen
}

var createOrder = &runtime.Operation{ID: "createOrder", Method: "POST", Path: "/orders", IdempotencyHeader: "Idempotency-Key"}

// typed names the kind of a call's error; "" means the error has none of
// the runtime's types.
func typed(err error) string {
	var ae *runtime.APIError
	var ue *url.Error
	switch {
	case errors.Is(err, runtime.ErrCircuitOpen):
		return "circuit-open"
	case errors.Is(err, runtime.ErrRateLimited):
		return "rate-limited"
	case errors.Is(err, runtime.ErrRetryBudgetExhausted):
		return "budget"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case errors.Is(err, runtime.ErrRetriesExhausted):
		return "retries"
	case errors.As(err, &ae):
		return "api"
	case errors.As(err, &ue):
		return "transport"
	}
	return ""
}

// row is one line of the fault matrix.
type row struct {
	fault, mode                string
	calls, ok, failed, untyped int
	requests, effects, dups    int
	ambiguous                  int // side effect, but the call failed
	reconciled, finalEffects   int
	slowest                    time.Duration
	kinds                      map[string]int
}

func TestFaultMatrix(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) }) // registered first: runs after the other cleanups
	tp := startToxiproxy(t)
	const (
		calls    = 24
		deadline = 4 * time.Second
	)
	faults := []struct {
		name  string
		toxic *toxic
	}{
		{"none", nil},
		{"latency", &toxic{Type: "latency", Stream: "downstream", Toxicity: 1, Attributes: map[string]int{"latency": 80, "jitter": 40}}},
		{"reset_peer", &toxic{Type: "reset_peer", Stream: "downstream", Toxicity: 0.5, Attributes: map[string]int{"timeout": 10}}},
		// Upstream: the request never arrives and nothing comes back until
		// the attempt times out (downstream, the server's close would end
		// the connection at once).
		{"timeout", &toxic{Type: "timeout", Stream: "upstream", Toxicity: 0.3, Attributes: map[string]int{"timeout": 0}}},
		{"limit_data", &toxic{Type: "limit_data", Stream: "downstream", Toxicity: 0.5, Attributes: map[string]int{"bytes": 200}}},
		{"slow_close", &toxic{Type: "slow_close", Stream: "downstream", Toxicity: 1, Attributes: map[string]int{"delay": 150}}},
	}
	// Each fault runs with the default circuit breaker policy (opening on
	// a failure ratio, here for 100 ms) and without one: with it,
	// calls fail fast once faults pile up; without it, retries carry them.
	type mode struct {
		name string
		opt  runtime.ClientOption
	}
	modes := []mode{
		{"breaker", runtime.WithCircuitBreaker(runtime.BreakerSettings{OpenTimeout: 100 * time.Millisecond})},
		{"no-breaker", runtime.WithoutCircuitBreaker()},
	}
	var rows []row
	for i, mf := range cross(modes, faults) {
		m, f := mf.m, mf.f
		l := newLedger()
		srv := httptest.NewServer(l)
		name := fmt.Sprintf("ledger%d", i)
		addr := tp.proxy(name, srv.Listener.Addr().String())
		if f.toxic != nil {
			f.toxic.Name = f.name
			tp.call("POST", "/proxies/"+name+"/toxics", f.toxic)
		}
		// A new connection per attempt, so toxicity applies per attempt.
		tr := &http.Transport{DisableKeepAlives: true}
		c, err := runtime.NewClient("http://"+addr, nil,
			runtime.WithHTTPClient(&http.Client{Transport: tr}),
			runtime.WithTimeout(500*time.Millisecond),
			runtime.WithRetry(runtime.RetryPolicy{MaxRetries: 5, BaseDelay: 20 * time.Millisecond, MaxDelay: 200 * time.Millisecond}),
			m.opt)
		if err != nil {
			t.Fatal(err)
		}
		r := row{fault: f.name, mode: m.name, calls: calls, kinds: map[string]int{}}
		type result struct {
			key  string
			err  error
			took time.Duration
		}
		results := make([]result, calls)
		var wg sync.WaitGroup
		for j := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("%s-%s-%02d", m.name, f.name, j)
				ctx, cancel := context.WithTimeout(context.Background(), deadline)
				defer cancel()
				start := time.Now()
				req := runtime.NewRequest(createOrder, "/orders")
				rtimpl.SetJSONBody(req, map[string]int{"amount": 100 + j})
				resp, err := c.Do(ctx, req, runtime.WithIdempotencyKey(key))
				if err == nil && resp.StatusCode != http.StatusCreated {
					err = resp.Error(nil)
				}
				results[j] = result{key, err, time.Since(start)}
			}()
		}
		wg.Wait()
		effects, requests := l.snapshot()
		r.requests = requests
		for _, res := range results {
			r.slowest = max(r.slowest, res.took)
			if res.took > deadline+100*time.Millisecond {
				t.Errorf("%s: call %s returned after %v, past its %v deadline", f.name, res.key, res.took, deadline)
			}
			if res.err == nil {
				r.ok++
				if effects[res.key] != 1 {
					t.Errorf("%s: call %s succeeded with %d side effects", f.name, res.key, effects[res.key])
				}
				continue
			}
			r.failed++
			kind := typed(res.err)
			r.kinds[kind]++
			if kind == "" {
				r.untyped++
				t.Errorf("%s: call %s: untyped error %T: %v", f.name, res.key, res.err, res.err)
			}
			if effects[res.key] > 0 {
				r.ambiguous++
			}
		}
		for _, n := range effects {
			r.effects += n
			if n > 1 {
				r.dups += n - 1
			}
		}
		if r.effects != r.ok+r.ambiguous {
			t.Errorf("%s: %d side effects for %d successes and %d ambiguous failures", f.name, r.effects, r.ok, r.ambiguous)
		}

		// Reconcile: with the fault gone, the failed calls are sent again
		// with their keys, as an application would; every call then has
		// exactly one side effect.
		if f.toxic != nil {
			tp.call("DELETE", "/proxies/"+name+"/toxics/"+f.name, nil)
		}
		for _, res := range results {
			if res.err == nil {
				continue
			}
			req := runtime.NewRequest(createOrder, "/orders")
			rtimpl.SetJSONBody(req, map[string]int{"amount": 0})
			resp, err := c.Do(context.Background(), req, runtime.WithIdempotencyKey(res.key), runtime.WithoutCircuitBreaker())
			if err != nil || resp.StatusCode != http.StatusCreated {
				t.Errorf("%s: reconciling %s: %v %v", f.name, res.key, resp, err)
				continue
			}
			r.reconciled++
		}
		effects, _ = l.snapshot()
		for _, n := range effects {
			r.finalEffects += n
		}
		if len(effects) != calls || r.finalEffects != calls {
			t.Errorf("%s: after reconciling, %d side effects over %d keys for %d calls", f.name, r.finalEffects, len(effects), calls)
		}
		if r.dups != 0 {
			t.Errorf("%s: %d duplicate side effects", f.name, r.dups)
		}
		rows = append(rows, r)
		tp.call("DELETE", "/proxies/"+name, nil)
		tr.CloseIdleConnections()
		srv.Close()
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%-11s %-10s %5s %4s %6s %8s %7s %4s %9s %10s %9s  %s\n", "fault", "mode", "calls", "ok", "failed", "requests", "effects", "dups", "ambiguous", "reconciled", "slowest", "errors")
	for _, r := range rows {
		var kinds []string
		for k, n := range r.kinds {
			kinds = append(kinds, fmt.Sprintf("%s:%d", k, n))
		}
		slices.Sort(kinds)
		fmt.Fprintf(&b, "%-11s %-10s %5d %4d %6d %8d %7d %4d %9d %10d %9v  %s\n", r.fault, r.mode, r.calls, r.ok, r.failed, r.requests,
			r.effects, r.dups, r.ambiguous, r.reconciled, r.slowest.Round(time.Millisecond), strings.Join(kinds, " "))
	}
	t.Log(b.String())
}

// cross pairs every fault with every mode, faults outermost.
func cross[M, F any](ms []M, fs []F) []struct {
	m M
	f F
} {
	var out []struct {
		m M
		f F
	}
	for _, f := range fs {
		for _, m := range ms {
			out = append(out, struct {
				m M
				f F
			}{m, f})
		}
	}
	return out
}
