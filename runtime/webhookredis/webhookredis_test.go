package webhookredis_test

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/webhook"
	"github.com/connectorgen/connectorgen/runtime/webhookredis"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startRedis runs redis-server on a free loopback port, without
// persistence, for the test; it skips the test when redis-server is
// missing or does not start (as runtime/redislimit's tests do).
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
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		cmd.Wait()
	})
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return rdb
		}
		if time.Now().After(deadline) {
			t.Skipf("redis-server on port %d did not answer: %v", port, err)
		}
	}
}

func TestDedup(t *testing.T) {
	rdb := startRedis(t)
	ctx := context.Background()
	d := webhookredis.NewDedup(rdb, "t")
	expect := func(what string, got, want webhook.Claim, err error) {
		t.Helper()
		if err != nil || got != want {
			t.Fatalf("%s: %v, %v; want %v", what, got, err, want)
		}
	}
	c, err := d.Claim(ctx, "a", time.Minute)
	expect("first claim", c, webhook.Claimed, err)
	c, err = d.Claim(ctx, "a", time.Minute)
	expect("claim within the lease", c, webhook.Busy, err)
	if n, err := d.Fail(ctx, "a", time.Hour); n != 1 || err != nil {
		t.Fatalf("fail: %d, %v", n, err)
	}
	c, err = d.Claim(ctx, "a", time.Minute)
	expect("claim after a failure", c, webhook.Claimed, err)
	if n, _ := d.Fail(ctx, "a", time.Hour); n != 2 {
		t.Fatalf("failures %d, want 2", n)
	}
	d.Claim(ctx, "a", time.Minute)
	if err := d.Done(ctx, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	c, err = d.Claim(ctx, "a", time.Minute)
	expect("claim after done", c, webhook.Handled, err)
	if ttl := rdb.PTTL(ctx, "t:dedup:a").Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("the handled id is kept for %v, want the retention", ttl)
	}
	// A claim whose holder died expires with its lease.
	c, err = d.Claim(ctx, "b", 50*time.Millisecond)
	expect("short claim", c, webhook.Claimed, err)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if c, _ = d.Claim(ctx, "b", time.Minute); c == webhook.Claimed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the claim never expired")
		}
	}
}

