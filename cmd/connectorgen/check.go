package main

import (
	"context"
	"fmt"
	"io"

	"github.com/pmezard/go-difflib/difflib"
)

// check runs `connectorgen check`: it regenerates in memory and compares
// with the files on disk, so CI can fail when someone edited generated
// code or forgot to regenerate. It decides what differs with the same
// plan generate writes by (makePlan): it prints a unified diff per file
// generate would write (the manifest included), names each stale file
// generate would remove and each file generate would refuse to touch,
// and exits 1 when there is any, 0 when all is current.
func check(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := produce(ctx, "check", args, stderr)
	if o == nil {
		return code
	}
	addChangelog(ctx, o, false, stderr)
	p := makePlan(*o)
	for _, w := range p.warnings {
		fmt.Fprintln(stderr, w)
	}
	if len(p.problems) > 0 {
		for _, msg := range p.problems {
			fmt.Fprintln(stderr, msg)
		}
		fmt.Fprintf(stderr, "connectorgen: generate would write nothing to %s: connectorgen writes and removes only the files it generated for this connector\n", o.dir)
		return 1
	}
	for _, w := range p.writes {
		printDiff(stdout, w.path, w.old, w.content, !w.exists)
	}
	for _, path := range p.stale {
		fmt.Fprintf(stdout, "%s: generated earlier, no longer produced by the spec\n", path)
	}
	if n := len(p.writes) + len(p.stale); n > 0 {
		fmt.Fprintf(stderr, "connectorgen: %d file(s) in %s are not what the spec generates; run connectorgen generate\n", n, o.dir)
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
