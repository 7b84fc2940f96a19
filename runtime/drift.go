package runtime

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Drift is a response value that does not match the type the spec declares
// (wrong JSON kind, unparseable format). It is left unset, not an error,
// and reported to [Observer.Drift] and the logger; [WithStrictDecoding]
// makes it an error.
type Drift struct {
	Pointer  string          // RFC 6901 pointer into the body, e.g. "/data/3/price"
	Expected string          // the Go type, e.g. "float64", "time.Time"
	Got      string          // the JSON kind: "string", "number", "bool", "object", "array", "null"
	Raw      json.RawMessage // the value's JSON, at most MaxDriftRaw bytes; never logged
}

// DriftEvent reports the drift of one decoded response.
type DriftEvent struct {
	Operation  *Operation
	StatusCode int
	Drift      []Drift // in the order found (an object's absent members after its last one), at most MaxDriftPerResponse
	Total      int     // all of them
}

// MaxDriftPerResponse is how many mismatched values of one response are
// listed in a [DriftEvent] (Total counts the rest); MaxDriftRaw is the
// most bytes of a value's JSON a [Drift] keeps.
const (
	MaxDriftPerResponse = 16
	MaxDriftRaw         = 256
)

// WithStrictDecoding makes [Drift] fail the call with a [*DecodeError].
func WithStrictDecoding() Option { return func(s *Settings) { s.strictDecoding = true } }

// WithResponseValidation checks every decoded response body against the
// spec's constraints (its generated Validate: required members, formats,
// bounds, patterns, enums where closed; of each item of a list) and
// reports each violation as [Drift] with Got "invalid" and Expected the
// violated constraint, beside the values that did not decode; with
// [WithStrictDecoding] a violation fails the call with a [*DecodeError]
// whose cause is the [*ValidationError]. For contract tests
// (runtime/drifttest) and canaries: it costs a walk of the value per call.
func WithResponseValidation() Option { return func(s *Settings) { s.validateResponses = true } }

// reportDrift hands the drift of a decoded response to the observers and,
// when a logger is set, logs one warning per operation and pointer per
// driftLogEvery (the pointer with array indices as "-", so a list of a
// thousand mistyped items is one line).
func (x exchange) reportDrift(status int, drift []Drift, total int) {
	s := x.settings
	if s == nil || total == 0 {
		return
	}
	for i := range s.observers {
		if f := s.observers[i].Drift; f != nil {
			f(x.ctx, DriftEvent{Operation: x.desc, StatusCode: status, Drift: drift, Total: total})
		}
	}
	if s.logger == nil {
		return
	}
	for _, dr := range drift {
		if s.driftLog != nil && !s.driftLog.due(x.op+" "+indexless(dr.Pointer), time.Now()) {
			continue
		}
		s.logger.LogAttrs(x.ctx, slog.LevelWarn, "connectorgen: response value does not match the spec; left unset",
			slog.String("operation", x.op), slog.Int("status", status), slog.String("pointer", dr.Pointer),
			slog.String("expected", dr.Expected), slog.String("got", dr.Got), slog.Int("total", total))
	}
}

// indexless replaces the array indices of a JSON pointer by "-".
func indexless(ptr string) string {
	seg := strings.Split(ptr, "/")
	for i, s := range seg {
		if _, err := strconv.Atoi(s); err == nil && s != "" {
			seg[i] = "-"
		}
	}
	return strings.Join(seg, "/")
}

// driftLogEvery is how often one operation's drift at one place is logged.
const driftLogEvery = time.Minute

// maxDriftKeys bounds a throttle: full, it forgets every key, so a server
// cannot grow it without bound.
const maxDriftKeys = 4096

// throttle remembers when each operation and pointer was last logged; a
// Client has one, shared by its calls.
type throttle struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// due reports whether key was not logged within driftLogEvery of now, and
// if so records now.
func (t *throttle) due(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if last, ok := t.last[key]; ok && now.Sub(last) < driftLogEvery {
		return false
	}
	if len(t.last) >= maxDriftKeys {
		clear(t.last)
	}
	t.last[key] = now
	return true
}
