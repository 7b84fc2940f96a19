package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// drainLimit bounds how much of an over-long error body is read and thrown
// away so the connection can be reused; beyond it, closing is cheaper.
const drainLimit = 256 << 10

// Client sends requests for one API. It is safe for concurrent use; its
// settings are fixed at [NewClient] and can be overridden per call.
type Client struct {
	base     *url.URL
	schemes  map[string]*SecurityScheme
	settings Settings
	redact   redaction // what logs must not show
}

// NewClient returns a client for an API whose default server URL is
// defaultBaseURL (the spec's first servers entry) and whose security schemes
// are schemes (components/securitySchemes). [WithBaseURL] overrides the URL;
// NewClient returns an error if the resulting URL is not an absolute http or
// https URL, or if given [WithIdempotencyKey], a per-call option.
func NewClient(defaultBaseURL string, schemes []SecurityScheme, opts ...Option) (*Client, error) {
	s := defaultSettings(defaultBaseURL).with(opts)
	base, err := parseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}
	if s.idempotencyKey != "" {
		return nil, errors.New("runtime: WithIdempotencyKey is a per-call option; given to NewClient, every call would share one key")
	}
	c := &Client{base: base, schemes: make(map[string]*SecurityScheme, len(schemes)), settings: s}
	for i := range schemes {
		sc := schemes[i]
		c.schemes[sc.Name] = &sc
	}
	c.redact = newRedaction(schemes)
	return c, nil
}

// parseBaseURL parses and checks a base URL.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("runtime: invalid base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("runtime: invalid base URL %q: want an absolute http or https URL", u.Redacted())
	}
	return u, nil
}

// Do sends r and reads its response.
//
// It appends r's path to the base URL (keeping a path prefix such as /v1,
// without doubling slashes), adds query parameters, headers, cookies and
// body, then authenticates: it uses the first security requirement set of
// the operation whose schemes all have credentials, or sends anonymously when
// an empty set allows it. If op.Security is non-empty and nothing can be
// satisfied, Do returns a [*MissingCredentialsError] without sending.
//
// Each attempt is bounded by [WithTimeout] (default 80 s) and passes through
// the [WithMiddleware] chain. Failed attempts are retried per the
// [RetryPolicy] (default: 2 retries with backoff, only when the operation is
// idempotent, carries an idempotency key or could not connect) within the
// client's [RetryBudget]; waits honour Retry-After and end when ctx does.
//
// Any status is returned as a *Response with a nil error; generated code
// turns unexpected statuses into a [*APIError] with [Response.Error]. After
// retries, the last response is returned, with Response.Attempts set. The
// body is read fully and closed: up to [WithMaxResponseBytes] for status <
// 400 (larger bodies fail with [ErrResponseTooLarge]) and up to
// [WithMaxErrorBodyBytes] for status >= 400 (the rest is dropped and
// Response.Truncated set). A request marked with [Request.StreamResponse]
// keeps a 2xx body open instead, unbuffered and unlimited: the per-attempt
// timeout then covers only the wait for the headers, the caller's ctx
// covers reading the body, and the caller must close [Response.Stream].
//
// Errors name the operation id, method and URL; the URL never includes
// credential query parameters or passwords, and known secret values are
// scrubbed from messages. Transport errors unwrap to the (sanitized)
// *url.Error, so errors.Is(err, context.DeadlineExceeded) works; an
// attempt that ran out of its per-attempt timeout (not the caller's
// deadline) also matches [ErrAttemptTimeout] and is an
// [*AttemptTimeoutError]; when
// retries ran out they also match [ErrRetriesExhausted] or
// [ErrRetryBudgetExhausted] with errors.Is.
func (c *Client) Do(ctx context.Context, r *Request, opts ...Option) (*Response, error) {
	if r == nil || r.op == nil {
		return nil, errors.New("runtime: Do called with a nil Request or Operation")
	}
	if ctx == nil {
		return nil, fmt.Errorf("%s: Do called with a nil Context", r.op.ID)
	}
	s := c.settings.with(opts)
	k, err := c.newCall(ctx, r, &s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.op.ID, err)
	}
	return k.run()
}

// call is one logical call of Do: everything fixed across its attempts.
type call struct {
	c           *Client
	ctx         context.Context // the caller's: bounds all attempts
	r           *Request
	op          *Operation
	s           *Settings
	url         *url.URL // without credentials
	contentType string
	body        bodySource
	keyHeader   string // idempotency key header name
	key         string // idempotency key to set on every attempt, or ""
	doer        Doer   // the middleware chain around s.httpClient
	idempotent  bool   // retrying cannot repeat a side effect
	x           exchange
	attempts    int
	lastCost    int // budget tokens the last retry took
	gate        gate
	reauthed    bool // resent once after a 401 with refreshed credentials
}

