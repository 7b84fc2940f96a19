package rtimpl

import (
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

type paramStatus string

// TestDecodeParam: the values a server receives decode into each kind of
// request field; values that do not parse are errors.
func TestDecodeParam(t *testing.T) {
	var (
		s  string
		n  int64
		b  runtime.Opt[bool]
		ts []paramStatus
		ns []int64
		tm time.Time
		nl runtime.Nullable[float64]
	)
	for _, c := range []struct {
		values []string
		dst    any
	}{
		{[]string{"rex"}, &s}, {[]string{"42"}, &n}, {[]string{"true"}, &b},
		{[]string{"available", "sold"}, &ts}, {[]string{"1,2,3"}, &ns},
		{[]string{"2024-05-01T10:00:00Z"}, &tm}, {[]string{"0.5"}, &nl},
	} {
		if err := DecodeParam(c.values, c.dst); err != nil {
			t.Errorf("DecodeParam(%q, %T): %v", c.values, c.dst, err)
		}
	}
	if s != "rex" || n != 42 || !b.Set || !b.Value || len(ts) != 2 || ts[1] != "sold" || len(ns) != 3 || ns[2] != 3 ||
		tm.Hour() != 10 || !nl.Set || nl.Value != 0.5 {
		t.Errorf("decoded %q %d %+v %q %v %v %+v", s, n, b, ts, ns, tm, nl)
	}
	for _, c := range []struct {
		values []string
		dst    any
	}{{[]string{"seven"}, &n}, {[]string{"1,x"}, &ns}, {[]string{"maybe"}, &b}} {
		if err := DecodeParam(c.values, c.dst); err == nil {
			t.Errorf("DecodeParam(%q, %T) succeeded", c.values, c.dst)
		}
	}
}

// FuzzDecodeParam: any values decode into every kind of request field
// without panicking (a typed fake decodes what a client sends).
func FuzzDecodeParam(f *testing.F) {
	f.Add("42", "a,b")
	f.Add("2024-05-01T10:00:00Z", "")
	f.Add("true", "\x00,\xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		values := []string{a, b}
		for _, dst := range []any{new(string), new(int64), new(int32), new(float64), new(bool), new(time.Time),
			new(runtime.Date), new([]int64), new([]paramStatus), new(runtime.Opt[int64]), new(runtime.Nullable[[]string])} {
			_ = DecodeParam(values, dst)
			_ = DecodeParam(values[:1], dst)
		}
	})
}
