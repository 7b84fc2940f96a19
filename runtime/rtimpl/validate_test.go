package rtimpl

import (
	"errors"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

type always struct{ err error }

func (a always) Validate() error { return a.err }

func TestCheckerKeywords(t *testing.T) {
	var c Checker
	c.String("/s", "héllo", Limits{MinLength: Int(6)})               // 5 code points, not 6 bytes
	c.String("/p", "abc", Limits{Pattern: Pattern(`^\d+$`)})         // pattern
	c.Number("/n", 0, Limits{Minimum: Float(0), ExclusiveMin: true}) // exclusive bound
	c.Number("/m", 10, Limits{Maximum: Float(10)})                   // inclusive: fine
	c.Number("/k", 0.3, Limits{MultipleOf: Float(0.1)})              // float multipleOf: fine
	c.Count("/a", 4, nil, Int(3), "items")                           // maxItems
	c.Unique("/u", []map[string]int{{"a": 1}, {"a": 1}})             // uniqueItems on objects
	c.Nested("/x", always{err: &runtime.ValidationError{Violations: []runtime.Violation{{Pointer: "/y", Message: "bad"}}}})
	var ve *runtime.ValidationError
	if err := c.Err(); !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	var ptrs []string
	for _, v := range ve.Violations {
		ptrs = append(ptrs, v.Pointer)
	}
	if got, want := strings.Join(ptrs, " "), "/s /p /n /a /u/1 /x/y"; got != want {
		t.Errorf("pointers %q, want %q (%v)", got, want, ve)
	}
}

func TestClientValidateCanBeTurnedOff(t *testing.T) {
	c, err := runtime.NewClient("http://127.0.0.1:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := always{err: errors.New("invalid")}
	if c.Validate(bad) == nil {
		t.Error("validation should run by default")
	}
	if err := c.Validate(bad, runtime.WithoutValidation()); err != nil {
		t.Errorf("WithoutValidation() per call: %v", err)
	}
	off, _ := runtime.NewClient("http://127.0.0.1:1", nil, runtime.WithoutValidation())
	if err := off.Validate(bad); err != nil {
		t.Errorf("WithoutValidation() per client: %v", err)
	}
}
