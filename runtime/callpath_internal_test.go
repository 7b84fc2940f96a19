package runtime

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// TestReadCapped checks the body reader against its contract: at most
// limit bytes kept, truncation reported only when more followed, at most
// limit+1 bytes read, any Content-Length (right, wrong, absent, huge).
func TestReadCapped(t *testing.T) {
	body := strings.Repeat("0123456789", 100) // 1,000 bytes
	for _, tc := range []struct {
		name        string
		limit, size int64
		wantLen     int
		truncated   bool
	}{
		{"no limit", math.MaxInt64, -1, 1000, false},
		{"no limit, length", math.MaxInt64, 1000, 1000, false},
		{"limit above", 2000, 1000, 1000, false},
		{"limit exact", 1000, 1000, 1000, false},
		{"limit one short", 999, 1000, 999, true},
		{"limit zero", 0, 1000, 0, true},
		{"length too small", 2000, 10, 1000, false},
		{"length too large", 2000, 5000, 1000, false},
		{"length zero (untrusted)", 2000, 0, 1000, false},
		{"length beyond presize", math.MaxInt64, 1 << 40, 1000, false},
		{"truncated, wrong length", 100, 10, 100, true},
	} {
		for _, rd := range []struct {
			name string
			r    func() io.Reader
		}{
			{"plain", func() io.Reader { return strings.NewReader(body) }},
			{"one byte", func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) }},
			{"data+EOF", func() io.Reader { return iotest.DataErrReader(strings.NewReader(body)) }},
		} {
			r := &countingReader{r: rd.r()}
			got, truncated, err := readCapped(r, tc.limit, tc.size)
			if err != nil || truncated != tc.truncated || string(got) != body[:tc.wantLen] {
				t.Errorf("%s, %s: %d bytes, truncated %v, %v; want %d, %v", tc.name, rd.name, len(got), truncated, err, tc.wantLen, tc.truncated)
			}
			if tc.limit < math.MaxInt64 && r.n > tc.limit+1 {
				t.Errorf("%s, %s: read %d bytes, more than limit+1 = %d", tc.name, rd.name, r.n, tc.limit+1)
			}
		}
	}
	if got, truncated, err := readCapped(strings.NewReader(""), 10, 0); err != nil || truncated || got == nil || len(got) != 0 {
		t.Errorf("empty body: %q (nil %v), %v, %v; want an empty, non-nil slice", got, got == nil, truncated, err)
	}
	boom := errors.New("boom")
	if got, _, err := readCapped(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), 10, 3); !errors.Is(err, boom) || string(got) != "abc" {
		t.Errorf("read error: %q, %v; want abc, boom", got, err)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestJoinPath checks the path join against its definition: prefix + "/" +
// path without its leading slashes.
func TestJoinPath(t *testing.T) {
	for _, tc := range []struct{ prefix, path, want string }{
		{"", "", ""},
		{"", "/", "/"},
		{"", "/pets/42", "/pets/42"},
		{"", "pets/42", "/pets/42"},
		{"", "//pets", "/pets"},
		{"/v1", "/pets", "/v1/pets"},
		{"/v1", "pets", "/v1/pets"},
		{"/v1", "", "/v1"},
		{"/v1", "//x", "/v1/x"},
	} {
		want := tc.prefix
		if tc.path != "" {
			want += "/" + strings.TrimLeft(tc.path, "/")
		}
		if want != tc.want {
			t.Fatalf("table: %q + %q: %q by the definition, %q in the table", tc.prefix, tc.path, want, tc.want)
		}
		if got := joinPath(tc.prefix, tc.path); got != tc.want {
			t.Errorf("joinPath(%q, %q) = %q, want %q", tc.prefix, tc.path, got, tc.want)
		}
	}
}

// TestSharedTimeouts checks when attempts share a timeout context: from
// the second attempt of a window on, under the same caller context and
// timeout, never across windows, contexts or timeouts, never for a caller
// context of a type that cannot be compared; and that a shared context
// ends within [timeout, timeout·(1+1/64)] of any attempt that got it.
func TestSharedTimeouts(t *testing.T) {
	const timeout = 64 * time.Second // a window of 1 s
	window := timeout / timeoutShare
	bg := context.Background()
	t0 := time.Now()
	var st sharedTimeouts
	if ctx := st.get(bg, timeout, t0); ctx != nil {
		t.Fatal("first attempt got a shared context")
	}
	a := st.get(bg, timeout, t0.Add(window/2))
	if a == nil {
		t.Fatal("second attempt in the window got no shared context")
	}
	if b := st.get(bg, timeout, t0.Add(window)); b != a {
		t.Error("third attempt within the second attempt's window: not the same context")
	}
	dl, ok := a.Deadline()
	if !ok {
		t.Fatal("shared context without a deadline")
	}
	for _, start := range []time.Time{t0.Add(window / 2), t0.Add(window)} {
		if left := dl.Sub(start); left < timeout || left > timeout+window {
			t.Errorf("attempt at +%v: deadline %v after it, want within [%v, %v]", start.Sub(t0), left, timeout, timeout+window)
		}
	}
	if c := st.get(bg, timeout, t0.Add(2*window)); c == a {
		t.Error("attempt after the window got the old context")
	}
	if c := st.get(bg, timeout/2, t0.Add(window)); c == a {
		t.Error("attempt with another timeout got the context")
	}
	other := context.WithValue(bg, ctxKey{}, 1)
	if c := st.get(other, timeout, t0.Add(window)); c != nil {
		t.Error("first attempt under another caller context got a shared context")
	}
	if c := st.get(other, timeout, t0.Add(window+1)); c == nil || c.Value(ctxKey{}) != 1 {
		t.Errorf("second attempt under another caller context: %v, want a shared context with its values", c)
	}
	var vst sharedTimeouts
	v := valueCtx{Context: bg, m: map[string]int{}}
	for i := range 3 {
		if c := vst.get(v, timeout, t0.Add(time.Duration(i))); c != nil {
			t.Fatal("caller context of an uncomparable type got a shared context")
		}
	}
	if c := vst.get(bg, 63, t0); c != nil || vst.get(bg, 63, t0) != nil {
		t.Error("a timeout under 64 ns got a shared context")
	}
}

// TestSharedTimeoutEnds checks that a shared context ends at its deadline
// with context.DeadlineExceeded as error and cause, and with its caller's.
func TestSharedTimeoutEnds(t *testing.T) {
	const timeout = 64 * time.Millisecond
	var st sharedTimeouts
	start := time.Now()
	st.get(context.Background(), timeout, start)
	ctx := st.get(context.Background(), timeout, start)
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("shared context still live after 10 s")
	}
	if took := time.Since(start); took < timeout {
		t.Errorf("ended after %v, before the timeout %v", took, timeout)
	}
	if ctx.Err() != context.DeadlineExceeded || context.Cause(ctx) != context.DeadlineExceeded {
		t.Errorf("Err %v, Cause %v; want context.DeadlineExceeded", ctx.Err(), context.Cause(ctx))
	}

	parent, cancel := context.WithCancel(context.Background())
	st.get(parent, time.Hour, time.Now())
	ctx = st.get(parent, time.Hour, time.Now())
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("shared context live 10 s after its caller's context ended")
	}
	if ctx.Err() != context.Canceled {
		t.Errorf("after the caller's cancel: %v, want context.Canceled", ctx.Err())
	}
}

