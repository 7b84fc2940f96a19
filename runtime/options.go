package runtime

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
)

// Defaults of [WithTimeout] (per attempt), [WithMaxErrorBodyBytes] and
// [WithMaxResponseBytes].
const (
	DefaultTimeout                 = 80 * time.Second
	DefaultMaxErrorBodyBytes int64 = 64 << 10  // 64 KiB
	DefaultMaxResponseBytes  int64 = 256 << 20 // 256 MiB
)

// Settings of [NewTransport]: idle connections kept per host and in all,
// idle, dial (DNS and TCP) and TLS handshake timeouts, TCP keep-alive.
const (
	DefaultMaxIdleConnsPerHost = 256
	DefaultMaxIdleConns        = 1024
	DefaultIdleConnTimeout     = 90 * time.Second
	DefaultDialTimeout         = 10 * time.Second
	DefaultTLSHandshakeTimeout = 10 * time.Second
	DefaultKeepAlive           = 30 * time.Second
)

// NewTransport returns an *http.Transport like http.DefaultTransport, with
// the settings above (no ResponseHeaderTimeout), which clients without
// [WithHTTPClient] share.
func NewTransport() *http.Transport {
	tr := authlink.CloneDefaultTransport()
	tr.DialContext = (&net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: DefaultKeepAlive}).DialContext
	tr.ForceAttemptHTTP2 = true
	tr.MaxIdleConns = DefaultMaxIdleConns
	tr.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	tr.IdleConnTimeout = DefaultIdleConnTimeout
	tr.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	tr.ResponseHeaderTimeout = 0
	return tr
}

// defaultHTTPClient is shared so all clients of the process pool
// connections together, through one [NewTransport] transport made on first
// use. It has no overall timeout of its own: Do bounds each attempt through
// its context ([WithTimeout]), which works with any Doer and lets a
// per-call timeout exceed [DefaultTimeout].
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: NewTransport(), CheckRedirect: checkRedirect}
})

// Doer sends an HTTP request, as *http.Client does.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// ClientOption configures a client ([NewClient], a connector's New): any
// [Option], [WithCircuitBreaker], [WithRateLimit] or [WithMutualTLS].
type ClientOption interface{ applyClient(*Settings) }

// CallOption configures one call ([Client.Do], a connector's methods): any
// [Option], [WithIdempotencyKey] or [WithRawResponse].
type CallOption interface{ applyCall(*Settings) }

// Option configures a client or a call; a nil Option does nothing.
type Option func(*Settings)

func (o Option) applyClient(s *Settings) {
	if o != nil {
		o(s)
	}
}

func (o Option) applyCall(s *Settings) {
	if o != nil {
		o(s)
	}
}

// clientOption is a ClientOption only.
type clientOption func(*Settings)

func (o clientOption) applyClient(s *Settings) { o(s) }

// callOption is a CallOption only.
type callOption func(*Settings)

func (o callOption) applyCall(s *Settings) { o(s) }

