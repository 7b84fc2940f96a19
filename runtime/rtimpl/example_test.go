package rtimpl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

func ExampleAddQuery() {
	type window struct {
		Gte int `json:"gte"`
		Lt  int `json:"lt"`
	}
	r := runtime.NewRequest(&runtime.Operation{ID: "list", Method: "GET"}, "/items")
	rtimpl.AddQuery(r, "created", window{Gte: 1, Lt: 9}, rtimpl.StyleDeepObject, true)
	rtimpl.AddQuery(r, "ids", []int{3, 4}, rtimpl.StylePipeDelimited, false)
	rtimpl.AddQuery(r, "cursor", runtime.Opt[string]{}, rtimpl.StyleForm, true) // absent: skipped

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.URL.RawQuery)
	}))
	defer srv.Close()
	c, _ := runtime.NewClient(srv.URL, nil)
	c.Do(context.Background(), r)
	// Output:
	// created%5Bgte%5D=1&created%5Blt%5D=9&ids=3%7C4
}
