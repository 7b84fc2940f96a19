package loadtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConnectorIsCurrent: petstore/ is byte for byte the consumer example's
// generated connector, which `make test-consumer` regenerates and checks
// (its files, not connectorgen's manifest, which names the consumer's
// directory).
func TestConnectorIsCurrent(t *testing.T) {
	src := filepath.Join("..", "..", "..", "examples", "consumer", "partner", "petstore")
	want, err := connectorFiles(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := connectorFiles("petstore")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("petstore/ has %d files, %s has %d: copy it again", len(got), src, len(want))
	}
	for _, e := range want {
		a, err := os.ReadFile(filepath.Join(src, e))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join("petstore", e))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("petstore/%s differs from %s (%v): cp %s/* petstore/", e, src, err, src)
		}
	}
}

// connectorFiles lists the connector's files in dir, leaving out dot files
// (connectorgen's manifest) and directories (its typed fake, petstorefake,
// which the load test does not use).
func connectorFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}
