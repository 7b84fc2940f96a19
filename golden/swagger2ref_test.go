package golden

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"testing"

	swagger2ref "github.com/connectorgen/connectorgen/golden/swagger2-ref/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The generated "swagger2-ref" case on the wire: a Swagger 2.0 spec whose
// "swagger" key comes last, after 4 KiB (as in Kubernetes), with body and
// formData parameters shared through the top-level parameters section.
// Every such parameter goes out in the request body, in the operation's
// own consumes media types, and never as a cookie.

func swagger2refClient(t *testing.T, rec *recorder) *swagger2ref.Client {
	t.Helper()
	c, err := swagger2ref.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// widgetServer answers every request with the widget "w1".
func widgetServer(t *testing.T) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost && r.URL.Path == "/widgets" {
			w.WriteHeader(http.StatusCreated)
		}
		io.WriteString(w, `{"name":"w1","size":3}`)
	})
}

// noCookie fails when a request carried a cookie: the bug sent $ref'd
// body parameters as one.
func noCookie(t *testing.T, got seen) {
	t.Helper()
	if got.Cookie != "" {
		t.Errorf("%s %s sent Cookie %q", got.Method, got.RequestURI, got.Cookie)
	}
}

// A $ref'd body parameter is the request body, in the operation's
// consumes: the preferred JSON Patch media type and one method for each
// other media type, Kubernetes' PATCH.
func TestSwagger2RefPatchBody(t *testing.T) {
	rec := widgetServer(t)
	c := swagger2refClient(t, rec)
	ctx := context.Background()
	want := &swagger2ref.Widget{Name: "w1", Size: runtime.Some[int32](3)}

	w, err := c.PatchWidget(ctx, swagger2ref.PatchWidgetRequest{Name: "w1", Pretty: runtime.Some("true"),
		Body: swagger2ref.Patch{"size": 3}})
	if err != nil || !reflect.DeepEqual(w, want) {
		t.Fatalf("PatchWidget = %+v, %v", w, err)
	}
	got := rec.one(t)
	wire(t, got, "PATCH", "/widgets/w1?pretty=true", "application/json-patch+json", `{"size":3}`)
	noCookie(t, got)

	w, err = c.PatchWidgetWithMergePatchJSON(ctx, swagger2ref.PatchWidgetWithMergePatchJSONRequest{Name: "w1",
		Body: swagger2ref.Patch{"labels": map[string]any{"tier": "<gold & silver>"}}})
	if err != nil || !reflect.DeepEqual(w, want) {
		t.Fatalf("PatchWidgetWithMergePatchJSON = %+v, %v", w, err)
	}
	got = rec.one(t)
	wire(t, got, "PATCH", "/widgets/w1", "application/merge-patch+json", `{"labels":{"tier":"<gold & silver>"}}`)
	noCookie(t, got)

	if _, err = c.PatchWidgetWithStrategicMergePatchJSON(ctx, swagger2ref.PatchWidgetWithStrategicMergePatchJSONRequest{Name: "w1",
		Body: swagger2ref.Patch{"size": 4}}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	wire(t, got, "PATCH", "/widgets/w1", "application/strategic-merge-patch+json", `{"size":4}`)
	noCookie(t, got)

	const apply = "name: w1\nsize: 5\n"
	if _, err = c.PatchWidgetWithApplyPatchYAML(ctx, swagger2ref.PatchWidgetWithApplyPatchYAMLRequest{Name: "w1",
		Body: strings.NewReader(apply)}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	wire(t, got, "PATCH", "/widgets/w1", "application/apply-patch+yaml", apply)
	noCookie(t, got)
}

// The same shared body parameter serves POST and PUT, typed by the
// definition it refers to.
func TestSwagger2RefSharedBody(t *testing.T) {
	rec := widgetServer(t)
	c := swagger2refClient(t, rec)
	ctx := context.Background()

	if _, err := c.CreateWidget(ctx, swagger2ref.CreateWidgetRequest{Body: swagger2ref.Widget{Name: "w1"}}); err != nil {
		t.Fatal(err)
	}
	got := rec.one(t)
	wire(t, got, "POST", "/widgets", "application/json", `{"name":"w1"}`)
	noCookie(t, got)

	if _, err := c.ReplaceWidget(ctx, swagger2ref.ReplaceWidgetRequest{Name: "w1", Body: swagger2ref.Widget{Name: "w1", Size: runtime.Some[int32](2)}}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	wire(t, got, "PUT", "/widgets/w1", "application/json", `{"name":"w1","size":2}`)
	noCookie(t, got)

	// A body parameter declared on the path item, by $ref, with an inline
	// schema: both operations send it, as one type.
	note := swagger2ref.ReplaceNoteBody{Text: "hello"}
	if err := c.AddNote(ctx, swagger2ref.AddNoteRequest{Name: "w1", Body: note}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	wire(t, got, "POST", "/widgets/w1/notes", "application/json", `{"text":"hello"}`)
	noCookie(t, got)
	if err := c.ReplaceNote(ctx, swagger2ref.ReplaceNoteRequest{Name: "w1", Body: note}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	wire(t, got, "PUT", "/widgets/w1/notes", "application/json", `{"text":"hello"}`)
	noCookie(t, got)
}

// $ref'd formData parameters are fields of the form body: multipart with
// the file, and URL-encoded where the operation declares no consumes. The
// caption stays a string although a definition shares its name.
func TestSwagger2RefFormData(t *testing.T) {
	rec := widgetServer(t)
	c := swagger2refClient(t, rec)
	ctx := context.Background()

	err := c.UploadPhoto(ctx, swagger2ref.UploadPhotoRequest{Name: "w1", Body: swagger2ref.UploadPhotoBody{
		Caption: "a & b", Photo: runtime.File{Name: "w.png", ContentType: "image/png", Content: strings.NewReader("PNG")}}})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.one(t)
	noCookie(t, got)
	mt, params, err := mime.ParseMediaType(got.ContentType)
	if got.Method != "POST" || got.RequestURI != "/widgets/w1/photo" || err != nil || mt != "multipart/form-data" {
		t.Fatalf("server received %s %s (%s)", got.Method, got.RequestURI, got.ContentType)
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
	if want := map[string]string{"photo|w.png|image/png": "PNG", "caption||": "a & b"}; !reflect.DeepEqual(parts, want) {
		t.Errorf("parts = %v", parts)
	}

	if _, err := c.SetLabel(ctx, swagger2ref.SetLabelRequest{Name: "w1", Body: swagger2ref.SetLabelBody{Caption: "a & b"}}); err != nil {
		t.Fatal(err)
	}
	got = rec.one(t)
	wire(t, got, "POST", "/widgets/w1/label", "application/x-www-form-urlencoded", `caption=a%20%26%20b`)
	noCookie(t, got)

	// Form fields under `consumes: [application/json]` (GitLab v3): a form
	// all the same, as Swagger 2.0 allows formData in no other media type.
	if err := c.SetTitle(ctx, swagger2ref.SetTitleRequest{Name: "w1", Body: swagger2ref.SetTitleBody{Title: "x=y"}}); err != nil {
		t.Fatal(err)
	}
	wire(t, rec.one(t), "POST", "/widgets/w1/title", "application/x-www-form-urlencoded", `title=x%3Dy`)
}

// A shared response ($ref to #/responses/...) takes the operation's own
// produces, as Swagger 2.0 means it: Gitea's renderMarkdown answers
// text/html, which the connector streams; it asked for JSON before (and
// Prism answered 406 Not Acceptable).
func TestSwagger2RefSharedResponseInProduces(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>hi</p>")
	})
	c := swagger2refClient(t, rec)
	out, err := c.RenderMarkdown(context.Background(), swagger2ref.RenderMarkdownRequest{Body: runtime.Some("*hi*")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	b, _ := io.ReadAll(out)
	got := rec.one(t)
	if string(b) != "<p>hi</p>" || strings.Contains(got.Accept, "application/json") {
		t.Errorf("body %q, Accept %q; want the HTML, not asked as JSON", b, got.Accept)
	}
}
