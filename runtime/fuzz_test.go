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
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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
		_ = DetailText(p)
	})
}

// unionA and unionB are object variants as generated unions declare them.
type unionA struct {
	Kind string  `json:"kind"`
	N    float64 `json:"n"`
}

type unionB struct {
	Kind string   `json:"kind"`
	Tags []string `json:"tags,omitzero"`
}

// FuzzUnionHelpers drives the helpers generated union decoders use:
// KindOf agrees with encoding/json on valid JSON, DiscriminatorValue and
// HasMembers agree with a plain decode, and DecodeStrict accepts only what
// a lenient decode accepts, with the same result.
func FuzzUnionHelpers(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"a","n":1}`, `{"kind":"b","tags":["x"]}`, `{"kind":"b","tags":["x"],"more":true}`,
		` [1,2]`, `"s"`, `true`, `null`, `-0.5e3`, `{"kind":1}`, `{"kind":"a"} {}`, `{"KIND":"a"}`, ``,
	} {
		f.Add([]byte(seed), "kind")
	}
	f.Fuzz(func(t *testing.T, data []byte, prop string) {
		if json.Valid(data) {
			// UseNumber: a number beyond float64's range is still a number.
			var v any
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("json.Valid input does not decode: %v", err)
			}
			want := map[reflect.Kind]JSONKind{reflect.Map: JSONObject, reflect.Slice: JSONArray,
				reflect.String: JSONString, reflect.Bool: JSONBool}[reflect.ValueOf(v).Kind()]
			switch v.(type) {
			case nil:
				want = JSONNull
			case json.Number:
				want = JSONNumber
			}
			if got := KindOf(data); got != want {
				t.Fatalf("KindOf = %v, want %v", got, want)
			}
		}
		var obj map[string]json.RawMessage
		isObj := json.Unmarshal(data, &obj) == nil && obj != nil
		var want string
		if isObj {
			_ = json.Unmarshal(obj[prop], &want)
		}
		if got := DiscriminatorValue(data, prop); got != want {
			t.Fatalf("DiscriminatorValue = %q, want %q", got, want)
		}
		_, has := obj[prop]
		if got := HasMembers(data, prop); got != (isObj && has) {
			t.Fatalf("HasMembers = %v, object %v, has %v", got, isObj, has)
		}
		for _, mk := range []func() any{func() any { return new(unionA) }, func() any { return new(unionB) }} {
			strict, lenient := mk(), mk()
			if DecodeStrict(data, strict) != nil {
				continue
			}
			if err := DecodeLenient(data, lenient); err != nil {
				t.Fatalf("strict accepted what lenient refuses: %v", err)
			}
			if !reflect.DeepEqual(strict, lenient) {
				t.Fatalf("strict %+v, lenient %+v", strict, lenient)
			}
		}
	})
}

// FuzzUnmarshalWithExtra decodes objects with undeclared members: it
// succeeds exactly when a plain decode does, agrees with it on declared
// members, keeps no declared member as extra, and encoding is stable after
// one decode (decode, encode, decode, encode gives the same bytes).
func FuzzUnmarshalWithExtra(f *testing.F) {
	for _, seed := range []string{
		`{"id":"a","tags":["x"],"new_field":{"n":1}}`, `{"id":"b"}`, `{"id":"c","id":"d","x":1,"x":2}`,
		`{"ID":"a","x":1}`, `{"id":"a","ID":"b","z":null}`, `{"tags":null,"\u0069d":"e"}`, `[]`, `null`, `{"id":1,"x":2}`,
		`{"data":[{"id":"a","tags":["x"],"new_field":{"n":1}},{"id":"b"}],"has_more":true}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got item
		err := json.Unmarshal(data, &got)
		var plain plainItem
		if perr := json.Unmarshal(data, &plain); (err == nil) != (perr == nil) {
			t.Fatalf("UnmarshalWithExtra: %v; plain decode: %v", err, perr)
		}
		var got4 itemV4
		if err4 := json.Unmarshal(data, &got4); (err == nil) != (err4 == nil) {
			t.Fatalf("API version 3 object: %v; version 4: %v", err, err4)
		}
		if err != nil {
			return
		}
		if got.ID != got4.ID || !reflect.DeepEqual(got.Tags, got4.Tags) || !reflect.DeepEqual(got.AdditionalProperties, got4.AdditionalProperties) {
			t.Fatalf("API version 3 object: %+v; version 4: %+v", got, got4)
		}
		if a, b := mustMarshal(t, got), mustMarshal(t, got4); !bytes.Equal(a, b) {
			t.Fatalf("API version 3 object encodes as %s; version 4 as %s", a, b)
		}
		if got.ID != plain.ID || !reflect.DeepEqual(got.Tags, plain.Tags) {
			t.Fatalf("declared members %q %q, plain %q %q", got.ID, got.Tags, plain.ID, plain.Tags)
		}
		for k := range got.AdditionalProperties {
			if k == "id" || k == "tags" {
				t.Fatalf("declared member %q kept as extra", k)
			}
		}
		once, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var back item
		if err := json.Unmarshal(once, &back); err != nil {
			t.Fatalf("%s does not decode: %v", once, err)
		}
		twice, err := json.Marshal(back)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("unstable: %s then %s (%v)", once, twice, err)
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
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

