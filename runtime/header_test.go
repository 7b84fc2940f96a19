package runtime

import (
	"net/http"
	"testing"
	"time"
)

func TestDecodeHeader(t *testing.T) {
	h := http.Header{}
	h.Set("X-Next-Cursor", "abc")
	h.Set("X-Rate-Limit", "42")
	h.Set("X-Expires", "Wed, 21 Oct 2015 07:28:00 GMT")
	h.Add("X-Tags", "a, b")
	h.Add("X-Tags", "c")
	h.Set("X-Bad", "NaN-ish")
	var cursor Opt[string]
	var limit int64
	var expires time.Time
	var tags []string
	var absent Opt[int64]
	for name, dst := range map[string]any{"X-Next-Cursor": &cursor, "X-Rate-Limit": &limit, "X-Expires": &expires, "X-Tags": &tags, "X-Absent": &absent} {
		if err := DecodeHeader(h, name, dst); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if !cursor.Set || cursor.Value != "abc" || limit != 42 || expires.Year() != 2015 || len(tags) != 3 || absent.Set {
		t.Errorf("decoded cursor=%+v limit=%d expires=%v tags=%q absent=%+v", cursor, limit, expires, tags, absent)
	}
	var n Opt[int64]
	if err := DecodeHeader(h, "X-Bad", &n); err == nil || n.Set {
		t.Errorf("malformed header: err=%v set=%v", err, n.Set)
	}
}
