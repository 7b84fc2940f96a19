package golden

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	requiredunset "github.com/connectorgen/connectorgen/golden/required-unset/want"
	types "github.com/connectorgen/connectorgen/golden/types/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The generated "required-unset" case on the wire: a required member Go
// can leave unset (a nil slice, map or free-form value, a union with no
// variant, a Nullable never set, a nil struct pointer) is a violation
// at its JSON pointer, reported before anything is sent. Before, GitHub's
// IssuesCreateRequest{} had no Validate and sent {"title":null}, and
// Stripe's PostInvoicesInvoiceAddLines{} reached the server without lines.

func requiredUnsetClient(t *testing.T) (*requiredunset.Client, *recorder) {
	t.Helper()
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"name":"n","children":[],"labels":{},"data":1,"note":null,"parent":null,"shape":{"radius":1}}`))
	})
	c, err := requiredunset.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// requiredPointers returns the pointers of err's violations, and fails unless
// err is a *runtime.ValidationError whose every message is "required".
func requiredPointers(t *testing.T, err error) []string {
	t.Helper()
	var ve *runtime.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *runtime.ValidationError, got %v", err)
	}
	var got []string
	for _, v := range ve.Violations {
		if v.Message != "required" {
			t.Errorf("%s: message %q, want \"required\"", v.Pointer, v.Message)
		}
		got = append(got, v.Pointer)
	}
	return got
}

func TestRequiredUnsetIsNotSent(t *testing.T) {
	c, rec := requiredUnsetClient(t)
	ctx := context.Background()

	// GitHub's case: a required oneOf title with no variant, and a
	// required query array left nil.
	_, err := c.IssuesCreate(ctx, requiredunset.IssuesCreateRequest{Owner: "o"})
	if got, want := requiredPointers(t, err), []string{"/query/labels", "/body/title"}; !reflect.DeepEqual(got, want) {
		t.Errorf("IssuesCreate: violations at %v, want %v", got, want)
	}
	// Stripe's case: a required array in a form body.
	err = c.PostInvoicesInvoiceAddLines(ctx, requiredunset.PostInvoicesInvoiceAddLinesRequest{Invoice: "in_1"})
	if got, want := requiredPointers(t, err), []string{"/body/lines"}; !reflect.DeepEqual(got, want) {
		t.Errorf("PostInvoicesInvoiceAddLines: violations at %v, want %v", got, want)
	}
	// Every kind of member; the empty string name is a value.
	err = c.CreateNode(ctx, requiredunset.CreateNodeRequest{})
	want := []string{"/body/children", "/body/data", "/body/labels", "/body/note", "/body/shape"}
	if got := requiredPointers(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("CreateNode: violations at %v, want %v", got, want)
	}
	// A required body that is a slice.
	err = c.PutTags(ctx, requiredunset.PutTagsRequest{})
	if got, want := requiredPointers(t, err), []string{"/body"}; !reflect.DeepEqual(got, want) {
		t.Errorf("PutTags: violations at %v, want %v", got, want)
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("the server received %d requests, want none: %+v", len(got), got)
	}
	if err == nil || !strings.Contains(err.Error(), "/body: required") {
		t.Errorf("error text %q does not name /body", err)
	}
}

func TestRequiredSetIsSent(t *testing.T) {
	c, rec := requiredUnsetClient(t)
	ctx := context.Background()
	title := "bug"
	if _, err := c.IssuesCreate(ctx, requiredunset.IssuesCreateRequest{Owner: "o", Labels: []string{},
		Body: requiredunset.IssuesCreateBody{Title: requiredunset.IssuesCreateBodyTitle{String: &title}}}); err != nil {
		t.Fatal(err)
	}
	if got := rec.one(t); string(got.Body) != `{"title":"bug"}` {
		t.Errorf("sent %s", got.Body)
	}
	// Empty (not nil) slices and maps, an explicit null, a nil pointer to
	// a nullable struct (null), an empty name and a zero-valued free-form
	// member are set values.
	node := requiredunset.Node{Children: []requiredunset.Node{}, Labels: map[string]string{}, Data: 0,
		Note: runtime.NullValue[string](), Shape: requiredunset.NodeShape{Circle: &requiredunset.Circle{Radius: 1}}}
	if err := c.CreateNode(ctx, requiredunset.CreateNodeRequest{Body: node}); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, string(rec.one(t).Body), `{"children":[],"data":0,"labels":{},"name":"","note":null,"parent":null,"shape":{"radius":1}}`)
	// A nested value's required members are checked at their pointer.
	node.Children = []requiredunset.Node{{Name: "kid"}}
	err := c.CreateNode(ctx, requiredunset.CreateNodeRequest{Body: node})
	want := []string{"/body/children/0/children", "/body/children/0/data", "/body/children/0/labels",
		"/body/children/0/note", "/body/children/0/shape"}
	if got := requiredPointers(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("violations at %v, want %v", got, want)
	}
	if got := rec.take(); len(got) != 0 {
		t.Errorf("the server received %d requests, want none", len(got))
	}
	// A member of a map held by a union (Stripe's currency_options).
	node.Children = []requiredunset.Node{}
	node.Prices = &requiredunset.NodePrices{Map: &map[string]requiredunset.NodePricesObjectValue{"usd": {}}}
	err = c.CreateNode(ctx, requiredunset.CreateNodeRequest{Body: node})
	if got, want := requiredPointers(t, err), []string{"/body/prices/usd/tiers"}; !reflect.DeepEqual(got, want) {
		t.Errorf("violations at %v, want %v", got, want)
	}
	// WithoutValidation() still sends it, as before.
	if err := c.CreateNode(ctx, requiredunset.CreateNodeRequest{}, runtime.WithoutValidation()); err != nil {
		t.Fatal(err)
	}
	rec.one(t)
}

// A required struct held by pointer to break a cycle (golden "types":
// A.b) is required too.
func TestRequiredPointerInCycle(t *testing.T) {
	if got, want := requiredPointers(t, types.A{}.Validate()), []string{"/b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("violations at %v, want %v", got, want)
	}
	if err := (types.A{B: &types.B{}}).Validate(); err != nil {
		t.Errorf("A with its B: %v", err)
	}
}
