package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
)

// Token cache defaults: a [TokenCredential] fetches the next token in the
// background from DefaultTokenEarlyRefresh (at most half the lifetime)
// before expiry; DefaultTokenFetchTimeout bounds one fetch.
const (
	DefaultTokenEarlyRefresh = 30 * time.Second
	DefaultTokenFetchTimeout = 30 * time.Second
	// tokenExpiryMargin is how long before its expiry a token is no longer
	// sent (clock skew, time in flight): 10 s, as x/oauth2, at most a tenth
	// of the lifetime.
	tokenExpiryMargin = 10 * time.Second
	// tokenRetryPause spaces background refreshes that failed or returned
	// the token already held.
	tokenRetryPause = 2 * time.Second
)

// TokenFunc fetches a new access token (RFC 6749 §5.1), never a cached one.
type TokenFunc func(ctx context.Context) (*oauth2.Token, error)

// TokenCredential sends "Authorization: Bearer <token>" (RFC 6750) with the
// tokens it fetches and caches, refreshed before expiry and after a 401.
// Fetch errors are [*TokenError]s. Safe for concurrent use.
type TokenCredential struct {
	redacted
	fetch   TokenFunc
	early   time.Duration
	timeout time.Duration
	url     string          // token endpoint, for errors; "" if unknown
	extra   func() []string // other secrets to scrub (client secret, refresh token)
	now     func() time.Time

	mu      sync.Mutex
	tok     *oauth2.Token
	fetched time.Time // when tok arrived
	retryAt time.Time // no background refresh before
	flight  *tokenFlight
	seen    seenSecrets // access tokens sent
}

// tokenFlight is one fetch that callers wait on.
type tokenFlight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// BearerTokenFunc returns a [TokenCredential] caching the tokens of f.
func BearerTokenFunc(f TokenFunc) *TokenCredential {
	return newTokenCredential(f, 0, 0)
}

// BearerTokenSource returns a [TokenCredential] caching the tokens of ts,
// which should not cache them itself (see docs/runtime.md).
func BearerTokenSource(ts oauth2.TokenSource) *TokenCredential {
	return newTokenCredential(func(context.Context) (*oauth2.Token, error) { return ts.Token() }, 0, 0)
}

func newTokenCredential(f TokenFunc, early, timeout time.Duration) *TokenCredential {
	if early <= 0 {
		early = DefaultTokenEarlyRefresh
	}
	if timeout <= 0 {
		timeout = DefaultTokenFetchTimeout
	}
	return &TokenCredential{fetch: f, early: early, timeout: timeout}
}

// Apply sets the Authorization header, fetching a token if needed.
func (c *TokenCredential) Apply(req *http.Request, scheme *SecurityScheme) error {
	if !bearerScheme(scheme) {
		return schemeMismatch("token", scheme)
	}
	tok, err := c.token(req.Context())
	if err != nil {
		return err
	}
	c.seen.note(tok.AccessToken)
	req.Header.Set("Authorization", tok.Type()+" "+tok.AccessToken)
	return nil
}

// Invalidate drops the cached token if req carried it; it returns true.
func (c *TokenCredential) Invalidate(sent *http.Request) bool {
	auth := sent.Header.Get("Authorization")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && auth == c.tok.Type()+" "+c.tok.AccessToken {
		c.tok = nil
	}
	return true
}

func (c *TokenCredential) secrets() []string {
	out := c.seen.list()
	if c.extra != nil {
		out = append(out, c.extra()...)
	}
	return out
}

func (c *TokenCredential) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// token returns a token to send: the cached one while it is fresh enough,
// else the result of the (single) fetch in flight.
func (c *TokenCredential) token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	now := c.clock()
	if t := c.tok; t != nil {
		refreshAt, expireAt := c.deadlines(t)
		if expireAt.IsZero() || now.Before(expireAt) {
			if !refreshAt.IsZero() && !now.Before(refreshAt) && c.flight == nil && !now.Before(c.retryAt) {
				c.start(ctx) // early refresh; keep sending t meanwhile
			}
			c.mu.Unlock()
			return t, nil
		}
	}
	f := c.flight
	if f == nil {
		f = c.start(ctx)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// deadlines returns when to start refreshing t and when to stop sending
// it; zero times for a token without an expiry.
func (c *TokenCredential) deadlines(t *oauth2.Token) (refreshAt, expireAt time.Time) {
	if t.Expiry.IsZero() {
		return time.Time{}, time.Time{}
	}
	life := max(t.Expiry.Sub(c.fetched), 0)
	return t.Expiry.Add(-min(c.early, life/2)), t.Expiry.Add(-min(tokenExpiryMargin, life/10))
}

// start launches a fetch; c.mu is held. The fetch runs on its own
// goroutine, bounded by the fetch timeout and detached from the caller's
// cancellation, so one caller giving up does not fail the others.
func (c *TokenCredential) start(ctx context.Context) *tokenFlight {
	f := &tokenFlight{done: make(chan struct{})}
	c.flight = f
	go c.run(context.WithoutCancel(ctx), f)
	return f
}

// run performs fetch f and publishes its result.
func (c *TokenCredential) run(ctx context.Context, f *tokenFlight) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	tok, err := c.safeFetch(ctx)
	if err == nil && (tok == nil || tok.AccessToken == "") {
		err = errors.New("auth: the token source returned no access token")
	}
	if err != nil {
		err = newTokenError(c.url, err, c.secretsWith(tok))
		tok = nil
	}
	c.mu.Lock()
	now := c.clock()
	if err == nil {
		same := c.tok != nil && c.tok.AccessToken == tok.AccessToken
		c.tok, c.fetched = tok, now
		if same {
			c.retryAt = now.Add(tokenRetryPause)
		}
		c.seen.note(tok.AccessToken)
	} else {
		c.retryAt = now.Add(tokenRetryPause)
	}
	f.tok, f.err = tok, err
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
}

