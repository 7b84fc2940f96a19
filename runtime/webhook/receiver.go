package webhook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connectorgen/connectorgen/runtime"
	"github.com/connectorgen/connectorgen/runtime/rtimpl"
)

// Defaults of Receiver.
const (
	// DefaultMaxAttempts is how many failed attempts at a delivery a
	// Receiver makes before it dead-letters it.
	DefaultMaxAttempts = 5
	// DefaultLease is how long a delivery being handled is claimed: a
	// redelivery meanwhile is answered 409, one after it (the handling
	// process died) is handled again.
	DefaultLease = time.Minute
	// DefaultRetention is how long a handled delivery's id is remembered,
	// so that a redelivery is acknowledged without running the handler:
	// three days, Stripe's retry horizon (GitHub does not redeliver on
	// its own; Standard Webhooks senders retry for about a day).
	DefaultRetention = 72 * time.Hour
)

// Delivery is one verified webhook request.
type Delivery struct {
	ID       string      // the scheme's id, Receiver.ID's, or "sha256:<hex of the body>"
	Header   http.Header // as received
	Body     []byte      // as received and verified
	Attempts int         // failed attempts before this one
}

// ErrPermanent marks a handler error that no retry can fix (an event that
// does not decode): the Receiver dead-letters the delivery at once. Wrap
// with Permanent.
var ErrPermanent = errors.New("webhook: permanent failure")

// Permanent returns err marked with ErrPermanent (nil stays nil).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrPermanent, err)
}

// Claim is what Dedup.Claim found.
type Claim int

// Claims.
const (
	Claimed Claim = iota // the caller handles the delivery now
	Handled              // handled before: acknowledge it, do not run the handler
	Busy                 // claimed by another handler whose lease runs
)

// Dedup remembers deliveries by id so that each is handled once. A
// Receiver claims an id before running its handler and records it done
// only after the handler succeeded; a claim expires after its lease, so a
// delivery whose handler's process died is handled again when the sender
// retries. Implementations are safe for concurrent use; MemoryDedup holds
// one process's, package runtime/webhookredis a fleet's.
type Dedup interface {
	// Claim claims id for lease unless it is handled or claimed.
	Claim(ctx context.Context, id string, lease time.Duration) (Claim, error)
	// Done records id as handled for retention, ending its claim.
	Done(ctx context.Context, id string, retention time.Duration) error
	// Fail ends id's claim after a failed attempt and returns the number
	// of failed attempts so far, which it remembers for retention.
	Fail(ctx context.Context, id string, retention time.Duration) (attempts int, err error)
}

// DeadLetter is a delivery the Receiver gave up on, kept for Replay.
type DeadLetter struct {
	ID       string
	Header   http.Header
	Body     []byte
	Err      string    // the last handler error's text
	Attempts int       // failed attempts
	At       time.Time // when it was dead-lettered
}

// ErrNotFound is returned by DeadLetters.Get for an id it does not hold.
var ErrNotFound = errors.New("webhook: no such dead letter")

// DeadLetters keeps the deliveries a Receiver gave up on. Implementations
// are safe for concurrent use; MemoryDeadLetters is one process's.
type DeadLetters interface {
	Put(ctx context.Context, d DeadLetter) error // replaces one with the same ID
	Get(ctx context.Context, id string) (DeadLetter, error)
	List(ctx context.Context) ([]DeadLetter, error) // oldest first
	Delete(ctx context.Context, id string) error
}

// Receiver is the http.Handler of a webhook endpoint: it reads and
// verifies each delivery (Scheme), skips one already handled (Dedup),
// runs Handle, and answers the sender: 2xx when the delivery was handled
// (now or before) or dead-lettered, 409 while another handler holds it,
// 500 when Handle failed and the sender should retry, and the Status of a
// verification failure. Handle's panics are failures, not crashes. A
// delivery is marked handled only after Handle returns nil; after
// MaxAttempts failures, or one ErrPermanent, it goes to DeadLetters,
// from which Replay hands it to Handle again.
type Receiver struct {
	Scheme Scheme                                       // required
	Handle func(ctx context.Context, d *Delivery) error // required: the event's handler
	// ID returns the delivery id of schemes without an id header
	// (Stripe: the event's "id"); nil or "" falls back to the body's
	// SHA-256.
	ID           func(h http.Header, body []byte) string
	Dedup        Dedup         // nil: a MemoryDedup made on first use
	DeadLetters  DeadLetters   // nil: a MemoryDeadLetters made on first use
	MaxAttempts  int           // 0: DefaultMaxAttempts
	MaxBodyBytes int64         // 0: DefaultMaxBodyBytes
	Lease        time.Duration // 0: DefaultLease
	Retention    time.Duration // 0: DefaultRetention
	Observer     runtime.Observer
	Logger       *slog.Logger // nil: no logging
	// StrictDecoding makes Decode fail an event with a value that does not
	// fit its type, or a required member absent (dead-lettered at once);
	// by default such values are left unset and reported as drift.
	StrictDecoding bool

	once sync.Once
}

