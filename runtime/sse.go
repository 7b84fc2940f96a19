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

// DefaultMaxEventBytes is the default cap on one server-sent event: 8 MiB
// ([WithMaxEventBytes]).
const DefaultMaxEventBytes = 8 << 20

// ErrEventTooLarge matches an [*EventTooLargeError].
var ErrEventTooLarge = errors.New("runtime: server-sent event exceeds the size limit")

// EventTooLargeError ends an [EventStream] whose event (its lines up to the
// blank line, comments excluded, each line end one byte) or one line is
// longer than Limit.
type EventTooLargeError struct {
	Limit int64 // bytes
}

// Error returns e.g. "runtime: server-sent event exceeds ... (8388608 bytes)".
func (e *EventTooLargeError) Error() string {
	return fmt.Sprintf("%v (%d bytes)", ErrEventTooLarge, e.Limit)
}

// Is reports whether target is ErrEventTooLarge.
func (e *EventTooLargeError) Is(target error) bool { return target == ErrEventTooLarge }

// WithMaxEventBytes caps one server-sent event, in bytes (default
// [DefaultMaxEventBytes]); n < 0 means 0.
func WithMaxEventBytes(n int64) Option {
	return func(s *Settings) { s.maxEvent = max(n, 0) }
}

// Event is one server-sent event (HTML Living Standard §9.2).
type Event struct {
	ID    string        // the stream's last "id" so far, or ""
	Event string        // the "event" field, or "message"
	Data  string        // the "data" fields joined by "\n"
	Retry time.Duration // the stream's last "retry" (at most MaxServerDelay), or 0
}

// EventStream reads server-sent events from a text/event-stream body:
// range over All, or loop on Next, Event and Err, and Close it. Reading
// ends with the caller's ctx. It is not safe for concurrent use.
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

// NewEventStream parses body as text/event-stream.
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

// Next reads the next event; false at the end or on error.
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

// Close closes the body; Next then returns false.
func (s *EventStream) Close() error {
	if s.done {
		return nil
	}
	s.done = true
	return s.body.Close()
}

// All iterates over the events; an error comes last. It closes the body.
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
