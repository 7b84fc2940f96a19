package generator_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/internal/gobuild"
)

// corpusDir is the shared corpus of real specs; CONNECTORGEN_CORPUS
// overrides the default ../shared/corpus beside the checkout.
func corpusDir() string {
	if d := os.Getenv("CONNECTORGEN_CORPUS"); d != "" {
		return d
	}
	return filepath.Join(gobuild.RepoRoot(), "..", "shared", "corpus")
}

type corpusSpec struct {
	path, format string
	operations   int
	pkg          string

	genErr, buildErr string
	methods          int
	lines            int
	elapsed          time.Duration
}

func (s *corpusSpec) ok() bool {
	return s.genErr == "" && s.buildErr == "" && s.methods == s.operations
}

// readManifest lists the OpenAPI and Swagger files of MANIFEST.tsv.
func readManifest(t *testing.T, dir string) []*corpusSpec {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not found at %s (set CONNECTORGEN_CORPUS): %v", dir, err)
	}
	defer f.Close()
	var out []*corpusSpec
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[0] == "path" || cols[2] == "graphql" {
			continue
		}
		ops, _ := strconv.Atoi(cols[4])
		out = append(out, &corpusSpec{path: cols[0], format: cols[2], operations: ops, pkg: fmt.Sprintf("c%02d", len(out))})
	}
	return out
}

// sendRE finds the operation descriptor each generated method sends; the
// methods of an operation's alternative request media types
// (<Op>With<Media>) send their operation's, so distinct descriptors count
// the operations that have a method.
var sendRE = regexp.MustCompile(`(?m)^\s*r := runtime\.NewRequest\((op\w+),`)

// TestCorpus generates every OpenAPI/Swagger spec of the corpus, builds and
// vets the connectors in one module, prints a table, and fails when fewer
// specs pass than testdata/corpus-ratchet.txt demands, or when Stripe or
// GitHub fail. A spec passes when it generates, builds and vets, and every
// operation of the spec has a method.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds the whole corpus; skipped with -short")
	}
	dir := corpusDir()
	specs := readManifest(t, dir)
	mod := t.TempDir()
	ctx := context.Background()
	for _, s := range specs {
		generateOne(t, ctx, dir, mod, s)
	}
	buildAll(t, ctx, mod, specs)
	report(t, specs)
	checkRatchet(t, specs)
}

func generateOne(t *testing.T, ctx context.Context, dir, mod string, s *corpusSpec) {
	data, err := os.ReadFile(filepath.Join(dir, s.path))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := generator.Generate(ctx, generator.Config{SpecFile: s.path, Spec: data, Package: s.pkg, Version: gobuild.CorpusVersion})
	s.elapsed = time.Since(start)
	if err != nil {
		s.genErr = firstLine(err.Error())
		return
	}
	out := filepath.Join(mod, s.pkg)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(out, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		s.lines += strings.Count(string(f.Content), "\n")
		if operationsFile(f.Name) {
			for _, m := range sendRE.FindAllSubmatch(f.Content, -1) {
				ops[string(m[1])] = true
			}
		}
	}
	s.methods = len(ops)
}

// operationsFile reports whether the generated file name (slash-separated)
// holds operations: operations.go, or one of the files a large one is
// split into (operations.<words>.go, as Kubernetes' are).
func operationsFile(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, "operations.") && strings.HasSuffix(base, ".go")
}

// buildAll builds and vets all generated packages at once (the go command
// runs them in parallel), then attributes failures to packages.
func buildAll(t *testing.T, ctx context.Context, mod string, specs []*corpusSpec) {
	if err := gobuild.WriteModule(mod, gobuild.CorpusModule); err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, s := range specs {
		if s.genErr == "" {
			pkgs = append(pkgs, "./"+s.pkg)
		}
	}
	for _, step := range []string{"build", "vet"} {
		var live []string
		for _, p := range pkgs {
			if spec := byPkg(specs, strings.TrimPrefix(p, "./")); spec.buildErr == "" {
				live = append(live, p)
			}
		}
		args := append([]string{step}, live...)
		if step == "build" {
			args = append([]string{"build", "-o", os.DevNull}, live...)
		}
		err := gobuild.Go(ctx, mod, args...)
		if err == nil {
			continue
		}
		for _, s := range specs {
			if msg := pkgError(err.Error(), s.pkg); msg != "" && s.buildErr == "" {
				s.buildErr = step + ": " + msg
			}
		}
	}
}

func byPkg(specs []*corpusSpec, pkg string) *corpusSpec {
	for _, s := range specs {
		if s.pkg == pkg {
			return s
		}
	}
	return nil
}

// pkgError finds the first compiler or vet message about pkg's files.
func pkgError(out, pkg string) string {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, pkg+"/") || strings.HasPrefix(line, "./"+pkg+"/") || strings.HasPrefix(line, "vet: "+pkg+"/") {
			return line
		}
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func report(t *testing.T, specs []*corpusSpec) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-70s %-10s %5s %5s %8s %8s  %s\n", "spec", "format", "ops", "meth", "lines", "gen", "result")
	for _, s := range specs {
		result := "ok"
		switch {
		case s.genErr != "":
			result = "GENERATE: " + s.genErr
		case s.buildErr != "":
			result = "BUILD: " + s.buildErr
		case s.methods != s.operations:
			result = fmt.Sprintf("OPERATIONS: %d of %d have a method", s.methods, s.operations)
		}
		fmt.Fprintf(&b, "%-70s %-10s %5d %5d %8d %8s  %s\n", s.path, s.format, s.operations, s.methods, s.lines,
			s.elapsed.Round(time.Millisecond), result)
	}
	for _, f := range formats(specs) {
		pass, total := counts(specs, f)
		fmt.Fprintf(&b, "%s: %d of %d pass (%.0f%%)\n", f, pass, total, 100*float64(pass)/float64(total))
	}
	t.Log(b.String())
}

func formats(specs []*corpusSpec) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range specs {
		if !seen[s.format] {
			seen[s.format] = true
			out = append(out, s.format)
		}
	}
	sort.Strings(out)
	return out
}

func counts(specs []*corpusSpec, format string) (pass, total int) {
	for _, s := range specs {
		if s.format == format {
			total++
			if s.ok() {
				pass++
			}
		}
	}
	return pass, total
}

func checkRatchet(t *testing.T, specs []*corpusSpec) {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus-ratchet.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 2 || strings.HasPrefix(line, "#") {
			continue
		}
		want, _ := strconv.Atoi(fields[1])
		if pass, _ := counts(specs, fields[0]); pass < want {
			t.Errorf("%s: %d specs pass, the ratchet demands %d", fields[0], pass, want)
		}
	}
	for _, must := range []string{"openapi/stripe/spec3.yaml", "openapi/github/api.github.com.json"} {
		for _, s := range specs {
			if s.path == must && !s.ok() {
				t.Errorf("%s must generate, build and vet", must)
			}
		}
	}
}
