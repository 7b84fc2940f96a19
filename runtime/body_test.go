package runtime_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

var createSession = &runtime.Operation{ID: "createCheckoutSession", Method: "POST", Path: "/v1/checkout/sessions"}

type lineItem struct {
	Price    string              `json:"price"`
	Quantity int                 `json:"quantity"`
	TaxRates []string            `json:"tax_rates,omitempty"`
	Adjust   runtime.Opt[adjust] `json:"adjustable_quantity,omitzero"`
}

type adjust struct {
	Enabled bool `json:"enabled"`
	Maximum int  `json:"maximum"`
}

type sessionParams struct {
	Customer    string                   `json:"customer"`
	Mode        string                   `json:"mode"`
	Metadata    map[string]string        `json:"metadata"`
	Expand      []string                 `json:"expand"`
	LineItems   []lineItem               `json:"line_items"`
	Description runtime.Opt[string]      `json:"description,omitzero"`
	Coupon      runtime.Nullable[string] `json:"coupon,omitzero"`
	Amount      int64                    `json:"amount"`
	Live        bool                     `json:"livemode"`
}

func TestFormBodyStripeLike(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	r := runtime.NewRequest(createSession, "/v1/checkout/sessions")
	rtimpl.SetFormBody(r, sessionParams{
		Customer: "cus_123", Mode: "payment",
		Metadata: map[string]string{"order_id": "6735", "note": "a&b c"},
		Expand:   []string{"customer", "line_items.data"},
		LineItems: []lineItem{
			{Price: "price_1", Quantity: 2, TaxRates: []string{"txr_1"}},
			{Price: "price_2", Quantity: 1, Adjust: runtime.Some(adjust{Enabled: true, Maximum: 9})},
		},
		Coupon: runtime.NullValue[string](),
		Amount: 2000,
	})
	do(t, c, r)
	got := srv.last(t)
	if ct := got.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
	want := []string{
		"amount=2000",
		"customer=cus_123",
		"expand[0]=customer",
		"expand[1]=line_items.data",
		"line_items[0][price]=price_1",
		"line_items[0][quantity]=2",
		"line_items[0][tax_rates][0]=txr_1",
		"line_items[1][adjustable_quantity][enabled]=true",
		"line_items[1][adjustable_quantity][maximum]=9",
		"line_items[1][price]=price_2",
		"line_items[1][quantity]=1",
		"livemode=false",
		"metadata[note]=a&b c",
		"metadata[order_id]=6735",
		"mode=payment",
	}
	var decoded []string
	for _, pair := range strings.Split(got.Body, "&") {
		k, v, _ := strings.Cut(pair, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		decoded = append(decoded, k+"="+v)
	}
	if strings.Join(decoded, "\n") != strings.Join(want, "\n") {
		t.Errorf("form body decoded:\n%s\nwant:\n%s\nraw: %s", strings.Join(decoded, "\n"), strings.Join(want, "\n"), got.Body)
	}
	if strings.Contains(got.Body, "+") || !strings.Contains(got.Body, "metadata%5Bnote%5D=a%26b%20c") {
		t.Errorf("raw body escaping: %s", got.Body)
	}
}

func TestFormBodyURLValuesAndErrors(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil)
	r := runtime.NewRequest(createSession, "/x")
	rtimpl.SetFormBody(r, url.Values{"b": {"2 3"}, "a": {"1"}})
	do(t, c, r)
	if got := srv.last(t).Body; got != "a=1&b=2%203" {
		t.Errorf("url.Values body = %q", got)
	}

	before := srv.count()
	r = runtime.NewRequest(createSession, "/x")
	rtimpl.SetFormBody(r, []int{1, 2})
	if _, err := c.Do(context.Background(), r); err == nil || !strings.Contains(err.Error(), "createCheckoutSession") {
		t.Errorf("array form body: err = %v", err)
	}
	r = runtime.NewRequest(createSession, "/x")
	rtimpl.SetJSONBody(r, map[string]any{"bad": make(chan int)})
	if _, err := c.Do(context.Background(), r); err == nil {
		t.Error("unmarshalable JSON body: want error")
	}
	if srv.count() != before {
		t.Error("requests with encoding errors must not be sent")
	}
}

func TestJSONBodyHeadersCookies(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil, runtime.WithHeader("X-Tenant", "t1"))
	r := runtime.NewRequest(createSession, "/pets")
	rtimpl.SetJSONBody(r, map[string]any{"name": "<rex>", "tag": runtime.Opt[string]{}, "age": runtime.Some(3)})
	rtimpl.SetHeader(r, "X-Ids", []int{1, 2, 3})
	rtimpl.SetHeader(r, "X-Obj", map[string]string{"a": "1", "b": "2"})
	rtimpl.SetHeader(r, "X-Absent", runtime.Opt[string]{})
	rtimpl.SetHeader(r, "X-Tenant", "overridden by WithHeader")
	rtimpl.AddCookie(r, "session", "abc")
	rtimpl.AddCookie(r, "pref", "a b;c")
	rtimpl.AddCookie(r, "none", runtime.NullValue[string]())
	rtimpl.SetHeader(r, "Content-Type", "application/merge-patch+json")
	do(t, c, r)
	got := srv.last(t)
	if got.Body != `{"age":3,"name":"<rex>","tag":null}` {
		t.Errorf("JSON body = %s", got.Body)
	}
	checks := map[string]string{
		"Content-Type": "application/merge-patch+json",
		"X-Ids":        "1,2,3",
		"X-Obj":        "a,1,b,2",
		"X-Absent":     "",
		"X-Tenant":     "t1",
		"Cookie":       "session=abc; pref=a%20b%3Bc",
		"User-Agent":   "connectorgen-runtime/" + runtime.Version,
	}
	for k, want := range checks {
		if v := got.Header.Get(k); v != want {
			t.Errorf("header %s = %q, want %q", k, v, want)
		}
	}
}

func TestSetBodyRaw(t *testing.T) {
	srv := newCapture(t)
	c := mustClient(t, srv.URL, nil, runtime.WithUserAgent("my-app/1.0"))
	r := runtime.NewRequest(createSession, "/upload")
	r.SetBody("text/csv", strings.NewReader("a,b\n1,2\n"))
	do(t, c, r)
	got := srv.last(t)
	if got.Body != "a,b\n1,2\n" || got.Header.Get("Content-Type") != "text/csv" || got.Method != "POST" {
		t.Errorf("raw body request: %+v", got)
	}
	if ua := got.Header.Get("User-Agent"); ua != "my-app/1.0" {
		t.Errorf("User-Agent = %q", ua)
	}
}
