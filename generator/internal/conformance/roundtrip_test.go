package conformance

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/emit"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/connectorgen/connectorgen/generator/naming"
	"github.com/connectorgen/connectorgen/internal/gobuild"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/oasdiff/yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// rtSpec is one corpus spec and what happened to its examples.
type rtSpec struct {
	path, format, pkg string

	err      string // the spec could not be read, generated or built
	examples []*rtExample
	elapsed  time.Duration
}

// Example outcomes.
const (
	rtInvalid       = "invalid"        // not valid against its schema: not counted
	rtNotCompilable = "not-compilable" // skipped: the schema does not compile
	rtNoType        = "no-type"        // skipped: no Go type found for the schema
	rtPass          = "pass"
	rtFail          = "fail"
)

// rtExample is one example value and its schema.
type rtExample struct {
	loc    string // JSON pointer of the example value
	schema string // JSON pointer of the schema it exemplifies
	// target is the schema whose Go type holds the example: schema, or
	// for an example of an allOf member, the schema holding the allOf
	// (the generator merges allOf). The example must be valid against both.
	target string
	value  any // numbers as json.Number

	typeExpr string   // Go type decoded into, e.g. "c.Pet" or "[]c.Pet"
	steps    []rtStep // from the decoded type down to the example
	irType   *ir.Type // the example's own type, at the end of steps

	status string
	class  string // failure or skip class
	detail string
}

// rtStep is one level of wrapping: a member of an object or the one item
// of an array.
type rtStep struct {
	member string
	item   bool
}

func (s *rtSpec) count(status string) int {
	n := 0
	for _, e := range s.examples {
		if e.status == status {
			n++
		}
	}
	return n
}

// failAll fails the examples not judged yet.
func (s *rtSpec) failAll(class, detail string) {
	for _, e := range s.examples {
		if e.status == "" {
			e.status, e.class, e.detail = rtFail, class, detail
		}
	}
}

// valid counts the examples valid against their schema that have a Go type.
func (s *rtSpec) valid() int { return s.count(rtPass) + s.count(rtFail) }

// TestRoundTrip checks, for every OpenAPI/Swagger spec of the corpus, that
// each example valid against its schema decodes into the generated Go type
// and encodes back to a semantically equal JSON document (issue #4, item 5).
//
// Per spec it
//
//  1. reads the document as the loader does (openapi.Repaired, Swagger 2.0
//     converted to OpenAPI 3.0 by openapi2conv) into a generic JSON tree;
//  2. collects the examples: `example` and (3.1) `examples` of every schema
//     under components/schemas and under JSON request and response bodies,
//     in paths and in components (properties, items, additionalProperties
//     and allOf/oneOf/anyOf members included), and the media types' own
//     `example` and `examples` (local $refs followed, externalValue
//     skipped);
//  3. validates each against its schema with santhosh-tekuri/jsonschema/v6,
//     the whole document being the resource so that $refs resolve (see
//     rtValidate for the dialects and formats); invalid examples are
//     counted apart and not checked;
//  4. finds the Go type: an example of a property, item or additional
//     property is wrapped in the nearest enclosing declared struct, array
//     or map type ({"name": example} decoded into the parent struct), so
//     the field's own Go type — Opt, Nullable, pointer, omitzero — decodes
//     it; any other example decodes into the type of its schema (or of the
//     schema its $ref names, or the type an operation's body or response
//     uses for it);
//  5. generates the connector (openapi.Load, naming.Assign, emit.Emit, as
//     Generate does) into a scratch module beside a small main program,
//     builds it and runs it once: each example is decoded into a new value
//     of its type and the value is encoded again (a wrapped example alone,
//     as encoding/json would encode it in its field: absent when omitzero
//     omits it), and the output is compared with the example.
//
// Equality is JSON equality with these normalisations and no others:
// numbers compare by exact value (1.0 equals 1, 1e2 equals 100); two
// strings that both parse as RFC 3339 date-times of the same instant are
// equal (time.Time writes "2020-01-01T00:00:00.000+00:00" as
// "2020-01-01T00:00:00Z"). Anything else is a failure, classified: members
// dropped (declared or not), explicit nulls dropped, members added,
// float32 rounding of format: float, decode and encode errors, and a union
// that keeps a valid value as Raw (the bytes come back, the typed value is
// lost).
//
// Specs without a valid example are not built. The test fails when fewer
// examples pass than testdata/roundtrip-ratchet.txt demands, in total or
// per spec; it does not fail on the failures themselves, which it lists
// by cause: they are generator bugs, and the ratchet goes up as they are
// fixed. Skipped with -short (it generates and builds 40 connectors, a few
// minutes on two cores).
//
// CONNECTORGEN_ROUNDTRIP_REPORT=FILE writes every failure, skip and invalid
// example to FILE, one per line, tab-separated: status, class, spec,
// schema pointer, example pointer, Go type, detail, example.
// CONNECTORGEN_ROUNDTRIP_ONLY=TEXT keeps only the specs whose path contains
// TEXT (the ratchet then fails).
func TestRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds the connectors of 40 corpus specs; skipped with -short")
	}
	dir := os.Getenv("CONNECTORGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join(gobuild.RepoRoot(), "..", "shared", "corpus")
	}
	specs := rtManifest(t, dir)
	start := time.Now()
	mod := t.TempDir()
	if err := gobuild.WriteModule(mod, gobuild.CorpusModule); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Specs are prepared one after the other while up to two earlier ones
	// build and run: the machine's cores are shared with the go command's
	// own parallelism.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, s := range specs {
		t0 := time.Now()
		ok := rtPrepare(t, ctx, dir, mod, s)
		s.elapsed = time.Since(t0)
		if !ok {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			rtRun(ctx, mod, s)
			s.elapsed += time.Since(t0)
		}()
	}
	wg.Wait()
	rtReport(t, specs, time.Since(start))
	rtCheckRatchet(t, specs)
}

// rtManifest lists the OpenAPI and Swagger specs of MANIFEST.tsv.
func rtManifest(t *testing.T, dir string) []*rtSpec {
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not found at %s (set CONNECTORGEN_CORPUS): %v", dir, err)
	}
	var out []*rtSpec
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 3 || cols[0] == "path" || cols[2] == "graphql" {
			continue
		}
		pkg := fmt.Sprintf("c%02d", n) // as TestCorpus names it
		n++
		if only := os.Getenv("CONNECTORGEN_ROUNDTRIP_ONLY"); only != "" && !strings.Contains(cols[0], only) {
			continue
		}
		out = append(out, &rtSpec{path: cols[0], format: cols[2], pkg: pkg})
	}
	return out
}

