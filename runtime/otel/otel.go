// Package otel instruments connectorgen clients with OpenTelemetry.
//
// It is a module of its own (github.com/connectorgen/connectorgen/runtime/otel)
// so that programs which do not use OpenTelemetry do not depend on it.
//
//	inst, err := otel.New(otel.Config{})  // global tracer and meter providers
//	...
//	client, err := petstore.NewClient(inst.Option())
//
// Tracing: every attempt of a call gets a client span from otelhttp, named
// by the operationId, with url.template (the spec's path), url.full without
// credentials, and http.request.resend_count on retries (semantic conventions
// for HTTP clients). otelhttp's own metric http.client.request.duration
// counts each attempt.
//
// Metrics, through the runtime's [runtime.Observer] hooks (meter
// "github.com/connectorgen/connectorgen/runtime/otel"):
//
//   - connectorgen.client.calls (counter) and connectorgen.client.call.duration
//     (histogram, s): one per call, with operation, method, host, status
//     code or error.type;
//   - connectorgen.client.attempts (counter): one per attempt;
//   - connectorgen.client.retries (counter): attempts followed by a retry;
//   - connectorgen.client.breaker.transitions (counter) and
//     connectorgen.client.breaker.state (gauge: 0 closed, 1 half-open,
//     2 open), per breaker;
//   - connectorgen.client.limiter.wait.duration (histogram, s): rate
//     limiter waits, with the outcome;
//   - connectorgen.client.response.drift (counter): response values that
//     did not match their declared types and were left unset
//     ([runtime.Drift]), with operation and status code.
package otel

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/connectorgen/connectorgen/runtime"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	gotel "go.opentelemetry.io/otel"
)

// ScopeName is the instrumentation scope of the meter and tracer.
const ScopeName = "github.com/connectorgen/connectorgen/runtime/otel"

// Attribute keys this package adds besides the semantic conventions.
const (
	// OperationKey is the operationId.
	OperationKey = attribute.Key("connectorgen.operation.id")
	// BreakerKey is a circuit breaker's name (by default the host).
	BreakerKey = attribute.Key("connectorgen.breaker.name")
	// BreakerStateKey is a circuit breaker's new state.
	BreakerStateKey = attribute.Key("connectorgen.breaker.state")
	// LimiterKey is the rate limiter key (by default the host).
	LimiterKey = attribute.Key("connectorgen.limiter.key")
	// OutcomeKey says how a limiter wait ended: "ok", "rate_limited" or
	// "canceled".
	OutcomeKey = attribute.Key("connectorgen.limiter.outcome")
)

// Config says where spans and metrics go. Zero values use the global
// providers of go.opentelemetry.io/otel.
type Config struct {
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	Propagators    propagation.TextMapPropagator
	// NoTracing leaves requests untraced (metrics only).
	NoTracing bool
}

// Instrumentation holds the instruments; one can serve many clients.
type Instrumentation struct {
	transport *otelhttp.Transport
	calls     metric.Int64Counter
	duration  metric.Float64Histogram
	attempts  metric.Int64Counter
	retries   metric.Int64Counter
	switches  metric.Int64Counter
	state     metric.Int64Gauge
	waits     metric.Float64Histogram
	drift     metric.Int64Counter
}

// New creates the instruments.
func New(cfg Config) (*Instrumentation, error) {
	mp := cfg.MeterProvider
	if mp == nil {
		mp = gotel.GetMeterProvider()
	}
	m := mp.Meter(ScopeName)
	in := &Instrumentation{}
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	var err error
	in.calls, err = m.Int64Counter("connectorgen.client.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls made by Client.Do, retries included in one call."))
	add(err)
	in.duration, err = m.Float64Histogram("connectorgen.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Time spent in Client.Do, waits between retries included."))
	add(err)
	in.attempts, err = m.Int64Counter("connectorgen.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts, including those refused by a circuit breaker or rate limiter."))
	add(err)
	in.retries, err = m.Int64Counter("connectorgen.client.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Attempts that were followed by a retry."))
	add(err)
	in.switches, err = m.Int64Counter("connectorgen.client.breaker.transitions", metric.WithUnit("{transition}"),
		metric.WithDescription("Circuit breaker state changes, by new state."))
	add(err)
	in.state, err = m.Int64Gauge("connectorgen.client.breaker.state", metric.WithUnit("1"),
		metric.WithDescription("Circuit breaker state: 0 closed, 1 half-open, 2 open."))
	add(err)
	in.waits, err = m.Float64Histogram("connectorgen.client.limiter.wait.duration", metric.WithUnit("s"),
		metric.WithDescription("Time spent waiting for the client-side rate limiter."))
	add(err)
	in.drift, err = m.Int64Counter("connectorgen.client.response.drift", metric.WithUnit("{value}"),
		metric.WithDescription("Response values that did not match their declared types and were left unset."))
	add(err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if !cfg.NoTracing {
		opts := []otelhttp.Option{otelhttp.WithMeterProvider(mp), otelhttp.WithSpanNameFormatter(spanName)}
		if cfg.TracerProvider != nil {
			opts = append(opts, otelhttp.WithTracerProvider(cfg.TracerProvider))
		}
		if cfg.Propagators != nil {
			opts = append(opts, otelhttp.WithPropagators(cfg.Propagators))
		}
		in.transport = otelhttp.NewTransport(nextTransport{}, opts...)
	}
	return in, nil
}