// Settings is what options change.
type Settings struct {
	baseURL      string
	httpClient   Doer
	headers      http.Header
	userAgent    string
	credentials  map[string]auth.Credential
	maxErrorBody int64
	maxResponse  int64
	maxEvent     int64 // WithMaxEventBytes
	rawResponse  **http.Response

	timeout        time.Duration // per attempt; 0 means none
	retry          RetryPolicy   // normalized
	budget         *RetryBudget  // nil means unlimited
	middleware     []Middleware  // outermost first
	logger         *slog.Logger  // nil means no logging
	idempotencyKey string        // per call only
	pageURL        string        // per call only: rtimpl.PageURL, the next page's URL
	maxPages       int           // WithMaxPages; 0 means no limit
	maxItems       int           // WithMaxItems; 0 means no limit
	breakers       *Breakers     // nil means no circuit breaking
	limiter        Limiter       // nil means no rate limiting
	limitKey       KeyFunc       // nil means per host
	observers      []Observer
	noValidation   bool // skip generated Validate before sending
	strictDecoding bool // WithStrictDecoding: a mismatched response value fails the call
	// validateResponses is WithResponseValidation: a decoded response's
	// Validate runs, its violations drift.
	validateResponses bool
	driftLog          *throttle // when each operation's drift at each place was last logged; the client's

	allowInsecureCredentials bool // auth_transport.go

	// Test hooks: nil means the real clock and a timer-based wait.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// defaultSettings returns the settings before any option is applied.
func defaultSettings(baseURL string) Settings {
	return Settings{
		baseURL:      baseURL,
		httpClient:   defaultHTTPClient(),
		headers:      make(http.Header),
		userAgent:    "connectorgen-runtime/" + Version,
		credentials:  make(map[string]auth.Credential),
		maxErrorBody: DefaultMaxErrorBodyBytes,
		maxResponse:  DefaultMaxResponseBytes,
		maxEvent:     DefaultMaxEventBytes,
		timeout:      DefaultTimeout,
		retry:        DefaultRetryPolicy(),
		budget:       NewRetryBudget(DefaultRetryBudget),
		breakers:     newBreakers(DefaultBreakerSettings()),
		limiter:      NewRateLimiter(RateLimit{}),
		driftLog:     &throttle{last: map[string]time.Time{}},
	}
}

// errForeignOption is the error of a ClientOption or CallOption that is
// not a value of this package's option types.
var errForeignOption = errors.New("runtime: an option that is not one of package runtime's (a type embedding one?)")

// withCall is with for the options of a call. It calls the options'
// functions directly, not through the interface, so that escape analysis
// sees they are not kept and an option built in the call's arguments stays
// on the caller's stack. A CallOption of another type (a struct embedding
// one) is an error.
func (s *Settings) withCall(opts []CallOption) (*Settings, error) {
	if len(opts) == 0 {
		return s, nil
	}
	c := s.clone()
	for _, o := range opts {
		switch o := o.(type) {
		case nil:
		case Option:
			if o != nil {
				o(c)
			}
		case callOption:
			o(c)
		default:
			return nil, errForeignOption // no %T: o would escape
		}
	}
	return c, nil
}

// withClient is with for the options of a client; like withCall, it
// refuses a ClientOption of another type.
func (s *Settings) withClient(opts []ClientOption) (*Settings, error) {
	c := s.clone()
	for _, o := range opts {
		switch o := o.(type) {
		case nil:
		case Option:
			o.applyClient(c)
		case clientOption:
			o.applyClient(c)
		default:
			return nil, errForeignOption
		}
	}
	return c, nil
}

// clone copies s with maps and slices that options may change unshared.
func (s *Settings) clone() *Settings {
	c := *s
	c.headers = c.headers.Clone()
	c.credentials = maps.Clone(c.credentials)
	c.middleware = slices.Clip(c.middleware) // appends must not share the client's array
	return &c
}

// WithBaseURL replaces the spec's server URL, e.g.
// "https://api.example.com/v1"; an invalid one fails NewClient or Do.
func WithBaseURL(u string) Option { return func(s *Settings) { s.baseURL = u } }

// WithMaxPages makes a generated <Op>Iter or <Op>Pages ask for at most n
// pages; the sequence then ends without an error. n <= 0 means no limit
// (the default). Other calls ignore it.
func WithMaxPages(n int) CallOption { return callOption(func(s *Settings) { s.maxPages = max(n, 0) }) }

// WithMaxItems makes a generated <Op>Iter yield at most n items (and
// <Op>Pages stop after the page that reaches n); the sequence then ends
// without an error. n <= 0 means no limit (the default). Other calls
// ignore it.
func WithMaxItems(n int) CallOption { return callOption(func(s *Settings) { s.maxItems = max(n, 0) }) }

// WithHTTPClient sets the Doer sending requests (nil: the default). An
// *http.Client is used through a copy that strips credentials on
// cross-origin redirects; other Doers must do so themselves.
func WithHTTPClient(d Doer) Option {
	d = guardRedirects(d)
	return func(s *Settings) {
		if d == nil {
			d = defaultHTTPClient()
		}
		s.httpClient = d
	}
}

// WithHeader sets a header on every request, over generated values.
func WithHeader(name, value string) Option {
	return func(s *Settings) { s.headers.Set(name, value) }
}

// WithUserAgent sets the User-Agent (default "connectorgen-runtime/" +
// [Version]; "" leaves Go's).
func WithUserAgent(ua string) Option { return func(s *Settings) { s.userAgent = ua } }

// WithCredential sets the credential of the security scheme named scheme
// (package [github.com/connectorgen/connectorgen/runtime/auth] has them);
// nil removes it. A connector has one such option per scheme.
func WithCredential(scheme string, c auth.Credential) Option {
	return func(s *Settings) {
		if c == nil {
			delete(s.credentials, scheme)
			return
		}
		s.credentials[scheme] = c
	}
}

// WithMaxErrorBodyBytes caps the body kept from status 400 on; more sets
// Truncated. n < 0 means 0; default [DefaultMaxErrorBodyBytes].
func WithMaxErrorBodyBytes(n int64) Option {
	return func(s *Settings) { s.maxErrorBody = max(n, 0) }
}

// WithMaxResponseBytes caps a success body ([ErrResponseTooLarge]); n < 0
// means 0; default [DefaultMaxResponseBytes].
func WithMaxResponseBytes(n int64) Option {
	return func(s *Settings) { s.maxResponse = max(n, 0) }
}

// WithRawResponse stores the call's *http.Response in *dst; nil: no-op.
func WithRawResponse(dst **http.Response) CallOption {
	return callOption(func(s *Settings) {
		if dst != nil {
			s.rawResponse = dst
		}
	})
}

// WithTimeout bounds each attempt to d (default [DefaultTimeout]; d <= 0:
// none); the caller's context bounds the whole call.
func WithTimeout(d time.Duration) Option {
	return func(s *Settings) { s.timeout = max(d, 0) }
}