func (rc *Receiver) init() {
	rc.once.Do(func() {
		if rc.Dedup == nil {
			rc.Dedup = NewMemoryDedup()
		}
		if rc.DeadLetters == nil {
			rc.DeadLetters = NewMemoryDeadLetters()
		}
	})
}

func (rc *Receiver) lease() time.Duration     { return orDefault(rc.Lease, DefaultLease) }
func (rc *Receiver) retention() time.Duration { return orDefault(rc.Retention, DefaultRetention) }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Outcomes of a delivery, in DeliveryEvent.Outcome.
const (
	OutcomeHandled      = "handled"
	OutcomeDuplicate    = "duplicate"
	OutcomeBusy         = "busy"
	OutcomeFailed       = "failed"
	OutcomeDeadLettered = "dead-lettered"
	OutcomeRejected     = "rejected"
	OutcomeReplayed     = "replayed"
)

// ServeHTTP implements http.Handler.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.init()
	start := time.Now()
	ctx := r.Context()
	body, id, err := ReadVerified(r, rc.Scheme, rc.MaxBodyBytes)
	if err != nil {
		status := Status(err)
		rc.observe(ctx, runtime.DeliveryEvent{Outcome: OutcomeRejected, StatusCode: status, Err: err, Duration: time.Since(start)})
		http.Error(w, http.StatusText(status), status)
		return
	}
	if id == "" && rc.ID != nil {
		id = rc.ID(r.Header, body)
	}
	if id == "" {
		sum := sha256.Sum256(body)
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	status, outcome, attempts, err := rc.deliver(ctx, &Delivery{ID: id, Header: r.Header, Body: body})
	rc.observe(ctx, runtime.DeliveryEvent{ID: id, Outcome: outcome, StatusCode: status, Attempts: attempts, Err: err, Duration: time.Since(start)})
	if status == http.StatusConflict {
		w.Header().Set("Retry-After", strconv.Itoa(int(rc.lease().Seconds())))
	}
	if status >= 400 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.WriteHeader(status)
}

// deliver claims, handles and records one delivery, and returns the
// status to answer with.
func (rc *Receiver) deliver(ctx context.Context, d *Delivery) (status int, outcome string, attempts int, err error) {
	claim, err := rc.Dedup.Claim(ctx, d.ID, rc.lease())
	switch {
	case err != nil:
		return http.StatusInternalServerError, OutcomeFailed, 0, fmt.Errorf("webhook: claiming the delivery: %w", err)
	case claim == Handled:
		return http.StatusOK, OutcomeDuplicate, 0, nil
	case claim == Busy:
		return http.StatusConflict, OutcomeBusy, 0, nil
	}
	herr := rc.run(ctx, d)
	if herr == nil {
		if err := rc.Dedup.Done(ctx, d.ID, rc.retention()); err != nil {
			// Handled but not recorded: a redelivery runs the handler again
			// (at least once), which the sender's retry of a 500 would too.
			return http.StatusInternalServerError, OutcomeFailed, 0, fmt.Errorf("webhook: recording the delivery: %w", err)
		}
		return http.StatusOK, OutcomeHandled, 0, nil
	}
	attempts, err = rc.Dedup.Fail(ctx, d.ID, rc.retention())
	if err != nil {
		return http.StatusInternalServerError, OutcomeFailed, 0, errors.Join(herr, err)
	}
	max := rc.MaxAttempts
	if max <= 0 {
		max = DefaultMaxAttempts
	}
	if attempts < max && !errors.Is(herr, ErrPermanent) {
		return http.StatusInternalServerError, OutcomeFailed, attempts, herr
	}
	dl := DeadLetter{ID: d.ID, Header: d.Header.Clone(), Body: d.Body, Err: herr.Error(), Attempts: attempts, At: time.Now()}
	if err := rc.DeadLetters.Put(ctx, dl); err != nil {
		return http.StatusInternalServerError, OutcomeFailed, attempts, errors.Join(herr, err)
	}
	// Kept for Replay: acknowledge it, so that the sender stops retrying.
	if err := rc.Dedup.Done(ctx, d.ID, rc.retention()); err != nil {
		return http.StatusInternalServerError, OutcomeFailed, attempts, errors.Join(herr, err)
	}
	return http.StatusAccepted, OutcomeDeadLettered, attempts, herr
}

