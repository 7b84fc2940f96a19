package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/internal/gobuild"
	"github.com/connectorgen/connectorgen/internal/prismtest"
)

// swModes are the Prism modes the sweep runs: static examples, and
// dynamic (-d) data generated from the schemas with a fixed seed.
var swModes = map[string][]string{
	"static":  nil,
	"dynamic": {"-d", "--seed", "1"},
}

// swSubset are the specs `go test` sweeps (178 operations) (TestSweep without
// CONNECTORGEN_SWEEP=full): small, quick to build and to load in Prism,
// and together covering JSON, form and multipart bodies, path, query and
// header parameters, unions, Swagger 2.0 and OpenAPI 3.1, XML and binary
// bodies (Azure Blob Storage). Each spec costs about 25 s whatever its size
// (two Prism starts and a program build), so the subset is kept to five;
// `make sweep` runs the corpus.
var swSubset = []string{
	"openapi/oai-examples/v3.0/petstore-expanded.yaml",
	"openapi/oai-examples/v3.1/tictactoe.yaml",
	"openapi/1password.com/events.1.0.0.openapi.yaml",
	"openapi/asana.com/1.0.openapi.yaml",
	"openapi/azure.com/storage-blob.2019-04-01.swagger.yaml",
}

// swSpec is one corpus spec in the sweep.
type swSpec struct {
	path, format, pkg string
	size              int // bytes, from MANIFEST.tsv
	ops               []*ir.Operation
	err               string // not generated or not built
	local             string // the spec with unresolvable $refs renamed, when it has any
	mock              string // the flattened copy Prism serves, when it cannot load the spec
	note              string // which copy is served, and why
	// results per mode, one per operation in ops order
	results map[string][]swOutcome
	elapsed time.Duration
}

// TestSweep is the conformance sweep (issue 12): for every operation of
// every OpenAPI/Swagger spec of the corpus, the generated connector calls
// Prism 5.14.2 on loopback, in static-example and in dynamic mode. Per
// spec it generates the connector and a program (swProgram) into a scratch
// module, builds it once, and for each mode starts Prism on the spec and
// runs the program against it. An operation's request is built from the
// spec's examples and defaults, else from the schema (swValues); it is
// accepted when Prism's validator does not refuse it (no sl-violations
// header, no Prism 401/404/405/406/415) and decoded when the answer
// decodes into the generated types (a 2xx into the result type, an error
// status the spec declares into its typed error body).
//
// Prism resolves every "$ref" member, even inside example values, and
// downloads remote ones: a spec with such members is served as a copy with
// them renamed (prismtest.Localize), so nothing leaves the machine. Where
// Prism cannot load a spec within the time-box it serves a flattened copy
// (prismtest.Mockable). The report says which.
//
// Without CONNECTORGEN_SWEEP=full it sweeps the seven specs of swSubset
// (about 35 s); with it, the whole corpus
// (`make sweep`). It fails when fewer operations are accepted or decoded
// than testdata/sweep-ratchet.txt demands, per spec and mode, and in
// total on a full run. CONNECTORGEN_SWEEP_ONLY=TEXT[,TEXT...] keeps the specs
// whose path contains one of the TEXTs; CONNECTORGEN_SWEEP_MODES=static (or dynamic) runs
// one mode; CONNECTORGEN_SWEEP_REPORT=FILE writes every operation's
// outcome (tab-separated: mode, spec, operation, class, status, Prism
// problem, detail); CONNECTORGEN_SWEEP_UPDATE=1 raises the ratchet to this
// run's numbers (never lowers it).
func TestSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds connectors and runs Prism; skipped with -short")
	}
	if err := prismtest.Available(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("sweep: %v (run `make prism`)", err)
		}
		t.Skipf("sweep: %v; install it with `make prism` (skipping)", err)
	}
	dir := os.Getenv("CONNECTORGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join(gobuild.RepoRoot(), "..", "shared", "corpus")
	}
	full := os.Getenv("CONNECTORGEN_SWEEP") == "full"
	specs := swManifest(t, dir, full)
	modes := []string{"static", "dynamic"}
	if m := os.Getenv("CONNECTORGEN_SWEEP_MODES"); m != "" {
		modes = strings.Split(m, ",")
		for _, m := range modes {
			if _, ok := swModes[m]; !ok {
				t.Fatalf("CONNECTORGEN_SWEEP_MODES: unknown mode %q (static, dynamic)", m)
			}
		}
	}
	start := time.Now()
	mod := t.TempDir()
	if err := gobuild.WriteModule(mod, gobuild.CorpusModule); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The next spec is generated and built while Prism serves the current
	// one: one build and one Prism at a time, on a shared machine.
	built := make(chan *swSpec, 1)
	go func() {
		defer close(built)
		for _, s := range specs {
			t0 := time.Now()
			swPrepare(ctx, dir, mod, s)
			s.elapsed = time.Since(t0)
			built <- s
		}
	}()
	for s := range built {
		t0 := time.Now()
		if s.err == "" {
			for _, m := range modes {
				swServe(ctx, dir, mod, s, m)
			}
		}
		s.elapsed += time.Since(t0)
		swAppendReport(t, s, modes)
		t.Logf("%-60s %s", s.path, swSummary(s, modes))
		for _, m := range modes {
			if f := s.firstFailure(m); f != "" && s.err == "" {
				t.Logf("    %s first failure: %s", m, f)
			}
		}
	}
	swReport(t, specs, modes, time.Since(start))
	swCheckRatchet(t, specs, modes, full)
}

