package webhookredis_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/webhook"
	"github.com/connectorgen/connectorgen/runtime/webhookredis"
	"github.com/redis/go-redis/v9"
)

// helperEnv makes the test binary a receiver process instead of running
// tests (TestReceiverProcessKilled starts it): its value is the mode,
// "stuck" (the handler announces itself and never returns) or "ok".
const helperEnv = "WEBHOOKREDIS_RECEIVER_PROCESS"

// TestReceiverProcessHelper is the receiver process: a webhook.Receiver
// on a loopback port, deduplicating and dead-lettering in the Redis at
// $WEBHOOKREDIS_ADDR with a 1 s lease, printing "listening <url>", then
// "started <id>" or "handled <id>" per delivery. It returns at once
// unless run by TestReceiverProcessKilled.
func TestReceiverProcessHelper(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("WEBHOOKREDIS_ADDR")})
	rc := &webhook.Receiver{
		Scheme: &webhook.GitHub{Secrets: []auth.SecretSource{auth.StaticSecret(secret)}},
		Dedup:  webhookredis.NewDedup(rdb, "proc"), DeadLetters: webhookredis.NewDeadLetters(rdb, "proc"),
		Lease: time.Second,
		Handle: func(ctx context.Context, d *webhook.Delivery) error {
			if mode == "stuck" {
				fmt.Printf("started %s\n", d.ID)
				select {} // killed here
			}
			fmt.Printf("handled %s\n", d.ID)
			return nil
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	fmt.Printf("listening http://%s\n", ln.Addr())
	_ = http.Serve(ln, rc)
	os.Exit(0)
}

// receiverProcess runs the test binary as a receiver process in mode and
// returns its URL, the lines it prints after that, and the process.
func receiverProcess(t *testing.T, mode, redisAddr string) (string, <-chan string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReceiverProcessHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "WEBHOOKREDIS_ADDR="+redisAddr)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 16)
	sc := bufio.NewScanner(out)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "listening ") {
		t.Fatalf("receiver process: %q", sc.Text())
	}
	url := strings.TrimPrefix(sc.Text(), "listening ")
	go func() {
		defer close(lines)
		for sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, out)
	}()
	return url, lines, cmd
}

// TestReceiverProcessKilled: a receiver process is killed (SIGKILL) while
// its handler runs. The sender, which got no answer, delivers again to
// another receiver process sharing the Redis: 409 while the dead one's
// lease runs, then handled there, once; a later redelivery is
// acknowledged without running the handler. The event is not lost, and
// not handled twice.
func TestReceiverProcessKilled(t *testing.T) {
	rdb := startRedis(t)
	addr := rdb.Options().Addr
	stuckURL, stuckLines, stuck := receiverProcess(t, "stuck", addr)
	okURL, okLines, _ := receiverProcess(t, "ok", addr)
	client := newClient(t)
	client.Timeout = 10 * time.Second

	sent := make(chan error, 1)
	go func() {
		_, err := post(t, client, stuckURL, "killed", `{"action":"opened"}`)
		sent <- err
	}()
	select {
	case l := <-stuckLines:
		if l != "started killed" {
			t.Fatalf("stuck receiver printed %q", l)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stuck receiver's handler never started")
	}
	if err := stuck.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err == nil {
		t.Fatal("the killed receiver answered the delivery")
	}
	var codes []int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		s, err := post(t, client, okURL, "killed", `{"action":"opened"}`)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, s)
		if s == http.StatusOK {
			break
		}
		if s != http.StatusConflict || time.Now().After(deadline) {
			t.Fatalf("redeliveries answered %v; want 409 while the lease runs, then 200", codes)
		}
	}
	if codes[0] != http.StatusConflict {
		t.Errorf("the first redelivery answered %d, want 409 (the killed process's lease)", codes[0])
	}
	if l := <-okLines; l != "handled killed" {
		t.Fatalf("surviving receiver printed %q", l)
	}
	if s, err := post(t, client, okURL, "killed", `{"action":"opened"}`); err != nil || s != http.StatusOK {
		t.Fatalf("a redelivery after it was handled: %d, %v", s, err)
	}
	select {
	case l := <-okLines:
		t.Errorf("the handler ran again: %q", l)
	case <-time.After(300 * time.Millisecond):
	}
	if dl, _ := webhookredis.NewDeadLetters(rdb, "proc").List(context.Background()); len(dl) != 0 {
		t.Errorf("dead letters: %+v, want none", dl)
	}
}