// rtPrepare collects and validates the spec's examples, and when any is
// valid, generates the connector and the round-trip program into mod. It
// reports whether there is something to build.
func rtPrepare(t *testing.T, ctx context.Context, dir, mod string, s *rtSpec) bool {
	data, err := os.ReadFile(filepath.Join(dir, s.path))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := rtDocument(data, s.format == "swagger2")
	if err != nil {
		s.err = "read: " + firstLineRT(err.Error())
		return false
	}
	var referrers map[string]string
	s.examples, referrers = rtCollect(doc)
	if len(s.examples) == 0 {
		return false
	}
	rtValidate(doc, s.format == "openapi3.1", s.examples)
	if s.count("") == 0 {
		return false
	}
	api, files, err := rtGenerate(ctx, s, data)
	if err != nil {
		s.err = "generate: " + firstLineRT(err.Error())
		s.failAll("connector not generated", s.err)
		return false
	}
	rtAssignTypes(api, doc, referrers, s.examples)
	if s.count("") == 0 {
		return false
	}
	out := filepath.Join(mod, s.pkg)
	if err := os.MkdirAll(filepath.Join(out, "roundtrip"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if strings.HasSuffix(name, ".go") {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(out, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, name), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	prog, input := rtProgram(s)
	if err := os.WriteFile(filepath.Join(out, "roundtrip", "main.go"), prog, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "roundtrip", "input.jsonl"), input, 0o644); err != nil {
		t.Fatal(err)
	}
	return true
}

// rtGenerate loads, names and emits as Generate does, keeping the named IR
// to find the Go type of each schema.
func rtGenerate(ctx context.Context, s *rtSpec, data []byte) (api *ir.API, files map[string][]byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	api, diags := openapi.Load(ctx, s.path, data)
	if diags.HasErrors() {
		return nil, nil, diags
	}
	naming.Assign(api)
	// The options generator.Generate passes for TestCorpus's connectors:
	// the same sources under the same import path (module corpus.test,
	// package s.pkg) are compiled once per build cache (gobuild.Go).
	sum := sha256.Sum256(data)
	files, err = emit.Emit(api, emit.Options{Package: s.pkg, SpecFile: filepath.Base(s.path),
		SpecSHA256: hex.EncodeToString(sum[:]), Version: gobuild.CorpusVersion})
	return api, files, err
}

// rtDocument reads the spec into a generic JSON tree (numbers as
// json.Number), repaired and Swagger 2.0 converted to OpenAPI 3.0 as the
// loader does.
func rtDocument(data []byte, swagger2 bool) (any, error) {
	data = openapi.Repaired(data)
	var js []byte
	switch {
	case swagger2:
		var doc2 openapi2.T
		if _, err := yaml.Unmarshal(data, &doc2, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
			return nil, err
		}
		doc3, _, err := openapi.ConvertSwagger2(&doc2, nil, nil)
		if err != nil {
			return nil, err
		}
		if js, err = json.Marshal(doc3); err != nil {
			return nil, err
		}
	case bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")):
		js = data
	default:
		var raw json.RawMessage
		if _, err := yaml.Unmarshal(data, &raw, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
			return nil, err
		}
		js = raw
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(js))
}

// --- collecting examples ---

var rtMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// rtCollect finds the examples of component schemas and of JSON request
// and response bodies, once per (example, schema) pair.
//
// It also returns, for each request body or response under components
// that an operation refers to, the first referrer's pointer: the loader
// lowers such a body where it is used, so its inline schema's type has
// the referrer's pointer as source.
func rtCollect(doc any) ([]*rtExample, map[string]string) {
	c := &rtCollector{doc: doc, seen: map[string]bool{}, referrers: map[string]string{}}
	root, _ := doc.(map[string]any)
	comps, _ := root["components"].(map[string]any)
	sortedEach(comps["schemas"], func(name string, v any) {
		c.schema(v, diag.Pointer("components", "schemas", name))
	})
	for _, section := range []string{"requestBodies", "responses"} {
		sortedEach(comps[section], func(name string, v any) {
			c.content(v, diag.Pointer("components", section, name))
		})
	}
	sortedEach(root["paths"], func(path string, item any) {
		im, _ := item.(map[string]any)
		for _, m := range rtMethods {
			op, ok := im[m].(map[string]any)
			if !ok {
				continue
			}
			ptr := diag.Pointer("paths", path, m)
			if rb, ok := op["requestBody"].(map[string]any); ok {
				c.content(rb, ptr+"/requestBody")
			}
			sortedEach(op["responses"], func(code string, r any) {
				c.content(r, ptr+"/responses/"+diag.EscapeToken(code))
			})
		}
	})
	return c.out, c.referrers
}

type rtCollector struct {
	doc       any
	out       []*rtExample
	seen      map[string]bool
	referrers map[string]string
}

var rtAllOfSuffix = regexp.MustCompile(`(/allOf/\d+)+$`)

func (c *rtCollector) add(loc, schema string, v any) {
	if key := loc + " " + schema; !c.seen[key] {
		c.seen[key] = true
		c.out = append(c.out, &rtExample{loc: loc, schema: schema, target: rtAllOfSuffix.ReplaceAllString(schema, ""), value: v})
	}
}

// content walks the JSON media types of a request body or response; a
// $ref to one under components is recorded, not walked (it is walked
// where it lives).
func (c *rtCollector) content(v any, ptr string) {
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		if _, seen := c.referrers[ref]; !seen {
			c.referrers[ref] = ptr
		}
		return
	}
	sortedEach(m["content"], func(mt string, media any) {
		if !rtJSONMedia(mt) {
			return
		}
		mm, _ := media.(map[string]any)
		mptr := ptr + "/content/" + diag.EscapeToken(mt)
		if _, ok := mm["schema"].(map[string]any); !ok {
			return
		}
		sptr := mptr + "/schema"
		c.schema(mm["schema"], sptr)
		if ex, ok := mm["example"]; ok {
			c.add(mptr+"/example", sptr, ex)
		}
		sortedEach(mm["examples"], func(name string, e any) {
			loc := mptr + "/examples/" + diag.EscapeToken(name)
			for i := 0; i < 10; i++ { // follow local $refs to components/examples
				em, _ := e.(map[string]any)
				ref, ok := em["$ref"].(string)
				if !ok {
					break
				}
				loc, e = ref, rtLookup(c.doc, ref)
			}
			if em, ok := e.(map[string]any); ok {
				if val, ok := em["value"]; ok {
					c.add(loc+"/value", sptr, val)
				}
			}
		})
	})
}

// schema walks a schema and its subschemas for example and examples; it
// does not follow $refs (the referenced schema is walked where it lives).
func (c *rtCollector) schema(v any, ptr string) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if ex, ok := m["example"]; ok {
		c.add(ptr+"/example", ptr, ex)
	}
	if exs, ok := m["examples"].([]any); ok { // JSON Schema's examples (OpenAPI 3.1)
		for i, ex := range exs {
			c.add(ptr+"/examples/"+strconv.Itoa(i), ptr, ex)
		}
	}
	sortedEach(m["properties"], func(name string, p any) {
		c.schema(p, ptr+"/properties/"+diag.EscapeToken(name))
	})
	for _, kw := range []string{"items", "additionalProperties"} {
		c.schema(m[kw], ptr+"/"+kw)
	}
	for _, kw := range []string{"allOf", "oneOf", "anyOf"} {
		if list, ok := m[kw].([]any); ok {
			for i, sub := range list {
				c.schema(sub, ptr+"/"+kw+"/"+strconv.Itoa(i))
			}
		}
	}
}

