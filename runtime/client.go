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

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// drainLimit bounds how much of an over-long error body is read and thrown
// away so the connection can be reused; beyond it, closing is cheaper.
const drainLimit = 256 << 10

// Client sends requests for one API; it is safe for concurrent use.
type Client struct {
	base     *url.URL
	schemes  map[string]*auth.SecurityScheme
	settings Settings
	redact   redaction // what logs must not show
}

// NewClient returns a client for an API with the spec's server URL and
// security schemes; it fails on a base URL that is not absolute http(s).
func NewClient(defaultBaseURL string, schemes []auth.SecurityScheme, opts ...ClientOption) (*Client, error) {
	def := defaultSettings(defaultBaseURL)
	ps, err := def.withClient(opts)
	if err != nil {
		return nil, err
	}
	s := *ps
	base, err := parseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, schemes: make(map[string]*auth.SecurityScheme, len(schemes)), settings: s}
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

// Do sends r and reads its response: it authenticates with the first
// security requirement set whose credentials are all configured (else a
// [*MissingCredentialsError]), and sends attempts bounded by [WithTimeout]
// through the middleware, breaker and rate limiter, retried per the
// [RetryPolicy]. Any status is a *Response with a nil error; the body is
// read up to [WithMaxResponseBytes] ([ErrResponseTooLarge]) or, from 400,
// [WithMaxErrorBodyBytes], unless [Request.StreamResponse] keeps it open.
// Errors name the operation, method and URL without credentials, unwrap to
// the *url.Error, and may match [ErrAttemptTimeout], [ErrRetriesExhausted],
// [ErrRetryBudgetExhausted], [ErrCircuitOpen] or [ErrRateLimited].
func (c *Client) Do(ctx context.Context, r *Request, opts ...CallOption) (*Response, error) {
	if r == nil || r.op == nil {
		return nil, errors.New("runtime: Do called with a nil Request or Operation")
	}
	if ctx == nil {
		return nil, fmt.Errorf("%s: Do called with a nil Context", r.op.ID)
	}
	s, err := c.settings.withCall(opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.op.ID, err)
	}
	k, err := c.newCall(ctx, r, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.op.ID, err)
	}
	resp, err := k.run()
	k.body = nil // the Response may keep k alive (resp0); the request body is spent
	return resp, err
}

// call is one logical call of Do: everything fixed across its attempts.
// What a call needs once is kept in it by value rather than allocated on
// its own: the URL, the contexts carrying the call, the first attempt's
// header values and the first response. Do keeps no pointer to the
// caller's Request.
type call struct {
	c           *Client
	ctx         context.Context // the caller's: bounds all attempts
	op          *Operation
	s           *Settings   // shared with the client unless the call has options: read only
	header      http.Header // the Request's
	cookies     []string    // the Request's
	u           url.URL     // without credentials
	u1          url.URL     // the first attempt's request URL, when newHTTPRequest may use it
	hv1         [4]string   // the first attempt's header values, when they fit
	actx        attemptCtx  // ctx carrying the call
	resp0       Response    // the first Response read, allocated with the call
	contentType string
	body        bodySource
	keyHeader   string // idempotency key header name
	key         string // idempotency key to set on every attempt, or ""
	doer        Doer   // the middleware chain around s.httpClient
	x           exchange
	attempts    int
	lastCost    int // budget tokens the last retry took
	gate        gate
	stream      bool // the Request's StreamResponse
	idempotent  bool // retrying cannot repeat a side effect
	resp0Used   bool
	reauthed    bool // resent once after a 401 with refreshed credentials
}

