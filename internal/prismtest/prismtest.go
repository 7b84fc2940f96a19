// Package prismtest starts a Stoplight Prism mock server for a test.
//
// Prism is pinned (npm @stoplight/prism-cli 5.14.2) in tools/prism and
// installed with `npm ci --prefix tools/prism`; .ci/run does that. Start
// runs it in static-example mode against an OpenAPI document and returns
// its base URL; the server is stopped when the test ends.
//
// What Prism 5.14.2 checks in mock mode (read from its source and
// confirmed by the tests here): it always validates every request against
// the document (path, query and header parameters, the body, its content
// type) and always checks the security requirements. An invalid request
// gets the operation's 422, 400 or default response if the document
// declares one (its example or a body built from its schema), else a
// generated application/problem+json 422 whose "validation" array lists
// the violations; a request without acceptable credentials gets 401. None
// of that depends on --errors: that flag only makes Prism answer 500
// (problem type VIOLATIONS) when the mocked *response* does not match the
// document, i.e. it tests the spec's examples, not the client. Start
// therefore does not pass it (a caller can, through extraArgs). It does not
// pass -d either: static examples keep responses deterministic.
package prismtest

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ModulePath is the module whose root holds tools/prism.
const ModulePath = "github.com/connectorgen/connectorgen"

// DefaultReadyTimeout is how long Start waits for Prism to answer HTTP.
// Loading and dereferencing a large document is slow; PRISM_READY_TIMEOUT
// (a Go duration such as "10m") overrides it.
const DefaultReadyTimeout = 120 * time.Second

// maxLog bounds the Prism output kept for t.Log: Prism logs every request,
// so a long test could otherwise hold a lot; the tail is what matters.
const maxLog = 1 << 20

// Start runs `prism mock -h 127.0.0.1 -p PORT [extraArgs...] specPath` on a
// free loopback port, waits until it answers HTTP and returns its base URL
// (no trailing slash). The binary is tools/prism/node_modules/.bin/prism
// under the repository root, or $PRISM_BIN. When it is missing the test is
// skipped, unless $CI is "true", where it fails. Prism is killed (its whole
// process group) when the test ends; if the test failed, Prism's output is
// logged.
func Start(t testing.TB, specPath string, extraArgs ...string) (baseURL string) {
	t.Helper()

	bin, err := binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("prismtest: %v (CI=true, so this is an error; run `npm ci --prefix tools/prism`)", err)
		}
		t.Skipf("prismtest: %v; install it with `npm ci --prefix tools/prism` (skipping)", err)
	}
	spec, err := filepath.Abs(specPath)
	if err != nil {
		t.Fatalf("prismtest: %v", err)
	}
	if _, err := os.Stat(spec); err != nil {
		t.Fatalf("prismtest: spec: %v", err)
	}
	timeout := DefaultReadyTimeout
	if s := os.Getenv("PRISM_READY_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("prismtest: bad PRISM_READY_TIMEOUT %q", s)
		}
		timeout = d
	}

	// The free port is found by binding :0 and closing it, so another
	// process may take it before Prism binds it; retry then.
	for attempt := 1; ; attempt++ {
		url, p, err := start(bin, spec, extraArgs, timeout)
		if err == nil {
			t.Cleanup(func() {
				p.stop()
				if t.Failed() {
					t.Logf("prismtest: output of %s:\n%s", p.describe(), p.log.String())
				}
			})
			return url
		}
		out := p.log.String()
		if attempt < 3 && strings.Contains(out, "EADDRINUSE") {
			continue
		}
		t.Fatalf("prismtest: %v\noutput of %s:\n%s", err, p.describe(), out)
	}
}

// proc is one running Prism.
type proc struct {
	cmd  *exec.Cmd
	args []string
	log  *tailBuffer
	done chan struct{} // closed when cmd.Wait returned
	err  error         // cmd.Wait's result, set before done is closed
	once sync.Once
}

func (p *proc) describe() string { return strings.Join(p.args, " ") }

// start starts Prism and waits until it answers; on error the process is
// already stopped and p.log holds its output.
func start(bin, spec string, extraArgs []string, timeout time.Duration) (string, *proc, error) {
	port, err := freePort()
	p := &proc{log: &tailBuffer{max: maxLog}, done: make(chan struct{})}
	if err != nil {
		return "", p, err
	}
	args := []string{"mock", "-h", "127.0.0.1", "-p", strconv.Itoa(port)}
	args = append(args, extraArgs...)
	args = append(args, spec)
	p.args = append([]string{bin}, args...)

	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "FORCE_COLOR=0", "NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = p.log, p.log
	cmd.Stdin = nil
	setProcessGroup(cmd)
	// Wait also waits for the goroutines copying output; do not let a
	// stray descendant holding the pipe block it forever.
	cmd.WaitDelay = 5 * time.Second
	p.cmd = cmd
	if err := cmd.Start(); err != nil {
		close(p.done)
		return "", p, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()

	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitReady(base, p, timeout); err != nil {
		p.stop()
		return "", p, err
	}
	return base, p, nil
}

// waitReady polls base until it answers any HTTP response.
func waitReady(base string, p *proc, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-p.done:
			return fmt.Errorf("prism exited before it was ready: %v", p.err)
		default:
		}
		resp, err := client.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("prism did not answer on %s within %v (set PRISM_READY_TIMEOUT for big specs): %v", base, timeout, err)
		}
		select {
		case <-p.done:
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stop kills Prism's process group, politely first, and waits for it.
func (p *proc) stop() {
	p.once.Do(func() {
		if p.cmd == nil || p.cmd.Process == nil {
			return
		}
		select {
		case <-p.done:
			return
		default:
		}
		terminate(p.cmd)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			kill(p.cmd)
			<-p.done
		}
		// Descendants (prism -m forks) may outlive the leader.
		kill(p.cmd)
	})
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// binary returns the Prism executable: $PRISM_BIN, else
// tools/prism/node_modules/.bin/prism under the repository root.
func binary() (string, error) {
	if b := os.Getenv("PRISM_BIN"); b != "" {
		if _, err := os.Stat(b); err != nil {
			return "", fmt.Errorf("PRISM_BIN: %w", err)
		}
		return b, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	b := filepath.Join(root, "tools", "prism", "node_modules", ".bin", "prism")
	if _, err := os.Stat(b); err != nil {
		return "", fmt.Errorf("prism binary not found at %s", b)
	}
	return b, nil
}

// RepoRoot returns the directory holding the go.mod of ModulePath, found by
// walking up from the working directory, or failing that from this source
// file (for tests run from a scratch module outside the repository).
func RepoRoot() (string, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		if root, ok := findModuleRoot(dir); ok {
			return root, nil
		}
	}
	return "", fmt.Errorf("no go.mod of module %s above %s", ModulePath, strings.Join(starts, " or "))
}

func findModuleRoot(dir string) (string, bool) {
	for {
		if modulePath(filepath.Join(dir, "go.mod")) == ModulePath {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// modulePath returns the module path declared in the go.mod file, or "".
func modulePath(gomod string) string {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu      sync.Mutex
	buf     []byte
	max     int
	dropped int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.dropped += over
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped > 0 {
		return fmt.Sprintf("[... %d bytes dropped ...]\n%s", b.dropped, b.buf)
	}
	return string(b.buf)
}