func rtJSONMedia(mt string) bool {
	mt = strings.ToLower(strings.TrimSpace(strings.SplitN(mt, ";", 2)[0]))
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "/json")
}

// sortedEach calls f for each member of v, when v is an object, in key order.
func sortedEach(v any, f func(string, any)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f(k, m[k])
	}
}

// rtLookup returns the value at a local JSON pointer ("#/a/b"), or nil.
func rtLookup(doc any, ptr string) any {
	if !strings.HasPrefix(ptr, "#") {
		return nil
	}
	v := doc
	for _, tok := range diag.Tokens(ptr) {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// --- validation ---

// rtValidate marks examples invalid against their schema, or whose schema
// does not compile. The dialect is JSON Schema 2020-12 for OpenAPI 3.1 and
// draft-04 for 3.0 (and converted Swagger 2.0), whose exclusiveMinimum and
// exclusiveMaximum are booleans as in 3.0; 3.0's `nullable: true` is
// rewritten as a "null" type (and a null enum value) first, on a copy.
// Formats the generated types depend on are asserted: date-time, date,
// byte (standard base64), and int32/int64 (range; on a string, an integer
// in it). Other formats are annotations, as in 2020-12, since the
// generated types hold them as plain strings. A pattern Go's RE2 cannot
// compile matches everything (the generated Validate skips it too).
func rtValidate(doc any, v31 bool, examples []*rtExample) {
	vdoc := rtCopy(doc)
	if !v31 {
		rtNullable(vdoc, "")
	}
	c := jsonschema.NewCompiler()
	if v31 {
		c.DefaultDraft(jsonschema.Draft2020)
	} else {
		c.DefaultDraft(jsonschema.Draft4)
	}
	c.AssertFormat()
	for _, f := range rtFormats() {
		c.RegisterFormat(f)
	}
	c.UseRegexpEngine(func(s string) (jsonschema.Regexp, error) {
		if re, err := regexp.Compile(s); err == nil {
			return re, nil
		}
		return rtMatchAll(s), nil
	})
	const base = "file:///spec.json"
	if err := c.AddResource(base, vdoc); err != nil {
		for _, e := range examples {
			e.status, e.class, e.detail = rtNotCompilable, "schema not compilable", err.Error()
		}
		return
	}
	compiled := map[string]*jsonschema.Schema{}
	failed := map[string]error{}
	compile := func(ptr string) (*jsonschema.Schema, error) {
		if sch, ok := compiled[ptr]; ok {
			return sch, nil
		}
		if err := failed[ptr]; err != nil {
			return nil, err
		}
		sch, err := rtCompile(c, base, ptr)
		if err != nil {
			failed[ptr] = err
			return nil, err
		}
		compiled[ptr] = sch
		return sch, nil
	}
	for _, e := range examples {
		for _, ptr := range []string{e.schema, e.target} {
			sch, err := compile(ptr)
			if err != nil {
				e.status, e.class, e.detail = rtNotCompilable, "schema not compilable", firstLineRT(err.Error())
				break
			}
			if err := sch.Validate(e.value); err != nil {
				e.status, e.class, e.detail = rtInvalid, "invalid against its schema", rtOneLine(err.Error())
				if ptr != e.schema {
					e.class = "invalid against the schema holding its allOf"
				}
				break
			}
			if e.target == e.schema {
				break
			}
		}
	}
}

func rtCompile(c *jsonschema.Compiler, base, ptr string) (sch *jsonschema.Schema, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic compiling: %v", p)
		}
	}()
	frag := ""
	for _, tok := range diag.Tokens(ptr) {
		frag += "/" + url.PathEscape(diag.EscapeToken(tok))
	}
	return c.Compile(base + "#" + frag)
}

type rtMatchAll string

func (r rtMatchAll) String() string          { return string(r) }
func (r rtMatchAll) MatchString(string) bool { return true }

// rtFormats overrides jsonschema's formats: the ones below are asserted,
// every other known one is an annotation.
func rtFormats() []*jsonschema.Format {
	none := func(any) error { return nil }
	var out []*jsonschema.Format
	for _, name := range []string{"json-pointer", "relative-json-pointer", "uuid", "duration", "period", "ipv4", "ipv6",
		"hostname", "email", "time", "uri", "iri", "uri-reference", "iri-reference", "uri-template", "semver"} {
		out = append(out, &jsonschema.Format{Name: name, Validate: none})
	}
	intFormat := func(bits int) func(any) error {
		return func(v any) error {
			switch x := v.(type) {
			case json.Number: // a whole number in range; 1.0 and 1e3 are integers in JSON Schema
				r, ok := new(big.Rat).SetString(string(x))
				if ok && r.IsInt() && r.Num().IsInt64() {
					if n := r.Num().Int64(); bits == 64 || n >= math.MinInt32 && n <= math.MaxInt32 {
						return nil
					}
				}
				return fmt.Errorf("not an int%d: %s", bits, x)
			case string: // an integer carried as a string
				if _, err := strconv.ParseInt(x, 10, bits); err != nil {
					return fmt.Errorf("not an int%d: %q", bits, x)
				}
			}
			return nil
		}
	}
	return append(out,
		&jsonschema.Format{Name: "int32", Validate: intFormat(32)},
		&jsonschema.Format{Name: "int64", Validate: intFormat(64)},
		&jsonschema.Format{Name: "byte", Validate: func(v any) error {
			s, ok := v.(string)
			if !ok {
				return nil
			}
			_, err := base64StdDecode(s)
			return err
		}},
	)
}

