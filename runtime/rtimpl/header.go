package rtimpl

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// DecodeHeader decodes the response header name into dst, a pointer to a
// string, number, bool, time.Time, slice of those (a comma-separated list,
// OpenAPI's simple style) or an Opt of one. An absent header leaves dst
// alone. An optional header (dst an *Opt) whose value does not parse is left
// absent: a malformed optional header (a server sending "null" for a
// boolean) must not cost the caller a decoded body, and the raw value stays
// in the response's Header. A required one that does not parse is an error
// naming the header.
func DecodeHeader(h http.Header, name string, dst any) error {
	values := h.Values(name)
	if len(values) == 0 {
		return nil
	}
	s := strings.Join(values, ",")
	var err error
	if rv := reflect.ValueOf(dst); rv.Kind() == reflect.Pointer && !rv.IsNil() && wrapperOf(rv.Elem().Type()) == optWrapper {
		o := rv.Elem() // an Opt: its value parsed, then marked set
		v := reflect.New(o.Field(0).Type())
		if decodeText(s, v.Interface()) == nil {
			o.Field(0).Set(v.Elem())
			o.Field(1).SetBool(true)
		}
		return nil
	} else {
		err = decodeText(s, dst)
	}
	if err != nil {
		return fmt.Errorf("response header %s: %w", name, err)
	}
	return nil
}

// decodeText parses one simple-style value into dst.
func decodeText(s string, dst any) error {
	switch d := dst.(type) {
	case *string:
		*d = s
	case *bool:
		v, err := strconv.ParseBool(s)
		*d = v
		return err
	case *int64:
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		*d = v
		return err
	case *int32:
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
		*d = int32(v)
		return err
	case *float64:
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		*d = v
		return err
	case *time.Time:
		return parseTime(s, d)
	case *[]string:
		for _, p := range strings.Split(s, ",") {
			*d = append(*d, strings.TrimSpace(p))
		}
	case encoding.TextUnmarshaler:
		return d.UnmarshalText([]byte(s))
	default:
		if json.Valid([]byte(s)) {
			return json.Unmarshal([]byte(s), dst)
		}
		quoted, _ := json.Marshal(s)
		return json.Unmarshal(quoted, dst)
	}
	return nil
}

// parseTime reads RFC 3339 or an HTTP-date (RFC 9110 §5.6.7).
func parseTime(s string, d *time.Time) error {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*d = t
		return nil
	}
	t, err := http.ParseTime(s)
	*d = t
	return err
}

// DecodeParam decodes a request parameter's values, as a server receives
// them, into dst, a pointer to the request field: a string, number, bool,
// time.Time, Date, enum (a named string) or other text-decoded type; a
// slice of those (each value an item, a single value split at commas:
// OpenAPI's form style without explode, and simple); or an Opt or
// Nullable of one (set). Fakes of a connector (runtime/fake) decode
// requests with it; it is the inverse of the client's serialization for
// the form and simple styles.
func DecodeParam(values []string, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("rtimpl.DecodeParam: %T is not a non-nil pointer", dst)
	}
	v := rv.Elem()
	switch wrapperOf(v.Type()) {
	case optWrapper:
		inner := reflect.New(v.Field(0).Type())
		if err := DecodeParam(values, inner.Interface()); err != nil {
			return err
		}
		v.Field(0).Set(inner.Elem())
		v.Field(1).SetBool(true)
		return nil
	case nullableWrapper:
		inner := reflect.New(v.Field(0).Type())
		if err := DecodeParam(values, inner.Interface()); err != nil {
			return err
		}
		v.Field(0).Set(inner.Elem())
		v.Field(1).SetBool(true)
		return nil
	}
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8 {
		if len(values) == 1 {
			values = strings.Split(values[0], ",")
		}
		out := reflect.MakeSlice(v.Type(), len(values), len(values))
		for i, s := range values {
			if err := decodeText(s, out.Index(i).Addr().Interface()); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		v.Set(out)
		return nil
	}
	return decodeText(values[0], dst)
}
