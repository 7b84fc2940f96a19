package runtime

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// bodySource hands out the request body for each attempt.
type bodySource interface {
	// next returns the body for the next attempt (nil for none).
	next() (io.Reader, error)
	// replayable reports whether next may be called more than once.
	replayable() bool
}

// newBodySource wraps the body of a call. Bodies from SetJSONBody and
// SetFormBody, and SetBody readers of type *bytes.Reader, *bytes.Buffer and
// *strings.Reader are replayed from a snapshot; other io.Seekers are rewound;
// any other reader is sent once and the call is never retried.
func newBodySource(body io.Reader) (bodySource, error) {
	switch b := body.(type) {
	case nil:
		return bytesSource(nil), nil
	case *bytes.Buffer:
		if b == nil {
			return bytesSource(nil), nil
		}
		return bytesSource(b.Bytes()), nil
	case *bytes.Reader:
		if b == nil {
			return bytesSource(nil), nil
		}
		return &bytesReaderSource{snapshot: *b}, nil
	case *strings.Reader:
		if b == nil {
			return bytesSource(nil), nil
		}
		return &stringsReaderSource{snapshot: *b}, nil
	}
	if body == http.NoBody {
		return bytesSource(nil), nil
	}
	if rs, ok := body.(io.ReadSeeker); ok {
		return newSeekSource(rs)
	}
	return &onceSource{r: body}, nil
}

// bytesSource replays a byte slice; nil means no body.
type bytesSource []byte

func (b bytesSource) next() (io.Reader, error) {
	if b == nil {
		return nil, nil
	}
	return bytes.NewReader(b), nil
}

func (bytesSource) replayable() bool { return true }

// bytesReaderSource replays a copy of a *bytes.Reader taken before the first
// read, as net/http does for GetBody; copies share the bytes, not the offset.
type bytesReaderSource struct{ snapshot bytes.Reader }

func (s *bytesReaderSource) next() (io.Reader, error) {
	r := s.snapshot
	return &r, nil
}

func (*bytesReaderSource) replayable() bool { return true }

// stringsReaderSource is bytesReaderSource for a *strings.Reader.
type stringsReaderSource struct{ snapshot strings.Reader }

func (s *stringsReaderSource) next() (io.Reader, error) {
	r := s.snapshot
	return &r, nil
}

func (*stringsReaderSource) replayable() bool { return true }

// onceSource is a reader that cannot be replayed.
type onceSource struct{ r io.Reader }

func (s *onceSource) next() (io.Reader, error) { return s.r, nil }

func (*onceSource) replayable() bool { return false }

// errStaleBody is what an earlier attempt's body reads once a retry has
// rewound the shared reader (the transport may still hold that attempt).
var errStaleBody = errors.New("runtime: request body was rewound for a retry")

// seekSource rewinds an io.ReadSeeker to where it stood at the start of the
// call. Each attempt reads through its own generation; reads from an older
// generation fail, so a transport still sending an abandoned attempt cannot
// race with the retry.
type seekSource struct {
	mu    sync.Mutex
	r     io.ReadSeeker
	start int64
	gen   int
}

func newSeekSource(r io.ReadSeeker) (*seekSource, error) {
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	return &seekSource{r: r, start: start}, nil
}

func (s *seekSource) next() (io.Reader, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	if s.gen > 1 {
		if _, err := s.r.Seek(s.start, io.SeekStart); err != nil {
			return nil, err
		}
	}
	return &seekAttempt{src: s, gen: s.gen}, nil
}

func (*seekSource) replayable() bool { return true }

// seekAttempt is one attempt's view of a seekSource.
type seekAttempt struct {
	src *seekSource
	gen int
}

func (a *seekAttempt) Read(p []byte) (int, error) {
	a.src.mu.Lock()
	defer a.src.mu.Unlock()
	if a.src.gen != a.gen {
		return 0, errStaleBody
	}
	return a.src.r.Read(p)
}