// rtCopy deep-copies a generic JSON tree.
func rtCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = rtCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = rtCopy(e)
		}
		return s
	}
	return v
}

// rtNullable rewrites OpenAPI 3.0's nullable: true as JSON Schema: "null"
// joins the type, and null the enum. It leaves example, default, enum and
// const values and extensions alone; keys of properties, responses and
// component maps are names, not keywords.
func rtNullable(v any, parentKey string) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			rtNullable(e, "")
		}
	case map[string]any:
		names := parentKey == "properties" || parentKey == "responses" || parentKey == "schemas" ||
			parentKey == "definitions" || parentKey == "patternProperties" || parentKey == "paths"
		if !names && x["nullable"] == true {
			if typ, ok := x["type"].(string); ok {
				x["type"] = []any{typ, "null"}
			}
			if enum, ok := x["enum"].([]any); ok {
				hasNull := false
				for _, e := range enum {
					hasNull = hasNull || e == nil
				}
				if !hasNull {
					x["enum"] = append(enum, nil)
				}
			}
		}
		for k, e := range x {
			if !names && (k == "example" || k == "examples" || k == "default" || k == "enum" || k == "const" || strings.HasPrefix(k, "x-")) {
				continue
			}
			rtNullable(e, k)
		}
	}
}

// --- Go types ---

// rtAssignTypes finds each valid example's Go type and wrapping; an
// example without one is skipped. A schema under a request body or
// response in components is looked up where an operation uses it.
func rtAssignTypes(api *ir.API, doc any, referrers map[string]string, examples []*rtExample) {
	bySource := rtTypesBySource(api)
	for _, e := range examples {
		if e.status != "" {
			continue
		}
		ptrs := []string{e.target}
		for ref, user := range referrers {
			if rest, ok := strings.CutPrefix(e.target, ref+"/"); ok {
				ptrs = append(ptrs, user+"/"+rest)
			}
		}
		for _, ptr := range ptrs {
			if expr, steps, t, ok := rtWrapped(bySource, ptr); ok {
				e.typeExpr, e.steps, e.irType = expr, steps, t
				break
			}
			t := rtTypeAt(bySource, doc, ptr)
			if t == nil {
				continue
			}
			expr, why := rtGoType(t)
			if why != "" {
				e.status, e.class, e.detail = rtNoType, "no Go type for the schema", why
				break
			}
			e.typeExpr, e.irType = expr, t
			break
		}
		if e.typeExpr == "" && e.status == "" {
			e.status, e.class = rtNoType, "no Go type for the schema"
		}
	}
}

// rtTypesBySource indexes every type reachable from the API by its source
// pointer, preferring components, then declared types. It walks the IR by
// reflection, so new IR fields holding types are followed too.
func rtTypesBySource(api *ir.API) map[string]*ir.Type {
	out := map[string]*ir.Type{}
	rank := func(t *ir.Type) int {
		switch {
		case t.Component:
			return 2
		case t.Named && t.Name != "":
			return 1
		}
		return 0
	}
	seen := map[uintptr]bool{}
	media := map[string]*ir.Type{}
	typeType := reflect.TypeFor[*ir.Type]()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			// A body's or response's schema may be a type lowered first
			// elsewhere (the loader shares one type per schema object), so
			// the media type's schema pointer names the type it uses.
			switch x := v.Interface().(type) {
			case *ir.Body:
				if _, ok := media[x.Source+"/schema"]; !ok && x.Type != nil {
					media[x.Source+"/schema"] = x.Type
				}
			case *ir.Response:
				if key := x.Source + "/content/" + diag.EscapeToken(x.MediaType) + "/schema"; x.Type != nil {
					if _, ok := media[key]; !ok {
						media[key] = x.Type
					}
				}
			}
			if v.Type() == typeType {
				t := v.Interface().(*ir.Type)
				if old, ok := out[t.Source]; t.Source != "" && (!ok || rank(t) > rank(old)) {
					out[t.Source] = t
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		}
	}
	walk(reflect.ValueOf(api))
	for k, t := range media {
		if _, ok := out[k]; !ok {
			out[k] = t
		}
	}
	return out
}

// rtWrapped finds the nearest declared object, array or map type enclosing
// the schema at ptr, and the members and items leading from it to ptr.
func rtWrapped(bySource map[string]*ir.Type, ptr string) (string, []rtStep, *ir.Type, bool) {
	toks := diag.Tokens(ptr)
	for k := len(toks) - 1; k >= 1; k-- {
		t := bySource[diag.Pointer(toks[:k]...)]
		if t == nil || !t.Named || t.Name == "" || t.GoType != nil {
			continue
		}
		switch t.Kind {
		case ir.Object, ir.Array, ir.Map:
		default:
			return "", nil, nil, false
		}
		steps, end, ok := rtNavigate(t, toks[k:])
		if !ok {
			return "", nil, nil, false
		}
		return "c." + t.Name, steps, end, true
	}
	return "", nil, nil, false
}

// rtExtraKey is the member an additionalProperties example is wrapped in.
const rtExtraKey = "roundtrip-extra-member"

// rtNavigate follows the schema pointer's tokens through the IR from t; it
// returns the steps and the type at the end.
func rtNavigate(t *ir.Type, toks []string) ([]rtStep, *ir.Type, bool) {
	var steps []rtStep
	cur := t
	for i := 0; i < len(toks); {
		r := cur.Resolve()
		if r.GoType != nil {
			return nil, nil, false
		}
		switch tok := toks[i]; {
		case tok == "properties" && i+1 < len(toks) && r.Kind == ir.Object:
			var f *ir.Field
			for _, fl := range r.Fields {
				if fl.JSONName == toks[i+1] {
					f = fl
				}
			}
			if f == nil {
				return nil, nil, false
			}
			steps = append(steps, rtStep{member: f.JSONName})
			cur, i = f.Type, i+2
		case tok == "allOf" && i+1 < len(toks):
			i += 2 // the generator merges allOf members into one type
		case tok == "items" && r.Kind == ir.Array:
			steps = append(steps, rtStep{item: true})
			cur, i = r.Elem, i+1
		case tok == "additionalProperties" && r.Kind == ir.Map:
			steps = append(steps, rtStep{member: rtExtraKey})
			cur, i = r.Elem, i+1
		case tok == "additionalProperties" && r.Kind == ir.Object && r.Extra != nil:
			steps = append(steps, rtStep{member: rtExtraKey})
			cur, i = r.Extra, i+1
		default:
			return nil, nil, false
		}
		if cur == nil {
			return nil, nil, false
		}
	}
	return steps, cur, len(steps) > 0
}

