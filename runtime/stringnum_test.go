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