// secretsWith lists the secrets to scrub, including tok's if any.
func (c *TokenCredential) secretsWith(tok *oauth2.Token) []string {
	out := c.secrets()
	if tok != nil {
		out = append(out, tok.AccessToken, tok.RefreshToken)
	}
	return out
}

// safeFetch calls c.fetch, turning a panic into an error: it runs on a
// goroutine no caller can recover on.
func (c *TokenCredential) safeFetch(ctx context.Context) (tok *oauth2.Token, err error) {
	defer func() {
		if p := recover(); p != nil {
			tok, err = nil, fmt.Errorf("auth: the token source panicked: %v", p)
		}
	}()
	return c.fetch(ctx)
}

// TokenError reports a failed token fetch, secrets scrubbed.
type TokenError struct {
	TokenURL    string // without query or user info; "" when unknown
	StatusCode  int    // 0 if no response
	ErrorCode   string // RFC 6749 §5.2 "error", e.g. "invalid_client"
	Description string // "error_description", scrubbed

	msg string
	err error // a cause known to carry no secret (transport, context, secret source)
}

// Error returns "auth: fetching OAuth2 token[ from <url>]: <cause>".
func (e *TokenError) Error() string { return e.msg }

// Unwrap returns a transport, context or secret cause; else nil.
func (e *TokenError) Unwrap() error { return e.err }

// newTokenError describes err without secrets.
func newTokenError(tokenURL string, err error, secrets []string) *TokenError {
	secrets = authlink.WithEncodings(secrets)
	e := &TokenError{TokenURL: tokenURL}
	prefix := "auth: fetching OAuth2 token"
	if tokenURL != "" {
		prefix += " from " + tokenURL
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			e.StatusCode = re.Response.StatusCode
		}
		e.ErrorCode = authlink.Redact(re.ErrorCode, secrets)
		e.Description = authlink.Redact(re.ErrorDescription, secrets)
		cause := fmt.Sprintf("status %d", e.StatusCode)
		switch {
		case e.ErrorCode != "" && e.Description != "":
			cause += fmt.Sprintf(": %s: %s", e.ErrorCode, authlink.Excerpt(e.Description))
		case e.ErrorCode != "":
			cause += ": " + e.ErrorCode
		default:
			if ex := authlink.Excerpt(authlink.Redact(string(re.Body), secrets)); ex != "" {
				cause += ": " + ex
			}
		}
		e.msg = prefix + ": " + authlink.Redact(cause, secrets)
		return e
	}
	var (
		se  *SecretError
		ue  *url.Error
		ice *InsecureCredentialsError
	)
	if errors.As(err, &se) || errors.As(err, &ue) || errors.As(err, &ice) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		e.err = err
	}
	e.msg = prefix + ": " + authlink.Redact(err.Error(), secrets)
	return e
}

// ClientCredentials configures the client credentials grant (RFC 6749
// §4.4).
type ClientCredentials struct {
	ClientID, ClientSecret SecretSource     // read at each fetch
	TokenURL               string           // http only on loopback, or with AllowInsecureTokenURL
	Scopes                 []string         // sent space-joined as "scope"
	EndpointParams         url.Values       // extra form parameters, e.g. "audience"
	AuthStyle              oauth2.AuthStyle // default: whichever the endpoint accepts, remembered
	HTTPClient             *http.Client     // default: http.DefaultTransport, no redirects
	EarlyRefresh           time.Duration    // default DefaultTokenEarlyRefresh
	FetchTimeout           time.Duration    // default DefaultTokenFetchTimeout
	AllowInsecureTokenURL  bool             // allow an http TokenURL on any host
}

// NewClientCredentials returns a client credentials grant credential.
func NewClientCredentials(cfg ClientCredentials) *TokenCredential {
	f := &ccFetcher{cfg: cfg, conf: &clientcredentials.Config{
		TokenURL: cfg.TokenURL, Scopes: cfg.Scopes, EndpointParams: cfg.EndpointParams, AuthStyle: cfg.AuthStyle,
	}}
	c := newTokenCredential(f.fetch, cfg.EarlyRefresh, cfg.FetchTimeout)
	c.url, c.extra = safeTokenURL(cfg.TokenURL), f.seen.list
	return c
}

