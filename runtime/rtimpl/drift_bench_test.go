package rtimpl

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

// BenchmarkDecodeTolerance compares a strict decode (UnmarshalContext)
// with the tolerant one DecodeJSON makes by default, on a body that
// matches its types (the common case) and on one whose every item drifts.
func BenchmarkDecodeTolerance(b *testing.B) {
	type owner struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	type pet struct {
		ID    int64                 `json:"id"`
		Name  string                `json:"name"`
		Tags  []int                 `json:"tags"`
		Born  time.Time             `json:"born"`
		Price runtime.Opt[float64]  `json:"price,omitzero"`
		Owner *owner                `json:"owner"`
		Nick  runtime.Nullable[int] `json:"nick,omitzero"`
	}
	item := `{"id":7,"name":"rex","tags":[1,2,3],"born":"2020-01-01T00:00:00Z","price":0.5,"owner":{"name":"a","age":3},"nick":null}`
	good := []byte("[" + strings.TrimSuffix(strings.Repeat(item+",", 100), ",") + "]")
	bad := []byte(strings.ReplaceAll(string(good), `"tags":[1,2,3]`, `"tags":["1",2,3]`))
	ctx := context.Background()
	for _, body := range []struct {
		name string
		data []byte
	}{{"matching", good}, {"drifting", bad}} {
		b.Run(body.name+"/strict", func(b *testing.B) {
			b.SetBytes(int64(len(body.data)))
			b.ReportAllocs()
			for b.Loop() {
				var out []pet
				_ = UnmarshalContext(ctx, body.data, &out)
			}
		})
		b.Run(body.name+"/tolerant", func(b *testing.B) {
			b.SetBytes(int64(len(body.data)))
			b.ReportAllocs()
			for b.Loop() {
				var out []pet
				if _, _, err := unmarshalTolerant(ctx, body.data, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
