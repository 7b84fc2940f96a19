package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pmezard/go-difflib/difflib"
)

// check runs `connectorgen check`: it regenerates in memory and compares
// with the files on disk, so CI can fail when someone edited generated
// code or forgot to regenerate. It prints a unified diff per differing
// file and exits 1 when anything differs, 0 when all is current.
func check(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	dir, files, code := produce(ctx, "check", args, stderr)
	if files == nil {
		return code
	}
	stale := 0
	want := map[string]bool{}
	for _, f := range files {
		want[f.Name] = true
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		old, err := os.ReadFile(path)
		if err != nil {
			old = nil
		}
		if bytes.Equal(old, f.Content) {
			continue
		}
		stale++
		printDiff(stdout, path, old, f.Content, err != nil)
	}
	stale += extraGenerated(stdout, dir, want)
	if stale > 0 {
		fmt.Fprintf(stderr, "connectorgen: %d file(s) in %s are not what the spec generates; run connectorgen generate\n", stale, dir)
		return 1
	}
	return 0
}

func printDiff(w io.Writer, path string, old, cur []byte, missing bool) {
	from := path
	if missing {
		from = "/dev/null"
	}
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(old)), B: difflib.SplitLines(string(cur)),
		FromFile: from + " (on disk)", ToFile: path + " (generated)", Context: 3,
	})
	fmt.Fprint(w, d)
}

// extraGenerated reports files an earlier run generated that the current
// spec no longer produces (generate would delete them).
func extraGenerated(w io.Writer, dir string, want map[string]bool) int {
	stale, err := staleFiles(dir, want)
	if err != nil {
		return 0
	}
	for _, path := range stale {
		fmt.Fprintf(w, "%s: generated earlier, no longer produced by the spec\n", path)
	}
	return len(stale)
}
