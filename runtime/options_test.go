package runtime_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/connectorgen/connectorgen/runtime"
)

// An Option is both a ClientOption and a CallOption.
var (
	_ runtime.ClientOption = runtime.Option(nil)
	_ runtime.CallOption   = runtime.Option(nil)
)

// TestOptionPlaces pins where each kind of option is accepted, so misuse
// is a compile error: a per-call option cannot be given to NewClient (one
// idempotency key for every call), an option that builds per-client state
// cannot be given to a call.
func TestOptionPlaces(t *testing.T) {
	clientT := reflect.TypeFor[runtime.ClientOption]()
	callT := reflect.TypeFor[runtime.CallOption]()
	for name, o := range map[string]any{
		"WithIdempotencyKey": runtime.WithIdempotencyKey("k"),
		"WithRawResponse":    runtime.WithRawResponse(nil),
	} {
		if reflect.TypeOf(o).Implements(clientT) {
			t.Errorf("%s is a ClientOption", name)
		}
		if !reflect.TypeOf(o).Implements(callT) {
			t.Errorf("%s is not a CallOption", name)
		}
	}
	for name, o := range map[string]any{
		"WithCircuitBreaker": runtime.WithCircuitBreaker(runtime.BreakerSettings{}),
		"WithRateLimit":      runtime.WithRateLimit(runtime.RateLimit{}),
		"WithMutualTLS":      runtime.WithMutualTLS(nil, nil),
	} {
		if reflect.TypeOf(o).Implements(callT) {
			t.Errorf("%s is a CallOption", name)
		}
		if !reflect.TypeOf(o).Implements(clientT) {
			t.Errorf("%s is not a ClientOption", name)
		}
	}
	// The signatures callers see.
	if in := reflect.TypeOf(runtime.NewClient).In(2).Elem(); in != clientT {
		t.Errorf("NewClient takes ...%v", in)
	}
	if in := reflect.TypeOf((*runtime.Client).Do).In(3).Elem(); in != callT {
		t.Errorf("Client.Do takes ...%v", in)
	}
}

// TestNilOptionsDoNothing: a nil option, or a With option given nil, is
// accepted without a panic.
func TestNilOptionsDoNothing(t *testing.T) {
	c, err := runtime.NewClient("http://127.0.0.1:1", nil, nil, runtime.Option(nil),
		runtime.WithLogger(nil), runtime.WithRetryBudget(nil), runtime.WithRateLimiter(nil),
		runtime.WithBreakers(nil), runtime.WithMutualTLS(nil, nil), runtime.WithDeprecationHook(nil),
		runtime.WithDeprecationWarnings(nil), runtime.WithHTTPClient(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.BreakerState("127.0.0.1:1"); ok {
		t.Error("unused breaker has a state")
	}
}

// wrapped embeds a CallOption, which makes it one too; wrappedClient a
// ClientOption.
type (
	wrapped       struct{ runtime.CallOption }
	wrappedClient struct{ runtime.ClientOption }
)

// TestForeignOption: an option that is not one of the runtime's option
// values fails the call or NewClient instead of being ignored.
func TestForeignOption(t *testing.T) {
	c, err := runtime.NewClient("http://127.0.0.1:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	op := &runtime.Operation{ID: "getPet", Method: "GET"}
	if _, err := c.Do(t.Context(), runtime.NewRequest(op, "/"), wrapped{runtime.WithTimeout(1)}); err == nil || !strings.Contains(err.Error(), "not one of package runtime's") {
		t.Errorf("Do with a wrapped option: %v", err)
	}
	if err := c.Validate(nil, wrapped{}); err == nil {
		t.Error("Validate accepted a wrapped option")
	}
	if _, err := runtime.NewClient("http://127.0.0.1:1", nil, wrappedClient{runtime.WithTimeout(1)}); err == nil {
		t.Error("NewClient accepted a wrapped option")
	}
}
