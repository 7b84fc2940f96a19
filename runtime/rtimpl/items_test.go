package rtimpl_test

import (
	"testing"

	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

func TestDecodeExact(t *testing.T) {
	type closed struct {
		ID   string `json:"id"`
		Open bool   `json:"open"`
	}
	for _, tc := range []struct {
		in    string
		exact bool
	}{
		{`{"open":true,"id":"C1"}`, true},                 // members in another order
		{`{"id":"C1","open":false,"locale":"en"}`, false}, // a member the type drops
		{`{"id":"C1"}`, false},                            // a member the type adds
	} {
		var v closed
		exact, err := rtimpl.DecodeExact([]byte(tc.in), &v)
		if err != nil || exact != tc.exact || v.ID != "C1" {
			t.Errorf("%s: exact %v, err %v, value %+v; want exact %v", tc.in, exact, err, v, tc.exact)
		}
	}
	var n float64
	if exact, _ := rtimpl.DecodeExact([]byte(`1.0`), &n); exact || n != 1 {
		t.Errorf("1.0 into float64: exact %v (it goes back as 1)", exact)
	}
	if _, err := rtimpl.DecodeExact([]byte(`"x"`), &n); err == nil {
		t.Error("a string into float64: no error")
	}
}
