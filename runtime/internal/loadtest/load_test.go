package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/internal/loadtest/petstore"
)

// plan sizes a run: LOADTEST=long is the form of issue 19's done criteria,
// anything else the bounded form of `make test` (about 35 s).
type plan struct {
	name                       string
	faultWorkers               int
	faultFor                   time.Duration
	upBefore, downFor, upAfter time.Duration
	tputWorkers                int
	tputFor                    time.Duration // per client, in two rounds
	minRatio                   float64       // runtime calls/s over bare calls/s
}

func loadPlan() plan {
	if os.Getenv("LOADTEST") == "long" {
		return plan{"long", 256, 30 * time.Second, 2 * time.Second, 10 * time.Second, 8 * time.Second, 64, 10 * time.Second, 0.8}
	}
	// The bounded form runs beside other tests on a shared machine: the
	// throughput ratio is reported, and only checked loosely.
	return plan{"short", 256, 8 * time.Second, time.Second, 3 * time.Second, 6 * time.Second, 64, 3 * time.Second, 0.5}
}

const (
	callDeadline  = 5 * time.Second        // each call's context
	deadlineSlack = 100 * time.Millisecond // scheduling slack on a busy machine
	postShare     = 0.10                   // share of calls that are POSTs
	failPause     = 10 * time.Millisecond  // a caller's pause after a failed call
	maxRecovery   = 5 * time.Second
)

// caller makes one call: a POST creating pet "p<n>" when post, else a GET.
type caller func(ctx context.Context, post bool, n int) error

// connector calls through the generated Petstore connector with the
// runtime's defaults (no WithHTTPClient: the default transport).
func connector(t *testing.T, base string) caller {
	pc, err := petstore.New(base, petstore.WithAPIKey(auth.APIKey("k")))
	if err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, post bool, n int) error {
		if post {
			_, err := pc.CreatePet(ctx, petstore.CreatePetRequest{Body: petstore.NewPet{Name: "p" + strconv.Itoa(n)}})
			return err
		}
		_, err := pc.GetPet(ctx, petstore.GetPetRequest{PetID: 42})
		return err
	}
}

// tunedTransport is the transport of the bare client: the runtime's
// default settings.
func tunedTransport() *http.Transport { return runtime.NewTransport() }