// ctxKey is a context key of these tests.
type ctxKey struct{}

// valueCtx is a caller context of a type that cannot be compared.
type valueCtx struct {
	context.Context
	m map[string]int
}

// TestHeaderValuesCapped checks that the header values setHeaders copies
// into one array do not share room: appending to one header's values
// leaves the next header's alone.
func TestHeaderValuesCapped(t *testing.T) {
	h := make(map[string][]string)
	req := map[string][]string{"A": {"1"}, "B": {"2", "3"}}
	s := &Settings{userAgent: "ua", headers: map[string][]string{"C": {"4"}}}
	setHeaders(h, make([]string, 0, 16), req, nil, s, "text/plain", "idempotency-key", "k")
	before := make(map[string]string)
	for name, v := range h {
		before[name] = strings.Join(v, ",")
	}
	want := map[string]string{"A": "1", "B": "2,3", "C": "4", "User-Agent": "ua", "Content-Type": "text/plain", "Idempotency-Key": "k"}
	for name, v := range want {
		if before[name] != v {
			t.Errorf("%s = %q, want %q", name, before[name], v)
		}
	}
	for name := range h {
		h[name] = append(h[name], "appended")
	}
	for name, v := range h {
		if got := strings.Join(v[:len(v)-1], ","); got != before[name] {
			t.Errorf("%s changed to %q by appends to other headers, was %q", name, got, before[name])
		}
	}
	req["A"][0] = "changed"
	if h["A"][0] != "1" {
		t.Error("header values share the request's array")
	}
}
