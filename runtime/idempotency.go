package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// defaultIdempotencyHeader carries a [WithIdempotencyKey] key for operations
// that name no header (draft-ietf-httpapi-idempotency-key-header).
const defaultIdempotencyHeader = "Idempotency-Key"

// WithIdempotencyKey sends key as the call's idempotency key on every
// attempt, which may then be retried whatever the method; "": default.
func WithIdempotencyKey(key string) CallOption {
	return callOption(func(s *Settings) { s.idempotencyKey = key })
}

// idempotencyKey decides the call's idempotency key once: the header name,
// the key Do must set on every attempt ("" when the caller's own header
// stands or there is none), and whether the request carries a key. A
// [WithIdempotencyKey] key wins over a [WithHeader] or Request header, which
// win over a generated key.
func idempotencyKey(r *Request, s *Settings) (name, key string, keyed bool) {
	name = r.op.IdempotencyHeader
	if name == "" {
		name = defaultIdempotencyHeader
	}
	switch {
	case s.idempotencyKey != "":
		return name, s.idempotencyKey, true
	case s.headers.Get(name) != "" || r.p.Header.Get(name) != "":
		return name, "", true
	case r.op.IdempotencyHeader != "":
		return name, newIdempotencyKey(), true
	}
	return name, "", false
}

// newIdempotencyKey returns a random UUID version 4 (RFC 9562 §5.4): 16
// bytes from crypto/rand, 122 of them random once the version and variant
// bits are set. The UUID form is the one APIs that validate keys accept.
func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand crashes the program instead (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// idempotentMethod reports whether method is idempotent by definition (RFC
// 9110 §9.2.2), so retrying it cannot repeat a side effect.
func idempotentMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}