// bare calls with net/http alone on the same transport settings: no
// retries, no breaker, no idempotency key; the same JSON decoding.
func bare(base string, hc *http.Client) caller {
	return func(ctx context.Context, post bool, n int) error {
		var req *http.Request
		want := http.StatusOK
		if post {
			req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/pets", strings.NewReader(`{"name":"p`+strconv.Itoa(n)+`"}`))
			req.Header.Set("Content-Type", "application/json")
			want = http.StatusCreated
		} else {
			req, _ = http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/42", nil)
		}
		req.Header.Set("X-API-Key", "k")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != want {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		var pet petstore.Pet
		return json.Unmarshal(b, &pet)
	}
}

// Latency histogram: bucket i holds durations up to 1 µs·1.05^i.
const buckets = 420

func bucketOf(d time.Duration) int {
	if d <= time.Microsecond {
		return 0
	}
	return min(int(math.Ceil(math.Log(float64(d)/float64(time.Microsecond))/math.Log(1.05))), buckets-1)
}

type result struct {
	calls, ok, late int64
	took            time.Duration
	hist            [buckets]int64
	newConns        int64
	maxOver         time.Duration // longest time past the deadline
}

func (r *result) rate() float64    { return float64(r.calls) / r.took.Seconds() }
func (r *result) success() float64 { return float64(r.ok) / float64(max(r.calls, 1)) }
func (r *result) connRate() float64 {
	return float64(r.newConns) / r.took.Seconds()
}

// quantile returns the upper bound of the bucket holding quantile q.
func (r *result) quantile(q float64) time.Duration {
	target := int64(math.Ceil(q * float64(r.calls)))
	var seen int64
	for i, n := range r.hist {
		seen += n
		if seen >= target && n > 0 {
			return time.Duration(float64(time.Microsecond) * math.Pow(1.05, float64(i)))
		}
	}
	return 0
}

func (r *result) add(o *result) {
	r.calls += o.calls
	r.ok += o.ok
	r.late += o.late
	r.took += o.took
	r.newConns += o.newConns
	r.maxOver = max(r.maxOver, o.maxOver)
	for i := range r.hist {
		r.hist[i] += o.hist[i]
	}
}

// recovery watches the calls started after the partner came back.
type recovery struct {
	at       atomic.Int64 // UnixNano of the recovery; 0 before
	firstOK  atomic.Int64 // end of the first success of a call started after it
	lastFail atomic.Int64 // end of the last failure of a call started after it
	fails    atomic.Int64
}

func storeMin(a *atomic.Int64, v int64) {
	for old := a.Load(); (old == 0 || v < old) && !a.CompareAndSwap(old, v); old = a.Load() {
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for old := a.Load(); v > old && !a.CompareAndSwap(old, v); old = a.Load() {
	}
}

// took returns how long after the recovery calls succeeded again: the
// later of the first success and the last failure (the partner is healthy
// then, so a failure is the client's own doing: an open breaker, an empty
// budget). ok is false if no call succeeded.
func (rc *recovery) took() (time.Duration, bool) {
	at, ok := rc.at.Load(), rc.firstOK.Load()
	if at == 0 || ok == 0 {
		return 0, false
	}
	return time.Duration(max(ok, rc.lastFail.Load()) - at), true
}

// postSeq numbers the POSTs of the whole run.
var postSeq atomic.Int64

// drive runs workers goroutines calling call for d, each call bounded by
// callDeadline.
func drive(p *partner, workers int, d time.Duration, posts bool, call caller, rc *recovery) *result {
	var (
		mu  sync.Mutex
		all result
		wg  sync.WaitGroup
	)
	conns0 := p.newConns.Load()
	start := time.Now()
	end := start.Add(d)
	for range workers {
		wg.Go(func() {
			var r result
			for time.Now().Before(end) {
				post := posts && rand.Float64() < postShare
				n := 0
				if post {
					if n = int(postSeq.Add(1)); n >= postSlots {
						post = false // the side-effect counters are full
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), callDeadline)
				t0 := time.Now()
				err := call(ctx, post, n)
				t1 := time.Now()
				cancel()
				took := t1.Sub(t0)
				r.calls++
				r.hist[bucketOf(took)]++
				if over := took - callDeadline; over > 0 {
					r.maxOver = max(r.maxOver, over)
					if over > deadlineSlack {
						r.late++
					}
				}
				if rc != nil {
					if at := rc.at.Load(); at != 0 && t0.UnixNano() >= at {
						if err == nil {
							storeMin(&rc.firstOK, t1.UnixNano())
						} else {
							storeMax(&rc.lastFail, t1.UnixNano())
							rc.fails.Add(1)
						}
					}
				}
				if err == nil {
					r.ok++
					continue
				}
				time.Sleep(failPause)
			}
			mu.Lock()
			all.add(&r)
			mu.Unlock()
		})
	}
	wg.Wait()
	all.took = time.Since(start)
	all.newConns = p.newConns.Load() - conns0
	return &all
}

func heapAlloc() uint64 {
	goruntime.GC()
	var m goruntime.MemStats
	goruntime.ReadMemStats(&m)
	return m.HeapAlloc
}

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func row(t *testing.T, phase, client string, workers int, r *result) {
	t.Logf("| %-10s | %-7s | %3d | %8.0f | %10s | %10s | %10s | %7.2f %% | %4d | %8.1f |", phase, client, workers,
		r.rate(), ms(r.quantile(0.50)), ms(r.quantile(0.95)), ms(r.quantile(0.99)), 100*r.success(), r.late, r.connRate())
}

// TestLoad is the load and fault test of issue 19; see the package doc.
func TestLoad(t *testing.T) {
	pl := loadPlan()
	goroutines0 := goruntime.NumGoroutine()
	p := newPartner()
	closed := false
	defer func() {
		if !closed {
			p.srv.Close()
		}
	}()
	base := p.srv.URL
	tr := tunedTransport()
	hc := &http.Client{Transport: tr}

	// Warm-up: connections of both clients, then the memory baseline.
	drive(p, pl.faultWorkers, time.Second, false, connector(t, base), nil)
	drive(p, pl.faultWorkers, time.Second, false, bare(base, hc), nil)
	heap0 := heapAlloc()

	t.Logf("load test (%s form), %d CPUs shared with whatever else runs: numbers are noisy", pl.name, goruntime.NumCPU())
	t.Logf("| phase      | client  | gor | calls/s  | p50      | p95      | p99      | success   | late | new conn/s |")
	t.Logf("|---|---|---|---|---|---|---|---|---|---|")

	// 1. The fault mix: 10 % 503 Retry-After: 1, 5 % resets, 5 % slow.
	p.faults.Store(true)
	faultRT := drive(p, pl.faultWorkers, pl.faultFor, true, connector(t, base), nil)
	row(t, "fault mix", "runtime", pl.faultWorkers, faultRT)
	faultBare := drive(p, pl.faultWorkers, pl.faultFor, true, bare(base, hc), nil)
	row(t, "fault mix", "bare", pl.faultWorkers, faultBare)
	p.faults.Store(false)

	// 2. Throughput at 64 goroutines against a healthy partner, after a
	// warm-up each, alternating clients twice.
	var tputRT, tputBare result
	for range 2 {
		drive(p, pl.tputWorkers, 300*time.Millisecond, false, bare(base, hc), nil)
		tputBare.add(drive(p, pl.tputWorkers, pl.tputFor/2, false, bare(base, hc), nil))
		rt := connector(t, base)
		drive(p, pl.tputWorkers, 300*time.Millisecond, false, rt, nil)
		tputRT.add(drive(p, pl.tputWorkers, pl.tputFor/2, false, rt, nil))
	}
	row(t, "throughput", "runtime", pl.tputWorkers, &tputRT)
	row(t, "throughput", "bare", pl.tputWorkers, &tputBare)

	// 3. The partner is down (every connection reset), then back.
	var rc recovery
	outageDone := make(chan *result)
	go func() {
		outageDone <- drive(p, pl.faultWorkers, pl.upBefore+pl.downFor+pl.upAfter, true, connector(t, base), &rc)
	}()
	time.Sleep(pl.upBefore)
	p.down.Store(true)
	time.Sleep(pl.downFor)
	rc.at.Store(time.Now().UnixNano())
	p.down.Store(false)
	outage := <-outageDone
	row(t, "outage", "runtime", pl.faultWorkers, outage)
	rec, recovered := rc.took()
	t.Logf("outage of %v: calls succeed again %v after the partner's recovery (recovered %v; %d failures of calls started after it)",
		pl.downFor, rec.Round(time.Millisecond), recovered, rc.fails.Load())

	applied, dups, replays := p.counts()
	t.Logf("POSTs: %d applied, %d answered again from the idempotency store, %d applied twice", applied, replays, dups)
	heap1 := heapAlloc()
	t.Logf("heap after GC: %.1f MiB after warm-up, %.1f MiB at the end", float64(heap0)/(1<<20), float64(heap1)/(1<<20))
	ratio := tputRT.rate() / tputBare.rate()
	t.Logf("throughput: runtime %.0f calls/s = %.2fx bare %.0f calls/s", tputRT.rate(), ratio, tputBare.rate())

	// Goroutines: with the server closed (its connections with it) and the
	// bare client's idle ones, the count returns to where it started.
	p.srv.Close()
	closed = true
	tr.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > goroutines0+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	goroutines1 := goruntime.NumGoroutine()
	t.Logf("goroutines: %d before, %d after", goroutines0, goroutines1)

	// The done criteria of issue 19.
	if s := faultRT.success(); s < 0.95 {
		t.Errorf("fault mix: %.2f %% of calls succeeded, want >= 95 %%", 100*s)
	}
	for _, r := range []*result{faultRT, &tputRT, outage} {
		if r.late > 0 {
			t.Errorf("%d calls returned more than %v past their %v deadline (worst %v)", r.late, deadlineSlack, callDeadline, r.maxOver)
		}
	}
	if dups > 0 {
		t.Errorf("%d POSTs applied twice", dups)
	}
	if replays == 0 {
		t.Errorf("no POST was answered from the idempotency store: the resets did not test retries of POSTs")
	}
	if !recovered || rec > maxRecovery {
		t.Errorf("recovery after the outage: %v (recovered %v), want <= %v", rec, recovered, maxRecovery)
	}
	if ratio < pl.minRatio {
		t.Errorf("throughput: runtime %.2fx bare, want >= %.2fx", ratio, pl.minRatio)
	}
	if cr := tputRT.connRate(); cr > 5 {
		t.Errorf("steady state: %.1f new connections/s, want about 0", cr)
	}
	if growth := int64(heap1) - int64(heap0); growth > 32<<20 {
		t.Errorf("heap grew by %.1f MiB", float64(growth)/(1<<20))
	}
	if goroutines1 > goroutines0+2 {
		t.Errorf("goroutines: %d before, %d after", goroutines0, goroutines1)
	}
}
