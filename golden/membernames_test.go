package golden

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/generator/naming"
	membernames "github.com/connectorgen/connectorgen/golden/member-names/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// TestMemberNamesKeepTheirJSONKeys: properties named like the members the
// generator declares on a type (validate, Validate, value, marshalJSON,
// additionalProperties...) get suffixed Go names, and still encode and
// decode under their exact JSON keys.
func TestMemberNamesKeepTheirJSONKeys(t *testing.T) {
	in := `{"validate":"short","Validate":7,"value":"v","string":"s","error":"e","marshalJSON":"m",` +
		`"UnmarshalJSON":"u","additionalProperties":"a","raw":"r","isZero":true,"other":1}`
	var h membernames.Hook
	if err := json.Unmarshal([]byte(in), &h); err != nil {
		t.Fatal(err)
	}
	if h.Validate3.Value != "short" || h.Validate2.Value != 7 || h.Value.Value != "v" || h.MarshalJSON2.Value != "m" ||
		h.UnmarshalJSON2.Value != "u" || h.AdditionalProperties2.Value != "a" || h.Raw.Value != "r" || string(h.AdditionalProperties["other"]) != "1" {
		t.Fatalf("decoded %+v", h)
	}
	out, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	sameMembers(t, string(out), in)
	if err := h.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	h.Validate3 = runtime.Some("much too long")
	if err := h.Validate(); err == nil || !strings.Contains(err.Error(), "/validate") {
		t.Errorf("Validate of a too long validate member: %v", err)
	}
	var c membernames.Choice
	if err := json.Unmarshal([]byte(`{"n":3}`), &c); err != nil || c.Value2 == nil || c.Value() != c.Value2 {
		t.Fatalf("union: %+v, %v", c, err)
	}
}

// TestMemberNamesOnTheWire: the query parameter "validate" and the body
// member "validate" go out under their names.
func TestMemberNamesOnTheWire(t *testing.T) {
	var query, body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Validate", "yes")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	c, err := membernames.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.UpdateHook(context.Background(), membernames.UpdateHookRequest{ID: 1,
		ValidateQuery: runtime.Some(true), BodyQuery: runtime.Some("b"), Body: membernames.UpdateHookBody{Validate2: true}})
	if err != nil {
		t.Fatal(err)
	}
	if query != "validate=true&body=b" {
		t.Errorf("query %q", query)
	}
	sameMembers(t, body, `{"validate":true}`)
	if res.Accepted == nil || res.Accepted.Validate2 == nil || res.Validate.Value != "yes" {
		t.Errorf("response %+v", res)
	}
}

// TestMethodsAreReserved: every method the golden connectors declare on a
// generated type (not the Client) is a member name the names pass
// reserves (naming.ObjectMembers, UnionMembers, RequestMembers), or Error,
// which an error body's type gets only when no member takes the name. A
// new method must be reserved there, or a property named like it breaks
// the build.
func TestMethodsAreReserved(t *testing.T) {
	reserved := slices.Concat(naming.ObjectMembers, naming.UnionMembers, naming.RequestMembers, []string{"Error"})
	files, err := filepath.Glob("*/want/*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("*/want/*/*.go")
	seen := 0
	for _, f := range append(files, more...) {
		if strings.HasPrefix(f, "graphql-") { // genqlient's code, named by its own rules
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil {
				continue
			}
			recv := fn.Recv.List[0].Type
			if st, ok := recv.(*ast.StarExpr); ok {
				recv = st.X
			}
			// Client's methods are operations; the webhook receiver's and
			// sender's are On<Event> and Send<Event> beside fixed fields
			// and methods none of which starts so (naming's webhooks); a
			// fake Server's are On<Op> beside runtime/fake.Server's, none
			// of which starts with On.
			if id, ok := recv.(*ast.Ident); ok && (id.Name == "Client" || id.Name == "Webhooks" || id.Name == "WebhookSender" ||
				id.Name == "Server" && strings.HasSuffix(filepath.Dir(f), "fake")) {
				continue
			}
			seen++
			if !slices.Contains(reserved, fn.Name.Name) {
				t.Errorf("%s: method %s is not reserved in naming's member lists", f, fn.Name.Name)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no generated method found")
	}
}