func TestDeadLetters(t *testing.T) {
	rdb := startRedis(t)
	ctx := context.Background()
	l := webhookredis.NewDeadLetters(rdb, "t")
	at := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	for i, id := range []string{"x", "y", "z"} {
		if err := l.Put(ctx, webhook.DeadLetter{ID: id, Header: http.Header{"X-A": {id}}, Body: []byte(`{"id":"` + id + `"}`),
			Err: "boom", Attempts: i + 1, At: at.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	l.Put(ctx, webhook.DeadLetter{ID: "x", Body: []byte("again"), Attempts: 9, At: at.Add(time.Minute)}) // replaces, now last
	got, err := l.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "y,z,x" {
		t.Errorf("list order %v, want y,z,x (a replaced letter goes last)", ids)
	}
	y, err := l.Get(ctx, "y")
	if err != nil || string(y.Body) != `{"id":"y"}` || y.Header.Get("X-A") != "y" || y.Attempts != 2 || !y.At.Equal(at.Add(time.Second)) {
		t.Errorf("get y: %+v, %v", y, err)
	}
	if err := l.Delete(ctx, "y"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Get(ctx, "y"); !errors.Is(err, webhook.ErrNotFound) {
		t.Errorf("deleted: %v", err)
	}
}

const secret = "fleet secret"

// sign posts body to url as GitHub would, with delivery id.
func post(t *testing.T, client *http.Client, url, id, body string) (int, error) {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
	req.Header.Set("X-GitHub-Delivery", id)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// fleet starts n receivers sharing rdb, each on its own loopback server.
func fleet(t *testing.T, rdb *redis.Client, n int, lease time.Duration, handle func(ctx context.Context, d *webhook.Delivery) error) ([]*webhook.Receiver, []*httptest.Server) {
	var rcs []*webhook.Receiver
	var srvs []*httptest.Server
	for range n {
		rc := &webhook.Receiver{
			Scheme: &webhook.GitHub{Secrets: []auth.SecretSource{auth.StaticSecret(secret)}}, Handle: handle,
			Dedup: webhookredis.NewDedup(rdb, "fleet"), DeadLetters: webhookredis.NewDeadLetters(rdb, "fleet"),
			MaxAttempts: 2, Lease: lease,
		}
		srv := httptest.NewServer(rc)
		t.Cleanup(srv.Close)
		rcs, srvs = append(rcs, rc), append(srvs, srv)
	}
	return rcs, srvs
}

func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// Two receivers sharing one Redis, the same delivery sent to both many
// times at once: the handler runs once.
func TestTwoReceiversHandleOnce(t *testing.T) {
	rdb := startRedis(t)
	var runs atomic.Int32
	_, srvs := fleet(t, rdb, 2, time.Minute, func(context.Context, *webhook.Delivery) error {
		runs.Add(1)
		time.Sleep(20 * time.Millisecond)
		return nil
	})
	client := newClient(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s, err := post(t, client, srvs[i%2].URL, "once", `{"action":"opened"}`); err != nil || s != 200 && s != 409 {
				t.Errorf("delivery: %d, %v", s, err)
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Errorf("the handler ran %d times across the fleet, want 1", runs.Load())
	}
}

// A receiver dies while its handler runs (its server is closed and the
// handler never returns): the sender's redelivery goes to another
// receiver, answered 409 while the lease runs, handled once it expired.
// Nothing is lost. A failing delivery goes to the shared dead letters,
// and a replay on another receiver runs it once.
func TestReceiverDiesMidHandler(t *testing.T) {
	rdb := startRedis(t)
	stuck := make(chan struct{})
	var handledBy atomic.Int32
	_, srv0 := fleet(t, rdb, 1, 300*time.Millisecond, func(ctx context.Context, d *webhook.Delivery) error {
		<-stuck // the process is killed here
		return nil
	})
	t.Cleanup(func() { close(stuck) }) // before the servers close (cleanups run last first)
	_, srv1 := fleet(t, rdb, 1, 300*time.Millisecond, func(ctx context.Context, d *webhook.Delivery) error {
		handledBy.Store(2)
		return nil
	})
	srvs := []*httptest.Server{srv0[0], srv1[0]}
	client := newClient(t)
	client.Timeout = 200 * time.Millisecond
	if _, err := post(t, client, srvs[0].URL, "crash", `{}`); err == nil {
		t.Fatal("the dying receiver answered")
	}
	srvs[0].CloseClientConnections()
	s, err := post(t, client, srvs[1].URL, "crash", `{}`)
	if err != nil || s != 409 {
		t.Fatalf("redelivery within the lease: %d, %v; want 409", s, err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		s, err = post(t, client, srvs[1].URL, "crash", `{}`)
		if s == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never handled after the lease: %d, %v", s, err)
		}
	}
	if handledBy.Load() != 2 {
		t.Error("the surviving receiver did not handle the delivery")
	}

	// Dead letters shared by the fleet.
	var fail atomic.Bool
	fail.Store(true)
	var runs atomic.Int32
	h := func(context.Context, *webhook.Delivery) error {
		runs.Add(1)
		if fail.Load() {
			return errors.New("downstream down")
		}
		return nil
	}
	rcs, dlSrvs := fleet(t, rdb, 2, time.Minute, h)
	for i, want := range []int{500, 202} {
		if s, err := post(t, client, dlSrvs[1].URL, "dl", `{"n":1}`); s != want {
			t.Fatalf("attempt %d: %d, %v; want %d", i+1, s, err, want)
		}
	}
	fail.Store(false)
	runs.Store(0)
	var wg sync.WaitGroup
	var ok atomic.Int32
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rcs[i%2].Replay(context.Background(), "dl") == nil {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 1 || ok.Load() != 1 {
		t.Errorf("replays across the fleet ran the handler %d times, %d succeeded; want once", runs.Load(), ok.Load())
	}
}
