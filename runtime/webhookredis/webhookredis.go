// Package webhookredis keeps a webhook receiver's deduplication and dead
// letters in Redis, so that a fleet of receivers (package
// runtime/webhook's Receiver, in several processes) handles each delivery
// once and shares one dead-letter queue.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	rc := &webhook.Receiver{Scheme: ..., Handle: ...,
//		Dedup: webhookredis.NewDedup(rdb, "partner"), DeadLetters: webhookredis.NewDeadLetters(rdb, "partner")}
//
// Keys are "<prefix>:dedup:<id>" (a hash: handled, failures; expires after
// the retention), "<prefix>:claim:<id>" (a lease, PX), and, for dead
// letters, the stream "<prefix>:deadletters" with the hash
// "<prefix>:deadletters:index" mapping delivery ids to stream entries.
package webhookredis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/connectorgen/connectorgen/runtime/webhook"
	"github.com/redis/go-redis/v9"
)

// Dedup is a webhook.Dedup in Redis. Claim is one atomic script; a claim
// is a key that expires with its lease, so a receiver that dies while
// handling releases it by itself.
type Dedup struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewDedup returns a Dedup over rdb whose keys start with prefix.
func NewDedup(rdb redis.UniversalClient, prefix string) *Dedup {
	return &Dedup{rdb: rdb, prefix: prefix}
}

func (d *Dedup) keys(id string) []string {
	return []string{d.prefix + ":dedup:" + id, d.prefix + ":claim:" + id}
}

// claimScript: handled → 1; claim taken now → 0; claimed by another → 2.
var claimScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'handled') == '1' then return 1 end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end
return 2
`)

// Claim implements webhook.Dedup.
func (d *Dedup) Claim(ctx context.Context, id string, lease time.Duration) (webhook.Claim, error) {
	n, err := claimScript.Run(ctx, d.rdb, d.keys(id), max(lease.Milliseconds(), 1)).Int()
	if err != nil {
		return 0, fmt.Errorf("webhookredis: claim: %w", err)
	}
	switch n {
	case 0:
		return webhook.Claimed, nil
	case 1:
		return webhook.Handled, nil
	}
	return webhook.Busy, nil
}

var doneScript = redis.NewScript(`
redis.call('HSET', KEYS[1], 'handled', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
`)

// Done implements webhook.Dedup.
func (d *Dedup) Done(ctx context.Context, id string, retention time.Duration) error {
	if err := doneScript.Run(ctx, d.rdb, d.keys(id), max(retention.Milliseconds(), 1)).Err(); err != nil {
		return fmt.Errorf("webhookredis: done: %w", err)
	}
	return nil
}

var failScript = redis.NewScript(`
local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return n
`)

// Fail implements webhook.Dedup.
func (d *Dedup) Fail(ctx context.Context, id string, retention time.Duration) (int, error) {
	n, err := failScript.Run(ctx, d.rdb, d.keys(id), max(retention.Milliseconds(), 1)).Int()
	if err != nil {
		return 0, fmt.Errorf("webhookredis: fail: %w", err)
	}
	return n, nil
}

// DeadLetters is a webhook.DeadLetters in a Redis stream: each letter is
// an entry (field "letter", its JSON), oldest first, and an index hash
// finds an id's entry. Put, Delete are atomic scripts.
type DeadLetters struct {
	rdb    redis.UniversalClient
	stream string
	index  string
}

// NewDeadLetters returns a DeadLetters over rdb whose keys start with
// prefix.
func NewDeadLetters(rdb redis.UniversalClient, prefix string) *DeadLetters {
	return &DeadLetters{rdb: rdb, stream: prefix + ":deadletters", index: prefix + ":deadletters:index"}
}

// letter is a dead letter's JSON form.
type letter struct {
	ID       string      `json:"id"`
	Header   http.Header `json:"header"`
	Body     []byte      `json:"body"`
	Err      string      `json:"err"`
	Attempts int         `json:"attempts"`
	At       time.Time   `json:"at"`
}

var putScript = redis.NewScript(`
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('XDEL', KEYS[1], old) end
local entry = redis.call('XADD', KEYS[1], '*', 'letter', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], entry)
return entry
`)

// Put implements webhook.DeadLetters.
func (l *DeadLetters) Put(ctx context.Context, d webhook.DeadLetter) error {
	b, err := json.Marshal(letter(d))
	if err != nil {
		return err
	}
	if err := putScript.Run(ctx, l.rdb, []string{l.stream, l.index}, d.ID, b).Err(); err != nil {
		return fmt.Errorf("webhookredis: put: %w", err)
	}
	return nil
}

// Get implements webhook.DeadLetters.
func (l *DeadLetters) Get(ctx context.Context, id string) (webhook.DeadLetter, error) {
	entry, err := l.rdb.HGet(ctx, l.index, id).Result()
	if errors.Is(err, redis.Nil) {
		return webhook.DeadLetter{}, webhook.ErrNotFound
	}
	if err != nil {
		return webhook.DeadLetter{}, fmt.Errorf("webhookredis: get: %w", err)
	}
	msgs, err := l.rdb.XRange(ctx, l.stream, entry, entry).Result()
	if err != nil {
		return webhook.DeadLetter{}, fmt.Errorf("webhookredis: get: %w", err)
	}
	if len(msgs) == 0 {
		return webhook.DeadLetter{}, webhook.ErrNotFound
	}
	return decode(msgs[0])
}

// List implements webhook.DeadLetters: the stream in order.
func (l *DeadLetters) List(ctx context.Context) ([]webhook.DeadLetter, error) {
	msgs, err := l.rdb.XRange(ctx, l.stream, "-", "+").Result()
	if err != nil {
		return nil, fmt.Errorf("webhookredis: list: %w", err)
	}
	out := make([]webhook.DeadLetter, 0, len(msgs))
	for _, m := range msgs {
		d, err := decode(m)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

var deleteScript = redis.NewScript(`
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('XDEL', KEYS[1], old) end
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`)

// Delete implements webhook.DeadLetters.
func (l *DeadLetters) Delete(ctx context.Context, id string) error {
	if err := deleteScript.Run(ctx, l.rdb, []string{l.stream, l.index}, id).Err(); err != nil {
		return fmt.Errorf("webhookredis: delete: %w", err)
	}
	return nil
}

func decode(m redis.XMessage) (webhook.DeadLetter, error) {
	s, _ := m.Values["letter"].(string)
	var d letter
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return webhook.DeadLetter{}, fmt.Errorf("webhookredis: entry %s: %w", m.ID, err)
	}
	return webhook.DeadLetter(d), nil
}
