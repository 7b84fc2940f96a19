package rtimpl

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

func TestMultipartBodyStreamsParts(t *testing.T) {
	type upload struct {
		Title  string                      `json:"title"`
		Tags   []string                    `json:"tags,omitzero"`
		Note   runtime.Opt[string]         `json:"note,omitzero"`
		Photo  runtime.File                `json:"photo"`
		Extras []runtime.File              `json:"extras,omitzero"`
		Meta   runtime.Opt[map[string]int] `json:"meta,omitzero"`
	}
	got := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			t.Errorf("not multipart: %v", err)
			return
		}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			b, _ := io.ReadAll(p)
			got[p.FormName()+"|"+p.FileName()+"|"+p.Header.Get("Content-Type")] += string(b)
		}
		w.WriteHeader(204)
	}))
	defer srv.Close()
	c, _ := runtime.NewClient(srv.URL, nil)
	r := runtime.NewRequest(&runtime.Operation{ID: "upload", Method: "POST", Path: "/"}, "/")
	SetMultipartBody(r, upload{
		Title: "cat", Tags: []string{"a", "b"}, Photo: runtime.File{Name: "cat.png", ContentType: "image/png", Content: strings.NewReader("PNG")},
		Extras: []runtime.File{{Content: strings.NewReader("x1")}, {Content: strings.NewReader("x2")}},
		Meta:   runtime.Some(map[string]int{"w": 1}),
	})
	if _, err := c.Do(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"title||":                              "cat",
		"tags||":                               "ab",
		"photo|cat.png|image/png":              "PNG",
		"extras|file|application/octet-stream": "x1x2",
		"meta||application/json":               `{"w":1}`,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("part %s = %q, want %q (all: %q)", k, got[k], v, got)
		}
	}
	if _, ok := got["note||"]; ok {
		t.Error("absent optional field sent")
	}
}