// rtTypeAt returns the type of the schema at ptr, following its $ref.
func rtTypeAt(bySource map[string]*ir.Type, doc any, ptr string) *ir.Type {
	for i := 0; i < 20; i++ {
		if t := bySource[ptr]; t != nil {
			return t
		}
		m, _ := rtLookup(doc, ptr).(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/") {
			return nil
		}
		ptr = ref
	}
	return nil
}

// rtGoType is the Go type expression of t in the round-trip program: its
// name when declared, else its shape, as the emitter spells it
// (emit/gotype.go's shape).
func rtGoType(t *ir.Type) (string, string) {
	if t == nil {
		return "any", ""
	}
	if t.GoType != nil {
		return "", "x-go-type " + t.GoType.Path + "." + t.GoType.Name
	}
	if t.Named && t.Name != "" {
		return "c." + t.Name, ""
	}
	switch t.Kind {
	case ir.Bool:
		return "bool", ""
	case ir.Int:
		switch t.Format {
		case "int32":
			return "int32", ""
		case "int64-string":
			return "rt.Int64String", ""
		}
		return "int64", ""
	case ir.Float:
		if t.Format == "float" {
			return "float32", ""
		}
		return "float64", ""
	case ir.String:
		switch t.Format {
		case "date-time":
			return "time.Time", ""
		case "date":
			return "rt.Date", ""
		case "byte":
			return "[]byte", ""
		case "binary":
			return "", "multipart file part"
		}
		return "string", ""
	case ir.Array:
		e, why := rtGoType(t.Elem)
		return "[]" + e, why
	case ir.Map:
		e, why := rtGoType(t.Elem)
		return "map[string]" + e, why
	case ir.Enum, ir.Alias:
		return rtGoType(t.Elem)
	case ir.Opaque:
		return "json.RawMessage", ""
	}
	return "any", ""
}

// --- the round-trip program ---

// rtInput is one line of the program's input: decode In into a new value
// of type Fn, follow Steps in it and encode what is there.
type rtInput struct {
	ID    int             `json:"id"`
	Fn    int             `json:"fn"`
	In    json.RawMessage `json:"in"`
	Steps []rtWireStep    `json:"steps,omitempty"`
}

type rtWireStep struct {
	M string `json:"m,omitempty"`
	I bool   `json:"i,omitempty"`
}

// rtOutput is one line of its output.
type rtOutput struct {
	ID     int             `json:"id"`
	Out    json.RawMessage `json:"out,omitempty"`
	Absent bool            `json:"absent,omitempty"` // the value would not be encoded (an omitzero field)
	Err    string          `json:"err,omitempty"`
	Raw    string          `json:"raw,omitempty"` // where a union kept the value as Raw
}

