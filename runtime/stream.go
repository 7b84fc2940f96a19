package runtime

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
)

// StreamResponse makes Do leave a 2xx body open, unbuffered and
// unlimited, for [Response.Stream]; the per-attempt timeout then ends with
// the headers, the caller's ctx bounds the body.
func (r *Request) StreamResponse() { r.stream = true }

// open wraps the still-open body of a streamed 2xx response; cancel ends
// the request's context and runs when the body is closed.
func (x exchange) open(resp *http.Response, s *Settings, cancel context.CancelFunc) *Response {
	body := &streamBody{rc: resp.Body, cancel: cancel, maxEvent: s.maxEvent}
	if s.rawResponse != nil {
		raw := *resp
		raw.Body = http.NoBody // the body belongs to the caller of Stream
		*s.rawResponse = &raw
	}
	return &Response{
		StatusCode: resp.StatusCode, Status: statusText(resp), Header: resp.Header,
		exchange: x, stream: body, limit: s.maxResponse,
	}
}

// streamBody is a streamed response body whose Close also releases the
// request's context.
type streamBody struct {
	rc       io.ReadCloser
	cancel   context.CancelFunc
	once     sync.Once
	maxEvent int64 // WithMaxEventBytes, for NewEventStream
}

func (b *streamBody) Read(p []byte) (int, error) { return b.rc.Read(p) }

func (b *streamBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.cancel)
	return err
}

// Streamed reports whether a streamed body is open and not handed over.
func (r *Response) Streamed() bool { return r.stream != nil }

// Stream hands the body to the caller, who must close it: the open body
// of a streamed response, else a reader over Body.
func (r *Response) Stream() io.ReadCloser {
	if r.stream != nil {
		s := r.stream
		r.stream = nil
		return s
	}
	return io.NopCloser(bytes.NewReader(r.Body))
}

// Close closes a streamed body not handed over by [Response.Stream].
func (r *Response) Close() error {
	if r == nil || r.stream == nil {
		return nil
	}
	s := r.stream
	r.stream = nil
	return s.Close()
}

// buffer reads a streamed body into Body (up to the WithMaxResponseBytes
// limit in force for the call) so DecodeJSON and Text work on it.
func (r *Response) buffer() error {
	if r.stream == nil {
		return nil
	}
	s := r.stream
	r.stream = nil
	defer s.Close()
	body, truncated, err := readCapped(s, r.limit, -1)
	r.Body = body
	switch {
	case err != nil:
		return r.exchange.transportError(err)
	case truncated:
		return ErrResponseTooLarge
	}
	return nil
}
