package runtime

import (
	"encoding/json"
	"errors"
	"mime"
	"reflect"
)

// Problem is an RFC 9457 problem details object (others in Extensions).
type Problem struct {
	Type       string         `json:"type,omitempty"`
	Title      string         `json:"title,omitempty"`
	Status     int            `json:"status,omitempty"`
	Detail     string         `json:"detail,omitempty"`
	Instance   string         `json:"instance,omitempty"`
	Extensions map[string]any `json:"-"`
}

// UnmarshalJSON decodes p, skipping mistyped standard members (§3.1).
func (p *Problem) UnmarshalJSON(data []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	*p = Problem{}
	std := map[string]any{"type": &p.Type, "title": &p.Title, "status": &p.Status, "detail": &p.Detail, "instance": &p.Instance}
	for k, raw := range members {
		if dst, ok := std[k]; ok {
			_ = json.Unmarshal(raw, dst)
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if p.Extensions == nil {
			p.Extensions = map[string]any{}
		}
		p.Extensions[k] = v
	}
	return nil
}

// Problem decodes an RFC 9457 problem+json (or "type"/"title") body.
func (e *APIError) Problem() (p *Problem, ok bool) {
	mt, _, _ := mime.ParseMediaType(e.Header.Get("Content-Type"))
	var probe Problem
	if json.Unmarshal(e.Body, &probe) != nil {
		return nil, false
	}
	if mt != "application/problem+json" && probe.Type == "" && probe.Title == "" {
		return nil, false
	}
	return &probe, true
}

// As lets errors.As reach Detail, or the decoded [Problem] (**Problem).
func (e *APIError) As(target any) bool {
	tv := reflect.ValueOf(target)
	if tv.Kind() != reflect.Pointer || tv.IsNil() {
		return false
	}
	if e.Detail != nil {
		if dv := reflect.ValueOf(e.Detail); dv.Type().AssignableTo(tv.Elem().Type()) && tv.Elem().Kind() != reflect.Interface {
			tv.Elem().Set(dv)
			return true
		}
	}
	if pp, ok := target.(**Problem); ok {
		if p, found := e.Problem(); found {
			*pp = p
			return true
		}
	}
	return false
}

// DetailAs returns the Detail, of type T, of the *APIError in err's chain.
func DetailAs[T any](err error) (T, bool) {
	var zero T
	var e *APIError
	if !errors.As(err, &e) || e.Detail == nil {
		return zero, false
	}
	d, ok := e.Detail.(T)
	return d, ok
}

// Error returns "title: detail" (or the type).
func (p *Problem) Error() string {
	switch {
	case p.Title != "" && p.Detail != "":
		return p.Title + ": " + p.Detail
	case p.Title != "":
		return p.Title
	case p.Detail != "":
		return p.Detail
	}
	return "problem " + p.Type
}
