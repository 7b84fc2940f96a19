package runtime_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

func TestDateJSON(t *testing.T) {
	type event struct {
		On   runtime.Date              `json:"on"`
		Next runtime.Opt[runtime.Date] `json:"next,omitzero"`
	}
	in := event{On: runtime.Date{Year: 2024, Month: time.February, Day: 29}}
	b, err := rtimpl.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"on":"2024-02-29"}` {
		t.Fatalf("marshal = %s", b)
	}
	var back event
	if err := rtimpl.Unmarshal([]byte(`{"on":"0999-12-31","next":"2025-01-02"}`), &back); err != nil {
		t.Fatal(err)
	}
	want := event{
		On:   runtime.Date{Year: 999, Month: time.December, Day: 31},
		Next: runtime.Some(runtime.Date{Year: 2025, Month: time.January, Day: 2}),
	}
	if back != want {
		t.Fatalf("unmarshal = %+v, want %+v", back, want)
	}
}

func TestDateRejectsMalformed(t *testing.T) {
	for _, s := range []string{"", "2024-2-03", "2024-02-3", "2023-02-29", "2024-13-01", "24-01-01", "2024-01-01T00:00:00Z", "2024/01/01", " 2024-01-01"} {
		var d runtime.Date
		if err := d.UnmarshalText([]byte(s)); err == nil {
			t.Errorf("UnmarshalText(%q) = %v, want error", s, d)
		}
	}
	for _, d := range []runtime.Date{{}, {Year: 2023, Month: 2, Day: 29}, {Year: 10000, Month: 1, Day: 1}} {
		if _, err := d.MarshalText(); err == nil {
			t.Errorf("MarshalText(%+v): want error", d)
		}
	}
}

func TestDateHelpers(t *testing.T) {
	d := runtime.DateOf(time.Date(2024, 3, 5, 23, 59, 0, 0, time.FixedZone("x", -5*3600)))
	if d.String() != "2024-03-05" {
		t.Errorf("String = %q", d.String())
	}
	if !d.Time().Equal(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time = %v", d.Time())
	}
	if p, err := runtime.ParseDate("2024-03-05"); err != nil || p != d {
		t.Errorf("ParseDate = %v, %v", p, err)
	}
	if got := rtimpl.FormatParam(d); got != "2024-03-05" {
		t.Errorf("FormatParam = %q", got)
	}
}

// JSON null decodes into the zero Date, which encodes as null again; in
// Opt and Nullable null keeps its own meaning (absent, explicit null).
func TestDateNull(t *testing.T) {
	type event struct {
		On   runtime.Date                   `json:"on"`
		Next runtime.Opt[runtime.Date]      `json:"next"`
		Prev runtime.Nullable[runtime.Date] `json:"prev"`
		Ptr  *runtime.Date                  `json:"ptr"`
	}
	const in = `{"on":null,"next":null,"prev":null,"ptr":null}`
	var e event
	if err := rtimpl.Unmarshal([]byte(in), &e); err != nil {
		t.Fatal(err)
	}
	if e.On != (runtime.Date{}) || e.Next.Set || !(e.Prev.Set && e.Prev.Null) || e.Ptr != nil {
		t.Fatalf("decoded %+v", e)
	}
	b, err := rtimpl.Marshal(e)
	if err != nil || string(b) != in {
		t.Fatalf("round trip: %s, %v; want %s", b, err, in)
	}
	// A set Opt of the zero Date is null too; an impossible date still fails.
	if b, err := rtimpl.Marshal(runtime.Some(runtime.Date{})); err != nil || string(b) != "null" {
		t.Errorf("Some(Date{}) = %s, %v", b, err)
	}
	if _, err := json.Marshal(runtime.Date{Year: 2023, Month: 2, Day: 29}); err == nil {
		t.Error("2023-02-29 marshalled")
	}
	if _, err := (runtime.Date{}).MarshalText(); err == nil {
		t.Error("zero Date as text: want an error")
	}
	// null leaves a decoded value as it was, as encoding/json does.
	d := runtime.Date{Year: 2024, Month: 1, Day: 2}
	if err := json.Unmarshal([]byte("null"), &d); err != nil || d != (runtime.Date{Year: 2024, Month: 1, Day: 2}) {
		t.Errorf("null into a set Date: %v, %v", d, err)
	}
}
