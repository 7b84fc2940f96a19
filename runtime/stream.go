package runtime

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
)

// StreamResponse asks [Client.Do] to leave the body of a 2xx response open
// instead of reading it into Response.Body: the caller takes it with
// [Response.Stream] and must close it (or call [Response.Close]).
// Generated methods use it for binary media and text/event-stream.
//
// A streamed body is not limited by [WithMaxResponseBytes] and is never
// buffered. Retries still apply until the response headers arrive, and the
// per-attempt timeout ([WithTimeout]) covers only that part: once the
// headers are in, the body is read under the caller's ctx, so bound long
// downloads with a ctx deadline. Closing the body releases the request's
// context. Error statuses (>= 300) are read and closed as without
// StreamResponse, so [Response.Error] works the same.
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

// Streamed reports whether the body is still open: the response is a 2xx
// to a request sent with [Request.StreamResponse] and neither [Response.Stream]
// nor a method reading the body has been called.
func (r *Response) Streamed() bool { return r.stream != nil }

// Stream hands the body over to the caller, who must close it. For a
// streamed response ([Request.StreamResponse]) it is the open network body,
// read without any size limit; otherwise a reader over Body. After the first
// call, the response no longer owns the body: [Response.Close] leaves it
// open and later calls return an empty reader.
func (r *Response) Stream() io.ReadCloser {
	if r.stream != nil {
		s := r.stream
		r.stream = nil
		return s
	}
	return io.NopCloser(bytes.NewReader(r.Body))
}

// Close closes a streamed body the response still owns, i.e. one not handed
// over by [Response.Stream]; it does nothing otherwise. Generated code
// defers it so that no path leaks a connection.
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
