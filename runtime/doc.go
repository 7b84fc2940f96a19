// Package runtime is what a program uses with the API clients (connectors)
// connectorgen generates:
//
//   - options for a connector's New ([ClientOption]) and its calls
//     ([CallOption]; [Option] is both): timeouts, retries, idempotency keys,
//     circuit breaker, rate limits, logs, middleware, [Observer] hooks;
//   - errors: [*APIError] (with [Problem], RFC 9457), [*ValidationError],
//     [*DecodeError], and sentinels such as [ErrCircuitOpen] for errors.Is;
//   - values: [Opt], [Nullable], [Date], [File], [EventStream], [Drift].
//
// Credentials (API keys, basic, bearer, OAuth 2.0, mutual TLS, HMAC) and
// the secrets they read are in package
// [github.com/connectorgen/connectorgen/runtime/auth]; a connector's
// per-scheme options and [WithCredential] take them. [Client], [Request]
// and [Response] are the engine connectors are built on. What only
// generated code calls (codec, validation, parameters) is in
// [github.com/connectorgen/connectorgen/runtime/rtimpl]. The package needs
// gobreaker and x/time/rate (auth needs x/oauth2); OpenTelemetry and Redis adapters are
// the modules runtime/otel and runtime/redislimit. docs/runtime.md has the
// details.
package runtime
