package golden

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	media "github.com/connectorgen/connectorgen/golden/fakes-media/want"
	"github.com/connectorgen/connectorgen/golden/fakes-media/want/mediafake"
	petstore "github.com/connectorgen/connectorgen/golden/fakes/want"
	"github.com/connectorgen/connectorgen/golden/fakes/want/petstorefake"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/fake"
)

// The generated fake (fakes: true) of the petstore, with the real
// connector pointed at it.

func fakeClient(t *testing.T, url string, opts ...runtime.ClientOption) *petstore.Client {
	t.Helper()
	c, err := petstore.New(url, append([]runtime.ClientOption{petstore.WithAPIKey(auth.APIKey("k"))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFakeServes: typed handlers see the request decoded (path, query
// array, header, JSON body) and their results reach the connector; a
// typed error status decodes into its declared type; an operation without
// a handler answers 501; every request is recorded.
func TestFakeServes(t *testing.T) {
	srv := petstorefake.NewServer(t)
	var listed petstore.ListPetsRequest
	srv.OnListPets(func(_ context.Context, req petstore.ListPetsRequest) (*petstore.ListPetsResponse, error) {
		listed = req
		return &petstore.ListPetsResponse{StatusCode: 200, OK: &petstore.PetPage{Items: []petstore.Pet{{Name: "Rex"}}}}, nil
	})
	srv.OnGetPet(func(_ context.Context, req petstore.GetPetRequest) (*petstore.Pet, error) {
		if req.PetID != 7 {
			return nil, fake.Status(http.StatusNotFound, petstore.Problem{Title: runtime.Some("no such pet")})
		}
		return &petstore.Pet{ID: runtime.Some[int64](7), Name: "Rex"}, nil
	})
	var created petstore.NewPet
	srv.OnCreatePet(func(_ context.Context, req petstore.CreatePetRequest) (*petstore.Pet, error) {
		created = req.Body
		return &petstore.Pet{ID: runtime.Some[int64](8), Name: req.Body.Name}, nil
	})
	c := fakeClient(t, srv.URL)
	ctx := context.Background()

	list, err := c.ListPets(ctx, petstore.ListPetsRequest{Limit: runtime.Some[int32](5),
		Status: []petstore.PetStatus{petstore.PetStatusAvailable, petstore.PetStatusSold}, XRequestID: runtime.Some("r-1")})
	if err != nil || len(list.OK.Items) != 1 || list.OK.Items[0].Name != "Rex" {
		t.Fatalf("ListPets: %+v, %v", list, err)
	}
	if listed.Limit.Value != 5 || len(listed.Status) != 2 || listed.Status[1] != petstore.PetStatusSold || listed.XRequestID.Value != "r-1" {
		t.Errorf("the handler saw %+v", listed)
	}
	pet, err := c.GetPet(ctx, petstore.GetPetRequest{PetID: 7})
	if err != nil || pet.Name != "Rex" {
		t.Fatalf("GetPet: %+v, %v", pet, err)
	}
	_, err = c.GetPet(ctx, petstore.GetPetRequest{PetID: 9})
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 {
		t.Fatalf("GetPet 9: %v, want a 404 APIError", err)
	}
	if p, ok := ae.Detail.(*petstore.Problem); !ok || p.Title.Value != "no such pet" {
		t.Errorf("404 detail %#v, want the typed Problem", ae.Detail)
	}
	if _, err := c.CreatePet(ctx, petstore.CreatePetRequest{Body: petstore.NewPet{Name: "Tom", Tag: runtime.Some("cat")}}); err != nil {
		t.Fatal(err)
	}
	if created.Name != "Tom" || created.Tag.Value != "cat" {
		t.Errorf("the handler saw body %+v", created)
	}
	if err := c.DeletePet(ctx, petstore.DeletePetRequest{PetID: 7}); !errors.As(err, &ae) || ae.StatusCode != 501 ||
		!strings.Contains(string(ae.Body), "call OnDeletePet") {
		t.Errorf("DeletePet without a handler: %v, want 501 naming OnDeletePet", err)
	}
	calls := srv.Calls()
	if len(calls) != 5 || calls[0].Operation != "listPets" || calls[0].Query != "limit=5&status=available&status=sold" ||
		calls[3].Operation != "createPet" || !strings.Contains(string(calls[3].Body), `"name":"Tom"`) {
		t.Errorf("calls %+v", calls)
	}
	if n := len(srv.Calls("getPet")); n != 2 {
		t.Errorf("%d getPet calls, want 2", n)
	}
}

// TestFakeFaults: a 503 with Retry-After, then success: the connector
// retries and gets the pet; a reset connection, then success, likewise
// for an idempotent call; a delay past the call's timeout fails it.
func TestFakeFaults(t *testing.T) {
	srv := petstorefake.NewServer(t)
	srv.OnGetPet(func(context.Context, petstore.GetPetRequest) (*petstore.Pet, error) {
		return &petstore.Pet{Name: "Rex"}, nil
	})
	c := fakeClient(t, srv.URL)
	ctx := context.Background()
	srv.Inject("getPet", fake.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 1, Times: 1})
	srv.Inject("getPet", fake.Fault{Reset: true, Times: 1})
	pet, err := c.GetPet(ctx, petstore.GetPetRequest{PetID: 1})
	if err != nil || pet.Name != "Rex" {
		t.Fatalf("GetPet through a 503 and a reset: %+v, %v", pet, err)
	}
	if n := len(srv.Calls("getPet")); n != 3 {
		t.Errorf("%d attempts, want 3 (503, reset, success)", n)
	}
	srv.Inject("getPet", fake.Fault{Delay: 2 * time.Second, Times: 1})
	if _, err := c.GetPet(ctx, petstore.GetPetRequest{PetID: 1}, runtime.WithTimeout(200*time.Millisecond), runtime.WithMaxRetries(0)); err == nil {
		t.Error("a call slower than its timeout succeeded")
	}
}

// TestFakeRejectsBadRequests: a request that breaks the spec (here sent
// with the connector's own validation off) fails the test with its JSON
// pointer and answers 400; the connector's validation catches it first.
func TestFakeRejectsBadRequests(t *testing.T) {
	rec := &errRecorder{TB: t}
	srv := petstorefake.NewServer(rec)
	srv.OnCreatePet(func(context.Context, petstore.CreatePetRequest) (*petstore.Pet, error) {
		t.Error("the handler ran for an invalid request")
		return nil, nil
	})
	ctx := context.Background()
	bad := petstore.CreatePetRequest{Body: petstore.NewPet{Name: ""}}
	var ve *runtime.ValidationError
	if _, err := fakeClient(t, srv.URL).CreatePet(ctx, bad); !errors.As(err, &ve) {
		t.Fatalf("the connector sent an invalid request: %v", err)
	}
	_, err := fakeClient(t, srv.URL, runtime.WithoutValidation()).CreatePet(ctx, bad)
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 {
		t.Fatalf("invalid request: %v, want 400", err)
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "createPet: invalid request (validation)") || !strings.Contains(rec.errs[0], "/body/name") {
		t.Errorf("test errors %q, want one naming createPet and /body/name", rec.errs)
	}
}

// TestFakeMedia: a JSON body is decoded and validated; the same operation
// sent as a form (CreateItemWithForm) and a form-only operation are
// decoded best-effort (fake.FormBody); a text body and a comma list
// parameter decode; a response struct answers the status its handler
// sets, with its headers; a path template with a parameter inside a
// segment answers 501.
func TestFakeMedia(t *testing.T) {
	srv := mediafake.NewServer(t)
	var seen []string
	srv.OnCreateItem(func(_ context.Context, req media.CreateItemRequest) (*media.CreateItemResponse, error) {
		seen = append(seen, "item "+req.Body.Name)
		if req.Body.Name == "later" {
			return &media.CreateItemResponse{StatusCode: 202, Header: http.Header{"Location": {"/queue/1"}}}, nil
		}
		return &media.CreateItemResponse{StatusCode: 201, Created: &media.Item{ID: 1, Name: req.Body.Name}}, nil
	})
	srv.OnCreateCharge(func(_ context.Context, req media.CreateChargeRequest) (*media.Item, error) {
		seen = append(seen, fmt.Sprintf("charge %d", req.Body.Amount))
		return &media.Item{ID: 2, Name: "charge"}, nil
	})
	srv.OnPutNote(func(_ context.Context, req media.PutNoteRequest) error {
		seen = append(seen, fmt.Sprintf("note %d %q %q", req.ID, req.Tags, req.Body))
		return nil
	})
	c, err := media.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := c.CreateItem(ctx, media.CreateItemRequest{Body: media.NewItem{Name: "lamp"}})
	if err != nil || res.StatusCode != 201 || res.Created == nil || res.Created.Name != "lamp" {
		t.Fatalf("CreateItem: %+v, %v", res, err)
	}
	res, err = c.CreateItem(ctx, media.CreateItemRequest{Body: media.NewItem{Name: "later"}})
	if err != nil || res.StatusCode != 202 || res.Location.Value != "/queue/1" {
		t.Fatalf("CreateItem 202: %+v, %v", res, err)
	}
	if _, err := c.CreateItemWithForm(ctx, media.CreateItemWithFormRequest{Body: media.NewItem{Name: "form"}}); err != nil {
		t.Fatalf("CreateItemWithForm: %v", err)
	}
	if _, err := c.CreateCharge(ctx, media.CreateChargeRequest{Body: media.CreateChargeBody{Amount: 5}}); err != nil {
		t.Fatalf("CreateCharge: %v", err)
	}
	if err := c.PutNote(ctx, media.PutNoteRequest{ID: 3, Tags: []string{"a", "b"}, Body: "hello"}); err != nil {
		t.Fatalf("PutNote: %v", err)
	}
	want := []string{"item lamp", "item later", "item form", "charge 5", `note 3 ["a" "b"] "hello"`}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("handlers saw\n%s\nwant\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
	if form := srv.Calls("createItem")[2]; !strings.Contains(string(form.Body), "name=form") {
		t.Errorf("the form call was recorded as %q", form.Body)
	}
	_, err = c.GetFile(ctx, media.GetFileRequest{Name: "a", Ext: "txt"})
	var ae *runtime.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 501 {
		t.Errorf("GetFile: %v, want 501", err)
	}
}
