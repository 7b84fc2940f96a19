package golden

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	gh "github.com/connectorgen/connectorgen/golden/graphql-github/want"
	inputs "github.com/connectorgen/connectorgen/golden/graphql-inputs/want"
	unknown "github.com/connectorgen/connectorgen/golden/graphql-unknown/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The generated "graphql-inputs" case on the wire (#14): an unset
// nullable variable or input-object field is left out of the request, not
// sent as null (which an update reads as "clear"); an unset variable or
// field with a default is left out so that the server applies the default;
// null is sent only when asked for. Before, UpdateEvent with only title set
// sent {"input":{"id":"E1","title":"t","at":null,"data":null,"source":null,"priority":0}}.

// variablesSent calls call against a recorder and returns the "variables"
// member of the request body as sent.
func variablesSent(t *testing.T, call func(c *inputs.Client) error) string {
	t.Helper()
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":{}}`))
	})
	c, err := inputs.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := call(c); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Variables json.RawMessage `json:"variables"`
	}
	if err := json.Unmarshal(rec.one(t).Body, &body); err != nil {
		t.Fatal(err)
	}
	return string(body.Variables)
}

func TestGraphQLUnsetInputsLeftOut(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		call func(c *inputs.Client) error
		want string
	}{
		{"update with one field set", func(c *inputs.Client) error {
			_, err := c.UpdateEvent(ctx, inputs.UpdateEventVariables{Input: inputs.UpdateEventInput{Id: "E1", Title: runtime.NewNullable("t")}})
			return err
		}, `{"input":{"id":"E1","title":"t"}}`},
		{"explicit null and zero values", func(c *inputs.Client) error {
			_, err := c.UpdateEvent(ctx, inputs.UpdateEventVariables{Input: inputs.UpdateEventInput{Id: "E1",
				Title: runtime.NullValue[string](), Priority: runtime.Some(0), Source: runtime.NewNullable(netip.MustParseAddr("192.0.2.1")),
				Data: runtime.NewNullable(json.RawMessage(`{"k":[1]}`))}})
			return err
		}, `{"input":{"id":"E1","title":null,"data":{"k":[1]},"source":"192.0.2.1","priority":0}}`},
		{"no variables set: defaults apply", func(c *inputs.Client) error {
			_, err := c.Events(ctx, inputs.EventsVariables{})
			return err
		}, `{}`},
		{"variables and a recursive filter", func(c *inputs.Client) error {
			_, err := c.Events(ctx, inputs.EventsVariables{First: runtime.Some(5), SkipData: runtime.NewNullable(true),
				Since: runtime.NewNullable(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)),
				Filter: runtime.NewNullable(inputs.EventFilter{Not: runtime.NewNullable(&inputs.EventFilter{Title: runtime.NewNullable("x")}),
					Any: runtime.NewNullable([]inputs.EventFilter{})})})
			return err
		}, `{"since":"2025-01-02T03:04:05Z","filter":{"not":{"title":"x"},"any":[]},"first":5,"skipData":true}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := variablesSent(t, tc.call); got != tc.want {
				t.Errorf("variables sent\n got %s\nwant %s", got, tc.want)
			}
		})
	}
	// encoding/json, too, goes through the runtime's encoder.
	b, err := json.Marshal(inputs.UpdateEventInput{Id: "E1", Title: runtime.NewNullable("t")})
	if err != nil || string(b) != `{"id":"E1","title":"t"}` {
		t.Errorf("json.Marshal: %s %v", b, err)
	}
}

// A __typename the connector was not generated for decodes into the
// Unknown variant (keeping the typename, the JSON object and the fields
// selected on the interface) and encodes back as it came; before, the call
// failed with `unexpected concrete type for NodeNode: "Discussion"`.
func TestGraphQLUnknownTypename(t *testing.T) {
	const body = `{"data":{"node":{"__typename":"Discussion","id":"D1","title":"new"}}}`
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	})
	c, err := gh.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Node(context.Background(), gh.NodeVariables{Id: "D1"})
	if err != nil {
		t.Fatal(err)
	}
	n, ok := (*res.Node).(*gh.NodeNodeUnknown)
	if !ok {
		t.Fatalf("node is a %T", *res.Node)
	}
	if *n.GetTypename() != "Discussion" || n.GetId() != "D1" || !strings.Contains(string(n.Raw), `"title":"new"`) {
		t.Errorf("unknown node %+v (raw %s)", n, n.Raw)
	}
	b, err := json.Marshal(res)
	if err != nil || string(b) != `{"node":{"__typename":"Discussion","id":"D1","title":"new"}}` {
		t.Errorf("re-encoded %s %v", b, err)
	}
}

// An interface with no implementation in the schema decodes every object
// into its Unknown variant, the shared fields included (before, every
// call selecting it failed).
func TestGraphQLUnknownWithoutImplementations(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":{"pet":{"__typename":"Cat","name":"Tom","url":"https://example.com/tom"}}}`))
	})
	c, err := unknown.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Pet(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pet == nil {
		t.Fatal("pet is nil")
	}
	p, ok := (*res.Pet).(*unknown.PetPetUnknown)
	if !ok || *p.GetTypename() != "Cat" || p.GetName() != "Tom" || p.GetUrl() == nil || *p.GetUrl() != "https://example.com/tom" {
		t.Fatalf("pet %T %+v", *res.Pet, *res.Pet)
	}
	if b, err := json.Marshal(res); err != nil || !strings.Contains(string(b), `"__typename":"Cat"`) {
		t.Errorf("re-encoded %s %v", b, err)
	}
}
