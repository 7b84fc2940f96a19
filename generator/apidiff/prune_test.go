package apidiff

import (
	"fmt"
	"sort"
	"testing"
)

// TestPruneSameChanges compares the pruned walk of oasdiff's checker with
// the full one on the specs CONNECTORGEN_DIFF_OLD and CONNECTORGEN_DIFF_NEW
// (skipped without them): every change with a position in the spec, but
// info, must be found by both, reaching the same number of operations.
// Texts may differ (each walk's most direct path), and changes without a
// position are not compared: the full walk gives one per reference path.
// On Stripe 2023-08-16 → stripe-mock v0.203.0: 211 changes each, the same.
func TestPruneSameChanges(t *testing.T) {
	oldPath, newPath := upgradePair(t)
	keys := func(prune bool) map[string]string {
		pruneWalk = prune
		defer func() { pruneWalk = true }()
		_, groups, _, _, err := compareWire(Spec{File: oldPath, Data: read(t, oldPath)}, Spec{File: newPath, Data: read(t, newPath)}, false)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, g := range groups {
			if g.Location == nil || g.class() == "info" {
				continue
			}
			k := g.ID + " " + g.Text
			if g.Location != nil {
				k = g.ID + " " + g.Location.String()
			}
			out[k] = fmt.Sprintf("%s ops=%d", g.class(), g.ops.len())
		}
		return out
	}
	pruned := keys(true)
	full := keys(false)
	var only []string
	for k, v := range full {
		if p, ok := pruned[k]; !ok {
			only = append(only, "FULL ONLY "+k+" :: "+v)
		} else if p != v {
			only = append(only, "DIFF "+k+" :: full "+v+" :: pruned "+p)
		}
	}
	for k, v := range pruned {
		if _, ok := full[k]; !ok {
			only = append(only, "PRUNED ONLY "+k+" :: "+v)
		}
	}
	sort.Strings(only)
	t.Logf("pruned walk: %d changes, full walk: %d", len(pruned), len(full))
	for i, s := range only {
		if i < 60 {
			t.Error(s)
		}
	}
}
