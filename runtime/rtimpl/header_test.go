package rtimpl

import (
	"net/http"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

func TestDecodeHeader(t *testing.T) {
	h := http.Header{}
	h.Set("X-Next-Cursor", "abc")
	h.Set("X-Rate-Limit", "42")
	h.Set("X-Expires", "Wed, 21 Oct 2015 07:28:00 GMT")
	h.Add("X-Tags", "a, b")
	h.Add("X-Tags", "c")
	h.Set("X-Bad", "NaN-ish")
	var cursor runtime.Opt[string]
	var limit int64
	var expires time.Time
	var tags []string
	var absent runtime.Opt[int64]
	for name, dst := range map[string]any{"X-Next-Cursor": &cursor, "X-Rate-Limit": &limit, "X-Expires": &expires, "X-Tags": &tags, "X-Absent": &absent} {
		if err := DecodeHeader(h, name, dst); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if !cursor.Set || cursor.Value != "abc" || limit != 42 || expires.Year() != 2015 || len(tags) != 3 || absent.Set {
		t.Errorf("decoded cursor=%+v limit=%d expires=%v tags=%q absent=%+v", cursor, limit, expires, tags, absent)
	}
	// A malformed optional header is left absent, not an error (the raw
	// value stays in the response's Header).
	n := runtime.Opt[int64]{Value: 7}
	if err := DecodeHeader(h, "X-Bad", &n); err != nil || n.Set || n.Value != 7 {
		t.Errorf("malformed optional header: err=%v %+v", err, n)
	}
	h.Set("X-Null", "null") // Prism's answer for a boolean header without an example
	var b runtime.Opt[bool]
	if err := DecodeHeader(h, "X-Null", &b); err != nil || b.Set {
		t.Errorf("null for an optional bool: err=%v %+v", err, b)
	}
	// A malformed required header is an error naming it.
	var req int64
	if err := DecodeHeader(h, "X-Bad", &req); err == nil || err.Error() != `response header X-Bad: strconv.ParseInt: parsing "NaN-ish": invalid syntax` {
		t.Errorf("malformed required header: %v", err)
	}
}