// FuzzDecodeHeader decodes one response header value into every type a
// generated response header may have: no panic, and integers and floats
// that decode print back to a value that decodes the same.
func FuzzDecodeHeader(f *testing.F) {
	for _, seed := range []string{"42", " -7 ", "9223372036854775808", "1.5e300", "NaN", "true", "a, b ,c",
		"2026-03-01T12:00:00Z", "Sun, 01 Mar 2026 12:00:30 GMT", `{"a":1}`, "2024-02-29", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\x00") {
			return // not a header value net/http delivers
		}
		h := http.Header{"X-V": {v}}
		var (
			s   string
			b   bool
			i   int64
			i32 int32
			fl  float64
			tm  time.Time
			ss  []string
			d   Date
			o   Opt[int64]
			m   map[string]any
		)
		for _, dst := range []any{&s, &b, &i, &i32, &fl, &tm, &ss, &d, &o, &m} {
			_ = DecodeHeader(h, "X-V", dst)
		}
		if s != v {
			t.Fatalf("string %q, want %q", s, v)
		}
		var again int64
		if DecodeHeader(h, "X-V", &again) == nil {
			h2 := http.Header{"X-V": {strconv.FormatInt(again, 10)}}
			var back int64
			if err := DecodeHeader(h2, "X-V", &back); err != nil || back != again {
				t.Fatalf("int64 %d decodes back as %d, %v", again, back, err)
			}
		}
		var f64 float64
		if DecodeHeader(h, "X-V", &f64) == nil && !math.IsNaN(f64) {
			h2 := http.Header{"X-V": {strconv.FormatFloat(f64, 'g', -1, 64)}}
			var back float64
			if err := DecodeHeader(h2, "X-V", &back); err != nil || back != f64 {
				t.Fatalf("float64 %v decodes back as %v, %v", f64, back, err)
			}
		}
	})
}

// FuzzDecodeSyntax: the decoder's one pass accepts exactly the texts
// encoding/json accepts (it no longer runs json.Valid after its own
// split), with the same values, into an interface and into a struct of
// strings, numbers and nested values.
func FuzzDecodeSyntax(f *testing.F) {
	for _, seed := range []string{
		`{"a":"x\u00e9\n","b":[1,-0.5e+3,true,false,null],"c":{"d":"\ud83d\ude00"}}`, `"\x"`, `01`, `1.`, `-`, `1e`,
		`[1,]`, `{"a":1,}`, `nul`, `truex`, "\"\x01\"", `"\u12G4"`, ` [ ] `, `{"a" 1}`, `[1 2]`, `"\/"`, `1E+9`, `-0`,
	} {
		f.Add([]byte(seed))
	}
	type doc struct {
		A string         `json:"a"`
		B []any          `json:"b"`
		C map[string]any `json:"c"`
		N float64        `json:"n"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want any
		err := Unmarshal(data, &got)
		werr := json.Unmarshal(data, &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("runtime.Unmarshal: %v; encoding/json: %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("runtime.Unmarshal: %#v; encoding/json: %#v", got, want)
		}
		var gd, wd doc
		err = Unmarshal(data, &gd)
		werr = json.Unmarshal(data, &wd)
		if (err == nil) != (werr == nil) {
			t.Fatalf("into a struct: runtime.Unmarshal: %v; encoding/json: %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(gd, wd) {
			t.Fatalf("into a struct: runtime.Unmarshal: %#v; encoding/json: %#v", gd, wd)
		}
	})
}