// newCall prepares r for sending: URL, headers, body and idempotency key.
// It copies what it needs from r, so r does not escape.
func (c *Client) newCall(ctx context.Context, r *Request, s *Settings) (*call, error) {
	if r.p.Err != nil {
		return nil, fmt.Errorf("encoding request: %w", r.p.Err)
	}
	k := &call{c: c, ctx: ctx, op: r.op, s: s, header: r.p.Header, cookies: r.p.Cookies, stream: r.stream}
	if err := c.requestURL(&k.u, r, s); err != nil {
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
	k.contentType, k.body, k.keyHeader, k.key = contentType, src, keyHeader, key
	k.doer = chain(s.httpClient, s.middleware)
	k.idempotent = r.op.Idempotent || idempotentMethod(r.op.Method) || keyed
	k.x = exchange{ctx: ctx, op: r.op.ID, method: r.op.Method, u: &k.u, creds: s.credentials, desc: r.op, settings: s}
	k.actx = attemptCtx{Context: ctx, k: k}
	return k, nil
}

// requestURL sets *dst to the base URL (the client's or WithBaseURL's)
// joined with the path and the query.
func (c *Client) requestURL(dst *url.URL, r *Request, s *Settings) error {
	base := c.base
	if s.baseURL != c.settings.baseURL {
		var err error
		if base, err = parseBaseURL(s.baseURL); err != nil {
			return err
		}
	}
	query := ""
	switch len(r.p.Query) {
	case 0:
	case 1:
		query = r.p.Query[0]
	default:
		query = strings.Join(r.p.Query, "&")
	}
	if err := joinURL(dst, base, r.path, query); err != nil || s.pageURL == "" {
		return err
	}
	return pageURL(dst, base, s.pageURL)
}

// pageURL replaces *dst, the request's own URL, by the next page's URL
// raw resolved against it (RFC 3986 §5.2: absolute, or relative such as
// Twilio's "/2010-04-01/Accounts.json?Page=1"), which must keep the base
// URL's origin: [ErrForeignPageURL] otherwise.
func pageURL(dst, base *url.URL, raw string) error {
	ref, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrForeignPageURL, err)
	}
	u := dst.ResolveReference(ref)
	if u.Scheme != "http" && u.Scheme != "https" || !authlink.SameOrigin(base, u) {
		return fmt.Errorf("%w: host %q", ErrForeignPageURL, u.Host)
	}
	u.User, u.Fragment, u.RawFragment = base.User, "", ""
	*dst = *u
	return nil
}

// encodeBody runs the body encoder set on r, if any.
func (r *Request) encodeBody() (io.Reader, string, error) {
	if r.p.Body == nil {
		return nil, "", nil
	}
	return r.p.Body()
}

// setHeaders applies, in increasing precedence: body Content-Type,
// User-Agent, the request's own headers, WithHeader headers, then the
// idempotency key (when key is not ""); cookies are appended last. The
// values are copies, all in one backing array: vals's if they fit in its
// capacity, else a new one. Each header's slice is capped so that
// appending to it copies.
func setHeaders(h http.Header, vals []string, header http.Header, cookies []string, s *Settings, contentType, keyHeader, key string) {
	n := 0
	for _, v := range header {
		n += len(v)
	}
	for _, v := range s.headers {
		n += len(v)
	}
	for _, v := range [...]string{contentType, s.userAgent, key} {
		if v != "" {
			n++
		}
	}
	if n > cap(vals) {
		vals = make([]string, 0, n)
	}
	hv := headerValues{h: h, vals: vals[:0]}
	if contentType != "" {
		hv.set("Content-Type", contentType)
	}
	if s.userAgent != "" {
		hv.set("User-Agent", s.userAgent)
	}
	for k, v := range header {
		hv.set(k, v...)
	}
	for k, v := range s.headers {
		hv.set(k, v...)
	}
	if key != "" {
		hv.set(http.CanonicalHeaderKey(keyHeader), key)
	}
	for i := 0; i+1 < len(cookies); i += 2 {
		link.AddCookie(h, cookies[i], cookies[i+1])
	}
}

// headerValues sets headers with values copied into one array.
type headerValues struct {
	h    http.Header
	vals []string // the array, with room for every value set
}

// set sets header name (in canonical form) to a copy of v; no values set
// it to nil.
func (hv *headerValues) set(name string, v ...string) {
	if len(v) == 0 {
		hv.h[name] = nil
		return
	}
	i := len(hv.vals)
	hv.vals = append(hv.vals, v...)
	hv.h[name] = hv.vals[i:len(hv.vals):len(hv.vals)]
}

