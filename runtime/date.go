package runtime

import (
	"fmt"
	"time"
)

// dateLayout is RFC 3339 §5.6 full-date.
const dateLayout = "2006-01-02"

// Date is a calendar date, OpenAPI format "date" (RFC 3339 §5.6 full-date,
// "2024-02-29"), in JSON and parameters. JSON null and the zero Date
// correspond; as text (parameters, map keys) the zero Date is an error.
type Date struct {
	Year  int        // 0..9999
	Month time.Month // 1..12
	Day   int        // 1..31, valid for Month and Year
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses RFC 3339 full-date text ("2006-01-02"). It returns an
// error for any other shape or an impossible date (e.g. "2023-02-29").
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("runtime: invalid date %q: want YYYY-MM-DD (RFC 3339 full-date)", s)
	}
	return DateOf(t), nil
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns d as "YYYY-MM-DD", without validating it.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// valid reports whether d is a real date with a four-digit year.
func (d Date) valid() bool {
	return d.Year >= 0 && d.Year <= 9999 && DateOf(d.Time()) == d
}

// MarshalText returns "YYYY-MM-DD"; it returns an error for an invalid date
// (including the zero Date) rather than send text a server would reject.
func (d Date) MarshalText() ([]byte, error) {
	if !d.valid() {
		return nil, fmt.Errorf("runtime: invalid date %d-%d-%d", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// MarshalJSON returns "YYYY-MM-DD" quoted, or null for the zero Date; it
// returns MarshalText's error for any other invalid date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d == (Date{}) {
		return []byte("null"), nil
	}
	b, err := d.MarshalText()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{'"'}, b...), '"'), nil
}

// UnmarshalText parses "YYYY-MM-DD" as [ParseDate] does, with its errors.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
