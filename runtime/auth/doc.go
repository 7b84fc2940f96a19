// Package auth holds the credentials of connectorgen's API clients
// (connectors): what a program passes to a connector's per-scheme options,
// and the secrets they read. It sits beside package runtime as
// grpc-go's credentials package sits beside grpc: runtime imports auth,
// auth does not import runtime.
//
// A connector has one option per security scheme of its spec, taking a
// [Credential]; for a petstore connector whose "apiKey" scheme sends a
// header:
//
//	client, err := petstore.New("", petstore.WithAPIKey(auth.APIKey(key)))
//
// or, with the key read from the environment on every request:
//
//	client, err := petstore.New("", petstore.WithAPIKey(auth.APIKeyFrom(auth.EnvSecret("PETSTORE_KEY"))))
//
// The credentials:
//
//   - [APIKey], [Basic] (RFC 7617), [BearerToken] (RFC 6750), and their
//     *From forms reading a [SecretSource] per request;
//   - OAuth 2.0 (RFC 6749): [NewClientCredentials], [NewRefreshToken],
//     [BearerTokenSource] and [BearerTokenFunc] make a [*TokenCredential],
//     which caches the token, refreshes it before it expires and after a
//     401 (an [Invalidator]);
//   - [HMAC] request signing (RFC 2104), configured by [HMACConfig];
//   - mutual TLS: a [*ClientCertificate], given to runtime.WithMutualTLS,
//     reloaded when its files change; [MutualTLS] marks the scheme as met.
//
// Secrets come from a [SecretSource]: [StaticSecret], [EnvSecret],
// [FileSecret] (mounted secrets, re-read as they rotate), [CachedSecret]
// around a secret manager's client, or a [SecretFunc]. A [Secret], every
// credential and every config print as REDACTED with fmt, slog and
// encoding/json, and the runtime client scrubs the secret values a
// credential sent from its errors, logs and panics. Credentials are sent
// over plain http only to loopback hosts unless allowed
// ([*InsecureCredentialsError]).
package auth
