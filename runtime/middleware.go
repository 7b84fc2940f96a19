package runtime

import (
	"errors"
	"net/http"
)

// Middleware wraps each attempt: it may change req, call next.Do or not,
// and replace the response. It sees credentials: redact what it logs.
type Middleware func(req *http.Request, next Doer) (*http.Response, error)

// WithMiddleware appends middleware, the first outermost; nil is skipped.
func WithMiddleware(mw ...Middleware) Option {
	return func(s *Settings) {
		for _, m := range mw {
			if m != nil {
				s.middleware = append(s.middleware, m)
			}
		}
	}
}

// errNoResponse is returned when a Doer or middleware returns neither a
// response nor an error.
var errNoResponse = errors.New("runtime: Doer returned a nil response and a nil error")

// middlewareDoer calls mw with next as the rest of the chain.
type middlewareDoer struct {
	mw   Middleware
	next Doer
}

// Do runs the middleware.
func (d *middlewareDoer) Do(req *http.Request) (*http.Response, error) { return d.mw(req, d.next) }

// chain wraps base in mws, mws[0] outermost.
func chain(base Doer, mws []Middleware) Doer {
	d := base
	for i := len(mws) - 1; i >= 0; i-- {
		d = &middlewareDoer{mw: mws[i], next: d}
	}
	return d
}
