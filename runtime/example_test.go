package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// Pet and Error stand in for types generated from a spec's schemas.
type Pet struct {
	ID    int64                    `json:"id"`
	Name  string                   `json:"name"`
	Tag   runtime.Opt[string]      `json:"tag,omitzero"`
	Owner runtime.Nullable[string] `json:"owner,omitzero"`
}

type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// This is roughly what a generated operation method does.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != "secret" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":"unauthorized","message":"bad key"}`)
			return
		}
		fmt.Println("server got:", r.URL.RequestURI())
		io.WriteString(w, `{"id":42,"name":"Rex","owner":null}`)
	}))
	defer srv.Close()

	// Generated: one Operation per operationId and the spec's schemes.
	getPet := &runtime.Operation{
		ID: "getPet", Method: "GET", Path: "/pets/{petId}",
		Security: [][]string{{"api_key"}}, Idempotent: true,
	}
	schemes := []auth.SecurityScheme{{Name: "api_key", Type: "apiKey", In: "header", ParamName: "X-API-Key"}}

	client, err := runtime.NewClient("https://petstore.example.com/v1", schemes,
		runtime.WithBaseURL(srv.URL+"/v1"),
		runtime.WithCredential("api_key", auth.APIKey("secret")))
	if err != nil {
		fmt.Println(err)
		return
	}

	// Generated method body for GetPet(ctx, petId, fields):
	req := runtime.NewRequest(getPet, "/pets/"+rtimpl.PathParam("42"))
	rtimpl.AddQuery(req, "fields", []string{"name", "owner"}, rtimpl.StyleForm, false)
	resp, err := client.Do(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	if resp.StatusCode != http.StatusOK {
		fmt.Println(resp.Error(new(Error)))
		return
	}
	var pet Pet
	if err := rtimpl.DecodeJSON(resp, &pet); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("pet %d %s, tag %q (%v), owner null: %v\n", pet.ID, pet.Name, pet.Tag.Value, pet.Tag.Set, pet.Owner.Null)

	// A per-call option overrides the client's credential.
	resp, _ = client.Do(context.Background(), req, runtime.WithCredential("api_key", auth.APIKey("wrong")))
	var apiErr *runtime.APIError
	if errors.As(resp.Error(new(Error)), &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Detail.(*Error).Code)
	}
	// Output:
	// server got: /v1/pets/42?fields=name,owner
	// pet 42 Rex, tag "" (false), owner null: true
	// 401 unauthorized
}

func ExampleOpt() {
	type patch struct {
		Name  runtime.Opt[string]      `json:"name,omitzero"`
		Tag   runtime.Opt[string]      `json:"tag,omitzero"`
		Owner runtime.Nullable[string] `json:"owner,omitzero"`
	}
	b, _ := rtimpl.Marshal(patch{Name: runtime.Some("Rex"), Owner: runtime.NullValue[string]()})
	fmt.Println(string(b))
	// Output:
	// {"name":"Rex","owner":null}
}
