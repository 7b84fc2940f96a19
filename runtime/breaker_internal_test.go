package runtime

import (
	"testing"
	"time"
)

// TestBreakerSettingsNormalize: the zero settings are the defaults, and
// the open timeout is drawn per breaker within [OpenTimeout·(1−OpenJitter),
// OpenTimeout].
func TestBreakerSettingsNormalize(t *testing.T) {
	cfg := newBreakers(BreakerSettings{}).cfg
	def := DefaultBreakerSettings()
	if cfg.FailureRatio != 0.5 || cfg.MinRequests != 20 || cfg.Window != 10*time.Second ||
		cfg.OpenTimeout != 4*time.Second || cfg.OpenJitter != 0.25 || cfg.HalfOpenRequests != 3 ||
		cfg.FailureRatio != def.FailureRatio || cfg.Window != def.Window {
		t.Errorf("normalized zero settings: %+v", cfg)
	}
	bs := newBreakers(BreakerSettings{Interval: 3 * time.Second})
	if bs.cfg.Window != 3*time.Second || bs.gb.BucketPeriod != 300*time.Millisecond || bs.gb.Interval != 3*time.Second {
		t.Errorf("Interval as the window: %+v %+v", bs.cfg.Window, bs.gb)
	}
	seen := map[time.Duration]bool{}
	for range 200 {
		d := cfg.openTimeout()
		if d < 3*time.Second || d > 4*time.Second {
			t.Fatalf("open timeout %v outside [3s, 4s]", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Errorf("open timeout barely jittered: %d distinct values in 200", len(seen))
	}
	exact := newBreakers(BreakerSettings{OpenTimeout: time.Second, OpenJitter: -1}).cfg
	if d := exact.openTimeout(); d != time.Second {
		t.Errorf("no jitter: %v", d)
	}
	b := newBreakers(BreakerSettings{}).get("h")
	if b.cb.State() != 0 {
		t.Errorf("new breaker not closed")
	}
}