// ccFetcher runs client credentials grants. Only one runs at a time (the
// TokenCredential's single flight), so conf may be updated per fetch; it is
// kept across fetches for x/oauth2's remembered auth style.
type ccFetcher struct {
	cfg  ClientCredentials
	conf *clientcredentials.Config
	seen seenSecrets
}

func (f *ccFetcher) fetch(ctx context.Context) (*oauth2.Token, error) {
	if err := checkTokenURL(f.cfg.TokenURL, f.cfg.AllowInsecureTokenURL); err != nil {
		return nil, err
	}
	id, err := resolve(ctx, f.cfg.ClientID, "OAuth2 client id")
	if err != nil {
		return nil, err
	}
	var secret Secret
	if f.cfg.ClientSecret != nil {
		if secret, err = resolve(ctx, f.cfg.ClientSecret, "OAuth2 client secret"); err != nil {
			return nil, err
		}
	}
	f.seen.note(secret.Reveal())
	f.conf.ClientID, f.conf.ClientSecret = id.Reveal(), secret.Reveal()
	defer func() { f.conf.ClientSecret = "" }()
	return f.conf.Token(tokenContext(ctx, f.cfg.HTTPClient))
}

// RefreshToken configures the refresh token grant (RFC 6749 §6).
type RefreshToken struct {
	ClientID     SecretSource              // read at each fetch
	ClientSecret SecretSource              // read at each fetch; nil for a public client
	RefreshToken SecretSource              // replaced by the server's rotated one, if any
	OnRotate     func(refreshToken Secret) // if set, given each new refresh token to persist
	TokenURL     string                    // as in ClientCredentials
	Scopes       []string                  // sent when set
	// The rest as in [ClientCredentials].
	AuthStyle             oauth2.AuthStyle
	HTTPClient            *http.Client
	EarlyRefresh          time.Duration
	FetchTimeout          time.Duration
	AllowInsecureTokenURL bool
}

// NewRefreshToken returns a refresh token grant credential.
func NewRefreshToken(cfg RefreshToken) *TokenCredential {
	f := &rtFetcher{cfg: cfg, conf: &oauth2.Config{
		Endpoint: oauth2.Endpoint{TokenURL: cfg.TokenURL, AuthStyle: cfg.AuthStyle}, Scopes: cfg.Scopes,
	}}
	c := newTokenCredential(f.fetch, cfg.EarlyRefresh, cfg.FetchTimeout)
	c.url, c.extra = safeTokenURL(cfg.TokenURL), f.seen.list
	return c
}

// rtFetcher runs refresh token grants, one at a time.
type rtFetcher struct {
	cfg     RefreshToken
	conf    *oauth2.Config
	rotated Secret // the latest refresh token the server issued
	seen    seenSecrets
}

func (f *rtFetcher) fetch(ctx context.Context) (*oauth2.Token, error) {
	if err := checkTokenURL(f.cfg.TokenURL, f.cfg.AllowInsecureTokenURL); err != nil {
		return nil, err
	}
	id, err := resolve(ctx, f.cfg.ClientID, "OAuth2 client id")
	if err != nil {
		return nil, err
	}
	var secret Secret
	if f.cfg.ClientSecret != nil {
		if secret, err = resolve(ctx, f.cfg.ClientSecret, "OAuth2 client secret"); err != nil {
			return nil, err
		}
	}
	rt := f.rotated
	if rt.IsZero() {
		if rt, err = resolve(ctx, f.cfg.RefreshToken, "OAuth2 refresh token"); err != nil {
			return nil, err
		}
	}
	f.seen.note(secret.Reveal(), rt.Reveal())
	f.conf.ClientID, f.conf.ClientSecret = id.Reveal(), secret.Reveal()
	defer func() { f.conf.ClientSecret = "" }()
	tok, err := f.conf.TokenSource(tokenContext(ctx, f.cfg.HTTPClient), &oauth2.Token{RefreshToken: rt.Reveal()}).Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken != "" && tok.RefreshToken != rt.Reveal() {
		f.rotated = NewSecret(tok.RefreshToken)
		f.seen.note(tok.RefreshToken)
		if f.cfg.OnRotate != nil {
			f.cfg.OnRotate(f.rotated)
		}
	}
	return tok, nil
}

// noRedirects makes a token request fail on a redirect instead of
// re-sending the client's secrets to wherever it points.
var tokenHTTPClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// tokenContext makes x/oauth2 send with hc (or tokenHTTPClient).
func tokenContext(ctx context.Context, hc *http.Client) context.Context {
	if hc == nil {
		hc = tokenHTTPClient
	}
	return context.WithValue(ctx, oauth2.HTTPClient, hc)
}

// checkTokenURL refuses a plain-http token endpoint on a non-loopback host
// unless allowed.
func checkTokenURL(raw string, allow bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("auth: invalid OAuth2 token URL %q: want an absolute http or https URL", safeTokenURL(raw))
	}
	if allow || u.Scheme == "https" || authlink.IsLoopback(u.Hostname()) {
		return nil
	}
	return &InsecureCredentialsError{What: "OAuth2 client credentials", Host: u.Host}
}

// safeTokenURL is raw without user info, query or fragment.
func safeTokenURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = nil, "", "", "", false
	return u.String()
}
