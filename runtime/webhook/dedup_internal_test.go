package webhook

import (
	"context"
	"testing"
	"time"
)

// A claim whose handler died expires with its lease: the redelivery is
// handled again. A handled id is remembered for the retention, then
// forgotten (and swept).
func TestMemoryDedupLeaseAndRetention(t *testing.T) {
	ctx := context.Background()
	clock := time.Unix(1_700_000_000, 0)
	m := NewMemoryDedup()
	m.now = func() time.Time { return clock }
	step := func(d time.Duration) { clock = clock.Add(d) }

	if c, _ := m.Claim(ctx, "a", time.Minute); c != Claimed {
		t.Fatalf("first claim: %v", c)
	}
	if c, _ := m.Claim(ctx, "a", time.Minute); c != Busy {
		t.Fatalf("claim within the lease: %v", c)
	}
	step(61 * time.Second) // the process handling "a" died
	if c, _ := m.Claim(ctx, "a", time.Minute); c != Claimed {
		t.Fatalf("claim after the lease: %v", c)
	}
	if n, _ := m.Fail(ctx, "a", time.Hour); n != 1 {
		t.Fatalf("failures %d", n)
	}
	m.Claim(ctx, "a", time.Minute)
	if n, _ := m.Fail(ctx, "a", time.Hour); n != 2 {
		t.Fatalf("failures %d, want 2: they accumulate", n)
	}
	m.Claim(ctx, "a", time.Minute)
	m.Done(ctx, "a", time.Hour)
	if c, _ := m.Claim(ctx, "a", time.Minute); c != Handled {
		t.Fatalf("claim after done: %v", c)
	}
	step(61 * time.Minute)
	if c, _ := m.Claim(ctx, "a", time.Minute); c != Claimed {
		t.Fatalf("claim after the retention: %v", c)
	}
	for i := range 2000 { // the sweep drops expired entries
		m.Done(ctx, string(rune('b'+i%20))+time.Duration(i).String(), time.Second)
	}
	step(time.Hour)
	m.Claim(ctx, "z", time.Minute)
	for i := range 1000 {
		m.Claim(ctx, "y"+time.Duration(i).String(), time.Nanosecond)
	}
	if n := len(m.entries); n > 1100 {
		t.Errorf("%d entries after the sweep", n)
	}
}
