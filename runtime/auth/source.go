package auth

import (
	"encoding/base64"
	"net/http"
	"sync"
)

// seenSecrets remembers the last few values a credential sent, so the
// client can scrub them from errors and logs after a rotation too. Values
// are held in closures, like [Secret], so that fmt, which prints unexported
// fields by reflection, shows func addresses rather than the values.
type seenSecrets struct {
	mu   sync.Mutex
	vals []secret // newest last
}

// keepSeen is how many distinct values seenSecrets keeps.
const keepSeen = 4

// note records values (empty ones are skipped).
func (s *seenSecrets) note(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v == "" || (len(s.vals) > 0 && s.vals[len(s.vals)-1]() == v) {
			continue
		}
		for i, old := range s.vals {
			if old() == v {
				s.vals = append(s.vals[:i], s.vals[i+1:]...)
				break
			}
		}
		s.vals = append(s.vals, newSecret(v))
		if len(s.vals) > keepSeen {
			s.vals = s.vals[1:]
		}
	}
}

// list returns the remembered values.
func (s *seenSecrets) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.vals))
	for i, v := range s.vals {
		out[i] = v()
	}
	return out
}

type apiKeySource struct {
	redacted
	src  SecretSource
	seen seenSecrets
}

// APIKeyFrom is [APIKey] with the key read from src on every request.
func APIKeyFrom(src SecretSource) Credential { return &apiKeySource{src: src} }

// Apply reads the key and places it per scheme.In and scheme.ParamName.
func (c *apiKeySource) Apply(req *http.Request, scheme *SecurityScheme) error {
	if scheme.Type != "apiKey" {
		return schemeMismatch("APIKeyFrom", scheme)
	}
	key, err := resolve(req.Context(), c.src, "API key")
	if err != nil {
		return err
	}
	c.seen.note(key.Reveal())
	return placeAPIKey(req, scheme, key.Reveal())
}

func (c *apiKeySource) secrets() []string { return c.seen.list() }

type bearerSource struct {
	redacted
	src  SecretSource
	seen seenSecrets
}

// BearerFrom is [BearerToken] with the token read from src on every request.
func BearerFrom(src SecretSource) Credential { return &bearerSource{src: src} }

// Apply reads the token and sets "Authorization: Bearer <token>".
func (c *bearerSource) Apply(req *http.Request, scheme *SecurityScheme) error {
	if !bearerScheme(scheme) {
		return schemeMismatch("BearerFrom", scheme)
	}
	tok, err := resolve(req.Context(), c.src, "bearer token")
	if err != nil {
		return err
	}
	c.seen.note(tok.Reveal())
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	return nil
}

func (c *bearerSource) secrets() []string { return c.seen.list() }

type basicSource struct {
	redacted
	user, password SecretSource
	seen           seenSecrets
}

// BasicFrom is [Basic] with both values read on every request.
func BasicFrom(user, password SecretSource) Credential {
	return &basicSource{user: user, password: password}
}

// Apply reads both values and sets the Authorization header (RFC 7617).
func (c *basicSource) Apply(req *http.Request, scheme *SecurityScheme) error {
	if !basicScheme(scheme) {
		return schemeMismatch("BasicFrom", scheme)
	}
	user, err := resolve(req.Context(), c.user, "basic-auth user name")
	if err != nil {
		return err
	}
	pass, err := resolve(req.Context(), c.password, "basic-auth password")
	if err != nil {
		return err
	}
	u, p := user.Reveal(), pass.Reveal()
	c.seen.note(p, base64.StdEncoding.EncodeToString([]byte(u+":"+p)))
	req.SetBasicAuth(u, p)
	return nil
}

func (c *basicSource) secrets() []string { return c.seen.list() }