func rtProgram(s *rtSpec) (prog, input []byte) {
	fns := map[string]int{}
	var exprs []string
	var in bytes.Buffer
	for id, e := range s.examples {
		if e.status != "" {
			continue
		}
		fn, ok := fns[e.typeExpr]
		if !ok {
			fn = len(exprs)
			fns[e.typeExpr] = fn
			exprs = append(exprs, e.typeExpr)
		}
		wrapped, err := json.Marshal(rtWrap(e.value, e.steps))
		if err != nil {
			panic(err)
		}
		line := rtInput{ID: id, Fn: fn, In: wrapped}
		for _, st := range e.steps {
			line.Steps = append(line.Steps, rtWireStep{M: st.member, I: st.item})
		}
		b, err := json.Marshal(line)
		if err != nil {
			panic(err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	var b strings.Builder
	fmt.Fprintf(&b, rtProgramHead, s.pkg)
	for _, x := range exprs {
		fmt.Fprintf(&b, "\troundTrip[%s],\n", x)
	}
	b.WriteString("}\n")
	return []byte(b.String()), in.Bytes()
}

// rtWrap puts the example where the steps lead: {"member": v}, [v].
func rtWrap(v any, steps []rtStep) any {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].item {
			v = []any{v}
		} else {
			v = map[string]any{steps[i].member: v}
		}
	}
	return v
}

// rtProgramHead is the round-trip program, up to its list of round-trip
// functions, one per Go type. A wrapped example is decoded with its
// enclosing type, and the value the steps lead to is encoded alone, as
// encoding/json would encode it there: a field tagged omitzero whose value
// is zero is absent. (Encoding the whole enclosing value would also encode
// its other fields, left zero, which may not encode: a zero runtime.Date.)
const rtProgramHead = `// Command roundtrip decodes each input line's JSON into a new value of its
// Go type and encodes it again. Written by generator/roundtrip_test.go.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	c "corpus.test/%s"
	rt "github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

var (
	_ time.Time
	_ rt.Date
	_ json.RawMessage
)

type step struct {
	M string ` + "`json:\"m\"`" + `
	I bool   ` + "`json:\"i\"`" + `
}

type input struct {
	ID    int             ` + "`json:\"id\"`" + `
	Fn    int             ` + "`json:\"fn\"`" + `
	In    json.RawMessage ` + "`json:\"in\"`" + `
	Steps []step          ` + "`json:\"steps\"`" + `
}

type output struct {
	ID     int             ` + "`json:\"id\"`" + `
	Out    json.RawMessage ` + "`json:\"out,omitempty\"`" + `
	Absent bool            ` + "`json:\"absent,omitempty\"`" + `
	Err    string          ` + "`json:\"err,omitempty\"`" + `
	Raw    string          ` + "`json:\"raw,omitempty\"`" + `
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(nil, 1<<30)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		var in input
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			panic(err)
		}
		out := output{ID: in.ID}
		func() {
			defer func() {
				if p := recover(); p != nil {
					out = output{ID: in.ID, Err: fmt.Sprintf("panic: %%v", p)}
				}
			}()
			b, present, raw, err := funcs[in.Fn](in.In, in.Steps)
			if err != nil {
				out.Err = err.Error()
				return
			}
			out.Out, out.Absent, out.Raw = b, !present, raw
		}()
		if err := enc.Encode(out); err != nil {
			panic(err)
		}
	}
	if err := sc.Err(); err != nil {
		panic(err)
	}
}

func roundTrip[T any](in []byte, steps []step) ([]byte, bool, string, error) {
	v := new(T)
	if err := json.Unmarshal(in, v); err != nil {
		return nil, false, "", fmt.Errorf("decode: %%v", err)
	}
	x := reflect.ValueOf(v).Elem()
	for _, st := range steps {
		var ok bool
		if x, ok = follow(x, st); !ok {
			return nil, false, "", nil
		}
	}
	var val any
	if x.CanAddr() {
		val = x.Addr().Interface() // pointer-receiver marshalers apply, as for a field
	} else {
		val = x.Interface()
	}
	// The runtime's encoder, as the connector sends a value: it writes an
	// Opt or Nullable member as its value (encoding/json would write their
	// fields; a generated object reaches the runtime through its MarshalJSON).
	out, err := rtimpl.Marshal(val)
	if err != nil {
		return nil, false, "", fmt.Errorf("encode: %%v", err)
	}
	return out, true, rawAt(x, "", 0), nil
}

// follow returns the member or first item st names in x, and whether
// encoding/json would encode it.
func follow(x reflect.Value, st step) (reflect.Value, bool) {
	for {
		if x.Kind() == reflect.Pointer || x.Kind() == reflect.Interface {
			if x.IsNil() {
				return x, false
			}
			x = x.Elem()
			continue
		}
		// runtime.Opt and runtime.Nullable: the value inside, when set.
		if x.Kind() == reflect.Struct && x.Type().PkgPath() == "github.com/connectorgen/connectorgen/runtime" &&
			(strings.HasPrefix(x.Type().Name(), "Opt[") || strings.HasPrefix(x.Type().Name(), "Nullable[")) {
			if !x.FieldByName("Set").Bool() || x.FieldByName("Null").IsValid() && x.FieldByName("Null").Bool() {
				return x, false
			}
			x = x.FieldByName("Value")
			continue
		}
		break
	}
	switch {
	case st.I:
		if (x.Kind() != reflect.Slice && x.Kind() != reflect.Array) || x.Len() == 0 {
			return x, false
		}
		return x.Index(0), true
	case x.Kind() == reflect.Map:
		v := x.MapIndex(reflect.ValueOf(st.M).Convert(x.Type().Key()))
		return v, v.IsValid()
	case x.Kind() == reflect.Struct:
		for i := 0; i < x.NumField(); i++ {
			name, opts, _ := strings.Cut(x.Type().Field(i).Tag.Get("json"), ",")
			if name != st.M || !x.Type().Field(i).IsExported() {
				continue
			}
			f := x.Field(i)
			omit := ("," + opts + ",")
			if strings.Contains(omit, ",omitzero,") && isZero(f) || strings.Contains(omit, ",omitempty,") && isEmpty(f) {
				return f, false
			}
			return f, true
		}
		if ap := x.FieldByName("AdditionalProperties"); ap.IsValid() && ap.Kind() == reflect.Map {
			return follow(ap, st)
		}
	}
	return x, false
}

// isZero is encoding/json's omitzero test: an IsZero method, else the zero value.
func isZero(v reflect.Value) bool {
	type zeroer interface{ IsZero() bool }
	if z, ok := v.Interface().(zeroer); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	if v.CanAddr() {
		if z, ok := v.Addr().Interface().(zeroer); ok {
			return z.IsZero()
		}
	}
	return v.IsZero()
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// rawAt returns the Go path of a union whose Raw holds a value in place
// of a variant (its Value is the Raw JSON), or "". The union of a schema
// with items but no type keeps Raw beside a variant that does not hold
// all of the value: the typed value is there, so it does not count.
func rawAt(v reflect.Value, path string, depth int) string {
	if depth > 64 {
		return ""
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return rawAt(v.Elem(), path, depth+1)
		}
	case reflect.Struct:
		if f := v.FieldByName("Raw"); f.IsValid() && f.Type() == reflect.TypeFor[json.RawMessage]() && f.Len() > 0 {
			if m := v.MethodByName("Value"); m.IsValid() {
				if _, raw := m.Call(nil)[0].Interface().(json.RawMessage); raw {
					return path + " (" + v.Type().Name() + ".Raw)"
				}
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				if p := rawAt(v.Field(i), path+"."+v.Type().Field(i).Name, depth+1); p != "" {
					return p
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return ""
		}
		for i := 0; i < v.Len(); i++ {
			if p := rawAt(v.Index(i), fmt.Sprintf("%%s[%%d]", path, i), depth+1); p != "" {
				return p
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if p := rawAt(it.Value(), fmt.Sprintf("%%s[%%v]", path, it.Key()), depth+1); p != "" {
				return p
			}
		}
	}
	return ""
}

var funcs = []func([]byte, []step) ([]byte, bool, string, error){
`

// rtRun builds the spec's program, runs it and compares each result.
func rtRun(ctx context.Context, mod string, s *rtSpec) {
	// Examples left without a result fail: a connector that does not
	// build fails all of its spec's examples.
	defer s.failAll("no result from the round-trip program", "")
	fail := func(class, msg string) {
		s.err = msg
		s.failAll(class, msg)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	bin := filepath.Join(mod, s.pkg, "roundtrip.bin")
	if err := gobuild.Go(ctx, mod, "build", "-o", bin, "./"+s.pkg+"/roundtrip"); err != nil {
		fail("connector does not build", "build: "+rtFirstError(err.Error(), s.pkg))
		return
	}
	input, err := os.Open(filepath.Join(mod, s.pkg, "roundtrip", "input.jsonl"))
	if err != nil {
		fail("round-trip program failed", err.Error())
		return
	}
	defer input.Close()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Stdin = input
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		fail("round-trip program failed", fmt.Sprintf("run: %v: %s", err, firstLineRT(stderr.String())))
		return
	}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var out rtOutput
		if err := json.Unmarshal(sc.Bytes(), &out); err != nil {
			fail("round-trip program failed", "bad program output: "+err.Error())
			return
		}
		rtJudge(s.examples[out.ID], out)
	}
}

