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
)

// Defaults used when no option overrides them.
const (
	// DefaultTimeout bounds each attempt of a call (connect, send, read the
	// whole response) unless [WithTimeout] says otherwise: 80 seconds, as
	// stripe-go. Waits between attempts are not included; the caller's
	// context deadline bounds the whole call, retries included.
	DefaultTimeout = 80 * time.Second
	// DefaultMaxErrorBodyBytes caps the body kept for status >= 400: 64 KiB.
	DefaultMaxErrorBodyBytes int64 = 64 << 10
	// DefaultMaxResponseBytes caps a success body read into memory: 256 MiB.
	DefaultMaxResponseBytes int64 = 256 << 20
)

// Default transport settings, those of [NewTransport].
const (
	// DefaultMaxIdleConnsPerHost is how many idle keep-alive connections
	// the default transport keeps per host: 256, so that up to 256
	// concurrent calls to one host reuse their connections instead of
	// opening new ones (http.DefaultTransport keeps 2).
	DefaultMaxIdleConnsPerHost = 256
	// DefaultMaxIdleConns caps the idle connections the default transport
	// keeps over all hosts: 1024.
	DefaultMaxIdleConns = 1024
	// DefaultIdleConnTimeout closes a connection idle that long: 90 s.
	DefaultIdleConnTimeout = 90 * time.Second
	// DefaultDialTimeout bounds connecting (DNS and TCP): 10 s.
	DefaultDialTimeout = 10 * time.Second
	// DefaultKeepAlive is the TCP keep-alive probe interval: 30 s.
	DefaultKeepAlive = 30 * time.Second
	// DefaultTLSHandshakeTimeout bounds the TLS handshake: 10 s.
	DefaultTLSHandshakeTimeout = 10 * time.Second
)

// NewTransport returns a new *http.Transport tuned for many concurrent
// calls to few hosts: a clone of http.DefaultTransport (proxy from the
// environment, HTTP/2 when the server offers it through TLS ALPN,
// ForceAttemptHTTP2, 1 s Expect: 100-continue timeout) with
// [DefaultMaxIdleConnsPerHost] (256) idle connections per host,
// [DefaultMaxIdleConns] (1024) in all, [DefaultIdleConnTimeout] (90 s),
// dial and TLS handshake timeouts of 10 s and TCP keep-alive every 30 s. No
// ResponseHeaderTimeout: the per-attempt timeout ([WithTimeout]) bounds
// the wait for an answer. Connections per host are not capped.
//
// Clients given no [WithHTTPClient] share one such transport per process;
// NewTransport gives the same settings to a client of one's own.
func NewTransport() *http.Transport {
	tr := cloneDefaultTransport()
	tr.DialContext = (&net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: DefaultKeepAlive}).DialContext
	tr.ForceAttemptHTTP2 = true
	tr.MaxIdleConns = DefaultMaxIdleConns
	tr.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	tr.IdleConnTimeout = DefaultIdleConnTimeout
	tr.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	tr.ResponseHeaderTimeout = 0
	return tr
}

// cloneDefaultTransport returns a clone of http.DefaultTransport, or a
// transport with its standard settings if the program replaced it.
func cloneDefaultTransport() *http.Transport {
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		return dt.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, ExpectContinueTimeout: time.Second}
}

// defaultHTTPClient is shared so all clients of the process pool
// connections together, through one [NewTransport] transport made on first
// use. It has no overall timeout of its own: Do bounds each attempt through
// its context ([WithTimeout]), which works with any Doer and lets a
// per-call timeout exceed [DefaultTimeout].
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: NewTransport(), CheckRedirect: checkRedirect}
})

// Doer sends an HTTP request; *http.Client implements it. Wrap one to add
// tracing, logging or test doubles.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// ClientOption configures a client: [NewClient] and a connector's New
// take it. Every [Option] is one; so are the options that build state for
// the client they configure ([WithCircuitBreaker], [WithRateLimit],
// [WithMutualTLS]), which a call does not accept.
type ClientOption interface{ applyClient(*Settings) }

// CallOption configures one call: [Client.Do] and a connector's methods
// take it, applied on top of the client's settings without changing them.
// Every [Option] is one; so are the per-call options [WithIdempotencyKey]
// and [WithRawResponse], which a client does not accept.
type CallOption interface{ applyCall(*Settings) }

// Option configures a client or a call: it is both a [ClientOption] and a
// [CallOption]. A nil Option does nothing.
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

