package runtime

import (
	"log/slog"
	"testing"
)

// TestWithNilKeepsSetting: a With option given nil leaves the setting as
// it was; the Without option is what turns the thing off.
func TestWithNilKeepsSetting(t *testing.T) {
	l := slog.Default()
	def := defaultSettings("http://h")
	s, err := def.withClient([]ClientOption{WithLogger(l), WithLogger(nil), WithRetryBudget(nil), WithRateLimiter(nil), WithBreakers(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if s.logger != l || s.budget == nil || s.limiter == nil || s.breakers == nil {
		t.Errorf("nil arguments changed settings: logger %v, budget %v, limiter %v, breakers %v", s.logger, s.budget, s.limiter, s.breakers)
	}
	s, err = s.withCall([]CallOption{WithoutLogger(), WithoutRetryBudget(), WithoutRateLimit(), WithoutCircuitBreaker(), nil, Option(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if s.logger != nil || s.budget != nil || s.limiter != nil || s.breakers != nil {
		t.Errorf("Without options left: logger %v, budget %v, limiter %v, breakers %v", s.logger, s.budget, s.limiter, s.breakers)
	}
	if def.breakers == nil || def.logger != nil {
		t.Error("per-call options changed the client's settings")
	}
}

// TestStatefulOptionsBuildPerClient: WithCircuitBreaker and WithRateLimit
// build their state when applied, once per client.
func TestStatefulOptionsBuildPerClient(t *testing.T) {
	opts := []ClientOption{WithCircuitBreaker(BreakerSettings{}), WithRateLimit(RateLimit{Rate: 1})}
	da, db := defaultSettings("http://h"), defaultSettings("http://h")
	a, errA := da.withClient(opts)
	b, errB := db.withClient(opts)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a.breakers == b.breakers || a.limiter == b.limiter {
		t.Error("one option value gave two clients the same breakers or limiter")
	}
}