// Option instruments a client or a call: [Instrumentation.Middleware]
// (unless tracing is off) and [Instrumentation.Observer].
func (in *Instrumentation) Option() runtime.Option {
	obs := runtime.WithObserver(in.Observer())
	if in.transport == nil {
		return obs
	}
	mw := runtime.WithMiddleware(in.Middleware())
	return func(s *runtime.Settings) {
		mw(s)
		obs(s)
	}
}

// nextKey carries the rest of the middleware chain through otelhttp.
type nextKey struct{}

// Middleware traces each attempt with otelhttp. Given before other
// middleware, its span covers theirs.
func (in *Instrumentation) Middleware() runtime.Middleware {
	return func(req *http.Request, next runtime.Doer) (*http.Response, error) {
		if in.transport == nil {
			return next.Do(req)
		}
		return in.transport.RoundTrip(req.WithContext(context.WithValue(req.Context(), nextKey{}, next)))
	}
}

// spanName names a span by the operationId.
func spanName(_ string, r *http.Request) string {
	if a, ok := runtime.AttemptFromContext(r.Context()); ok && a.Operation.ID != "" {
		return a.Operation.ID
	}
	return "HTTP " + r.Method
}

// nextTransport is the base of otelhttp's transport: it annotates the span
// and hands the request to the rest of the middleware chain.
type nextTransport struct{}

// RoundTrip sends r through the Doer stored by Middleware.
func (nextTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	next, ok := r.Context().Value(nextKey{}).(runtime.Doer)
	if !ok {
		return nil, errors.New("runtime/otel: request did not come through Instrumentation.Middleware")
	}
	a, ok := runtime.AttemptFromContext(r.Context())
	if !ok {
		return next.Do(r)
	}
	span := trace.SpanFromContext(r.Context())
	safe := a.URL() // otelhttp's url.full would include apiKey query parameters
	span.SetAttributes(semconv.URLFull(safe), OperationKey.String(a.Operation.ID))
	if a.Operation.Path != "" {
		span.SetAttributes(semconv.URLTemplate(a.Operation.Path))
	}
	if a.Attempt > 1 {
		span.SetAttributes(semconv.HTTPRequestResendCount(a.Attempt - 1))
	}
	resp, err := next.Do(r)
	var ue *url.Error
	if errors.As(err, &ue) { // the span's status message must not carry credentials either
		c := *ue
		c.URL = safe
		err = &c
	}
	return resp, err
}

// Observer records the metrics listed in the package documentation.
func (in *Instrumentation) Observer() runtime.Observer {
	return runtime.Observer{
		Attempt: func(ctx context.Context, e runtime.AttemptEvent) {
			set := metric.WithAttributeSet(attribute.NewSet(outcomeAttrs(e.Operation, e.Host, e.StatusCode, e.Err)...))
			in.attempts.Add(ctx, 1, set)
			if e.Retry {
				in.retries.Add(ctx, 1, set)
			}
		},
		Call: func(ctx context.Context, e runtime.CallEvent) {
			set := metric.WithAttributeSet(attribute.NewSet(outcomeAttrs(e.Operation, e.Host, e.StatusCode, e.Err)...))
			in.calls.Add(ctx, 1, set)
			in.duration.Record(ctx, e.Duration.Seconds(), set)
		},
		BreakerStateChange: func(ctx context.Context, name string, _, to runtime.BreakerState) {
			in.switches.Add(ctx, 1, metric.WithAttributes(BreakerKey.String(name), BreakerStateKey.String(to.String())))
			in.state.Record(ctx, int64(to), metric.WithAttributes(BreakerKey.String(name)))
		},
		LimiterWait: func(ctx context.Context, e runtime.LimiterEvent) {
			outcome := "ok"
			switch {
			case errors.Is(e.Err, runtime.ErrRateLimited):
				outcome = "rate_limited"
			case e.Err != nil:
				outcome = "canceled"
			}
			in.waits.Record(ctx, e.Waited.Seconds(), metric.WithAttributes(
				OperationKey.String(e.Operation.ID), LimiterKey.String(e.Key), OutcomeKey.String(outcome)))
		},
		Drift: func(ctx context.Context, e runtime.DriftEvent) {
			in.drift.Add(ctx, int64(e.Total), metric.WithAttributes(
				OperationKey.String(e.Operation.ID), semconv.HTTPResponseStatusCode(e.StatusCode)))
		},
	}
}

// outcomeAttrs describes a call or attempt with low-cardinality attributes.
func outcomeAttrs(op *runtime.Operation, host string, status int, err error) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		OperationKey.String(op.ID), semconv.HTTPRequestMethodKey.String(op.Method), semconv.ServerAddress(host),
	}
	if status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(status))
	}
	if t := errorType(status, err); t != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(t))
	}
	return attrs
}

// errorType is the error.type of an outcome: the status code for >= 400,
// else a word for the error's kind.
func errorType(status int, err error) string {
	switch {
	case err == nil && status >= 400:
		return strconv.Itoa(status)
	case err == nil:
		return ""
	case errors.Is(err, runtime.ErrCircuitOpen):
		return "circuit_open"
	case errors.Is(err, runtime.ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "transport"
	}
	return "_OTHER"
}
