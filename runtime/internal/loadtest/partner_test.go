package loadtest

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// postSlots bounds the POSTs a run may send: their side-effect counters are
// allocated up front so that the server's memory stays flat.
const postSlots = 1 << 18

// Fault mix of the partner, per request: 10 % 503 with Retry-After: 1,
// 5 % connection resets, 5 % slow answers.
const (
	fault503   = 0.10
	faultReset = 0.05
	faultSlow  = 0.05
	slowAnswer = 200 * time.Millisecond
)

// slot counts the applications of one logical POST (one pet name) and
// remembers the idempotency key that applied it first.
type slot struct {
	key     [36]byte
	applied uint32
}

// partner is the loopback server: GET /pets/{id} and POST /pets (with
// server-side idempotency: a POST whose key was seen is answered again,
// not applied again), a fault mix and a down switch.
type partner struct {
	srv      *httptest.Server
	newConns atomic.Int64
	faults   atomic.Bool // the fault mix is on
	down     atomic.Bool // every request is answered by a reset

	mu         sync.Mutex
	slots      []slot
	duplicates int // POSTs applied a second time (a different or no key)
	replays    int // POSTs answered from the idempotency store
	applied    int
}

func newPartner() *partner {
	p := &partner{slots: make([]slot, postSlots)}
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	p.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			p.newConns.Add(1)
		}
	}
	p.srv.Config.ErrorLog = nil
	p.srv.Start()
	return p
}

var petJSON = []byte(`{"id":42,"name":"Rex","status":"available","tag":"dog","createdAt":"2026-01-02T03:04:05Z"}`)

func (p *partner) serve(w http.ResponseWriter, r *http.Request) {
	if p.down.Load() {
		reset(w)
		return
	}
	var resetAfter, slow bool
	if p.faults.Load() {
		switch x := rand.Float64(); {
		case x < fault503:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		case x < fault503+faultReset:
			resetAfter = true // a POST is applied first: its answer is lost
		case x < fault503+faultReset+faultSlow:
			slow = true
		}
	}
	if slow {
		time.Sleep(slowAnswer)
	}
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/pets/"):
		if resetAfter {
			reset(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(petJSON)
	case r.Method == http.MethodPost && r.URL.Path == "/pets":
		status := p.create(r)
		if resetAfter {
			reset(w)
			return
		}
		if status != http.StatusCreated {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(petJSON)
	default:
		http.NotFound(w, r)
	}
}

// create applies a POST once per idempotency key; the pet's name, "p<n>",
// numbers the logical call, so a second application under another key (or
// none) is a duplicate side effect.
func (p *partner) create(r *http.Request) int {
	var body struct {
		Name string `json:"name"`
	}
	b, err := io.ReadAll(r.Body)
	if err != nil || json.Unmarshal(b, &body) != nil || !strings.HasPrefix(body.Name, "p") {
		return http.StatusBadRequest
	}
	n, err := strconv.Atoi(body.Name[1:])
	if err != nil || n < 0 || n >= postSlots {
		return http.StatusBadRequest
	}
	key := r.Header.Get("Idempotency-Key")
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.slots[n]
	switch {
	case s.applied == 0:
		copy(s.key[:], key)
		s.applied = 1
		p.applied++
	case len(key) == len(s.key) && string(s.key[:]) == key:
		p.replays++
	default:
		s.applied++
		p.duplicates++
	}
	return http.StatusCreated
}

// counts returns the POSTs applied, applied twice and answered again.
func (p *partner) counts() (applied, duplicates, replays int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.applied, p.duplicates, p.replays
}

// reset closes the connection with a TCP RST (SO_LINGER 0).
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
