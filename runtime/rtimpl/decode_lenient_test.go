package rtimpl_test

import (
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// TestDecodeLenientDateTime: a date-time string servers send that is not
// RFC 3339 (no offset, a space for the T, an offset without a colon, a date
// alone) decodes, as UTC where it names no offset; anything else is still
// an error. JSON Schema's format is an annotation, so these are valid
// values of a "format: date-time" string.
func TestDecodeLenientDateTime(t *testing.T) {
	type event struct {
		At   time.Time              `json:"at"`
		Next runtime.Opt[time.Time] `json:"next,omitzero"`
	}
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	for in, want := range map[string]time.Time{
		`2018-01-01T00:01:01Z`:        utc(2018, 1, 1, 0, 1, 1),
		`2018-01-01T00:01:01`:         utc(2018, 1, 1, 0, 1, 1), // Linode
		`2018-01-01T00:01:01.5`:       utc(2018, 1, 1, 0, 1, 1).Add(500 * time.Millisecond),
		`2018-01-01 00:01:01+02:00`:   utc(2017, 12, 31, 22, 1, 1),
		`2018-01-01 00:01:01`:         utc(2018, 1, 1, 0, 1, 1),
		`2018-01-01T00:01:01+0200`:    utc(2017, 12, 31, 22, 1, 1),
		`2019-09-15`:                  utc(2019, 9, 15, 0, 0, 0), // Asana
		`2018-01-01T00:01:01.000000Z`: utc(2018, 1, 1, 0, 1, 1),
	} {
		var e event
		if err := rtimpl.Unmarshal([]byte(`{"at":"`+in+`","next":"`+in+`"}`), &e); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if !e.At.Equal(want) || !e.Next.Set || !e.Next.Value.Equal(want) {
			t.Errorf("%s: got %v and %+v, want %v", in, e.At, e.Next, want)
		}
	}
	for _, in := range []string{``, `yesterday`, `2018-13-01`, `2018-01-01T25:00:00`, `01/02/2018`, `2018-01-01T00:01:01+02`} {
		var e event
		if err := rtimpl.Unmarshal([]byte(`{"at":"`+in+`"}`), &e); err == nil {
			t.Errorf("%q decoded as %v; want an error", in, e.At)
		}
	}
}