// run sends attempts until one is final, retries are spent or ctx ends.
// The clock is read only for a logger or observers.
func (k *call) run() (resp *Response, err error) {
	timed := k.s.logger != nil || len(k.s.observers) > 0
	if len(k.s.observers) > 0 {
		defer func(start time.Time) { k.observeCall(start, resp, err) }(k.now())
	}
	for {
		var start time.Time
		if timed {
			start = k.now()
		}
		o := k.attempt()
		d := k.decide(&o)
		k.reauthorize(&o, &d) // auth_transport.go
		var took time.Duration
		if timed {
			took = k.now().Sub(start)
		}
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
	if k.stream && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		keep = true
		return outcome{req: req, resp: k.x.open(resp, k.s, cancel)}
	}
	var dst *Response
	if !k.resp0Used {
		dst, k.resp0Used = &k.resp0, true
	}
	r, err := k.x.read(resp, k.s, dst)
	if err != nil {
		return outcome{req: req, err: k.markAttemptTimeout(ctx, err), failure: classifyError(k.ctx, err)}
	}
	if k.s.retry.retryableStatus(r) {
		return outcome{req: req, resp: r, failure: retryable}
	}
	return outcome{req: req, resp: r}
}

// attemptContext bounds one attempt by the per-attempt timeout, through a
// context that carries the call for [AttemptFromContext]. For a streamed response
// the timeout covers only the wait for the headers: arrived stops its timer
// and reports whether the headers came in time; the returned context then
// lives until cancel (the body's Close) or the caller's context ends.
func (k *call) attemptContext() (ctx context.Context, cancel context.CancelFunc, arrived func() bool) {
	parent := context.Context(&k.actx) // k.ctx carrying k
	if k.s.timeout <= 0 {
		ctx, cancel = context.WithCancel(parent)
		return ctx, cancel, func() bool { return true }
	}
	if !k.stream {
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
	var req *http.Request
	if body == nil && k.attempts == 1 && standardMethod(k.op.Method) {
		// What NewRequestWithContext makes of a nil body, with the URL
		// copy kept in the call rather than parsed from "" and
		// overwritten. Later attempts get their own copy: a transport may
		// still be writing an abandoned attempt's request.
		k.u1 = k.u
		proto := http.Request{
			Method: k.op.Method, URL: &k.u1, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: make(http.Header),
		}
		req = proto.WithContext(ctx)
	} else {
		if req, err = http.NewRequestWithContext(ctx, k.op.Method, "", body); err != nil {
			return nil, fmt.Errorf("%s: %w", k.op.ID, err)
		}
		*req.URL, req.Host = k.u, "" // credentials may add to the copy's query
	}
	var vals []string // the first attempt's header values go in the call
	if k.attempts == 1 {
		vals = k.hv1[:0]
	}
	setHeaders(req.Header, vals, k.header, k.cookies, k.s, k.contentType, k.keyHeader, k.key)
	if err := k.c.authorize(req, k.op, k.s); err != nil {
		return nil, err
	}
	return req, nil
}

// standardMethod reports whether method is one of RFC 9110's (plus
// PATCH), which NewRequestWithContext accepts.
func standardMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
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

// joinURL sets *dst to base with an escaped path appended and an encoded
// query added. Path and RawPath are both set so escapes such as %2F in path
// parameters survive.
func joinURL(dst, base *url.URL, path, query string) error {
	raw := joinPath(strings.TrimRight(base.EscapedPath(), "/"), path)
	p, err := url.PathUnescape(raw)
	if err != nil {
		return fmt.Errorf("invalid request path %q: %w", path, err)
	}
	*dst = *base
	dst.Path, dst.RawPath = p, raw
	dst.RawQuery = link.AppendQuery(base.RawQuery, query)
	dst.Fragment, dst.RawFragment = "", ""
	return nil
}

// joinPath appends path to prefix (which has no trailing slash) with
// exactly one slash between them; an empty path adds nothing. A path that
// already starts with a single slash after an empty prefix, the usual case,
// is returned as is.
func joinPath(prefix, path string) string {
	switch {
	case path == "":
		return prefix
	case prefix == "" && path[0] == '/' && (len(path) == 1 || path[1] != '/'):
		return path
	}
	return prefix + "/" + strings.TrimLeft(path, "/")
}

// authorize applies the credentials of the first satisfiable security
// requirement set (OpenAPI 3.1 §4.8.30). A set with credentials for all its
// schemes is preferred over an empty (anonymous) set wherever they appear, so
// "optional auth" specs ([{}, {key: []}]) still send a configured key.
func (c *Client) authorize(req *http.Request, op *Operation, s *Settings) error {
	anonymous := false
	for _, set := range op.Security {
		if len(set) == 0 {
			anonymous = true
			continue
		}
		if hasAll(s.credentials, set) {
			if err := checkTransport(req, op, set, c.schemes, s); err != nil {
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
func hasAll(creds map[string]auth.Credential, set []string) bool {
	for _, name := range set {
		if creds[name] == nil {
			return false
		}
	}
	return true
}

// applyCredentials applies the credential of each scheme in set.
func (c *Client) applyCredentials(req *http.Request, op *Operation, set []string, s *Settings) error {
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
func collectSecrets(s *Settings) []string { return secretsOf(s.credentials) }

// secretsOf lists the secret values of creds.
func secretsOf(creds map[string]auth.Credential) []string {
	var out []string
	for _, c := range creds {
		out = append(out, authlink.Secrets(c)...)
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
	creds      map[string]auth.Credential
	desc       *Operation // the operation, for drift reports
	settings   *Settings  // the call's: how responses are decoded, who hears of drift
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
	return &requestError{msg: authlink.Redact(msg, x.secrets()), err: err}
}

// read consumes and closes the body within the limits of s. The Response
// is built in *dst when dst is not nil.
func (x exchange) read(resp *http.Response, s *Settings, dst *Response) (*Response, error) {
	defer resp.Body.Close()
	limit := s.maxResponse
	if resp.StatusCode >= 400 {
		limit = s.maxErrorBody
	}
	body, truncated, err := readCapped(resp.Body, limit, resp.ContentLength)
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
	if dst == nil {
		dst = new(Response)
	}
	*dst = Response{
		StatusCode: resp.StatusCode, Status: statusText(resp), Header: resp.Header,
		Body: body, Truncated: truncated, exchange: x,
	}
	return dst, nil
}

// maxPresize caps the buffer readCapped allocates up front from a
// Content-Length: a larger body grows the buffer as it arrives, so a length
// the server does not send costs no memory.
const maxPresize = 1 << 20

// readCapped reads r to EOF, keeping up to limit bytes; truncated reports
// that more followed (then at most limit+1 bytes were read). size is the
// expected length when known (Content-Length), else -1: a buffer of that
// size (if at most maxPresize) is allocated at once instead of growing one
// from 512 bytes as io.ReadAll does. A size of 0 is not trusted (Doers that
// build responses often leave ContentLength 0). The error is the reader's,
// io.EOF excepted.
func readCapped(r io.Reader, limit, size int64) ([]byte, bool, error) {
	want := int64(math.MaxInt64) // bytes to read at most: limit+1 shows truncation
	if limit < math.MaxInt64 {
		want = limit + 1
	}
	n := int64(512)
	if size > 0 && size < maxPresize {
		n = size + 1 // room for the read that reports EOF
	}
	b := make([]byte, 0, min(n, want))
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow as io.ReadAll does
		}
		room := b[len(b):cap(b)]
		if left := want - int64(len(b)); int64(len(room)) > left {
			room = room[:left]
		}
		m, err := r.Read(room)
		b = b[:len(b)+m]
		if int64(len(b)) > limit {
			if err == io.EOF {
				err = nil
			}
			return b[:limit], true, err
		}
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, false, err
		}
	}
}

// statusText returns resp.Status, synthesized when a Doer left it empty.
func statusText(resp *http.Response) string {
	if resp.Status != "" {
		return resp.Status
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}
