package runtime

import (
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/connectorgen/connectorgen/runtime/auth"
	"github.com/connectorgen/connectorgen/runtime/internal/authlink"
)

// WithLogger logs attempts to l (Debug, Warn if retried, Error if the call
// fails; headers at Debug, credentials REDACTED). nil does nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) {
		if l != nil {
			s.logger = l
		}
	}
}

// WithoutLogger turns logging off.
func WithoutLogger() Option { return func(s *Settings) { s.logger = nil } }

// alwaysSecretHeaders are redacted from logs whatever the schemes say.
var alwaysSecretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// redaction lists the header and query parameter names whose values logs
// must not show.
type redaction struct {
	headers map[string]bool // canonical header names
	query   map[string]bool
}

// newRedaction collects the credential-bearing names of schemes.
func newRedaction(schemes []auth.SecurityScheme) redaction {
	r := redaction{headers: map[string]bool{}, query: map[string]bool{}}
	for _, h := range alwaysSecretHeaders {
		r.headers[h] = true
	}
	for _, sc := range schemes {
		switch {
		case sc.Type != "apiKey":
		case sc.In == "header":
			r.headers[http.CanonicalHeaderKey(sc.ParamName)] = true
		case sc.In == "query":
			r.query[sc.ParamName] = true
		}
	}
	return r
}

// log records attempt o and what the call does next.
func (k *call) log(o *outcome, d decision, took time.Duration) {
	l := k.s.logger
	if l == nil {
		return
	}
	level := attemptLevel(o, d)
	ctx := k.ctx
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("operation", k.op.ID), slog.String("method", k.op.Method),
		slog.String("host", k.u.Host), slog.Int("attempt", k.attempts), slog.Duration("duration", took))
	if o.resp != nil {
		attrs = append(attrs, slog.Int("status", o.resp.StatusCode))
	} else {
		attrs = append(attrs, slog.String("error", o.err.Error())) // already scrubbed
	}
	if d.retry {
		attrs = append(attrs, slog.Duration("retry_in", d.delay))
	} else if d.reason != "" {
		attrs = append(attrs, slog.String("reason", d.reason))
	}
	if l.Enabled(ctx, slog.LevelDebug) {
		attrs = append(attrs, k.debugAttrs(o)...)
	}
	l.LogAttrs(ctx, level, logMessage(level), attrs...)
}

// attemptLevel is Warn before a retry, Error when the call fails, else Debug.
func attemptLevel(o *outcome, d decision) slog.Level {
	switch {
	case d.retry:
		return slog.LevelWarn
	case o.err != nil || o.failure != final:
		return slog.LevelError
	}
	return slog.LevelDebug
}

// logMessage names the record's event.
func logMessage(level slog.Level) string {
	switch level {
	case slog.LevelWarn:
		return "runtime: attempt failed, retrying"
	case slog.LevelError:
		return "runtime: request failed"
	}
	return "runtime: request done"
}

// debugAttrs are the redacted headers and query of attempt o.
func (k *call) debugAttrs(o *outcome) []slog.Attr {
	if o.req == nil {
		return nil
	}
	out := []slog.Attr{
		k.headerAttr("request_headers", o.req.Header),
		slog.String("query", k.redactQuery(o.req.URL.RawQuery)),
	}
	if o.resp != nil {
		out = append(out, k.headerAttr("response_headers", o.resp.Header))
	}
	return out
}

// headerAttr is a group of h's headers, sorted, with secrets redacted.
func (k *call) headerAttr(key string, h http.Header) slog.Attr {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	attrs := make([]any, 0, len(names))
	for _, name := range names {
		v := authlink.Redacted
		if !k.isCredentialHeader(http.CanonicalHeaderKey(name)) {
			v = authlink.Redact(strings.Join(h[name], ", "), k.x.secrets())
		}
		attrs = append(attrs, slog.String(name, v))
	}
	return slog.Group(key, attrs...)
}

// redactQuery replaces the values of apiKey query parameters and any known
// secret in an encoded query.
func (k *call) redactQuery(q string) string {
	if q == "" {
		return ""
	}
	pairs := strings.Split(q, "&")
	for i, p := range pairs {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && k.c.redact.query[n] {
			pairs[i] = name + "=" + authlink.Redacted
		}
	}
	var secrets []string
	for _, s := range k.x.secrets() {
		secrets = append(secrets, queryEscape(s), s)
	}
	return authlink.Redact(strings.Join(pairs, "&"), secrets)
}
