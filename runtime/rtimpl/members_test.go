package rtimpl

import "testing"

func TestHasMembers(t *testing.T) {
	for _, c := range []struct {
		data  string
		names []string
		want  bool
	}{
		{`{"a":1,"b":null}`, []string{"a", "b"}, true},
		{`{"a":1}`, []string{"a", "b"}, false},
		{`{"a":1}`, nil, true},
		{`[1]`, []string{"a"}, false},
		{`{"a":`, []string{"a"}, false},
		{`{"x":{"a":1}}`, []string{"a"}, false}, // only top-level members count
	} {
		if got := HasMembers([]byte(c.data), c.names...); got != c.want {
			t.Errorf("HasMembers(%s, %q) = %v, want %v", c.data, c.names, got, c.want)
		}
	}
}
