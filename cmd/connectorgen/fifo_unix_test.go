//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestGenerateRefusesFIFO: a named pipe where the connector writes a file
// is reported (opening it would block, writing it would feed a reader).
func TestGenerateRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(out, "operations.go"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	before := snapshot(t, dir)
	for _, cmd := range []string{"generate", "check"} {
		code, msg := runCLI(cmd, "-spec", goldenSpec, "-package", "p", "-out", out)
		wantOutput(t, cmd, code, msg, 1, filepath.Join(out, "operations.go")+": is a named pipe (FIFO); refusing to write it")
		sameTree(t, cmd, before, snapshot(t, dir))
	}
}
