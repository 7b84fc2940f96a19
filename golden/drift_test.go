package golden

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	petstore "github.com/connectorgen/connectorgen/golden/petstore/want"
	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/drifttest"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// The generated petstore's GetPet against a partner that drifts from its
// spec (Pet: name required, minLength 1; id int64): tolerant by default,
// each drift reported with its pointer; strict as an error.

// getPetDrift calls GetPet on a server answering body, with opts, and
// returns the pet, the drift reported and the call's error.
func getPetDrift(t *testing.T, body string, opts ...runtime.CallOption) (*petstore.Pet, []runtime.Drift, error) {
	t.Helper()
	var drift []runtime.Drift
	obs := runtime.WithObserver(runtime.Observer{Drift: func(_ context.Context, e runtime.DriftEvent) {
		drift = append(drift, e.Drift...)
	}})
	c, err := petstore.New(drifttest.Serve(t, drifttest.Exchange{Body: body}), obs, runtime.WithMaxRetries(0), petstore.WithAPIKey(auth.APIKey("k")))
	if err != nil {
		t.Fatal(err)
	}
	pet, err := c.GetPet(context.Background(), petstore.GetPetRequest{PetID: 7}, opts...)
	return pet, drift, err
}

func describe(ds []runtime.Drift) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s %s %s", d.Pointer, d.Expected, d.Got))
	}
	return strings.Join(parts, "; ")
}

func TestDriftTolerantAndStrict(t *testing.T) {
	for _, c := range []struct {
		name, body string
		opts       []runtime.CallOption
		want       string // drift, tolerant
		check      func(*petstore.Pet) bool
		strict     func(error) bool
	}{
		{
			name: "mistyped member", body: `{"name":"Rex","id":"seven"}`,
			want:   "/id int64 string",
			check:  func(p *petstore.Pet) bool { return p.Name == "Rex" && !p.ID.Set },
			strict: func(err error) bool { var te *json.UnmarshalTypeError; return errors.As(err, &te) },
		},
		{
			name: "missing required member", body: `{"id":7}`,
			want:  "/name string absent",
			check: func(p *petstore.Pet) bool { return p.ID.Value == 7 && p.Name == "" },
			strict: func(err error) bool {
				var me *rtimpl.MissingMemberError
				return errors.As(err, &me) && me.Pointer == "/name"
			},
		},
		{
			name: "constraint broken", body: `{"name":"","id":7}`, opts: []runtime.CallOption{runtime.WithResponseValidation()},
			want:   "/name length 0 is below the minimum 1 invalid",
			check:  func(p *petstore.Pet) bool { return p.ID.Value == 7 },
			strict: func(err error) bool { var ve *runtime.ValidationError; return errors.As(err, &ve) },
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			pet, drift, err := getPetDrift(t, c.body, c.opts...)
			if err != nil || !c.check(pet) {
				t.Fatalf("tolerant: %+v, %v", pet, err)
			}
			if got := describe(drift); got != c.want {
				t.Errorf("drift %q, want %q", got, c.want)
			}
			_, drift, err = getPetDrift(t, c.body, append(c.opts, runtime.WithStrictDecoding())...)
			var de *runtime.DecodeError
			if !errors.As(err, &de) || !c.strict(err) {
				t.Errorf("strict: %v (%T)", err, errors.Unwrap(err))
			}
			if len(drift) != 0 {
				t.Errorf("strict decoding reported drift %s", describe(drift))
			}
		})
	}
}

// errRecorder is a testing.TB that keeps what Errorf says.
type errRecorder struct {
	testing.TB
	errs []string
}

func (r *errRecorder) Helper()                      {}
func (r *errRecorder) Errorf(f string, args ...any) { r.errs = append(r.errs, fmt.Sprintf(f, args...)) }

// TestDriftTestFailsOnDrift: drifttest.Options fails a contract test on a
// drifting response, naming operation, status and pointer, and stays
// quiet on one that matches the spec.
func TestDriftTestFailsOnDrift(t *testing.T) {
	for body, want := range map[string]string{
		`{"name":"Rex","id":7}`: "",
		`{"name":"","id":"x"}`:  "drift in getPet (status 200) at /id: expected int64, got string\ndrift in getPet (status 200) at /name: expected length 0 is below the minimum 1, got invalid",
	} {
		rec := &errRecorder{TB: t}
		c, err := petstore.New(drifttest.Serve(t, drifttest.Exchange{Body: body}), drifttest.Options(rec), petstore.WithAPIKey(auth.APIKey("k")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetPet(context.Background(), petstore.GetPetRequest{PetID: 7}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rec.errs, "\n"); got != want {
			t.Errorf("%s: test errors\n%s\nwant\n%s", body, got, want)
		}
	}
}
