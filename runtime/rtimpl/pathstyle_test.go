package rtimpl

import "testing"

// The expected strings are the OpenAPI 3.1 style examples (§4.8.12.4).
func TestPathParamStyle(t *testing.T) {
	obj := map[string]int{"R": 100, "G": 200, "B": 150}
	for _, tc := range []struct {
		style   Style
		explode bool
		v       any
		want    string
	}{
		{StyleLabel, false, "blue", ".blue"},
		{StyleLabel, true, "blue", ".blue"},
		{StyleLabel, false, []string{"blue", "black", "brown"}, ".blue,black,brown"},
		{StyleLabel, true, []string{"blue", "black", "brown"}, ".blue.black.brown"},
		{StyleLabel, false, obj, ".B,150,G,200,R,100"},
		{StyleLabel, true, obj, ".B=150.G=200.R=100"},
		{StyleMatrix, false, "blue", ";color=blue"},
		{StyleMatrix, true, "blue", ";color=blue"},
		{StyleMatrix, false, []string{"blue", "black", "brown"}, ";color=blue,black,brown"},
		{StyleMatrix, true, []string{"blue", "black", "brown"}, ";color=blue;color=black;color=brown"},
		{StyleMatrix, false, obj, ";color=B,150,G,200,R,100"},
		{StyleMatrix, true, obj, ";B=150;G=200;R=100"},
		{StyleMatrix, false, "a/b c", ";color=a%2Fb%20c"},
		{StyleSimple, false, []string{"a", "b"}, "a,b"},
	} {
		if got := PathParamStyle("color", tc.v, tc.style, tc.explode); got != tc.want {
			t.Errorf("%s explode=%v %v: got %q, want %q", tc.style, tc.explode, tc.v, got, tc.want)
		}
	}
}
