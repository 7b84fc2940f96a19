package fake

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
)

type formAddress struct {
	City  string              `json:"city"`
	Lines []string            `json:"lines,omitzero"`
	Zip   runtime.Opt[string] `json:"zip,omitzero"`
}

type formBody struct {
	Amount   int64                      `json:"amount"`
	Capture  runtime.Opt[bool]          `json:"capture,omitzero"`
	Address  *formAddress               `json:"address,omitzero"`
	Expand   []string                   `json:"expand,omitzero"`
	Metadata map[string]string          `json:"metadata,omitzero"`
	Items    []formAddress              `json:"items,omitzero"`
	At       runtime.Opt[time.Time]     `json:"at,omitzero"`
	Extra    map[string]json.RawMessage `json:"-" jsonextra:""`
}

// TestFormBody: Stripe-style form bodies decode into a generated-like
// type: scalars by type, brackets for objects and maps, indexed and
// bracketed lists, repeated names; undeclared members kept; a value that
// does not parse left unset.
func TestFormBody(t *testing.T) {
	body := "amount=500&capture=true&address[city]=Paris&address[lines][0]=1+rue&address[lines][1]=bis" +
		"&expand[]=customer&expand[]=invoice&metadata[order]=6735&metadata[k2]=v&items[0][city]=Lyon&items[1][city]=Nice" +
		"&at=not-a-time&coupon=SUMMER"
	r := httptest.NewRequest("POST", "/charges", strings.NewReader(body))
	var got formBody
	if err := FormBody(r, &got); err != nil {
		t.Fatal(err)
	}
	if got.Amount != 500 || !got.Capture.Set || !got.Capture.Value || got.Address == nil || got.Address.City != "Paris" ||
		len(got.Address.Lines) != 2 || got.Address.Lines[1] != "bis" || got.Address.Zip.Set ||
		len(got.Expand) != 2 || got.Expand[1] != "invoice" || got.Metadata["order"] != "6735" ||
		len(got.Items) != 2 || got.Items[1].City != "Nice" || got.At.Set || string(got.Extra["coupon"]) != `"SUMMER"` {
		t.Errorf("decoded %+v (address %+v, extra %s)", got, got.Address, got.Extra)
	}
}

// FuzzFormBody: any form body decodes into a nested generated-like type
// without panicking or running away.
func FuzzFormBody(f *testing.F) {
	f.Add("amount=500&address[city]=Paris&expand[]=a&items[0][city]=x")
	f.Add("a[[[b]]]=1&a[]=&%zz=1&items[999999999][city]=y")
	f.Add("metadata[a][b][c][d]=1&coupon=")
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		var got formBody
		_ = FormBody(r, &got)
	})
}