// newCall prepares r for sending: URL, headers, body and idempotency key.
func (c *Client) newCall(ctx context.Context, r *Request, s *Settings) (*call, error) {
	if r.err != nil {
		return nil, fmt.Errorf("encoding request: %w", r.err)
	}
	u, err := c.requestURL(r, s)
	if err != nil {
		return nil, err
	}
	body, contentType, err := r.encodeBody()
	if err != nil {
		return nil, fmt.Errorf("encoding request body: %w", err)
	}
	src, err := newBodySource(body)
	if err != nil {
		return nil, fmt.Errorf("request body: %w", err)
	}
	keyHeader, key, keyed := idempotencyKey(r, s)
	return &call{
		c: c, ctx: ctx, r: r, op: r.op, s: s, url: u, contentType: contentType, body: src,
		keyHeader: keyHeader, key: key,
		doer:       chain(s.httpClient, s.middleware),
		idempotent: r.op.Idempotent || idempotentMethod(r.op.Method) || keyed,
		x:          exchange{ctx: ctx, op: r.op.ID, method: r.op.Method, u: u, creds: s.credentials},
	}, nil
}

// requestURL joins the base URL (the client's or WithBaseURL's), the path
// and the query.
func (c *Client) requestURL(r *Request, s *Settings) (*url.URL, error) {
	base := c.base
	if s.baseURL != c.settings.baseURL {
		var err error
		if base, err = parseBaseURL(s.baseURL); err != nil {
			return nil, err
		}
	}
	return joinURL(base, r.path, strings.Join(r.query, "&"))
}

// encodeBody runs the body encoder set on r, if any.
func (r *Request) encodeBody() (io.Reader, string, error) {
	if r.body == nil {
		return nil, "", nil
	}
	return r.body()
}

// setHeaders applies, in increasing precedence: body Content-Type,
// User-Agent, the request's own headers, then WithHeader headers; cookies
// are appended last.
func setHeaders(h http.Header, r *Request, s *Settings, contentType string) {
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	if s.userAgent != "" {
		h.Set("User-Agent", s.userAgent)
	}
	for k, v := range r.header {
		h[k] = append([]string(nil), v...)
	}
	for k, v := range s.headers {
		h[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(r.cookies); i += 2 {
		addCookie(h, r.cookies[i], r.cookies[i+1])
	}
}

// run sends attempts until one is final, retries are spent or ctx ends.
func (k *call) run() (resp *Response, err error) {
	defer func(start time.Time) { k.observeCall(start, resp, err) }(k.now())
	for {
		start := k.now()
		o := k.attempt()
		d := k.decide(&o)
		k.reauthorize(&o, &d) // auth_transport.go
		took := k.now().Sub(start)
		k.log(&o, d, took)
		k.observeAttempt(&o, d, took)
		if !d.retry {
			return k.finish(&o, d.gaveUp)
		}
		if o.resp != nil {
			_ = o.resp.Close() // a streamed body the retry replaces
		}
		if err := k.wait(d.delay); err != nil {
			return nil, fmt.Errorf("%w (interrupted waiting to retry: %w)", k.lastError(&o), err)
		}
	}
}

// finish returns the outcome of the last attempt, wrapped with gaveUp.
func (k *call) finish(o *outcome, gaveUp error) (*Response, error) {
	if o.err != nil {
		return nil, wrapGiveUp(o.err, gaveUp, k.attempts)
	}
	o.resp.Attempts, o.resp.gaveUp = k.attempts, gaveUp
	return o.resp, nil
}

// lastError describes o as an error, a response as its *APIError.
func (k *call) lastError(o *outcome) error {
	if o.err != nil {
		return o.err
	}
	o.resp.Attempts = k.attempts
	return o.resp.Error(nil)
}

// outcome is the result of one attempt: a response or an error.
type outcome struct {
	req     *http.Request // as sent, for debug logs; nil if not built
	resp    *Response
	err     error
	failure failure
}

// attempt passes the circuit breaker and the rate limiter, then sends the
// request once.
func (k *call) attempt() outcome {
	k.attempts++
	if err := k.admit(); err != nil {
		return outcome{err: err}
	}
	o := k.send()
	k.release(&o)
	return o
}

// send sends the request once, within the per-attempt timeout, and reads
// the response. A streamed response ([Request.StreamResponse]) with a 2xx
// status is left open: the timeout then stops at the headers and the body's
// context is cancelled when the caller closes it.
func (k *call) send() outcome {
	ctx, cancel, arrived := k.attemptContext()
	keep := false
	defer func() {
		if !keep {
			cancel()
		}
	}()
	req, err := k.newHTTPRequest(ctx)
	if err != nil {
		return outcome{err: err}
	}
	resp, err := k.doScrubbed(req) // the Doer chain, panics scrubbed of secrets
	if err == nil && resp == nil {
		err = errNoResponse
	}
	if !arrived() { // the per-attempt timeout of a streamed call fired
		if err == nil {
			_ = resp.Body.Close()
			err = context.DeadlineExceeded
		} else if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (%w)", err, context.DeadlineExceeded) // a Doer that reports the cancel as Canceled
		}
	}
	if err != nil {
		return outcome{req: req, err: k.markAttemptTimeout(ctx, k.x.transportError(err)), failure: classifyError(k.ctx, err)}
	}
	if k.r.stream && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		keep = true
		return outcome{req: req, resp: k.x.open(resp, k.s, cancel)}
	}
	r, err := k.x.read(resp, k.s)
	if err != nil {
		return outcome{req: req, err: k.markAttemptTimeout(ctx, err), failure: classifyError(k.ctx, err)}
	}
	if k.s.retry.retryableStatus(r) {
		return outcome{req: req, resp: r, failure: retryable}
	}
	return outcome{req: req, resp: r}
}

