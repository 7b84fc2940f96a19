package authlink

import (
	"net/url"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	for _, h := range []string{"localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.8.9.10", "::1", "localhost."} {
		if !IsLoopback(h) {
			t.Errorf("%s is loopback", h)
		}
	}
	for _, h := range []string{"example.com", "10.0.0.1", "localhost.example.com", "0.0.0.0", "::", "127.0.0.1.nip.io"} {
		if IsLoopback(h) {
			t.Errorf("%s is not loopback", h)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://a.test/x", "https://A.test:443/y", true},
		{"http://a.test/", "https://a.test/", true},
		{"https://a.test/", "http://a.test/", false},
		{"https://a.test/", "https://a.test:8443/", false},
		{"https://a.test/", "https://b.a.test/", false},
		{"http://a.test:8080/", "https://a.test:8080/", false},
	} {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if got := SameOrigin(a, b); got != tc.same {
			t.Errorf("SameOrigin(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}
