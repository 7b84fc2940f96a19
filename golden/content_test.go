package golden

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	content "github.com/connectorgen/connectorgen/golden/content/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The generated "content" case on the wire: one operation in several
// request media types, XML and text bodies, parameters carried as JSON
// text, and patternProperties.

// seen is one request as the server received it.
type seen struct {
	Method, RequestURI, ContentType, Accept, Cookie, Meta string
	Body                                                  []byte
}

// recorder is a loopback server that records every request and answers
// with answer.
type recorder struct {
	mu  sync.Mutex
	got []seen
	srv *httptest.Server
}

func newRecorder(t *testing.T, answer http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.got = append(rec.got, seen{Method: r.Method, RequestURI: r.RequestURI, ContentType: r.Header.Get("Content-Type"),
			Accept: r.Header.Get("Accept"), Cookie: r.Header.Get("Cookie"), Meta: r.Header.Get("X-Meta"), Body: body})
		rec.mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

// take returns the requests received since the last call.
func (rec *recorder) take() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	got := rec.got
	rec.got = nil
	return got
}

// one returns the only request received since the last call.
func (rec *recorder) one(t *testing.T) seen {
	t.Helper()
	got := rec.take()
	if len(got) != 1 {
		t.Fatalf("server received %d requests, want 1", len(got))
	}
	return got[0]
}

func contentClient(t *testing.T, rec *recorder) *content.Client {
	t.Helper()
	c, err := content.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// violations returns the pointers of a *runtime.ValidationError.
func violations(t *testing.T, err error) []string {
	t.Helper()
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *runtime.ValidationError, got %v", err)
	}
	var out []string
	for _, v := range ve.Violations {
		out = append(out, v.Pointer)
	}
	return out
}

// One operation, four request media types: each method sends its own body
// with its declared Content-Type; all share the operation's results.
func TestContentSeveralRequestMediaTypes(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/items" && r.Header.Get("Content-Type") == "text/plain" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"no text today"}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"name":"pen","tags":["a"]}`)
	})
	c := contentClient(t, rec)
	ctx := context.Background()
	want := &content.Item{Name: "pen", Tags: []string{"a"}}

	item, err := c.CreateItem(ctx, content.CreateItemRequest{Body: content.Item{Name: "pen", Tags: []string{"a", "b"}}})
	if err != nil || !reflect.DeepEqual(item, want) {
		t.Fatalf("CreateItem = %+v, %v", item, err)
	}
	wire(t, rec.one(t), "POST", "/items", "application/json", `{"name":"pen","tags":["a","b"]}`)

	item, err = c.CreateItemWithForm(ctx, content.CreateItemWithFormRequest{Body: content.CreateItemFormBody{Name: "pen & ink", Tags: []string{"a", "b|c"}}})
	if err != nil || !reflect.DeepEqual(item, want) {
		t.Fatalf("CreateItemWithForm = %+v, %v", item, err)
	}
	// The form's encoding map applies: tags pipe-delimited, not exploded.
	wire(t, rec.one(t), "POST", "/items", "application/x-www-form-urlencoded", `name=pen%20%26%20ink&tags=a%7Cb%7Cc`)

	const xmlBody = `<?xml version="1.0"?><item><name>pen</name></item>`
	item, err = c.CreateItemWithXML(ctx, content.CreateItemWithXMLRequest{Body: strings.NewReader(xmlBody)})
	if err != nil || !reflect.DeepEqual(item, want) {
		t.Fatalf("CreateItemWithXML = %+v, %v", item, err)
	}
	wire(t, rec.one(t), "POST", "/items", "application/xml", xmlBody)

	// The shared error mapping: 400 is the typed Error, named after the operation.
	_, err = c.CreateItemWithText(ctx, content.CreateItemWithTextRequest{Body: "pen"})
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Operation != "createItem" ||
		ae.Detail.(*content.Error).Message.Value != "no text today" {
		t.Fatalf("CreateItemWithText: %v", err)
	}
	wire(t, rec.one(t), "POST", "/items", "text/plain", "pen")

	// Each typed alternative validates its own body before sending.
	_, err = c.CreateItemWithForm(ctx, content.CreateItemWithFormRequest{})
	if got := violations(t, err); !reflect.DeepEqual(got, []string{"/body/name"}) {
		t.Errorf("violations = %v", got)
	}
	if got := rec.take(); len(got) != 0 {
		t.Errorf("an invalid request was sent: %+v", got)
	}
}

