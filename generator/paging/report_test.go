package paging_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/generator/paging"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus-report.txt")

// corpusDir is ../shared/corpus beside the checkout, or CONNECTORGEN_CORPUS.
func corpusDir(t *testing.T) string {
	dir := os.Getenv("CONNECTORGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		t.Skipf("corpus not found at %s (set CONNECTORGEN_CORPUS)", dir)
	}
	return dir
}

// loadCorpus loads one corpus spec and applies detection.
func loadCorpus(t *testing.T, dir, rel string) (*ir.API, []paging.Decision) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	api, diags := openapi.Load(context.Background(), rel, data)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", rel, diags)
	}
	decisions, d := paging.Apply(api, nil)
	if len(d) > 0 {
		t.Fatalf("%s: %v", rel, d)
	}
	return api, decisions
}

func TestScratch(t *testing.T) {
	dir := corpusDir(t)
	only := os.Getenv("PAGING_SPEC")
	if only == "" {
		t.Skip()
	}
	_, ds := loadCorpus(t, dir, only)
	counts := map[ir.PageScheme]int{}
	for _, d := range ds {
		counts[d.Scheme]++
		if os.Getenv("PAGING_ALL") != "" || d.Scheme == "" {
			fmt.Println(d)
		}
	}
	var keys []string
	for k, v := range counts {
		keys = append(keys, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(keys)
	fmt.Println(strings.Join(keys, " "))
}
