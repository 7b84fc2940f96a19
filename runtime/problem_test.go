package runtime

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

type notFound struct{ Code string }

func (n *notFound) Error() string { return "not found: " + n.Code }

func TestAPIErrorAsTypedDetailAndProblem(t *testing.T) {
	body := []byte(`{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"balance":30,"accounts":["/account/12345"]}`)
	e := &APIError{StatusCode: 403, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: body, Detail: &notFound{Code: "x"}}
	err := fmt.Errorf("wrapped: %w", e)

	var nf *notFound
	if !errors.As(err, &nf) || nf.Code != "x" {
		t.Fatalf("errors.As to the typed detail: %v %+v", err, nf)
	}
	var p *Problem
	if !errors.As(err, &p) || p.Status != 403 || p.Extensions["balance"] != float64(30) || len(p.Extensions) != 2 {
		t.Fatalf("problem details: %+v", p)
	}
	var other *APIError
	if !errors.As(err, &other) || other != e {
		t.Error("the APIError itself is no longer reachable")
	}
	if d, ok := DetailAs[*notFound](err); !ok || d.Code != "x" {
		t.Errorf("DetailAs: %v %v", d, ok)
	}
	if _, ok := DetailAs[*Problem](err); ok {
		t.Error("DetailAs matched the wrong type")
	}
	plain := &APIError{StatusCode: 500, Body: []byte("oops")}
	if _, ok := plain.Problem(); ok {
		t.Error("a non-JSON body decoded as a problem")
	}
}
