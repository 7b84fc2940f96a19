package rtimpl

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/connectorgen/connectorgen/runtime"
)

// Limits are the bounds of one value; nil means unbounded. Lengths count
// Unicode code points (JSON Schema 2020-12 §6.3.1).
type Limits struct {
	MinLength, MaxLength       *int
	Minimum, Maximum           *float64
	ExclusiveMin, ExclusiveMax bool
	MultipleOf                 *float64
	MinItems, MaxItems         *int
	MinProps, MaxProps         *int
	Pattern                    *regexp.Regexp
}

// Checker collects violations; generated Validate methods use it. The
// zero value is ready to use.
type Checker struct {
	violations []runtime.Violation
}

// Add records a violation at ptr.
func (c *Checker) Add(ptr, format string, args ...any) {
	c.violations = append(c.violations, runtime.Violation{Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// Err returns a *ValidationError, or nil when nothing was recorded.
func (c *Checker) Err() error {
	if len(c.violations) == 0 {
		return nil
	}
	return &runtime.ValidationError{Violations: c.violations}
}

// String checks a string's length and pattern.
func (c *Checker) String(ptr, s string, l Limits) {
	n := utf8.RuneCountInString(s)
	if l.MinLength != nil && n < *l.MinLength {
		c.Add(ptr, "length %d is below the minimum %d", n, *l.MinLength)
	}
	if l.MaxLength != nil && n > *l.MaxLength {
		c.Add(ptr, "length %d is above the maximum %d", n, *l.MaxLength)
	}
	if l.Pattern != nil && !l.Pattern.MatchString(s) {
		c.Add(ptr, "does not match the pattern %q", l.Pattern.String())
	}
}

// Number checks a number's bounds and multipleOf.
func (c *Checker) Number(ptr string, x float64, l Limits) {
	switch {
	case l.Minimum != nil && l.ExclusiveMin && x <= *l.Minimum:
		c.Add(ptr, "%v is not above the exclusive minimum %v", x, *l.Minimum)
	case l.Minimum != nil && x < *l.Minimum:
		c.Add(ptr, "%v is below the minimum %v", x, *l.Minimum)
	}
	switch {
	case l.Maximum != nil && l.ExclusiveMax && x >= *l.Maximum:
		c.Add(ptr, "%v is not below the exclusive maximum %v", x, *l.Maximum)
	case l.Maximum != nil && x > *l.Maximum:
		c.Add(ptr, "%v is above the maximum %v", x, *l.Maximum)
	}
	if l.MultipleOf != nil && *l.MultipleOf > 0 {
		if q := x / *l.MultipleOf; math.Abs(q-math.Round(q)) > 1e-9 {
			c.Add(ptr, "%v is not a multiple of %v", x, *l.MultipleOf)
		}
	}
}

// Count checks the number of items of an array (MinItems/MaxItems) or
// of members of an object (MinProps/MaxProps).
func (c *Checker) Count(ptr string, n int, min, max *int, what string) {
	if min != nil && n < *min {
		c.Add(ptr, "%d %s, fewer than the minimum %d", n, what, *min)
	}
	if max != nil && n > *max {
		c.Add(ptr, "%d %s, more than the maximum %d", n, what, *max)
	}
}

// Unique checks that the items of a slice are pairwise distinct
// (uniqueItems), comparing any item type by deep equality.
func (c *Checker) Unique(ptr string, items any) {
	rv := reflect.ValueOf(items)
	if rv.Kind() != reflect.Slice {
		return
	}
	for i := 0; i < rv.Len(); i++ {
		for j := 0; j < i; j++ {
			if reflect.DeepEqual(rv.Index(i).Interface(), rv.Index(j).Interface()) {
				c.Add(fmt.Sprintf("%s/%d", ptr, i), "duplicates item %d (uniqueItems)", j)
				return
			}
		}
	}
}

// Nested validates v when it is a Validator, and records its violations
// below ptr.
func (c *Checker) Nested(ptr string, v any) {
	val, ok := v.(runtime.Validator)
	if !ok || val == nil {
		return
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return
	}
	err := val.Validate()
	var ve *runtime.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &ve):
		for _, x := range ve.Violations {
			c.violations = append(c.violations, runtime.Violation{Pointer: ptr + x.Pointer, Message: x.Message})
		}
	default:
		c.Add(ptr, "%v", err)
	}
}

// Each validates every item of a slice with Nested, at ptr/index.
func Each[T any](c *Checker, ptr string, items []T) {
	for i := range items {
		c.Nested(Index(ptr, i), any(items[i]))
	}
}

// EachValue validates every value of a map with Nested, at ptr/key
// (the key escaped as a JSON pointer token).
func EachValue[T any](c *Checker, ptr string, m map[string]T) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		c.Nested(Key(ptr, k), any(m[k]))
	}
}

// Index returns the JSON pointer of item i below ptr.
func Index(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// Key returns the JSON pointer of member k below ptr (RFC 6901 escaping).
func Key(ptr, k string) string {
	return ptr + "/" + escapeToken(k)
}

// Int and Float build optional bounds for Limits literals.
func Int(n int) *int { return &n }

// Float returns a pointer to x, for Limits literals.
func Float(x float64) *float64 { return &x }

var patterns sync.Map // string -> *regexp.Regexp

// Pattern returns the compiled regular expression for a schema pattern,
// compiling each once. The generator emits only patterns that compile
// (RE2 syntax); an invalid one panics, which is a generator bug.
func Pattern(expr string) *regexp.Regexp {
	if re, ok := patterns.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(expr)
	patterns.Store(expr, re)
	return re
}

// MatchAny reports whether name matches at least one of patterns
// (unanchored, as JSON Schema patterns are); generated Validate methods use
// it for the member names of an object with patternProperties (JSON Schema
// 2020-12 §10.3.2.2).
func MatchAny(name string, patterns ...*regexp.Regexp) bool {
	for _, re := range patterns {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// MemberName checks the name of a member that only patternProperties
// allow (additionalProperties is false beside them, JSON Schema 2020-12
// §10.3.2.3): it must match one of patterns. ptr is the member's pointer.
func (c *Checker) MemberName(ptr, name string, patterns ...*regexp.Regexp) {
	if MatchAny(name, patterns...) {
		return
	}
	exprs := make([]string, len(patterns))
	for i, re := range patterns {
		exprs[i] = strconv.Quote(re.String())
	}
	c.Add(ptr, "member name %q matches none of the patterns %s, and no other member is allowed", name, strings.Join(exprs, ", "))
}