// attemptContext bounds one attempt by the per-attempt timeout. For a
// streamed response the timeout covers only the wait for the headers:
// arrived stops its timer and reports whether the headers came in time;
// the returned context then lives until cancel (the body's Close) or the
// caller's context ends.
func (k *call) attemptContext() (ctx context.Context, cancel context.CancelFunc, arrived func() bool) {
	parent := k.withAttempt(k.ctx)
	if k.s.timeout <= 0 {
		ctx, cancel = context.WithCancel(parent)
		return ctx, cancel, func() bool { return true }
	}
	if !k.r.stream {
		ctx, cancel = context.WithTimeout(parent, k.s.timeout)
		return ctx, cancel, func() bool { return true }
	}
	cctx, cancelCause := context.WithCancelCause(parent)
	t := time.AfterFunc(k.s.timeout, func() { cancelCause(context.DeadlineExceeded) })
	return cctx, func() { t.Stop(); cancelCause(nil) }, func() bool {
		return t.Stop() || context.Cause(cctx) != context.DeadlineExceeded
	}
}

// newHTTPRequest builds the authenticated *http.Request of one attempt.
func (k *call) newHTTPRequest(ctx context.Context) (*http.Request, error) {
	body, err := k.body.next()
	if err != nil {
		return nil, fmt.Errorf("%s: rewinding request body: %w", k.op.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, k.op.Method, "", body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.op.ID, err)
	}
	*req.URL, req.Host = *k.url, "" // credentials may add to the copy's query
	setHeaders(req.Header, k.r, k.s, k.contentType)
	if k.key != "" {
		req.Header.Set(k.keyHeader, k.key)
	}
	if err := k.c.authorize(req, k.op, *k.s); err != nil {
		return nil, err
	}
	return req, nil
}

// now reads the clock (a test hook).
func (k *call) now() time.Time {
	if k.s.now != nil {
		return k.s.now()
	}
	return time.Now()
}

// wait waits d or until the caller's context is done (a test hook).
func (k *call) wait(d time.Duration) error {
	if k.s.sleep != nil {
		return k.s.sleep(k.ctx, d)
	}
	return wait(k.ctx, d)
}

// joinURL appends an escaped path and an encoded query to base. Path and
// RawPath are both set so escapes such as %2F in path parameters survive.
func joinURL(base *url.URL, path, query string) (*url.URL, error) {
	u := *base
	raw := strings.TrimRight(base.EscapedPath(), "/")
	if path != "" {
		raw += "/" + strings.TrimLeft(path, "/")
	}
	p, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid request path %q: %w", path, err)
	}
	u.Path, u.RawPath = p, raw
	u.RawQuery = appendQuery(base.RawQuery, query)
	u.Fragment, u.RawFragment = "", ""
	return &u, nil
}