// rtJudge compares one result with its example.
func rtJudge(e *rtExample, out rtOutput) {
	e.status = rtFail
	switch {
	case strings.HasPrefix(out.Err, "decode: "):
		e.class, e.detail = "decode error", strings.TrimPrefix(out.Err, "decode: ")
		return
	case strings.HasPrefix(out.Err, "encode: "):
		e.class, e.detail = "encode error", strings.TrimPrefix(out.Err, "encode: ")
		return
	case out.Err != "":
		e.class, e.detail = "panic", out.Err
		return
	case out.Absent && e.value == nil:
		e.class, e.detail = "explicit null dropped", "null decodes to a nil Go value (slice, map or any) that omitzero leaves out"
		return
	case out.Absent:
		e.class, e.detail = "value dropped", "the value decodes to a zero field that omitzero leaves out"
		return
	}
	got, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Out))
	if err != nil {
		e.class, e.detail = "encode error", "output is not JSON: "+err.Error()
		return
	}
	if class, detail := rtDiff(e.value, got, "", e.irType); class != "" {
		e.class, e.detail = class, detail
		return
	}
	if out.Raw != "" {
		e.class, e.detail = "union kept a valid value as Raw", "at "+strings.TrimPrefix(out.Raw, ".")
		return
	}
	e.status, e.class, e.detail = rtPass, "", ""
}

// rtDiff returns the class and description of the first difference
// between the example (want) and what came back (got), or "" when they are
// equal up to the normalisations in the file comment. t is the example's
// type, to tell what a difference is.
func rtDiff(want, got any, at string, t *ir.Type) (class, detail string) {
	where := at
	if where == "" {
		where = "/"
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return "value changed", fmt.Sprintf("at %s: object became %s", where, rtShort(got))
		}
		for _, k := range rtKeys(w) {
			gv, ok := g[k]
			switch {
			case ok:
			case rtDeclared(t, at, k) && w[k] == nil:
				return "explicit null dropped", fmt.Sprintf("at %s: member %q (null) dropped", where, k)
			case rtDeclared(t, at, k):
				return "declared member dropped", fmt.Sprintf("at %s: member %q (%s) dropped", where, k, rtShort(w[k]))
			default:
				return "undeclared member dropped", fmt.Sprintf("at %s: member %q (%s), which the schema does not declare, dropped",
					where, k, rtShort(w[k]))
			}
			if c, d := rtDiff(w[k], gv, at+"/"+diag.EscapeToken(k), t); c != "" {
				return c, d
			}
		}
		for _, k := range rtKeys(g) {
			if _, ok := w[k]; !ok {
				if _, union := rtTypesAt(t, at); union {
					return "member added by a union", fmt.Sprintf("at %s: member %q added (%s); a oneOf/anyOf on the way decoded the value as another variant",
						where, k, rtShort(g[k]))
				}
				return "member added", fmt.Sprintf("at %s: member %q added (%s)", where, k, rtShort(g[k]))
			}
		}
		return "", ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			return "value changed", fmt.Sprintf("at %s: array became %s", where, rtShort(got))
		}
		if len(g) != len(w) {
			return "value changed", fmt.Sprintf("at %s: %d items became %d", where, len(w), len(g))
		}
		for i := range w {
			if c, d := rtDiff(w[i], g[i], at+"/"+strconv.Itoa(i), t); c != "" {
				return c, d
			}
		}
		return "", ""
	case json.Number:
		g, ok := got.(json.Number)
		if ok && rtNumEqual(w, g) {
			return "", ""
		}
		if ok && rtSameFloat32(w, g) {
			return "float32 rounding", fmt.Sprintf("at %s: %s became %s (format: float is a Go float32)", where, w, g)
		}
	case string:
		if g, ok := got.(string); ok && (g == w || rtSameInstant(w, g)) {
			return "", ""
		}
	default: // nil, bool
		if want == got {
			return "", ""
		}
	}
	if reflect.TypeOf(want) != reflect.TypeOf(got) {
		return "type changed", fmt.Sprintf("at %s: %s became %s", where, rtShort(want), rtShort(got))
	}
	return "value changed", fmt.Sprintf("at %s: %s became %s", where, rtShort(want), rtShort(got))
}

// rtDeclared reports whether an object the type holds at the value path
// at declares the member.
func rtDeclared(t *ir.Type, at, member string) bool {
	ts, _ := rtTypesAt(t, at)
	for _, x := range ts {
		if x.Kind == ir.Object {
			for _, f := range x.Fields {
				if f.JSONName == member {
					return true
				}
			}
		}
	}
	return false
}

// rtTypesAt returns the types t may hold at the value path at (a JSON
// pointer into the value without "#"), every variant of a union counted,
// and whether a union is on the way.
func rtTypesAt(t *ir.Type, at string) ([]*ir.Type, bool) {
	if t == nil {
		return nil, false
	}
	union := false
	expand := func(in []*ir.Type) []*ir.Type {
		var out []*ir.Type
		seen := map[*ir.Type]bool{}
		var add func(x *ir.Type)
		add = func(x *ir.Type) {
			if x == nil {
				return
			}
			x = x.Resolve()
			if seen[x] {
				return
			}
			seen[x] = true
			if x.Kind == ir.Union {
				union = true
				for _, v := range x.Variants {
					add(v.Type)
				}
				return
			}
			out = append(out, x)
		}
		for _, x := range in {
			add(x)
		}
		return out
	}
	cur := expand([]*ir.Type{t})
	for _, tok := range diag.Tokens("#" + at) {
		var next []*ir.Type
		for _, x := range cur {
			switch x.Kind {
			case ir.Object:
				found := false
				for _, f := range x.Fields {
					if f.JSONName == tok {
						next, found = append(next, f.Type), true
					}
				}
				if !found && x.Extra != nil {
					next = append(next, x.Extra)
				}
			case ir.Map, ir.Array:
				next = append(next, x.Elem)
			}
		}
		cur = expand(next)
	}
	return cur, union
}

// rtSameFloat32 reports whether two numbers are the same float32.
func rtSameFloat32(a, b json.Number) bool {
	x, err1 := strconv.ParseFloat(string(a), 32)
	y, err2 := strconv.ParseFloat(string(b), 32)
	return err1 == nil && err2 == nil && float32(x) == float32(y)
}

func rtKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rtNumEqual compares two JSON numbers by value, exactly.
func rtNumEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	x, ok1 := new(big.Rat).SetString(string(a))
	y, ok2 := new(big.Rat).SetString(string(b))
	return ok1 && ok2 && x.Cmp(y) == 0
}

// rtSameInstant reports whether two strings are RFC 3339 date-times of the
// same instant.
func rtSameInstant(a, b string) bool {
	x, err1 := time.Parse(time.RFC3339Nano, a)
	y, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && x.Equal(y)
}

