package runtime

import (
	"log/slog"
	"net/http"
	"time"
)

// DeprecationNotice holds a response's Deprecation (RFC 9745) and Sunset
// (RFC 8594) headers.
type DeprecationNotice struct {
	Operation   string    // operationId
	Deprecation string    // the header's value, "" when absent
	Sunset      time.Time // zero when absent or unparsable
	Link        string    // the Link header, which may point at migration docs
}

// WithDeprecationHook calls fn for each deprecation notice; nil: no-op.
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

// WithDeprecationWarnings logs deprecation notices to logger; nil: no-op.
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