// swManifest lists the OpenAPI and Swagger specs to sweep.
func swManifest(t *testing.T, dir string, full bool) []*swSpec {
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not found at %s (set CONNECTORGEN_CORPUS): %v", dir, err)
	}
	only := os.Getenv("CONNECTORGEN_SWEEP_ONLY")
	var out []*swSpec
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 3 || cols[0] == "path" || cols[2] == "graphql" {
			continue
		}
		pkg := fmt.Sprintf("c%02d", n) // as TestCorpus names it
		n++
		if !full && !swContains(swSubset, cols[0]) || only != "" && !swAnyIn(cols[0], strings.Split(only, ",")) {
			continue
		}
		size := 0
		if len(cols) > 3 {
			size, _ = strconv.Atoi(cols[3])
		}
		out = append(out, &swSpec{path: cols[0], format: cols[2], size: size, pkg: pkg,
			results: map[string][]swOutcome{}})
	}
	// Smallest first: a time-boxed run covers the most specs.
	sort.SliceStable(out, func(i, j int) bool { return out[i].size < out[j].size })
	return out
}

// swAnyIn reports whether s contains one of the non-empty subs.
func swAnyIn(s string, subs []string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// swPrepare generates the connector and its program and builds it.
func swPrepare(ctx context.Context, dir, mod string, s *swSpec) {
	data, err := os.ReadFile(filepath.Join(dir, s.path))
	if err != nil {
		s.err = "read: " + err.Error()
		return
	}
	doc, err := rtDocument(data, s.format == "swagger2")
	if err != nil {
		s.err = "read: " + firstLineRT(err.Error())
		return
	}
	api, files, err := rtGenerate(ctx, &rtSpec{path: s.path, pkg: s.pkg}, data)
	if err != nil {
		s.err = "generate: " + firstLineRT(err.Error())
		return
	}
	s.ops = api.Operations
	out := filepath.Join(mod, s.pkg)
	for name, content := range files {
		if strings.HasSuffix(name, ".go") {
			p := filepath.Join(out, name)
			err := os.MkdirAll(filepath.Dir(p), 0o755)
			if err == nil {
				err = os.WriteFile(p, content, 0o644)
			}
			if err != nil {
				s.err = err.Error()
				return
			}
		}
	}
	prog := swProgram(s.pkg, api, &swValues{doc: doc})
	if err := os.MkdirAll(filepath.Join(out, "sweep"), 0o755); err != nil {
		s.err = err.Error()
		return
	}
	if err := os.WriteFile(filepath.Join(out, "sweep", "main.go"), prog, 0o644); err != nil {
		s.err = err.Error()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	if err := gobuild.Go(ctx, mod, "build", "-o", filepath.Join(mod, s.pkg, "sweep.bin"), "./"+s.pkg+"/sweep"); err != nil {
		s.err = "build: " + rtFirstError(err.Error(), s.pkg)
	}
}

// swReady is how long Prism may take to load a spec before the sweep
// serves a flattened copy instead; swRun bounds one program run.
const (
	swReady = 150 * time.Second
	swRun   = 20 * time.Minute
)

// swServe starts Prism in mode on the spec (or its flattened copy) and runs
// the program against it.
func swServe(ctx context.Context, dir, mod string, s *swSpec, mode string) {
	fail := func(class, detail string) {
		s.results[mode] = nil
		for _, o := range s.ops {
			s.results[mode] = append(s.results[mode], swOutcome{Op: o.ID, Class: class, Detail: detail})
		}
	}
	args := append([]string{"-v", "warn"}, swModes[mode]...)
	spec := filepath.Join(dir, s.path)
	raw, err := os.ReadFile(spec)
	if err != nil {
		fail(swNoPrism, err.Error())
		return
	}
	data := openapi.Repaired(raw)
	if s.local == "" && s.mock == "" {
		// Prism must not fetch anything: $refs it would download (or
		// choke on) are renamed in a copy; "*/*" responses, which it
		// cannot serialize, are declared application/json there; and its
		// dynamic-mode generator is bounded (x-json-schema-faker).
		if local, refs, media, err := prismtest.Localize(spec, data, filepath.Join(mod, s.pkg)); err == nil && local != "" {
			s.local = local
			s.note = "served a copy (prismtest.Localize) with json-schema-faker bounded (x-json-schema-faker " + swFakerOptions() + ")"
			if refs+media > 0 {
				s.note += fmt.Sprintf(", %d $ref members inside examples or not local renamed, %d media types made servable (\"*/*\" responses declared application/json, form consumes for formData, XML request bodies declared strings)", refs, media)
			}
		}
	}
	switch {
	case s.mock != "":
		spec = s.mock
	case s.local != "":
		spec = s.local
	}
	srv, err := prismtest.LaunchWithin(swReady, spec, args...)
	if err != nil && s.mock == "" {
		// Prism could not load the spec: serve the flattened copy.
		s.note = strings.TrimPrefix(s.note+"; ", "; ") + "served a flattened copy (prismtest.Mockable); Prism on the spec: " + swTail(err.Error())
		mock, merr := prismtest.MockableData(filepath.Join(dir, s.path), data, filepath.Join(mod, s.pkg))
		if merr != nil {
			fail(swNoPrism, s.note+"; no flattened copy: "+merr.Error())
			return
		}
		s.mock = mock
		srv, err = prismtest.LaunchWithin(swReady, mock, args...)
	}
	if err != nil {
		fail(swNoPrism, swTail(err.Error()))
		return
	}
	got := swRun1(ctx, mod, s, srv, nil)
	srv.Stop()
	// Prism sometimes stops answering part-way (Bitbucket, dynamic mode:
	// json-schema-faker overflows Node's stack, "RangeError: Maximum call
	// stack size exceeded", after a few hundred requests, depending on
	// their order): the operations left without an answer are called again
	// on a fresh Prism, at most swRestarts times.
	for restart := 1; restart <= swRestarts; restart++ {
		var again []string
		for _, op := range s.ops {
			if o := got[op.ID]; o.Class == swTransport || o.Class == swNoResult {
				again = append(again, op.ID)
			}
		}
		if len(again) == 0 {
			break
		}
		srv, err = prismtest.LaunchWithin(swReady, spec, args...)
		if err != nil {
			break
		}
		for id, o := range swRun1(ctx, mod, s, srv, again) {
			got[id] = o
		}
		srv.Stop()
		s.note = strings.TrimPrefix(fmt.Sprintf("%s; %s: %d operations without an answer called again on a fresh Prism", s.note, mode, len(again)), "; ")
	}
	// json-schema-faker cannot follow the $ref Prism makes of a recursive
	// schema's second turn (dynamic mode, Xero accounting: 500 "Prop not
	// found: paths (#/paths/...)"): those operations are called again on
	// a copy whose schemas do not recur (prismtest.Acyclic).
	var unresolved []string
	for _, op := range s.ops {
		if o := got[op.ID]; o.Class == swPrism && strings.Contains(o.Detail, swFakerRefError) {
			unresolved = append(unresolved, op.ID)
		}
	}
	if len(unresolved) > 0 {
		if acyclic, n, err := prismtest.Acyclic(spec, filepath.Join(mod, s.pkg)); err == nil {
			if srv, err := prismtest.LaunchWithin(swReady, acyclic, args...); err == nil {
				for id, o := range swRun1(ctx, mod, s, srv, unresolved) {
					got[id] = o
				}
				srv.Stop()
				s.note = fmt.Sprintf("%s; %s: %d operations answered %q called again on a copy without recursive schemas (prismtest.Acyclic, %d $refs replaced)",
					s.note, mode, len(unresolved), swFakerRefError, n)
			}
		}
	}
	var res []swOutcome
	for _, op := range s.ops {
		o, ok := got[op.ID]
		if !ok {
			o = swOutcome{Op: op.ID, Class: swNoResult}
		}
		res = append(res, o)
	}
	s.results[mode] = res
}

// swFakerRefError is json-schema-faker's error for a $ref it cannot
// resolve, in the detail of Prism's 500.
const swFakerRefError = "Prop not found"

// swRestarts bounds how often swServe starts Prism again for operations
// that got no answer.
const swRestarts = 2

// swRun1 runs the spec's program against srv, on the operations named in
// only (all when nil), and returns the outcomes by operation ID; an
// operation the program gave no line for has class swNoResult, with the
// program's error.
func swRun1(ctx context.Context, mod string, s *swSpec, srv *prismtest.Server, only []string) map[string]swOutcome {
	ctx, cancel := context.WithTimeout(ctx, swRun)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(mod, s.pkg, "sweep.bin"), append([]string{srv.URL}, only...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	got := map[string]swOutcome{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var o swOutcome
		if err := json.Unmarshal(sc.Bytes(), &o); err == nil {
			got[o.Op] = o
		}
	}
	want := only
	if want == nil {
		for _, op := range s.ops {
			want = append(want, op.ID)
		}
	}
	for _, id := range want {
		if _, ok := got[id]; !ok {
			o := swOutcome{Op: id, Class: swNoResult}
			if runErr != nil {
				o.Detail = fmt.Sprintf("program: %v: %s", runErr, firstLineRT(stderr.String()))
			}
			got[id] = o
		}
	}
	return got
}

// swFakerOptions lists prismtest.FakerOptions as "name value, ...".
func swFakerOptions() string {
	var parts []string
	for _, o := range prismtest.FakerOptions {
		parts = append(parts, fmt.Sprintf("%s %d", o.Name, o.Value))
	}
	return strings.Join(parts, ", ")
}

// swTail keeps the first line and the last lines of Prism's output.
func swTail(s string) string {
	first, rest, _ := strings.Cut(s, "\n")
	rest = strings.TrimSpace(rest)
	if len(rest) > 400 {
		rest = "..." + rest[len(rest)-400:]
	}
	if rest == "" {
		return first
	}
	return first + " [" + rtOneLine(rest) + "]"
}

// swRequestSide are Prism's problems that mean the request was refused.
var swRequestSide = map[string]bool{
	"UNAUTHORIZED": true, "NO_PATH_MATCHED_ERROR": true, "NO_METHOD_MATCHED_ERROR": true,
	"NOT_ACCEPTABLE": true, "UNSUPPORTED_MEDIA_TYPE": true, "UNPROCESSABLE_ENTITY": true,
	"NO_SERVER_MATCHED_ERROR": true, "INVALID_CONTENT_TYPE": true,
}

// swAccepted reports whether Prism's validator let the request through.
func swAccepted(o swOutcome) bool {
	switch o.Class {
	case swOK, swDrift, swErrStatus, swDecode:
		return true
	case swPrism:
		return !swRequestSide[o.Problem]
	}
	return false
}

// swDecoded reports whether the answer decoded into the generated types:
// a 2xx into the result (values that do not match their types left unset
// and reported as drift, the runtime's default), an error status into its
// declared typed body (or one with no typed body declared).
func swDecoded(op *ir.Operation, o swOutcome) bool {
	switch o.Class {
	case swOK, swDrift:
		return true
	case swErrStatus:
		return o.Typed || !swTypedError(op, o.Status)
	}
	return false
}

// swTypedError reports whether op declares a JSON body for status that is
// not a success (the response a generated method decodes into
// APIError.Detail).
func swTypedError(op *ir.Operation, status int) bool {
	code := strconv.Itoa(status)
	var match *ir.Response
	for _, r := range op.Responses {
		if r.Status == code {
			match = r
		}
	}
	if match == nil {
		for _, r := range op.Responses {
			if len(r.Status) == 3 && r.Status[0] == code[0] && strings.EqualFold(r.Status[1:], "XX") {
				match = r
			}
		}
	}
	if match == nil {
		for _, r := range op.Responses {
			if r.Status == "default" {
				match = r
			}
		}
	}
	return match != nil && match.Kind == ir.BodyJSON && match.Type != nil
}

// swCounts are one spec's numbers in one mode; drifted counts the decoded
// answers with drift.
type swCounts struct{ tried, accepted, decoded, drifted int }

func (s *swSpec) counts(mode string) swCounts {
	var c swCounts
	for i, o := range s.results[mode] {
		c.tried++
		if swAccepted(o) {
			c.accepted++
		}
		if swDecoded(s.ops[i], o) {
			c.decoded++
		}
		if o.Class == swDrift {
			c.drifted++
		}
	}
	if s.err != "" {
		c.tried = 0
	}
	return c
}

// firstFailure is the first operation that was not accepted or not
// decoded, described in one line.
func (s *swSpec) firstFailure(mode string) string {
	if s.err != "" {
		return s.err
	}
	for i, o := range s.results[mode] {
		if !swAccepted(o) || !swDecoded(s.ops[i], o) {
			return swDescribe(s.ops[i], o)
		}
	}
	return ""
}

// swDescribe is one failed operation in one line.
func swDescribe(op *ir.Operation, o swOutcome) string {
	msg := fmt.Sprintf("%s (%s %s): %s", op.ID, op.Method, op.Path, o.Class)
	if o.Status != 0 {
		msg += " " + strconv.Itoa(o.Status)
	}
	if o.Problem != "" {
		msg += " " + o.Problem
	}
	if o.Class == swErrStatus {
		msg += ": error body did not decode into its declared type"
	}
	if o.Detail != "" {
		msg += ": " + o.Detail
	}
	return swOneLine(msg, 400)
}

func swSummary(s *swSpec, modes []string) string {
	if s.err != "" {
		return s.err
	}
	var parts []string
	for _, m := range modes {
		c := s.counts(m)
		parts = append(parts, fmt.Sprintf("%s %d/%d/%d (%d drift)", m, c.tried, c.accepted, c.decoded, c.drifted))
	}
	if s.mock != "" {
		parts = append(parts, "(flattened copy)")
	}
	return fmt.Sprintf("%s (%s)", strings.Join(parts, ", "), s.elapsed.Round(time.Second))
}

// swReport logs the table: per spec and mode, operations tried, accepted
// and decoded, and the first failure; then the totals and the failures
// by class.
func swReport(t *testing.T, specs []*swSpec, modes []string, elapsed time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nconformance sweep: %d specs in %s (tried / request accepted / response decoded (of which with drift))\n\n", len(specs), elapsed.Round(time.Second))
	fmt.Fprintf(&b, "| spec |")
	for _, m := range modes {
		fmt.Fprintf(&b, " %s |", m)
	}
	b.WriteString(" first failure |\n|---|")
	for range modes {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	totals := map[string]*swCounts{}
	for _, m := range modes {
		totals[m] = &swCounts{}
	}
	for _, s := range specs {
		name := s.path
		if s.mock != "" {
			name += " (flattened)"
		}
		fmt.Fprintf(&b, "| %s |", name)
		first := ""
		for _, m := range modes {
			c := s.counts(m)
			totals[m].tried += c.tried
			totals[m].accepted += c.accepted
			totals[m].decoded += c.decoded
			totals[m].drifted += c.drifted
			fmt.Fprintf(&b, " %d / %d / %d (%d) |", c.tried, c.accepted, c.decoded, c.drifted)
			if f := s.firstFailure(m); f != "" && first == "" {
				first = m + ": " + f
			}
		}
		fmt.Fprintf(&b, " %s |\n", strings.ReplaceAll(first, "|", `\|`))
	}
	b.WriteString("| **total** |")
	for _, m := range modes {
		c := totals[m]
		fmt.Fprintf(&b, " %d / %d / %d (%d) |", c.tried, c.accepted, c.decoded, c.drifted)
	}
	b.WriteString(" |\n\nfailures by class:\n")
	for _, m := range modes {
		classes := map[string]int{}
		for _, s := range specs {
			for i, o := range s.results[m] {
				if !swAccepted(o) || !swDecoded(s.ops[i], o) {
					k := o.Class
					if o.Problem != "" {
						k += " " + o.Problem
					}
					classes[k]++
				}
			}
		}
		var keys []string
		for k := range classes {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return classes[keys[i]] > classes[keys[j]] })
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-8s %6d  %s\n", m, classes[k], k)
		}
	}
	for _, s := range specs {
		if s.note != "" {
			fmt.Fprintf(&b, "\n%s: %s", s.path, s.note)
		}
	}
	t.Log(b.String())
}

// swAppendReport appends a spec's outcomes to $CONNECTORGEN_SWEEP_REPORT
// (truncated when the test starts), as soon as the spec is done.
func swAppendReport(t *testing.T, s *swSpec, modes []string) {
	file := os.Getenv("CONNECTORGEN_SWEEP_REPORT")
	if file == "" {
		return
	}
	swReportOnce.Do(func() { os.Remove(file) })
	var b strings.Builder
	for _, m := range modes {
		if s.err != "" {
			fmt.Fprintf(&b, "%s\t%s\t\t%s\t\t\t%s\n", m, s.path, swNoConnect, rtOneLine(s.err))
			continue
		}
		for i, o := range s.results[m] {
			class := o.Class
			if swAccepted(o) && !swDecoded(s.ops[i], o) && o.Class == swErrStatus {
				class = "status-undecoded"
			}
			fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", m, s.path, s.ops[i].ID, class, o.Status, o.Problem, swOneLine(o.Detail, 1000))
		}
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = f.WriteString(b.String())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Error(err)
	}
}

var swReportOnce sync.Once

// swRatchetFile holds the minimum numbers: lines "mode spec accepted
// decoded", and "mode total accepted decoded".
const swRatchetFile = "testdata/sweep-ratchet.txt"

// swCheckRatchet fails when a spec (or, on a full run, the total) has
// fewer operations accepted or decoded than the ratchet says, and with
// CONNECTORGEN_SWEEP_UPDATE=1 raises the ratchet to this run's numbers.
func swCheckRatchet(t *testing.T, specs []*swSpec, modes []string, full bool) {
	type pair struct{ accepted, decoded int }
	data, err := os.ReadFile(swRatchetFile)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	want := map[string]pair{}
	var header []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			if strings.HasPrefix(line, "#") {
				header = append(header, line)
			}
			continue
		}
		if len(f) != 4 {
			t.Fatalf("%s: bad line %q", swRatchetFile, line)
		}
		a, err1 := strconv.Atoi(f[2])
		d, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad line %q", swRatchetFile, line)
		}
		want[f[0]+" "+f[1]] = pair{a, d}
	}
	got := map[string]pair{}
	for _, m := range modes {
		var total pair
		for _, s := range specs {
			c := s.counts(m)
			got[m+" "+s.path] = pair{c.accepted, c.decoded}
			total.accepted += c.accepted
			total.decoded += c.decoded
		}
		if full && os.Getenv("CONNECTORGEN_SWEEP_ONLY") == "" {
			got[m+" total"] = total
		}
	}
	for k, g := range got {
		if w, ok := want[k]; ok && (g.accepted < w.accepted || g.decoded < w.decoded) {
			t.Errorf("sweep ratchet: %s: %d accepted, %d decoded; %s wants at least %d and %d",
				k, g.accepted, g.decoded, swRatchetFile, w.accepted, w.decoded)
		}
	}
	if os.Getenv("CONNECTORGEN_SWEEP_UPDATE") != "1" {
		return
	}
	for k, g := range got {
		w := want[k]
		want[k] = pair{max(w.accepted, g.accepted), max(w.decoded, g.decoded)}
	}
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	if len(header) == 0 {
		header = []string{
			"# Operations of the corpus that the conformance sweep (generator/sweep_test.go, TestSweep) gets",
			"# accepted by Prism's validator and decoded, per Prism mode (static, dynamic) and spec, and in",
			"# total on a full run (`make sweep`): mode spec accepted decoded. The test fails when fewer pass.",
			"# Raise with CONNECTORGEN_SWEEP_UPDATE=1 when a fix makes more pass; never lower to make a change pass.",
		}
	}
	b.WriteString(strings.Join(header, "\n") + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %d %d\n", k, want[k].accepted, want[k].decoded)
	}
	if err := os.WriteFile(swRatchetFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// swOneLine puts s on one line, cut after n bytes.
func swOneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}
