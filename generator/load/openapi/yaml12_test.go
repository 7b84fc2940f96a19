package openapi

import (
	"strings"
	"testing"
)

// TestYAMLToJSONCoreSchema: plain scalars resolve by the YAML 1.2 core
// schema, keys stay as written, U+2028 and friends stay inside scalars,
// merge keys apply, and aliases cannot expand the text without bound.
func TestYAMLToJSONCoreSchema(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a: 1_0\nb: 0b101\nc: 010\nd: 0x1F\ne: 0o17\nf: +12\ng: .5\nh: 1.\ni: -007.5e3\nj: .inf\nk: yes\nl: ~\nm: 2001-12-14\n",
			`{"a":"1_0","b":"0b101","c":10,"d":31,"e":15,"f":12,"g":0.5,"h":1.0,"i":-7.5e3,"j":".inf","k":"yes","l":null,"m":"2001-12-14"}`},
		{"18_24: a\n010: b\n1e3: c\ntrue: d\n~: e\n", `{"18_24":"a","010":"b","1e3":"c","true":"d","~":"e"}`},
		{"a: '010'\nb: !!str 12\nc: !!int 12\nd: \"x\"\n", `{"a":"010","b":"12","c":12,"d":"x"}`},
		{"d: |\n  a\u2028b\u2029c\u0085d\ne: \"x\u2028y\"\n", `{"d":"a\u2028b\u2029c\u0085d\n","e":"x\u2028y"}`},
		// Characters JSON strings may hold raw but YAML may not are escaped.
		{"a: \"\\x7f\\u0090\\ufeff\"\n", `{"a":"\u007f\u0090\ufeff"}`},
		{"base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n", `{"base":{"x":1,"y":2},"m":{"y":3,"x":1}}`},
	} {
		got, _, err := yamlToJSON([]byte(tc.in))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"a: 1\na: 2\n", "? [a]\n: 1\n"} {
		if _, _, err := yamlToJSON([]byte(bad)); err == nil || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: error %v, want one naming a line", bad, err)
		}
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		bomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(i-1)+", ", 9) + "*" + string(i-1) + "]\n"
	}
	if _, _, err := yamlToJSON([]byte(bomb)); err == nil || !strings.Contains(err.Error(), "aliases expand") {
		t.Errorf("alias bomb: %v", err)
	}
}