// JSON media types other than application/json go out as declared, and
// a response that may come as JSON or XML is asked for as JSON.
func TestContentJSONPatchMediaTypes(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != "application/json" {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<item><name>xml</name></item>`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"name":"ink"}`)
	})
	c := contentClient(t, rec)
	ctx := context.Background()

	item, err := c.PatchItem(ctx, content.PatchItemRequest{ID: "i/1", Body: []content.PatchItemBodyItem{{Op: "replace", Path: "/name", Value: "ink"}}})
	if err != nil || item.Name != "ink" {
		t.Fatalf("PatchItem = %+v, %v", item, err)
	}
	got := rec.one(t)
	wire(t, got, "PATCH", "/items/i%2F1", "application/json-patch+json", `[{"op":"replace","path":"/name","value":"ink"}]`)
	if got.Accept != "application/json" {
		t.Errorf("Accept = %q", got.Accept)
	}

	item, err = c.PatchItemWithMergePatchJSON(ctx, content.PatchItemWithMergePatchJSONRequest{ID: "i1", Body: content.Item{Name: "ink"}})
	if err != nil || item.Name != "ink" {
		t.Fatalf("PatchItemWithMergePatchJSON = %+v, %v", item, err)
	}
	got = rec.one(t)
	wire(t, got, "PATCH", "/items/i1", "application/merge-patch+json", `{"name":"ink"}`)
	if got.Accept != "application/json" {
		t.Errorf("Accept = %q", got.Accept)
	}
}

// Multipart (the preferred media type), raw bytes and CSV text for one
// operation.
func TestContentUploadMediaTypes(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	c := contentClient(t, rec)
	ctx := context.Background()

	err := c.UploadDocument(ctx, content.UploadDocumentRequest{Body: &content.UploadDocumentBody{
		File: runtime.File{Name: "a.txt", ContentType: "text/plain", Content: strings.NewReader("hello")}, Title: runtime.Some("A")}})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.one(t)
	mt, params, err := mime.ParseMediaType(got.ContentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q", got.ContentType)
	}
	mr := multipart.NewReader(strings.NewReader(string(got.Body)), params["boundary"])
	parts := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts[p.FormName()+"|"+p.FileName()+"|"+p.Header.Get("Content-Type")] = string(b)
	}
	if want := map[string]string{"file|a.txt|text/plain": "hello", "title||": "A"}; !reflect.DeepEqual(parts, want) {
		t.Errorf("parts = %v", parts)
	}

	if err := c.UploadDocumentWithBinary(ctx, content.UploadDocumentWithBinaryRequest{Body: strings.NewReader("\x00\x01\xff")}); err != nil {
		t.Fatal(err)
	}
	wire(t, rec.one(t), "PUT", "/documents", "application/octet-stream", "\x00\x01\xff")

	if err := c.UploadDocumentWithCSV(ctx, content.UploadDocumentWithCSVRequest{Body: "a,b\n1,2\n"}); err != nil {
		t.Fatal(err)
	}
	wire(t, rec.one(t), "PUT", "/documents", "text/csv", "a,b\n1,2\n")
}

