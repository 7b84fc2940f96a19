package runtime

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxEventBytes is the default cap, in bytes, on one server-sent
// event read by an [EventStream]: 8 MiB. See [WithMaxEventBytes].
const DefaultMaxEventBytes = 8 << 20

// MaxEventLineBytes was the cap on one line of a text/event-stream.
//
// Deprecated: lines are bounded by the event cap ([DefaultMaxEventBytes],
// [WithMaxEventBytes]); this constant is not used.
const MaxEventLineBytes = DefaultMaxEventBytes

// ErrEventTooLarge is matched with errors.Is by the error that ends an
// [EventStream] whose server sent an event larger than the cap (an
// [*EventTooLargeError]).
var ErrEventTooLarge = errors.New("runtime: server-sent event exceeds the size limit")

// EventTooLargeError ends an [EventStream] when the lines of one event
// (every line up to the blank line that dispatches it, comments excluded,
// each line end counted as one byte) add up to more than Limit bytes, or
// one line (a comment included) is longer than Limit: a server that sends
// "data:" lines and never the blank line that ends the event cannot make
// the reader buffer, or read, without bound. errors.Is matches
// [ErrEventTooLarge].
type EventTooLargeError struct {
	// Limit is the cap in bytes ([WithMaxEventBytes]).
	Limit int64
}

// Error returns e.g. "runtime: server-sent event exceeds the size limit
// (8388608 bytes)".
func (e *EventTooLargeError) Error() string {
	return fmt.Sprintf("%v (%d bytes)", ErrEventTooLarge, e.Limit)
}

// Is reports whether target is ErrEventTooLarge.
func (e *EventTooLargeError) Is(target error) bool { return target == ErrEventTooLarge }

// WithMaxEventBytes caps, in bytes, one server-sent event read by the
// [EventStream] of a streamed response (default [DefaultMaxEventBytes],
// 8 MiB): the bytes of its lines, comments excluded, each line end counted
// as one byte. A larger event ends the stream with an
// [*EventTooLargeError]. n < 0 is treated as 0.
func WithMaxEventBytes(n int64) Option {
	return func(s *Settings) { s.maxEvent = max(n, 0) }
}

// Event is one server-sent event (HTML Living Standard §9.2, "Server-sent
// events").
type Event struct {
	// ID is the last event ID: the value of the latest "id" field seen in
	// the stream so far (it carries over to later events), or "".
	ID string
	// Event is the event type: the "event" field, or "message" when the
	// event had none.
	Event string
	// Data is the "data" fields of the event joined by "\n".
	Data string
	// Retry is the reconnection time the stream last set with a "retry"
	// field (milliseconds, saturated to [0, MaxServerDelay]), or 0.
	// Reconnection is left to the caller.
	Retry time.Duration
}

// EventStream reads server-sent events from a text/event-stream body.
// Generated methods return one for text/event-stream responses; the caller
// must Close it (closing is safe after the end and more than once):
//
//	s, err := c.Watch(ctx, req)
//	if err != nil { ... }
//	defer s.Close()
//	for ev, err := range s.All() {
//		if err != nil { ... }
//		...
//	}
//
// or, without range-over-func, for s.Next() { ev := s.Event() }; s.Err().
// Reading stops with an error when the caller's ctx ends; a stream that ends
// without a blank line drops its unfinished event, as the standard says.
// An event larger than the cap ([WithMaxEventBytes], default 8 MiB) ends
// the stream with an [*EventTooLargeError]. An EventStream is not safe for
// concurrent use.
type EventStream struct {
	body    io.ReadCloser
	sc      *bufio.Scanner
	max     int64 // cap on one event
	ev      Event
	err     error
	lastID  string
	retry   time.Duration
	started bool
	done    bool
}

// NewEventStream parses body as text/event-stream; closing the stream
// closes body. Events are capped at the [WithMaxEventBytes] of the call
// when body comes from [Response.Stream] of a streamed response, else at
// [DefaultMaxEventBytes].
func NewEventStream(body io.ReadCloser) *EventStream {
	limit := int64(DefaultMaxEventBytes)
	if sb, ok := body.(*streamBody); ok {
		limit = sb.maxEvent
	}
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 4096), int(min(limit, math.MaxInt32-1)+1))
	sc.Split(scanEventLines)
	return &EventStream{body: body, sc: sc, max: limit}
}

// Next reads up to the next event and reports whether there is one; at the
// end of the stream or on error it returns false and closes the body.
func (s *EventStream) Next() bool {
	if s.done {
		return false
	}
	var data strings.Builder
	hasData, typ := false, ""
	size := int64(0) // of the event's lines so far
	for s.sc.Scan() {
		line := s.sc.Bytes()
		if !s.started {
			s.started = true
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(line) == 0 { // dispatch
			if !hasData {
				typ, size = "", 0
				continue
			}
			if typ == "" {
				typ = "message"
			}
			d := data.String()
			s.ev = Event{ID: s.lastID, Event: typ, Data: d[:len(d)-1], Retry: s.retry}
			return true
		}
		if line[0] == ':' {
			continue // comment
		}
		if size += int64(len(line)) + 1; size > s.max {
			s.err = &EventTooLargeError{Limit: s.max}
			s.Close()
			return false
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			value = bytes.TrimPrefix(value, []byte(" "))
		}
		switch string(field) {
		case "event":
			typ = string(value)
		case "data":
			hasData = true
			data.Write(value)
			data.WriteByte('\n')
		case "id":
			if bytes.IndexByte(value, 0) < 0 {
				s.lastID = string(value)
			}
		case "retry":
			if digitsOnly(value) {
				// Too many digits is a range error returning MaxInt64: saturated.
				ms, _ := strconv.ParseInt(string(value), 10, 64)
				s.retry = serverIntDuration(ms, time.Millisecond)
			}
		}
	}
	s.err = s.sc.Err()
	if errors.Is(s.err, bufio.ErrTooLong) {
		s.err = &EventTooLargeError{Limit: s.max}
	}
	s.Close()
	return false
}

func digitsOnly(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// Event returns the event read by the last successful Next.
func (s *EventStream) Event() Event { return s.ev }

// Err returns the error that ended the stream, or nil at a clean end.
func (s *EventStream) Err() error { return s.err }

// Close closes the body; later calls of Next return false.
func (s *EventStream) Close() error {
	if s.done {
		return nil
	}
	s.done = true
	return s.body.Close()
}

// All iterates over the remaining events; a read error is yielded once,
// with a zero Event, as the last pair. The body is closed when the loop
// ends, whether by the end of the stream, an error or a break.
func (s *EventStream) All() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		defer s.Close()
		for s.Next() {
			if !yield(s.ev, nil) {
				return
			}
		}
		if s.err != nil {
			yield(Event{}, s.err)
		}
	}
}

// scanEventLines splits on CRLF, LF or a lone CR (the standard's end of
// line), also at the end of the input.
func scanEventLines(data []byte, atEOF bool) (int, []byte, error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0:
		if atEOF && len(data) > 0 {
			return len(data), nil, nil // an unfinished line ends an unfinished event: dropped
		}
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data):
		if data[i+1] == '\n' {
			return i + 2, data[:i], nil
		}
		return i + 1, data[:i], nil
	case atEOF:
		return i + 1, data[:i], nil
	}
	return 0, nil, nil // a CR at the end of the buffer: is an LF next?
}
