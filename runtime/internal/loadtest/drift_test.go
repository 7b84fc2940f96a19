package loadtest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestConnectorIsCurrent: petstore/ is byte for byte the consumer example's
// generated connector, which `make test-consumer` regenerates and checks.
func TestConnectorIsCurrent(t *testing.T) {
	src := filepath.Join("..", "..", "..", "examples", "consumer", "partner", "petstore")
	want, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadDir("petstore")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("petstore/ has %d files, %s has %d: copy it again", len(got), src, len(want))
	}
	for _, e := range want {
		a, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join("petstore", e.Name()))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("petstore/%s differs from %s (%v): cp %s/* petstore/", e.Name(), src, err, src)
		}
	}
}
