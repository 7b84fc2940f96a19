// Package redislimit is a fleet-wide [runtime.Limiter]: every process that
// uses the same Redis and key prefix shares one quota per key, enforced with
// GCRA (github.com/go-redis/redis_rate/v10), and a pause a server asks for
// (429 Retry-After, RateLimit-Remaining: 0, ...) holds back every process.
//
// It is a module of its own (github.com/connectorgen/connectorgen/runtime/redislimit)
// so that programs which do not use Redis do not depend on it.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	lim := redislimit.New(rdb, redislimit.Config{Limit: redis_rate.PerSecond(50)})
//	client, err := petstore.NewClient(runtime.WithRateLimiter(lim))
package redislimit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every Redis key the limiter uses.
const DefaultPrefix = "connectorgen:ratelimit:"

// Config configures a [Limiter].
type Config struct {
	// Limit is the quota shared by all processes, per key, e.g.
	// redis_rate.PerSecond(10) or redis_rate.Limit{Rate: 100, Burst: 20,
	// Period: time.Minute}. A zero Limit sets no quota: only the pauses
	// servers ask for are shared.
	Limit redis_rate.Limit
	// Limits, if set, gives the quota of each key (e.g. per host or per
	// operation class); it overrides Limit. A zero Limit means no quota.
	Limits func(key string) redis_rate.Limit
	// Prefix starts every Redis key; "" means DefaultPrefix. Processes
	// that share quotas must use the same prefix.
	Prefix string
	// MaxWait is the longest wait for a turn; a longer one fails at once
	// with runtime.ErrRateLimited. 0 means runtime.DefaultRateLimitMaxWait.
	MaxWait time.Duration
	// FailClosed makes Wait fail when Redis cannot be reached; by default
	// the call goes ahead (a limiter outage does not stop the API client).
	FailClosed bool
	// ObserveTimeout bounds the Redis write made by Observe; 0 means 1 s.
	ObserveTimeout time.Duration
}

// Limiter is a [runtime.Limiter] backed by Redis. It is safe for
// concurrent use.
type Limiter struct {
	rdb redis.UniversalClient
	rl  *redis_rate.Limiter
	cfg Config
}

// New returns a Limiter using rdb.
func New(rdb redis.UniversalClient, cfg Config) *Limiter {
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = runtime.DefaultRateLimitMaxWait
	}
	if cfg.ObserveTimeout <= 0 {
		cfg.ObserveTimeout = time.Second
	}
	return &Limiter{rdb: rdb, rl: redis_rate.NewLimiter(rdb), cfg: cfg}
}

var _ runtime.Limiter = (*Limiter)(nil)

// ErrUnavailable is wrapped by Wait's error when Redis cannot be reached
// and Config.FailClosed is set.
var ErrUnavailable = errors.New("redislimit: Redis unavailable")

// limit returns key's quota.
func (l *Limiter) limit(key string) redis_rate.Limit {
	if l.cfg.Limits != nil {
		return l.cfg.Limits(key)
	}
	return l.cfg.Limit
}

// pauseKey is the Redis key holding a server-requested pause.
func (l *Limiter) pauseKey(key string) string { return l.cfg.Prefix + "pause:" + key }

// Wait waits until key's shared quota and any shared pause let a request
// go. A wait that would outlast ctx's deadline, or MaxWait, fails at once
// with a [*runtime.RateLimitError]; ctx ending ends the wait with its error.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	limit := l.limit(key)
	for {
		d, err := l.next(ctx, key, limit)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if l.cfg.FailClosed {
				return fmt.Errorf("%w: %w", ErrUnavailable, err)
			}
			return nil
		}
		if d <= 0 {
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Now().Add(d).After(dl) {
			return &runtime.RateLimitError{Key: key, Wait: d, Reason: "beyond the context deadline"}
		}
		if d > l.cfg.MaxWait {
			return &runtime.RateLimitError{Key: key, Wait: d, Reason: fmt.Sprintf("longer than MaxWait (%v)", l.cfg.MaxWait)}
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// next asks Redis how long to wait: the shared pause if one is on, else the
// GCRA verdict (taking a token when one is free).
func (l *Limiter) next(ctx context.Context, key string, limit redis_rate.Limit) (time.Duration, error) {
	pttl, err := l.rdb.PTTL(ctx, l.pauseKey(key)).Result()
	if err != nil {
		return 0, err
	}
	if pttl > 0 {
		return pttl, nil
	}
	if limit.IsZero() {
		return 0, nil
	}
	res, err := l.rl.Allow(ctx, key, limit)
	if err != nil {
		return 0, err
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return max(res.RetryAfter, time.Millisecond), nil
}

// Observe shares the pause a response asks for (see
// [runtime.Response.RateLimitPause]) with every process: later Waits for
// key, anywhere, hold back until it is over. A longer pause already in
// place is kept.
func (l *Limiter) Observe(key string, resp *runtime.Response) {
	if resp == nil {
		return
	}
	pause := resp.RateLimitPause(time.Now())
	if pause <= 0 {
		return
	}
	pause = max(min(pause, 24*time.Hour), time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), l.cfg.ObserveTimeout)
	defer cancel()
	k := l.pauseKey(key)
	// SET NX creates the pause; PEXPIRE GT lengthens one in place (Redis 7).
	_, _ = l.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.SetNX(ctx, k, "1", pause)
		p.Do(ctx, "PEXPIRE", k, pause.Milliseconds(), "GT")
		return nil
	})
}