func rtShort(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

func base64StdDecode(s string) ([]byte, error) {
	var b []byte
	err := json.Unmarshal([]byte(strconv.Quote(s)), &b) // what encoding/json accepts for []byte
	return b, err
}

func firstLineRT(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func rtOneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// rtFirstError finds the first compiler message about the spec's package.
func rtFirstError(out, pkg string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, pkg+"/") && strings.Contains(line, ".go:") {
			return strings.TrimSpace(line)
		}
	}
	return firstLineRT(out)
}

// --- report and ratchet ---

func rtReport(t *testing.T, specs []*rtSpec, elapsed time.Duration) {
	var b strings.Builder
	b.WriteString("\nexamples per spec: found; valid against their schema (with a Go type); passed; failed; skipped (schema not\n" +
		"compilable, or no Go type for the schema); invalid against their schema (not checked)\n")
	fmt.Fprintf(&b, "%-62s %6s %6s %6s %6s %6s %6s %8s  %s\n", "spec", "found", "valid", "passed", "failed", "skip", "inval", "time", "note")
	var found, valid, passed, failed, skipped, invalid, specsWith int
	for _, s := range specs {
		n := len(s.examples)
		if n == 0 && s.err == "" {
			continue
		}
		sk := s.count(rtNotCompilable) + s.count(rtNoType)
		fmt.Fprintf(&b, "%-62s %6d %6d %6d %6d %6d %6d %8s  %s\n", s.path, n, s.valid(), s.count(rtPass), s.count(rtFail),
			sk, s.count(rtInvalid), s.elapsed.Round(100*time.Millisecond), s.err)
		found += n
		valid += s.valid()
		passed += s.count(rtPass)
		failed += s.count(rtFail)
		skipped += sk
		invalid += s.count(rtInvalid)
		if s.valid() > 0 {
			specsWith++
		}
	}
	freeForm := 0
	for _, s := range specs {
		for _, e := range s.examples {
			if e.status == rtPass && e.irType != nil && e.irType.Resolve().Kind == ir.Any {
				freeForm++
			}
		}
	}
	fmt.Fprintf(&b, "total: %d specs, %d with valid examples; examples: found %d, valid %d, passed %d (%d of them "+
		"into a free-form Go value), failed %d, skipped %d (schema not compilable %d, no Go type %d), invalid %d; %s\n",
		len(specs), specsWith, found, valid, passed, freeForm, failed, skipped, rtTotal(specs, rtNotCompilable),
		rtTotal(specs, rtNoType), invalid, elapsed.Round(time.Second))

	// Failure classes, with the first example of each distinct cause.
	type group struct {
		n     int
		first string
	}
	groups := map[string]*group{}
	var order []string
	var lines []string
	for _, s := range specs {
		for _, e := range s.examples {
			if e.status == rtPass || e.status == rtInvalid && os.Getenv("CONNECTORGEN_ROUNDTRIP_REPORT") == "" {
				continue
			}
			line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", e.status, e.class, s.path, e.schema, e.loc, e.typeExpr, e.detail, rtShort(e.value))
			lines = append(lines, line)
			if e.status != rtFail {
				continue
			}
			key := e.class + ": " + rtCause(e.detail)
			g := groups[key]
			if g == nil {
				g = &group{first: fmt.Sprintf("%s %s (%s): %s; example %s", s.path, e.schema, e.typeExpr, e.detail, rtShort(e.value))}
				groups[key] = g
				order = append(order, key)
			}
			g.n++
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return groups[order[i]].n > groups[order[j]].n })
	fmt.Fprintf(&b, "failure causes (%d):\n", len(order))
	for _, k := range order {
		fmt.Fprintf(&b, "  %5d  %s\n         e.g. %s\n", groups[k].n, k, groups[k].first)
	}
	t.Log(b.String())
	if file := os.Getenv("CONNECTORGEN_ROUNDTRIP_REPORT"); file != "" {
		if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func rtTotal(specs []*rtSpec, status string) int {
	n := 0
	for _, s := range specs {
		n += s.count(status)
	}
	return n
}

var (
	rtQuoted  = regexp.MustCompile(`"[^"]*"`)
	rtNumbers = regexp.MustCompile(`\b\d+(\.\d+)?\b`)
	rtAtPath  = regexp.MustCompile(`^at [^:]*: `)
	rtGoField = regexp.MustCompile(`Go struct field \S+ of type \S+`)
	rtGoValue = regexp.MustCompile(`Go value of type \S+`)
)

// rtCause reduces a failure detail to its cause: without the location,
// member names and values.
func rtCause(detail string) string {
	d := rtAtPath.ReplaceAllString(detail, "")
	if i := strings.Index(d, " became "); i >= 0 {
		d = d[:i] + " became …"
	}
	if i := strings.Index(d, " dropped"); i >= 0 && strings.HasPrefix(d, "member") {
		d = "member dropped"
	}
	if strings.HasPrefix(d, "member ") && strings.Contains(d, " added") {
		d = "member added"
	}
	d = rtGoField.ReplaceAllString(d, "Go struct field F of type T")
	d = rtGoValue.ReplaceAllString(d, "Go value of type T")
	d = rtQuoted.ReplaceAllString(d, `"…"`)
	d = rtNumbers.ReplaceAllString(d, "N")
	if len(d) > 120 {
		d = d[:120] + "…"
	}
	return d
}

// rtCheckRatchet fails when fewer examples pass than
// testdata/roundtrip-ratchet.txt demands: "total N" and "SPEC N" lines.
func rtCheckRatchet(t *testing.T, specs []*rtSpec) {
	data, err := os.ReadFile(filepath.Join("testdata", "roundtrip-ratchet.txt"))
	if errors.Is(err, os.ErrNotExist) {
		t.Error("testdata/roundtrip-ratchet.txt is missing")
		return
	} else if err != nil {
		t.Fatal(err)
	}
	passed := map[string]int{}
	for _, s := range specs {
		passed[s.path] = s.count(rtPass)
		passed["total"] += s.count(rtPass)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 2 || strings.HasPrefix(line, "#") {
			continue
		}
		want, err := strconv.Atoi(fields[1])
		if err != nil {
			t.Errorf("roundtrip-ratchet.txt: bad line %q", line)
			continue
		}
		if got := passed[fields[0]]; got < want {
			t.Errorf("%s: %d examples round-trip, the ratchet demands %d", fields[0], got, want)
		}
	}
}
