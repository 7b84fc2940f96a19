package paging_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/generator/paging"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus-report.txt from this run")

const reportPath = "testdata/corpus-report.txt"

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

// corpusSpecs lists the OpenAPI and Swagger specs of the corpus manifest.
func corpusSpecs(t *testing.T, dir string) []string {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rel, _, _ := strings.Cut(sc.Text(), "\t")
		if strings.HasPrefix(rel, "openapi/") {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

var schemes = []ir.PageScheme{ir.PageCursor, ir.PageLastItem, ir.PageNextURL, ir.PageLinkHeader, ir.PageOffset, ir.PageNumber}

// describesPaging matches operation documentation that talks of pages.
var describesPaging = regexp.MustCompile(`(?i)paginat|next page|page token|cursor`)

// specResult is what the report needs of one corpus spec.
type specResult struct {
	operations int
	decisions  []paging.Decision
	missed     []string // GET operations documenting pages, without an iterator: "id: reason"
}

var (
	corpusOnce    sync.Once
	corpusResults map[string]*specResult
)

// loadAll loads every corpus spec once, on GOMAXPROCS workers, keeping
// only the decisions (not the IR: Kubernetes, GitHub and Stripe together
// would hold gigabytes).
func loadAll(t *testing.T) map[string]*specResult {
	dir := corpusDir(t)
	corpusOnce.Do(func() {
		specs := corpusSpecs(t, dir)
		results := make([]*specResult, len(specs))
		var wg sync.WaitGroup
		next := make(chan int)
		for range goruntime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					results[i] = examine(t, dir, specs[i])
				}
			}()
		}
		for i := range specs {
			next <- i
		}
		close(next)
		wg.Wait()
		corpusResults = map[string]*specResult{}
		for i, rel := range specs {
			corpusResults[rel] = results[i]
		}
	})
	if corpusResults == nil {
		t.Fatal("loading the corpus failed")
	}
	return corpusResults
}

// examine loads one spec and keeps what the report needs.
func examine(t *testing.T, dir, rel string) *specResult {
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Error(err)
		return &specResult{}
	}
	api, diags := openapi.Load(context.Background(), rel, data)
	if diags.HasErrors() {
		t.Errorf("%s: %v", rel, diags)
		return &specResult{}
	}
	ds, d := paging.Apply(api, nil)
	if len(d) > 0 {
		t.Errorf("%s: %v", rel, d)
	}
	r := &specResult{operations: len(api.Operations), decisions: ds}
	why := map[string]string{}
	for _, d := range ds {
		why[d.Operation] = d.Detail
	}
	if namedAPIs.MatchString(rel) {
		for _, op := range api.Operations {
			if op.Pagination == nil && op.Method == "GET" && describesPaging.MatchString(op.Summary+" "+op.Description+paramDocs(op)) {
				reason := why[op.ID]
				if reason == "" {
					reason = "no page parameter, next member or Link header"
				}
				r.missed = append(r.missed, op.ID+": "+reason)
			}
		}
	}
	return r
}

// namedAPIs are the specs of the APIs issue 16 names.
var namedAPIs = regexp.MustCompile(`^openapi/(stripe|github|slack\.com|twilio|googleapis\.com)/`)

