package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Health defaults, the zero [Health] fields' values.
const (
	DefaultHealthWindow       = 5 * time.Minute // how far back Check looks
	DefaultHealthMaxErrorRate = 0.5             // share of calls failing (transport, 5xx, 429) that is unhealthy
	DefaultHealthMaxDriftRate = 0.2             // share of responses with drift that is unhealthy
	DefaultHealthMinCalls     = 10              // calls in the window before the rates count
)

// healthBuckets is how many buckets the window is cut into.
const healthBuckets = 30

// Health judges one partner's health from its client's calls (give
// Observer() to the client with WithObserver): the circuit breakers'
// state, the share of calls that failed (a transport error, a 5xx or a
// 429) and of responses that drifted from the spec ([Drift]) over the last
// Window, and, when set, a Probe: a cheap call of the partner's API. It
// is safe for concurrent use; memory is constant (the window is kept in
// buckets). Check is the readiness check of a service that depends on
// the partner; ServeHTTP serves it.
type Health struct {
	// Probe is called by Check when set: a cheap operation of the API
	// (a status endpoint, a list of one item). Its error is the health's.
	Probe func(ctx context.Context) error
	// Window, MaxErrorRate, MaxDriftRate and MinCalls tune the judgement;
	// zero values mean the Default constants.
	Window       time.Duration
	MaxErrorRate float64
	MaxDriftRate float64
	MinCalls     int
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	buckets  [healthBuckets]healthBucket
	breakers map[string]BreakerState
}

type healthBucket struct {
	start                 time.Time
	calls, failed, drifts int
}

// HealthReport is what Check saw: the counts over the window, the
// breakers not closed, and why it is unhealthy (empty when healthy).
type HealthReport struct {
	Window       time.Duration `json:"window"`
	Calls        int           `json:"calls"`
	Failed       int           `json:"failed"`
	Drifted      int           `json:"drifted"`
	OpenBreakers []string      `json:"open_breakers,omitempty"`
	Reasons      []string      `json:"reasons,omitempty"`
}

// ErrUnhealthy is matched (errors.Is) by Check's error.
var ErrUnhealthy = errors.New("runtime: partner unhealthy")

// Observer returns the hooks that feed h; add them to the partner's
// client with WithObserver.
func (h *Health) Observer() Observer {
	return Observer{
		Call: func(_ context.Context, e CallEvent) {
			failed := e.Err != nil && !errors.Is(e.Err, context.Canceled) || e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests
			h.add(func(b *healthBucket) {
				b.calls++
				if failed {
					b.failed++
				}
			})
		},
		Drift: func(context.Context, DriftEvent) { h.add(func(b *healthBucket) { b.drifts++ }) },
		BreakerStateChange: func(_ context.Context, name string, _, to BreakerState) {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.breakers == nil {
				h.breakers = map[string]BreakerState{}
			}
			h.breakers[name] = to
		},
	}
}

func (h *Health) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Health) window() time.Duration {
	if h.Window > 0 {
		return h.Window
	}
	return DefaultHealthWindow
}

// add counts into the current bucket, starting it anew when its time slot
// passed.
func (h *Health) add(f func(*healthBucket)) {
	now := h.now()
	slot := h.window() / healthBuckets
	if slot <= 0 {
		slot = time.Nanosecond
	}
	start := now.Truncate(slot)
	i := int(start.UnixNano()/int64(slot)) % healthBuckets
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.buckets[i].start.Equal(start) {
		h.buckets[i] = healthBucket{start: start}
	}
	f(&h.buckets[i])
}

// Report returns the counts over the window and the reasons Check would
// give, without probing.
func (h *Health) Report() HealthReport {
	now := h.now()
	w := h.window()
	r := HealthReport{Window: w}
	h.mu.Lock()
	for _, b := range h.buckets {
		if !b.start.IsZero() && now.Sub(b.start) < w {
			r.Calls += b.calls
			r.Failed += b.failed
			r.Drifted += b.drifts
		}
	}
	for name, s := range h.breakers {
		if s != BreakerClosed {
			r.OpenBreakers = append(r.OpenBreakers, name+" "+s.String())
		}
	}
	h.mu.Unlock()
	sort.Strings(r.OpenBreakers)
	if len(r.OpenBreakers) > 0 {
		r.Reasons = append(r.Reasons, "circuit breaker "+strings.Join(r.OpenBreakers, ", "))
	}
	minCalls, maxErr, maxDrift := h.MinCalls, h.MaxErrorRate, h.MaxDriftRate
	if minCalls <= 0 {
		minCalls = DefaultHealthMinCalls
	}
	if maxErr <= 0 {
		maxErr = DefaultHealthMaxErrorRate
	}
	if maxDrift <= 0 {
		maxDrift = DefaultHealthMaxDriftRate
	}
	if r.Calls >= minCalls {
		if rate := float64(r.Failed) / float64(r.Calls); rate > maxErr {
			r.Reasons = append(r.Reasons, fmt.Sprintf("%d of %d calls failed in %v", r.Failed, r.Calls, w))
		}
		if rate := float64(r.Drifted) / float64(r.Calls); rate > maxDrift {
			r.Reasons = append(r.Reasons, fmt.Sprintf("%d of %d responses drifted from the spec in %v", r.Drifted, r.Calls, w))
		}
	}
	return r
}

// Check reports the partner's health: nil when healthy, else an error
// matching ErrUnhealthy that lists the reasons (an open breaker, an error
// or drift rate over its bound, the Probe's error).
func (h *Health) Check(ctx context.Context) error {
	r := h.Report()
	if h.Probe != nil {
		if err := h.Probe(ctx); err != nil {
			r.Reasons = append(r.Reasons, "probe: "+err.Error())
		}
	}
	if len(r.Reasons) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrUnhealthy, strings.Join(r.Reasons, "; "))
}

// ServeHTTP answers a readiness check: 200 when Check passes, else 503,
// with the report as JSON (counts and reasons; no request data).
func (h *Health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := h.Report()
	status := http.StatusOK
	if h.Probe != nil {
		if err := h.Probe(r.Context()); err != nil {
			rep.Reasons = append(rep.Reasons, "probe: "+err.Error())
		}
	}
	if len(rep.Reasons) > 0 {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(rep)
}