// run calls Handle, turning a panic into an error.
func (rc *Receiver) run(ctx context.Context, d *Delivery) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("webhook: the handler panicked: %v", p)
		}
	}()
	return rc.Handle(context.WithValue(ctx, deliveryKey{}, d), d)
}

// EventHeader is the request header through which a generated receiver's
// For handler names the event of every delivery at its URL (a callback
// sent to a URL of its own). The receiver sets it itself, after deleting
// any the sender sent, so it is never the sender's word; it is kept with
// a dead letter, so a replay goes to the same handler.
const EventHeader = "Connectorgen-Webhook-Event"

// deliveryKey is the context key of the Delivery being handled.
type deliveryKey struct{}

// FromContext returns the Delivery a Receiver is handling, from the
// context it passes to Handle (and a generated receiver to its typed
// handlers: the delivery's id, headers and attempts beside the decoded
// event), or nil outside a handler.
func FromContext(ctx context.Context) *Delivery {
	d, _ := ctx.Value(deliveryKey{}).(*Delivery)
	return d
}

// Member returns the value of the member at pointer (a JSON pointer,
// RFC 6901: "/type", "/data/object/id") in the JSON object body: a
// string's text, or a number's or boolean's JSON text. ok is false when
// body is not JSON, the member is absent, or its value is an object, an
// array or null. A generated receiver tells events apart with it.
func Member(body []byte, pointer string) (value string, ok bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "", false
	}
	if pointer != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
			tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
			m, isObject := v.(map[string]any)
			if !isObject {
				return "", false
			}
			if v, ok = m[tok]; !ok {
				return "", false
			}
		}
	}
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// Replay hands the dead letter id to Handle again, once even when called
// concurrently (a claim on "replay/"+id guards it): on success it is
// deleted from DeadLetters; on failure it stays, with the new error and
// one more attempt. A process that dies meanwhile leaves it in
// DeadLetters. It returns Handle's error, ErrNotFound, or
// ErrReplayInProgress.
func (rc *Receiver) Replay(ctx context.Context, id string) error {
	rc.init()
	start := time.Now()
	dl, err := rc.DeadLetters.Get(ctx, id)
	if err != nil {
		return err
	}
	key := "replay/" + id
	claim, err := rc.Dedup.Claim(ctx, key, rc.lease())
	if err != nil {
		return err
	}
	if claim != Claimed {
		return ErrReplayInProgress
	}
	herr := rc.run(ctx, &Delivery{ID: dl.ID, Header: dl.Header, Body: dl.Body, Attempts: dl.Attempts})
	if herr != nil {
		dl.Err, dl.Attempts = herr.Error(), dl.Attempts+1
		err := rc.DeadLetters.Put(ctx, dl)
		_, ferr := rc.Dedup.Fail(ctx, key, rc.lease())
		rc.observe(ctx, runtime.DeliveryEvent{ID: id, Outcome: OutcomeFailed, Attempts: dl.Attempts, Err: herr, Duration: time.Since(start)})
		return errors.Join(herr, err, ferr)
	}
	if err := rc.DeadLetters.Delete(ctx, id); err != nil {
		return err
	}
	rc.observe(ctx, runtime.DeliveryEvent{ID: id, Outcome: OutcomeReplayed, Attempts: dl.Attempts, Duration: time.Since(start)})
	return rc.Dedup.Done(ctx, key, rc.retention())
}

// ErrReplayInProgress is Replay's error while another Replay of the same
// dead letter runs.
var ErrReplayInProgress = errors.New("webhook: a replay of this delivery is in progress")

func (rc *Receiver) observe(ctx context.Context, e runtime.DeliveryEvent) {
	if rc.Observer.Delivery != nil {
		rc.Observer.Delivery(ctx, e)
	}
	if rc.Logger == nil {
		return
	}
	level := slog.LevelInfo
	if e.Err != nil {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{slog.String("outcome", e.Outcome), slog.Int("status", e.StatusCode), slog.Duration("duration", e.Duration)}
	if e.ID != "" {
		attrs = append(attrs, slog.String("id", e.ID))
	}
	if e.Attempts > 0 {
		attrs = append(attrs, slog.Int("attempts", e.Attempts))
	}
	if e.Err != nil {
		attrs = append(attrs, slog.String("error", e.Err.Error()))
	}
	rc.Logger.LogAttrs(ctx, level, "webhook delivery", attrs...)
}

// MemoryDedup is a Dedup in this process's memory. Expired entries are
// dropped as they are met and, every thousand writes, all at once.
type MemoryDedup struct {
	mu      sync.Mutex
	entries map[string]*dedupEntry
	writes  int
	now     func() time.Time
}

type dedupEntry struct {
	handled    bool
	claimUntil time.Time // zero: no claim
	failures   int
	expires    time.Time // of the whole entry
}

// NewMemoryDedup returns an empty MemoryDedup.
func NewMemoryDedup() *MemoryDedup {
	return &MemoryDedup{entries: map[string]*dedupEntry{}, now: time.Now}
}

// Claim implements Dedup.
func (m *MemoryDedup) Claim(_ context.Context, id string, lease time.Duration) (Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	e := m.entry(id, now)
	switch {
	case e.handled:
		return Handled, nil
	case now.Before(e.claimUntil):
		return Busy, nil
	}
	e.claimUntil = now.Add(lease)
	if e.expires.Before(e.claimUntil) {
		e.expires = e.claimUntil
	}
	return Claimed, nil
}

// Done implements Dedup.
func (m *MemoryDedup) Done(_ context.Context, id string, retention time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	e := m.entry(id, now)
	e.handled, e.claimUntil, e.expires = true, time.Time{}, now.Add(retention)
	return nil
}

// Fail implements Dedup.
func (m *MemoryDedup) Fail(_ context.Context, id string, retention time.Duration) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	e := m.entry(id, now)
	e.failures++
	e.claimUntil, e.expires = time.Time{}, now.Add(retention)
	return e.failures, nil
}

