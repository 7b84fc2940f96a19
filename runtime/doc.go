// Package runtime is what a program uses with the API clients (connectors)
// connectorgen generates: their options, errors, credentials and value types.
//
//   - Options ([Option]) configure a connector's New and, per call, its
//     methods: base URL, HTTP client, headers, timeouts ([WithTimeout],
//     [DefaultTimeout] per attempt), retries ([RetryPolicy], [RetryBudget],
//     Retry-After honoured), idempotency keys, a circuit breaker per host
//     ([WithCircuitBreaker], on by default), rate limits ([RateLimiter],
//     [Limiter]), logs ([WithLogger], secrets redacted), [Middleware] and
//     hooks for metrics and tracing ([Observer]).
//   - Errors: [*APIError] for an unexpected status (its Detail is the
//     spec's error schema, [Problem] for RFC 9457), [*ValidationError] before
//     sending, [*DecodeError] for an unreadable body, and sentinels such as
//     [ErrCircuitOpen] and [ErrRetriesExhausted] for errors.Is.
//   - Credentials ([Credential], [WithCredential]): API keys, HTTP basic and
//     bearer, OAuth 2.0 ([NewClientCredentials], [TokenCredential]: cached,
//     refreshed early), mutual TLS ([ClientCertificate]) and HMAC signing;
//     secrets come from a [SecretSource] and never appear in logs or errors.
//   - Values: [Opt] (optional member), [Nullable] (null or a value), [Date],
//     [File] (multipart upload), [EventStream] (server-sent events) and
//     [Drift] (a response value that does not match the spec, reported to
//     observers instead of failing the call).
//
// [Client], [Request] and [Response] are the engine a connector is built
// on: a connector's methods build a Request and send it with Client.Do. The
// rest of what generated code calls (the JSON codec, validation, parameter
// serialization) is in package
// [github.com/connectorgen/connectorgen/runtime/rtimpl], which programs do
// not use directly.
//
// Besides the standard library the package depends on
// github.com/sony/gobreaker/v2, golang.org/x/time/rate and
// golang.org/x/oauth2. The OpenTelemetry (runtime/otel) and Redis
// (runtime/redislimit) adapters are separate modules. docs/runtime.md
// describes the defaults and their reasons.
package runtime
