package runtime_test

import (
	"io"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

// BenchmarkEventStreamNext parses a stream of 1,000 typical events (an id,
// an event type, two data lines of JSON, a comment every tenth event).
func BenchmarkEventStreamNext(b *testing.B) {
	var sb strings.Builder
	for i := range 1000 {
		if i%10 == 0 {
			sb.WriteString(": keep-alive\n")
		}
		sb.WriteString("id: 42\nevent: delta\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hello, world\"}}],\ndata: \"model\":\"m-1\"}\n\n")
	}
	stream := sb.String()
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		s := runtime.NewEventStream(io.NopCloser(strings.NewReader(stream)))
		n := 0
		for s.Next() {
			n++
		}
		if n != 1000 || s.Err() != nil {
			b.Fatalf("%d events, %v", n, s.Err())
		}
	}
}
