package runtime

import (
	"log/slog"
	"net/http"
	"time"
)

// DeprecationNotice is what a response said about the end of life of the
// operation that produced it: the Deprecation header (RFC 9745, a
// structured date "@1688169599", or "true" in older drafts) and the Sunset
// header (RFC 8594, an HTTP-date).
type DeprecationNotice struct {
	Operation   string    // operationId
	Deprecation string    // the header's value, "" when absent
	Sunset      time.Time // zero when absent or unparsable
	Link        string    // the Link header, which may point at migration docs
}

// WithDeprecationHook calls fn for every response that carries a
// Deprecation or Sunset header, so a team learns from production traffic
// that a partner is retiring an operation. fn runs on the calling
// goroutine and must not block. A nil fn does nothing.
func WithDeprecationHook(fn func(DeprecationNotice)) Option {
	if fn == nil {
		return func(*Settings) {}
	}
	return WithMiddleware(func(req *http.Request, next Doer) (*http.Response, error) {
		resp, err := next.Do(req)
		if resp != nil && fn != nil {
			if n, ok := deprecationNotice(req, resp); ok {
				fn(n)
			}
		}
		return resp, err
	})
}

// WithDeprecationWarnings logs a warning through logger for every response
// that announces deprecation or a sunset. A nil logger does nothing.
func WithDeprecationWarnings(logger *slog.Logger) Option {
	if logger == nil {
		return func(*Settings) {}
	}
	return WithDeprecationHook(func(n DeprecationNotice) {
		attrs := []any{"operation", n.Operation, "deprecation", n.Deprecation}
		if !n.Sunset.IsZero() {
			attrs = append(attrs, "sunset", n.Sunset.Format(time.RFC3339))
		}
		if n.Link != "" {
			attrs = append(attrs, "link", n.Link)
		}
		logger.Warn("connectorgen: the API announces that this operation is deprecated", attrs...)
	})
}

func deprecationNotice(req *http.Request, resp *http.Response) (DeprecationNotice, bool) {
	dep, sunset := resp.Header.Get("Deprecation"), resp.Header.Get("Sunset")
	if dep == "" && sunset == "" {
		return DeprecationNotice{}, false
	}
	n := DeprecationNotice{Deprecation: dep, Link: resp.Header.Get("Link")}
	if a, ok := AttemptFromContext(req.Context()); ok && a.Operation != nil {
		n.Operation = a.Operation.ID
	}
	if t, err := http.ParseTime(sunset); err == nil {
		n.Sunset = t
	}
	return n, true
}
