package golden

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	petstore "github.com/connectorgen/connectorgen/golden/petstore/want"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// pets returns n Petstore pets with every member set, as JSON, the payload
// of the codec benchmarks (the peers' harness, ../shared/tools/codec-bench,
// measures the same shape beside ogen and oapi-codegen).
func pets(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"pet %d","tag":"dog","status":"available","birthday":"2020-02-29",`+
			`"createdAt":"2024-01-02T03:04:05Z","nickname":null,"vaccinations":[]}`, i, i)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// TestPetsRoundTrip checks the benchmarks' payload decodes and encodes
// back to the same JSON.
func TestPetsRoundTrip(t *testing.T) {
	doc := pets(3)
	var ps []petstore.Pet
	if err := rtimpl.Unmarshal(doc, &ps); err != nil {
		t.Fatal(err)
	}
	out, err := rtimpl.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(out, doc) {
		t.Errorf("pets re-encoded as\n%s\nwant\n%s", out, doc)
	}
	if ps[1].CreatedAt.Value != time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) || !ps[1].Nickname.Null {
		t.Errorf("pet decoded as %+v", ps[1])
	}
}

// BenchmarkPets decodes and encodes 100 Petstore pets through the
// generated types: the runtime's decoder and encoder (as a response and a
// request body are), and encoding/json calling the types' methods.
func BenchmarkPets(b *testing.B) {
	doc := pets(100)
	var ps []petstore.Pet
	if err := rtimpl.Unmarshal(doc, &ps); err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			var v []petstore.Pet
			if err := rtimpl.Unmarshal(doc, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if _, err := rtimpl.Marshal(ps); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode-encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if _, err := json.Marshal(ps); err != nil {
				b.Fatal(err)
			}
		}
	})
}
