package runtime

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoffBounds(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Hour, MaxDelay: 1000 * time.Hour, Jitter: -1}.normalize()
	for _, n := range []int{0, 1, 9, 10, 40, 63, 64, 1000} {
		if d := p.backoff(n); d <= 0 || d > p.MaxDelay {
			t.Errorf("backoff(%d) = %v", n, d)
		}
	}
	if d := p.backoff(2); d != 4*time.Hour {
		t.Errorf("backoff(2) = %v", d)
	}
	p = RetryPolicy{BaseDelay: 10 * time.Second, MaxDelay: time.Second, Jitter: -1}.normalize()
	if d := p.backoff(0); d != time.Second {
		t.Errorf("base above the cap: %v", d)
	}
}

func TestServerDelayEdgeCases(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header map[string]string
		want   time.Duration
		ok     bool
	}{
		{map[string]string{}, 0, false},
		{map[string]string{"Retry-After": "0"}, 0, true},
		{map[string]string{"Retry-After": " 7 "}, 7 * time.Second, true},
		{map[string]string{"Retry-After": "-1"}, 0, false},
		{map[string]string{"Retry-After": "1.5"}, 0, false},
		{map[string]string{"Retry-After": "9223372036854775807"}, MaxServerDelay, true},
		{map[string]string{"Retry-After": "99999999999999999999999"}, MaxServerDelay, true},
		{map[string]string{"Retry-After": "86401"}, MaxServerDelay, true},
		{map[string]string{"Retry-After": "9223372037"}, MaxServerDelay, true}, // × 1e9 ns overflows int64
		{map[string]string{"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}, MaxServerDelay, true},
		{map[string]string{"Retry-After": "Mon, 01 Jan 0001 00:00:00 GMT"}, 0, true},
		{map[string]string{"Retry-After": "Sun, 01 Mar 2026 12:00:30 GMT"}, 30 * time.Second, true},
		{map[string]string{"Retry-After": "Sunday, 01-Mar-26 12:00:30 GMT"}, 30 * time.Second, true}, // RFC 850
		{map[string]string{"Retry-After": "Sun Mar  1 12:00:30 2026"}, 30 * time.Second, true},       // asctime
		{map[string]string{"Retry-After-Ms": "NaN", "Retry-After": "2"}, 2 * time.Second, true},
		{map[string]string{"Retry-After-Ms": "-5", "Retry-After": "2"}, 2 * time.Second, true},
		{map[string]string{"Retry-After-Ms": "1e300"}, MaxServerDelay, true},
		{map[string]string{"Retry-After-Ms": "9223372036854775807"}, MaxServerDelay, true},
		{map[string]string{"Retry-After-Ms": "1.5"}, 1500 * time.Microsecond, true},
		{map[string]string{"Retry-After-Ms": "Inf"}, 0, false},
	}
	for _, tc := range cases {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		if d, ok := serverDelay(h, now); d != tc.want || ok != tc.ok {
			t.Errorf("%v: %v, %v; want %v, %v", tc.header, d, ok, tc.want, tc.ok)
		}
	}
}
