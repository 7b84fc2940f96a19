package rtimpl

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

// item4 and list4 are item and list as generated code declares them
// today (generated-code API version 3, the one-pass decoder): UnmarshalJSON parses once (Unmarshal), DecodeFrom reads
// from that parse.
type item4 struct {
	ID                   string                     `json:"id"`
	Tags                 []string                   `json:"tags,omitzero"`
	AdditionalProperties map[string]json.RawMessage `json:"-"`
}

func (v item4) MarshalJSON() ([]byte, error) {
	type plain item4
	return MarshalWithExtra(plain(v), v.AdditionalProperties)
}

func (v *item4) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }

func (v *item4) DecodeFrom(d *Decoder) error {
	type plain item4
	return DecodeObject(d, (*plain)(v), &v.AdditionalProperties)
}

type list4 struct {
	Data                 []item4                    `json:"data"`
	AdditionalProperties map[string]json.RawMessage `json:"-"`
}

func (v *list4) UnmarshalJSON(data []byte) error { return Unmarshal(data, v) }

func (v *list4) DecodeFrom(d *Decoder) error {
	type plain list4
	return DecodeObject(d, (*plain)(v), &v.AdditionalProperties)
}

// TestDecodeFromMatchesUnmarshalWithExtra: the DecodeFrom path decodes
// what the UnmarshalWithExtra one (code generated before it) does, undeclared members included, at every level.
func TestDecodeFromMatchesUnmarshalWithExtra(t *testing.T) {
	doc := []byte(`{"data":[{"id":"a","tags":["x"],"new":{"n":[1,2]}},{"ID":"b","tags":null}],"has_more":false}`)
	var old list
	var now list4
	if err := json.Unmarshal(doc, &old); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc, &now); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(now)
	if string(a) != string(b) || string(now.Data[0].AdditionalProperties["new"]) != `{"n":[1,2]}` ||
		now.Data[1].ID != "b" || string(now.AdditionalProperties["has_more"]) != "false" {
		t.Errorf("UnmarshalWithExtra decodes to %s, DecodeFrom to %s (%+v)", a, b, now)
	}
	if !reflect.DeepEqual(old.Data[0].Tags, now.Data[0].Tags) {
		t.Errorf("tags %v, %v", old.Data[0].Tags, now.Data[0].Tags)
	}
}

// BenchmarkDecodeUndeclaredKeptDecodeFrom is BenchmarkDecodeUndeclaredKept
// with the types generated code declares today (DecodeFrom).
func BenchmarkDecodeUndeclaredKeptDecodeFrom(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var v list4
		if err := json.Unmarshal(benchDoc, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeLoopback is a loopback GET of benchDoc decoded into
// list4 through Client.Do and Response.DecodeJSON (what a generated
// method does), beside a bare http.Client and json.Unmarshal into the
// same shape without undeclared members kept.
func BenchmarkDecodeLoopback(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchDoc)
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	ctx := context.Background()
	b.Run("runtime", func(b *testing.B) {
		op := &runtime.Operation{ID: "listItems", Method: "GET", Idempotent: true}
		c, err := runtime.NewClient(srv.URL, nil, runtime.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			resp, err := c.Do(ctx, runtime.NewRequest(op, "/items"))
			if err != nil {
				b.Fatal(err)
			}
			var v list4
			if err := DecodeJSON(resp, &v); err != nil || len(v.Data) != 20 {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/items", nil)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			var v plainList
			if err != nil || json.Unmarshal(body, &v) != nil || len(v.Data) != 20 {
				b.Fatal(err)
			}
		}
	})
}
