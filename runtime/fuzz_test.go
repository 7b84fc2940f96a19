package runtime

// Native fuzz targets for every parser of server input in the runtime. Each
// asserts properties beyond "no panic": durations within [0, MaxServerDelay],
// events within the cap, round trips where an encoding is defined. `make
// fuzz-runtime` runs each for FUZZTIME; crashers found are kept as
// regression seeds in testdata/fuzz/<target>/.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzNow is the clock of header fuzzing: 2026-03-01 12:00:00 UTC.
var fuzzNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func inServerRange(d time.Duration) bool { return d >= 0 && d <= MaxServerDelay }

// FuzzEventStream feeds arbitrary bytes to the server-sent events parser
// with a small cap: no event larger than the cap, a typed error when it is
// exceeded, retry within [0, MaxServerDelay], and every event written back
// as text/event-stream parses to itself.
func FuzzEventStream(f *testing.F) {
	for _, seed := range []string{
		"\uFEFF: comment\nretry: 2500\nid: 1\nevent: greeting\ndata: first\ndata:second\ndata\n\n",
		"data: crlf\r\n\r\nid: 2\rdata: cr\r\r",
		"retry: 99999999999999999999\ndata: x\n\n",
		"retry: 9223372036855\nid: a\x00b\ndata:  two spaces\nunknown: field\n\n",
		"event: update\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n",
		"data: " + strings.Repeat("x", 300) + "\n\n",
		"data: unfinished",
		": keep-alive\n\n\n\nevent\ndata:\n\n",
	} {
		f.Add([]byte(seed), uint16(256))
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		max := int64(limit)
		body := &countingBody{r: bytes.NewReader(data)}
		s := NewEventStream(&streamBody{rc: body, cancel: func() {}, maxEvent: max})
		var events []Event
		for s.Next() {
			ev := s.Event()
			// The cap counts the bytes received; "message", the type of an
			// event without an event field, is not received (found by the
			// fuzzer: "data\n\n" under a cap of 6).
			size := len(ev.Data)
			if ev.Event != "message" {
				size += len(ev.Event)
			}
			if int64(size) > max {
				t.Fatalf("event of %d bytes past the cap %d", size, max)
			}
			if !inServerRange(ev.Retry) {
				t.Fatalf("retry %v", ev.Retry)
			}
			if ev.Event == "" || strings.ContainsAny(ev.Event+ev.ID, "\r\n") || strings.Contains(ev.Data, "\r") ||
				strings.IndexByte(ev.ID, 0) >= 0 {
				t.Fatalf("malformed event %+q", ev)
			}
			events = append(events, ev)
		}
		if err := s.Err(); err != nil && !errors.Is(err, ErrEventTooLarge) {
			t.Fatalf("Err = %v", err)
		}
		if !body.closed {
			t.Fatal("body not closed at the end")
		}
		// Written back, the events parse to themselves.
		var out strings.Builder
		for _, ev := range events {
			out.WriteString("id: " + ev.ID + "\nevent: " + ev.Event + "\n")
			if ev.Retry > 0 {
				out.WriteString("retry: " + strconv.FormatInt(ev.Retry.Milliseconds(), 10) + "\n")
			}
			for _, line := range strings.Split(ev.Data, "\n") {
				out.WriteString("data: " + line + "\n")
			}
			out.WriteString("\n")
		}
		again := NewEventStream(io.NopCloser(strings.NewReader(out.String())))
		for i := 0; again.Next(); i++ {
			got, want := again.Event(), events[i]
			if want.Retry == 0 {
				got.Retry = 0 // a zero retry is not written back
			}
			if got != want {
				t.Fatalf("event %d written back parses as %+q, want %+q", i, got, want)
			}
		}
		if again.Err() != nil {
			t.Fatalf("written back: %v", again.Err())
		}
	})
}

type countingBody struct {
	r      io.Reader
	closed bool
}

func (b *countingBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *countingBody) Close() error               { b.closed = true; return nil }

// FuzzServerDelay: Retry-After (delay-seconds or an HTTP-date) and
// Retry-After-Ms never give a wait outside [0, MaxServerDelay].
func FuzzServerDelay(f *testing.F) {
	for _, seed := range [][2]string{
		{"120", ""}, {"0", ""}, {"Sun, 01 Mar 2026 12:00:30 GMT", ""}, {"Sunday, 01-Mar-26 12:00:30 GMT", ""},
		{"Sun Mar  1 12:00:30 2026", ""}, {"9223372036854775807", ""}, {"99999999999999999999", ""},
		{"Fri, 31 Dec 9999 23:59:59 GMT", ""}, {"-1", "250"}, {"3", "1e300"}, {"", "NaN"}, {"", "-0"}, {"1.5", "Inf"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, retryAfter, retryAfterMs string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("Retry-After-Ms", retryAfterMs)
		d, ok := serverDelay(h, fuzzNow)
		if !inServerRange(d) || (!ok && d != 0) {
			t.Fatalf("serverDelay(%q, %q) = %v, %v", retryAfter, retryAfterMs, d, ok)
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(retryAfter), 10, 64); err == nil && n >= 0 && n <= 86400 &&
			isDigits(strings.TrimSpace(retryAfter)) && strings.TrimSpace(retryAfterMs) == "" && d != time.Duration(n)*time.Second {
			t.Fatalf("Retry-After %q = %v", retryAfter, d)
		}
	})
}

