package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

var download = &runtime.Operation{ID: "download", Method: "GET", Path: "/file", Idempotent: true}

// A large body is streamed: the client reads the first chunk while the
// server is still blocked before writing the rest, past both the
// per-attempt timeout and WithMaxResponseBytes.
func TestStreamResponseNotBuffered(t *testing.T) {
	const chunk = 1 << 20
	const chunks = 8
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bytes.Repeat([]byte{'a'}, chunk))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		for i := 1; i < chunks; i++ {
			w.Write(bytes.Repeat([]byte{'b'}, chunk))
		}
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil, runtime.WithMaxResponseBytes(1024), runtime.WithTimeout(100*time.Millisecond))
	r := runtime.NewRequest(download, "/file")
	r.StreamResponse()
	resp := do(t, c, r)
	if resp.Body != nil || !resp.Streamed() {
		t.Fatalf("Body = %d bytes, Streamed = %v; want the body left open", len(resp.Body), resp.Streamed())
	}
	body := resp.Stream()
	defer body.Close()
	first := make([]byte, chunk)
	if _, err := io.ReadFull(body, first); err != nil {
		t.Fatalf("reading the first chunk while the server waits: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // past the per-attempt timeout: it covered the headers only
	close(release)
	n, err := io.Copy(io.Discard, body)
	if err != nil || n != chunk*(chunks-1) {
		t.Fatalf("rest: %d bytes, %v; want %d", n, err, chunk*(chunks-1))
	}
	if err := body.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if resp.Close() != nil || resp.Streamed() {
		t.Error("Response.Close after Stream must do nothing")
	}
}

// Error statuses are read as without StreamResponse; retries run until
// the headers of a 2xx arrive.
func TestStreamResponseErrorsAndRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "busy")
		case 2:
			io.WriteString(w, "payload")
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"gone"}`)
		}
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil)
	r := runtime.NewRequest(download, "/file")
	r.StreamResponse()
	resp := do(t, c, r)
	if resp.Attempts != 2 || resp.StatusCode != 200 {
		t.Fatalf("Attempts = %d, status %d; want 2, 200", resp.Attempts, resp.StatusCode)
	}
	if got := resp.Text(); got != "payload" {
		t.Errorf("Text of a streamed body = %q", got)
	}
	resp = do(t, c, r)
	if resp.Streamed() || string(resp.Body) != `{"message":"gone"}` {
		t.Fatalf("404: Streamed = %v, Body = %q; want it read", resp.Streamed(), resp.Body)
	}
	var ae *runtime.APIError
	if err := resp.Error(nil); !errors.As(err, &ae) || ae.StatusCode != 404 {
		t.Errorf("Error = %v", err)
	}
}

// The caller's ctx covers reading a streamed body.
func TestStreamResponseCallerContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "start")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r := runtime.NewRequest(download, "/file")
	r.StreamResponse()
	resp, err := c.Do(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	body := resp.Stream()
	defer body.Close()
	_, err = io.ReadAll(body)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ReadAll after the caller's deadline: %v; want context.DeadlineExceeded", err)
	}
}

// The per-attempt timeout still bounds the wait for the headers.
func TestStreamResponseHeaderTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil, runtime.WithTimeout(50*time.Millisecond), runtime.WithMaxRetries(1))
	r := runtime.NewRequest(download, "/file")
	r.StreamResponse()
	_, err := c.Do(context.Background(), r)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, runtime.ErrRetriesExhausted) {
		t.Errorf("Do = %v; want a deadline error after retries", err)
	}
}

func TestEventStream(t *testing.T) {
	const stream = "\uFEFF: a comment\n" +
		"retry: 2500\n" +
		"id: 1\n" +
		"event: greeting\n" +
		"data: first line\n" +
		"data:second line\n" +
		"data\n" +
		"\n" +
		": keep-alive\n\n" + // no data: nothing dispatched
		"data: crlf\r\n\r\n" +
		"id: 2\rdata: cr\r\r" +
		"retry: soon\n" + // not digits: ignored
		"id: bad\x00id\n" + // NUL: ignored
		"data:  two spaces\n" +
		"unknown: field\n\n" +
		"data: unfinished" // no blank line: dropped
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, part := range strings.SplitAfter(stream, "\n") { // in pieces, as a server would
			io.WriteString(w, part)
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil)
	r := runtime.NewRequest(download, "/events")
	r.StreamResponse()
	s := runtime.NewEventStream(do(t, c, r).Stream())
	defer s.Close()
	var got []runtime.Event
	for ev, err := range s.All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	want := []runtime.Event{
		{ID: "1", Event: "greeting", Data: "first line\nsecond line\n", Retry: 2500 * time.Millisecond},
		{ID: "1", Event: "message", Data: "crlf", Retry: 2500 * time.Millisecond},
		{ID: "2", Event: "message", Data: "cr", Retry: 2500 * time.Millisecond},
		{ID: "2", Event: "message", Data: " two spaces", Retry: 2500 * time.Millisecond},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events %+v; want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %+v; want %+v", i, got[i], want[i])
		}
	}
	if s.Next() {
		t.Error("Next after the end")
	}
}

// Breaking out of the loop closes the body; Next/Err report read errors.
func TestEventStreamBreakAndError(t *testing.T) {
	closed := false
	body := &closeSpy{Reader: strings.NewReader("data: a\n\ndata: b\n\n"), closed: &closed}
	s := runtime.NewEventStream(body)
	for ev := range s.All() {
		if ev.Data != "a" {
			t.Errorf("Data = %q", ev.Data)
		}
		break
	}
	if !closed {
		t.Error("body not closed after break")
	}
	boom := errors.New("boom")
	s = runtime.NewEventStream(io.NopCloser(io.MultiReader(strings.NewReader("data: x\n\n"), errReader{boom})))
	if !s.Next() || s.Event().Data != "x" {
		t.Fatalf("first event: %+v", s.Event())
	}
	if s.Next() || !errors.Is(s.Err(), boom) {
		t.Errorf("Next/Err = %v; want boom", s.Err())
	}
}

type closeSpy struct {
	io.Reader
	closed *bool
}

func (c *closeSpy) Close() error { *c.closed = true; return nil }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