// XML in and out as raw bytes; XML, text and form-encoded success bodies
// come back as open streams, read before the server has finished; error
// bodies stay readable on the *runtime.APIError.
func TestContentRawResponses(t *testing.T) {
	release := make(chan struct{})
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			if r.Header.Get("X-Fail") != "" {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(http.StatusUnprocessableEntity)
				io.WriteString(w, `<error>bad feed</error>`)
				return
			}
			w.Header().Set("Content-Type", "application/atom+xml")
			io.WriteString(w, `<feed>`)
			w.(http.Flusher).Flush()
			<-release
			io.WriteString(w, `</feed>`)
		case "/notes/n1":
			w.Header().Set("Content-Type", "text/markdown")
			io.WriteString(w, "# Note\n")
			w.(http.Flusher).Flush()
			<-release
			io.WriteString(w, "done\n")
		case "/notes/none":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"no such note"}`)
		case "/token":
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			io.WriteString(w, "oauth_token=abc&oauth_token_secret=d%26f")
		}
	})
	c := contentClient(t, rec)
	ctx := context.Background()

	const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>`
	feed, err := c.PostFeed(ctx, content.PostFeedRequest{Body: strings.NewReader(atom)})
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, len("<feed>"))
	if _, err := io.ReadFull(feed, first); err != nil || string(first) != "<feed>" {
		t.Fatalf("first chunk before the server finished: %q, %v", first, err)
	}
	note, err := c.GetNote(ctx, content.GetNoteRequest{ID: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, len("# Note\n"))
	if _, err := io.ReadFull(note, head); err != nil || string(head) != "# Note\n" {
		t.Fatalf("text before the server finished: %q, %v", head, err)
	}
	close(release)
	if rest, err := io.ReadAll(feed); err != nil || string(rest) != "</feed>" {
		t.Errorf("feed rest = %q, %v", rest, err)
	}
	feed.Close()
	if rest, err := io.ReadAll(note); err != nil || string(rest) != "done\n" {
		t.Errorf("note rest = %q, %v", rest, err)
	}
	note.Close()
	for _, got := range rec.take() {
		if got.RequestURI == "/feed" {
			wire(t, got, "POST", "/feed", "application/atom+xml", atom)
		}
	}

	_, err = c.PostFeed(ctx, content.PostFeedRequest{Body: strings.NewReader("<feed/>")}, runtime.WithHeader("X-Fail", "1"))
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 422 || string(ae.Body) != `<error>bad feed</error>` {
		t.Fatalf("422: %v", err)
	}

	_, err = c.GetNote(ctx, content.GetNoteRequest{ID: "none"})
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Detail.(*content.Error).Message.Value != "no such note" {
		t.Fatalf("404: %v", err)
	}

	tok, err := c.GetToken(ctx, content.GetTokenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	b, _ := io.ReadAll(tok)
	vals, err := url.ParseQuery(string(b))
	if err != nil || vals.Get("oauth_token") != "abc" || vals.Get("oauth_token_secret") != "d&f" {
		t.Errorf("token body %q: %v", b, err)
	}
	rec.take()
}

// Parameters declared with content application/json: typed, sent as
// compact JSON text escaped for their location, validated, left out when
// absent.
func TestContentJSONParameters(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"name":"pen"}]`)
	})
	c := contentClient(t, rec)
	ctx := context.Background()

	items, err := c.Search(ctx, content.SearchRequest{
		Filter: content.SearchFilter{Kind: "a b/c", IDs: []int64{1, 2}},
		Where:  &content.SearchWhere{Name: runtime.Some("x&y<z"), Price: runtime.Some(1.5)},
		IDs:    []int64{1, 2, 3},
		XMeta:  map[string]string{"k": "é<", "a": "𝄞"},
		Prefs:  []string{"a b", "c,d", "50%"},
		Q:      runtime.Some(`{"raw":1}`),
	})
	if err != nil || len(items) != 1 || items[0].Name != "pen" {
		t.Fatalf("Search = %+v, %v", items, err)
	}
	got := rec.one(t)
	const (
		path = `/search/%7B%22ids%22:%5B1%2C2%5D%2C%22kind%22:%22a%20b%2Fc%22%7D`
		// HTML characters stay literal in the JSON text, in runtime.Opt fields too.
		query  = `where=%7B%22name%22%3A%22x%26y%3Cz%22%2C%22price%22%3A1.5%7D&ids=%5B1%2C2%2C3%5D&q=%7B%22raw%22%3A1%7D`
		meta   = `{"a":"\ud834\udd1e","k":"\u00e9<"}`
		cookie = `prefs=[%22a%20b%22%2C%22c%2Cd%22%2C%2250%25%22]`
	)
	if got.RequestURI != path+"?"+query {
		t.Errorf("request target\n got %s\nwant %s", got.RequestURI, path+"?"+query)
	}
	if got.Meta != meta {
		t.Errorf("X-Meta = %s, want %s", got.Meta, meta)
	}
	if got.Cookie != cookie {
		t.Errorf("Cookie = %s, want %s", got.Cookie, cookie)
	}

	// What the server decodes is what the caller sent.
	u, _ := url.Parse(got.RequestURI)
	var filter content.SearchFilter
	decodeJSONText(t, strings.TrimPrefix(u.Path, "/search/"), &filter)
	if !reflect.DeepEqual(filter, content.SearchFilter{Kind: "a b/c", IDs: []int64{1, 2}}) {
		t.Errorf("filter = %+v", filter)
	}
	var where content.SearchWhere
	decodeJSONText(t, u.Query().Get("where"), &where)
	if where.Name.Value != "x&y<z" || where.Price.Value != 1.5 {
		t.Errorf("where = %+v", where)
	}
	var metaBack map[string]string
	decodeJSONText(t, got.Meta, &metaBack)
	if metaBack["k"] != "é<" || metaBack["a"] != "𝄞" {
		t.Errorf("X-Meta decodes to %v", metaBack)
	}
	cv, _ := url.PathUnescape(strings.TrimPrefix(got.Cookie, "prefs="))
	var prefs []string
	decodeJSONText(t, cv, &prefs)
	if !reflect.DeepEqual(prefs, []string{"a b", "c,d", "50%"}) {
		t.Errorf("prefs = %q", prefs)
	}

	// Absent optional parameters send nothing.
	if _, err := c.Search(ctx, content.SearchRequest{Filter: content.SearchFilter{Kind: "k"}, IDs: []int64{7}}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	if got.RequestURI != `/search/%7B%22kind%22:%22k%22%7D?ids=%5B7%5D` || got.Meta != "" || got.Cookie != "" {
		t.Errorf("absent parameters sent: %+v", got)
	}

	// The parameter's schema is checked before sending.
	_, err = c.Search(ctx, content.SearchRequest{Filter: content.SearchFilter{Kind: "k"}, IDs: []int64{1, 2, 3, 4}})
	if got := violations(t, err); !reflect.DeepEqual(got, []string{"/query/ids"}) {
		t.Errorf("violations = %v", got)
	}
	// A value encoding/json refuses fails the call, naming the parameter.
	_, err = c.Search(ctx, content.SearchRequest{Filter: content.SearchFilter{Kind: "k"}, IDs: []int64{1},
		Where: &content.SearchWhere{Price: runtime.Some(math.Inf(1))}})
	if err == nil || !strings.Contains(err.Error(), `search: encoding request: query parameter "where"`) {
		t.Errorf("Inf price: %v", err)
	}
	if got := rec.take(); len(got) != 0 {
		t.Errorf("invalid requests were sent: %+v", got)
	}
}

func decodeJSONText(t *testing.T, text string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
}

// patternProperties: members beyond the declared ones, encoded inline,
// decoded back, and validated by name pattern.
func TestContentPatternProperties(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/shapes" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"t1","tag_b":7,"labels":{"x-y":"z"}}`)
	})
	c := contentClient(t, rec)
	ctx := context.Background()

	out, err := c.PutTagged(ctx, content.PutTaggedRequest{Body: content.Tagged{
		ID: "t1", Labels: content.Labels{"n_1": "abc", "x-a": "v"}, AdditionalProperties: map[string]int64{"tag_a": 3}}})
	if err != nil {
		t.Fatal(err)
	}
	wire(t, rec.one(t), "PUT", "/tagged", "application/json", `{"id":"t1","labels":{"n_1":"abc","x-a":"v"},"tag_a":3}`)
	want := &content.Tagged{ID: "t1", Labels: content.Labels{"x-y": "z"}, AdditionalProperties: map[string]int64{"tag_b": 7}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("decoded %+v", out)
	}

	// Names matching no pattern where additionalProperties is false, and
	// values breaking the schema of the pattern their name matches.
	_, err = c.PutTagged(ctx, content.PutTaggedRequest{Body: content.Tagged{
		ID:                   "t2",
		Labels:               content.Labels{"bad": "x", "n_1": "ABC", "n_2": "ok", "x-a": "toolong"},
		AdditionalProperties: map[string]int64{"tag_a": -1, "other": -1}}})
	if got, want := violations(t, err), []string{"/body/labels/bad", "/body/labels/n_1", "/body/labels/x-a", "/body/tag_a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("violations = %v, want %v", got, want)
	}

	err = c.PostShapes(ctx, content.PostShapesRequest{Body: content.PostShapesBody{
		Mixed:      &content.Mixed{ID: runtime.Some("m"), AdditionalProperties: map[string]any{"s_a": "x", "n_b": 2}},
		Lookaround: content.Lookaround{"zzz": "not checked", "ok": "abc"},
		Rest:       &content.WithRest{AdditionalProperties: map[string]string{"p_a": "x", "p_b": "long enough", "other": "long", "o": "ok"}},
	}})
	if got, want := violations(t, err), []string{"/body/lookaround/ok", "/body/rest/other", "/body/rest/p_a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("violations = %v, want %v", got, want)
	}
	if got := rec.take(); len(got) != 0 {
		t.Errorf("invalid requests were sent: %+v", got)
	}

	err = c.PostShapes(ctx, content.PostShapesRequest{Body: content.PostShapesBody{
		Mixed:      &content.Mixed{ID: runtime.Some("m"), AdditionalProperties: map[string]any{"s_a": "x", "n_b": 2}},
		Lookaround: content.Lookaround{"zzz": "any", "ok": "ab"},
		Rest:       &content.WithRest{AdditionalProperties: map[string]string{"p_b": "long enough", "o": "ok"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	wire(t, rec.one(t), "POST", "/shapes", "application/json",
		`{"lookaround":{"ok":"ab","zzz":"any"},"mixed":{"id":"m","n_b":2,"s_a":"x"},"rest":{"o":"ok","p_b":"long enough"}}`)
}

// wire checks one received request exactly.
func wire(t *testing.T, got seen, method, target, contentType, body string) {
	t.Helper()
	if got.Method != method || got.RequestURI != target || got.ContentType != contentType || string(got.Body) != body {
		t.Errorf("server received %s %s (%s) %q\n                  want %s %s (%s) %q",
			got.Method, got.RequestURI, got.ContentType, got.Body, method, target, contentType, body)
	}
}