// FuzzRateLimitPause: the RateLimit, RateLimit-*, X-RateLimit-* and
// Retry-After headers of any response give a pause within
// [0, MaxServerDelay], and a quota policy is positive when read.
func FuzzRateLimitPause(f *testing.F) {
	f.Add(true, `"default";r=0;t=7`, "", "", "", "", "", "3")
	f.Add(false, "r=0,t=9227000000", "", "", "", "", "", "")
	f.Add(false, "limit=100, remaining=0, reset=9", "", "", "", "", "", "")
	f.Add(false, "", "0", "5", "", "", "", "")
	f.Add(false, "", "", "", "0", "1772366490", "", "")
	f.Add(false, "", "", "", "0", "1772366490000", "1.5", "")
	f.Add(false, "", "", "", "0", "-99999999999999999999", "1e300", "")
	f.Add(false, `"default";q=100;w=60`, "0", "99999999999999999999", "", "", "", "")
	f.Fuzz(func(t *testing.T, tooMany bool, rl, rem, reset, xrem, xreset, xafter, retryAfter string) {
		h := http.Header{}
		for name, v := range map[string]string{
			"RateLimit": rl, "RateLimit-Remaining": rem, "RateLimit-Reset": reset, "X-RateLimit-Remaining": xrem,
			"X-RateLimit-Reset": xreset, "X-RateLimit-Reset-After": xafter, "Retry-After": retryAfter,
			"RateLimit-Policy": rl, "RateLimit-Limit": reset,
		} {
			if v != "" {
				h.Set(name, v)
			}
		}
		status := http.StatusOK
		if tooMany {
			status = http.StatusTooManyRequests
		}
		r := &Response{StatusCode: status, Header: h}
		if d := r.RateLimitPause(fuzzNow); !inServerRange(d) {
			t.Fatalf("RateLimitPause(%v) = %v", h, d)
		}
		if q, w, ok := rateLimitQuota(h); ok && (q <= 0 || w <= 0) {
			t.Fatalf("rateLimitQuota(%v) = %d, %v", h, q, w)
		}
	})
}

// FuzzProblem decodes RFC 9457 problem details: standard members are never
// in Extensions, encoding and decoding again keeps them, and an APIError
// carrying the body reads it the same way.
func FuzzProblem(f *testing.F) {
	for _, seed := range []string{
		`{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc","balance":30,"accounts":["/account/12345","/account/67890"]}`,
		`{"type":1,"title":null,"status":"403","extra":{"a":[1,2]}}`,
		`{"status":1e400}`, `null`, `[]`, `{"title":"\u00e9\ud800"}`, `{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Problem
		if json.Unmarshal(data, &p) != nil {
			return
		}
		_ = p.Error()
		for _, k := range []string{"type", "title", "status", "detail", "instance"} {
			if _, ok := p.Extensions[k]; ok {
				t.Fatalf("standard member %q in Extensions", k)
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Problem
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		back.Extensions = p.Extensions
		if !reflect.DeepEqual(back, p) {
			t.Fatalf("round trip %+v, want %+v", back, p)
		}
		e := &APIError{StatusCode: 400, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: data}
		if q, ok := e.Problem(); !ok || q.Title != p.Title || q.Detail != p.Detail {
			t.Fatalf("APIError.Problem = %+v, %v; want %+v", q, ok, p)
		}
	})
}

// FuzzInt64String: what decodes encodes as a quoted integer that decodes
// to the same value; null changes nothing.
func FuzzInt64String(f *testing.F) {
	for _, seed := range []string{`"9007199254740993"`, `9007199254740993`, `"-9223372036854775808"`, `null`,
		`"\u0031"`, `"1e3"`, `1.0`, `"9223372036854775808"`, `" 1"`, `"+1"`, `""`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := Int64String(42)
		if err := json.Unmarshal(data, &n); err != nil {
			return
		}
		if string(bytes.TrimSpace(data)) == "null" {
			if n != 42 {
				t.Fatalf("null changed the value to %d", n)
			}
			return
		}
		b, err := json.Marshal(n)
		if err != nil || b[0] != '"' {
			t.Fatalf("Marshal = %s, %v", b, err)
		}
		var back Int64String
		if err := json.Unmarshal(b, &back); err != nil || back != n {
			t.Fatalf("%s decodes as %d, %v; want %d", b, back, err, n)
		}
	})
}

// FuzzDate: text that parses prints back identically; JSON that decodes
// encodes and decodes to the same Date (null and the zero Date included).
func FuzzDate(f *testing.F) {
	for _, seed := range []string{"2024-02-29", "0999-12-31", "2023-02-29", "0000-01-01", "9999-12-31", "2024-1-01",
		`"2024-02-29"`, `null`, `"\u0032024-01-01"`, `"2024-02-29T00:00:00Z"`, ``} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Date
		if d.UnmarshalText([]byte(s)) == nil {
			b, err := d.MarshalText()
			if err != nil || string(b) != s {
				t.Fatalf("%q parses as %v, prints %q, %v", s, d, b, err)
			}
		}
		var j Date
		if json.Unmarshal([]byte(s), &j) != nil {
			return
		}
		b, err := json.Marshal(j)
		if err != nil {
			t.Fatalf("%s decodes as %+v that does not encode: %v", s, j, err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil || back != j {
			t.Fatalf("%s → %+v → %s → %+v, %v", s, j, b, back, err)
		}
	})
}
