// Package runtime is what a program uses with the API clients (connectors)
// connectorgen generates:
//
//   - options for a connector's New ([ClientOption]) and its calls
//     ([CallOption]; [Option] is both): timeouts, retries, idempotency keys,
//     circuit breaker, rate limits, logs, middleware, [Observer] hooks;
//   - errors: [*APIError] (with [Problem], RFC 9457), [*ValidationError],
//     [*DecodeError], and sentinels such as [ErrCircuitOpen] for errors.Is;
//   - credentials ([Credential]): API keys, basic, bearer, OAuth 2.0, mutual
//     TLS and HMAC, with secrets from a [SecretSource], never logged;
//   - values: [Opt], [Nullable], [Date], [File], [EventStream], [Drift].
//
// [Client], [Request] and [Response] are the engine connectors are built on.
// What only generated code calls (codec, validation, parameters) is in
// [github.com/connectorgen/connectorgen/runtime/rtimpl]. The package needs
// gobreaker, x/time/rate and x/oauth2; OpenTelemetry and Redis adapters are
// the modules runtime/otel and runtime/redislimit. docs/runtime.md has the
// details.
package runtime