// TestCorpusPagination writes, per corpus spec, how many operations got
// an iterator and by which scheme, and how many look like lists but got
// none, into testdata/corpus-report.txt, and fails when the run differs
// from the file (-update rewrites it: review the diff). It also lists the
// GET operations of Stripe, GitHub, Slack, Twilio and Google Cloud
// Storage whose documentation talks of pages but that got no iterator,
// with the reason.
func TestCorpusPagination(t *testing.T) {
	results := loadAll(t)
	var b strings.Builder
	fmt.Fprintf(&b, "# Pagination detected per corpus spec (generator/paging, TestCorpusPagination; -update rewrites).\n")
	fmt.Fprintf(&b, "# spec\toperations\tpaginated\t%s\textension\tlooks-like-a-list-but-none\n", strings.Join(schemeNames(), "\t"))
	total := map[string]int{}
	for _, rel := range sortedKeys(results) {
		r := results[rel]
		counts := map[ir.PageScheme]int{}
		ext, none, paged := 0, 0, 0
		for _, d := range r.decisions {
			switch {
			case d.Scheme == "":
				none++
			default:
				paged++
				counts[d.Scheme]++
				if d.Origin != "detected" {
					ext++
				}
			}
		}
		fmt.Fprintf(&b, "%s\t%d\t%d", rel, r.operations, paged)
		total["operations"] += r.operations
		total["paginated"] += paged
		for _, s := range schemes {
			fmt.Fprintf(&b, "\t%d", counts[s])
			total[string(s)] += counts[s]
		}
		fmt.Fprintf(&b, "\t%d\t%d\n", ext, none)
		total["extension"] += ext
		total["none"] += none
	}
	fmt.Fprintf(&b, "total\t%d\t%d", total["operations"], total["paginated"])
	for _, s := range schemes {
		fmt.Fprintf(&b, "\t%d", total[string(s)])
	}
	fmt.Fprintf(&b, "\t%d\t%d\n", total["extension"], total["none"])
	fmt.Fprintf(&b, "\n# GET operations of Stripe, GitHub, Slack, Twilio and Google Cloud Storage whose documentation talks of pages, without an iterator:\n")
	for _, rel := range sortedKeys(results) {
		for _, m := range results[rel].missed {
			fmt.Fprintf(&b, "%s\t%s\n", rel, m)
		}
	}
	got := b.String()
	if *update {
		if err := os.WriteFile(reportPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs from this run (go test ./generator/paging -run TestCorpusPagination -update rewrites it; review the diff):\n%s",
			reportPath, lineDiff(string(want), got))
	}
}

func paramDocs(op *ir.Operation) string {
	var b strings.Builder
	for _, p := range op.Params {
		b.WriteString(" " + p.Doc)
	}
	return b.String()
}

func schemeNames() []string {
	var out []string
	for _, s := range schemes {
		out = append(out, string(s))
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("-" + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+" + l + "\n")
		}
	}
	return b.String()
}

// TestCorpusSchemes pins the scheme of the operations the issue names.
func TestCorpusSchemes(t *testing.T) {
	results := loadAll(t)
	for _, tc := range []struct {
		spec, op string
		scheme   ir.PageScheme
		detail   string
	}{
		{"openapi/stripe/spec3.yaml", "GetCustomers", ir.PageLastItem, "starting_after = last item's id, items data, more has_more"},
		{"openapi/stripe/spec3.yaml", "GetCustomersSearch", ir.PageCursor, "page = next_page, items data, more has_more"},
		{"openapi/github/api.github.com.json", "issues/list-for-repo", ir.PageLinkHeader, "Link rel=next, items: the body"},
		{"openapi/slack.com/1.7.0.openapi.yaml", "conversations_list", ir.PageCursor, "cursor = response_metadata.next_cursor, items channels"},
		{"openapi/twilio/twilio_api_v2010.json", "ListCall", ir.PageNextURL, "next URL next_page_uri, items calls"},
		{"openapi/twilio/twilio_messaging_v1.yaml", "ListService", ir.PageNextURL, "next URL meta.next_page_url, items services"},
		{"openapi/googleapis.com/storage.v1.openapi.yaml", "storage.objects.list", ir.PageCursor, "pageToken = nextPageToken, items items"},
	} {
		r := results[tc.spec]
		if r == nil {
			t.Fatalf("%s not in the corpus", tc.spec)
		}
		ds := r.decisions
		var got *paging.Decision
		for i := range ds {
			if ds[i].Operation == tc.op {
				got = &ds[i]
			}
		}
		switch {
		case got == nil:
			t.Errorf("%s %s: no decision", tc.spec, tc.op)
		case got.Scheme != tc.scheme || !strings.HasPrefix(got.Detail, tc.detail):
			t.Errorf("%s %s: %s, %s; want %s, %s", tc.spec, tc.op, got.Scheme, got.Detail, tc.scheme, tc.detail)
		}
	}
}
