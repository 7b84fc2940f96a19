package golden

import (
	"errors"
	"reflect"
	"testing"

	validation "github.com/connectorgen/connectorgen/golden/validation/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// TestGeneratedValidate checks that generated Validate methods report
// every violated keyword, with JSON pointers, and pass valid values.
func TestGeneratedValidate(t *testing.T) {
	valid := validation.Account{Name: "Ada", Email: "ada@example.com", Quantity: runtime.Some[int64](10),
		Discount: runtime.Some[validation.Ratio](0.5), Labels: map[string]string{"a": "x"}}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid account rejected: %v", err)
	}
	bad := validation.Account{
		Name: "A", Email: "not-an-email", BackupEmails: []validation.Email{},
		Discount: runtime.Some[validation.Ratio](1), Quantity: runtime.Some[int64](7),
		Labels:   map[string]string{"a": "", "b": "x", "c": "y"},
		Children: []validation.Account{{Name: "ok", Email: "x@y"}, {Name: "B", Email: "b@c"}},
	}
	var ve *runtime.ValidationError
	if err := bad.Validate(); !errors.As(err, &ve) {
		t.Fatalf("want *runtime.ValidationError, got %v", err)
	}
	var got []string
	for _, v := range ve.Violations {
		got = append(got, v.Pointer)
	}
	want := []string{"/backup_emails", "/children/1/name", "/discount", "/email", "/labels", "/labels/a", "/name", "/quantity"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations at %v, want %v\n%v", got, want, ve)
	}
}

func TestGeneratedRequestValidate(t *testing.T) {
	req := validation.PutAccountRequest{ID: "acc_1", PageSize: runtime.Some[int64](0),
		Tags: []string{"a", "a"}, Body: validation.Account{Name: "Ada", Email: "a@b"}}
	var ve *runtime.ValidationError
	if err := req.Validate(); !errors.As(err, &ve) || len(ve.Violations) != 2 ||
		ve.Violations[0].Pointer != "/query/page_size" || ve.Violations[1].Pointer != "/query/tags/1" {
		t.Fatalf("want page_size and duplicate-tag violations, got %v", err)
	}
	req = validation.PutAccountRequest{ID: "ACC", Body: validation.Account{Name: "Ada", Email: "a@b"}}
	if err := req.Validate(); err == nil {
		t.Fatal("path parameter pattern not checked")
	}
}
