package runtime

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
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
