package redislimit_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/redislimit"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startRedis runs redis-server on a free loopback port, without
// persistence, for the test; it skips the test when redis-server is missing
// or does not start.
func startRedis(t *testing.T) *redis.Client {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed (Debian: apt-get install -y redis-server; `make test-runtime` installs it)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Skipf("redis-server did not start: %v", err)
	}
	var log strings.Builder
	var logMu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		cmd.Wait()
	})
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	deadline := time.Now().Add(5 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return rdb
		}
		if time.Now().After(deadline) {
			logMu.Lock()
			defer logMu.Unlock()
			t.Skipf("redis-server on port %d did not answer: %v\n%s", port, err, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var listPets = &runtime.Operation{ID: "listPets", Method: "GET", Path: "/pets", Idempotent: true}

// newClient is one "replica": its own runtime client and limiter, the same
// Redis.
func newClient(t *testing.T, base string, lim runtime.Limiter, opts ...runtime.ClientOption) *runtime.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := runtime.NewClient(base, nil, append([]runtime.ClientOption{runtime.WithRateLimiter(lim),
		runtime.WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSharedQuotaAcrossReplicas(t *testing.T) {
	rdb := startRedis(t)
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	cfg := redislimit.Config{Limit: redis_rate.Limit{Rate: 10, Burst: 4, Period: time.Second}, Prefix: t.Name() + ":"}
	a := newClient(t, srv.URL, redislimit.New(rdb, cfg))
	b := newClient(t, srv.URL, redislimit.New(rdb, cfg))
	const calls = 14
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := range calls {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := c.Do(ctx, runtime.NewRequest(listPets, "/pets")); err != nil {
				t.Error(err)
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	// 4 at once, then 10 more at 10/s: about 1 s for both replicas together.
	if failed.Load() != 0 || took < 900*time.Millisecond || took > 5*time.Second {
		t.Errorf("%d calls took %v, %d failed", calls, took, failed.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	early := 0
	for _, at := range times {
		if at.Sub(start) < 250*time.Millisecond {
			early++
		}
	}
	if early > 4+3 { // burst plus 2.5 tokens
		t.Errorf("%d requests in the first 250 ms", early)
	}
	t.Logf("%d calls from 2 replicas at 10/s burst 4: %v", calls, took.Round(time.Millisecond))
}

func TestServerPauseIsShared(t *testing.T) {
	rdb := startRedis(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After-Ms", "400")
			w.WriteHeader(429)
			return
		}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	cfg := redislimit.Config{Prefix: t.Name() + ":"} // no quota: pauses only
	a := newClient(t, srv.URL, redislimit.New(rdb, cfg), runtime.WithMaxRetries(0))
	b := newClient(t, srv.URL, redislimit.New(rdb, cfg), runtime.WithMaxRetries(0))
	resp, err := a.Do(context.Background(), runtime.NewRequest(listPets, "/pets"))
	if err != nil || resp.StatusCode != 429 {
		t.Fatal(resp, err)
	}
	// Another replica: a deadline before the pause ends fails at once...
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = b.Do(ctx, runtime.NewRequest(listPets, "/pets"))
	var rle *runtime.RateLimitError
	if !errors.Is(err, runtime.ErrRateLimited) || !errors.As(err, &rle) || time.Since(start) > 50*time.Millisecond || n.Load() != 1 {
		t.Errorf("short deadline: %v after %v", err, time.Since(start))
	}
	// ...and without one it waits for the pause to end.
	resp, err = b.Do(context.Background(), runtime.NewRequest(listPets, "/pets"))
	if err != nil || resp.StatusCode != 200 || time.Since(start) < 250*time.Millisecond {
		t.Errorf("after the pause: %v %v after %v", resp, err, time.Since(start))
	}
	// A shorter pause does not shorten a longer one.
	lim := redislimit.New(rdb, cfg)
	h := http.Header{}
	h.Set("Retry-After", "30")
	lim.Observe("k", &runtime.Response{StatusCode: 429, Header: h})
	h.Set("Retry-After", "1")
	lim.Observe("k", &runtime.Response{StatusCode: 429, Header: h})
	if ttl := rdb.PTTL(context.Background(), t.Name()+":pause:k").Val(); ttl < 29*time.Second {
		t.Errorf("pause shortened to %v", ttl)
	}
}

func TestRedisDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{}`) }))
	defer srv.Close()
	open := newClient(t, srv.URL, redislimit.New(rdb, redislimit.Config{Limit: redis_rate.PerSecond(1)}))
	if resp, err := open.Do(context.Background(), runtime.NewRequest(listPets, "/pets")); err != nil || resp.StatusCode != 200 {
		t.Errorf("fail-open: %v %v", resp, err)
	}
	closed := newClient(t, srv.URL, redislimit.New(rdb, redislimit.Config{Limit: redis_rate.PerSecond(1), FailClosed: true}))
	if _, err := closed.Do(context.Background(), runtime.NewRequest(listPets, "/pets")); !errors.Is(err, redislimit.ErrUnavailable) {
		t.Errorf("fail-closed: %v", err)
	}
}
