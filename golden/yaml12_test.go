package golden

import (
	"encoding/json"
	"testing"

	yaml12 "github.com/connectorgen/connectorgen/golden/yaml12/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// TestYAML12KeysAsWritten: plain YAML keys that YAML 1.1 reads as numbers
// (18_24 as 1824, 010 as 8) are the members' names as written, as YAML
// 1.2 reads them, so a partner's JSON decodes into their fields and
// encodes back under the same names; 1e3's bounds (.5, 1.5e3) are numbers.
func TestYAML12KeysAsWritten(t *testing.T) {
	in := `{"18_24":5,"0b101":6,"010":7,"1e3":2.5,"level":31}`
	var a yaml12.Audience
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	if a.N18_24.Value != 5 || a.N0b101.Value != 6 || a.N010.Value != 7 || a.N1e3.Value != 2.5 || a.Level.Value != yaml12.Level31 {
		t.Fatalf("decoded %+v", a)
	}
	if len(a.AdditionalProperties) != 0 {
		t.Errorf("members left undeclared: %v", a.AdditionalProperties)
	}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	sameMembers(t, string(out), in)
	if err := a.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	a.N1e3 = runtime.Some(0.25)
	if err := a.Validate(); err == nil {
		t.Error("Validate accepts 0.25 below minimum .5")
	}
	if yaml12.Band18_24 != "18_24" || yaml12.Band0b101 != "0b101" || yaml12.Level10 != 10 {
		t.Error("enum values not read by the YAML 1.2 core schema")
	}
}