// entry returns id's live entry, making one; it sweeps expired entries
// every thousand calls. m.mu is held.
func (m *MemoryDedup) entry(id string, now time.Time) *dedupEntry {
	if m.writes++; m.writes%1000 == 0 {
		for k, e := range m.entries {
			if !now.Before(e.expires) {
				delete(m.entries, k)
			}
		}
	}
	e := m.entries[id]
	if e == nil || !now.Before(e.expires) {
		e = &dedupEntry{expires: now}
		m.entries[id] = e
	}
	return e
}

// MemoryDeadLetters is a DeadLetters in this process's memory.
type MemoryDeadLetters struct {
	mu      sync.Mutex
	letters map[string]DeadLetter
}

// NewMemoryDeadLetters returns an empty MemoryDeadLetters.
func NewMemoryDeadLetters() *MemoryDeadLetters {
	return &MemoryDeadLetters{letters: map[string]DeadLetter{}}
}

// Put implements DeadLetters.
func (m *MemoryDeadLetters) Put(_ context.Context, d DeadLetter) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.letters[d.ID] = d
	return nil
}

// Get implements DeadLetters.
func (m *MemoryDeadLetters) Get(_ context.Context, id string) (DeadLetter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.letters[id]
	if !ok {
		return DeadLetter{}, ErrNotFound
	}
	return d, nil
}

// List implements DeadLetters.
func (m *MemoryDeadLetters) List(context.Context) ([]DeadLetter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]DeadLetter, 0, len(m.letters))
	for _, d := range m.letters {
		out = append(out, d)
	}
	sortLetters(out)
	return out, nil
}

// Delete implements DeadLetters.
func (m *MemoryDeadLetters) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.letters, id)
	return nil
}

// sortLetters orders dead letters oldest first, then by id.
func sortLetters(ls []DeadLetter) {
	slices.SortFunc(ls, func(a, b DeadLetter) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}

// Decode decodes a delivery's JSON body into v, the generated type of its
// event (named event, the spec's name), as a client decodes a response:
// a value that does not fit its type, or a required member that is
// absent, is left unset and reported as runtime.Drift to Observer.Drift
// (Operation.ID the event's name, StatusCode 0) and, without values, to
// Logger; with StrictDecoding it fails instead. A body that does not
// decode at all fails. Failures are Permanent: the event can never be
// handled as it is, so it goes to DeadLetters at once. Generated receivers
// call it.
func (rc *Receiver) Decode(ctx context.Context, event string, body []byte, v any) error {
	drift, total, err := rtimpl.UnmarshalTolerant(ctx, body, v)
	switch {
	case err != nil || total == 0:
	case rc.StrictDecoding:
		err = fmt.Errorf("%s: expected %s, got %s", drift[0].Pointer, drift[0].Expected, drift[0].Got)
	default:
		op := &runtime.Operation{ID: event}
		if f := rc.Observer.Drift; f != nil {
			f(ctx, runtime.DriftEvent{Operation: op, Drift: drift, Total: total})
		}
		if rc.Logger != nil {
			for _, d := range drift {
				rc.Logger.LogAttrs(ctx, slog.LevelWarn, "connectorgen: webhook event value does not match the spec; left unset",
					slog.String("event", event), slog.String("pointer", d.Pointer),
					slog.String("expected", d.Expected), slog.String("got", d.Got), slog.Int("total", total))
			}
		}
	}
	if err != nil {
		return Permanent(fmt.Errorf("decoding the %s event: %w", event, err))
	}
	return nil
}
