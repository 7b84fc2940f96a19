package runtime

import (
	"encoding/json"
	"testing"
)

func TestInt64String(t *testing.T) {
	var v struct {
		ID Int64String `json:"id"`
	}
	for _, in := range []string{`{"id":"9007199254740993"}`, `{"id":9007199254740993}`} {
		if err := json.Unmarshal([]byte(in), &v); err != nil || v.ID != 9007199254740993 {
			t.Fatalf("%s: %v %d", in, err, v.ID)
		}
	}
	if b, _ := json.Marshal(v); string(b) != `{"id":"9007199254740993"}` {
		t.Errorf("encoded %s", b)
	}
	if err := json.Unmarshal([]byte(`{"id":"12a"}`), &v); err == nil {
		t.Error("malformed integer accepted")
	}
}

// JSON null leaves an Int64String as it was, as encoding/json does for int64.
func TestInt64StringNull(t *testing.T) {
	var v struct {
		N Int64String  `json:"n"`
		P *Int64String `json:"p"`
		I int64        `json:"i"`
	}
	v.N, v.I = 7, 7
	if err := json.Unmarshal([]byte(`{"n":null,"p":null,"i":null}`), &v); err != nil || v.N != 7 || v.P != nil || v.I != 7 {
		t.Fatalf("%+v, %v", v, err)
	}
	for _, bad := range []string{`"null"`, `nul`, `""`, `"1e3"`, `true`} {
		var n Int64String
		if err := n.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s decoded as %d", bad, n)
		}
	}
}
