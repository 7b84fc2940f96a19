package golden

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	streaming "github.com/connectorgen/connectorgen/golden/streaming/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The generated streaming methods (the golden "streaming" case) on the wire.
func TestGeneratedStreaming(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/files/big":
			io.WriteString(w, "first")
			w.(http.Flusher).Flush()
			<-release
			io.WriteString(w, "-rest")
		case "/files/missing":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"no such file"}`)
		case "/reports/r1":
			w.Header().Set("X-Checksum", "abc")
			io.WriteString(w, "%PDF")
		case "/reports/r2":
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"retryAfter":3}`)
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, ": hello\nid: 7\nevent: tick\ndata: a\ndata: b\n\ndata: c\n\n")
		}
	}))
	defer srv.Close()
	c, err := streaming.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	body, err := c.DownloadFile(ctx, streaming.DownloadFileRequest{Name: "big"})
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 5)
	if _, err := io.ReadFull(body, first); err != nil || string(first) != "first" {
		t.Fatalf("first chunk before the server finished: %q, %v", first, err)
	}
	close(release)
	rest, err := io.ReadAll(body)
	if err != nil || string(rest) != "-rest" {
		t.Fatalf("rest = %q, %v", rest, err)
	}
	body.Close()

	_, err = c.DownloadFile(ctx, streaming.DownloadFileRequest{Name: "missing"})
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Detail.(*streaming.Problem).Message.Value != "no such file" {
		t.Fatalf("404: %v", err)
	}

	rep, err := c.GetReport(ctx, streaming.GetReportRequest{ID: "r1"})
	if err != nil || rep.OK == nil || rep.XChecksum.Value != "abc" {
		t.Fatalf("GetReport 200: %+v, %v", rep, err)
	}
	if b, _ := io.ReadAll(rep.OK); string(b) != "%PDF" {
		t.Errorf("report body %q", b)
	}
	rep.OK.Close()
	rep, err = c.GetReport(ctx, streaming.GetReportRequest{ID: "r2"})
	if err != nil || rep.StatusCode != 202 || rep.OK != nil || rep.Accepted == nil {
		t.Fatalf("GetReport 202: %+v, %v", rep, err)
	}

	s, err := c.WatchEvents(ctx, streaming.WatchEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []runtime.Event
	for ev, err := range s.All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	if len(got) != 2 || got[0] != (runtime.Event{ID: "7", Event: "tick", Data: "a\nb"}) ||
		got[1] != (runtime.Event{ID: "7", Event: "message", Data: "c"}) {
		t.Errorf("events = %+v", got)
	}
}
