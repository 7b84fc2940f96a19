package runtime_test

import (
	"bytes"
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

// endless is a body that repeats line forever and counts what was read.
type endless struct {
	line []byte
	read atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], e.line[int(e.read.Load()+int64(n))%len(e.line):])
	}
	e.read.Add(int64(n))
	return n, nil
}

func (e *endless) Close() error { return nil }

// A server that sends "data:" lines and never the blank line that ends an
// event, or one line that never ends, is cut off at the cap with a typed
// error, having read about the cap and no more.
func TestEventStreamCapsOneEvent(t *testing.T) {
	for name, line := range map[string]string{
		"data lines":   "data: " + strings.Repeat("x", 100) + "\n",
		"empty data":   "data\n",
		"one line":     "data: " + strings.Repeat("y", 4096),
		"event type":   "event: " + strings.Repeat("z", 4096),
		"cr-only data": "data:abc\r",
	} {
		for _, limit := range []int64{0, 3000, 100_000} {
			body := &endless{line: []byte(line)}
			s := runtime.NewEventStreamLimit(body, limit)
			if s.Next() {
				t.Fatalf("%s: an event: %.40q", name, s.Event().Data)
			}
			var tooLarge *runtime.EventTooLargeError
			if !errors.As(s.Err(), &tooLarge) || !errors.Is(s.Err(), runtime.ErrEventTooLarge) || tooLarge.Limit != limit {
				t.Errorf("%s, cap %d: Err = %v; want an EventTooLargeError", name, limit, s.Err())
			}
			// What was read is the cap plus at most the scanner's buffer.
			if n := body.read.Load(); n > 2*limit+8192 {
				t.Errorf("%s: read %d bytes for a cap of %d", name, n, limit)
			}
		}
	}
	// The default cap.
	body := &endless{line: []byte("data: " + strings.Repeat("x", 4000) + "\n")}
	s := runtime.NewEventStream(body)
	if s.Next() || !errors.Is(s.Err(), runtime.ErrEventTooLarge) || body.read.Load() > 2*runtime.DefaultMaxEventBytes {
		t.Errorf("default cap: Err = %v after %d bytes", s.Err(), body.read.Load())
	}
	// Comments are not part of an event: they never hit the cap.
	s = runtime.NewEventStreamLimit(io.NopCloser(io.MultiReader(
		strings.NewReader(strings.Repeat(": keep-alive "+strings.Repeat("u", 90)+"\n", 20_000)),
		strings.NewReader("data: after\n\n"))), 100)
	if !s.Next() || s.Event().Data != "after" {
		t.Errorf("comments: %+v, %v", s.Event(), s.Err())
	}
}

// WithMaxEventBytes sets the cap of a client or a call: an event whose
// lines add up to exactly the cap passes, one byte more ends the stream.
func TestWithMaxEventBytes(t *testing.T) {
	checkGoroutines(t)
	var stream atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, stream.Load().(string))
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, nil, runtime.WithMaxEventBytes(100))
	open := func(opts ...runtime.CallOption) *runtime.EventStream {
		r := runtime.NewRequest(download, "/events")
		r.StreamResponse()
		return runtime.NewEventStream(do(t, c, r, opts...).Stream())
	}
	// 18 + 41 + 41 bytes, line ends included; the blank line is not counted.
	fits := "event: " + strings.Repeat("e", 10) + "\ndata: " + strings.Repeat("a", 34) + "\r\ndata: " + strings.Repeat("b", 34) + "\n\n"
	over := "data: " + strings.Repeat("c", 94) + "\n\n"
	stream.Store(fits + fits + over + fits)
	s := open()
	defer s.Close()
	var n int
	for s.Next() {
		if len(s.Event().Data) != 69 {
			t.Errorf("event %d: %d bytes of data", n, len(s.Event().Data))
		}
		n++
	}
	var tooLarge *runtime.EventTooLargeError
	if n != 2 || !errors.As(s.Err(), &tooLarge) || tooLarge.Limit != 100 {
		t.Errorf("%d events, Err = %v; want 2 then an EventTooLargeError(100)", n, s.Err())
	}
	// A per-call option overrides the client's.
	s = open(runtime.WithMaxEventBytes(1000))
	defer s.Close()
	n = 0
	for range s.All() {
		n++
	}
	if n != 4 || s.Err() != nil {
		t.Errorf("per-call cap: %d events, %v", n, s.Err())
	}
	// The cap holds over the network against a server that never ends the event.
	big := strings.Repeat("data: "+strings.Repeat("x", 1000)+"\n", 1000) // 1 MB, no blank line
	stream.Store(big)
	s = open(runtime.WithMaxEventBytes(10_000))
	defer s.Close()
	if s.Next() || !errors.Is(s.Err(), runtime.ErrEventTooLarge) {
		t.Errorf("endless event: Err = %v", s.Err())
	}
}

// retry: values saturate to [0, MaxServerDelay] instead of overflowing to
// negative durations.
func TestEventStreamRetrySaturates(t *testing.T) {
	for value, want := range map[string]time.Duration{
		"2500":                     2500 * time.Millisecond,
		"0":                        0,
		"86400000":                 24 * time.Hour,
		"86400001":                 runtime.MaxServerDelay,
		"9223372036855":            runtime.MaxServerDelay, // × 1e6 ns overflows int64
		"9223372036854775807":      runtime.MaxServerDelay,
		"99999999999999999999999":  runtime.MaxServerDelay,
		"-1":                       0, // not digits: ignored
		"18446744073709551616000x": 0,
	} {
		s := runtime.NewEventStream(io.NopCloser(bytes.NewReader([]byte("retry: " + value + "\ndata: x\n\n"))))
		if !s.Next() || s.Event().Retry != want {
			t.Errorf("retry: %s gives %v; want %v", value, s.Event().Retry, want)
		}
	}
}