// Settings is the configuration options act on. Its fields are private so
// invariants (cloned maps, defaults) hold; the defaults are documented on
// each option.
type Settings struct {
	baseURL      string
	httpClient   Doer
	headers      http.Header
	userAgent    string
	credentials  map[string]Credential
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
	breakers       *Breakers     // nil means no circuit breaking
	limiter        Limiter       // nil means no rate limiting
	limitKey       KeyFunc       // nil means per host
	observers      []Observer
	noValidation   bool      // skip generated Validate before sending
	strictDecoding bool      // WithStrictDecoding: a mismatched response value fails the call
	driftLog       *throttle // when each operation's drift at each place was last logged; the client's

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
		credentials:  make(map[string]Credential),
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

// with returns a copy of s with opts applied; maps are cloned so per-call
// options never leak into the client. Without options it returns s itself,
// neither copied nor cloned: Do only reads the settings, so the calls of a
// client share them.
func (s *Settings) with(opts []Option) *Settings {
	if len(opts) == 0 {
		return s
	}
	c := s.clone()
	for _, o := range opts {
		o.applyCall(c)
	}
	return c
}

// errForeignOption is the error of a CallOption that is not a value of
// this package's option types.
var errForeignOption = errors.New("runtime: a CallOption that is not an option of package runtime (a type embedding one?)")

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

// withClient is with for the options of a client.
func (s *Settings) withClient(opts []ClientOption) *Settings {
	c := s.clone()
	for _, o := range opts {
		if o != nil {
			o.applyClient(c)
		}
	}
	return c
}

// clone copies s with maps and slices that options may change unshared.
func (s *Settings) clone() *Settings {
	c := *s
	c.headers = c.headers.Clone()
	c.credentials = maps.Clone(c.credentials)
	c.middleware = slices.Clip(c.middleware) // appends must not share the client's array
	return &c
}

// ValidateCall runs v's Validate unless v is nil or validation is off for
// the client or for opts (see [Client.Validate]); generated methods call
// it with their per-call options before building a request.
func (c *Client) ValidateCall(v Validator, opts ...CallOption) error {
	s, err := c.settings.withCall(opts)
	if err != nil {
		return err
	}
	if v == nil || s.noValidation {
		return nil
	}
	return v.Validate()
}

// WithBaseURL replaces the spec's default server URL, e.g.
// "https://api.example.com/v1". A path prefix is kept and the operation path
// appended to it. An unparsable URL makes NewClient or Do return an error.
func WithBaseURL(u string) Option { return func(s *Settings) { s.baseURL = u } }

// WithHTTPClient sets the Doer that sends requests. Default: an
// *http.Client shared by all clients of the process, on a [NewTransport]
// transport (256 idle connections per host), with no overall timeout of
// its own (each attempt is bounded by [WithTimeout]). nil restores the
// default. An *http.Client is used through a copy whose CheckRedirect
// (after its own, if any) strips credentials from redirects to another
// origin; the client given, and its Transport, are never modified. Another
// Doer that follows redirects must do so itself.
func WithHTTPClient(d Doer) Option {
	d = guardRedirects(d)
	return func(s *Settings) {
		if d == nil {
			d = defaultHTTPClient()
		}
		s.httpClient = d
	}
}

// WithHeader sets header name to value on every request, replacing any
// value set by generated code for that header; a later WithHeader for the
// same name wins. Credentials are applied after it.
func WithHeader(name, value string) Option {
	return func(s *Settings) { s.headers.Set(name, value) }
}

// WithUserAgent sets the User-Agent header. Default "connectorgen-runtime/"
// + [Version]; "" leaves it to the HTTP client (Go's default).
func WithUserAgent(ua string) Option { return func(s *Settings) { s.userAgent = ua } }

// WithCredential registers c for the security scheme named scheme (the key
// under components/securitySchemes). nil removes it.
func WithCredential(scheme string, c Credential) Option {
	return func(s *Settings) {
		if c == nil {
			delete(s.credentials, scheme)
			return
		}
		s.credentials[scheme] = c
	}
}

// WithMaxErrorBodyBytes caps, in bytes, the body kept for responses with
// status >= 400 (default [DefaultMaxErrorBodyBytes], 64 KiB); the rest is
// discarded and the response marked Truncated. n < 0 is treated as 0.
func WithMaxErrorBodyBytes(n int64) Option {
	return func(s *Settings) { s.maxErrorBody = max(n, 0) }
}

// WithMaxResponseBytes caps, in bytes, a success body read into memory
// (default [DefaultMaxResponseBytes], 256 MiB); a larger body makes Do
// return an error wrapping [ErrResponseTooLarge]. n < 0 is treated as 0.
func WithMaxResponseBytes(n int64) Option {
	return func(s *Settings) { s.maxResponse = max(n, 0) }
}

// WithRawResponse makes the call store the *http.Response in *dst whenever
// one was received, even if the call then fails. Its Body is a reader over
// the bytes Do kept (Response.Body). nil does nothing.
func WithRawResponse(dst **http.Response) CallOption {
	return callOption(func(s *Settings) {
		if dst != nil {
			s.rawResponse = dst
		}
	})
}

// WithTimeout bounds each attempt (connect, send, read the whole response)
// to d, through the request's context. Default [DefaultTimeout] (80 s);
// d <= 0 removes the bound. The caller's context still bounds the whole
// call, waits between retries included. An attempt that times out is
// retried (when the call may be retried at all).
func WithTimeout(d time.Duration) Option {
	return func(s *Settings) { s.timeout = max(d, 0) }
}
