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
}

// NewClient returns a client for an API whose default server URL is
// defaultBaseURL (the spec's first servers entry) and whose security schemes
// are schemes (components/securitySchemes). [WithBaseURL] overrides the URL;
// NewClient returns an error if the resulting URL is not an absolute http or
// https URL.
func NewClient(defaultBaseURL string, schemes []SecurityScheme, opts ...Option) (*Client, error) {
	s := defaultSettings(defaultBaseURL).with(opts)
	base, err := parseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, schemes: make(map[string]*SecurityScheme, len(schemes)), settings: s}
	for i := range schemes {
		sc := schemes[i]
		c.schemes[sc.Name] = &sc
	}
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
// Any status is returned as a *Response with a nil error; generated code
// turns unexpected statuses into a [*APIError] with [Response.Error]. The
// body is read fully and closed: up to [WithMaxResponseBytes] for status <
// 400 (larger bodies fail with [ErrResponseTooLarge]) and up to
// [WithMaxErrorBodyBytes] for status >= 400 (the rest is dropped and
// Response.Truncated set).
//
// Errors name the operation id, method and URL; the URL never includes
// credential query parameters or passwords, and known secret values are
// scrubbed from messages. Transport errors unwrap to the (sanitized)
// *url.Error, so errors.Is(err, context.DeadlineExceeded) works.
func (c *Client) Do(ctx context.Context, r *Request, opts ...Option) (*Response, error) {
	if r == nil || r.op == nil {
		return nil, errors.New("runtime: Do called with a nil Request or Operation")
	}
	s := c.settings.with(opts)
	req, err := c.newHTTPRequest(ctx, r, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.op.ID, err)
	}
	x := exchange{op: r.op.ID, method: req.Method, url: req.URL.Redacted(), secrets: collectSecrets(s)}
	if err := c.authorize(req, r.op, s); err != nil {
		return nil, err
	}
	resp, err := s.httpClient.Do(req)
	if err != nil {
		return nil, x.transportError(err)
	}
	return x.read(resp, s)
}

// newHTTPRequest builds the unauthenticated *http.Request for r.
func (c *Client) newHTTPRequest(ctx context.Context, r *Request, s Settings) (*http.Request, error) {
	if r.err != nil {
		return nil, fmt.Errorf("encoding request: %w", r.err)
	}
	base := c.base
	if s.baseURL != c.settings.baseURL {
		var err error
		if base, err = parseBaseURL(s.baseURL); err != nil {
			return nil, err
		}
	}
	u, err := joinURL(base, r.path, strings.Join(r.query, "&"))
	if err != nil {
		return nil, err
	}
	body, contentType, err := r.encodeBody()
	if err != nil {
		return nil, fmt.Errorf("encoding request body: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, r.op.Method, "", body)
	if err != nil {
		return nil, err
	}
	req.URL, req.Host = u, ""
	setHeaders(req, r, s, contentType)
	return req, nil
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
func setHeaders(req *http.Request, r *Request, s Settings, contentType string) {
	h := req.Header
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
		if err := s.credentials[name].Apply(req, scheme); err != nil {
			return fmt.Errorf("%s: applying credential for %q: %s", op.ID, name, redact(err.Error(), collectSecrets(s)))
		}
	}
	return nil
}

// collectSecrets lists the secret values of the configured credentials.
func collectSecrets(s Settings) []string {
	var out []string
	for _, c := range s.credentials {
		if h, ok := c.(secretHolder); ok {
			out = append(out, h.secrets()...)
		}
	}
	return out
}

// exchange is what error messages may say about one call: operation id,
// method and credential-free URL, plus the secrets to scrub.
type exchange struct {
	op, method, url string
	secrets         []string
}

// transportError wraps a Doer error without leaking the credential-bearing
// URL that *url.Error carries.
func (x exchange) transportError(err error) error {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		safe := *ue
		safe.URL = x.url
		err, cause = &safe, ue.Err
	}
	msg := fmt.Sprintf("%s: %s %s: %s", x.op, x.method, x.url, cause)
	return &requestError{msg: redact(msg, x.secrets), err: err}
}

// read consumes and closes the body within the limits of s.
func (x exchange) read(resp *http.Response, s Settings) (*Response, error) {
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
		return nil, fmt.Errorf("%s: %s %s: %w (limit %d bytes)", x.op, x.method, x.url, ErrResponseTooLarge, limit)
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
