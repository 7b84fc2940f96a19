package conformance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
)

// swProgram writes the sweep program of one connector (package pkg of
// module corpus.test): one function per operation that builds the
// operation's request from JSON values (swValues) and calls the generated
// method, and a main that calls each against the Prism base URL given as
// its argument and prints one JSON line per operation (swOutcome).
func swProgram(pkg string, api *ir.API, vals *swValues) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, swProgramHead, pkg)
	b.WriteString("var schemes = []string{")
	for _, s := range api.SecuritySchemes {
		b.WriteString(strconv.Quote(s.Name) + ", ")
	}
	b.WriteString("}\n\nvar ops = []op{\n")
	literal := swLiteralKeys(api)
	for _, o := range api.Operations {
		swOperation(&b, o, vals, literal[o])
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// swLiteralKeys finds the operations whose paths key holds a fragment
// (AWS SQS's `/#Action=AddPermission`, every key of the spec) and that
// Prism 5.14.2 can reach only by that key written out: the connector sends
// the path alone, as HTTP does (the fragment is never sent, RFC 9110
// §4.2.1), and Prism routes a key literally, so when no key without the
// fragment has the operation's method it finds no route. For each it
// gives the suffix the program's transport appends to the request path
// for Prism ("%23Action=AddPermission"). Keys whose path alone is a key
// of the same method (Box's `/files/{file_id}#add_shared_link` beside
// `/files/{file_id}`) are routed there and left alone.
func swLiteralKeys(api *ir.API) map[*ir.Operation]string {
	key := func(o *ir.Operation) string {
		k, _ := strings.CutPrefix(o.Source, "#/paths/")
		if i := strings.LastIndexByte(k, '/'); i >= 0 {
			k = k[:i]
		}
		return strings.NewReplacer("~1", "/", "~0", "~").Replace(k)
	}
	plain := map[string]bool{}
	for _, o := range api.Operations {
		if k := key(o); !strings.Contains(k, "#") {
			plain[o.Method+" "+k] = true
		}
	}
	out := map[*ir.Operation]string{}
	for _, o := range api.Operations {
		base, fragment, ok := strings.Cut(key(o), "#")
		if ok && !plain[o.Method+" "+base] {
			out[o] = url.PathEscape("#" + fragment)
		}
	}
	return out
}

// swOperation writes one entry of the program's ops table; suffix is what
// the transport appends to the request path for Prism (swLiteralKeys).
func swOperation(b *strings.Builder, o *ir.Operation, vals *swValues, suffix string) {
	fmt.Fprintf(b, "\t{%q, %q, func(ctx context.Context, cl *c.Client) (any, error) {\n", o.ID, suffix)
	args := "ctx"
	if o.RequestName != "" {
		fmt.Fprintf(b, "\t\tvar req c.%s\n", o.RequestName)
		for _, p := range o.Params {
			if !p.Required && !vals.sendOptional(p) {
				continue
			}
			fmt.Fprintf(b, "\t\tif err := set(&req.%s, %s); err != nil {\n\t\t\treturn nil, setError{%q, err}\n\t\t}\n",
				p.GoName, swLiteral(vals.param(p)), p.In+" "+p.Name)
		}
		if body := o.Body; body != nil {
			switch {
			case body.Kind == ir.BodyJSON || body.Kind == ir.BodyForm || body.Kind == ir.BodyMultipart && body.Type != nil:
				fmt.Fprintf(b, "\t\tif err := set(&req.Body, %s); err != nil {\n\t\t\treturn nil, setError{\"body\", err}\n\t\t}\n",
					swLiteral(vals.body(body)))
			case body.Kind == ir.BodyText:
				b.WriteString("\t\treq.Body = \"text\"\n")
			case body.Kind == ir.BodyMultipart:
				b.WriteString("\t\treq.Body, req.BodyContentType = multipartBody()\n")
			case body.Kind == ir.BodyXML:
				b.WriteString("\t\treq.Body = strings.NewReader(\"<a>text</a>\")\n")
			default:
				fmt.Fprintf(b, "\t\treq.Body = strings.NewReader(%q)\n", vals.raw(body, "bytes"))
			}
		}
		b.WriteString("\t\tfillFiles(&req)\n")
		args = "ctx, req"
	}
	if single, ok := o.SingleResult(); ok && (single == nil || single.Kind == ir.BodyNone) {
		fmt.Fprintf(b, "\t\treturn nil, cl.%s(%s)\n", o.Name, args)
	} else {
		fmt.Fprintf(b, "\t\treturn cl.%s(%s)\n", o.Name, args)
	}
	b.WriteString("\t}},\n")
}

// swLiteral is v's compact JSON as a Go string literal.
func swLiteral(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	if !strings.Contains(string(data), "`") {
		return "`" + string(data) + "`"
	}
	return strconv.Quote(string(data))
}

// swOutcome is one line of the program's output.
type swOutcome struct {
	Op       string `json:"op"`
	Status   int    `json:"status,omitempty"`
	Class    string `json:"class"`
	Detail   string `json:"detail,omitempty"`
	Typed    bool   `json:"typed,omitempty"`    // an error status whose body decoded into its declared type
	Problem  string `json:"problem,omitempty"`  // Prism's own problem type (after #), e.g. NO_PATH_MATCHED_ERROR
	Violated string `json:"violated,omitempty"` // Prism's sl-violations header
}

// Program outcome classes.
const (
	swOK         = "ok"          // 2xx, decoded
	swDrift      = "drift"       // 2xx, decoded with values that did not match their types left unset (runtime.Drift)
	swErrStatus  = "status"      // a non-2xx response of the spec (not Prism's validation)
	swRejected   = "rejected"    // Prism's validator refused the request (422 with sl-violations)
	swPrism      = "prism"       // another Prism error (401, 404, 406, 500...): Problem says which
	swDecode     = "decode"      // 2xx that did not decode
	swValidation = "validation"  // the connector's Validate refused the built request
	swSet        = "set"         // a built value did not decode into the request field
	swTransport  = "transport"   // no response
	swPanic      = "panic"       // the call panicked
	swNoResult   = "no-result"   // the program gave no line for the operation
	swNoConnect  = "not-built"   // connector not generated or not built
	swNoPrism    = "prism-start" // Prism did not start on the spec
)

// swProgramHead is the program up to its tables.
const swProgramHead = `// Command sweep calls every operation of a generated connector against a
// Prism mock server. Written by generator/sweep_test.go.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	c "corpus.test/%s"
	rt "github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

var _ = strings.NewReader

type op struct {
	id     string
	suffix string // appended to the request path for Prism (swLiteralKeys)
	call   func(context.Context, *c.Client) (any, error)
}

type outcome struct {
	Op       string ` + "`json:\"op\"`" + `
	Status   int    ` + "`json:\"status,omitempty\"`" + `
	Class    string ` + "`json:\"class\"`" + `
	Detail   string ` + "`json:\"detail,omitempty\"`" + `
	Typed    bool   ` + "`json:\"typed,omitempty\"`" + `
	Problem  string ` + "`json:\"problem,omitempty\"`" + `
	Violated string ` + "`json:\"violated,omitempty\"`" + `
}

type setError struct {
	where string
	err   error
}

func (e setError) Error() string { return "value of " + e.where + ": " + e.err.Error() }

// set decodes a JSON value into a request field with the runtime's decoder,
// which fills an Opt or Nullable field from the value (they have no JSON
// methods of their own).
func set(dst any, js string) error { return rtimpl.Unmarshal([]byte(js), dst) }

// fillFiles gives every runtime.File without content a few bytes, and
// every nil io.Reader field too.
func fillFiles(v any) { fill(reflect.ValueOf(v), 0) }

var fileType = reflect.TypeOf(rt.File{})

func fill(v reflect.Value, depth int) {
	if depth > 40 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fill(v.Elem(), depth+1)
		}
	case reflect.Struct:
		if v.Type() == fileType {
			if v.CanSet() && v.FieldByName("Content").IsNil() {
				v.Set(reflect.ValueOf(rt.File{Name: "file.txt", ContentType: "text/plain", Content: strings.NewReader("file")}))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Struct && e.Type() == fileType {
				f := reflect.New(fileType).Elem()
				f.Set(e)
				fill(f, depth+1)
				v.SetMapIndex(k, f)
			}
		}
	}
}

func multipartBody() (io.Reader, string) {
	return strings.NewReader("--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n--XyZ--\r\n"),
		"multipart/form-data; boundary=XyZ"
}

// recorder keeps the last response's status and headers, and appends
// suffix to the request path.
type recorder struct {
	status int
	header http.Header
	suffix string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.status, r.header = 0, nil
	if r.suffix != "" {
		req = req.Clone(req.Context())
		if p, err := url.PathUnescape(req.URL.EscapedPath() + r.suffix); err == nil {
			req.URL.RawPath, req.URL.Path = req.URL.EscapedPath()+r.suffix, p
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if resp != nil {
		r.status, r.header = resp.StatusCode, resp.Header
	}
	return resp, err
}

// credential satisfies every scheme the way Prism checks it.
var credential = auth.CredentialFunc(func(req *http.Request, s *auth.SecurityScheme) error {
	switch {
	case s.Type == "apiKey" && s.In == "header":
		req.Header.Set(s.ParamName, "key")
	case s.Type == "apiKey" && s.In == "query":
		q := req.URL.Query()
		q.Set(s.ParamName, "key")
		req.URL.RawQuery = q.Encode()
	case s.Type == "apiKey" && s.In == "cookie":
		req.AddCookie(&http.Cookie{Name: s.ParamName, Value: "key"})
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		req.SetBasicAuth("user", "password")
	case s.Type == "http" && !strings.EqualFold(s.Scheme, "bearer"):
		req.Header.Set("Authorization", s.Scheme+" token")
	default:
		req.Header.Set("Authorization", "Bearer token")
	}
	return nil
})

const prismProblem = "https://stoplight.io/prism/errors#"

// drift is the drift the last call's response reported.
var drift *rt.DriftEvent

func main() {
	rec := &recorder{}
	opts := []rt.ClientOption{
		rt.WithObserver(rt.Observer{Drift: func(_ context.Context, e rt.DriftEvent) { drift = &e }}),
		// Redirects are not followed: a spec's example Location points
		// off the machine (GitHub's download operations answer 302 to
		// pipelines.actions.githubusercontent.com); the 3xx is the answer.
		rt.WithHTTPClient(&http.Client{Transport: rec, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}),
		rt.WithoutCircuitBreaker(),
		rt.WithMaxRetries(0),
		rt.WithTimeout(30 * time.Second),
	}
	for _, s := range schemes {
		opts = append(opts, rt.WithCredential(s, credential))
	}
	cl, err := c.New(os.Args[1], opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	// Further arguments name the operations to call (a rerun on a fresh
	// Prism); without them every one is called.
	only := map[string]bool{}
	for _, id := range os.Args[2:] {
		only[id] = true
	}
	for _, o := range ops {
		if len(only) > 0 && !only[o.id] {
			continue
		}
		rec.suffix = o.suffix
		out := call(cl, rec, o)
		out.Op = o.id
		if err := enc.Encode(out); err != nil {
			panic(err)
		}
	}
}

func call(cl *c.Client, rec *recorder, o op) (out outcome) {
	defer func() {
		if p := recover(); p != nil {
			out = outcome{Class: "panic", Detail: fmt.Sprint(p)}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	drift = nil
	res, err := o.call(ctx, cl)
	out.Status = rec.status
	if rec.header != nil {
		out.Violated = rec.header.Get("sl-violations")
	}
	if r, ok := res.(io.Closer); ok {
		func() {
			defer func() { recover() }()
			r.Close()
		}()
	}
	var se setError
	var ve *rt.ValidationError
	var ae *rt.APIError
	switch {
	case err == nil && drift != nil:
		d := drift.Drift[0]
		out.Class = "drift"
		out.Detail = fmt.Sprintf("%%d value(s) left unset; first %%s: %%s where the spec says %%s: %%s", drift.Total, d.Pointer, d.Got, d.Expected, d.Raw)
	case err == nil:
		out.Class = "ok"
	case errors.As(err, &se):
		out.Class, out.Detail = "set", se.Error()
	case errors.As(err, &ve):
		out.Class, out.Detail = "validation", err.Error()
	case errors.As(err, &ae):
		out.Typed = ae.Detail != nil
		var problem struct {
			Type       string          ` + "`json:\"type\"`" + `
			Title      string          ` + "`json:\"title\"`" + `
			Detail     string          ` + "`json:\"detail\"`" + `
			Validation json.RawMessage ` + "`json:\"validation\"`" + `
		}
		_ = json.Unmarshal(ae.Body, &problem)
		switch {
		case requestViolated(out.Violated):
			out.Class, out.Detail = "rejected", out.Violated
			if problem.Type != "" {
				out.Problem = strings.TrimPrefix(problem.Type, prismProblem)
			}
		case strings.HasPrefix(problem.Type, prismProblem):
			out.Class, out.Problem = "prism", strings.TrimPrefix(problem.Type, prismProblem)
			out.Detail = problem.Title + ": " + problem.Detail
			if len(problem.Validation) > 0 {
				out.Detail += ": " + string(problem.Validation)
			}
		default:
			out.Class, out.Detail = "status", excerpt(ae.Body)
		}
	case rec.status >= 200 && rec.status < 300:
		out.Class, out.Detail = "decode", err.Error()
	default:
		out.Class, out.Detail = "transport", err.Error()
	}
	return out
}

// requestViolated reports whether Prism's sl-violations header lists a
// violation of the request of severity Error (it lists warnings, such as
// a deprecated parameter, and the response's own violations too, when the
// spec's example does not match its schema).
func requestViolated(h string) bool {
	var vs []struct {
		Location []string ` + "`json:\"location\"`" + `
		Severity string   ` + "`json:\"severity\"`" + `
	}
	if json.Unmarshal([]byte(h), &vs) != nil {
		return h != ""
	}
	for _, v := range vs {
		if len(v.Location) > 0 && v.Location[0] == "request" && v.Severity == "Error" {
			return true
		}
	}
	return false
}

func excerpt(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		b = b[:300]
	}
	return string(b)
}

`