// authorize applies the credentials of the first satisfiable security
// requirement set (OpenAPI 3.1 §4.8.30). A set with credentials for all its
// schemes is preferred over an empty (anonymous) set wherever they appear, so
// "optional auth" specs ([{}, {key: []}]) still send a configured key.
func (c *Client) authorize(req *http.Request, op *Operation, s Settings) error {
	anonymous := false
	for _, set := range op.Security {
		if len(set) == 0 {
			anonymous = true
			continue
		}
		if hasAll(s.credentials, set) {
			if err := checkTransport(req, op, set, c.schemes, &s); err != nil {
				return err
			}
			return c.applyCredentials(req, op, set, s)
		}
	}
	if len(op.Security) == 0 || anonymous {
		return nil
	}
	return &MissingCredentialsError{Operation: op.ID, Requirements: op.Security}
}

// hasAll reports whether every scheme in set has a credential.
func hasAll(creds map[string]Credential, set []string) bool {
	for _, name := range set {
		if creds[name] == nil {
			return false
		}
	}
	return true
}

// applyCredentials applies the credential of each scheme in set.
func (c *Client) applyCredentials(req *http.Request, op *Operation, set []string, s Settings) error {
	for _, name := range set {
		scheme := c.schemes[name]
		if scheme == nil {
			return fmt.Errorf("%s: security scheme %q is not declared in the client's schemes", op.ID, name)
		}
		if err := applyCredential(s.credentials[name], req, scheme, s.credentials); err != nil {
			return newCredentialError(op.ID, name, err, collectSecrets(s))
		}
	}
	return nil
}

// collectSecrets lists the secret values of the configured credentials.
func collectSecrets(s Settings) []string { return secretsOf(s.credentials) }

// secretsOf lists the secret values of creds.
func secretsOf(creds map[string]Credential) []string {
	var out []string
	for _, c := range creds {
		if h, ok := c.(secretHolder); ok {
			out = append(out, h.secrets()...)
		}
	}
	return out
}

// exchange is what error messages may say about one call: operation id,
// method and credential-free URL, plus the credentials whose secrets to
// scrub. The URL string and the secrets are worked out only when needed.
type exchange struct {
	ctx        context.Context // the caller's: bounds decoding the response too
	op, method string
	u          *url.URL // without credentials; not modified
	creds      map[string]Credential
}

// url returns the URL without its password.
func (x exchange) url() string { return x.u.Redacted() }

// secrets lists the secret values to scrub from messages.
func (x exchange) secrets() []string { return secretsOf(x.creds) }

// transportError wraps a Doer error without leaking the credential-bearing
// URL that *url.Error carries.
func (x exchange) transportError(err error) error {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		safe := *ue
		safe.URL = x.url()
		err, cause = &safe, ue.Err
	}
	msg := fmt.Sprintf("%s: %s %s: %s", x.op, x.method, x.url(), cause)
	return &requestError{msg: redact(msg, x.secrets()), err: err}
}

// read consumes and closes the body within the limits of s.
func (x exchange) read(resp *http.Response, s *Settings) (*Response, error) {
	defer resp.Body.Close()
	limit := s.maxResponse
	if resp.StatusCode >= 400 {
		limit = s.maxErrorBody
	}
	body, truncated, err := readCapped(resp.Body, limit)
	if truncated && resp.StatusCode >= 400 {
		_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	}
	if s.rawResponse != nil {
		resp.Body = io.NopCloser(bytes.NewReader(body))
		*s.rawResponse = resp
	}
	if err != nil {
		return nil, x.transportError(fmt.Errorf("reading response body: %w", err))
	}
	if truncated && resp.StatusCode < 400 {
		return nil, fmt.Errorf("%s: %s %s: %w (limit %d bytes)", x.op, x.method, x.url(), ErrResponseTooLarge, limit)
	}
	return &Response{
		StatusCode: resp.StatusCode, Status: statusText(resp), Header: resp.Header,
		Body: body, Truncated: truncated, exchange: x,
	}, nil
}

// readCapped reads up to limit bytes; truncated reports that more followed.
func readCapped(r io.Reader, limit int64) ([]byte, bool, error) {
	if limit == math.MaxInt64 {
		b, err := io.ReadAll(r)
		return b, false, err
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit {
		return b[:limit], true, err
	}
	return b, false, err
}

// statusText returns resp.Status, synthesized when a Doer left it empty.
func statusText(resp *http.Response) string {
	if resp.Status != "" {
		return resp.Status
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}
