package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateConfigSettings runs generate -config with include, names
// and a bad types pointer: the info line is printed, and an unknown
// pointer fails at the config's line.
func TestGenerateConfigSettings(t *testing.T) {
	dir := t.TempDir()
	spec, err := filepath.Abs("../../specs/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "connectorgen.yaml")
	write := func(extra string) {
		if err := os.WriteFile(cfg, []byte("spec: "+spec+"\npackage: petstore\nout: out\n"+extra), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("include:\n  operationIds: [listPets]\nnames:\n  operation:listPets: AllPets\n")
	code, msg := runCLI("generate", "-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if !strings.Contains(msg, "#/include: info: kept 1 of ") {
		t.Errorf("no info line about the operations kept: %q", msg)
	}
	ops, err := os.ReadFile(filepath.Join(dir, "out", "operations.go"))
	if err != nil {
		t.Fatal(err)
	}
	// AllPets alone, with its iterators (AllPetsIter, AllPetsPages).
	if !strings.Contains(string(ops), "func (c *Client) AllPets(") ||
		strings.Count(string(ops), "func (c *Client) ") != strings.Count(string(ops), "func (c *Client) AllPets") {
		t.Errorf("operations.go does not hold AllPets alone:\n%s", ops)
	}
	write("types:\n  '#/components/schemas/Nope': string\n")
	code, msg = runCLI("generate", "-config", cfg)
	if want := cfg + ":5: #/types/#~1components~1schemas~1Nope: #/components/schemas/Nope is not a schema, property or parameter of the spec"; code != 1 || !strings.Contains(msg, want) {
		t.Errorf("exit %d, %q; want 1 and %q", code, msg, want)
	}
}

// TestConfigPackageMain: package: main is an error located at the key,
// and nothing is written.
func TestConfigPackageMain(t *testing.T) {
	dir := t.TempDir()
	spec, _ := filepath.Abs("../../specs/petstore.yaml")
	cfg := filepath.Join(dir, "connectorgen.yaml")
	if err := os.WriteFile(cfg, []byte("spec: "+spec+"\nout: out\npackage: main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"generate", "check"} {
		code, msg := runCLI(cmd, "-config", cfg)
		if want := cfg + `:3:1: #/package: package name "main" makes a command, which other packages cannot import`; code != 1 || !strings.Contains(msg, want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", cmd, code, msg, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("out was created: %v", err)
	}
}
